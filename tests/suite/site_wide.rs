//! Site-wide pages: technology hubs and their records, tags, related comparisons, the
//! Atom feed, the sitemap, JSON-LD and the search index. The fixture overrides
//! `contender.html` and `article.html` with templates that print the context plainly,
//! so these tests check the data every theme receives.

use crate::support::{Build, Page, Site, article};

fn basic() -> Build {
    Site::fixture("site_wide/basic").build_ok(&[])
}

fn record(page: &Page) -> [String; 5] {
    let p = page.one("#record");
    ["data-won", "data-lost", "data-split", "data-tied", "data-count"]
        .map(|name| p.value().attr(name).unwrap().to_string())
}

#[test]
fn every_contender_has_a_hub_with_its_record() {
    let build = basic();
    for id in ["rust", "go", "python", "ruby", "zig", "c"] {
        assert!(build.exists(&format!("compare/{id}/index.html")), "no hub for {id}");
    }
    // Rust vs Go: Performance won, Concurrency lost, Tooling split, Cost tied.
    assert_eq!(record(&build.html("compare/rust/index.html")), ["1", "1", "1", "1", "1"]);
    // Go adds Go vs Python (as "Golang"): Speed won, Learning and Hiring lost.
    assert_eq!(record(&build.html("compare/go/index.html")), ["2", "3", "1", "1", "2"]);
    assert_eq!(record(&build.html("compare/zig/index.html")), ["0", "0", "0", "0", "1"]);
}

#[test]
fn aliases_merge_onto_one_hub() {
    let build = basic();
    assert!(!build.exists("compare/golang/index.html"), "`Golang` is an alias of `go`");
    let hub = build.html("compare/go/index.html");
    assert_eq!(hub.attrs("#articles a", "href"), ["/rust-vs-go/", "/go-vs-python/"]);
    assert_eq!(hub.text("h1"), "Go");
    assert_eq!(hub.text("#website"), "https://go.dev");
    assert!(hub.one("#description").inner_html().contains("<strong>compiled</strong>"));
}

#[test]
fn head_to_head_counts_criteria_between_two_contenders() {
    let hub = basic().html("compare/go/index.html");
    let rust = hub.one("#h2h li[data-opponent=\"rust\"]");
    let attr = |name: &str| rust.value().attr(name).unwrap().to_string();
    assert_eq!(
        [attr("data-wins"), attr("data-losses"), attr("data-draws"), attr("data-articles")],
        ["1", "1", "2", "1"]
    );
    assert_eq!(crate::support::text(rust), "Go vs Rust: 1–1 over 1 article");
    let python = hub.one("#h2h li[data-opponent=\"python\"]");
    assert_eq!(crate::support::text(python), "Go vs Python: 1–2 over 1 article");
}

#[test]
fn contenders_index_lists_every_technology() {
    let build = basic();
    let index = build.html("compare/index.html");
    let links = index.attrs("a[href^=\"/compare/\"]", "href");
    for id in ["c", "go", "python", "ruby", "rust", "zig"] {
        assert!(links.contains(&format!("/compare/{id}/")), "{id} missing from {links:?}");
    }
}

#[test]
fn articles_link_their_contenders_hubs() {
    let page = basic().html("go-vs-python/index.html");
    assert_eq!(page.attrs("#hubs a", "href"), ["/compare/go/", "/compare/python/"]);
}

#[test]
fn related_comparisons_rank_shared_contenders_then_tags_and_exclude_self() {
    let build = basic();
    let related =
        |slug: &str| build.html(&format!("{slug}/index.html")).attrs("#related a", "href");
    // Go vs Python shares a contender and a tag; Zig vs C a tag; Python vs Ruby nothing,
    // so it is not listed: no unrelated padding.
    assert_eq!(related("rust-vs-go"), ["/go-vs-python/", "/zig-vs-c/"]);
    // Rust vs Go shares Go and `backend`, Python vs Ruby only Python.
    assert_eq!(related("go-vs-python"), ["/rust-vs-go/", "/python-vs-ruby/"]);
    assert_eq!(related("python-vs-ruby"), ["/go-vs-python/"]);
    assert_eq!(related("zig-vs-c"), ["/rust-vs-go/"]);
}

