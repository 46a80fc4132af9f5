//! The output does not depend on how it was made: cold or warm cache, one thread or many.

use crate::support::{Site, snapshot};

fn site() -> Site {
    let site = Site::fixture("site_wide/basic");
    site.write(
        "articles/code.md",
        "---\ntitle: Code\ndate: 2025-03-01\nauthor: jane\ncontenders: [Rust, Go]\n---\n\n## Speed\n\n```rust\nfn main() { println!(\"hi\"); }\n```\n\n```go\nfunc main() {}\n```\n\n```rust\nfn main() { println!(\"hi\"); }\n```\n\n**Winner:** Rust\n",
    );
    site
}

#[test]
fn cold_warm_and_single_threaded_builds_are_byte_identical() {
    let site = site();
    let out = |name: &str| site.tmp().join(name).to_str().unwrap().to_string();
    let (cold, first, warm, single) = (out("cold"), out("first"), out("warm"), out("single"));
    site.build_ok(&["--no-cache", "--output", &cold]);
    assert!(!site.path(".verdict-cache").exists(), "--no-cache writes no cache");
    site.build_ok(&["--output", &first]);
    assert!(site.path(".verdict-cache/highlight.bin").exists());
    site.build_ok(&["--output", &warm]);
    let reference = snapshot(std::path::Path::new(&cold));
    assert_eq!(snapshot(std::path::Path::new(&first)), reference, "first build with the cache");
    assert_eq!(snapshot(std::path::Path::new(&warm)), reference, "warm build");

    let status = std::process::Command::new(crate::support::BIN)
        .args(["build", "--root", site.root().to_str().unwrap(), "--output", &single])
        .env("RAYON_NUM_THREADS", "1")
        .output()
        .unwrap();
    assert!(status.status.success());
    assert_eq!(snapshot(std::path::Path::new(&single)), reference, "single-threaded build");
}

#[test]
fn a_warm_build_that_keeps_every_page_keeps_the_highlighted_code() {
    let site = site();
    // Newer articles push the one with code out of the feed, which would otherwise
    // render its body (and look its blocks up) in every build.
    for day in 1..=20 {
        site.write(
            &format!("articles/news-{day}.md"),
            &format!("---\ntitle: News {day}\ndate: 2026-01-{day:02}\nauthor: jane\ncontenders: [Rust, Go]\n---\n\n## Speed\n\n**Winner:** Go\n"),
        );
    }
    site.build_ok(&[]);
    let cache = site.path(".verdict-cache/highlight.bin");
    let filled = std::fs::read(&cache).unwrap();
    let has = |bytes: &[u8], word: &str| bytes.windows(word.len()).any(|w| w == word.as_bytes());
    assert!(has(&filled, "data-lang=\"go\""), "the Go block is cached");
    // Nothing changed: every page is kept and no block is looked up, yet all stay cached
    // for the next build that renders those pages again.
    let output = site.build_ok(&[]).stderr;
    assert!(output.contains(" 0 rendered"), "{output}");
    assert!(std::fs::read(&cache).unwrap() == filled, "the cache was not kept whole");
    // A block that left the site leaves the cache.
    let code = site.path("articles/code.md");
    let text = std::fs::read_to_string(&code).unwrap();
    site.write("articles/code.md", &text.replace("```go\nfunc main() {}", "```python\npass"));
    site.build_ok(&[]);
    let after = std::fs::read(&cache).unwrap();
    assert!(!has(&after, "data-lang=\"go\""), "the Go block left the cache");
    assert!(has(&after, "data-lang=\"python\""), "the Python block is cached");
}

#[test]
fn the_outline_cache_is_written_only_when_an_outline_changed() {
    use std::os::unix::fs::MetadataExt;
    let site = site();
    site.build_ok(&[]);
    let outlines = site.path(".verdict-cache/outlines.bin");
    let inode = || std::fs::metadata(&outlines).unwrap().ino();
    let (first, bytes) = (inode(), std::fs::read(&outlines).unwrap());
    site.build_ok(&[]);
    assert_eq!(inode(), first, "a build that changed nothing left the file as it was");
    let code = site.path("articles/code.md");
    let text = std::fs::read_to_string(&code).unwrap();
    site.write("articles/code.md", &text.replace("## Speed", "## Raw speed"));
    site.build_ok(&[]);
    assert_ne!(inode(), first, "an edited outline is saved");
    let edited = inode();
    assert_ne!(std::fs::read(&outlines).unwrap(), bytes);
    let saved = std::fs::read(&outlines).unwrap();
    let has = |word: &str| saved.windows(word.len()).any(|w| w == word.as_bytes());
    assert!(has("Raw speed"), "the new heading is in the saved outline");
    // And the saved outlines are the ones the next build uses.
    let warm = site.build_ok(&[]);
    assert!(warm.stderr.contains(" 0 rendered"), "{}", warm.stderr);
    assert_eq!(inode(), edited, "still the edited build's file");
    assert!(warm.read("code/index.html").contains("Raw speed"));
}

