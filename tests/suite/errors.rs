//! Site errors: one case per rule. Each case builds a good site, breaks it and builds
//! again, and checks the exit status, the `path:line:col: error: ...` report, and that
//! the previous output is still there byte for byte with no staging folder left.

use std::path::Path;

use crate::support::{Build, Diagnostic, Site, snapshot, staging_leftovers};

/// Builds `errors/base`, applies `change`, builds again; checks what every failed build
/// must do and returns the failed build and its diagnostics.
fn break_site(change: impl FnOnce(&Site)) -> (Build, Vec<Diagnostic>) {
    let site = Site::fixture("errors/base");
    let good = site.build_ok(&[]);
    let before = snapshot(&good.out);
    assert!(before.len() > 5, "the good build wrote the site");
    change(&site);
    let build = site.build(&[]);
    let diagnostics = build.assert_site_error();
    assert!(!diagnostics.is_empty(), "no diagnostic in:\n{}", build.stderr);
    for d in &diagnostics {
        assert!(!d.path.starts_with('/'), "path not relative to the site: {}", d.text);
    }
    assert!(snapshot(&build.out) == before, "the failed build changed the output");
    assert_eq!(staging_leftovers(site.root()), Vec::<String>::new());
    let n = diagnostics.len();
    let summary = format!("build failed: {n} error{}", if n == 1 { "" } else { "s" });
    assert_eq!(build.stderr.lines().last(), Some(summary.as_str()), "{}", build.stderr);
    (build, diagnostics)
}

/// [`break_site`] with the files of `tests/fixtures/errors/<case>/` copied over the site;
/// the one diagnostic it must give.
fn broken(case: &str) -> (Build, Diagnostic) {
    let (build, mut diagnostics) = break_site(|site| {
        site.overlay(&format!("errors/{case}"));
    });
    assert_eq!(diagnostics.len(), 1, "expected one error:\n{}", build.stderr);
    let d = diagnostics.remove(0);
    assert!(d.location.is_some(), "SPEC §7: every content error has a line and column: {}", d.text);
    (build, d)
}

fn assert_located(d: &Diagnostic, path: &str, line: usize) {
    assert_eq!(d.path, path, "{}", d.text);
    assert_eq!(d.location.map(|(l, _)| l), Some(line), "{}", d.text);
}

#[test]
fn unknown_front_matter_key() {
    let (_, d) = broken("unknown_key");
    assert_located(&d, "articles/good.md", 3);
    assert!(
        d.text.starts_with("articles/good.md:3:1: error: unknown field `descripton`"),
        "{}",
        d.text
    );
    assert_eq!(d.help.as_deref(), Some("did you mean `description`?"));
}

#[test]
fn unknown_contender_key() {
    let (build, d) = broken("unknown_contender_key");
    assert_located(&d, "articles/good.md", 8);
    assert!(d.message.contains("`alaises`"), "the message names the key:\n{}", build.stderr);
    assert_eq!(d.help.as_deref(), Some("did you mean `aliases`?"), "{}", build.stderr);
}

#[test]
fn missing_title() {
    let (_, d) = broken("missing_title");
    assert_eq!(d.path, "articles/good.md");
    assert!(d.location.is_some(), "{}", d.text);
    assert_eq!(d.message, "missing required key `title`");
    assert!(d.help.is_some());
}

#[test]
fn missing_date() {
    let (_, d) = broken("missing_date");
    assert_eq!(d.path, "articles/good.md");
    assert!(d.location.is_some(), "{}", d.text);
    assert_eq!(d.message, "missing required key `date`");
    assert!(d.help.as_deref().is_some_and(|h| h.contains("YYYY-MM-DD")), "{:?}", d.help);
}

#[test]
fn bad_date() {
    let (build, _) = broken("bad_date");
    assert_eq!(
        build.stderr,
        "articles/good.md:3:7: error: `date` is not a valid date: `2025-13-45`\n\
         \x20 |\n\
         3 | date: 2025-13-45\n\
         \x20 |       ^\n\
         \x20 = help: write dates as YYYY-MM-DD (or RFC 3339, 2025-03-02T10:00:00Z)\n\
         \n\
         build failed: 1 error\n"
    );
}

#[test]
fn fewer_than_two_contenders() {
    let (_, d) = broken("one_contender");
    assert_located(&d, "articles/good.md", 5);
    assert!(d.message.contains("at least two contenders"), "{}", d.text);
    assert!(d.help.is_some());
}