#[test]
fn an_article_that_shares_nothing_has_no_related_comparisons() {
    let site = Site::fixture("site_wide/basic");
    site.write(
        "articles/cobol-vs-fortran.md",
        "---\ntitle: COBOL vs Fortran\ndate: 2025-01-05\nauthor: jane\ntags: [legacy]\n\
         contenders: [COBOL, Fortran]\n---\n## Age\n\nWinner: Fortran\n",
    );
    let build = site.build_ok(&[]);
    let page = build.html("cobol-vs-fortran/index.html");
    assert!(page.attrs("#related a", "href").is_empty(), "{}", page.source);
    assert!(!build.html("rust-vs-go/index.html").source.contains("/cobol-vs-fortran/"));
}

#[test]
fn tag_pages_list_their_articles_newest_first() {
    let build = basic();
    let tags = build.html("tags/index.html");
    for tag in ["backend", "scripting", "systems"] {
        assert!(tags.attrs("a", "href").contains(&format!("/tags/{tag}/")), "{tag}");
    }
    let systems = build.read("tags/systems/index.html");
    let (rust, zig) = (systems.find("/rust-vs-go/").unwrap(), systems.find("/zig-vs-c/").unwrap());
    assert!(rust < zig, "newest first");
    assert!(!systems.contains("/go-vs-python/"));
}

#[test]
fn tag_pages_paginate() {
    let site = Site::new();
    site.write("site.yaml", "title: T\nbase_url: https://example.com/\npaginate: 2\n");
    for day in 1..=5 {
        let body = format!(
            "---\ntitle: A{day}\ndate: 2025-01-0{day}\nauthor: jane\ntags: [many]\ncontenders: [A, B]\n---\nx\n"
        );
        site.write(&format!("articles/a{day}.md"), &body);
    }
    let build = site.build_ok(&[]);
    assert!(build.exists("tags/many/index.html"));
    assert!(build.exists("tags/many/page/2/index.html"));
    assert!(build.exists("tags/many/page/3/index.html"));
    assert!(build.read("tags/many/page/3/index.html").contains("/a1/"));
}

#[test]
fn feed_is_atom_with_absolute_urls_and_full_content() {
    let build = basic();
    let xml = build.read("feed.xml");
    let doc = roxmltree::Document::parse(&xml).expect("feed.xml is well-formed XML");
    let atom = "http://www.w3.org/2005/Atom";
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().namespace(), Some(atom));
    assert_eq!(feed.tag_name().name(), "feed");
    fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> roxmltree::Node<'a, 'i> {
        let atom = "http://www.w3.org/2005/Atom";
        node.children()
            .find(|n| n.has_tag_name((atom, name)))
            .unwrap_or_else(|| panic!("no <{name}>"))
    }
    assert_eq!(child(feed, "updated").text(), Some("2025-02-01T00:00:00Z"));
    let entries: Vec<_> = feed.children().filter(|n| n.has_tag_name((atom, "entry"))).collect();
    assert_eq!(entries.len(), 4);
    let first = entries[0];
    assert_eq!(child(first, "title").text(), Some("Rust vs Go"));
    assert_eq!(child(first, "id").text(), Some("https://example.com/rust-vs-go/"));
    assert_eq!(child(first, "link").attribute("href"), Some("https://example.com/rust-vs-go/"));
    assert_eq!(child(first, "published").text(), Some("2025-01-03T00:00:00Z"));
    assert_eq!(child(first, "updated").text(), Some("2025-02-01T00:00:00Z"));
    let author = child(first, "author");
    assert_eq!(child(author, "name").text(), Some("Jane Doe"));
    assert_eq!(child(author, "uri").text(), Some("https://example.com/authors/jane/"));
    let content = child(first, "content");
    assert_eq!(content.attribute("type"), Some("html"));
    assert!(content.text().unwrap().contains("winner-callout"), "full content");
    for entry in &entries {
        let href = child(*entry, "link").attribute("href").unwrap();
        assert!(href.starts_with("https://example.com/"), "{href}");
    }
}

#[test]
fn every_page_links_the_feed() {
    let build = basic();
    for (path, html) in build.html_files() {
        assert!(
            html.contains("rel=\"alternate\" type=\"application/atom+xml\""),
            "{} has no feed link",
            path.display()
        );
    }
}

