//! The full-text search index under `/pagefind/`: Pagefind's bundle (its search script,
//! WebAssembly, index chunks and one fragment per article), made from one search
//! document per article.
//!
//! A search document is a small HTML page: the title (weight 10), the contenders with
//! every alias (9), the tags (5) and the article's body without its code blocks, whose
//! `##`/`###` headings keep their ids (Pagefind weighs them 6 and 5 and links results
//! to them) and whose callouts carry the winners. Pagefind splits the index by word, so
//! a query fetches the chunks of its words and the fragments of the results it shows.
//!
//! Documents are kept by key ([`document_key`]) in the session's [`SearchCache`], and
//! the bundle by the key of every document: a build where no article changed writes
//! the last bundle again without indexing, and one where some did re-renders no body
//! that did not change.

use std::collections::HashMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::site::outlines::{RenderedArticle, RenderedSite};

/// The output folder of the bundle.
pub const BUNDLE_DIR: &str = "pagefind";

/// The bundle's files whose names do not depend on the content.
pub const FIXED_FILES: [&str; 3] = ["pagefind.js", "pagefind-worker.js", "pagefind-entry.json"];

/// The bundle files verdict writes: Pagefind also makes UI scripts and styles, which
/// the theme does not use.
fn wanted(rel: &str) -> bool {
    FIXED_FILES.contains(&rel)
        || rel.starts_with("wasm.")
        || rel.ends_with(".pf_meta")
        || rel.starts_with("index/")
        || rel.starts_with("fragment/")
        || rel.starts_with("filter/")
}

/// The search documents and the last bundle a session keeps.
#[derive(Default, Serialize, Deserialize)]
pub struct SearchCache {
    /// Search documents by [`document_key`].
    pub documents: HashMap<u128, String>,
    /// The key of the documents the bundle was made from.
    pub bundle_key: u128,
    /// The bundle's files, relative to [`BUNDLE_DIR`].
    pub bundle: Vec<(String, Vec<u8>)>,
}

/// What a search document depends on: the body (the outline's key, which covers every
/// input of the body's HTML), title, URL, contenders with their aliases, tags and the
/// site's language.
pub fn document_key(a: &RenderedArticle, language: &str) -> u128 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(&a.key.to_le_bytes());
    for text in [a.article.title.as_str(), a.url.as_str(), language] {
        hasher.update(text.as_bytes());
        hasher.update(b"\0");
    }
    for c in &a.article.contenders {
        hasher.update(c.name.as_bytes());
        for alias in &c.aliases {
            hasher.update(b"\x01");
            hasher.update(alias.as_bytes());
        }
        hasher.update(b"\0");
    }
    for tag in &a.article.tags {
        hasher.update(tag.as_bytes());
        hasher.update(b"\0");
    }
    hasher.digest128()
}

/// The search document of `a`, whose body renders to `body_html`.
pub fn search_document(a: &RenderedArticle, body_html: &str) -> String {
    let esc = |text: &str| {
        let mut out = String::with_capacity(text.len());
        let _ = pulldown_cmark_escape::escape_html(&mut out, text);
        out
    };
    let names: Vec<&str> = a.article.contenders.iter().map(|c| c.name.as_str()).collect();
    let aliases: Vec<&str> =
        a.article.contenders.iter().flat_map(|c| c.aliases.iter().map(String::as_str)).collect();
    let mut doc = String::with_capacity(body_html.len() + 512);
    doc.push_str("<html><body>");
    doc.push_str(&format!(
        "<h1 data-pagefind-weight=\"10\">{}</h1>\
         <p data-pagefind-weight=\"9\" data-pagefind-meta=\"contenders\">{}</p>",
        esc(&a.article.title),
        esc(&names.join(" · ")),
    ));
    if !aliases.is_empty() {
        doc.push_str(&format!(
            "<p data-pagefind-weight=\"9\">{}</p>",
            esc(&format!("({})", aliases.join(", ")))
        ));
    }
    if !a.article.tags.is_empty() {
        doc.push_str(&format!(
            "<p data-pagefind-weight=\"5\">{}</p>",
            esc(&format!("Tags: {}.", a.article.tags.join(", ")))
        ));
    }
    push_without_code(&mut doc, body_html);
    doc.push_str("</body></html>");
    doc
}