#[test]
fn unknown_author_near_miss() {
    let (build, _) = broken("unknown_author");
    assert_eq!(
        build.stderr,
        "articles/good.md:4:1: error: unknown author `jnae`\n\
         \x20 |\n\
         4 | author: jnae\n\
         \x20 | ^\n\
         \x20 = help: did you mean `jane`?\n\
         \n\
         build failed: 1 error\n"
    );
}

#[test]
fn unknown_author_far_off() {
    let (_, d) = broken("unknown_author_far");
    assert_located(&d, "articles/good.md", 4);
    assert_eq!(d.message, "unknown author `zebulon`");
    assert!(d.help.as_deref().is_some_and(|h| h.contains("authors/zebulon.md")), "{:?}", d.help);
}

#[test]
fn duplicate_slugs() {
    let (build, d) = broken("duplicate_slug");
    assert_eq!(d.path, "articles/other.md", "{}", build.stderr);
    assert!(d.message.contains("`good`") && d.message.contains("articles/good.md"), "{}", d.text);
    // SPEC §7: every content error has a line and column; here the `slug:` key.
    assert_eq!(d.location.map(|(l, _)| l), Some(3), "{}", d.text);
}

#[test]
fn missing_front_matter() {
    let (build, _) = broken("missing_front_matter");
    assert_eq!(
        build.stderr,
        "articles/good.md:1:1: error: missing front matter\n\
         \x20 |\n\
         1 | Just Markdown, no front matter.\n\
         \x20 | ^\n\
         \x20 = help: start the file with a `---` line, the YAML front matter, and another `---` line\n\
         \n\
         build failed: 1 error\n"
    );
}

#[test]
fn unclosed_front_matter() {
    let (_, d) = broken("unclosed_front_matter");
    assert_eq!(d.text, "articles/good.md:1:1: error: front matter is not closed");
    assert!(d.help.is_some());
}

#[test]
fn invalid_yaml_is_located_in_the_file() {
    // `title: Rust: the good parts` on line 2.
    let (_, d) = broken("invalid_yaml");
    assert_located(&d, "articles/good.md", 2);
}

#[test]
fn invalid_yaml_says_how_to_fix_it() {
    let (build, d) = broken("invalid_yaml");
    assert!(d.help.is_some(), "SPEC §7: each error says how to fix it:\n{}", build.stderr);
}

#[test]
fn invalid_yaml_message_has_no_fragment_line_numbers() {
    // `tags: [one, two` on line 5 is unclosed; YAML notices on line 6.
    let (build, d) = broken("invalid_yaml_flow");
    assert_eq!(d.path, "articles/good.md");
    let line = d.location.expect("located").0;
    assert!((5..=6).contains(&line), "{}", d.text);
    // The message may not carry another position, counted from the YAML block.
    assert!(
        !d.message.contains(" at line "),
        "SPEC §7: lines point into the file:\n{}",
        build.stderr
    );
}

#[test]
fn invalid_utf8() {
    let (_, d) = break_site(|site| {
        site.write_bytes("articles/good.md", b"---\ntitle: \"Bad \xff byte\"\n---\n");
    });
    assert_eq!(d.len(), 1);
    assert_located(&d[0], "articles/good.md", 2);
    assert!(d[0].message.contains("UTF-8"), "{}", d[0].text);
}

#[test]
fn empty_article_file() {
    let (_, d) = break_site(|site| {
        site.write("articles/good.md", "");
    });
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].path, "articles/good.md");
    assert!(d[0].location.is_some(), "{}", d[0].text);
}

#[test]
fn site_yaml_unknown_key() {
    let (_, d) = broken("site_unknown_key");
    assert!(d.text.starts_with("site.yaml:3:1: error: unknown field `paginat`"), "{}", d.text);
    assert_eq!(d.help.as_deref(), Some("did you mean `paginate`?"));
}

#[test]
fn site_yaml_missing() {
    let (_, d) = break_site(|site| {
        site.remove("site.yaml");
    });
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].path, "site.yaml");
    assert!(d[0].message.starts_with("no `site.yaml`"), "{}", d[0].text);
    assert!(d[0].help.is_some());
}

#[test]
fn site_yaml_missing_title() {
    let (_, d) = break_site(|site| {
        site.write("site.yaml", "base_url: https://example.com/\n");
    });
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].path, "site.yaml");
    assert_eq!(d[0].message, "missing required key `title`");
}

