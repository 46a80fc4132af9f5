//! The map of the Markdown files links may point at ([`LinkMap`]), made from the content,
//! and kept by an incremental session from one build to the next while no article, page
//! or draft it names moved: an edit of an article's text leaves it as it was, so that a
//! build reads no other article to make it, nor hashes it again (its fingerprint is kept
//! with it).

use std::sync::{Arc, Mutex};

use crate::content::article::Article;
use crate::markdown::links::LinkMap;
use crate::site::load::Content;
use crate::site::outlines::hash_field;
use crate::urls::Urls;

/// The link map of an incremental session's last build, with what it was made from.
#[derive(Default)]
pub(super) struct LinkMaps {
    last: Mutex<Option<Last>>,
}

struct Last {
    /// The articles, in the content's order (held, so that the same address is the same
    /// article).
    articles: Vec<Arc<Article>>,
    /// The site's address, the pages and the drafts left out, as one hash.
    rest: u128,
    map: Arc<LinkMap>,
}

impl LinkMaps {
    /// The link map of `content` at `urls`: the last build's when every article is the
    /// same or keeps its file and slug, and the rest is the same; else made anew.
    pub(super) fn get(&self, content: &Content, urls: &Urls) -> Arc<LinkMap> {
        let rest = rest_key(content, urls);
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        let kept = last.as_ref().filter(|last| {
            last.rest == rest
                && last.articles.len() == content.articles.len()
                && last.articles.iter().zip(&content.articles).all(|(before, now)| {
                    Arc::ptr_eq(before, now)
                        || (before.source == now.source && before.slug == now.slug)
                })
        });
        let map = match kept {
            Some(last) => Arc::clone(&last.map),
            None => Arc::new(link_map(content, urls)),
        };
        let articles = content.articles.clone();
        *last = Some(Last { articles, rest, map: Arc::clone(&map) });
        map
    }
}

/// Every article and page at its URL, and the drafts left out.
pub(super) fn link_map(content: &Content, urls: &Urls) -> LinkMap {
    let mut links = LinkMap::default();
    for article in &content.articles {
        links.insert(article.source.clone(), urls.path(&format!("{}/", article.slug)));
    }
    for page in &content.pages {
        links.insert(page.source.clone(), urls.path(&format!("{}/", page.slug)));
    }
    for draft in &content.skipped_drafts {
        links.insert_draft(draft.clone());
    }
    links
}

/// What the map is made from besides the articles.
fn rest_key(content: &Content, urls: &Urls) -> u128 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hash_field(&mut hasher, urls.path("").as_bytes());
    for page in &content.pages {
        hash_field(&mut hasher, page.source.as_os_str().as_encoded_bytes());
        hash_field(&mut hasher, page.slug.as_bytes());
    }
    hash_field(&mut hasher, b"drafts");
    for draft in &content.skipped_drafts {
        hash_field(&mut hasher, draft.as_os_str().as_encoded_bytes());
    }
    hasher.digest128()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SiteConfig;
    use crate::markdown::links::Resolved;
    use std::path::Path;

    fn article(file: &str, slug: &str, title: &str) -> Arc<Article> {
        let text = format!(
            "---\ntitle: {title}\nslug: {slug}\ndate: 2025-01-01\nauthor: a\ncontenders: [X, Y]\n---\nBody.\n"
        );
        Arc::new(Article::parse(Path::new(file), &text, "unused", None).unwrap())
    }

    fn url_of(map: &LinkMap, file: &str) -> String {
        match map.resolve(Path::new("articles/any.md"), &format!("../{file}")) {
            Resolved::Internal { url, .. } => url,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_last_map_is_kept_while_every_article_keeps_its_file_and_slug() {
        let config = SiteConfig::parse("title: T\nbase_url: https://example.com/\n").unwrap();
        let urls = Urls::new(&config);
        let maps = LinkMaps::default();
        let mut content = Content {
            articles: vec![article("articles/a.md", "a", "A"), article("articles/b.md", "b", "B")],
            ..Content::default()
        };
        let first = maps.get(&content, &urls);
        assert!(Arc::ptr_eq(&first, &maps.get(&content, &urls)), "the same articles");

        // Another title, the same file and slug: the same map.
        content.articles[1] = article("articles/b.md", "b", "B again");
        assert!(Arc::ptr_eq(&first, &maps.get(&content, &urls)));

        // Another slug: a new map, with the new address.
        content.articles[1] = article("articles/b.md", "bee", "B");
        let moved = maps.get(&content, &urls);
        assert!(!Arc::ptr_eq(&first, &moved));
        assert_eq!(url_of(&moved, "articles/b.md"), "/bee/");
        assert_ne!(moved.fingerprint(), first.fingerprint());

        // An article gone, or a draft left out: a new map each time.
        content.articles.pop();
        let fewer = maps.get(&content, &urls);
        assert!(!Arc::ptr_eq(&moved, &fewer));
        content.skipped_drafts.push("articles/c.md".into());
        assert!(!Arc::ptr_eq(&fewer, &maps.get(&content, &urls)));

        // Made anew, it is the map a build without a session makes.
        assert_eq!(
            maps.get(&content, &urls).fingerprint(),
            link_map(&content, &urls).fingerprint()
        );
    }
}
