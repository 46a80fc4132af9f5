//! Root-relative links (`/compare/go/`) and absolute links on the site's own address lead
//! to a path the build writes, or are errors located at the link with a did-you-mean.

use crate::diagnostics::verdict;
use crate::support::{Diagnostic, Site, article, snapshot};

/// The fixture with an article `broken.md` whose body is `body` (its first line is line 7).
fn with_article(body: &str) -> Site {
    let site = Site::fixture("site_links/ok");
    site.write("articles/broken.md", &article("Broken", "2025-01-05", body));
    site
}

/// `(path, line, column, message, help)` of each error.
fn located(errors: &[Diagnostic]) -> Vec<(String, (usize, usize), String, String)> {
    errors
        .iter()
        .map(|e| {
            let help = e.help.clone().unwrap_or_default();
            (e.path.clone(), e.location.unwrap_or_default(), e.message.clone(), help)
        })
        .collect()
}

#[test]
fn links_to_pages_and_files_the_build_writes_pass_as_written() {
    let site = Site::fixture("site_links/ok");
    let build = site.build_ok(&[]);
    let hrefs = build.html("rust-vs-go/index.html").attrs(".prose a:not(.heading-anchor)", "href");
    assert_eq!(
        hrefs,
        [
            "/compare/go/",
            "/tags/backend/",
            "/authors/jane/",
            "/about",
            "/files/guide.pdf?v=2",
            "/feed.xml",
            "/",
            "https://example.com/rust-vs-go/#speed",
            "https://example.org/nope/",
            "mailto:jane@example.com"
        ]
    );
}

#[test]
fn errors_on_a_missing_hub_with_did_you_mean() {
    let build = with_article("Intro.\n\nSee [Go](/compare/goo/#speed).\n").build(&[]);
    let errors = build.assert_site_error();
    assert_eq!(
        located(&errors),
        [(
            "articles/broken.md".to_string(),
            (9, 5),
            "link to `/compare/goo/#speed`: the site has no page `/compare/goo/`".to_string(),
            "did you mean `/compare/go/`?".to_string()
        )],
        "{}",
        build.stderr
    );
}

#[test]
fn errors_on_a_missing_tag_and_author() {
    let build = with_article("[t](/tags/nope/) and [a](/authors/x/)\n").build(&[]);
    let errors = build.assert_site_error();
    let places: Vec<_> = errors.iter().map(|e| (e.location, e.message.as_str())).collect();
    assert_eq!(
        places,
        [
            (Some((7, 1)), "link to `/tags/nope/`: the site has no page `/tags/nope/`"),
            (Some((7, 22)), "link to `/authors/x/`: the site has no page `/authors/x/`"),
        ],
        "{}",
        build.stderr
    );
    assert!(errors.iter().all(|e| !e.help.as_deref().unwrap_or("").contains("did you mean")));
}

#[test]
fn static_files_are_site_paths() {
    with_article("[ok](/files/guide.pdf)\n").build_ok(&[]);
    let build = with_article("[pdf](/files/gide.pdf)\n").build(&[]);
    let errors = build.assert_site_error();
    assert_eq!(errors.len(), 1, "{}", build.stderr);
    assert_eq!(errors[0].location, Some((7, 1)));
    assert_eq!(errors[0].help.as_deref(), Some("did you mean `/files/guide.pdf`?"));
}

#[test]
fn absolute_links_on_the_site_address_are_checked_by_their_path() {
    with_article("[ok](https://example.com/about/) [other](https://example.net/nope/)\n")
        .build_ok(&[]);
    let build = with_article("[x](https://example.com/rust-vs-gox/)\n").build(&[]);
    let errors = build.assert_site_error();
    assert_eq!(
        located(&errors),
        [(
            "articles/broken.md".to_string(),
            (7, 1),
            "link to `https://example.com/rust-vs-gox/`: the site has no page `/rust-vs-gox/`"
                .to_string(),
            "did you mean `https://example.com/rust-vs-go/`?".to_string()
        )],
        "{}",
        build.stderr
    );
}

#[test]
fn links_in_pages_and_contender_descriptions_are_checked() {
    let site = Site::fixture("site_links/ok");
    site.write("pages/about.md", "---\ntitle: About\n---\nSee [Jane](/authors/jne/).\n");
    site.write(
        "contenders.yaml",
        "go:\n  name: Go\n  description: A language; compare it with [Rust](/compare/rst/).\n",
    );
    let build = site.build(&[]);
    let errors = build.assert_site_error();
    let found: Vec<_> = errors
        .iter()
        .map(|e| (e.path.as_str(), e.location, e.help.as_deref().unwrap_or_default()))
        .collect();
    assert_eq!(
        found,
        [
            ("contenders.yaml", Some((3, 44)), "did you mean `/compare/rust/`?"),
            ("pages/about.md", Some((4, 5)), "did you mean `/authors/jane/`?"),
        ],
        "{}",
        build.stderr
    );
}