#[test]
fn sitemap_lists_every_page_and_robots_points_at_it() {
    let build = basic();
    let xml = build.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("sitemap.xml is well-formed XML");
    let ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
    let locs: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name((ns, "loc")))
        .map(|n| n.text().unwrap().to_string())
        .collect();
    let mut expected: Vec<String> = build
        .html_files()
        .keys()
        .filter(|p| p.to_str() != Some("404.html"))
        .map(|p| {
            let dir = p.parent().unwrap().to_str().unwrap();
            if dir.is_empty() {
                "https://example.com/".to_string()
            } else {
                format!("https://example.com/{dir}/")
            }
        })
        .collect();
    let mut found = locs.clone();
    expected.sort();
    found.sort();
    assert_eq!(found, expected);
    assert!(
        xml.contains("<loc>https://example.com/rust-vs-go/</loc><lastmod>2025-02-01</lastmod>")
    );
    assert!(build.read("robots.txt").contains("Sitemap: https://example.com/sitemap.xml"));
}

fn json_ld(page: &Page) -> serde_json::Value {
    let script = page.one("script[type=\"application/ld+json\"]");
    serde_json::from_str(&script.inner_html()).expect("JSON-LD parses")
}

fn graph_item<'a>(ld: &'a serde_json::Value, kind: &str) -> Vec<&'a serde_json::Value> {
    ld["@graph"].as_array().expect("@graph").iter().filter(|v| v["@type"] == kind).collect()
}

#[test]
fn articles_carry_article_breadcrumb_and_review_json_ld() {
    let ld = json_ld(&basic().html("rust-vs-go/index.html"));
    assert_eq!(ld["@context"], "https://schema.org");
    let article = graph_item(&ld, "Article")[0];
    assert_eq!(article["headline"], "Rust vs Go");
    assert_eq!(article["datePublished"], "2025-01-03T00:00:00Z");
    assert_eq!(article["dateModified"], "2025-02-01T00:00:00Z");
    assert_eq!(article["author"]["@type"], "Person");
    assert_eq!(article["author"]["name"], "Jane Doe");
    assert_eq!(article["author"]["url"], "https://example.com/authors/jane/");
    let about: Vec<&str> =
        article["about"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(about, ["Rust", "Go"]);
    let crumbs = graph_item(&ld, "BreadcrumbList")[0]["itemListElement"].as_array().unwrap();
    assert_eq!(crumbs.len(), 2);
    assert_eq!(crumbs[1]["item"], "https://example.com/rust-vs-go/");
    // Only Go has pros and cons.
    let reviews = graph_item(&ld, "Review");
    assert_eq!(reviews.len(), 1);
    assert_eq!(reviews[0]["itemReviewed"]["name"], "Go");
    assert_eq!(reviews[0]["positiveNotes"]["itemListElement"][0]["name"], "Fast builds");
    assert_eq!(reviews[0]["negativeNotes"]["itemListElement"][0]["name"], "Verbose errors");
}
#[test]
fn feed_entries_open_with_the_verdict_and_have_no_heading_anchors() {
    let build = basic();
    let xml = build.read("feed.xml");
    let doc = roxmltree::Document::parse(&xml).expect("feed.xml is well-formed XML");
    let contents: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("content"))
        .map(|n| n.text().unwrap_or(""))
        .collect();
    assert_eq!(contents.len(), 4);
    let first = contents[0];
    let verdict = "<p><strong>The verdict</strong></p>\n<ul>\n\
        <li><a href=\"https://example.com/rust-vs-go/#performance\">Performance</a>: Rust</li>\n\
        <li><a href=\"https://example.com/rust-vs-go/#concurrency\">Concurrency</a>: Go</li>\n\
        <li><a href=\"https://example.com/rust-vs-go/#tooling\">Tooling</a>: Rust and Go (shared)</li>\n\
        <li><a href=\"https://example.com/rust-vs-go/#cost\">Cost</a>: tie</li>\n</ul>\n";
    assert!(first.starts_with(verdict), "{first}");
    assert!(first[verdict.len()..].starts_with("<p>Rust and Go, side by side.</p>"), "{first}");
    assert!(first.contains("<h2 id=\"performance\">Performance</h2>"), "{first}");
    assert!(build.read("rust-vs-go/index.html").contains("class=\"heading-anchor\""));
    for content in &contents {
        assert!(!content.contains("heading-anchor"), "{content}");
        assert!(!content.contains(">#</a>"), "{content}");
    }
}

