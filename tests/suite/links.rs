//! Relative links to Markdown files become their target's URL; broken ones are errors
//! located at the link.

use crate::support::{Site, article};

fn hrefs(site: &Site, args: &[&str], page: &str) -> Vec<String> {
    site.build_ok(args).html(page).attrs(".prose a:not(.heading-anchor)", "href")
}

#[test]
fn rewrites_links_to_sibling_articles_and_pages() {
    let site = Site::fixture("links/ok");
    assert_eq!(
        hrefs(&site, &[], "a/index.html"),
        ["/b/", "/b/#part-two", "/c/", "/about/", "https://example.org/x.md", "#intro"]
    );
}

#[test]
fn rewrites_links_out_of_a_bundle() {
    let site = Site::fixture("links/ok");
    assert_eq!(hrefs(&site, &[], "c/index.html"), ["/a/", "/b/#part-two"]);
}

#[test]
fn rewrites_links_from_pages() {
    let site = Site::fixture("links/ok");
    assert_eq!(hrefs(&site, &[], "about/index.html"), ["/a/"]);
}

#[test]
fn rewritten_links_include_the_base_path() {
    let site = Site::fixture("links/ok");
    assert_eq!(
        hrefs(&site, &["--base-url", "https://example.com/blog/"], "a/index.html"),
        [
            "/blog/b/",
            "/blog/b/#part-two",
            "/blog/c/",
            "/blog/about/",
            "https://example.org/x.md",
            "#intro"
        ]
    );
}

fn broken(body: &str) -> crate::support::Build {
    let site = Site::fixture("links/ok");
    site.write("articles/broken.md", &article("Broken", "2025-01-05", body));
    site.build(&[])
}

#[test]
fn errors_on_link_to_missing_article() {
    // The body starts on line 7 of the file.
    let build = broken("Intro.\n\nSee [the other one](missing.md) too.\n");
    let errors = build.assert_site_error();
    assert_eq!(errors.len(), 1, "{}", build.stderr);
    assert_eq!(errors[0].path, "articles/broken.md");
    assert_eq!(errors[0].location, Some((9, 5)), "{}", build.stderr);
    assert!(errors[0].message.contains("`missing.md`"), "{}", build.stderr);
}

#[test]
fn errors_on_link_to_missing_anchor() {
    let build = broken("Line one.\n[B](b.md#part-three)\n");
    let errors = build.assert_site_error();
    assert_eq!(errors.len(), 1, "{}", build.stderr);
    assert_eq!(errors[0].path, "articles/broken.md");
    assert_eq!(errors[0].location, Some((8, 1)), "{}", build.stderr);
    assert!(errors[0].message.contains("part-three"), "{}", build.stderr);
}

#[test]
fn errors_on_link_to_missing_anchor_in_a_bundle() {
    let build = broken("[C](c/index.md#nowhere)\n");
    let errors = build.assert_site_error();
    assert_eq!(errors.len(), 1, "{}", build.stderr);
    assert!(errors[0].message.contains("nowhere"), "{}", build.stderr);
}

#[test]
fn errors_on_link_leaving_the_site() {
    let build = broken("[x](../../../../etc/passwd.md)\n");
    let errors = build.assert_site_error();
    assert_eq!(errors.len(), 1, "{}", build.stderr);
    assert_eq!(errors[0].location, Some((7, 1)), "{}", build.stderr);
}

#[test]
fn link_to_a_draft_needs_drafts() {
    let site = Site::fixture("links/ok");
    site.write(
        "articles/draft.md",
        "---\ntitle: D\ndate: 2025-01-09\nauthor: jane\ndraft: true\ncontenders: [A, B]\n---\nDraft.\n",
    );
    site.write("articles/linker.md", &article("Linker", "2025-01-08", "[D](draft.md)\n"));
    let build = site.build(&[]);
    let errors = build.assert_site_error();
    assert_eq!(errors.len(), 1, "{}", build.stderr);
    assert_eq!(errors[0].path, "articles/linker.md");
    assert!(errors[0].message.contains("draft"), "{}", build.stderr);
    assert_eq!(hrefs(&site, &["--drafts"], "linker/index.html"), ["/draft/"]);
}
