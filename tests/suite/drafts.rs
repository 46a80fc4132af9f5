//! Drafts are left out unless the build asks for them.

use crate::support::{Site, article};

fn site() -> Site {
    let site = Site::new();
    site.write("articles/published.md", &article("Published", "2025-01-01", "Out.\n"));
    site.write(
        "articles/wip.md",
        "---\ntitle: Work in progress\ndate: 2025-01-02\nauthor: jane\ndraft: true\n\
         contenders: [Rust, Go]\n---\nNot yet.\n",
    );
    site.write("pages/secret.md", "---\ntitle: Secret\ndraft: true\n---\nHidden page.\n");
    site
}

#[test]
fn drafts_are_skipped_by_default() {
    let build = site().build_ok(&[]);
    assert!(build.exists("published/index.html"));
    assert!(!build.exists("wip"));
    assert!(!build.exists("secret"));
    for (path, html) in build.html_files() {
        assert!(!html.contains("/wip/"), "{} links to the draft", path.display());
        assert!(!html.contains("Work in progress"), "{} names the draft", path.display());
    }
}

#[test]
fn drafts_are_built_with_the_flag() {
    let build = site().build_ok(&["--drafts"]);
    assert!(build.exists("published/index.html"));
    let page = build.html("wip/index.html");
    assert_eq!(page.text("h1"), "Work in progress");
    assert!(build.exists("secret/index.html"));
    let home = build.html("index.html");
    assert_eq!(home.attrs(".card-title a", "href"), ["/wip/", "/published/"]);
}

#[test]
fn invalid_drafts_are_still_errors() {
    let site = site();
    site.write("articles/broken-draft.md", "---\ntitle: X\ndraft: true\n---\n");
    let build = site.build(&[]);
    let errors = build.assert_site_error();
    assert!(errors.iter().all(|e| e.path == "articles/broken-draft.md"), "{}", build.stderr);
}
