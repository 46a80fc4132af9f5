//! The full text of every diagnostic: `path:line:col: error: message`, the source line
//! under a gutter with a caret under the column, `= help:`, sorted by file and line, and
//! the count at the end; colors only when asked for; `--format json`.
//!
//! Snapshots are in `tests/suite/snapshots/`; after changing a message, review them with
//! `cargo insta review` (or `INSTA_UPDATE=always cargo test --test suite` and a diff).

use std::path::Path;
use std::process::Command;

use crate::support::{BIN, Site, article};

/// What a run of the binary printed.
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

/// `verdict <args>` in the folder `cwd`, with colors left to verdict's own choice for a
/// pipe (none) unless `env` says otherwise.
pub(crate) fn verdict_with(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = Command::new(BIN);
    command.args(args).current_dir(cwd).env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE");
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().expect("run verdict");
    Run {
        code: output.status.code().expect("exit code"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `verdict <args>` in the folder `cwd`.
pub(crate) fn verdict(cwd: &Path, args: &[&str]) -> Run {
    verdict_with(cwd, args, &[])
}

/// The report of a failed `verdict build` of `site`, run inside it.
fn build_errors(site: &Site) -> String {
    let run = verdict(site.root(), &["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    run.stderr
}

#[test]
fn content_errors_show_their_source_line() {
    let site = Site::fixture("diagnostics/content");
    insta::assert_snapshot!("content_errors", build_errors(&site));
}

#[test]
fn site_yaml_errors() {
    let cases: &[(&str, Option<&str>)] = &[
        ("unknown key", Some("title: T\nbase_url: https://example.com/\npaginat: 3\n")),
        ("missing title", Some("base_url: https://example.com/\n")),
        ("missing base_url", Some("title: T\n")),
        ("relative base_url", Some("title: T\nbase_url: example.com\n")),
        ("zero paginate", Some("title: T\nbase_url: https://example.com/\npaginate: 0\n")),
        (
            "two-word label",
            Some("title: T\nbase_url: https://example.com/\nwinner_label: The winner\n"),
        ),
        (
            "unknown code theme",
            Some("title: T\nbase_url: https://example.com/\nhighlight:\n  light: InspiredGitHb\n"),
        ),
        ("unknown theme", Some("title: T\nbase_url: https://example.com/\ntheme: fancy\n")),
        ("bad YAML", Some("title: [T\nbase_url: https://example.com/\n")),
        ("empty", Some("\n")),
        ("missing", None),
    ];
    let mut report = String::new();
    for (case, yaml) in cases {
        let site = Site::new();
        match yaml {
            Some(yaml) => site.write("site.yaml", yaml),
            None => site.remove("site.yaml"),
        };
        report.push_str(&format!("== {case}\n{}", build_errors(&site)));
    }
    // The list of code themes is long and belongs to two-face.
    let report = report
        .lines()
        .map(|l| match l.find("known themes: ") {
            Some(i) => format!("{}known themes: ...", &l[..i]),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!("site_yaml_errors", report);
}

#[test]
fn template_errors() {
    let cases: &[(&str, &[(&str, &str)])] = &[
        ("unknown parent", &[("templates/page.html", "{% extends \"bse.html\" %}\n")]),
        (
            "unknown include",
            &[
                ("templates/partial.html", "<p>partial</p>\n"),
                (
                    "templates/page.html",
                    "{% extends \"base.html\" %}\n{% block content %}\n  {% include \"partal.html\" %}\n{% endblock %}\n",
                ),
            ],
        ),
        (
            "syntax",
            &[(
                "templates/page.html",
                "{% extends \"base.html\" %}\n{% block content %}\n{{ page.title }\n{% endblock %}\n",
            )],
        ),
        (
            "rendering",
            &[(
                "templates/page.html",
                "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.no_such_field }}</h1>\n{% endblock %}\n",
            )],
        ),
    ];
    let mut report = String::new();
    for (case, files) in cases {
        let site = Site::new();
        site.write("pages/about.md", "---\ntitle: About\n---\nAbout.\n");
        for (path, text) in *files {
            site.write(path, text);
        }
        report.push_str(&format!("== {case}\n{}", build_errors(&site)));
    }
    insta::assert_snapshot!("template_errors", report);
}

#[test]
fn more_errors() {
    let mut report = String::new();

    let site = Site::new();
    site.write(
        "articles/empty-title.md",
        "---\ntitle: \" \"\ndate: 2025-01-01\nauthor: jane\ncontenders: [Rust, Go]\n---\n",
    );
    site.write(
        "articles/no-id.md",
        &article("No id", "2025-01-01", "").replace("[Rust, Go]", "[\"!!!\", Go]"),
    );
    site.write("pages/bad.md", "---\ntitle: Bad\nslug: a b\n---\nBad.\n");
    site.write("contenders.yaml", "bad id!:\n  name: X\nnoname:\n  url: https://x.org\n");
    report.push_str(&format!("== content\n{}", build_errors(&site)));

    let site = Site::new();
    site.write("taken", "a file");
    for (case, args) in [
        ("output inside the site's content", ["build", "--output", "articles/out"]),
        ("output is a file", ["build", "--output", "taken"]),
        ("bad --base-url", ["build", "--base-url", "ftp://example.com/"]),
    ] {
        let run = verdict(site.root(), &args);
        assert_eq!(run.code, 1, "{}", run.stderr);
        report.push_str(&format!("== {case}\n{}", run.stderr));
    }

    let site = Site::new();
    site.write("site.yaml", "title: T\nbase_url: https://example.com/\ntheme: mine\n");
    site.write(
        "themes/mine/templates/base.html",
        "<html>{% block content %}{% endblock %}</html>\n",
    );
    report.push_str(&format!("== incomplete theme\n{}", build_errors(&site)));

    insta::assert_snapshot!("more_errors", report);
}

#[test]
fn check_warnings_show_their_source_line() {
    let site = Site::fixture("check/warnings");
    let run = verdict(site.root(), &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("check_warnings", run.stderr);
}

#[test]
fn caret_counts_characters_and_wide_ones_twice() {
    let site = Site::new();
    site.write(
        "articles/a.md",
        &article("A", "2025-01-01", "## Speed\n\n**Winner:** Rust\n\n日本語で [x](nope.md)\n"),
    );
    assert_eq!(
        build_errors(&site),
        "articles/a.md:11:6: error: link to `nope.md`: no article or page `articles/nope.md`\n   \
         |\n\
         11 | 日本語で [x](nope.md)\n   \
         |          ^\n   \
         = help: link to an existing article's file, like `rust-vs-go.md`\n\
         \n\
         build failed: 1 error\n"
    );
}

#[test]
fn caret_follows_tabs() {
    let site = Site::new();
    site.write("articles/a.md", &article("A", "2025-01-01", "See\tthis: [x](nope.md)\n"));
    let report = build_errors(&site);
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(
        lines[0],
        "articles/a.md:7:11: error: link to `nope.md`: no article or page `articles/nope.md`"
    );
    assert_eq!(lines[2], "7 | See    this: [x](nope.md)", "a tab is shown as four spaces");
    assert_eq!(lines[3], "  |              ^");
}

#[test]
fn colors_on_request_only() {
    let site = Site::fixture("diagnostics/content");
    let plain = verdict(site.root(), &["build"]).stderr;
    assert!(!plain.contains('\x1b'), "no colors in a pipe");

    let forced = verdict_with(site.root(), &["build"], &[("CLICOLOR_FORCE", "1")]).stderr;
    assert!(forced.contains("\x1b[1m\x1b[91merror:\x1b[0m"), "bold red `error:`: {forced}");
    assert_eq!(strip_ansi(&forced), plain, "the colors are all that differ");

    let no_color =
        verdict_with(site.root(), &["build"], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
    assert_eq!(no_color.stderr, plain, "NO_COLOR wins");
}

#[test]
fn build_json_is_one_object_per_line_on_stdout() {
    let site = Site::fixture("diagnostics/content");
    let run = verdict(site.root(), &["build", "--format", "json"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, "build failed: 25 errors\n");
    insta::assert_snapshot!("content_errors_json", run.stdout);
    for line in run.stdout.lines() {
        let value: serde_json::Value = serde_json::from_str(line).expect("one JSON object a line");
        let keys: Vec<&str> = value.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys.len(), 6, "{line}");
        assert_eq!(value["severity"], "error");
    }
}

#[test]
fn check_json_has_warnings_too() {
    let site = Site::fixture("check/warnings");
    let run = verdict(site.root(), &["check", "--format", "json"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stderr, "check passed with 15 warnings\n");
    let first: serde_json::Value =
        serde_json::from_str(run.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(
        first,
        serde_json::json!({
            "severity": "warning",
            "path": "articles/bun-vs-deno/index.md",
            "line": 2,
            "column": 1,
            "message": "no winner callout: the article names no winner for any criterion",
            "hint": "end each `##` criterion with a paragraph starting `**Winner:**`, like `**Winner:** Bun, for ...`",
        })
    );
    assert_eq!(run.stdout.lines().count(), 15);
}

/// `text` without ANSI escape sequences.
fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
