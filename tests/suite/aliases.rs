//! An article's `aliases:` (its old addresses): a redirect page at each, `_redirects` for
//! the hosts that read it, and clear errors for aliases that are no path of the site or
//! that meet another output path.

use crate::support::{Site, run, snapshot};

fn renamed(aliases: &str) -> String {
    format!(
        "---\ntitle: \"Rust vs Go <2025>\"\ndate: 2025-01-01\nauthor: jane\nslug: rust-vs-go\naliases: {aliases}\ncontenders: [Rust, Go]\n---\n\n## Speed\n\n**Winner:** Rust\n"
    )
}

fn other(slug: &str, body: &str) -> String {
    format!(
        "---\ntitle: Other\ndate: 2025-02-01\nauthor: jane\ncontenders: [Zig, C]\n---\n{body}\n"
    )
    .replace("title: Other", &format!("title: Other\nslug: {slug}"))
}

#[test]
fn each_alias_is_a_page_that_redirects_to_the_article() {
    let site = Site::new();
    site.write("articles/rust-vs-go.md", &renamed("[old-slug, /2024/old-path/, /2019/old.html]"));
    let build = site.build_ok(&[]);
    for rel in ["old-slug/index.html", "2024/old-path/index.html", "2019/old.html"] {
        let page = build.html(rel);
        assert_eq!(
            page.attrs("meta[http-equiv=\"refresh\"]", "content"),
            ["0; url=/rust-vs-go/"],
            "{rel}"
        );
        assert_eq!(
            page.attrs("link[rel=\"canonical\"]", "href"),
            ["https://example.com/rust-vs-go/"]
        );
        assert_eq!(page.attrs("meta[name=\"robots\"]", "content"), ["noindex"]);
        assert_eq!(page.attrs("link[rel=\"icon\"]", "href"), ["/favicon.svg"], "as every page");
        assert_eq!(page.attrs("main a", "href"), ["/rust-vs-go/"]);
        assert_eq!(page.text("title"), "Moved: Rust vs Go <2025>");
        assert!(page.source.contains("Rust vs Go &lt;2025&gt;"), "escaped");
    }
    assert_eq!(
        build.read("_redirects").lines().filter(|l| !l.starts_with('#')).collect::<Vec<_>>(),
        [
            "/old-slug /rust-vs-go/ 301",
            "/old-slug/ /rust-vs-go/ 301",
            "/2024/old-path /rust-vs-go/ 301",
            "/2024/old-path/ /rust-vs-go/ 301",
            "/2019/old.html /rust-vs-go/ 301",
        ]
    );
    // Redirects are no pages of the sitemap or the search index.
    assert!(!build.read("sitemap.xml").contains("old"));
    assert!(!build.read("search.json").contains("old-slug"));
}

#[test]
fn aliases_follow_the_base_path() {
    let site = Site::new();
    site.write("articles/rust-vs-go.md", &renamed("[old-slug]"));
    let build = site.build_ok(&["--base-url", "https://example.com/blog/"]);
    let page = build.html("old-slug/index.html");
    assert_eq!(page.attrs("meta[http-equiv=\"refresh\"]", "content"), ["0; url=/blog/rust-vs-go/"]);
    assert_eq!(page.attrs("link[rel=\"icon\"]", "href"), ["/blog/favicon.svg"]);
    assert!(build.read("_redirects").contains("\n/blog/old-slug/ /blog/rust-vs-go/ 301\n"));
}

#[test]
fn no_alias_no_redirects_file_and_a_sites_own_is_kept_ahead() {
    let site = Site::new();
    site.write("articles/rust-vs-go.md", &renamed("[]"));
    assert!(!site.build_ok(&[]).exists("_redirects"));
    site.write("static/_redirects", "/docs/* https://docs.example.com/:splat 302");
    site.write("articles/rust-vs-go.md", &renamed("[old-slug]"));
    let text = site.build_ok(&[]).read("_redirects");
    assert!(text.starts_with("/docs/* https://docs.example.com/:splat 302\n\n# "), "{text}");
    assert!(text.ends_with("/old-slug/ /rust-vs-go/ 301\n"), "{text}");
}

#[test]
fn links_to_an_alias_are_valid_targets() {
    let site = Site::new();
    site.write("articles/rust-vs-go.md", &renamed("[old-slug]"));
    site.write(
        "articles/other.md",
        &other("other", "See [the old address](/old-slug/) and [a typo](/old-slg/)."),
    );
    let errors = site.build(&[]).assert_site_error();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].message.contains("/old-slg/"), "{}", errors[0].message);
    site.write("articles/other.md", &other("other", "See [the old address](/old-slug/)."));
    site.build_ok(&[]);
    let root = site.root().to_str().unwrap();
    let check = run(site.root(), &["check", "--root", root]);
    assert_eq!(check.status.code(), Some(0), "{}", String::from_utf8_lossy(&check.stderr));
}

