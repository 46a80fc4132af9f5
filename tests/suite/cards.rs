//! Social cards: a 1200×630 PNG per article, hub and the home page, named by `og:image`;
//! drawn once (a warm build draws none); off with `social_cards: false`; replaced by an
//! article's `image:`; overridable as the template `social-card.svg`; contenders' logos.

use crate::support::{Build, Site, article};

/// The pixels of a PNG of the output: width, height and RGB(A) rows.
struct Picture {
    width: u32,
    height: u32,
    channels: usize,
    data: Vec<u8>,
}

impl Picture {
    fn read(build: &Build, rel: &str) -> Picture {
        let bytes = std::fs::read(build.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes)).read_info().expect("png");
        let mut data = vec![0; decoder.output_buffer_size().expect("size")];
        let info = decoder.next_frame(&mut data).expect("frame");
        let channels = info.color_type.samples();
        Picture { width: info.width, height: info.height, channels, data }
    }

    fn pixel(&self, x: u32, y: u32) -> [u8; 3] {
        let i = (y * self.width + x) as usize * self.channels;
        [self.data[i], self.data[i + 1], self.data[i + 2]]
    }
}

fn two_articles() -> Site {
    let site = Site::new();
    site.write("articles/rust-vs-go.md", &article("Rust vs Go", "2025-01-02", "## Speed\n\nWinner: Rust.\n\n## Builds\n\nWinner: Go.\n\n## Tooling\n\nWinner: Rust.\n"))
        .write(
            "articles/go-vs-zig.md",
            "---\ntitle: Go vs Zig\ndate: 2025-01-03\nauthor: jane\ncontenders: [Go, Zig]\ntags: [systems]\n---\n## Speed\n\nWinner: Zig.\n",
        );
    site
}

fn meta(build: &Build, page: &str, property: &str) -> Option<String> {
    let html = build.html(page);
    let css = format!("meta[property=\"{property}\"], meta[name=\"{property}\"]");
    html.attrs(&css, "content").into_iter().next()
}

#[test]
fn every_article_hub_and_the_home_page_has_its_card_as_og_image() {
    let build = two_articles().build_ok(&[]);
    let pages = [
        ("rust-vs-go/index.html", "rust-vs-go/social-card.png"),
        ("go-vs-zig/index.html", "go-vs-zig/social-card.png"),
        ("compare/go/index.html", "compare/go/social-card.png"),
        ("compare/zig/index.html", "compare/zig/social-card.png"),
        ("index.html", "social-card.png"),
        // Pages without a card of their own show the home page's.
        ("tags/systems/index.html", "social-card.png"),
        ("authors/index.html", "social-card.png"),
    ];
    for (page, card) in pages {
        let image = meta(&build, page, "og:image").unwrap_or_else(|| panic!("{page}"));
        let url = format!("https://example.com/{card}?v=");
        assert!(image.starts_with(&url), "{page}: {image}");
        assert_eq!(meta(&build, page, "twitter:image").as_deref(), Some(image.as_str()));
        assert_eq!(meta(&build, page, "twitter:card").as_deref(), Some("summary_large_image"));
        assert_eq!(meta(&build, page, "og:image:width").as_deref(), Some("1200"), "{page}");
        assert_eq!(meta(&build, page, "og:image:height").as_deref(), Some("630"), "{page}");
        let picture = Picture::read(&build, card);
        assert_eq!((picture.width, picture.height), (1200, 630), "{card}");
    }
    assert_eq!(
        meta(&build, "rust-vs-go/index.html", "og:image:alt").as_deref(),
        Some("Rust vs Go — Rust wins 2 of 3 criteria")
    );
    assert_eq!(
        meta(&build, "compare/zig/index.html", "og:image:alt").as_deref(),
        Some("Zig — Won 1 of 1 criterion in 1 comparison")
    );
    let json_ld = build.html("rust-vs-go/index.html").text("script[type=\"application/ld+json\"]");
    assert!(json_ld.contains("https://example.com/rust-vs-go/social-card.png?v="), "{json_ld}");
    let a = std::fs::read(build.path("rust-vs-go/social-card.png")).unwrap();
    let b = std::fs::read(build.path("go-vs-zig/social-card.png")).unwrap();
    assert_ne!(a, b, "different articles, different cards");
    assert!(build.stderr.contains("6 social cards, 6 drawn"), "{}", build.stderr);
}

