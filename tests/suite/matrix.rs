//! The head-to-head matrix on `/compare/`: every pair of technologies compared, read
//! from the same callouts as the scorecards, in the default theme.

use crate::support::{Page, Site, text};

fn compared(title: &str, date: &str, contenders: &str, body: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\ndate: {date}\nauthor: jane\ncontenders: {contenders}\n---\n{body}"
    )
}

/// Rust vs Go twice (Rust 2–1, then a tie), Go vs Python once (Python, though Go is
/// named), Zig alone with C.
fn site() -> Site {
    let site = Site::new();
    site.write(
        "articles/rust-vs-go.md",
        &compared(
            "Rust vs Go",
            "2025-01-01",
            "[Rust, Go]",
            "## Speed\n\n**Winner:** Rust\n\n## Builds\n\n**Winner:** Go\n\n## Safety\n\n**Winner:** Rust, though Go is close.\n",
        ),
    )
    .write(
        "articles/rust-vs-go-again.md",
        &compared("Rust vs Go, again", "2025-02-01", "[Rust, Go]", "## Cost\n\n**Winner:** Depends.\n"),
    )
    .write(
        "articles/go-vs-python.md",
        &compared(
            "Go vs Python",
            "2025-03-01",
            "[Go, Python]",
            "## Learning\n\n**Winner:** Python is easier to learn than Go.\n",
        ),
    )
    .write(
        "articles/zig-vs-c.md",
        &compared("Zig vs C", "2025-04-01", "[Zig, C]", "## Safety\n\n**Winner:** **Zig** and **C**.\n"),
    );
    site
}

fn cell<'a>(page: &'a Page, row: &str, column: &str) -> scraper::ElementRef<'a> {
    let columns = page.attrs("table.matrix thead th[data-contender]", "data-contender");
    let at = columns.iter().position(|c| c == column).expect("a column");
    page.select(&format!("table.matrix tbody tr[data-contender=\"{row}\"] td"))[at]
}

#[test]
fn the_matrix_has_a_row_and_a_column_per_technology() {
    let page = site().build_ok(&[]).html("compare/index.html");
    let table = page.one("table.matrix");
    assert!(
        text(page.one("table.matrix caption")).contains("5 technologies over 3 compared pairs")
    );
    let ids = ["c", "go", "python", "rust", "zig"];
    // By name: C, Go, Python, Rust, Zig.
    let columns =
        page.attrs("table.matrix thead th[scope=\"col\"][data-contender]", "data-contender");
    assert_eq!(columns, ids);
    assert_eq!(page.attrs("table.matrix tbody tr", "data-contender"), ids);
    assert_eq!(page.select("table.matrix tbody th[scope=\"row\"]").len(), 5);
    for row in page.select("table.matrix tbody tr") {
        assert_eq!(row.select(&scraper::Selector::parse("td").unwrap()).count(), 5);
    }
    assert!(table.value().attr("class").unwrap().contains("matrix"));
    assert_eq!(page.attrs("[role=\"region\"] > table.matrix", "class").len(), 1);
}

#[test]
fn a_compared_cell_says_who_leads_and_links_to_the_comparisons() {
    let build = site().build_ok(&[]);
    let page = build.html("compare/index.html");
    // Rust vs Go over two articles: Rust 2, Go 1 (the "though" callout is Rust's, as on
    // the scorecard), one tie.
    let rust_go = cell(&page, "rust", "go");
    assert_eq!(rust_go.value().attr("data-pair"), Some("go rust"));
    assert_eq!(rust_go.value().attr("data-leader"), Some("rust"));
    assert_eq!(
        text(rust_go),
        "▲ 2–1 Rust leads Go 2–1 in criteria won, over 2 comparisons: the list"
    );
    let article = build.html("rust-vs-go/index.html");
    assert_eq!(article.attrs(".winner-callout", "data-winners"), ["rust", "go", "rust"]);
    // Several comparisons: the link leads to the pair's row on the hub, which lists them.
    let href = rust_go.select(&scraper::Selector::parse("a").unwrap()).next().unwrap();
    assert_eq!(href.value().attr("href"), Some("/compare/rust/#vs-go"));
    let hub = build.html("compare/rust/index.html");
    assert_eq!(hub.attrs("#vs-go .h2h-links a", "href"), ["/rust-vs-go-again/", "/rust-vs-go/"]);

    let go_rust = cell(&page, "go", "rust");
    assert_eq!(go_rust.value().attr("data-pair"), Some("go rust"));
    assert_eq!(go_rust.value().attr("data-leader"), Some("rust"));
    assert!(text(go_rust).starts_with("▼ 1–2 Rust leads Go 2–1"), "{}", text(go_rust));

    // One comparison: the link is the article. "than Go" leaves Python the winner.
    let go_python = cell(&page, "go", "python");
    assert_eq!(go_python.value().attr("data-pair"), Some("go python"));
    assert_eq!(go_python.value().attr("data-leader"), Some("python"));
    let link = go_python.select(&scraper::Selector::parse("a").unwrap()).next().unwrap();
    assert_eq!(link.value().attr("href"), Some("/go-vs-python/"));
    assert!(text(go_python).ends_with("over 1 comparison: Go vs Python"));

    // A split is level, with no leader.
    let zig_c = cell(&page, "zig", "c");
    assert_eq!(zig_c.value().attr("data-pair"), Some("c zig"));
    assert_eq!(zig_c.value().attr("data-leader"), Some(""));
    assert!(text(zig_c).starts_with("= 0–0 Zig and C are level 0–0"));
}

