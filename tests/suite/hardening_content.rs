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

#[test]
fn a_title_copied_into_every_list_has_a_length_limit() {
    let title = "T".repeat(201);
    let text =
        format!("---\ntitle: {title}\ndate: 2025-01-01\nauthor: jane\ncontenders: [A, B]\n---\n");
    let r = rejects(bad_article(text), &[]);
    let d = r.only("articles/bad.md", Some(2));
    assert_eq!(d.message, "the `title` is 201 characters long; the most is 200");
}

#[test]
fn an_article_compares_at_most_twelve_contenders() {
    let names: Vec<String> = (1..=13).map(|i| format!("C{i}")).collect();
    let text = format!(
        "---\ntitle: Many\ndate: 2025-01-01\nauthor: jane\ncontenders: [{}]\n---\n",
        names.join(", ")
    );
    let r = rejects(bad_article(text), &[]);
    let d = r.only("articles/bad.md", Some(5));
    assert_eq!(d.message, "the article lists 13 contenders; the most is 12");
}

#[test]
fn names_too_long_for_a_folder_are_reported_at_their_line() {
    let long = "n".repeat(81);
    let r =
        rejects(bad_article(article_with(&format!("tags:\n  - ok\n  - {long}\n"), "Body.\n")), &[]);
    let d = r.only("articles/bad.md", Some(8));
    assert!(
        d.message.starts_with("the tag `nnnnnnnnnnnnnnnnnnnn…` is 81 characters long"),
        "{d:?}"
    );

    let r = rejects(
        bad_article(format!(
            "---\ntitle: T\ndate: 2025-01-01\nauthor: jane\ncontenders:\n  - A\n  - {long}\n---\n"
        )),
        &[],
    );
    assert!(r.error("articles/bad.md", Some(7)).message.starts_with("the contender name"));

    // A slug made from a long file name is reported in that file; one of 81 characters
    // (a long title's) is fine.
    let longer = "s".repeat(201);
    let r = rejects(
        |site: &Site| {
            site.write(&format!("articles/{longer}.md"), &article_with("", "Body.\n"));
            site.write(&format!("articles/{long}.md"), &article_with("", "Body.\n"));
        },
        &[],
    );
    assert_eq!(r.diagnostics.len(), 1, "{:?}", r.diagnostics);
    let d = &r.diagnostics[0];
    assert!(d.path.ends_with(&format!("{longer}.md")), "{d:?}");
    assert_eq!(d.message, "the slug is 201 bytes long; the most is 200");
}

#[test]
fn links_that_run_script_are_refused() {
    // An author's link.
    let r = rejects(
        |site: &Site| {
            site.write(
                "authors/jane.md",
                "---\nname: Jane Doe\nlinks:\n  website: https://jane.dev\n  github: \"java\\tscript:alert(1)\"\n---\nBio.\n",
            );
        },
        &[],
    );
    let d = r.error("authors/jane.md", Some(5));
    assert!(
        d.message.starts_with("the link `github` is not an http(s) or mailto address"),
        "{d:?}"
    );

    // A contender's `url` in an article, and in contenders.yaml.
    let r = rejects(
        bad_article(
            "---\ntitle: T\ndate: 2025-01-01\nauthor: jane\ncontenders:\n  - A\n  - name: B\n    url: javascript:alert(1)\n---\n"
                .to_string(),
        ),
        &[],
    );
    assert_eq!(
        r.only("articles/bad.md", Some(8)).message,
        "the `url` of contender `B` is not an http(s) address: `javascript:alert(1)`"
    );
    let r = rejects(
        |site: &Site| {
            site.write("contenders.yaml", "go:\n  name: Go\n  url: data:text/html,hi\n");
        },
        &[],
    );
    assert!(r.only("contenders.yaml", Some(3)).message.starts_with("the `url` of `go`"));
}

