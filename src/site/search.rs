//! `/search.json`, the index the theme's search box reads.

use serde::Serialize;

use crate::site::outlines::RenderedSite;

#[derive(Serialize)]
struct SearchEntry<'a> {
    title: &'a str,
    url: &'a str,
    description: &'a str,
    contenders: Vec<&'a str>,
    tags: &'a [String],
    headings: Vec<&'a str>,
}

/// `/search.json`: one compact entry per article (title, URL, description, contenders
/// with their aliases, tags, `##` headings), newest first.
pub fn search_index(site: &RenderedSite) -> String {
    let entries: Vec<SearchEntry<'_>> = site
        .articles
        .iter()
        .map(|a| SearchEntry {
            title: &a.article.title,
            url: &a.url,
            description: &a.description,
            contenders: a
                .article
                .contenders
                .iter()
                .flat_map(|c| {
                    std::iter::once(c.name.as_str()).chain(c.aliases.iter().map(String::as_str))
                })
                .collect(),
            tags: &a.article.tags,
            headings: a.body.toc.iter().map(|t| t.title.as_str()).collect(),
        })
        .collect();
    serde_json::to_string(&entries).unwrap_or_else(|_| "[]".to_string())
}