#[test]
fn an_alias_that_meets_another_output_is_an_error_naming_both() {
    let site = Site::new();
    site.write("articles/rust-vs-go.md", &renamed("[old-slug]"));
    site.write("pages/about.md", "---\ntitle: About\n---\nUs.\n");
    site.write("static/legacy.html", "<p>legacy</p>");
    site.write("articles/other.md", &other("zig-vs-c", "Body."));
    let before = site.build_ok(&[]);
    let kept = snapshot(&before.out);
    let cases = [
        ("[zig-vs-c]", "the alias `zig-vs-c` is the address `/zig-vs-c/` of `articles/other.md`"),
        ("[/about/]", "the alias `/about/` is the address `/about/` of `pages/about.md`"),
        (
            "[legacy.html]",
            "the alias `legacy.html` is the address `/legacy.html` of the static file `static/legacy.html`",
        ),
        (
            "[tags/]",
            "the alias `tags/` is the address `/tags/` of a page the build makes (`/tags/`)",
        ),
        (
            "[compare/rust]",
            "the alias `compare/rust` is the address `/compare/rust/` of a page the build makes (`/compare/rust/`)",
        ),
        (
            "[404.html]",
            "the alias `404.html` is the address `/404.html` of a page the build makes (`/404.html`)",
        ),
    ];
    for (aliases, message) in cases {
        site.write("articles/rust-vs-go.md", &renamed(aliases));
        let errors = site.build(&[]).assert_site_error();
        assert_eq!(errors.len(), 1, "{aliases}: {errors:?}");
        assert_eq!(errors[0].path, "articles/rust-vs-go.md");
        assert_eq!(errors[0].location, Some((6, 1)), "{aliases}");
        assert_eq!(errors[0].message, message);
        assert_eq!(snapshot(&before.out), kept, "{aliases}: the last good output stays");
    }
    // Two articles giving the same old address.
    site.write("articles/rust-vs-go.md", &renamed("[old-slug]"));
    site.write(
        "articles/other.md",
        &other("zig-vs-c", "Body.").replace("contenders:", "aliases: [/old-slug/]\ncontenders:"),
    );
    let errors = site.build(&[]).assert_site_error();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(
        errors[0].text,
        "articles/rust-vs-go.md:6:1: error: the alias `old-slug` is the address `/old-slug/` of `articles/other.md` (line 6), whose alias it is too"
    );
    assert_eq!(snapshot(&before.out), kept);
}

#[test]
fn bad_aliases_are_clear_errors_at_their_line() {
    let site = Site::new();
    let cases = [
        (
            "[\"https://other.example/x/\"]",
            "the alias `https://other.example/x/` is an address, not a path of this site",
        ),
        ("[../up/]", "the alias `../up/` has a `..` segment"),
        ("[\"\"]", "an alias is empty"),
        ("[\"a b\"]", "the alias `a b` has the segment `a b`, which is not URL-safe"),
        ("[rust-vs-go]", "the alias `rust-vs-go` is the article's own address"),
        ("[old, /old/]", "the alias `/old/` is given twice"),
        (
            "[Go]",
            "the alias `Go` is a name of the contender `Go`: an article's `aliases` are its old addresses",
        ),
    ];
    for (aliases, message) in cases {
        site.write("articles/rust-vs-go.md", &renamed(aliases));
        let errors = site.build(&[]).assert_site_error();
        assert_eq!(errors.len(), 1, "{aliases}: {errors:?}");
        assert_eq!(errors[0].path, "articles/rust-vs-go.md");
        assert_eq!(errors[0].location.map(|l| l.0), Some(6), "{aliases}");
        assert_eq!(errors[0].message, message, "{aliases}");
        assert!(errors[0].help.is_some(), "{aliases}");
    }
    site.write("articles/rust-vs-go.md", &renamed("old-slug"));
    let errors = site.build(&[]).assert_site_error();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].location.map(|l| l.0), Some(6));
    assert!(errors[0].message.contains("aliases"), "{}", errors[0].message);
}

#[test]
fn a_contenders_aliases_are_other_names_not_addresses() {
    let site = Site::new();
    site.write(
        "articles/rust-vs-go.md",
        &renamed("[golang-vs-rust]").replace("[Rust, Go]", "[Rust, {name: Go, aliases: [Golang]}]"),
    );
    let build = site.build_ok(&[]);
    assert!(build.exists("golang-vs-rust/index.html"));
    assert!(!build.exists("Golang/index.html"));
    let site = Site::new();
    site.write(
        "articles/rust-vs-go.md",
        &renamed("[Golang]").replace("[Rust, Go]", "[Rust, {name: Go, aliases: [Golang]}]"),
    );
    let errors = site.build(&[]).assert_site_error();
    assert_eq!(
        errors[0].help.as_deref(),
        Some(
            "write other names of a technology under its contender: `- {name: Go, aliases: [Golang]}`"
        )
    );
}
