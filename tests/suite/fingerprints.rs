//! A warm build keeps a page only when nothing it shows changed. Every template here
//! prints its whole context (`__tera_context`), so each field of each view reaches the
//! page: after an edit to any one field, the pages that show it must be rendered again,
//! and the whole output must be what a build from scratch makes. A page fingerprint that
//! forgot an input fails here.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::support::{Site, png, snapshot};

fn site() -> Site {
    let site = Site::fixture("site_wide/basic");
    // Every page template (`base.html` is only extended).
    for name in verdict::templates::REQUIRED_TEMPLATES.iter().filter(|&&n| n != "base.html") {
        site.write(&format!("templates/{name}"), "{{ __tera_context }}\n");
    }
    // The article most steps edit is the only one by its author, so that the pages
    // showing that author are not re-rendered for another article's sake.
    site.write("authors/sam.md", "---\nname: Sam Lee\nrole: Editor\n---\nSam compares things.\n");
    edit(&site, ARTICLE, "author: jane", "author: sam");
    site.write("pages/about.md", "---\ntitle: About\n---\nWho we are.\n");
    // An image of `static/`, whose size the article page shows.
    site.write_bytes("static/img/chart.png", &png(40, 20));
    let text = std::fs::read_to_string(site.path(ARTICLE)).unwrap();
    site.write(ARTICLE, &format!("{text}\n![Chart](../img/chart.png)\n"));
    site.write(
        "contenders.yaml",
        "go:\n  name: Go\n  url: https://go.dev\n  aliases: [Golang]\n  description: \"A **compiled** language.\"\n",
    );
    site
}

/// What a step edits, and pages (output paths) that show it.
struct Step<'a> {
    what: &'a str,
    edit: Box<dyn Fn(&Site) + 'a>,
    shown_on: &'a [&'a str],
}

fn edit(site: &Site, rel: &str, from: &str, to: &str) {
    let text = std::fs::read_to_string(site.path(rel)).unwrap();
    assert!(text.contains(from), "{rel} holds {from:?}");
    site.write(rel, &text.replacen(from, to, 1));
}

fn step<'a>(
    what: &'a str,
    rel: &'a str,
    from: &'a str,
    to: &'a str,
    shown_on: &'a [&'a str],
) -> Step<'a> {
    Step { what, edit: Box::new(move |site| edit(site, rel, from, to)), shown_on }
}

const ARTICLE: &str = "articles/go-vs-python.md";
/// A logo for Go.
const LOGO: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 8 8\"><rect width=\"8\" height=\"8\" fill=\"#00add8\"/></svg>\n";
const AUTHOR: &str = "authors/sam.md";
/// Every page that lists the article (its card) or shows it.
const CARDS: &[&str] = &[
    "go-vs-python/index.html",
    "index.html",
    "tags/backend/index.html",
    "authors/sam/index.html",
    "compare/go/index.html",
    "compare/python/index.html",
];

/// Every page that shows the article's verdicts: its cards, and the head-to-head matrix
/// of the technologies index.
const VERDICTS: &[&str] = &[
    "go-vs-python/index.html",
    "index.html",
    "tags/backend/index.html",
    "authors/sam/index.html",
    "compare/go/index.html",
    "compare/python/index.html",
    "compare/index.html",
];

