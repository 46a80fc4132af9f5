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
