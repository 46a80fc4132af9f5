//! Authors: the bio box on articles, `/authors/` and `/authors/<id>/`.

use crate::support::{Build, Site, text};

fn two() -> Build {
    Site::fixture("authors/two").build_ok(&[])
}

#[test]
fn article_shows_the_author_bio_box() {
    let page = two().html("rust-vs-go/index.html");
    let box_ = page.one(".author-box");
    let content = text(box_);
    assert!(content.contains("Jane Doe"), "{content}");
    assert!(content.contains("Staff engineer"), "{content}");
    assert!(content.contains("Jane has shipped Rust and Go services for ten years."), "{content}");
    assert!(box_.html().contains("<strong>Rust</strong>"), "the bio is rendered Markdown");
}

#[test]
fn bio_box_links_to_the_author_page() {
    let page = two().html("rust-vs-go/index.html");
    let links = page.attrs(".author-box a", "href");
    assert!(links.iter().any(|h| h == "/authors/jane/"), "{links:?}");
}

#[test]
fn bio_box_shows_avatar_and_links() {
    let page = two().html("rust-vs-go/index.html");
    assert_eq!(page.attrs(".author-box img", "src"), ["/img/jane.png"]);
    let links = page.attrs(".author-box a", "href");
    assert!(links.iter().any(|h| h == "https://github.com/jane"), "{links:?}");
    assert!(links.iter().any(|h| h == "https://jane.example.com"), "{links:?}");
}

#[test]
fn authors_page_lists_every_author() {
    let page = two().html("authors/index.html");
    let links = page.attrs("main a", "href");
    for id in ["bob", "carol", "jane"] {
        assert!(links.contains(&format!("/authors/{id}/")), "{id} missing from {links:?}");
    }
}

#[test]
fn author_page_lists_their_articles() {
    let build = two();
    let page = build.html("authors/jane/index.html");
    assert_eq!(page.text("h1"), "Jane Doe");
    let links = page.attrs("main a", "href");
    assert!(links.contains(&"/rust-vs-go/".to_string()), "{links:?}");
    assert!(links.contains(&"/vim-vs-emacs/".to_string()), "{links:?}");
    assert!(!links.contains(&"/postgres-vs-mysql/".to_string()), "{links:?}");
    let first = page.source.find("/rust-vs-go/").unwrap();
    let second = page.source.find("/vim-vs-emacs/").unwrap();
    assert!(first < second, "newest first");
}

#[test]
fn default_author_writes_articles_without_author() {
    let build = two();
    let article = build.html("postgres-vs-mysql/index.html");
    assert_eq!(article.text(".author-box-heading a"), "Bob Stone");
    let page = build.html("authors/bob/index.html");
    assert!(page.attrs("main a", "href").contains(&"/postgres-vs-mysql/".to_string()));
}

#[test]
fn author_without_articles_still_has_a_page() {
    let page = two().html("authors/carol/index.html");
    assert_eq!(page.text("h1"), "Carol Quiet");
    assert!(!page.has("main .card"), "{}", page.source);
}

#[test]
fn missing_author_name_is_an_error() {
    let site = Site::new();
    site.write("authors/nameless.md", "---\nrole: Ghost\n---\nBio.\n");
    let build = site.build(&[]);
    let errors = build.assert_site_error();
    assert_eq!(errors.len(), 1, "{}", build.stderr);
    assert_eq!(errors[0].path, "authors/nameless.md");
    assert!(errors[0].message.contains("missing required key `name`"), "{}", build.stderr);
}

fn json_ld(page: &crate::support::Page) -> serde_json::Value {
    let script = page.one("script[type=\"application/ld+json\"]");
    serde_json::from_str(&script.inner_html()).expect("JSON-LD parses")
}

fn typed<'a>(ld: &'a serde_json::Value, kind: &str) -> &'a serde_json::Value {
    let graph = ld["@graph"].as_array().expect("@graph");
    graph.iter().find(|v| v["@type"] == kind).unwrap_or_else(|| panic!("no {kind} in {ld}"))
}

#[test]
fn author_page_is_a_profile_page_of_a_person_with_their_links() {
    let build = two();
    let ld = json_ld(&build.html("authors/jane/index.html"));
    let profile = typed(&ld, "ProfilePage");
    assert_eq!(profile["url"], "https://example.com/authors/jane/");
    let person = &profile["mainEntity"];
    assert_eq!(person["@type"], "Person");
    assert_eq!(person["name"], "Jane Doe");
    assert_eq!(person["url"], "https://example.com/authors/jane/");
    assert_eq!(person["jobTitle"], "Staff engineer");
    assert_eq!(person["image"], "https://example.com/img/jane.png");
    assert_eq!(
        person["sameAs"],
        serde_json::json!(["https://github.com/jane", "https://jane.example.com"])
    );
    let crumbs = typed(&ld, "BreadcrumbList")["itemListElement"].as_array().unwrap();
    let names: Vec<&str> = crumbs.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Home", "Authors", "Jane Doe"]);

    // An author without links has no `sameAs`; the `author` of an article is the same
    // Person, by the same URL.
    let carol = json_ld(&build.html("authors/carol/index.html"));
    assert!(typed(&carol, "ProfilePage")["mainEntity"].get("sameAs").is_none(), "{carol}");
    let article = json_ld(&build.html("rust-vs-go/index.html"));
    let author = &typed(&article, "Article")["author"];
    assert_eq!(author["@type"], "Person");
    assert_eq!(author["url"], person["url"]);
}
