//! The output folder: pagination, URLs under a base path, `--output`, ignored files, and
//! the safety of the swap (nothing left behind, nothing outside replaced).

use crate::support::{Site, article, snapshot, staging_leftovers};

fn five_articles() -> Site {
    let site = Site::new();
    site.write("site.yaml", "title: T\nbase_url: https://example.com/\npaginate: 2\n");
    for day in 1..=5 {
        site.write(
            &format!("articles/a{day}.md"),
            &article(&format!("Article {day}"), &format!("2025-01-0{day}"), "Body.\n"),
        );
    }
    site
}

#[test]
fn paginates_newest_first() {
    let build = five_articles().build_ok(&[]);
    let cards = |rel: &str| build.html(rel).attrs(".card-title a", "href");
    assert_eq!(cards("index.html"), ["/a5/", "/a4/"]);
    assert_eq!(cards("page/2/index.html"), ["/a3/", "/a2/"]);
    assert_eq!(cards("page/3/index.html"), ["/a1/"]);
    assert!(!build.exists("page/4"));
    assert!(!build.exists("page/1"), "page 1 is the home page");
}

#[test]
fn pagination_links_neighbours() {
    let build = five_articles().build_ok(&[]);
    let page = build.html("page/2/index.html");
    assert_eq!(page.attrs("a[rel=\"prev\"]", "href"), ["/"]);
    assert_eq!(page.attrs("a[rel=\"next\"]", "href"), ["/page/3/"]);
    let first = build.html("index.html");
    assert!(!first.has("a[rel=\"prev\"]"));
    let last = build.html("page/3/index.html");
    assert!(!last.has("a[rel=\"next\"]"));
}

/// The text of each item of a page's numbered navigation, `…` for a gap.
fn numbered(page: &crate::support::Page) -> Vec<String> {
    page.select("nav.pagination li:not(.pagination-prev):not(.pagination-next)")
        .into_iter()
        .map(crate::support::text)
        .collect()
}

#[test]
fn pagination_is_compact_numbers_with_the_current_page_marked() {
    let site = Site::new();
    site.write("site.yaml", "title: T\nbase_url: https://example.com/\npaginate: 1\n");
    for day in 1..=9 {
        site.write(
            &format!("articles/a{day}.md"),
            &article(&format!("Article {day}"), &format!("2025-01-0{day}"), "Body.\n"),
        );
    }
    let build = site.build_ok(&[]);
    let first = build.html("index.html");
    assert_eq!(first.attrs("nav.pagination", "aria-label"), ["Pagination"]);
    assert_eq!(numbered(&first), ["1", "2", "…", "9"]);
    assert_eq!(first.attrs("nav.pagination a[aria-current=\"page\"]", "href"), ["/"]);
    assert_eq!(first.text("nav.pagination a[aria-current=\"page\"]"), "1");
    let middle = build.html("page/5/index.html");
    assert_eq!(numbered(&middle), ["1", "…", "4", "5", "6", "…", "9"]);
    assert_eq!(middle.attrs("nav.pagination a[aria-current=\"page\"]", "href"), ["/page/5/"]);
    assert_eq!(
        middle.attrs("nav.pagination a[aria-current=\"page\"]", "aria-label"),
        ["Page 5 of 9"]
    );
    assert_eq!(
        middle.attrs("nav.pagination li:not(.pagination-gap) a:not([rel])", "href"),
        ["/", "/page/4/", "/page/5/", "/page/6/", "/page/9/"]
    );
    assert_eq!(middle.attrs(".pagination-gap", "aria-hidden"), ["true", "true"]);
    assert_eq!(numbered(&build.html("page/4/index.html")), ["1", "2", "3", "4", "5", "…", "9"]);
    assert_eq!(numbered(&build.html("page/9/index.html")), ["1", "…", "8", "9"]);
}

