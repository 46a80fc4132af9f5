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

fn prose() -> Page {
    Site::fixture("callouts/prose").build_ok(&[]).html("four-way/index.html")
}

#[test]
fn reads_winners_in_ordinary_prose() {
    let page = prose();
    assert_eq!(
        hooks(&page),
        [
            // `**Winner:** Rust, though Go is close behind.`
            hook("Speed", "rust", "win"),
            // `Python is easier to learn than Node.js.`
            hook("Learning", "python", "win"),
            // `Node.js for real-time apps; Python for CPU-bound work.`
            hook("Workloads", "python node-js", "split"),
            // `Both have strong communities, but Python's is slightly larger.`
            hook("Community", "python", "win"),
            // `Depends on the project.`
            hook("Hiring", "", "tie"),
            // `**Rust**, though Go is close behind.`: bold names are the winners.
            hook("Concurrency", "rust", "win"),
            // `**Rust** and **Go**.`
            hook("Deployment", "rust go", "split"),
            // `Despite Go's simpler syntax, Rust wins here.`
            hook("Syntax", "rust", "win"),
            // `Go beats Rust and Python on build times.`
            hook("Build times", "go", "win"),
            // `Rust over Go, by a wide margin.`
            hook("Memory", "rust", "win"),
            // `Go, even though Rust's tooling is excellent.`
            hook("Tooling", "go", "win"),
            // `Python is well ahead of Node.js. Rust matches Python for systems libraries.`
            hook("Libraries", "rust python", "split"),
            // `Compared to Node.js, Python wins on data work.`
            hook("Data work", "python", "win"),
            // `Golang outperforms Node.js under load.`
            hook("Throughput", "go", "win"),
            // `Go, unlike Rust, has a GC, which is the point here.`
            hook("Garbage collection", "go", "win"),
            // `Node.js versus Python: Node.js, for its ecosystem.`
            hook("Web", "node-js", "win"),
        ]
    );
    assert_eq!(page.text("[data-criterion=\"Speed\"] .winner-callout-title"), "Winner Rust");
}

#[test]
fn comparison_markers_come_from_site_yaml() {
    let page = Site::fixture("callouts/markers").build_ok(&[]).html("rust-ou-go/index.html");
    assert_eq!(
        hooks(&page),
        [
            // `Rust, plutôt que Go.`
            hook("Vitesse", "rust", "win"),
            // `though` is not one of this site's markers.
            hook("Outils", "rust go", "split"),
        ]
    );
}

#[test]
fn check_says_how_it_read_a_callout() {
    let site = Site::fixture("callouts/prose");
    let run = crate::diagnostics::verdict(site.root(), &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let file = "articles/four-way.md";
    let heads: Vec<&str> = run.stderr.lines().filter(|l| l.contains(": warning: ")).collect();
    let expected = [
        format!(
            "{file}:16:1: warning: winner callout read as a win for Rust (Go follows \"though\")"
        ),
        format!(
            "{file}:20:1: warning: winner callout read as a win for Python (Node.js follows \"than\")"
        ),
        format!("{file}:24:1: warning: winner callout read as a split between Python and Node.js"),
        format!(
            "{file}:44:1: warning: winner callout read as a win for Rust (Go follows \"Despite\")"
        ),
        format!(
            "{file}:48:1: warning: winner callout read as a win for Go (Rust follows \"beats\", Python follows \"beats\")"
        ),
    ];
    for line in &expected {
        assert!(heads.contains(&line.as_str()), "missing `{line}` in:\n{}", run.stderr);
    }
    // Explicit bold winners are read as written, without a word.
    assert!(!heads.iter().any(|h| h.starts_with(&format!("{file}:36:"))), "{}", run.stderr);
    assert!(!heads.iter().any(|h| h.starts_with(&format!("{file}:40:"))), "{}", run.stderr);
    assert!(run.stderr.contains("bold the winners to say otherwise"), "{}", run.stderr);
    let denied = crate::diagnostics::verdict(site.root(), &["check", "--deny-warnings"]);
    assert_eq!(denied.code, 1, "{}", denied.stderr);
}
