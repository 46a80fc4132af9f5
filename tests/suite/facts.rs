//! Facts side by side: `contenders.yaml` and article contender maps give `facts:`,
//! `site.yaml` `facts:` orders and labels them; articles show an "At a glance" table and
//! hubs their technology's own facts. Bad shapes are errors at their line.

use crate::diagnostics::verdict;
use crate::support::{Page, Site, snapshot, text};

const CATALOG: &str = "\
rust:
  name: Rust
  facts:
    license: MIT or Apache-2.0
    first_release: 2012
    written_in: Rust
    garbage_collected: false
    source: https://github.com/rust-lang/rust
go:
  name: Go
  facts:
    first_release: 2009
    license: BSD-3-Clause
    written_in: [Go, Assembly]
    garbage_collected: true
    typing: static
";

const SITE: &str = "title: Facts\nbase_url: https://example.com/\nfacts:\n  - {key: first_release, label: First release}\n  - {key: license, label: Licence}\n  - garbage_collected\n";

const ARTICLE: &str = "---\ntitle: Rust vs Go\ndate: 2025-01-01\nauthor: jane\ncontenders:\n  - Rust\n  - name: Go\n    version: \"1.24\"\n    facts: {license: BSD, release_cadence: 6 months}\n---\n## Speed\n\n**Winner:** Rust\n";

fn site() -> Site {
    let site = Site::new();
    site.write("site.yaml", SITE)
        .write("contenders.yaml", CATALOG)
        .write("articles/rust-vs-go.md", ARTICLE);
    site
}

/// Each row of the page's facts table: its `data-fact` and its cells' text, by column.
fn rows(page: &Page) -> Vec<(String, String, Vec<String>)> {
    page.select("table.facts tbody tr")
        .into_iter()
        .map(|tr| {
            let key = tr.value().attr("data-fact").unwrap().to_string();
            let label = text(tr.select(&scraper::Selector::parse("th").unwrap()).next().unwrap());
            let cells = tr.select(&scraper::Selector::parse("td").unwrap()).map(text).collect();
            (key, label, cells)
        })
        .collect()
}

#[test]
fn an_article_shows_its_contenders_facts_side_by_side() {
    let page = site().build_ok(&[]).html("rust-vs-go/index.html");
    let table = page.one("table.facts");
    assert!(page.has("table.facts caption"), "the table is labelled");
    assert_eq!(
        page.attrs("table.facts thead th[data-contender]", "data-contender"),
        ["rust", "go"]
    );
    assert_eq!(page.attrs("table.facts tbody th", "scope"), vec!["row"; 7]);
    let got = rows(&page);
    let expected: Vec<(&str, &str, [&str; 2])> = vec![
        // Listed in site.yaml, in its order, with its labels...
        ("first_release", "First release", ["2012", "2009"]),
        ("license", "Licence", ["MIT or Apache-2.0", "BSD"]),
        ("garbage_collected", "Garbage collected", ["✗ No", "✓ Yes"]),
        // ...then the others in the order first written, labelled from the key.
        ("written_in", "Written in", ["Rust", "Go, Assembly"]),
        ("source", "Source", ["github.com/rust-lang/rust", ""]),
        ("typing", "Typing", ["", "static"]),
        ("release_cadence", "Release cadence", ["", "6 months"]),
    ];
    let expected: Vec<(String, String, Vec<String>)> = expected
        .into_iter()
        .map(|(k, l, c)| (k.into(), l.into(), c.iter().map(|s| s.to_string()).collect()))
        .collect();
    assert_eq!(got, expected);
    assert_eq!(
        page.attrs("tr[data-fact=\"source\"] td[data-contender=\"rust\"] a", "href"),
        ["https://github.com/rust-lang/rust"]
    );
    // The mark is decoration; the words say it.
    assert_eq!(
        page.attrs("tr[data-fact=\"garbage_collected\"] .fact-mark", "aria-hidden"),
        ["true", "true"]
    );
    assert!(table.html().contains("data-contender=\"go\""));
    // The table scrolls inside its own box, reachable by keyboard.
    assert_eq!(page.attrs(".table-scroll:has(table.facts)", "tabindex"), ["0"]);
}