#[test]
fn every_field_a_page_shows_re_renders_it_on_a_warm_build() {
    let site = site();
    let steps = vec![
        step("an article's title", ARTICLE, "title: Go vs Python", "title: Go or Python", CARDS),
        step(
            "article description",
            ARTICLE,
            "author: sam\n",
            "author: sam\ndescription: Fast or easy.\n",
            CARDS,
        ),
        step(
            "article updated date",
            ARTICLE,
            "author: sam\n",
            "author: sam\nupdated: 2025-06-01\n",
            CARDS,
        ),
        step(
            "article body words",
            ARTICLE,
            "Golang meets Python.",
            "Golang meets Python, at last, in one long sentence.",
            CARDS,
        ),
        step(
            "article tags",
            ARTICLE,
            "tags: [backend]",
            "tags: [backend, scripting]",
            &["go-vs-python/index.html", "index.html", "tags/index.html"],
        ),
        step(
            "contender version",
            ARTICLE,
            "contenders: [Golang, Python]",
            "contenders: [{name: Golang, version: \"1.24\"}, Python]",
            CARDS,
        ),
        step(
            "contender pros",
            ARTICLE,
            "{name: Golang, version: \"1.24\"}",
            "{name: Golang, version: \"1.24\", pros: [fast]}",
            CARDS,
        ),
        step("contender cons", ARTICLE, "pros: [fast]}", "pros: [fast], cons: [verbose]}", CARDS),
        step(
            "contender url",
            ARTICLE,
            "cons: [verbose]}",
            "cons: [verbose], url: \"https://go.dev/doc\"}",
            CARDS,
        ),
        step(
            "a winner",
            ARTICLE,
            "## Learning\n\n**Winner:** Python",
            "## Learning\n\n**Winner:** Golang",
            VERDICTS,
        ),
        step(
            "a criterion heading",
            ARTICLE,
            "## Hiring",
            "## Hiring and teams",
            &["go-vs-python/index.html"],
        ),
        step(
            "a choose-if block",
            ARTICLE,
            "Golang meets Python, at last",
            "## Choose Python if:\n\n- you script\n\nGolang meets Python, at last",
            &["go-vs-python/index.html"],
        ),
        step(
            "article image",
            ARTICLE,
            "author: sam\n",
            "author: sam\nimage: https://example.com/cover.png\n",
            &["go-vs-python/index.html"],
        ),
        step(
            "article verified date",
            ARTICLE,
            "author: sam\n",
            "author: sam\nverified: 2025-07-01\n",
            &["go-vs-python/index.html"],
        ),
        step(
            "article extra",
            ARTICLE,
            "author: sam\n",
            "author: sam\nextra: {note: hi}\n",
            &["go-vs-python/index.html"],
        ),
        step(
            "article aliases",
            ARTICLE,
            "author: sam\n",
            "author: sam\naliases: [python-vs-go]\n",
            &["python-vs-go/index.html"],
        ),
        step(
            "author name",
            AUTHOR,
            "name: Sam Lee",
            "name: Sam Roe",
            &[
                "authors/index.html",
                "authors/sam/index.html",
                "go-vs-python/index.html",
                "index.html",
                "compare/go/index.html",
            ],
        ),
        step(
            "author role",
            AUTHOR,
            "role: Editor",
            "role: Chief editor",
            &["authors/index.html", "authors/sam/index.html", "go-vs-python/index.html"],
        ),
        step(
            "author avatar",
            AUTHOR,
            "role: Chief editor\n",
            "role: Chief editor\navatar: https://example.com/jane.png\n",
            &["authors/index.html", "authors/sam/index.html", "go-vs-python/index.html"],
        ),
        step(
            "author links",
            AUTHOR,
            "role: Chief editor\n",
            "role: Chief editor\nlinks: {github: \"https://github.com/jane\"}\n",
            &["authors/index.html", "authors/sam/index.html", "go-vs-python/index.html"],
        ),
        step(
            "author bio",
            AUTHOR,
            "Sam compares things.",
            "Sam compares many things.",
            &["authors/index.html", "authors/sam/index.html", "go-vs-python/index.html"],
        ),
        step(
            "catalog name",
            "contenders.yaml",
            "name: Go",
            "name: Go language",
            &["compare/go/index.html", "compare/index.html", "compare/rust/index.html"],
        ),
        step(
            "catalog url",
            "contenders.yaml",
            "url: https://go.dev",
            "url: https://go.dev/x",
            &["compare/go/index.html", "rust-vs-go/index.html"],
        ),
        step(
            "catalog logo",
            "contenders.yaml",
            "aliases: [Golang]\n",
            "aliases: [Golang]\n  logo: https://go.dev/logo.svg\n",
            // The hub, the matrix and records of the index, and Go's opponents' hubs.
            &[
                "compare/go/index.html",
                "compare/index.html",
                "compare/python/index.html",
                "compare/rust/index.html",
            ],
        ),
        Step {
            what: "a local catalog logo",
            edit: Box::new(|site| {
                site.write("static/logos/go.svg", LOGO);
                edit(
                    site,
                    "contenders.yaml",
                    "logo: https://go.dev/logo.svg",
                    "logo: /logos/go.svg",
                );
            }),
            shown_on: &[
                "compare/go/index.html",
                "compare/go/social-card.png",
                "compare/index.html",
                "compare/python/index.html",
                "rust-vs-go/index.html",
                "rust-vs-go/social-card.png",
            ],
        },
        step(
            "the logo's file",
            "static/logos/go.svg",
            "#00add8",
            "#ce3262",
            &[
                "compare/go/index.html",
                "compare/go/social-card.png",
                "rust-vs-go/social-card.png",
                // The card's version in `og:image` changes.
                "rust-vs-go/index.html",
            ],
        ),
        step(
            "catalog description",
            "contenders.yaml",
            "A **compiled** language.",
            "A **fast** language.",
            &["compare/go/index.html"],
        ),
        step(
            "page title",
            "pages/about.md",
            "title: About",
            "title: About us",
            &["about/index.html"],
        ),
        step(
            "page body",
            "pages/about.md",
            "Who we are.",
            "## Team\n\nWho we are.",
            &["about/index.html"],
        ),
        step(
            "page description",
            "pages/about.md",
            "title: About us\n",
            "title: About us\ndescription: Us.\n",
            &["about/index.html"],
        ),
        step(
            "page extra",
            "pages/about.md",
            "title: About us\n",
            "title: About us\nextra: {x: 1}\n",
            &["about/index.html"],
        ),
        step(
            "site title",
            "site.yaml",
            "title: Site-wide fixture",
            "title: Renamed fixture",
            &[
                "index.html",
                "404.html",
                "about/index.html",
                "social-card.png",
                "rust-vs-go/social-card.png",
            ],
        ),
        step(
            "site description",
            "site.yaml",
            "description: Fixture",
            "description: The fixture",
            &["index.html"],
        ),
        step(
            "site base_url",
            "site.yaml",
            "base_url: https://example.com/",
            "base_url: https://example.org/sub/",
            &["index.html", "404.html", "go-vs-python/index.html"],
        ),
        step(
            "site extra",
            "site.yaml",
            "description: The fixture",
            "extra: {motto: hi}\ndescription: The fixture",
            &["index.html", "404.html"],
        ),
        step(
            "site paginate",
            "site.yaml",
            "extra: {motto: hi}\n",
            "extra: {motto: hi}\npaginate: 1\n",
            &["index.html", "tags/backend/index.html"],
        ),
        step(
            "site language",
            "site.yaml",
            "paginate: 1\n",
            "paginate: 1\nlanguage: en-GB\n",
            &["index.html", "404.html"],
        ),
        step(
            "a template",
            "templates/article.html",
            "{{ __tera_context }}",
            "edited {{ __tera_context }}",
            &["go-vs-python/index.html"],
        ),
        step(
            "a callout that names the loser after a comparison word",
            ARTICLE,
            "## Hiring and teams\n\n**Winner:** Python",
            "## Hiring and teams\n\n**Winner:** Python, though Golang is close",
            &["go-vs-python/index.html"],
        ),
        step(
            "the comparison markers",
            "site.yaml",
            "paginate: 1\n",
            "paginate: 1\ncomparison_markers: [than]\n",
            // `though` no longer drops Golang: a split, on the article and the hubs.
            &["go-vs-python/index.html", "compare/go/index.html", "compare/python/index.html"],
        ),
        step(
            "a callout naming a spelling nobody declared yet",
            ARTICLE,
            "## Speed\n\n**Winner:** Golang",
            "## Speed\n\n**Winner:** Golang\n\n## Scripting\n\n**Winner:** Py",
            &["go-vs-python/index.html"],
        ),
        step(
            "an alias declared in another article",
            "articles/python-vs-ruby.md",
            "contenders: [Python, Ruby]",
            "contenders: [{name: Python, aliases: [Py]}, Ruby]",
            // `Py` now names Python in go-vs-python too: its tie becomes Python's win.
            &["go-vs-python/index.html", "python-vs-ruby/index.html", "compare/python/index.html"],
        ),
        step(
            "the winner label",
            "site.yaml",
            "paginate: 1\n",
            "paginate: 1\nwinner_label: Verdict\n",
            &["go-vs-python/index.html", "compare/go/index.html"],
        ),
        step(
            "catalog facts",
            "contenders.yaml",
            "aliases: [Golang]\n",
            "aliases: [Golang]\n  facts: {license: BSD-3-Clause, gc: true}\n",
            &["compare/go/index.html", "go-vs-python/index.html", "rust-vs-go/index.html"],
        ),
        step(
            "an article contender's facts",
            ARTICLE,
            "url: \"https://go.dev/doc\"}",
            "url: \"https://go.dev/doc\", facts: {gc: false, typing: static}}",
            &["go-vs-python/index.html"],
        ),
        step(
            "the fact labels of site.yaml",
            "site.yaml",
            "paginate: 1\n",
            "paginate: 1\nfacts: [{key: gc, label: Garbage collected}]\n",
            &["compare/go/index.html", "go-vs-python/index.html", "rust-vs-go/index.html"],
        ),
        step(
            "the stale-facts setting",
            "site.yaml",
            "paginate: 1\n",
            "paginate: 1\nstale_notice: false\n",
            // Every article is older than a year: each loses its notice.
            &[
                "go-vs-python/index.html",
                "rust-vs-go/index.html",
                "python-vs-ruby/index.html",
                "zig-vs-c/index.html",
            ],
        ),
        Step {
            what: "the size of an image the article shows",
            edit: Box::new(|site| {
                site.write_bytes("static/img/chart.png", &png(50, 30));
            }),
            shown_on: &["go-vs-python/index.html"],
        },
        Step {
            what: "an image large enough for smaller copies",
            edit: Box::new(|site| {
                site.write_bytes("static/img/chart.png", &png(700, 70));
            }),
            shown_on: &["go-vs-python/index.html"],
        },
        step(
            "the widths of image copies",
            "site.yaml",
            "paginate: 1\n",
            "paginate: 1\nimages: {widths: [320, 640]}\n",
            &["go-vs-python/index.html"],
        ),
        Step {
            what: "a new article",
            edit: Box::new(|site| {
                site.write("articles/go-vs-zig.md", "---\ntitle: Go vs Zig\ndate: 2025-02-02\nauthor: jane\ntags: [backend]\ncontenders: [Go, Zig]\n---\nBody.\n\n**Verdict:** Zig\n");
            }),
            shown_on: &[
                "compare/go/index.html",
                "compare/zig/index.html",
                "authors/jane/index.html",
                "compare/index.html",
            ],
        },
        Step {
            what: "a removed article",
            edit: Box::new(|site| {
                site.remove("articles/zig-vs-c.md");
            }),
            shown_on: &["compare/zig/index.html", "compare/index.html", "tags/index.html"],
        },
        Step {
            what: "a third author",
            edit: Box::new(|site| {
                site.write("authors/kim.md", "---\nname: Kim\n---\nKim writes.\n");
            }),
            shown_on: &["authors/index.html"],
        },
    ];
    site.build_ok(&[]);
    let html = |dir: &std::path::Path| -> BTreeMap<PathBuf, Vec<u8>> {
        snapshot(dir)
            .into_iter()
            // Pages, and the social cards they name.
            .filter(|(rel, _)| rel.extension().is_some_and(|e| e == "html" || e == "png"))
            .collect()
    };
    let mut before = html(&site.path("dist"));
    for (n, step) in steps.iter().enumerate() {
        (step.edit)(&site);
        site.build_ok(&[]);
        let warm = html(&site.path("dist"));
        let fresh_dir = site.tmp().join(format!("fresh-{n}"));
        site.build_ok(&["--no-cache", "--output", fresh_dir.to_str().unwrap()]);
        let fresh = html(&fresh_dir);
        for (rel, bytes) in &fresh {
            assert!(
                warm.get(rel) == Some(bytes),
                "after editing {}: the warm build's {} is not the fresh build's",
                step.what,
                rel.display()
            );
        }
        assert_eq!(warm.len(), fresh.len(), "after editing {}: other pages", step.what);
        for rel in step.shown_on {
            let rel = PathBuf::from(rel);
            assert!(fresh.contains_key(&rel), "{}: no page {}", step.what, rel.display());
            assert!(
                before.get(&rel) != fresh.get(&rel),
                "{} shows on {}, which did not change",
                step.what,
                rel.display()
            );
        }
        before = warm;
    }
}