#[test]
fn a_warm_build_draws_no_card_and_an_edit_draws_only_its_own() {
    let site = two_articles();
    let first = site.build_ok(&[]);
    let card = std::fs::read(first.path("rust-vs-go/social-card.png")).unwrap();
    let before = meta(&first, "rust-vs-go/index.html", "og:image").unwrap();
    let warm = site.build_ok(&[]);
    assert!(warm.stderr.contains("6 social cards, 0 drawn"), "{}", warm.stderr);
    assert_eq!(std::fs::read(warm.path("rust-vs-go/social-card.png")).unwrap(), card);

    let edited = article("Rust vs Go, again", "2025-01-02", "## Speed\n\nWinner: Rust.\n");
    site.write("articles/rust-vs-go.md", &edited);
    let after = site.build_ok(&[]);
    // The article's card; the hubs' records of Rust and Go changed too.
    assert!(after.stderr.contains("6 social cards, 3 drawn"), "{}", after.stderr);
    assert_ne!(std::fs::read(after.path("rust-vs-go/social-card.png")).unwrap(), card);
    let image = meta(&after, "rust-vs-go/index.html", "og:image").unwrap();
    assert_ne!(image, before, "the card's URL changes with it");

    // Into another output folder, nothing is kept, and the cache has every card.
    let other = site.tmp().join("elsewhere");
    let moved = site.build_ok(&["--output", other.to_str().unwrap()]);
    assert!(moved.stderr.contains("6 social cards, 0 drawn"), "{}", moved.stderr);
    // Without the cache, every card is drawn, the same.
    let cold = site.build_ok(&["--no-cache", "--output", other.to_str().unwrap()]);
    assert!(cold.stderr.contains("6 social cards, 6 drawn"), "{}", cold.stderr);
    assert_eq!(
        std::fs::read(cold.path("go-vs-zig/social-card.png")).unwrap(),
        std::fs::read(after.path("go-vs-zig/social-card.png")).unwrap()
    );
}

/// The card files of the site's cache.
fn cached_cards(site: &Site) -> std::collections::BTreeSet<String> {
    std::fs::read_dir(site.path(".verdict-cache/cards"))
        .expect("the card cache")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".png"))
        .collect()
}

#[test]
fn the_card_cache_keeps_the_cards_of_the_last_good_build_only() {
    let site = two_articles();
    site.build_ok(&[]);
    let first = cached_cards(&site);
    assert_eq!(first.len(), 6);

    // A new title: the article's card is drawn again, and its old one leaves the cache.
    let text = std::fs::read_to_string(site.path("articles/go-vs-zig.md")).unwrap();
    site.write("articles/go-vs-zig.md", &text.replace("title: Go vs Zig", "title: Go or Zig"));
    let second_build = site.build_ok(&[]);
    assert!(second_build.stderr.contains("6 social cards, 1 drawn"), "{}", second_build.stderr);
    let second = cached_cards(&site);
    let gone: Vec<_> = first.difference(&second).collect();
    let new: Vec<_> = second.difference(&first).collect();
    assert_eq!((gone.len(), new.len(), second.len()), (1, 1, 6), "{first:?} then {second:?}");
    let entry = std::fs::read(site.path(".verdict-cache/cards").join(new[0])).unwrap();
    let card = std::fs::read(second_build.path("go-vs-zig/social-card.png")).unwrap();
    assert_eq!(entry[16..], card[..], "the new entry is the new card (after its hash)");

    // Nothing changed: no card drawn, and the cards kept in the output by their
    // fingerprints keep their entries: another output folder draws none either.
    let third = site.build_ok(&[]);
    assert!(third.stderr.contains("6 social cards, 0 drawn"), "{}", third.stderr);
    assert_eq!(cached_cards(&site), second);
    let other = site.tmp().join("elsewhere");
    let moved = site.build_ok(&["--output", other.to_str().unwrap()]);
    assert!(moved.stderr.contains("6 social cards, 0 drawn"), "{}", moved.stderr);
    assert_eq!(cached_cards(&site), second);

    // A build that fails after drawing its cards (a link to a path the build does not
    // write) deletes nothing from the cache, and leaves the output as it was.
    let dist = crate::support::snapshot(&site.path("dist"));
    let text = std::fs::read_to_string(site.path("articles/go-vs-zig.md")).unwrap();
    site.write(
        "articles/go-vs-zig.md",
        &text
            .replace("title: Go or Zig", "title: Go and Zig")
            .replace("Winner: Zig.", "Winner: Zig.\n\nSee [nowhere](/nowhere/)."),
    );
    let failed = site.build(&[]);
    let errors = failed.assert_site_error();
    assert!(errors[0].message.contains("/nowhere/"), "{errors:?}");
    let after_failure = cached_cards(&site);
    assert!(after_failure.is_superset(&second), "{second:?} then {after_failure:?}");
    assert_eq!(after_failure.len(), 7, "the failed build's card is stored, nothing deleted");
    assert_eq!(crate::support::snapshot(&site.path("dist")), dist);

    // Fixed: the card the failed build drew is taken from the cache.
    let text = std::fs::read_to_string(site.path("articles/go-vs-zig.md")).unwrap();
    site.write("articles/go-vs-zig.md", &text.replace("See [nowhere](/nowhere/).", ""));
    let fixed = site.build_ok(&[]);
    assert!(fixed.stderr.contains("6 social cards, 0 drawn"), "{}", fixed.stderr);
    assert_eq!(cached_cards(&site).len(), 6);
}