#[test]
fn a_hub_shows_its_technologys_own_facts() {
    let build = site().build_ok(&[]);
    let hub = build.html("compare/go/index.html");
    let got = rows(&hub);
    let keys: Vec<&str> = got.iter().map(|(k, _, _)| k.as_str()).collect();
    // Not the article's `release_cadence`, and its own `license`, not the article's.
    assert_eq!(keys, ["first_release", "license", "garbage_collected", "written_in", "typing"]);
    assert_eq!(got[1].2, ["BSD-3-Clause"]);
    assert_eq!(hub.attrs("table.facts td", "data-contender"), vec!["go"; 5]);
}

#[test]
fn an_article_without_facts_has_no_table() {
    let site = Site::new();
    site.write(
        "articles/a.md",
        "---\ntitle: A\ndate: 2025-01-01\nauthor: jane\ncontenders: [Rust, Go]\n---\nBody.\n",
    );
    let build = site.build_ok(&[]);
    assert!(!build.html("a/index.html").has("table.facts"));
    assert!(!build.html("compare/go/index.html").has("table.facts"));
}

#[test]
fn fact_values_are_escaped() {
    let site = site();
    site.write(
        "contenders.yaml",
        &CATALOG.replace(
            "written_in: Rust",
            "written_in: \"</td><script>alert(1)</script>\"\n    home: \"https://x.dev/?a=\\\"><script>alert(2)</script>\"",
        ),
    );
    let page = site.build_ok(&[]).html("rust-vs-go/index.html");
    assert!(!page.source.contains("<script>alert"), "{}", page.source);
    assert_eq!(
        page.text("tr[data-fact=\"written_in\"] td[data-contender=\"rust\"]"),
        "</td><script>alert(1)</script>"
    );
    // An address with quotes is still one attribute (it has no space, so it is a link).
    assert_eq!(
        page.attrs("tr[data-fact=\"home\"] a", "href"),
        ["https://x.dev/?a=\"><script>alert(2)</script>"]
    );
}

/// A build that must fail: its first error, and proof that the last good output stayed.
fn fails_keeping_output(site: &Site) -> crate::support::Diagnostic {
    let before = snapshot(&site.path("dist"));
    let build = site.build(&[]);
    let errors = build.assert_site_error();
    assert!(snapshot(&site.path("dist")) == before, "a failed build changed the output");
    errors.into_iter().next().expect("an error")
}

#[test]
fn bad_fact_shapes_are_errors_at_their_line() {
    /// The file edited, the text replaced and by what, the error and where it is.
    type Case<'a> = (&'a str, &'a str, &'a str, &'a str, (usize, usize));
    let cases: &[Case<'_>] = &[
        (
            "contenders.yaml",
            "written_in: Rust",
            "written_in: {lang: Rust}",
            "the fact `written_in` is a map: a fact is text, a number, a boolean or a short list",
            (6, 17),
        ),
        (
            "contenders.yaml",
            "typing: static",
            "2015: first",
            "the fact key `2015` is a number, not a name",
            (16, 5),
        ),
        (
            "contenders.yaml",
            "typing: static",
            "typing: [static, [strong]]",
            "an item of the fact `typing` is a list: list items are text, numbers or booleans",
            (16, 22),
        ),
        (
            "articles/rust-vs-go.md",
            "facts: {license: BSD,",
            "facts: {license: ~,",
            "the fact `license` is nothing (null)",
            (9, 22),
        ),
        (
            "articles/rust-vs-go.md",
            "facts: {license: BSD,",
            "facts: {first release: 2, license: BSD,",
            "`first release` is not a fact key: use letters, digits, `_` and `-`, like `first_release`",
            (9, 13),
        ),
        (
            "site.yaml",
            "  - garbage_collected\n",
            "  - {key: garbage collected}\n",
            "`garbage collected` is not a fact key: use letters, digits, `_` and `-`, like `first_release`",
            (6, 1),
        ),
        (
            "site.yaml",
            "  - garbage_collected\n",
            "  - garbage_collected\n  - {key: license, label: Licensing}\n",
            "the fact key `license` is listed twice in `facts`",
            (7, 1),
        ),
        (
            "site.yaml",
            "  - garbage_collected\n",
            "  - {key: license, lable: L}\n",
            "unknown field `lable`, expected `key` or `label`",
            (6, 20),
        ),
    ];
    for &(file, from, to, message, location) in cases {
        let site = site();
        site.build_ok(&[]);
        let text = std::fs::read_to_string(site.path(file)).unwrap();
        assert!(text.contains(from), "{file} holds {from:?}");
        site.write(file, &text.replacen(from, to, 1));
        let error = fails_keeping_output(&site);
        assert_eq!(error.path, file, "{to}: {}", error.text);
        assert!(error.message.contains(message), "{to}: {}", error.text);
        assert_eq!(error.location, Some(location), "{to}: {}", error.text);
    }
}