#[test]
fn a_damaged_cache_is_ignored() {
    let site = site();
    site.build_ok(&[]);
    let reference = snapshot(&site.path("dist"));
    site.write_bytes(".verdict-cache/highlight.bin", b"verdict-highlight-cache 2 0.1.0\ngarbage");
    site.build_ok(&[]);
    assert_eq!(snapshot(&site.path("dist")), reference);
}

#[test]
fn warm_rebuilds_in_place_match_cold_builds_after_edits() {
    let site = site();
    let cold = |name: &str| {
        let dir = site.tmp().join(name);
        site.build_ok(&["--no-cache", "--output", dir.to_str().unwrap()]);
        snapshot(&dir)
    };
    site.build_ok(&[]);
    site.build_ok(&[]);
    assert_eq!(snapshot(&site.path("dist")), cold("cold-1"), "nothing changed");

    let code = site.path("articles/code.md");
    let text =
        std::fs::read_to_string(&code).unwrap().replace("**Winner:** Rust", "**Winner:** Go");
    site.write("articles/code.md", &text);
    site.build_ok(&[]);
    assert_eq!(snapshot(&site.path("dist")), cold("cold-2"), "one article changed");

    // A build into another folder must not make the next build into `dist` reuse pages
    // that `dist` does not hold.
    let other = site.tmp().join("other");
    site.write("articles/code.md", &text.replace("title: Code", "title: Code, again"));
    site.build_ok(&["--output", other.to_str().unwrap()]);
    site.write("articles/code.md", &text.replace("title: Code", "title: Code, third"));
    site.build_ok(&[]);
    assert_eq!(snapshot(&site.path("dist")), cold("cold-3"), "after building elsewhere");
}

/// Warm builds keep pages whose inputs (articles, authors, settings) did not change
/// without building their views: after each kind of edit, in sequence, the output must
/// be exactly what a build from scratch makes. The edits change things that pages
/// other than the edited article's show (related cards, home and tag lists, author
/// names and counts, contender names from `contenders.yaml`, settings).
#[test]
fn warm_builds_match_fresh_builds_after_every_kind_of_edit() {
    let site = site();
    // The default theme, which shows everything (the fixture's templates show little).
    site.remove("templates/article.html").remove("templates/contender.html");
    let edit = |rel: &str, from: &str, to: &str| {
        let text = std::fs::read_to_string(site.path(rel)).unwrap();
        assert!(text.contains(from), "{rel} holds {from:?}");
        site.write(rel, &text.replacen(from, to, 1));
    };
    type Step<'a> = (&'a str, Box<dyn Fn() + 'a>);
    let steps: Vec<Step<'_>> = vec![
        ("nothing", Box::new(|| {})),
        (
            "title of a related article",
            Box::new(|| {
                edit("articles/go-vs-python.md", "title: Go vs Python", "title: Go or Python")
            }),
        ),
        (
            "a tag",
            Box::new(|| {
                edit("articles/go-vs-python.md", "tags: [backend]", "tags: [backend, scripting]")
            }),
        ),
        (
            "the author's name",
            Box::new(|| edit("authors/jane.md", "name: Jane Doe", "name: Jane Roe")),
        ),
        (
            "a contender's link in contenders.yaml",
            Box::new(|| edit("contenders.yaml", "url: https://go.dev", "url: https://golang.org")),
        ),
        (
            "a winner",
            Box::new(|| {
                edit("articles/go-vs-python.md", "**Winner:** Golang", "**Winner:** Python")
            }),
        ),
        (
            "a date, which reorders lists",
            Box::new(|| edit("articles/go-vs-python.md", "date: 2025-01-02", "date: 2026-01-02")),
        ),
        (
            "a new article",
            Box::new(|| {
                site.write("articles/go-vs-zig.md", "---\ntitle: Go vs Zig\ndate: 2025-02-02\nauthor: jane\ntags: [backend]\ncontenders: [Go, Zig]\n---\nBody.\n\n**Winner:** Zig\n");
            }),
        ),
        (
            "settings",
            Box::new(|| {
                site.write("site.yaml", "title: Renamed\nbase_url: https://example.org/sub/\ndescription: New.\npaginate: 1\n");
            }),
        ),
        (
            "a removed article",
            Box::new(|| {
                site.remove("articles/zig-vs-c.md").write("articles/keep.md", "---\ntitle: Keep\ndate: 2024-01-01\nauthor: jane\ncontenders: [C, Zig]\n---\nKeep.\n");
            }),
        ),
        (
            "a template",
            Box::new(|| {
                let theme = concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/templates/");
                let text = std::fs::read_to_string(format!("{theme}article.html")).unwrap();
                site.write("templates/article.html", &text.replacen("<h1", "<h1 data-edited", 1));
            }),
        ),
    ];
    site.build_ok(&[]);
    for (n, (what, step)) in steps.iter().enumerate() {
        step();
        site.build_ok(&[]);
        let fresh = site.tmp().join(format!("fresh-{n}"));
        site.build_ok(&["--no-cache", "--output", fresh.to_str().unwrap()]);
        assert!(snapshot(&site.path("dist")) == snapshot(&fresh), "after editing {what}");
    }
}
