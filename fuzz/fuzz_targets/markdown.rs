//! The Markdown → HTML pipeline of an article (links, headings, callouts, "Choose X if",
//! highlighted code) on arbitrary text: it never panics, and callouts only ever name the
//! article's contenders.
#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use verdict::content::article::Contender;
use verdict::markdown::highlight::Highlighter;
use verdict::markdown::links::LinkMap;
use verdict::markdown::render::{Detail, Env, Source, render};

static HIGHLIGHTER: LazyLock<Highlighter> =
    LazyLock::new(|| Highlighter::new("InspiredGitHub", "OneHalfDark").expect("default themes"));

static LINKS: LazyLock<LinkMap> = LazyLock::new(|| {
    let mut links = LinkMap::default();
    links.insert("articles/rust-vs-go.md".into(), "/rust-vs-go/".into());
    links.insert("articles/bundle/index.md".into(), "/bundle/".into());
    links.insert("pages/about.md".into(), "/about/".into());
    links.insert_draft("articles/draft.md".into());
    links
});

fn contender(name: &str, id: &str, aliases: &[&str]) -> Contender {
    Contender {
        id: id.to_string(),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        ..Contender::named(name)
    }
}

static CONTENDERS: LazyLock<Vec<Contender>> = LazyLock::new(|| {
    vec![
        contender("Rust", "rust", &[]),
        contender("Go", "go", &["Golang"]),
        contender("C++", "cpp", &["cxx"]),
        contender("Node.js", "node-js", &["Node"]),
    ]
});

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let Ok(body) = std::str::from_utf8(rest) else { return };
    // The low bits choose the document: an article (with callouts) or a page or bio
    // (none), flat or in a bundle; the winner label; and whether code is highlighted.
    let contenders: &[Contender] = if mode & 1 == 0 { &CONTENDERS } else { &[] };
    let path = if mode & 2 == 0 { "articles/fuzz.md" } else { "articles/bundle/index.md" };
    let winner_label = if mode & 4 == 0 { "Winner" } else { "Gagnant" };
    let detail = if mode & 8 == 0 { Detail::Full } else { Detail::Outline };
    let markers: Vec<String> =
        verdict::config::DEFAULT_MARKERS.iter().map(|m| m.to_string()).collect();
    let env = Env { highlighter: &HIGHLIGHTER, links: &LINKS, winner_label, markers: &markers, documents: None };
    let src = Source { path: Path::new(path), body, body_line: 7, contenders };
    let rendered = render(&env, &src, detail);
    let lines = body.split('\n').count();
    for callout in &rendered.callouts {
        assert!(callout.winners.iter().all(|&w| w < contenders.len()));
        assert!(callout.line >= 7 && callout.line < 7 + lines, "callout line {}", callout.line);
    }
    for choose in &rendered.choose_if {
        assert!(choose.contender < contenders.len());
    }
    for error in &rendered.errors {
        let line = error.line.expect("link errors have a line");
        assert!(line >= 7 && line < 7 + lines, "error line {line}");
        // As printed, with the body as the file's text from line 7.
        let file = format!("---\ntitle: x\n---\n\n\n\n{body}");
        verdict::diagnostics::render_one(error, Some(&file), true);
    }
    // Generated heading ids are unique (ids written as `{#id}` are the writer's).
    if !body.contains('{') {
        let mut ids = std::collections::HashSet::new();
        for id in &rendered.heading_ids {
            assert!(ids.insert(id), "duplicate heading id `{id}`");
        }
    }
    if detail == Detail::Outline {
        assert!(rendered.html.is_empty());
    }
});
