//! Markdown bodies: code highlighting and escaping, heading ids and anchors, the table of
//! contents, and the CommonMark extensions.

use crate::support::{Build, Page, Site, text};

fn build() -> Build {
    Site::fixture("markdown/features").build_ok(&[])
}

fn features() -> Page {
    build().html("md/index.html")
}

#[test]
fn code_is_highlighted_into_classes_the_stylesheet_defines() {
    let build = build();
    let css = build.read("assets/syntax.css");
    let page = build.html("md/index.html");
    let block = page.one("pre.code[data-lang=\"rust\"]");
    assert!(block.html().contains("<span class=\"c"), "{}", block.html());
    let classes = page.attrs("pre.code span", "class");
    assert!(!classes.is_empty());
    for class in classes.iter().flat_map(|c| c.split(' ')) {
        let defined = [",", ")", "{"].iter().any(|end| css.contains(&format!(".{class}{end}")));
        assert!(defined, "`{class}` is not in the stylesheet:\n{css}");
    }
}

#[test]
fn code_has_no_inline_styles() {
    let page = features();
    let blocks = page.select("pre");
    assert_eq!(blocks.len(), 3);
    for block in blocks {
        assert!(!block.html().contains("style="), "{}", block.html());
    }
}

#[test]
fn code_text_is_escaped() {
    let page = features();
    let block = page.one("pre.code[data-lang=\"rust\"]");
    assert!(text(block).contains("let ok = 1 < 2 && \"x\" != \"y\";"), "{}", text(block));
    let html = block.inner_html();
    assert!(html.contains("&lt;") && html.contains("&amp;&amp;"), "{html}");
    assert!(!html.contains("1 < 2") && !html.contains(" && "), "{html}");
}

#[test]
fn template_syntax_in_code_stays_literal() {
    let page = features();
    let block = page.one("pre.code[data-lang=\"rust\"]");
    assert!(text(block).contains("println!(\"{{ var }}\");"), "{}", text(block));
}

#[test]
fn template_syntax_in_prose_stays_literal() {
    let page = features();
    assert!(
        page.source.contains("Prose with {{ prose_var }} and {% prose_tag %} stays as written."),
        "article bodies are never evaluated as templates"
    );
}

#[test]
fn unknown_language_falls_back_to_escaped_text() {
    let page = features();
    let block = page.one("pre.code[data-lang=\"nosuchlang\"]");
    assert_eq!(text(block), "<script>alert(\"x\")</script> & {{ other }}");
    assert!(!block.html().contains("<span"), "{}", block.html());
    assert!(block.inner_html().contains("&lt;script&gt;"));
    assert!(!page.select("script").iter().any(|s| text(*s).contains("alert")));
}

#[test]
fn indented_code_is_escaped() {
    let page = features();
    let blocks = page.select("pre");
    let indented = blocks.iter().find(|b| text(**b).contains("indented")).expect("indented");
    assert_eq!(text(*indented), "indented <code> & stuff");
}

#[test]
fn headings_get_unique_ids() {
    let page = features();
    assert_eq!(
        page.attrs(".prose h2, .prose h3", "id"),
        ["setup", "install", "setup-1", "custom-id"]
    );
    let ids = page.attrs("[id]", "id");
    for id in &ids {
        assert_eq!(ids.iter().filter(|i| *i == id).count(), 1, "id `{id}` is used twice");
    }
}

#[test]
fn headings_have_anchor_links() {
    let page = features();
    for id in ["setup", "install", "setup-1", "custom-id"] {
        let heading = page.one(&format!("[id=\"{id}\"]"));
        let anchors: Vec<String> = heading
            .select(&scraper::Selector::parse("a").unwrap())
            .filter_map(|a| a.value().attr("href").map(str::to_string))
            .collect();
        assert_eq!(anchors, [format!("#{id}")], "{}", heading.html());
    }
}

#[test]
fn heading_attributes_are_kept() {
    let page = features();
    let heading = page.one("h2[id=\"custom-id\"]");
    assert!(heading.value().classes().any(|c| c == "wide"), "{}", heading.html());
}

#[test]
fn table_of_contents_lists_sections() {
    let page = features();
    assert_eq!(page.attrs("nav.toc a", "href"), ["#setup", "#install", "#setup-1", "#custom-id"]);
    let nested = page.one("nav.toc li li a");
    assert_eq!(nested.value().attr("href"), Some("#install"));
    assert_eq!(text(nested), "Install");
}

#[test]
fn extensions_are_enabled() {
    let page = features();
    assert!(page.has(".prose table th"), "tables");
    assert!(page.has(".prose del"), "strikethrough");
    assert!(page.has(".prose input[type=\"checkbox\"][checked]"), "task lists");
    assert!(page.has(".prose sup a[href^=\"#\"]"), "footnotes");
}

