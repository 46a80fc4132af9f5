//! `verdict check`: every error a build finds, plus the comparison warnings, without
//! writing a file; exit status 1 on errors (or denied warnings), else 0.

use crate::diagnostics::verdict;
use crate::support::{Site, article, snapshot};

/// The first lines (`path:line:col: severity: message`) of a report.
fn heads(report: &str, severity: &str) -> Vec<String> {
    let marker = format!(": {severity}: ");
    report.lines().filter(|l| l.contains(&marker)).map(str::to_string).collect()
}

#[test]
fn clean_site_passes_quietly() {
    let site = Site::fixture("check/clean");
    let run = verdict(site.root(), &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr, "Checked 1 article, 0 pages and 1 author: no errors or warnings\n");
}

#[test]
fn check_writes_nothing() {
    for fixture in ["check/warnings", "diagnostics/content"] {
        let site = Site::fixture(fixture);
        let before = snapshot(site.tmp());
        verdict(site.root(), &["check"]);
        verdict(site.root(), &["check", "--drafts", "--format", "json"]);
        assert!(snapshot(site.tmp()) == before, "`check` changed files in {fixture}");
        assert!(!site.path("dist").exists() && !site.path(".verdict-cache").exists());
    }
}

#[test]
fn warnings_pass_unless_denied() {
    let site = Site::fixture("check/warnings");
    let run = verdict(site.root(), &["check"]);
    assert_eq!(run.code, 0);
    assert_eq!(heads(&run.stderr, "warning").len(), 15, "{}", run.stderr);
    assert_eq!(run.stderr.lines().last(), Some("check passed with 15 warnings"));

    let denied = verdict(site.root(), &["check", "--deny-warnings"]);
    assert_eq!(denied.code, 1);
    assert_eq!(
        denied.stderr.lines().last(),
        Some("check failed: 15 warnings (denied by `--deny-warnings`)")
    );
}

#[test]
fn errors_are_the_builds_and_fail() {
    let site = Site::fixture("diagnostics/content");
    let build = verdict(site.root(), &["build"]);
    let check = verdict(site.root(), &["check"]);
    assert_eq!(check.code, 1);
    assert_eq!(heads(&check.stderr, "error"), heads(&build.stderr, "error"));
    assert_eq!(heads(&check.stderr, "error").len(), 25);
    let last = check.stderr.lines().last().unwrap();
    assert!(last.starts_with("check failed: 25 errors, "), "{last}");
}

