//! The scorecard table (one row per callout) and the tally of wins per contender.

use crate::support::{Page, Site};

fn three_way() -> Page {
    Site::fixture("scorecard/three_way").build_ok(&[]).html("rust-vs-go-vs-zig/index.html")
}

fn tally(page: &Page) -> Vec<(String, String)> {
    let tally = page.one(".tally");
    tally
        .select(&scraper::Selector::parse("[data-contender]").unwrap())
        .map(|e| {
            let value = e.value();
            (
                value.attr("data-contender").unwrap().to_string(),
                value.attr("data-wins").expect("data-wins").to_string(),
            )
        })
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

#[test]
fn has_one_row_per_callout_in_order() {
    let page = three_way();
    assert_eq!(
        page.attrs("table.scorecard tr[data-criterion]", "data-criterion"),
        ["Performance", "Tooling", "Hiring", "Safety"]
    );
}

#[test]
fn rows_link_to_their_section() {
    let page = three_way();
    let link = page.one("table.scorecard tr[data-criterion=\"Performance\"] a");
    let href = link.value().attr("href").unwrap();
    assert_eq!(href, "#1-performance");
    assert!(page.has("h2[id=\"1-performance\"]"), "the heading has the linked id");
}

#[test]
fn rows_name_their_winners() {
    let page = three_way();
    let row = |c: &str| page.text(&format!("table.scorecard tr[data-criterion=\"{c}\"] td"));
    assert!(row("Performance").contains("Rust"));
    let tooling = row("Tooling");
    assert!(tooling.contains("Rust") && tooling.contains("Go"), "{tooling}");
    assert!(!row("Hiring").contains("Rust"));
}

#[test]
fn tally_counts_splits_for_each_and_ties_for_none() {
    assert_eq!(tally(&three_way()), pairs(&[("rust", "3"), ("go", "1"), ("zig", "0")]));
}

#[test]
fn article_without_callouts_still_has_a_scorecard_and_tally() {
    let build = Site::fixture("scorecard/three_way").build_ok(&[]);
    let page = build.html("no-callouts/index.html");
    assert!(page.has("table.scorecard"));
    assert!(!page.has("table.scorecard tr[data-criterion]"));
    assert_eq!(tally(&page), pairs(&[("vim", "0"), ("emacs", "0")]));
}

#[test]
fn scorecard_sits_before_the_body() {
    let page = three_way();
    let scorecard = page.source.find("class=\"scorecard\"").expect("scorecard");
    let first_callout = page.source.find("class=\"winner-callout\"").expect("callout");
    assert!(scorecard < first_callout, "the scorecard comes near the top of the article");
}

#[test]
fn summary_says_wins_and_shared_wins_apart() {
    let page = three_way();
    // Rust won Performance and Safety alone and shared Tooling with Go.
    assert_eq!(
        page.text(".verdict-summary"),
        "Rust comes out ahead, winning 3 of 4 criteria, 1 of them shared."
    );
    let rust = page.one(".tally [data-contender=\"rust\"]");
    let words = crate::support::text(rust).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("3 wins, 1 shared (100%)"), "{words}");
}

#[test]
fn a_tie_shows_its_own_words() {
    let page = three_way();
    let row = page.one("table.scorecard tr[data-criterion=\"Hiring\"]");
    let words = crate::support::text(row);
    assert!(words.contains("it depends on the project."), "{words}");
    let site = Site::new();
    site.write(
        "articles/a-vs-b.md",
        "---\ntitle: A vs B\ndate: 2025-01-01\nauthor: jane\ncontenders: [Ada, Bash]\n---\n\
         ## Speed\n\nWinner: Depends on the team. Both are fine for most work.\n",
    );
    let page = site.build_ok(&[]).html("a-vs-b/index.html");
    let row = page.one("table.scorecard tr[data-criterion=\"Speed\"]");
    assert_eq!(
        page.text("table.scorecard tr[data-criterion=\"Speed\"] .outcome-note"),
        "Depends on the team.",
        "{}",
        row.html()
    );
}

#[test]
fn percentages_round_to_the_nearest() {
    let site = Site::new();
    let mut body = String::new();
    for (i, winner) in ["Ada", "Ada", "Ada", "Ada", "Bash", "Bash"].iter().enumerate() {
        body.push_str(&format!("## Criterion {i}\n\nWinner: {winner}\n\n"));
    }
    site.write(
        "articles/a-vs-b.md",
        &format!("---\ntitle: A vs B\ndate: 2025-01-01\nauthor: jane\ncontenders: [Ada, Bash]\n---\n{body}"),
    );
    let page = site.build_ok(&[]).html("a-vs-b/index.html");
    let percent = |id: &str| page.text(&format!(".tally [data-contender=\"{id}\"] .tally-percent"));
    assert_eq!(percent("ada"), "(67%)");
    assert_eq!(percent("bash"), "(33%)");
}

#[test]
fn a_tie_of_one_word_shows_the_sentence_after_it() {
    let site = Site::new();
    site.write(
        "articles/a-vs-b.md",
        "---\ntitle: A vs B\ndate: 2025-01-01\nauthor: jane\ncontenders: [Ada, Bash]\n---\n\
         ## Speed\n\nWinner: Both. Both are production-ready here. More words follow.\n",
    );
    let page = site.build_ok(&[]).html("a-vs-b/index.html");
    assert_eq!(
        page.text("table.scorecard tr[data-criterion=\"Speed\"] .outcome-note"),
        "Both. Both are production-ready here."
    );
}