#[test]
fn root_relative_links_are_taken_as_written_under_a_base_path() {
    let site = Site::fixture("site_links/ok");
    site.write("site.yaml", "title: T\nbase_url: https://example.com/blog/\n");
    // The fixture's links leave out the base path: those that name a site path are errors.
    let build = site.build(&[]);
    let errors = build.assert_site_error();
    let first = &errors[0];
    assert_eq!(
        (first.path.as_str(), first.location),
        ("articles/rust-vs-go.md", Some((8, 5))),
        "{}",
        build.stderr
    );
    assert_eq!(
        first.message,
        "link to `/compare/go/` is outside the site's base path `/blog/`: links are taken as written"
    );
    assert_eq!(first.help.as_deref(), Some("did you mean `/blog/compare/go/`?"));
    // `/about`, `/files/guide.pdf?v=2`, `/feed.xml`, `/` too; the absolute URL
    // `https://example.com/rust-vs-go/` is outside the base path as well.
    assert_eq!(errors.len(), 10, "{}", build.stderr);

    // Written with the base path, they pass; a path of the host outside the site that
    // names no site path is left alone.
    for rel in ["articles/rust-vs-go.md", "pages/about.md", "contenders.yaml"] {
        let text = std::fs::read_to_string(site.path(rel)).unwrap();
        let text = text.replace("](/", "](/blog/").replace("example.com/", "example.com/blog/");
        site.write(rel, &text);
    }
    site.write("articles/broken.md", &article("Shop", "2025-01-05", "[shop](/shop/)\n"));
    let build = site.build_ok(&[]);
    let hrefs = build.html("rust-vs-go/index.html").attrs(".prose a:not(.heading-anchor)", "href");
    assert_eq!(hrefs[0], "/blog/compare/go/");
    let build = with_article("[x](/blog/compare/goo/)\n")
        .build(&["--base-url", "https://example.com/blog/"]);
    let errors = build.assert_site_error();
    assert_eq!(errors.len(), 11, "the fixture's links, and the broken one: {}", build.stderr);
    let broken = errors.iter().find(|e| e.path == "articles/broken.md").unwrap();
    assert_eq!(broken.help.as_deref(), Some("did you mean `/blog/compare/go/`?"));
}

#[test]
fn check_reports_them_like_build() {
    let site = with_article("[x](/compare/goo/)\n");
    let build = verdict(site.root(), &["build"]);
    let check = verdict(site.root(), &["check"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    let heads = |report: &str| -> Vec<String> {
        report.lines().filter(|l| l.contains(": error: ")).map(str::to_string).collect()
    };
    assert_eq!(
        heads(&check.stderr),
        [
            "articles/broken.md:7:1: error: link to `/compare/goo/`: the site has no page `/compare/goo/`"
        ]
    );
    assert_eq!(heads(&check.stderr), heads(&build.stderr));
}

#[test]
fn a_failed_link_check_leaves_the_previous_output_as_it_was() {
    let site = Site::fixture("site_links/ok");
    site.build_ok(&[]);
    let before = snapshot(&site.path("dist"));
    assert!(!before.is_empty());
    site.write("articles/broken.md", &article("Broken", "2025-01-05", "[x](/tags/nope/)\n"));
    site.build(&[]).assert_site_error();
    assert!(snapshot(&site.path("dist")) == before, "dist/ changed");
}

#[test]
fn warm_builds_still_report_them_until_the_target_exists() {
    let site = Site::fixture("site_links/ok");
    // The article's outline is cached by a good build; the file it links to goes away, and
    // the cached outline still holds the link.
    site.build_ok(&[]);
    site.remove("static/files/guide.pdf");
    for _ in 0..2 {
        let build = site.build(&[]);
        let errors = build.assert_site_error();
        assert_eq!(errors.len(), 1, "{}", build.stderr);
        assert_eq!(errors[0].path, "articles/rust-vs-go.md");
        assert!(errors[0].message.contains("/files/guide.pdf"), "{}", build.stderr);
    }
    site.write("static/files/guide.pdf", "PDF again");
    site.build_ok(&[]);
    site.build_ok(&[]);
}

#[test]
fn a_broken_site_yaml_hides_no_link_error_and_invents_none() {
    // Another key is wrong: the links are checked for the address site.yaml gives.
    let site = with_article("[x](/compare/goo/)\n");
    site.write("site.yaml", "title: T\nbase_url: https://example.com/\npaginat: 3\n");
    let build = site.build(&[]);
    let paths: Vec<String> = build.assert_site_error().into_iter().map(|e| e.path).collect();
    assert_eq!(paths, ["articles/broken.md", "site.yaml"], "{}", build.stderr);

    // `base_url` itself is wrong: links written for the real address are not checked
    // against a stand-in.
    let site = with_article("[x](/blog/compare/go/)\n");
    site.write("site.yaml", "title: T\nbase_url: example.com/blog/\n");
    let build = site.build(&[]);
    let paths: Vec<String> = build.assert_site_error().into_iter().map(|e| e.path).collect();
    assert_eq!(paths, ["site.yaml"], "{}", build.stderr);
}