#[test]
fn pairs_never_compared_are_empty() {
    let page = site().build_ok(&[]).html("compare/index.html");
    for (row, column) in [("python", "rust"), ("zig", "go"), ("c", "python")] {
        let empty = cell(&page, row, column);
        assert_eq!(empty.value().attr("data-pair"), None, "{row} × {column}");
        assert_eq!(text(empty), "");
    }
    assert_eq!(cell(&page, "go", "go").value().attr("class"), Some("matrix-self"));
    assert_eq!(page.select("table.matrix td[data-pair]").len(), 6);
}

#[test]
fn sixty_technologies_make_a_sixty_by_sixty_matrix() {
    let site = Site::new();
    let name = |i: usize| format!("Tech{i:02}");
    for i in 0..60 {
        let (a, b) = (name(i), name((i + 1) % 60));
        site.write(
            &format!("articles/t{i}.md"),
            &compared(
                &format!("{a} vs {b}"),
                "2025-01-01",
                &format!("[{a}, {b}]"),
                &format!("## Speed\n\n**Winner:** {a}\n"),
            ),
        );
    }
    let page = site.build_ok(&[]).html("compare/index.html");
    assert_eq!(page.select("table.matrix thead th[data-contender]").len(), 60);
    assert_eq!(page.select("table.matrix tbody tr").len(), 60);
    assert_eq!(page.select("table.matrix tbody td").len(), 3600);
    assert_eq!(page.select("table.matrix td[data-pair]").len(), 120);
    assert_eq!(page.select("table.matrix td.matrix-ahead").len(), 60);
    assert!(
        text(page.one("table.matrix caption")).contains("60 technologies over 60 compared pairs")
    );
    assert_eq!(cell(&page, "tech07", "tech08").value().attr("data-leader"), Some("tech07"));
    assert_eq!(cell(&page, "tech59", "tech00").value().attr("data-pair"), Some("tech00 tech59"));
}

#[test]
fn no_comparison_no_matrix() {
    let page = Site::new().build_ok(&[]).html("compare/index.html");
    assert!(!page.has("table.matrix"));
}

#[test]
fn logos_show_beside_the_names_of_the_matrix_and_the_records_table() {
    let site = site();
    site.write("contenders.yaml", "go:\n  name: Go\n  logo: /logos/go.svg\n").write(
        "static/logos/go.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 8 8\"><rect width=\"8\" height=\"8\"/></svg>\n",
    );
    let page = site.build_ok(&[]).html("compare/index.html");
    // Go's column header and row header each carry its logo, sized, with an empty `alt`
    // (the name is beside it); the others have none.
    for selector in [
        "table.matrix thead th[data-contender=\"go\"] img",
        "table.matrix tbody tr[data-contender=\"go\"] th img",
        "table.tech-table tr[data-contender=\"go\"] th img",
    ] {
        let img = page.one(selector);
        assert_eq!(img.value().attr("src"), Some("/logos/go.svg"), "{selector}");
        assert_eq!(img.value().attr("alt"), Some(""), "{selector}");
        assert_eq!(img.value().attr("width"), Some("16"), "{selector}");
        assert_eq!(img.value().attr("height"), Some("16"), "{selector}");
    }
    assert_eq!(page.select("table.matrix img").len(), 2);
    assert_eq!(page.select("table.tech-table img").len(), 1);
    // The name is still the header's text and its link.
    let row = page.one("table.matrix tbody tr[data-contender=\"go\"] th");
    assert_eq!(text(row), "Go");
}
