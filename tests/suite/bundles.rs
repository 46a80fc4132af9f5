//! Bundles: `articles/<name>/index.md` with its files beside it.

use crate::support::{Site, fixture_dir};

#[test]
fn bundle_builds_to_its_folder_with_its_files() {
    let build = Site::fixture("bundles/basic").build_ok(&[]);
    assert!(build.exists("foo/index.html"));
    let source = std::fs::read(fixture_dir("bundles/basic/articles/foo/diagram.png")).unwrap();
    assert_eq!(std::fs::read(build.path("foo/diagram.png")).unwrap(), source);
    assert!(build.exists("foo/img/nested.svg"));
    assert!(!build.exists("foo/index.md"), "the source is not copied");
}

#[test]
fn bundle_images_resolve_beside_the_page() {
    let build = Site::fixture("bundles/basic").build_ok(&[]);
    let page = build.html("foo/index.html");
    assert_eq!(page.attrs(".prose img", "src"), ["diagram.png", "img/nested.svg"]);
}

#[test]
fn bundle_image_is_the_social_preview() {
    let build = Site::fixture("bundles/basic").build_ok(&[]);
    let page = build.html("foo/index.html");
    let images = page.attrs("meta[property=\"og:image\"]", "content");
    assert!(images.contains(&"https://example.com/foo/diagram.png".to_string()), "{images:?}");
    // OpenGraph wants absolute URLs.
    for image in &images {
        assert!(image.starts_with("https://"), "relative og:image: {images:?}");
    }
}

#[test]
fn bundle_with_slug_moves_its_files() {
    let build = Site::fixture("bundles/basic").build_ok(&[]);
    assert!(build.exists("baz-vs-qux/index.html"));
    assert!(build.exists("baz-vs-qux/chart.png"));
    assert!(!build.exists("renamed"));
}

#[test]
fn bundle_is_listed_like_other_articles() {
    let build = Site::fixture("bundles/basic").build_ok(&[]);
    let home = build.html("index.html");
    let links = home.attrs(".card-title a", "href");
    assert_eq!(links, ["/foo/", "/baz-vs-qux/"]);
}