#[test]
fn narrow_screens_keep_the_page_numbers() {
    // What the default theme hides on a phone: never a page number or a gap, only the
    // "Newer" and "Older" links that the neighbouring numbers repeat.
    let css = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("themes/default/static/assets/style.css"),
    )
    .unwrap();
    let mut css = css.as_str();
    let mut code = String::new();
    while let Some(start) = css.find("/*") {
        code.push_str(&css[..start]);
        css = css[start..].split_once("*/").map_or("", |(_, rest)| rest);
    }
    code.push_str(css);
    let mut narrow = 0;
    for block in code.split("@media").skip(1).filter(|b| b.trim_start().starts_with("(max-width")) {
        for rule in block.split('}') {
            let pieces: Vec<&str> = rule.split('{').collect();
            let [.., selectors, body] = pieces.as_slice() else { continue };
            if !selectors.contains("pagination") {
                continue;
            }
            narrow += 1;
            if body.contains("display: none") {
                for selector in selectors.split(',').map(str::trim) {
                    assert!(
                        [".pagination-prev", ".pagination-next"].contains(&selector),
                        "narrow screens hide `{selector}`"
                    );
                }
            }
        }
    }
    assert!(narrow > 0, "the pagination has narrow-screen rules");
}

#[test]
fn base_url_path_prefixes_every_link() {
    let site = five_articles();
    let build = site.build_ok(&["--base-url", "https://example.com/blog/"]);
    assert!(build.exists("a1/index.html"), "the output layout does not change");
    for (path, html) in build.html_files() {
        let page = crate::support::Page::new(html);
        for attr in ["href", "src"] {
            for url in page.attrs(&format!("[{attr}]"), attr) {
                if url.starts_with('/') && !url.starts_with("//") {
                    assert!(url.starts_with("/blog/"), "{}: {attr}=\"{url}\"", path.display());
                }
            }
        }
    }
}

#[test]
fn base_url_makes_canonical_absolute() {
    let build = five_articles().build_ok(&["--base-url", "https://example.com/blog/"]);
    let page = build.html("a1/index.html");
    assert_eq!(page.attrs("link[rel=\"canonical\"]", "href"), ["https://example.com/blog/a1/"]);
    let home = build.html("page/2/index.html");
    assert_eq!(home.attrs("link[rel=\"canonical\"]", "href"), ["https://example.com/blog/page/2/"]);
}

#[test]
fn base_url_without_trailing_slash_is_accepted() {
    let build = five_articles().build_ok(&["--base-url", "https://example.com/blog"]);
    let page = build.html("a1/index.html");
    assert_eq!(page.attrs("link[rel=\"canonical\"]", "href"), ["https://example.com/blog/a1/"]);
}

#[test]
fn bad_base_url_flag_is_an_error() {
    let build = five_articles().build(&["--base-url", "example.com/blog"]);
    let errors = build.assert_site_error();
    assert_eq!(errors.len(), 1, "{}", build.stderr);
    assert!(errors[0].message.contains("example.com/blog"), "{}", build.stderr);
}

#[test]
fn output_flag_writes_elsewhere() {
    let site = five_articles();
    let out = site.tmp().join("public");
    let build = site.build_ok(&["--output", out.to_str().unwrap()]);
    assert!(build.exists("index.html"));
    assert!(build.exists("a1/index.html"));
    assert!(!site.path("dist").exists(), "nothing written to the default output");
}