#[test]
fn an_author_name_has_a_length_limit() {
    let r = rejects(
        |site: &Site| {
            site.write("authors/jane.md", &format!("---\nname: {}\n---\nBio.\n", "J".repeat(101)));
        },
        &[],
    );
    assert_eq!(
        r.error("authors/jane.md", Some(2)).message,
        "the author's `name` is 101 characters long; the most is 100"
    );
}

#[test]
fn a_static_file_in_the_place_of_a_generated_one_is_an_error_naming_both() {
    let r = rejects(
        |site: &Site| {
            site.write("static/search.json", "[]");
            site.write("static/feed.xml", "<feed/>");
            site.write("static/rust-vs-go/index.html", "<p>mine</p>");
        },
        &[],
    );
    assert_eq!(r.diagnostics.len(), 3, "{}", r.run.stderr);
    for (file, replaced) in [
        ("static/feed.xml", "feed.xml"),
        ("static/rust-vs-go/index.html", "rust-vs-go/index.html"),
        ("static/search.json", "search.json"),
    ] {
        let d = r.error(file, None);
        assert_eq!(d.path, file, "the path from the site root");
        assert_eq!(
            d.message,
            format!(
                "this file would take the place of `{replaced}`, which the build writes itself"
            )
        );
    }
}

#[test]
fn a_sites_own_robots_txt_replaces_the_generated_one() {
    let site = crate::hardening::accepts(
        |site: &Site| {
            site.write("static/robots.txt", "User-agent: *\nDisallow: /\n");
        },
        &[],
    );
    assert_eq!(
        std::fs::read_to_string(site.path("dist/robots.txt")).unwrap(),
        "User-agent: *\nDisallow: /\n"
    );
}

#[test]
fn control_characters_never_reach_the_html() {
    let site = crate::hardening::accepts(
        bad_article(
            "---\ntitle: \"Nul\\0 and bell\\a\"\ndate: 2025-01-01\nauthor: jane\ncontenders: [A, B]\n---\nText \u{1} with \u{7f} and \u{85} controls.\n"
                .to_string(),
        ),
        &[],
    );
    let html = std::fs::read_to_string(site.path("dist/bad/index.html")).unwrap();
    let bad: Vec<char> = html
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\x0c' | '\r'))
        .collect();
    assert!(bad.is_empty(), "control characters in the page: {bad:?}");
    assert!(html.contains("Nul and bell"), "the title stays, cleaned");
}

#[test]
fn duplicate_keys_are_errors_at_any_depth() {
    let r = rejects(
        |site: &Site| {
            site.write(
                "site.yaml",
                "title: Hardening\nbase_url: https://example.com/\nextra:\n  nav:\n    home: /\n    home: /index/\n",
            );
        },
        &[],
    );
    let d = r.only("site.yaml", Some(6));
    assert_eq!(d.message, "extra.nav: duplicate field `home`");

    let r = rejects(bad_article(article_with("extra:\n  price: 1\n  price: 2\n", "Body.\n")), &[]);
    assert_eq!(r.only("articles/bad.md", Some(8)).message, "extra: duplicate field `price`");
}

#[test]
fn an_alias_that_names_another_contender_is_an_error() {
    let r = rejects(
        bad_article(
            "---\ntitle: T\ndate: 2025-01-01\nauthor: jane\ncontenders:\n  - name: Go\n    aliases: [Rust]\n  - Rust\n---\n"
                .to_string(),
        ),
        &[],
    );
    assert_eq!(
        r.error("articles/bad.md", Some(6)).message,
        "the alias `Rust` of `Go` names another contender, `Rust`"
    );
    let r = rejects(
        |site: &Site| {
            site.write(
                "contenders.yaml",
                "go:\n  name: Go\n  aliases: [Golang, rust]\nrust:\n  name: Rust\n",
            );
        },
        &[],
    );
    assert_eq!(
        r.only("contenders.yaml", Some(3)).message,
        "the alias `rust` of `go` names another technology, `rust`"
    );
}
