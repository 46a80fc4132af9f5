//! Front-matter text is plain text: whatever a title, description, tag or name holds comes
//! out escaped, on every page it appears on.

use crate::support::{Build, Site, text};

const TITLE: &str = "</title><script>alert(1)</script> & \"quotes\"";
const DESCRIPTION: &str = "<b>bold</b> & \"double\" 'single' </script><script>alert(2)</script>";
const TAG: &str = "<tag> & \"t\"";
const AUTHOR: &str = "Ann \"Admin\" <ann@example.com> & Co";
const CONTENDER: &str = "Rust <script>alert(3)</script>";

fn hostile() -> Build {
    Site::fixture("escaping/hostile").build_ok(&[])
}

#[test]
fn no_page_runs_an_injected_script() {
    let build = hostile();
    let files = build.html_files();
    assert!(files.len() >= 4, "{:?}", files.keys());
    for (path, html) in files {
        assert!(!html.contains("<script>alert"), "{} has a raw <script>", path.display());
        assert!(!html.contains("<b>bold</b>"), "{} has raw front-matter markup", path.display());
        let page = crate::support::Page::new(html);
        for script in page.select("script") {
            let code: String = script.text().collect();
            if script.value().attr("type") == Some("application/ld+json") {
                // Data, not code: it must still be whole JSON, not cut short by a `</script>`.
                let json = serde_json::from_str::<serde_json::Value>(&code);
                assert!(json.is_ok(), "{}: broken JSON-LD: {code}", path.display());
            } else {
                assert!(!code.contains("alert("), "{}: {}", path.display(), script.html());
            }
        }
    }
}

#[test]
fn title_is_escaped_in_title_heading_and_meta() {
    let page = hostile().html("hostile/index.html");
    assert!(page.text("title").starts_with(TITLE), "{}", page.text("title"));
    assert_eq!(page.text("h1"), TITLE);
    assert_eq!(page.attrs("meta[property=\"og:title\"]", "content"), [TITLE]);
    assert!(page.source.contains("&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp;"));
}

#[test]
fn description_is_escaped_in_meta_and_lede() {
    let page = hostile().html("hostile/index.html");
    assert_eq!(page.attrs("meta[name=\"description\"]", "content"), [DESCRIPTION]);
    assert_eq!(page.attrs("meta[property=\"og:description\"]", "content"), [DESCRIPTION]);
    assert!(!page.has("main b"), "the description's <b> is text, not markup");
}

#[test]
fn tag_is_escaped() {
    let page = hostile().html("hostile/index.html");
    assert!(page.select(".tag").iter().any(|t| text(*t) == TAG), "{}", page.source);
    assert_eq!(page.attrs("meta[property=\"article:tag\"]", "content"), [TAG]);
}

#[test]
fn author_name_and_role_are_escaped() {
    let build = hostile();
    let article = build.html("hostile/index.html");
    assert_eq!(article.text(".author-box-heading a"), AUTHOR);
    assert_eq!(article.text(".author-box .author-role"), "<em>Chief</em> & editor");
    assert!(!article.has(".author-box .author-role em"));
    let author = build.html("authors/ann/index.html");
    assert_eq!(author.text("h1"), AUTHOR);
    let authors = build.html("authors/index.html");
    assert!(authors.select("a").iter().any(|a| text(*a) == AUTHOR));
}

#[test]
fn author_bio_may_hold_raw_html() {
    let page = hostile().html("hostile/index.html");
    assert!(page.has(".author-box abbr[title=\"raw HTML\"]"), "{}", page.source);
}

#[test]
fn contender_name_is_escaped() {
    let page = hostile().html("hostile/index.html");
    let names: Vec<String> = page.select(".contender-name").into_iter().map(text).collect();
    assert!(names.iter().any(|n| n == CONTENDER), "{names:?}");
}

#[test]
fn site_title_is_escaped() {
    let home = hostile().html("index.html");
    assert!(home.source.contains("Sites &amp; &lt;Things&gt;"));
    assert!(home.select("title").iter().any(|t| text(*t) == "Sites & <Things>"));
    assert_eq!(text(home.one(".card-title a")), TITLE);
}

#[test]
fn site_description_is_the_escaped_home_meta_description() {
    // SPEC §1: `description` in site.yaml is the home page's meta description.
    let home = hostile().html("index.html");
    assert_eq!(
        home.attrs("meta[name=\"description\"]", "content"),
        ["Compare <everything> & \"more\""]
    );
}