#[test]
fn site_yaml_relative_base_url() {
    let (_, d) = break_site(|site| {
        site.write("site.yaml", "title: T\nbase_url: example.com\n");
    });
    assert_eq!(d.len(), 1);
    assert_located(&d[0], "site.yaml", 2);
}

#[test]
fn template_syntax_error() {
    let (_, d) = broken("template_syntax");
    assert_located(&d, "templates/article.html", 3);
    assert!(d.message.starts_with("template error: "), "{}", d.text);
}

#[test]
fn template_rendering_error() {
    let (_, d) = broken("template_render");
    assert_located(&d, "templates/article.html", 4);
    assert!(d.message.contains("no_such_field"), "{}", d.text);
}

#[test]
fn several_errors_are_reported_together_sorted_by_file() {
    let (build, d) = break_site(|site| {
        site.overlay("errors/several");
    });
    let paths: Vec<&str> = d.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(
        paths,
        ["articles/good.md", "articles/other.md", "articles/third.md", "pages/about.md"],
        "{}",
        build.stderr
    );
    assert!(d[0].message.contains("2025-02-30"), "{}", d[0].text);
    assert!(d[1].message.contains("unknown field `tag`"), "{}", d[1].text);
    assert!(d[2].message.contains("nowhere.md"), "{}", d[2].text);
    assert!(d[3].message.contains("`title`"), "{}", d[3].text);
    for d in &d {
        assert!(d.location.is_some(), "{}", d.text);
    }
}

#[test]
fn errors_go_to_stderr_only() {
    let (build, _) = broken("bad_date");
    assert_eq!(build.stdout, "");
}

#[test]
fn slug_leaving_the_output_is_refused() {
    let (build, d) = break_site(|site| {
        site.write(
            "articles/evil.md",
            "---\ntitle: Evil\ndate: 2025-01-01\nslug: ../../escaped\nauthor: jane\n\
             contenders: [A, B]\n---\nBody.\n",
        );
    });
    assert_eq!(d.len(), 1, "{}", build.stderr);
    assert_located(&d[0], "articles/evil.md", 4);
    let tmp = build.out.parent().and_then(Path::parent).expect("tmp");
    assert!(!tmp.join("escaped").exists() && !tmp.parent().unwrap().join("escaped").exists());
}

#[test]
fn reserved_slug_is_an_error() {
    let (build, d) = break_site(|site| {
        site.write("articles/authors.md", &crate::support::article("Authors", "2025-01-01", ""));
    });
    assert_eq!(d.len(), 1, "{}", build.stderr);
    assert_eq!(d[0].path, "articles/authors.md");
    assert!(d[0].message.contains("reserved"), "{}", d[0].text);
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_an_error_not_a_panic() {
    let (build, d) = break_site(|site| {
        std::os::unix::fs::symlink(site.path("articles"), site.path("articles/loop")).unwrap();
    });
    assert_eq!(d.len(), 1, "{}", build.stderr);
    assert!(d[0].path.starts_with("articles/loop"), "{}", d[0].text);
}

#[test]
fn a_site_yaml_error_does_not_hide_the_contents_errors() {
    let site = Site::new();
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://example.com/\npaginat: 3\ndefault_author: jane\n",
    );
    site.write(
        "articles/good.md",
        "---\ntitle: Good\ndate: 2025-01-01\ncontenders: [A, B]\n---\nSee [nothing](missing.md).\n",
    );
    site.write("articles/bad.md", "---\ntitle: Bad\ndate: 2025-13-01\ncontenders: [A, B]\n---\n");
    let build = site.build(&[]);
    let errors = build.assert_site_error();
    let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["articles/bad.md", "articles/good.md", "site.yaml"], "{}", build.stderr);
    assert!(errors[0].message.contains("date"), "{:?}", errors[0]);
    assert!(errors[1].message.contains("missing.md"), "{:?}", errors[1]);
    assert!(errors[2].message.contains("paginat"), "{:?}", errors[2]);
    // `default_author` was read although `site.yaml` as a whole was not: `good.md`, which
    // names no author, has no error about that.
    assert!(!build.stderr.contains("no author"), "{}", build.stderr);
    assert!(!build.exists("index.html"), "nothing is written");
    let check = crate::diagnostics::verdict(site.root(), &["check"]);
    assert_eq!(check.code, 1);
    for file in ["articles/bad.md:", "articles/good.md:", "site.yaml:"] {
        assert!(check.stderr.contains(file), "check misses {file}: {}", check.stderr);
    }
}