#[test]
fn check_warns_about_a_listed_key_no_contender_gives() {
    let site = site();
    site.write("site.yaml", &SITE.replace("  - garbage_collected\n", "  - garbage_colected\n"));
    let run = verdict(site.root(), &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "site.yaml:6:1: warning: the fact `garbage_colected` listed in `facts` is given by no contender: no table shows it"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("= help: did you mean `garbage_collected`?"), "{}", run.stderr);
    // The table leaves the row out; the build is fine.
    let page = site.build_ok(&[]).html("rust-vs-go/index.html");
    assert!(!page.has("tr[data-fact=\"garbage_colected\"]"));
}

/// "N rendered" of a build's report: the pages it rendered rather than kept.
fn rendered(stderr: &str) -> usize {
    let (_, rest) = stderr.split_once(" HTML files, ").expect("a build report");
    rest.split_once(" rendered").unwrap().0.parse().unwrap()
}

#[test]
fn a_facts_edit_re_renders_exactly_the_pages_showing_them() {
    let site = site();
    site.write(
        "articles/python-vs-ruby.md",
        "---\ntitle: Python vs Ruby\ndate: 2025-01-02\nauthor: jane\ncontenders: [Python, Ruby]\n---\nBody.\n",
    );
    site.build_ok(&[]);
    let steps: &[(&str, &str, &str, &[&str])] = &[
        // Go's facts show on its hub and the one article comparing it.
        (
            "contenders.yaml",
            "typing: static",
            "typing: strong",
            &["compare/go/index.html", "rust-vs-go/index.html"],
        ),
        // An article's own fact shows on that article only.
        ("articles/rust-vs-go.md", "6 months", "six months", &["rust-vs-go/index.html"]),
        // A label shows wherever a table has the key: the article and both hubs.
        (
            "site.yaml",
            "label: Licence",
            "label: License",
            &["compare/go/index.html", "compare/rust/index.html", "rust-vs-go/index.html"],
        ),
    ];
    for &(file, from, to, shown_on) in steps {
        let before = snapshot(&site.path("dist"));
        let text = std::fs::read_to_string(site.path(file)).unwrap();
        site.write(file, &text.replacen(from, to, 1));
        let build = site.build_ok(&[]);
        let after = snapshot(&site.path("dist"));
        for rel in shown_on {
            let rel = std::path::Path::new(rel);
            assert!(before.get(rel) != after.get(rel), "{to}: {} did not change", rel.display());
        }
        assert_eq!(rendered(&build.stderr), shown_on.len(), "{to}: {}", build.stderr);
    }
}

#[test]
fn the_writing_guides_examples_build_as_described() {
    let guide = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/writing.md"),
    )
    .unwrap();
    let section = &guide[guide.find("## Facts side by side").unwrap()..];
    let blocks: Vec<&str> =
        section.split("```yaml\n").skip(1).take(3).map(|b| &b[..b.find("```").unwrap()]).collect();
    let (catalog, front_matter, labels) = (blocks[0], blocks[1], blocks[2]);
    let contenders = front_matter.split_once("contenders:\n").unwrap().1;
    let site = Site::new();
    site.write("contenders.yaml", catalog)
        .write("site.yaml", &format!("title: T\nbase_url: https://example.com/\n{labels}"))
        .write(
            "articles/rust-vs-go.md",
            &format!("---\ntitle: R\ndate: 2025-01-01\nauthor: jane\ncontenders:\n{contenders}---\nBody.\n"),
        );
    let page = site.build_ok(&[]).html("rust-vs-go/index.html");
    let got = rows(&page);
    let shown: Vec<(&str, &str)> = got.iter().map(|(k, l, _)| (k.as_str(), l.as_str())).collect();
    assert_eq!(
        shown,
        [
            ("first_release", "First release"),
            ("license", "Licence"),
            ("written_in", "Written in"),
            ("garbage_collected", "Garbage collected"),
            ("source", "Source"),
            ("release_cadence", "Release cadence"),
        ]
    );
    assert_eq!(got[5].2, ["", "Every 6 months"]);
}
