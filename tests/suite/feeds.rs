//! Atom feeds per technology (`/compare/<id>/feed.xml`) and per tag
//! (`/tags/<slug>/feed.xml`) beside the site's own; every feed orders and dates its
//! entries by `updated` when an article has it, so an updated comparison comes back to
//! the top.

use crate::support::{Build, Site};

const ATOM: &str = "http://www.w3.org/2005/Atom";

/// A feed, parsed: its title, self link, and each entry's (title, published, updated).
struct Feed {
    title: String,
    self_link: String,
    alternate: String,
    entries: Vec<(String, String, String)>,
    contents: Vec<String>,
}

fn feed(build: &Build, rel: &str) -> Feed {
    let xml = build.read(rel);
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{rel} is not XML: {e}"));
    let root = doc.root_element();
    assert!(root.has_tag_name((ATOM, "feed")), "{rel} is an Atom feed");
    let child = |node: roxmltree::Node<'_, '_>, name: &str| {
        node.children()
            .find(|n| n.has_tag_name((ATOM, name)))
            .map(|n| n.text().unwrap_or("").to_string())
    };
    let link = |rel_attr: &str| {
        root.children()
            .find(|n| n.has_tag_name((ATOM, "link")) && n.attribute("rel") == Some(rel_attr))
            .and_then(|n| n.attribute("href"))
            .unwrap()
            .to_string()
    };
    let entries: Vec<_> = root.children().filter(|n| n.has_tag_name((ATOM, "entry"))).collect();
    Feed {
        title: child(root, "title").unwrap(),
        self_link: link("self"),
        alternate: link("alternate"),
        entries: entries
            .iter()
            .map(|e| {
                (
                    child(*e, "title").unwrap(),
                    child(*e, "published").unwrap(),
                    child(*e, "updated").unwrap(),
                )
            })
            .collect(),
        contents: entries.iter().map(|e| child(*e, "content").unwrap()).collect(),
    }
}

fn titles(feed: &Feed) -> Vec<&str> {
    feed.entries.iter().map(|(t, _, _)| t.as_str()).collect()
}

fn post(title: &str, date: &str, extra: &str, contenders: &str, tags: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\ndate: {date}\n{extra}author: jane\ntags: [{tags}]\ncontenders: {contenders}\n---\n\n## Speed\n\n**Winner:** Rust is faster than Go.\n"
    )
}

fn site() -> Site {
    let site = Site::new();
    site.write(
        "articles/rust-vs-go.md",
        &post("Rust vs Go", "2025-01-01", "", "[Rust, Go]", "backend"),
    )
    .write(
        "articles/go-vs-zig.md",
        &post("Go vs Zig", "2025-02-01", "", "[Go, Zig]", "backend, systems"),
    )
    .write(
        "articles/rust-vs-zig.md",
        &post("Rust vs Zig", "2025-03-01", "", "[Rust, Zig]", "systems"),
    );
    site
}

#[test]
fn each_technology_and_tag_has_a_feed_of_its_comparisons() {
    let build = site().build_ok(&[]);
    let go = feed(&build, "compare/go/feed.xml");
    assert_eq!(go.title, "Go — Test site");
    assert_eq!(go.self_link, "https://example.com/compare/go/feed.xml");
    assert_eq!(go.alternate, "https://example.com/compare/go/");
    assert_eq!(titles(&go), ["Go vs Zig", "Rust vs Go"]);
    let systems = feed(&build, "tags/systems/feed.xml");
    assert_eq!(systems.title, "Tagged “systems” — Test site");
    assert_eq!(systems.self_link, "https://example.com/tags/systems/feed.xml");
    assert_eq!(titles(&systems), ["Rust vs Zig", "Go vs Zig"]);
    // Full content, as in the site's feed: the verdict and the body.
    assert!(systems.contents[0].contains("winner-callout"), "{}", systems.contents[0]);
    assert!(systems.contents[0].contains("<strong>The verdict</strong>"));
    assert_eq!(titles(&feed(&build, "feed.xml")), ["Rust vs Zig", "Go vs Zig", "Rust vs Go"]);
}