#[test]
fn warnings_are_reported_with_errors() {
    let site = Site::fixture("check/clean");
    site.write(
        "articles/broken.md",
        &article("Broken", "2025-01-01", "## Speed\n\n**Winner:** Rust\n\n[x](rust-vs-og.md)\n"),
    );
    site.write("articles/quiet.md", &article("Quiet", "2025-01-01", "No verdict.\n"));
    let run = verdict(site.root(), &["check"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        heads(&run.stderr, "error"),
        [
            "articles/broken.md:11:1: error: link to `rust-vs-og.md`: no article or page `articles/rust-vs-og.md`"
        ]
    );
    assert_eq!(
        heads(&run.stderr, "warning"),
        [
            "articles/quiet.md:2:1: warning: no winner callout: the article names no winner for any criterion"
        ]
    );
    assert!(run.stderr.contains("= help: did you mean `rust-vs-go.md`?"), "{}", run.stderr);
    assert_eq!(run.stderr.lines().last(), Some("check failed: 1 error, 1 warning"));
}

#[test]
fn drafts_are_checked_with_drafts() {
    let site = Site::fixture("check/warnings");
    let skipped = verdict(site.root(), &["check"]);
    assert!(!skipped.stderr.contains("drafty.md"), "{}", skipped.stderr);
    assert!(!skipped.stderr.contains("`dave`"), "an author of drafts only is not unused");

    let run = verdict(site.root(), &["check", "--drafts"]);
    assert!(
        run.stderr.contains("articles/drafty.md:2:1: warning: no winner callout"),
        "{}",
        run.stderr
    );
}

#[test]
fn stale_is_measured_from_today() {
    let today = jiff::ZonedDateTime::now().date();
    let days_ago = |n: i64| today.checked_sub(jiff::Span::new().days(n)).unwrap().to_string();
    let site = Site::fixture("check/clean");
    site.write("site.yaml", "title: T\nbase_url: https://example.com/\nstale_after_days: 30\n");
    let body = "## Speed\n\n**Winner:** Rust\n";
    let with_verified = |verified: &str| {
        article("X", "2020-01-01", body)
            .replace("---\n##", &format!("verified: {verified}\n---\n##"))
    };
    site.write("articles/rust-vs-go.md", &with_verified(&days_ago(29)));
    site.write("articles/stale.md", &with_verified(&days_ago(31)));
    let run = verdict(site.root(), &["check"]);
    assert_eq!(
        heads(&run.stderr, "warning"),
        [format!(
            "articles/stale.md:6:11: warning: last verified on {}, more than 30 days ago (`stale_after_days`)",
            days_ago(31)
        )],
        "{}",
        run.stderr
    );
}

#[test]
fn future_dated_articles_are_published_with_a_warning_at_their_date() {
    let today = jiff::ZonedDateTime::now().date();
    let site = Site::fixture("check/clean");
    let body = "## Speed\n\n**Winner:** Rust\n";
    site.write("articles/future.md", &article("Future", "2999-01-01", body));
    site.write(
        "articles/updated.md",
        &article("Updated", &today.to_string(), body)
            .replace("author: jane\n", "author: jane\nupdated: 2999-02-03\n"),
    );
    let run = verdict(site.root(), &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        heads(&run.stderr, "warning"),
        [
            format!(
                "articles/future.md:3:7: warning: dated 2999-01-01, after today ({today}): verdict publishes it now, with that date"
            ),
            format!(
                "articles/updated.md:5:10: warning: updated on 2999-02-03, after today ({today}): verdict publishes it now, with that date"
            ),
        ],
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("= help: fix the `date:`, or keep the article `draft: true` until it is due"),
        "{}",
        run.stderr
    );
    assert_eq!(verdict(site.root(), &["check", "--deny-warnings"]).code, 1);
    let build = site.build_ok(&[]);
    assert!(build.exists("future/index.html"), "published anyway");
    assert!(build.read("index.html").contains("/future/"), "listed like any other");
}

#[test]
fn placeholders_of_new_are_warnings_at_their_lines() {
    let site = Site::new();
    assert_eq!(verdict(site.root(), &["new", "Rust vs Go"]).code, 0);
    let path = site.path("articles/rust-vs-go.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let expected: Vec<String> = text
        .lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let column = line.find("TODO")? + 1;
            let message = if line.starts_with("**Winner:**") {
                "winner callout is still a placeholder (`TODO`), so it counts as a tie"
            } else {
                "placeholder text (`TODO`) left in the article"
            };
            Some(format!("articles/rust-vs-go.md:{}:{column}: warning: {message}", i + 1))
        })
        .collect();
    // The intro, three criteria with their callouts, and a reason per contender.
    assert_eq!(expected.len(), 9, "{text}");
    let run = verdict(site.root(), &["check", "--drafts"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(heads(&run.stderr, "warning"), expected, "{}", run.stderr);
    let denied = verdict(site.root(), &["check", "--drafts", "--deny-warnings"]);
    assert_eq!(denied.code, 1, "{}", denied.stderr);
    assert_eq!(
        denied.stderr.lines().last(),
        Some("check failed: 9 warnings (denied by `--deny-warnings`)")
    );

    // Written out, the article passes; `TODO` in code or mid-sentence is no placeholder.
    let written = text
        .lines()
        .filter(|l| !l.contains("TODO") || l.starts_with("**Winner:**"))
        .map(|l| if l.starts_with("**Winner:**") { "**Winner:** Rust." } else { l })
        .collect::<Vec<_>>()
        .join("\n")
        .replace(
            "## Choose Rust if\n",
            "## Choose Rust if\n\n- You want speed; TODO lists are fine.\n",
        )
        .replace(
            "## Choose Go if\n",
            "## Choose Go if\n\n- You want simplicity.\n\n```\nTODO: in code\n```\n",
        );
    site.write("articles/rust-vs-go.md", &written);
    let run = verdict(site.root(), &["check", "--drafts", "--deny-warnings"]);
    assert_eq!(run.code, 0, "{}\n{written}", run.stderr);
}

#[test]
fn bundle_and_static_images_are_found() {
    let site = Site::fixture("bundles/basic");
    let run = verdict(site.root(), &["check"]);
    assert!(!run.stderr.contains("image"), "{}", run.stderr);
}

#[test]
fn help_lists_every_flag() {
    let site = Site::new();
    let run = verdict(site.root(), &["check", "--help"]);
    assert_eq!(run.code, 0);
    for flag in ["--root", "--drafts", "--deny-warnings", "--format"] {
        assert!(run.stdout.contains(flag), "{flag} missing:\n{}", run.stdout);
    }
}

#[test]
fn root_flag_and_missing_site() {
    let site = Site::fixture("check/clean");
    let run = verdict(site.tmp(), &["check", "--root", "site"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let missing = verdict(site.tmp(), &["check", "--root", "nope"]);
    assert_eq!(missing.code, 1);
    assert!(
        missing.stderr.starts_with("site.yaml: error: no `site.yaml` in `nope`"),
        "{}",
        missing.stderr
    );
}

#[test]
fn root_relative_images_must_stay_under_the_base_path() {
    let site = Site::fixture("check/clean");
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://example.com/blog/\nstale_after_days: 36500\n",
    );
    site.write_bytes("static/img/x.png", &crate::support::png(2, 2));
    site.write(
        "articles/pics.md",
        &article(
            "Pics",
            "2025-01-01",
            "## Speed\n\n**Winner:** Rust ![x](/img/x.png) ![y](../img/x.png)\n",
        )
        .replace("author: jane\n", "author: jane\nimage: /img/x.png\n"),
    );
    let run = verdict(site.root(), &["check"]);
    assert_eq!(
        heads(&run.stderr, "warning"),
        [
            "articles/pics.md:10:18: warning: image `/img/x.png` is outside the site's base path `/blog/`"
        ],
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("= help: paths in Markdown are used as written: write it relative to the page, like `../img/x.png`"),
        "{}",
        run.stderr
    );
}