#[test]
fn raw_html_passes_through() {
    let page = features();
    assert_eq!(page.text(".prose div.raw-html em"), "HTML");
}

#[test]
fn code_stylesheet_colours_classes_in_light_and_dark() {
    let build = build();
    let css = build.read("assets/syntax.css");
    assert!(css.contains("pre.code :is(.cab,"), "{css}");
    assert!(css.contains("prefers-color-scheme: dark"), "{css}");
    let page = build.html("md/index.html");
    let sheets = page.attrs("link[rel=\"stylesheet\"]", "href");
    assert!(sheets.iter().any(|h| h.starts_with("/assets/syntax.css")), "{sheets:?}");
}

#[test]
fn word_count_skips_code() {
    let site = Site::new();
    let words = "word ".repeat(500);
    let code = "code ".repeat(5000);
    site.write(
        "articles/long.md",
        &crate::support::article("Long", "2025-01-01", &format!("{words}\n\n```\n{code}\n```\n")),
    );
    let page = site.build_ok(&[]).html("long/index.html");
    // 500 words at 220 a minute: 3 minutes; the code would make it 26.
    assert!(page.source.contains("3 min read"), "{}", page.text(".article-meta"));
}

/// A page whose heading `## 1` and footnote `[^1]` once both took `id="1"`.
fn footnotes() -> Page {
    let site = Site::new();
    site.write(
        "pages/notes.md",
        "---\ntitle: Notes\n---\n\
         ## 1\n\nA claim[^1] and another[^src], then the first again[^1].\n\n\
         ## Fn 1\n\nA heading whose text makes `fn-1`.\n\n\
         [^src]: The source.\n\n[^1]: The first note.\n\n[^unused]: Never referenced.\n",
    );
    site.build_ok(&[]).html("notes/index.html")
}

#[test]
fn footnote_and_heading_ids_never_collide() {
    let page = footnotes();
    let ids = page.attrs("[id]", "id");
    for id in &ids {
        assert_eq!(ids.iter().filter(|i| *i == id).count(), 1, "id `{id}` is used twice: {ids:?}");
    }
    assert_eq!(page.attrs(".prose h2", "id"), ["1", "fn-1-1"]);
    // Notes are numbered in the order of their first reference; references link to them.
    assert_eq!(
        page.attrs(".prose sup.footnote-reference a", "href"),
        ["#fn-1", "#fn-src", "#fn-1"]
    );
    assert_eq!(
        page.select(".prose sup.footnote-reference a").into_iter().map(text).collect::<Vec<_>>(),
        ["1", "2", "1"]
    );
    assert_eq!(page.attrs(".prose .footnote-definition", "id"), ["fn-src", "fn-1", "fn-unused"]);
    assert_eq!(page.text("#fn-1 .footnote-definition-label"), "1");
    assert_eq!(page.text("#fn-src .footnote-definition-label"), "2");
    assert_eq!(page.text("#fn-unused .footnote-definition-label"), "3");
}

#[test]
fn footnotes_link_back_to_each_reference() {
    let page = footnotes();
    assert_eq!(page.attrs("#fn-1 a.footnote-backref", "href"), ["#fnref-1", "#fnref-1-2"]);
    assert_eq!(page.attrs("#fn-src a.footnote-backref", "href"), ["#fnref-src"]);
    assert!(page.attrs("#fn-unused a.footnote-backref", "href").is_empty());
    // Every back-link lands on a reference, inside the note's paragraph.
    for href in page.attrs("a.footnote-backref", "href") {
        assert!(page.has(&format!("sup.footnote-reference a[id=\"{}\"]", &href[1..])), "{href}");
    }
    assert!(page.has("#fn-1 p a.footnote-backref"), "{}", page.one("#fn-1").html());
}

#[test]
fn two_headings_with_one_custom_id_are_an_error_naming_both_lines() {
    let site = Site::new();
    site.write(
        "pages/twice.md",
        "---\ntitle: Twice\n---\n## Speed {#perf}\n\nText.\n\n## Memory {#perf}\n\nText.\n",
    );
    let build = site.build(&[]);
    let errors = build.assert_site_error();
    assert_eq!(errors.len(), 1, "{errors:?}");
    let error = &errors[0];
    assert_eq!(error.path, "pages/twice.md");
    assert_eq!(error.location, Some((8, 1)));
    assert!(error.message.contains("two headings have the id `perf` (lines 4 and 8)"), "{error:?}");
}

#[test]
fn a_custom_id_is_never_taken_by_an_earlier_generated_one() {
    let site = Site::new();
    site.write(
        "pages/ids.md",
        "---\ntitle: Ids\n---\n## Speed\n\nText.\n\n## Fast {#speed}\n\nText.\n",
    );
    let page = site.build_ok(&[]).html("ids/index.html");
    assert_eq!(page.attrs(".prose h2", "id"), ["speed-1", "speed"]);
}
