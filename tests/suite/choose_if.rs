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
