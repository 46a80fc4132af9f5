//! Staleness readers can see: an article whose `verified` (else `date`) is older than
//! `stale_after_days` shows a notice at the top, saying how long ago with the date. The
//! day counted from is the build's today, pinned here with `SOURCE_DATE_EPOCH`.

use crate::diagnostics::{Run, verdict_with};
use crate::support::{Page, Site, snapshot};

/// Noon UTC on 6 December 2026 and 6 January 2027.
const DEC_6_2026: &str = "1796558400";
const JAN_6_2027: &str = "1799236800";

fn article(slug: &str, dates: &str) -> String {
    format!(
        "---\ntitle: {slug}\n{dates}\nauthor: jane\ncontenders: [Rust, Go]\n---\n## Speed\n\n**Winner:** Rust\n"
    )
}

fn site() -> Site {
    let site = Site::new();
    site.write(
        "articles/checked.md",
        &article("checked", "date: 2025-01-01\nverified: 2025-10-06"),
    )
    .write("articles/unchecked.md", &article("unchecked", "date: 2025-02-01"))
    .write("articles/fresh.md", &article("fresh", "date: 2026-11-01"));
    site
}

/// `verdict <args>` in the site on the day `epoch`.
fn on(site: &Site, epoch: &str, args: &[&str]) -> Run {
    let run = verdict_with(site.root(), args, &[("SOURCE_DATE_EPOCH", epoch)]);
    if args[0] == "build" {
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    run
}

fn page(site: &Site, rel: &str) -> Page {
    Page::new(std::fs::read_to_string(site.path("dist").join(rel)).unwrap())
}

#[test]
fn a_stale_article_says_how_long_ago_its_facts_were_checked() {
    let site = site();
    on(&site, DEC_6_2026, &["build"]);
    let checked = page(&site, "checked/index.html");
    assert_eq!(
        checked.text(".stale-notice"),
        "Facts last checked 14 months ago, on 6 October 2025. Versions, prices and features may have changed since."
    );
    assert_eq!(checked.attrs(".stale-notice time", "datetime"), ["2025-10-06"]);
    // Before the article header: the first thing in the article.
    assert!(checked.has("article > .stale-notice:first-child"), "{}", checked.source);
    // Never verified: counted from the publication date, and said so.
    let unchecked = page(&site, "unchecked/index.html");
    assert_eq!(
        unchecked.text(".stale-notice"),
        "Facts last checked 22 months ago, on 1 February 2025, when this comparison was published. Versions, prices and features may have changed since."
    );
    assert!(!page(&site, "fresh/index.html").has(".stale-notice"));
}

#[test]
fn stale_after_days_sets_the_age_and_stale_notice_false_turns_it_off() {
    let site = site();
    site.write("site.yaml", "title: T\nbase_url: https://example.com/\nstale_after_days: 30\n");
    on(&site, DEC_6_2026, &["build"]);
    assert_eq!(
        page(&site, "fresh/index.html").text(".stale-notice strong"),
        "Facts last checked 1 month ago"
    );
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://example.com/\nstale_after_days: 30\nstale_notice: false\n",
    );
    on(&site, DEC_6_2026, &["build"]);
    for slug in ["checked", "unchecked", "fresh"] {
        assert!(!page(&site, &format!("{slug}/index.html")).has(".stale-notice"), "{slug}");
    }
    // `check` still warns: the notice is for readers, the warning for writers.
    let check = on(&site, DEC_6_2026, &["check"]);
    assert!(
        check.stderr.contains("articles/fresh.md:3:7: warning: published on 2026-11-01 and never verified, more than 30 days ago (`stale_after_days`)"),
        "{}",
        check.stderr
    );
}

#[test]
fn a_later_build_day_re_renders_the_notices_it_changes_and_matches_a_fresh_build() {
    let site = site();
    on(&site, DEC_6_2026, &["build"]);
    let before = snapshot(&site.path("dist"));
    // A month later: the notices now say 15 and 23 months; `fresh` is not stale yet.
    let warm = on(&site, JAN_6_2027, &["build"]);
    assert!(warm.stderr.contains("HTML files, 2 rendered"), "{}", warm.stderr);
    assert_eq!(
        page(&site, "checked/index.html").text(".stale-notice strong"),
        "Facts last checked 15 months ago"
    );
    let after = snapshot(&site.path("dist"));
    for (rel, bytes) in &after {
        let changed = before.get(rel) != Some(bytes);
        let expected = rel.starts_with("checked") || rel.starts_with("unchecked");
        assert!(
            changed == expected || !rel.to_string_lossy().ends_with(".html"),
            "{}",
            rel.display()
        );
    }
    let fresh_out = site.tmp().join("fresh");
    on(&site, JAN_6_2027, &["build", "--no-cache", "--output", fresh_out.to_str().unwrap()]);
    let fresh = snapshot(&fresh_out);
    let html = |files: &std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>| {
        files
            .iter()
            .filter(|(rel, _)| rel.extension().is_some_and(|e| e == "html"))
            .map(|(rel, bytes)| (rel.clone(), bytes.clone()))
            .collect::<Vec<_>>()
    };
    assert!(html(&after) == html(&fresh), "the warm build is not the fresh build");
}
