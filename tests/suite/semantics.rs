//! How a comparison page reads ordinary writing: the description and the lede.

use crate::support::Site;

#[test]
fn a_description_taken_from_the_first_paragraph_is_not_shown_twice() {
    let site = Site::new();
    site.write(
        "articles/a-vs-b.md",
        "---\ntitle: Ada vs Bash\ndate: 2025-01-01\nauthor: jane\ncontenders: [Ada, Bash]\n---\n\
         The opening paragraph of the comparison.\n\n## Speed\n\nWinner: Ada\n",
    );
    let page = site.build_ok(&[]).html("a-vs-b/index.html");
    assert_eq!(
        page.attrs("meta[name=\"description\"]", "content"),
        ["The opening paragraph of the comparison."]
    );
    assert!(!page.has(".lede"), "the lede repeats the first paragraph: {}", page.source);
    // The page shows it once, in the body.
    assert_eq!(
        page.select("main p")
            .iter()
            .filter(|p| crate::support::text(**p).contains("The opening paragraph"))
            .count(),
        1
    );
}

#[test]
fn a_written_description_is_the_lede() {
    let site = Site::new();
    site.write(
        "articles/a-vs-b.md",
        "---\ntitle: Ada vs Bash\ndate: 2025-01-01\nauthor: jane\ncontenders: [Ada, Bash]\n\
         description: Which to pick, in short.\n---\nThe body.\n\n## Speed\n\nWinner: Ada\n",
    );
    let page = site.build_ok(&[]).html("a-vs-b/index.html");
    assert_eq!(page.text(".lede"), "Which to pick, in short.");
}

#[test]
fn when_the_first_paragraph_is_a_callout_the_description_is_the_first_prose() {
    let site = Site::new();
    site.write(
        "articles/a-vs-b.md",
        "---\ntitle: Ada vs Bash\ndate: 2025-01-01\nauthor: jane\ncontenders: [Ada, Bash]\n---\n\
         **Winner:** Ada, for safety-critical work.\n\n\
         > A quotation to open with.\n\n\
         - a list item\n\n\
         The first prose paragraph.\n\n## Speed\n\nMiddle prose.\n\nWinner: Ada\n\nThe last one.\n",
    );
    let page = site.build_ok(&[]).html("a-vs-b/index.html");
    assert_eq!(page.attrs("meta[name=\"description\"]", "content"), ["The first prose paragraph."]);
}
