//! `verdict init DIR`: a new site that builds at once on the built-in theme, and never
//! replaces a file.

use crate::diagnostics::verdict;
use crate::support::{Page, Site, snapshot};

#[test]
fn new_site_builds_on_the_embedded_theme() {
    let site = Site::empty();
    let run = verdict(site.tmp(), &["init", "blog"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    let root = site.tmp().join("blog");
    let files: Vec<String> =
        snapshot(&root).keys().map(|p| p.to_string_lossy().replace('\\', "/")).collect();
    assert_eq!(
        files,
        [
            ".gitignore",
            "articles/sqlite-vs-postgresql.md",
            "authors/jane-doe.md",
            "site.yaml",
            "static/.gitkeep"
        ]
    );
    assert!(!root.join("themes").exists(), "the theme is built in");
    let gitignore = std::fs::read_to_string(root.join(".gitignore")).unwrap();
    assert!(gitignore.lines().any(|l| l == "dist/"), "{gitignore}");

    let build = verdict(&root, &["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let page = Page::new(
        std::fs::read_to_string(root.join("dist/sqlite-vs-postgresql/index.html")).unwrap(),
    );
    assert_eq!(page.select(".winner-callout").len(), 4);
    assert_eq!(page.select("table.scorecard tr[data-criterion]").len(), 4);
    assert!(page.has("[data-choose-if=\"sqlite\"]") && page.has("[data-choose-if=\"postgresql\"]"));
    assert!(page.source.contains("GROUP BY"), "the code block");
    assert!(root.join("dist/authors/jane-doe/index.html").exists());
}

#[test]
fn new_site_has_no_warnings() {
    let site = Site::empty();
    assert_eq!(verdict(site.tmp(), &["init", "blog"]).code, 0);
    let check = verdict(&site.tmp().join("blog"), &["check", "--deny-warnings"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert_eq!(check.stderr, "Checked 1 article, 0 pages and 1 author: no errors or warnings\n");
}

#[test]
fn refuses_a_folder_that_is_not_empty() {
    let site = Site::new();
    let before = snapshot(site.root());
    let run = verdict(site.tmp(), &["init", "site"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: `site` is not empty\n  = help: choose a new folder, or pass `--force` to add the \
         missing files (existing files are never replaced)\n"
    );
    assert!(snapshot(site.root()) == before, "nothing written");
}

#[test]
fn force_adds_files_and_keeps_the_existing_ones() {
    let site = Site::new();
    let yaml = std::fs::read(site.path("site.yaml")).unwrap();
    let run = verdict(site.tmp(), &["init", "site", "--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.starts_with("Kept the existing `site.yaml`\n"), "{}", run.stderr);
    assert_eq!(std::fs::read(site.path("site.yaml")).unwrap(), yaml, "never replaced");
    assert!(site.path("articles/sqlite-vs-postgresql.md").exists());
    assert!(site.path("authors/jane-doe.md").exists());
}

#[test]
fn init_in_the_current_folder() {
    let site = Site::empty();
    let run = verdict(site.root(), &["init", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.path("site.yaml").exists());
}
