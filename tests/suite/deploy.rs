//! A site built for a sub-path (`--base-url https://example.com/blog/`, as in
//! `docs/deploying.md`) has no broken internal link: every `href` and `src` of every page,
//! every `#anchor`, the OpenGraph URLs, the sitemap, the feed and the search index
//! resolve to a file of the output when it is served under `/blog/`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use scraper::{Html, Selector};

use crate::support::{Build, Site, snapshot};

const BASE: &str = "https://example.com/blog/";
const PATH: &str = "/blog/";

fn built() -> Build {
    Site::fixture("deploy/subpath").build_ok(&["--base-url", BASE])
}

/// The output as a server under `/blog/` sees it: every file, and the ids of each page.
struct Served {
    files: BTreeSet<String>,
    ids: BTreeMap<String, BTreeSet<String>>,
}

impl Served {
    fn new(build: &Build) -> Served {
        let files: BTreeSet<String> = snapshot(&build.out)
            .keys()
            .map(|p: &PathBuf| p.to_string_lossy().replace('\\', "/"))
            .collect();
        let any = Selector::parse("[id]").unwrap();
        let ids = build
            .html_files()
            .into_iter()
            .map(|(rel, html)| {
                let doc = Html::parse_document(&html);
                let ids = doc.select(&any).filter_map(|e| e.value().attr("id")).map(str::to_string);
                (rel.to_string_lossy().replace('\\', "/"), ids.collect())
            })
            .collect();
        Served { files, ids }
    }

    /// Checks `url`, found in the page at `page` (a root-relative URL such as
    /// `/blog/rust-vs-go/`); returns what is wrong with it.
    fn check(&self, page: &str, url: &str) -> Result<(), String> {
        if ["mailto:", "tel:", "data:", "javascript:"].iter().any(|s| url.starts_with(s)) {
            return Ok(());
        }
        let url = match url.strip_prefix("https://example.com") {
            Some(rest) => rest.to_string(),
            None if url.contains("://") || url.starts_with("//") => return Ok(()),
            None => url.to_string(),
        };
        let (path, fragment) = match url.split_once('#') {
            Some((path, fragment)) => (path, Some(fragment)),
            None => (url.as_str(), None),
        };
        let path = path.split('?').next().unwrap_or(path);
        let absolute = if path.is_empty() {
            page.to_string()
        } else if path.starts_with('/') {
            path.to_string()
        } else {
            format!("{}{path}", &page[..page.rfind('/').unwrap() + 1])
        };
        let mut parts: Vec<&str> = Vec::new();
        for part in absolute.split('/').skip(1) {
            match part {
                "." => {}
                ".." => {
                    parts.pop();
                }
                part => parts.push(part),
            }
        }
        let absolute = format!("/{}", parts.join("/"));
        let Some(rel) = absolute.strip_prefix(PATH).or_else(|| (absolute == "/blog").then_some(""))
        else {
            return Err(format!("`{url}` leaves {PATH}"));
        };
        let mut file = percent_encoding::percent_decode_str(rel).decode_utf8_lossy().into_owned();
        if file.is_empty() || file.ends_with('/') {
            file.push_str("index.html");
        }
        if !self.files.contains(&file) {
            return Err(format!("`{url}`: no `{file}` in the output"));
        }
        match (fragment, self.ids.get(&file)) {
            (Some(fragment), Some(ids)) if !fragment.is_empty() && !ids.contains(fragment) => {
                Err(format!("`{url}`: `{file}` has no id `{fragment}`"))
            }
            _ => Ok(()),
        }
    }
}

/// The URL a page of the output is served at.
fn page_url(rel: &str) -> String {
    match rel.strip_suffix("index.html") {
        Some(dir) => format!("{PATH}{dir}"),
        None => format!("{PATH}{rel}"),
    }
}

#[test]
fn every_link_of_a_sub_path_site_resolves() {
    let build = built();
    let served = Served::new(&build);
    let linked = Selector::parse("[href], [src]").unwrap();
    let meta = Selector::parse("meta[content^=\"https://\"]").unwrap();
    let mut broken = Vec::new();
    let mut checked = 0;
    for (rel, html) in build.html_files() {
        let rel = rel.to_string_lossy().replace('\\', "/");
        let page = page_url(&rel);
        let doc = Html::parse_document(&html);
        for element in doc.select(&linked) {
            for attr in ["href", "src"] {
                if let Some(url) = element.value().attr(attr) {
                    checked += 1;
                    if let Err(why) = served.check(&page, url) {
                        broken.push(format!("{rel}: {why}"));
                    }
                }
            }
        }
        for element in doc.select(&meta) {
            let url = element.value().attr("content").unwrap();
            if let Err(why) = served.check(&page, url) {
                broken.push(format!("{rel}: <meta> {why}"));
            }
        }
    }
    assert!(checked > 200, "only {checked} links checked");
    assert_eq!(broken, Vec::<String>::new());
}

#[test]
fn links_the_test_relies_on_are_there() {
    // Guards the test above: the fixture does produce the kinds of links it checks.
    let build = built();
    let article = build.html("rust-vs-go/index.html");
    let hrefs = article.attrs("a", "href");
    assert!(hrefs.contains(&"/blog/postgres-vs-mysql/#speed".to_string()), "{hrefs:?}");
    assert!(hrefs.contains(&"/blog/about/".to_string()), "{hrefs:?}");
    assert!(hrefs.contains(&"/blog/page/2/".to_string()) || build.exists("page/2/index.html"));
    let bundle = build.html("postgres-vs-mysql/index.html");
    assert_eq!(bundle.attrs(".prose img", "src"), ["diagram.svg"]);
    let canonical = bundle.attrs("link[rel=\"canonical\"]", "href");
    assert_eq!(canonical, ["https://example.com/blog/postgres-vs-mysql/"]);
}

#[test]
fn sitemap_feed_and_search_point_under_the_sub_path() {
    let build = built();
    let served = Served::new(&build);
    let mut urls: Vec<String> = Vec::new();
    // The feed's own links: its entries' HTML (in CDATA) has links of its own, relative to
    // each entry's `xml:base`.
    let feed = build.read("feed.xml");
    let doc = roxmltree::Document::parse(&feed).expect("feed.xml parses");
    let links: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("link"))
        .filter_map(|n| n.attribute("href"))
        .collect();
    assert!(!links.is_empty(), "no link in feed.xml");
    urls.extend(links.iter().map(|l| l.to_string()));
    for (file, open, close) in
        [("sitemap.xml", "<loc>", "</loc>"), ("robots.txt", "Sitemap: ", "\n")]
    {
        let text = build.read(file);
        let mut found = 0;
        for piece in text.split(open).skip(1) {
            urls.push(piece.split(close).next().unwrap().to_string());
            found += 1;
        }
        assert!(found > 0, "no URL in {file}:\n{text}");
    }
    let search: serde_json::Value = serde_json::from_str(&build.read("search.json")).unwrap();
    for entry in search.as_array().unwrap() {
        urls.push(entry["url"].as_str().unwrap().to_string());
    }
    let broken: Vec<String> =
        urls.iter().filter_map(|url| served.check("/blog/", url).err()).collect();
    assert_eq!(broken, Vec::<String>::new());
}
