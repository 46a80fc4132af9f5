//! `/search.json`, the index the theme's search box reads.

use serde::Serialize;

use crate::site::outlines::RenderedSite;
use crate::site::parts::{self, FileOfParts, Parts};

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
/// with their aliases, tags, `##` headings), newest first. `kept` holds the entries of
/// an incremental session's last build, and each article's digest (which covers every
/// field of its entry). The text comes as pieces to write one after the other (see
/// `parts::json_array_of`).
pub(crate) fn search_index<'a>(
    site: &'a RenderedSite,
    kept: Option<(&'a Parts, &[u128])>,
) -> FileOfParts<'a> {
    let kept = kept.map(|(store, digests)| {
        (store, digests.iter().map(|d| parts::key("search.json", &[*d])).collect())
    });
    let entry = move |i: usize| {
        let a = &site.articles[i];
        let entry = SearchEntry {
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
        };
        serde_json::to_string(&entry).unwrap_or_default()
    };
    parts::json_array_of(kept, site.articles.len(), entry, String::new(), String::new())
}
