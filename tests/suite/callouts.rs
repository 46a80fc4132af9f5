//! Winner callouts: their hooks (`data-criterion`, `data-winners`, `data-outcome`), how
//! winners are matched and which heading gives the criterion.

use crate::support::{Page, Site, text};

/// One callout's hooks.
#[derive(Debug, PartialEq, Eq)]
struct Hook {
    criterion: String,
    winners: String,
    outcome: String,
}

fn hooks(page: &Page) -> Vec<Hook> {
    page.select(".winner-callout")
        .iter()
        .map(|e| {
            let attr = |name: &str| {
                e.value()
                    .attr(name)
                    .unwrap_or_else(|| panic!("callout without `{name}`: {}", e.html()))
                    .to_string()
            };
            Hook {
                criterion: attr("data-criterion"),
                winners: attr("data-winners"),
                outcome: attr("data-outcome"),
            }
        })
        .collect()
}

fn basic() -> Page {
    Site::fixture("callouts/basic").build_ok(&[]).html("rust-vs-go/index.html")
}

fn hook_for(page: &Page, criterion: &str) -> Hook {
    let mut found: Vec<Hook> =
        hooks(page).into_iter().filter(|h| h.criterion == criterion).collect();
    assert_eq!(found.len(), 1, "expected one callout for `{criterion}`: {:?}", hooks(page));
    found.remove(0)
}

fn hook(criterion: &str, winners: &str, outcome: &str) -> Hook {
    Hook { criterion: criterion.into(), winners: winners.into(), outcome: outcome.into() }
}

#[test]
fn renders_every_callout_in_order() {
    let page = basic();
    assert_eq!(
        hooks(&page),
        [
            hook("Overall", "go", "win"),
            hook("Performance", "rust", "win"),
            hook("Tooling", "rust go", "split"),
            hook("Hiring", "", "tie"),
            hook("Ecosystem", "go", "win"),
            hook("Search", "rust", "win"),
            hook("Shouting", "", "tie"),
        ]
    );
}

#[test]
fn single_winner_is_a_win() {
    assert_eq!(hook_for(&basic(), "Performance"), hook("Performance", "rust", "win"));
}

#[test]
fn bold_label_makes_a_callout() {
    // `**Winner:** Rust, by a wide margin.`
    let page = basic();
    let callout = page.one(".winner-callout[data-criterion=\"Performance\"]");
    assert!(text(callout).contains("by a wide margin"), "{}", callout.html());
}

#[test]
fn plain_label_makes_a_callout() {
    // `Winner: Rust and Go both ship excellent tooling.`
    let page = basic();
    let callout = page.one(".winner-callout[data-criterion=\"Tooling\"]");
    assert!(text(callout).contains("both ship excellent tooling"), "{}", callout.html());
}

#[test]
fn callout_body_drops_the_label() {
    let page = basic();
    let callout = page.one(".winner-callout[data-criterion=\"Performance\"]");
    let paragraphs: Vec<String> = callout
        .select(&scraper::Selector::parse("p:not(.winner-callout-title)").unwrap())
        .map(text)
        .collect();
    assert_eq!(paragraphs, ["Rust, by a wide margin."]);
}

#[test]
fn several_names_make_a_split() {
    assert_eq!(hook_for(&basic(), "Tooling"), hook("Tooling", "rust go", "split"));
}

#[test]
fn no_name_makes_a_tie() {
    assert_eq!(hook_for(&basic(), "Hiring"), hook("Hiring", "", "tie"));
}

#[test]
fn callout_title_names_label_and_winners() {
    let page = basic();
    let title = |criterion: &str| {
        let css = format!(".winner-callout[data-criterion=\"{criterion}\"] .winner-callout-title");
        page.text(&css)
    };
    assert_eq!(title("Performance"), "Winner Rust");
    assert_eq!(title("Tooling"), "Split Rust and Go");
    assert_eq!(title("Hiring"), "Tie No single winner");
}

#[test]
fn callouts_are_accessible_notes() {
    let page = basic();
    for callout in page.select(".winner-callout") {
        assert_eq!(callout.value().attr("role"), Some("note"), "{}", callout.html());
    }
}

#[test]
fn criterion_strips_a_leading_number() {
    // `## 1. Performance`
    let page = basic();
    assert!(page.has(".winner-callout[data-criterion=\"Performance\"]"));
    assert!(!page.has(".winner-callout[data-criterion=\"1. Performance\"]"));
}

#[test]
fn callout_before_any_heading_is_overall() {
    assert_eq!(hook_for(&basic(), "Overall"), hook("Overall", "go", "win"));
}

#[test]
fn matches_whole_words_only() {
    // `Winner: Rust, even at Google.`: `Go` is not in `Google`.
    assert_eq!(hook_for(&basic(), "Search"), hook("Search", "rust", "win"));
}

#[test]
fn aliases_count_for_their_contender() {
    // `Winner: Golang, thanks to its standard library.`
    assert_eq!(hook_for(&basic(), "Ecosystem"), hook("Ecosystem", "go", "win"));
}

#[test]
fn names_match_case_sensitively() {
    // `Winner: RUST and GO fans keep arguing.`
    assert_eq!(hook_for(&basic(), "Shouting"), hook("Shouting", "", "tie"));
}

#[test]
fn label_must_open_the_paragraph() {
    let page = basic();
    assert!(page.source.contains("The winner: Rust, says this sentence"));
    assert_eq!(hooks(&page).len(), 7);
}

#[test]
fn pages_have_no_callouts() {
    let build = Site::fixture("callouts/basic").build_ok(&[]);
    let page = build.html("about/index.html");
    assert!(!page.has(".winner-callout"), "{}", page.source);
    assert!(page.source.contains("Pages have no contenders"));
}

#[test]
fn custom_winner_label_opens_callouts() {
    let build = Site::fixture("callouts/custom_label").build_ok(&[]);
    let page = build.html("rust-vs-go/index.html");
    assert_eq!(hooks(&page), [hook("Speed", "rust", "win")]);
    assert_eq!(page.text(".winner-callout .winner-callout-label"), "Verdict");
    // With another label, `Winner:` is prose.
    assert!(page.source.contains("Winner: Go, but with the default label"));
}

#[test]
fn matches_ids_and_names_with_punctuation() {
    let site = Site::new();
    site.write(
        "articles/cpp-vs-node.md",
        "---\ntitle: C++ vs Node.js\ndate: 2025-01-01\nauthor: jane\n\
         contenders: [C++, Node.js, C#]\n---\n\
         ## Speed\n\nWinner: C++.\n\n## I/O\n\nWinner: Node.js's event loop.\n\n\
         ## Tooling\n\nWinner: C# and cpp.\n",
    );
    let page = site.build_ok(&[]).html("cpp-vs-node/index.html");
    assert_eq!(
        hooks(&page),
        [
            hook("Speed", "cpp", "win"),
            hook("I/O", "node-js", "win"),
            hook("Tooling", "cpp csharp", "split"),
        ]
    );
}