#[test]
fn social_cards_false_turns_them_off() {
    let site = two_articles();
    site.write("site.yaml", "title: T\nbase_url: https://example.com/\nsocial_cards: false\n");
    let build = site.build_ok(&[]);
    assert!(!build.exists("rust-vs-go/social-card.png"));
    assert!(!build.exists("social-card.png"));
    assert_eq!(meta(&build, "rust-vs-go/index.html", "og:image"), None);
    assert_eq!(meta(&build, "rust-vs-go/index.html", "twitter:card").as_deref(), Some("summary"));
    assert!(!build.stderr.contains("social card"), "{}", build.stderr);
}

#[test]
fn an_articles_own_image_replaces_its_card() {
    let site = two_articles();
    site.write(
        "articles/rust-vs-go.md",
        "---\ntitle: Rust vs Go\ndate: 2025-01-02\nauthor: jane\nimage: /img/cover.png\ncontenders: [Rust, Go]\n---\nWinner: Rust.\n",
    )
    .write_bytes("static/img/cover.png", b"\x89PNG\r\n\x1a\n");
    let build = site.build_ok(&[]);
    assert!(!build.exists("rust-vs-go/social-card.png"));
    let page = "rust-vs-go/index.html";
    assert_eq!(
        meta(&build, page, "og:image").as_deref(),
        Some("https://example.com/img/cover.png")
    );
    assert_eq!(meta(&build, page, "og:image:width"), None, "its size is not known");
    assert_eq!(meta(&build, page, "og:image:alt").as_deref(), Some("Rust vs Go"));
    assert!(build.exists("go-vs-zig/social-card.png"));
}

#[test]
fn a_long_title_stays_inside_the_card() {
    let site = Site::new();
    let title = "Rust vs Go vs Zig: Which Systems Language Should Power Your Next High-Throughput Network Service, Its Command-Line Tools and Everything Else You Will Ever Write?";
    site.write("articles/long.md", &article(title, "2025-01-01", "Winner: Rust.\n"));
    let build = site.build_ok(&[]);
    let card = Picture::read(&build, "long/social-card.png");
    let background = card.pixel(1199, 629);
    // The title's lines (from y = 240 to 460) keep the right margin clear.
    for y in 240..460 {
        for x in 1150..1200 {
            assert_eq!(card.pixel(x, y), background, "text at ({x}, {y})");
        }
    }
}

