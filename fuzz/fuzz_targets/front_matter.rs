//! Every parser of YAML front matter and configuration, on arbitrary bytes: they may
//! return diagnostics, never panic, and every diagnostic they return is located inside
//! the file it names and prints with its source line.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use verdict::config::SiteConfig;
use verdict::content::article::Article;
use verdict::content::author::Author;
use verdict::content::catalog::Catalog;
use verdict::content::page::Page;
use verdict::error::Diagnostic;

fuzz_target!(|data: &[u8]| {
    // The loader rejects invalid UTF-8 before parsing; do the same.
    let Ok(text) = std::str::from_utf8(data) else { return };
    let lines = text.split('\n').count();
    let located = |d: &Diagnostic| {
        if let Some(line) = d.line {
            assert!(line >= 1 && line <= lines, "line {line} of {lines}: {d}");
        }
        // Printing it with its source line and caret must not panic either.
        let shown = verdict::diagnostics::render_one(d, Some(text), false);
        assert!(shown.starts_with(&d.path.display().to_string()));
    };
    match Article::parse(Path::new("articles/fuzz.md"), text, "fuzz", Some("jane")) {
        Ok(article) => {
            assert!(article.contenders.len() >= 2);
            assert!(!article.slug.is_empty());
            // Whatever the front matter says, the slug is one safe path segment.
            assert!(verdict::slug::is_safe_segment(&article.slug), "{}", article.slug);
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            errors.iter().for_each(located);
        }
    }
    if let Err(d) = Page::parse(Path::new("pages/fuzz.md"), text, "fuzz") {
        located(&d);
    }
    if let Err(d) = Author::parse(Path::new("authors/fuzz.md"), "fuzz", text) {
        located(&d);
    }
    if let Err(d) = SiteConfig::parse(text) {
        located(&d);
    }
    if let Err(errors) = Catalog::parse(text) {
        errors.iter().for_each(located);
    }
});
