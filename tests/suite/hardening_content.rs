//! The bad-input matrix, second round: content that made work or output blow up, and
//! text that must be refused or cleaned. Each rejected case keeps the matrix's
//! invariants (see `hardening.rs`): exit 1 with a located error, the previous output
//! byte for byte, nothing written elsewhere.

use std::time::{Duration, Instant};

use crate::hardening::{article_with, bad_article, rejects};
use crate::support::Site;

/// Builds `site` and returns how long it took; the build must succeed.
fn timed_build(site: &Site) -> Duration {
    let start = Instant::now();
    site.build_ok(&[]);
    start.elapsed()
}

#[test]
fn many_headings_with_one_text_take_linear_time() {
    // 20,000 `## Setup` headings: numbering their ids from 1 each time was quadratic
    // (seconds here even in a release build); now it is a fraction of a second.
    let body = "## Setup\n\ntext\n\n".repeat(20_000);
    let site = Site::new();
    site.write("pages/many.md", &format!("---\ntitle: Many\n---\n{body}"));
    let took = timed_build(&site);
    assert!(took < Duration::from_secs(20), "took {took:?}");
    let html = std::fs::read_to_string(site.path("dist/many/index.html")).unwrap();
    assert!(html.contains("id=\"setup-19999\""));
    assert!(!html.contains("id=\"setup-20000\""));
}

#[test]
fn many_links_on_one_line_take_linear_time() {
    // 20,000 links on one line: locating each one by counting the line from its start
    // was quadratic.
    let line: String = (0..20_000).map(|i| format!("[l{i}](https://example.org/{i}) ")).collect();
    let site = Site::new();
    site.write("pages/links.md", &format!("---\ntitle: Links\n---\n{line}\n"));
    let took = timed_build(&site);
    assert!(took < Duration::from_secs(20), "took {took:?}");
}

#[test]
fn a_file_of_many_broken_links_prints_fifty_and_a_count() {
    let line: String = (0..400).map(|i| format!("[l{i}](missing-{i}.md) ")).collect();
    let r = rejects(bad_article(article_with("", &format!("{line}\n"))), &[]);
    assert_eq!(r.diagnostics.len(), 50, "{}", r.run.stderr);
    assert!(
        r.run.stderr.contains("articles/bad.md: 350 more problems not shown"),
        "{}",
        r.run.stderr
    );
    assert!(
        r.run.stderr.ends_with("build failed: 400 errors\n"),
        "{}",
        &r.run.stderr[r.run.stderr.len() - 200..]
    );
    // Columns are right far along the line.
    let last = r.diagnostics.last().unwrap();
    let column = 1 + (0..49).map(|i| format!("[l{i}](missing-{i}.md) ").len()).sum::<usize>();
    assert_eq!(last.location, Some((7, column)), "{last:?}");
}