#[test]
fn a_site_template_overrides_the_card_and_its_errors_name_it() {
    let site = two_articles();
    site.write(
        "templates/social-card.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"630\"><rect width=\"1200\" height=\"630\" fill=\"#ff0000\"/><text x=\"10\" y=\"50\">{{ card.title }} &amp; {{ site.title }}</text></svg>\n",
    );
    let build = site.build_ok(&[]);
    assert_eq!(Picture::read(&build, "rust-vs-go/social-card.png").pixel(600, 600), [255, 0, 0]);

    site.write("templates/social-card.svg", "<svg>{{ card.nope }}</svg>\n");
    let errors = site.build(&[]).assert_site_error();
    assert_eq!(errors[0].path, "templates/social-card.svg", "{errors:?}");
    assert!(site.path("dist/rust-vs-go/social-card.png").exists(), "the last output stays");

    site.write("templates/social-card.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect\n");
    let errors = site.build(&[]).assert_site_error();
    assert_eq!(errors[0].path, "templates/social-card.svg", "{errors:?}");
    assert!(errors[0].message.contains("not an SVG that can be drawn"), "{errors:?}");
    let check = crate::support::run(site.root(), &["check"]);
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert_eq!(check.status.code(), Some(1), "check finds it too: {stderr}");
    assert!(stderr.contains("not an SVG that can be drawn"), "{stderr}");
}

#[test]
fn a_bundle_file_in_place_of_a_card_is_an_error() {
    let site = Site::new();
    site.write("articles/x-vs-y/index.md", &article("X vs Y", "2025-01-01", "Winner: Rust.\n"))
        .write_bytes("articles/x-vs-y/social-card.png", b"\x89PNG\r\n\x1a\n");
    let errors = site.build(&[]).assert_site_error();
    assert!(errors.iter().any(|e| e.message.contains("social-card.png")), "{errors:?}");
}

const RED_LOGO: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><rect width=\"10\" height=\"10\" fill=\"#ff0000\"/></svg>\n";

#[test]
fn logos_show_on_chips_cards_and_hubs() {
    let site = two_articles();
    site.write("contenders.yaml", "go:\n  name: Go\n  logo: /logos/go.svg\nzig:\n  name: Zig\n  logo: https://ziglang.org/logo.svg\n")
        .write("static/logos/go.svg", RED_LOGO);
    let build = site.build_ok(&[]);
    let article = build.html("rust-vs-go/index.html");
    let chip = article.one(".matchup img.contender-logo");
    assert_eq!(chip.value().attr("src"), Some("/logos/go.svg"));
    assert_eq!(chip.value().attr("alt"), Some(""), "the name is beside it");
    assert!(chip.value().attr("width").is_some() && chip.value().attr("height").is_some());
    let home = build.html("index.html");
    assert_eq!(
        home.attrs(".card img.contender-logo", "src"),
        ["/logos/go.svg", "https://ziglang.org/logo.svg", "/logos/go.svg"]
    );
    assert_eq!(build.html("compare/go/index.html").attrs("img.hub-logo", "src"), ["/logos/go.svg"]);
    // The local logo is drawn into the cards (red); the remote one is not fetched.
    let red = |rel: &str, x, y| Picture::read(&build, rel).pixel(x, y) == [255, 0, 0];
    assert!(red("compare/go/social-card.png", 150, 260), "the hub card's logo");
    assert!(red("rust-vs-go/social-card.png", 272 + 60 + 36, 140 + 36), "Go's chip");
    assert!(!red("go-vs-zig/social-card.png", 272 + 60 + 36, 140 + 36));
}

#[test]
fn a_missing_or_broken_logo_is_an_error_at_its_line() {
    let site = two_articles();
    site.write("contenders.yaml", "go:\n  name: Go\n  logo: /logos/go.svg\n");
    let errors = site.build(&[]).assert_site_error();
    assert_eq!(errors[0].path, "contenders.yaml");
    assert_eq!(errors[0].location, Some((3, 1)));
    assert!(errors[0].message.contains("logo `/logos/go.svg` of `go` not found"), "{errors:?}");
    assert!(!site.path("dist").exists(), "nothing written");

    site.write("static/logos/go.svg", "this is not an image");
    let errors = site.build(&[]).assert_site_error();
    assert!(errors[0].message.contains("is not an image"), "{errors:?}");
    let check = crate::support::run(site.root(), &["check"]);
    assert_eq!(check.status.code(), Some(1), "check finds it too");

    site.write("static/logos/go.svg", RED_LOGO);
    site.build_ok(&[]);
}
