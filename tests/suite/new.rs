//! `verdict new "Rust vs Go"`: a draft with its front matter filled in, never over an
//! existing file.

use crate::diagnostics::verdict;
use crate::support::Site;

fn today() -> String {
    jiff::ZonedDateTime::now().date().to_string()
}

#[test]
fn writes_a_draft_with_front_matter_from_the_title() {
    let site = Site::new();
    let run = verdict(site.root(), &["new", "Rust vs Go"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "articles/rust-vs-go.md\n", "the path, for scripts");
    let text = std::fs::read_to_string(site.path("articles/rust-vs-go.md")).unwrap();
    let expected_head = format!(
        "---\ntitle: \"Rust vs Go\"\ndate: {}\nauthor: jane\ntags: []\ncontenders:\n  - Rust\n  - Go\ndraft: true\n---\n",
        today()
    );
    assert!(text.starts_with(&expected_head), "{text}");
    for criterion in ["## Performance", "## Developer experience", "## Ecosystem"] {
        let section = text.split(criterion).nth(1).unwrap_or_else(|| panic!("no {criterion}"));
        let section = section.split("\n## ").next().unwrap();
        assert!(section.trim_end().lines().last().unwrap().starts_with("**Winner:**"), "{section}");
    }
    assert!(text.contains("## Choose Rust if") && text.contains("## Choose Go if"), "{text}");
}

#[test]
fn new_draft_builds_and_checks() {
    let site = Site::new();
    assert_eq!(verdict(site.root(), &["new", "PostgreSQL vs MySQL vs SQLite"]).code, 0);
    let build = verdict(site.root(), &["build", "--drafts"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let page = std::fs::read_to_string(site.path("dist/postgresql-vs-mysql-vs-sqlite/index.html"))
        .unwrap();
    for id in ["postgresql", "mysql", "sqlite"] {
        assert!(page.contains(&format!("data-choose-if=\"{id}\"")), "{id}");
    }
    let check = verdict(site.root(), &["check", "--drafts"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    let warnings: Vec<&str> = check.stderr.lines().filter(|l| l.contains(": warning: ")).collect();
    assert!(!warnings.is_empty(), "{}", check.stderr);
    assert!(warnings.iter().all(|w| w.contains("placeholder")), "{}", check.stderr);
    assert!(!verdict(site.root(), &["build"]).stderr.contains("1 article"), "a draft");
}

#[test]
fn refuses_to_overwrite() {
    let site = Site::new();
    site.write("articles/rust-vs-go.md", "mine");
    let run = verdict(site.root(), &["new", "Rust versus Go"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: `articles/rust-vs-go.md` already exists\n  = help: edit that article, or choose another title\n"
    );
    assert_eq!(std::fs::read_to_string(site.path("articles/rust-vs-go.md")).unwrap(), "mine");

    let bundle = verdict(site.root(), &["new", "Rust vs. Go", "--bundle"]);
    assert_eq!(bundle.code, 1, "a bundle takes the same slug");
    assert!(!site.path("articles/rust-vs-go").exists());
}

#[test]
fn writes_a_bundle() {
    let site = Site::new();
    let run = verdict(site.tmp(), &["new", "C++ vs C#: Which One?", "--bundle", "--root", "site"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "site/articles/cpp-vs-csharp/index.md\n");
    let text = std::fs::read_to_string(site.path("articles/cpp-vs-csharp/index.md")).unwrap();
    assert!(text.contains("title: \"C++ vs C#: Which One?\"\n"), "{text}");
    assert!(text.contains("contenders:\n  - C++\n  - C#\n"), "{text}");
}

#[test]
fn commas_name_three_or_more() {
    let site = Site::new();
    assert_eq!(verdict(site.root(), &["new", "React, Vue and Svelte"]).code, 0);
    let text = std::fs::read_to_string(site.path("articles/react-vs-vue-vs-svelte.md")).unwrap();
    assert!(text.contains("contenders:\n  - React\n  - Vue\n  - Svelte\n"), "{text}");
}

#[test]
fn and_joins_two_names() {
    let site = Site::new();
    let run = verdict(site.root(), &["new", "Rust and Go"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "articles/rust-vs-go.md\n");
    let text = std::fs::read_to_string(site.path("articles/rust-vs-go.md")).unwrap();
    assert!(text.contains("title: \"Rust and Go\"\n"), "{text}");
    assert!(text.contains("contenders:\n  - Rust\n  - Go\n"), "{text}");
    assert!(text.contains("## Choose Rust if") && text.contains("## Choose Go if"), "{text}");

    // With `vs` in the title, `and` stays inside a name.
    let run = verdict(site.root(), &["new", "Rust vs Go and friends"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "articles/rust-vs-go-and-friends.md\n");
    let text = std::fs::read_to_string(site.path("articles/rust-vs-go-and-friends.md")).unwrap();
    assert!(text.contains("contenders:\n  - Rust\n  - Go and friends\n"), "{text}");

    // Prose around `and` is not a list of names.
    let prose = verdict(site.root(), &["new", "Why Rust and Go"]);
    assert_eq!(prose.code, 2, "{}", prose.stderr);
    assert!(prose.stderr.starts_with("error: cannot read two contenders"), "{}", prose.stderr);
}

#[test]
fn chooses_the_author() {
    let site = Site::new();
    site.write("authors/bob.md", "---\nname: Bob\n---\nBob.\n");
    let run = verdict(site.root(), &["new", "Rust vs Go"]);
    assert_eq!(run.code, 2, "two authors and no default");
    assert_eq!(
        run.stderr,
        "error: which author? the site has several\n  \
         = help: pass `--author` with one of `bob`, `jane`, or set `default_author` in site.yaml\n"
    );

    let typo = verdict(site.root(), &["new", "Rust vs Go", "--author", "jnae"]);
    assert_eq!(typo.code, 2);
    assert_eq!(typo.stderr, "error: unknown author `jnae`\n  = help: did you mean `jane`?\n");

    assert_eq!(verdict(site.root(), &["new", "Rust vs Go", "--author", "bob"]).code, 0);
    let text = std::fs::read_to_string(site.path("articles/rust-vs-go.md")).unwrap();
    assert!(text.contains("\nauthor: bob\n"), "{text}");

    site.write("site.yaml", "title: T\nbase_url: https://example.com/\ndefault_author: jane\n");
    assert_eq!(verdict(site.root(), &["new", "Vim vs Emacs"]).code, 0);
    let text = std::fs::read_to_string(site.path("articles/vim-vs-emacs.md")).unwrap();
    assert!(text.contains("\nauthor: jane\n"), "{text}");
}

#[test]
fn title_without_contenders_is_a_usage_error() {
    let site = Site::new();
    let run = verdict(site.root(), &["new", "My thoughts on databases"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with(
        "error: cannot read two contenders from the title `My thoughts on databases`\n"
    ));
    assert!(!site.path("articles").exists());
}

#[test]
fn a_contender_named_after_a_windows_device_is_a_usage_error() {
    let site = Site::new();
    let run = verdict(site.root(), &["new", "Con vs Go"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(
            "error: the contender `Con` would get the id `con`, a device name that Windows reserves\n"
        ),
        "{}",
        run.stderr
    );
    assert!(!site.path("articles").exists());
}

#[test]
fn needs_a_site() {
    let site = Site::empty();
    let run = verdict(site.root(), &["new", "Rust vs Go"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.starts_with("site.yaml: error: no `site.yaml` in `.`"), "{}", run.stderr);
    assert!(run.stderr.ends_with("nothing written: 1 error\n"), "{}", run.stderr);
}
