//! The examples of the README and `docs/writing.md` build and read as documented: the
//! article of the README, and every callout of the table in `docs/writing.md` with the
//! winners that table gives it.

use std::path::Path;

use crate::support::{JANE, Site};

fn read_doc(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap()
}

#[test]
fn the_readme_article_builds_and_reads_as_documented() {
    let readme = read_doc("README.md");
    let start = readme.find("```markdown\n").expect("the README shows an article") + 12;
    let article = &readme[start..start + readme[start..].find("```").unwrap()];
    let site = Site::new();
    site.write("authors/jane-doe.md", JANE).write("articles/rust-vs-go.md", article);
    let page = site.build_ok(&[]).html("rust-vs-go/index.html");
    assert_eq!(page.attrs(".winner-callout", "data-winners"), ["rust"]);
    assert_eq!(page.attrs(".winner-callout", "data-criterion"), ["Performance"]);
}

#[test]
fn every_callout_in_the_writing_guide_reads_as_the_guide_says() {
    let guide = read_doc("docs/writing.md");
    let ids = [("Rust", "rust"), ("Go", "go"), ("Python", "python"), ("Node.js", "node-js")];
    let mut body = String::new();
    let mut expected = Vec::new();
    for row in guide.lines().filter(|l| l.starts_with("| `") && l.contains("Winner:")) {
        let (callout, reading) = row[3..].split_once("` | ").expect("a row of two cells");
        let reading = reading.trim_end_matches(" |");
        let reading = reading.split(" (").next().unwrap();
        let names: Vec<&str> = if reading == "tie" {
            Vec::new()
        } else {
            reading.trim_start_matches("split: ").split(" and ").collect()
        };
        let mut winners: Vec<&str> = names
            .iter()
            .map(|n| ids.iter().find(|(name, _)| name == n).unwrap_or_else(|| panic!("{n}")).1)
            .collect();
        winners.sort_unstable();
        let criterion = format!("Case {}", expected.len() + 1);
        body.push_str(&format!("## {criterion}\n\n{callout}\n\n"));
        expected.push((criterion, winners.join(" ")));
    }
    assert!(expected.len() >= 12, "the guide's table has {} callouts", expected.len());
    let site = Site::new();
    site.write(
        "articles/four.md",
        &format!(
            "---\ntitle: Four\ndate: 2025-01-01\nauthor: jane\n\
             contenders: [Rust, Go, Python, Node.js]\n---\n{body}"
        ),
    );
    let page = site.build_ok(&[]).html("four/index.html");
    let got: Vec<(String, String)> = page
        .select(".winner-callout")
        .iter()
        .map(|e| {
            let mut winners: Vec<&str> =
                e.value().attr("data-winners").unwrap().split_whitespace().collect();
            winners.sort_unstable();
            (e.value().attr("data-criterion").unwrap().to_string(), winners.join(" "))
        })
        .collect();
    assert_eq!(got, expected);
}