/// Appends `html` without its `<pre>` blocks: code is not prose, and would only add
/// identifiers to the index and noise to excerpts.
fn push_without_code(doc: &mut String, mut html: &str) {
    while let Some(start) = html.find("<pre") {
        doc.push_str(&html[..start]);
        match html[start..].find("</pre>") {
            Some(end) => html = &html[start + end + "</pre>".len()..],
            None => return,
        }
    }
    doc.push_str(html);
}

/// The bundle's files (relative to [`BUNDLE_DIR`]) for `documents` (URL and search
/// document per article, in the site's order), indexed in `language`.
pub fn build_bundle(
    documents: Vec<(String, String)>,
    language: &str,
) -> Result<Vec<(String, Vec<u8>)>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("could not start the search indexer: {e}"))?;
    runtime.block_on(async move {
        let options = pagefind::options::PagefindServiceConfig::builder()
            .force_language(language.to_ascii_lowercase())
            .build();
        let mut index = pagefind::api::PagefindIndex::new(Some(options))
            .map_err(|e| format!("could not start the search indexer: {e}"))?;
        for (url, html) in documents {
            index
                .add_html_file(None, Some(url.clone()), html)
                .await
                .map_err(|e| format!("could not index {url} for search: {e}"))?;
        }
        let files = index
            .get_files()
            .await
            .map_err(|e| format!("could not build the search index: {e}"))?;
        let mut files: Vec<(String, Vec<u8>)> = files
            .into_iter()
            .map(|f| (f.filename.to_string_lossy().replace('\\', "/"), f.contents))
            .filter(|(rel, _)| wanted(rel))
            .collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(files)
    })
}

/// The bundle for `site`: documents from `rendered` (those the pages rendered, by
/// article index), else from `cache`, else `render` makes them; the bundle itself from
/// `cache` when no document changed. `cache` is left holding this build's documents and
/// bundle.
pub fn bundle(
    site: &RenderedSite,
    language: &str,
    mut rendered: HashMap<usize, String>,
    cache: &mut SearchCache,
    render: impl Fn(&RenderedArticle) -> Result<String, crate::error::Diagnostic> + Sync,
) -> Result<(), crate::error::Error> {
    use rayon::prelude::*;
    let keys: Vec<u128> = site.articles.iter().map(|a| document_key(a, language)).collect();
    let bundle_key = {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        for key in &keys {
            hasher.update(&key.to_le_bytes());
        }
        hasher.digest128()
    };
    if bundle_key == cache.bundle_key && !cache.bundle.is_empty() {
        return Ok(());
    }
    let mut old = std::mem::take(&mut cache.documents);
    let missing: Vec<usize> = (0..site.articles.len())
        .filter(|i| !rendered.contains_key(i) && !old.contains_key(&keys[*i]))
        .collect();
    let made: Vec<Result<(usize, String), crate::error::Diagnostic>> = missing
        .par_iter()
        .map(|&i| {
            let a = &site.articles[i];
            render(a).map(|body| (i, search_document(a, &body)))
        })
        .collect();
    let mut errors = Vec::new();
    for result in made {
        match result {
            Ok((i, doc)) => {
                rendered.insert(i, doc);
            }
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(crate::error::Error::from(errors));
    }
    let mut documents = Vec::with_capacity(site.articles.len());
    for (i, a) in site.articles.iter().enumerate() {
        let doc = rendered.remove(&i).or_else(|| old.remove(&keys[i])).unwrap_or_default();
        cache.documents.insert(keys[i], doc.clone());
        documents.push((a.url.clone(), doc));
    }
    cache.bundle = build_bundle(documents, language).map_err(|message| {
        crate::error::Error::from(vec![crate::error::Diagnostic::new("site.yaml", message)])
    })?;
    cache.bundle_key = bundle_key;
    Ok(())
}

/// The path in the output of a bundle file.
pub fn output_path(rel: &str) -> PathBuf {
    PathBuf::from(BUNDLE_DIR).join(rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_blocks_are_left_out() {
        let mut doc = String::new();
        push_without_code(&mut doc, "<p>a</p><pre><code>fn x()</code></pre><p>b</p><pre>c");
        assert_eq!(doc, "<p>a</p><p>b</p>");
    }

    #[test]
    fn only_the_search_files_are_kept() {
        assert!(wanted("pagefind.js"));
        assert!(wanted("wasm.en.pagefind"));
        assert!(wanted("fragment/en_abc.pf_fragment"));
        assert!(!wanted("pagefind-ui.js"));
        assert!(!wanted("pagefind-component-ui.css"));
    }
}