#[test]
fn default_output_is_dist_in_the_site() {
    let site = five_articles();
    let output = crate::support::run(site.root(), &["build"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(site.path("dist/a1/index.html").exists());
}

#[test]
fn rebuild_removes_stale_files() {
    let site = five_articles();
    site.build_ok(&[]);
    site.remove("articles/a1.md");
    let build = site.build_ok(&[]);
    assert!(!build.exists("a1"), "the removed article's page is gone");
    assert!(!build.exists("page/3"));
}

#[test]
fn ignores_hidden_and_editor_files() {
    let site = five_articles();
    let broken = "not an article at all";
    site.write("articles/.hidden.md", broken)
        .write("articles/a1.md~", broken)
        .write("articles/#a1.md#", broken)
        .write("articles/.a1.md.swp", broken)
        .write("articles/.drafts/x.md", broken)
        .write("authors/.jane.md.swp", broken);
    let build = site.build_ok(&[]);
    let files = snapshot(&build.out);
    for rel in files.keys() {
        let rel = rel.to_string_lossy();
        assert!(!rel.contains("hidden") && !rel.contains('#') && !rel.contains('~'), "{rel}");
    }
    assert_eq!(build.html("page/3/index.html").attrs(".card-title a", "href"), ["/a1/"]);
}

#[test]
fn copies_static_files() {
    let site = five_articles();
    site.write("static/robots-extra.txt", "hello").write("static/img/logo.svg", "<svg/>");
    let build = site.build_ok(&[]);
    assert_eq!(build.read("robots-extra.txt"), "hello");
    assert_eq!(build.read("img/logo.svg"), "<svg/>");
}

#[test]
fn writes_the_theme_assets_and_404() {
    let build = five_articles().build_ok(&[]);
    assert!(build.exists("assets/style.css"));
    assert!(build.exists("404.html"));
    assert!(build.exists("authors/index.html"));
}

#[test]
fn not_found_page_is_noindex_without_a_canonical_url() {
    let build = five_articles().build_ok(&[]);
    let missing = build.html("404.html");
    assert_eq!(missing.attrs("meta[name=\"robots\"]", "content"), ["noindex"]);
    assert!(!missing.has("link[rel=\"canonical\"]"), "{}", missing.source);
    assert!(!missing.has("meta[property=\"og:url\"]"), "{}", missing.source);
    assert!(!missing.source.contains("https://example.com/404.html"), "{}", missing.source);
    for (path, html) in build.html_files() {
        if path.to_str() == Some("404.html") {
            continue;
        }
        let page = crate::support::Page::new(html);
        assert!(!page.has("meta[name=\"robots\"]"), "{} is noindex", path.display());
        assert_eq!(page.select("link[rel=\"canonical\"]").len(), 1, "{}", path.display());
        assert_eq!(
            page.attrs("meta[property=\"og:url\"]", "content"),
            page.attrs("link[rel=\"canonical\"]", "href"),
            "{}",
            path.display()
        );
    }
}

#[test]
fn no_staging_folder_is_left_after_success() {
    let site = five_articles();
    site.build_ok(&[]);
    site.build_ok(&[]);
    assert_eq!(staging_leftovers(site.root()), Vec::<String>::new());
    let out = site.tmp().join("out");
    site.build_ok(&["--output", out.to_str().unwrap()]);
    assert_eq!(staging_leftovers(site.tmp()), Vec::<String>::new());
}

#[test]
fn no_staging_folder_is_left_after_failure() {
    let site = five_articles();
    site.build_ok(&[]);
    site.write("articles/bad.md", "---\ntitle: Bad\n---\n");
    site.build(&[]).assert_site_error();
    // A failure while rendering templates, after the staging folder exists.
    site.remove("articles/bad.md");
    site.write("templates/article.html", "{{ article.no_such_field }}");
    site.build(&[]).assert_site_error();
    assert_eq!(staging_leftovers(site.root()), Vec::<String>::new());
}

/// The output a build replaces is kept as the spare, which the next build stages into:
/// across builds that add, change and remove articles (and one that fails), the output
/// is always exactly what a build from scratch makes, and the spare is the only folder
/// beside it.
#[test]
fn the_spare_folder_never_leaks_into_the_output() {
    let site = five_articles();
    let fresh = |site: &Site| {
        let out = site.tmp().join("fresh");
        let _ = std::fs::remove_dir_all(&out);
        site.build_ok(&["--no-cache", "--output", out.to_str().unwrap()]);
        let files = snapshot(&out);
        std::fs::remove_dir_all(&out).unwrap();
        let _ = std::fs::remove_dir_all(site.tmp().join(".fresh.verdict-spare"));
        files
    };
    site.build_ok(&[]);
    site.build_ok(&[]);
    assert!(site.path(".dist.verdict-spare").is_dir(), "the replaced output is kept");
    let edits: [&dyn Fn(&Site); 4] = [
        &|s| {
            s.write("articles/a6.md", &article("Article 6", "2025-01-06", "New.\n"));
        },
        &|s| {
            s.write("articles/a2.md", &article("Article 2, edited", "2025-01-02", "Edited.\n"));
        },
        &|s| {
            s.remove("articles/a1.md").remove("articles/a3.md");
        },
        &|s| {
            s.write("static/a1", "a file where a page folder was");
        },
    ];
    for edit in edits {
        edit(&site);
        let built = site.build_ok(&[]);
        assert!(snapshot(&built.out) == fresh(&site), "the output is what a fresh build makes");
        assert_eq!(staging_leftovers(site.root()), Vec::<String>::new());
        // Nor is a folder left empty by a page that went.
        let empty: Vec<_> = walkdir::WalkDir::new(&built.out)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_dir())
            .filter(|e| std::fs::read_dir(e.path()).unwrap().next().is_none())
            .map(|e| e.path().to_path_buf())
            .collect();
        assert_eq!(empty, Vec::<std::path::PathBuf>::new(), "folders left empty");
    }
    let before = snapshot(&site.path("dist"));
    site.write("articles/bad.md", "---\ntitle: Bad\n---\n");
    site.build(&[]).assert_site_error();
    assert!(snapshot(&site.path("dist")) == before, "a failed build leaves the output");
    assert!(site.path(".dist.verdict-spare").is_dir(), "and gives the spare back");
    site.remove("articles/bad.md");
    let built = site.build_ok(&[]);
    assert!(snapshot(&built.out) == fresh(&site));
}

#[test]
fn refuses_the_site_root_as_output() {
    let site = five_articles();
    site.build_ok(&[]);
    let before = snapshot(site.root());
    let build = site.build(&["--output", site.root().to_str().unwrap()]);
    let errors = build.assert_site_error();
    assert_eq!(errors.len(), 1, "{}", build.stderr);
    assert!(errors[0].message.contains("refusing"), "{}", build.stderr);
    assert_eq!(snapshot(site.root()), before, "nothing in the site changed");
    assert_eq!(staging_leftovers(site.tmp()), Vec::<String>::new());
}

#[test]
fn refuses_a_parent_of_the_site_as_output() {
    let site = five_articles();
    let before = snapshot(site.tmp());
    let build = site.build(&["--output", site.tmp().to_str().unwrap()]);
    build.assert_site_error();
    assert_eq!(snapshot(site.tmp()), before);
}

#[test]
fn refuses_the_articles_folder_as_output() {
    let site = five_articles();
    let before = snapshot(site.root());
    for rel in ["articles", "articles/sub", "authors"] {
        let out = site.path(rel);
        let build = site.build(&["--output", out.to_str().unwrap()]);
        let errors = build.assert_site_error();
        assert!(errors[0].message.contains("refusing"), "{rel}: {}", build.stderr);
        assert_eq!(snapshot(site.root()), before, "{rel}: nothing in the site changed");
    }
}

#[test]
fn refuses_the_output_through_a_relative_path() {
    let site = five_articles();
    let before = snapshot(site.root());
    let output = crate::support::run(site.root(), &["build", "--output", "."]);
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let output = crate::support::run(site.root(), &["build", "--output", "articles"]);
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(snapshot(site.root()), before);
}

#[test]
fn a_theme_with_some_templates_falls_back_to_the_built_in_theme() {
    let site = five_articles();
    site.write("site.yaml", "title: T\nbase_url: https://example.com/\ntheme: slim\n");
    // The theme replaces the article page only, inside the built-in base layout.
    site.write(
        "themes/slim/templates/article.html",
        "{% extends \"base.html\" %}{% block content %}<p class=\"slim\">{{ article.title }}</p>{% endblock content %}",
    );
    site.write("themes/slim/static/slim.css", "p { color: red }");
    let build = site.build_ok(&[]);
    let article = build.html("a1/index.html");
    assert_eq!(article.text("p.slim"), "Article 1");
    assert!(article.has("link[rel=\"stylesheet\"]"), "the built-in base.html: {}", article.source);
    // The other pages are the built-in theme's, with its assets and the theme's own.
    assert!(build.html("index.html").has("article.card"), "the built-in index.html");
    assert!(build.exists("404.html") && build.exists("authors/index.html"));
    assert!(build.exists("assets/style.css"));
    assert_eq!(build.read("slim.css"), "p { color: red }");
}

#[test]
fn a_theme_with_every_template_gets_none_of_the_built_in_files() {
    let site = five_articles();
    site.write("site.yaml", "title: T\nbase_url: https://example.com/\ntheme: full\n");
    for name in verdict::templates::REQUIRED_TEMPLATES {
        site.write(&format!("themes/full/templates/{name}"), "<p>full</p>");
    }
    let build = site.build_ok(&[]);
    assert_eq!(build.read("404.html"), "<p>full</p>");
    assert!(!build.exists("assets/style.css"), "the built-in theme's assets are not copied");
}

#[test]
fn a_template_is_missing_only_when_no_theme_has_it() {
    let site = five_articles();
    site.write("site.yaml", "title: T\nbase_url: https://example.com/\ntheme: slim\n");
    site.write("themes/slim/templates/article.html", "{% include \"nowhere.html\" %}");
    let build = site.build(&[]);
    let errors = build.assert_site_error();
    assert!(
        errors.iter().any(|e| e.text.contains("nowhere.html")),
        "the error names the missing template: {}",
        build.stderr
    );
}