#[test]
fn hubs_carry_breadcrumbs() {
    let ld = json_ld(&basic().html("compare/go/index.html"));
    let crumbs = graph_item(&ld, "BreadcrumbList")[0]["itemListElement"].as_array().unwrap();
    let names: Vec<&str> = crumbs.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Home", "Technologies", "Go"]);
}

#[test]
fn search_index_holds_every_article() {
    let build = basic();
    let index: serde_json::Value =
        serde_json::from_str(&build.read("search.json")).expect("search.json parses");
    let entries = index.as_array().unwrap();
    assert_eq!(entries.len(), 4);
    let go = entries.iter().find(|e| e["url"] == "/go-vs-python/").unwrap();
    assert_eq!(go["title"], "Go vs Python");
    let contenders = go["contenders"].as_array().unwrap();
    assert!(contenders.iter().any(|c| c == "Golang") && contenders.iter().any(|c| c == "Go"));
    assert_eq!(go["tags"][0], "backend");
    assert_eq!(go["headings"][0], "Speed");
}

const HOSTILE: &str = "</script><script>alert(1)</script> & \\\"q\\\" <b>x</b> ]]>";
const HOSTILE_PLAIN: &str = "</script><script>alert(1)</script> & \"q\" <b>x</b> ]]>";

fn hostile() -> Build {
    let site = Site::new();
    let front = format!(
        "---\ntitle: \"{HOSTILE}\"\ndate: 2025-01-01\nauthor: jane\ndescription: \"{HOSTILE}\"\ntags: [\"{HOSTILE}\"]\ncontenders: [Rust, Go]\n---\nBody.\n"
    );
    site.write("articles/evil.md", &front);
    site.write("articles/good.md", &article("Good", "2025-01-02", "Fine.\n"));
    site.build_ok(&[])
}

#[test]
fn hostile_text_is_inert_in_html_and_json_ld() {
    let build = hostile();
    for (path, html) in build.html_files() {
        assert!(!html.contains("<script>alert"), "{} runs the title", path.display());
        assert!(!html.contains("<b>x</b>"), "{} renders the title's markup", path.display());
    }
    let page = build.html("evil/index.html");
    let ld = json_ld(&page);
    assert_eq!(graph_item(&ld, "Article")[0]["headline"], HOSTILE_PLAIN);
    assert!(page.text("title").starts_with(HOSTILE_PLAIN));
}

#[test]
fn hostile_text_is_inert_in_feed_sitemap_and_search() {
    let build = hostile();
    let feed = build.read("feed.xml");
    let doc = roxmltree::Document::parse(&feed).expect("feed parses");
    let titles: Vec<&str> =
        doc.descendants().filter(|n| n.has_tag_name("title")).filter_map(|n| n.text()).collect();
    assert!(titles.contains(&HOSTILE_PLAIN), "{titles:?}");
    roxmltree::Document::parse(&build.read("sitemap.xml")).expect("sitemap parses");
    let search: serde_json::Value = serde_json::from_str(&build.read("search.json")).unwrap();
    assert!(search.as_array().unwrap().iter().any(|e| e["title"] == HOSTILE_PLAIN));
}

#[test]
fn control_characters_never_reach_the_feed() {
    let site = Site::new();
    site.write("articles/ctl.md", &article("Bell\\u0007 title", "2025-01-01", "Body.\n"));
    let build = site.build_ok(&[]);
    roxmltree::Document::parse(&build.read("feed.xml")).expect("feed stays well-formed");
}

#[test]
fn contenders_yaml_errors_are_located() {
    let site = Site::new();
    site.write("articles/a.md", &article("A", "2025-01-01", "x\n"));
    site.write("contenders.yaml", "go:\n  name: Go\n  urll: https://go.dev\n");
    let errors = site.build(&[]).assert_site_error();
    assert_eq!(errors[0].path, "contenders.yaml");
    assert_eq!(errors[0].location, Some((3, 3)));
    assert_eq!(errors[0].help.as_deref(), Some("did you mean `url`?"));
}

