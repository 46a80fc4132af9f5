//! A build into an empty output with the cache kept (a CI job that restored
//! `.verdict-cache/`) puts back the files of the last build's output from the cache's
//! output store instead of rendering them: the same bytes as a build from nothing, and
//! a stored file changed since (edited through the output's link to it) is never put
//! back.

use std::io::{Seek as _, Write as _};

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::support::{Site, snapshot};

/// Asserts that two outputs hold the same files, naming those that differ.
fn assert_same(got: &BTreeMap<PathBuf, Vec<u8>>, expected: &BTreeMap<PathBuf, Vec<u8>>) {
    let differ: Vec<&PathBuf> =
        got.keys().chain(expected.keys()).filter(|p| got.get(*p) != expected.get(*p)).collect();
    assert!(differ.is_empty(), "files that differ: {differ:?}");
}

/// How many pages the build rendered, from its summary line.
fn rendered(summary: &str) -> usize {
    let (before, _) = summary.split_once(" rendered").expect("a build summary");
    before.rsplit(' ').next().unwrap().parse().expect("a count")
}

/// How many social cards the build drew.
fn drawn(summary: &str) -> usize {
    let (before, _) = summary.split_once(" drawn").expect("a build summary");
    before.rsplit(' ').next().unwrap().parse().expect("a count")
}

#[test]
fn an_empty_output_gets_the_stored_files_back() {
    let site = Site::fixture("site_wide/basic");
    let output = |name: &str| site.tmp().join(name).to_str().unwrap().to_string();
    let first = site.build_ok(&["--output", &output("first")]);
    assert!(rendered(&first.stderr) > 5, "{}", first.stderr);
    let built = snapshot(&first.out);
    assert!(built.keys().any(|p| p.ends_with("social-card.png")), "cards are built");
    assert!(built.keys().any(|p| p.starts_with("search/t")), "the index is built");

    // The cache kept, the output empty: nothing rendered or drawn, the same files.
    let ci = site.build_ok(&["--output", &output("ci")]);
    assert_eq!(rendered(&ci.stderr), 0, "{}", ci.stderr);
    assert_eq!(drawn(&ci.stderr), 0, "{}", ci.stderr);
    assert_same(&snapshot(&ci.out), &built);

    // A page of that output edited in place changes the stored file linked to it, even
    // with its length and modification time as they were: the next empty output gets
    // that page rendered again, not the edit.
    let page = ci.path("go-vs-python/index.html");
    let modified = std::fs::metadata(&page).unwrap().modified().unwrap();
    let mut file = std::fs::OpenOptions::new().write(true).open(&page).unwrap();
    file.seek(std::io::SeekFrom::Start(0)).unwrap();
    file.write_all(b"<!-- edited -->").unwrap();
    file.set_modified(modified).unwrap();
    drop(file);
    let again = site.build_ok(&["--output", &output("again")]);
    assert_eq!(rendered(&again.stderr), 1, "{}", again.stderr);
    assert_same(&snapshot(&again.out), &built);

    // An edited article: its pages are rendered, the rest put back, and the output is
    // what a build from nothing makes.
    let article = site.path("articles/go-vs-python.md");
    let text = std::fs::read_to_string(&article).unwrap();
    site.write("articles/go-vs-python.md", &format!("{text}\nOne more paragraph.\n"));
    let edited = site.build_ok(&["--output", &output("edited")]);
    let count = rendered(&edited.stderr);
    assert!(count >= 1 && count < rendered(&first.stderr), "{}", edited.stderr);
    let fresh = site.build_ok(&["--output", &output("fresh"), "--no-cache"]);
    assert_same(&snapshot(&edited.out), &snapshot(&fresh.out));
    assert!(edited.read("go-vs-python/index.html").contains("One more paragraph."));

    // The store holds only the last build's files.
    let stored = std::fs::read_dir(site.path(".verdict-cache/output")).unwrap().count();
    let listed = std::fs::read_to_string(site.path(".verdict-cache/output.txt")).unwrap();
    let contents: std::collections::HashSet<&str> =
        listed.lines().skip(1).filter_map(|l| l.split('\t').nth(1)).collect();
    assert_eq!(stored, contents.len());
}

/// A file the store cannot put back leaves what the build wrote in its place: the
/// search records the pages wrote stay when the store lacks them.
#[test]
fn what_the_store_lacks_is_left_as_written() {
    let site = Site::fixture("site_wide/basic");
    let output = |name: &str| site.tmp().join(name).to_str().unwrap().to_string();
    site.build_ok(&["--output", &output("first")]);
    // Every page is rendered again (a setting changed), the search index is not; and
    // the store's list forgot the search records.
    let config = std::fs::read_to_string(site.path("site.yaml")).unwrap();
    let config = config.replace("description: ", "description: Another. ");
    assert!(config.contains("Another. "), "{config}");
    site.write("site.yaml", &config);
    let listed = std::fs::read_to_string(site.path(".verdict-cache/output.txt")).unwrap();
    let kept: Vec<&str> = listed.lines().filter(|l| !l.contains("\tsearch/d/")).collect();
    assert!(kept.len() < listed.lines().count(), "the list names search records");
    site.write(".verdict-cache/output.txt", &(kept.join("\n") + "\n"));
    let built = site.build_ok(&["--output", &output("second")]);
    let fresh = site.build_ok(&["--output", &output("fresh"), "--no-cache"]);
    assert_same(&snapshot(&built.out), &snapshot(&fresh.out));
}