#[test]
fn hub_and_tag_pages_link_their_feeds() {
    let build = site().build_ok(&[]);
    let hub = build.html("compare/zig/index.html");
    let links = hub.attrs("head link[rel=\"alternate\"][type=\"application/atom+xml\"]", "href");
    assert_eq!(links, ["/feed.xml", "/compare/zig/feed.xml"]);
    assert!(hub.attrs("main a", "href").contains(&"/compare/zig/feed.xml".to_string()));
    let tag = build.html("tags/backend/index.html");
    let links = tag.attrs("head link[rel=\"alternate\"][type=\"application/atom+xml\"]", "href");
    assert_eq!(links, ["/feed.xml", "/tags/backend/feed.xml"]);
    assert!(tag.attrs("main a", "href").contains(&"/tags/backend/feed.xml".to_string()));
    // Feeds are no pages of the sitemap; links to them from Markdown are checked.
    assert!(!build.read("sitemap.xml").contains("feed.xml"));
}

#[test]
fn an_updated_comparison_comes_back_to_the_top_of_every_feed() {
    let site = site();
    site.write(
        "articles/rust-vs-go.md",
        &post("Rust vs Go", "2025-01-01", "updated: 2025-06-01\n", "[Rust, Go]", "backend"),
    );
    let build = site.build_ok(&[]);
    for rel in ["feed.xml", "compare/rust/feed.xml", "compare/go/feed.xml", "tags/backend/feed.xml"]
    {
        let feed = feed(&build, rel);
        let (title, published, updated) = &feed.entries[0];
        assert_eq!(title, "Rust vs Go", "{rel}");
        assert_eq!(published, "2025-01-01T00:00:00Z");
        assert_eq!(updated, "2025-06-01T00:00:00Z");
    }
    assert_eq!(titles(&feed(&build, "feed.xml")), ["Rust vs Go", "Rust vs Zig", "Go vs Zig"]);
    // The home page still lists by publication date.
    let home = build.html("index.html");
    assert_eq!(home.attrs(".card-title a", "href")[0], "/rust-vs-zig/");
}

#[test]
fn a_feed_holds_the_twenty_most_recently_changed() {
    let site = Site::new();
    for day in 1..=25 {
        site.write(
            &format!("articles/a{day}.md"),
            &post(&format!("Day {day}"), &format!("2025-01-{day:02}"), "", "[Rust, Go]", "daily"),
        );
    }
    let build = site.build_ok(&[]);
    for rel in ["feed.xml", "compare/go/feed.xml", "tags/daily/feed.xml"] {
        let feed = feed(&build, rel);
        assert_eq!(feed.entries.len(), 20, "{rel}");
        assert_eq!(feed.entries[0].0, "Day 25");
        assert_eq!(feed.entries[19].0, "Day 6");
    }
}

#[cfg(unix)]
#[test]
fn a_warm_build_writes_the_feeds_a_fresh_build_writes() {
    let site = site();
    let cold = site.build_ok(&[]);
    let inode = |build: &Build, rel: &str| {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(build.path(rel)).unwrap().ino()
    };
    let before = [inode(&cold, "compare/rust/feed.xml"), inode(&cold, "compare/zig/feed.xml")];
    site.write(
        "articles/go-vs-zig.md",
        &post("Go or Zig", "2025-02-01", "updated: 2025-07-01\n", "[Go, Zig]", "backend, systems"),
    );
    let warm = site.build_ok(&[]);
    let fresh_dir = site.tmp().join("fresh");
    let fresh = site.build_ok(&["--no-cache", "--output", fresh_dir.to_str().unwrap()]);
    for rel in [
        "feed.xml",
        "compare/go/feed.xml",
        "compare/zig/feed.xml",
        "compare/rust/feed.xml",
        "tags/backend/feed.xml",
        "tags/systems/feed.xml",
    ] {
        assert_eq!(warm.read(rel), fresh.read(rel), "{rel}");
    }
    assert_eq!(titles(&feed(&warm, "compare/zig/feed.xml")), ["Go or Zig", "Rust vs Zig"]);
    // A feed whose articles did not change is the file the last build wrote, kept.
    assert_eq!(titles(&feed(&warm, "compare/rust/feed.xml")), ["Rust vs Zig", "Rust vs Go"]);
    assert_eq!(inode(&warm, "compare/rust/feed.xml"), before[0], "kept");
    assert_ne!(inode(&warm, "compare/zig/feed.xml"), before[1], "written again");
}

#[test]
fn links_to_a_feed_are_checked_like_any_site_path() {
    let site = site();
    site.write("pages/follow.md", "---\ntitle: Follow\n---\n[Go](/compare/go/feed.xml), [systems](/tags/systems/feed.xml), [typo](/tags/sytems/feed.xml).\n");
    let errors = site.build(&[]).assert_site_error();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].message.contains("/tags/sytems/feed.xml"), "{}", errors[0].message);
}