#[test]
fn broken_links_in_contenders_yaml_descriptions_fail_build_and_check_where_they_are() {
    let site = Site::new();
    site.write("articles/a.md", &article("A", "2025-01-01", "x\n"));
    site.write(
        "contenders.yaml",
        "rust:\n  name: Rust\n  description: See [the guide](articles/nope.md).\ngo:\n  name: Go\n  description: |\n    Fine.\n\n    Also [gone](articles/gone.md#top).\n",
    );
    let build = site.build(&[]);
    let errors = build.assert_site_error();
    let located: Vec<(&str, Option<(usize, usize)>)> =
        errors.iter().map(|d| (d.path.as_str(), d.location)).collect();
    assert_eq!(
        located,
        [("contenders.yaml", Some((3, 20))), ("contenders.yaml", Some((9, 10)))],
        "{}",
        build.stderr
    );
    assert!(errors[0].message.contains("nope.md"), "{}", errors[0].message);
    assert!(!build.exists("compare/rust/index.html"), "nothing is written");

    let check = crate::diagnostics::verdict(site.root(), &["check"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert!(check.stderr.contains("contenders.yaml:3:20: error:"), "{}", check.stderr);
    assert!(check.stderr.contains("contenders.yaml:9:10: error:"), "{}", check.stderr);

    // The same links to articles that exist are rewritten to their pages.
    site.write("articles/nope.md", &article("Nope", "2025-01-02", "y\n"));
    site.write("articles/gone.md", &article("Gone", "2025-01-03", "## Top\n\nz\n"));
    let build = site.build_ok(&[]);
    let hub = build.read("compare/rust/index.html");
    assert!(hub.contains("href=\"/nope/\""), "{hub}");
}

#[test]
fn an_alias_declared_in_one_article_is_one_technology_everywhere() {
    let site = Site::new();
    site.write(
        "articles/go-vs-rust.md",
        "---\ntitle: Go vs Rust\ndate: 2025-01-02\nauthor: jane\n\
         contenders:\n  - name: Go\n    aliases: [Golang]\n  - Rust\n---\n\
         ## Speed\n\nWinner: Golang, by build times.\n",
    );
    // Newer, so its spelling would name the hub if nothing declared a name.
    site.write(
        "articles/golang-vs-zig.md",
        "---\ntitle: Golang vs Zig\ndate: 2025-01-03\nauthor: jane\ncontenders: [Golang, Zig]\n---\n\
         ## Speed\n\nWinner: Go, for its tooling.\n",
    );
    let build = site.build_ok(&[]);
    assert!(!build.exists("compare/golang/index.html"), "one hub, not two");
    let hub = build.html("compare/go/index.html");
    assert_eq!(hub.text("h1"), "Go", "titled with the declared name");
    assert!(hub.has("a[href=\"/golang-vs-zig/\"]"), "{}", hub.source);
    // `Go` in the article that writes `Golang` names that contender, and the other way.
    let zig = build.html("golang-vs-zig/index.html");
    assert_eq!(zig.attrs(".winner-callout", "data-winners"), ["go"]);
    let rust = build.html("go-vs-rust/index.html");
    assert_eq!(rust.attrs(".winner-callout", "data-winners"), ["go"]);
}

#[test]
fn one_technology_listed_twice_in_an_article_is_an_error() {
    let site = Site::new();
    site.write(
        "articles/go-vs-rust.md",
        "---\ntitle: Go vs Rust\ndate: 2025-01-02\nauthor: jane\n\
         contenders:\n  - name: Go\n    aliases: [Golang]\n  - Rust\n---\nText.\n",
    );
    site.write(
        "articles/go-vs-golang.md",
        "---\ntitle: Go vs Golang\ndate: 2025-01-03\nauthor: jane\ncontenders: [Go, Golang]\n---\nText.\n",
    );
    let build = site.build(&[]);
    let errors = build.assert_site_error();
    assert_eq!(errors.len(), 1, "{}", build.stderr);
    assert_eq!(errors[0].path, "articles/go-vs-golang.md");
    assert_eq!(errors[0].location, Some((5, 1)));
    assert_eq!(errors[0].message, "`Go` and `Golang` are one technology (id `go`): list it once");
}
