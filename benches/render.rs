//! Micro-benchmarks of the per-article hot path, on an article from the benchmark corpus
//! generator: Markdown outline (no highlighting), full render with highlighting, and
//! highlighting alone. Run with `cargo bench`.

use std::path::Path;

use verdict::content::article::Article;
use verdict::content::front_matter::split;
use verdict::markdown::highlight::Highlighter;
use verdict::markdown::links::LinkMap;
use verdict::markdown::render::{Detail, Env, Source, render};

fn main() {
    divan::main();
}

const ARTICLE: &str = include_str!("fixtures/article.md");

fn article() -> Article {
    Article::parse(Path::new("articles/bench.md"), ARTICLE, "bench", Some("a"))
        .expect("valid article")
}

/// The article's Markdown body.
fn body() -> &'static str {
    split(Path::new("articles/bench.md"), ARTICLE).expect("front matter").body
}

fn highlighter() -> Highlighter {
    Highlighter::new("InspiredGitHub", "OneHalfDark").expect("themes")
}

/// Renders the corpus article at `detail`, over and over.
fn bench_render(bencher: divan::Bencher, detail: Detail) {
    let (article, highlighter, links) = (article(), highlighter(), LinkMap::default());
    let markers: Vec<String> =
        verdict::config::DEFAULT_MARKERS.iter().map(|m| m.to_string()).collect();
    let env = Env {
        highlighter: &highlighter,
        links: &links,
        winner_label: "Winner",
        markers: &markers,
        documents: None,
    };
    let source = Source {
        path: &article.source,
        body: body(),
        body_line: 1,
        contenders: &article.contenders,
    };
    bencher.bench_local(|| render(&env, &source, detail));
}

#[divan::bench]
fn outline(bencher: divan::Bencher) {
    bench_render(bencher, Detail::Outline);
}

#[divan::bench]
fn full_with_highlighting(bencher: divan::Bencher) {
    bench_render(bencher, Detail::Full);
}

#[divan::bench(args = ["rust", "typescript", "python", "sql"])]
fn highlight(bencher: divan::Bencher, lang: &str) {
    let highlighter = highlighter();
    let code = "fn main() {\n    let x: Vec<u32> = (0..10).map(|i| i * 2).collect();\n    println!(\"{x:?}\");\n}\n".repeat(4);
    bencher.bench_local(|| highlighter.highlight(&code, Some(lang)));
}
