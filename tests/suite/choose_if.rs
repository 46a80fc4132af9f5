//! "Choose X if" headings and paragraphs, and the reasons listed after them.

use scraper::Selector;

use crate::support::{Page, Site, text};

fn all_forms() -> Page {
    Site::fixture("choose_if/all_forms").build_ok(&[]).html("rust-vs-go-vs-zig/index.html")
}

fn reasons(page: &Page, id: &str) -> Vec<String> {
    let block = page.one(&format!("[data-choose-if=\"{id}\"]"));
    block.select(&Selector::parse("li").unwrap()).map(text).collect()
}

#[test]
fn heading_with_colon_gives_reasons() {
    // `## Choose Rust if:`
    assert_eq!(
        reasons(&all_forms(), "rust"),
        ["you need predictable latency", "you like strong types"]
    );
}

#[test]
fn reasons_keep_their_markup() {
    let page = all_forms();
    let block = page.one("[data-choose-if=\"rust\"]");
    assert!(block.html().contains("<strong>strong types</strong>"), "{}", block.html());
}

#[test]
fn level_three_heading_with_alias_gives_reasons() {
    // `### Choose Golang if`: an alias of Go, no colon.
    assert_eq!(
        reasons(&all_forms(), "go"),
        ["you want fast builds", "your team is new to the language"]
    );
}

#[test]
fn paragraph_followed_by_a_list_gives_reasons() {
    // `Choose Zig if:` then a list.
    assert_eq!(reasons(&all_forms(), "zig"), ["you want comptime"]);
}

#[test]
fn other_headings_make_no_block() {
    let page = all_forms();
    assert_eq!(page.attrs("[data-choose-if]", "data-choose-if"), ["rust", "go", "zig"]);
    let blocks: String = page.select("[data-choose-if]").iter().map(|e| e.html()).collect();
    assert!(!blocks.contains("belongs to no contender"));
}

#[test]
fn article_without_choose_if_has_no_block() {
    let site = Site::new();
    site.write("articles/a.md", &crate::support::article("A", "2025-01-01", "Just prose.\n"));
    let page = site.build_ok(&[]).html("a/index.html");
    assert!(!page.has("[data-choose-if]"));
}

#[test]
fn a_heading_and_its_list_show_once_in_the_quick_verdict() {
    let page = all_forms();
    // `## Choose Rust if:` and `### Choose Golang if` leave the body and the contents.
    let body = page.one(".prose");
    let body_text = text(body);
    assert!(!body_text.contains("Choose Rust if"), "{}", body.html());
    assert!(!body_text.contains("predictable latency"), "{}", body.html());
    assert!(!body_text.contains("Choose Golang if"), "{}", body.html());
    assert!(!page.attrs("nav.toc a", "href").iter().any(|h| h.contains("choose-rust")));
    // The quick verdict has them, with no link into the body.
    assert!(page.has("[data-choose-if=\"rust\"]"));
    assert!(!page.has("[data-choose-if=\"rust\"] .choose-if-more"));
}

#[test]
fn a_paragraph_placed_in_the_body_stays_and_the_quick_verdict_links_to_it() {
    let page = all_forms();
    // `Choose Zig if:` as a paragraph, followed by its list.
    let paragraph = page.one(".prose p#choose-zig");
    assert_eq!(text(paragraph), "Choose Zig if:");
    assert!(text(page.one(".prose")).contains("comptime"));
    assert_eq!(page.attrs("[data-choose-if=\"zig\"] .choose-if-more a", "href"), ["#choose-zig"]);
}

#[test]
fn a_section_left_empty_by_its_choose_if_blocks_goes_too() {
    let site = Site::new();
    site.write(
        "articles/a-vs-b.md",
        "---\ntitle: Ada vs Bash\ndate: 2025-01-01\nauthor: jane\ncontenders: [Ada, Bash]\n---\n\
         ## Speed\n\nWinner: Ada\n\n## Which should you choose?\n\n\
         ### Choose Ada if:\n\n- safety matters\n\n### Choose Bash if\n\n- you glue tools\n\n\
         ## Another view\n\nIntro.\n\n### Choose Ada if\n\n- you like types\n",
    );
    let page = site.build_ok(&[]).html("a-vs-b/index.html");
    assert_eq!(page.attrs(".prose h2", "id"), ["speed", "another-view"]);
    assert_eq!(page.attrs("nav.toc a", "href"), ["#speed", "#another-view"]);
    assert_eq!(reasons(&page, "ada"), ["safety matters", "you like types"]);
    assert_eq!(reasons(&page, "bash"), ["you glue tools"]);
    assert!(!text(page.one(".prose")).contains("glue"));
}

#[test]
fn feed_entries_carry_the_blocks_that_left_the_body() {
    let build = Site::fixture("choose_if/all_forms").build_ok(&[]);
    let xml = build.read("feed.xml");
    let doc = roxmltree::Document::parse(&xml).expect("feed.xml is well-formed XML");
    let content = doc.descendants().find(|n| n.has_tag_name("content")).unwrap().text().unwrap();
    assert!(
        content.contains(
            "<p><strong>Choose Rust if…</strong></p>\n<ul>\n<li>you need predictable latency</li>\n\
             <li>you like <strong>strong types</strong></li>\n</ul>"
        ),
        "{content}"
    );
    assert!(content.contains("<p><strong>Choose Go if…</strong></p>"), "{content}");
    // Zig's block is in the body, once.
    assert_eq!(content.matches("Choose Zig if").count(), 1, "{content}");
}
