//! Images: `width` and `height` from the file, lazy loading but for the first image,
//! smaller copies of large rasters with `srcset`, made once and then taken from the
//! cache, and `check` warnings for images that cannot be read.

use std::process::Command;

use crate::diagnostics::verdict;
use crate::support::{BIN, Site, article, png, raster};

const SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 320 180\"><rect width=\"320\" height=\"180\"/></svg>";

/// A bundle article showing a PNG, a JPEG and an SVG of its own, an image of `static/`,
/// raw `<img>` tags and an external image.
fn site() -> Site {
    let site = Site::new();
    let body = "\
![First](shot.png)

![Photo](photo.jpg \"A photo\")

<figure><img src=\"diagram.svg\" alt=\"Diagram\"><figcaption>Raw HTML</figcaption></figure>

Inline <img alt=\"Logo\" src=\"/img/logo.png\"> and ![Remote](https://example.org/x.png).

<img src=\"shot.png\" alt=\"Sized by hand\" width=\"150\">
";
    site.write("articles/x-vs-y/index.md", &article("X vs Y", "2025-01-01", body))
        .write_bytes("articles/x-vs-y/shot.png", &png(300, 200))
        .write_bytes("articles/x-vs-y/photo.jpg", &raster(200, 100, image::ImageFormat::Jpeg))
        .write("articles/x-vs-y/diagram.svg", SVG)
        .write_bytes("static/img/logo.png", &png(64, 32));
    site
}

#[test]
fn images_get_their_size_and_load_lazily_but_the_first() {
    let build = site().build_ok(&[]);
    let page = build.html("x-vs-y/index.html");
    let img = |css: &str, name: &str| page.attrs(&format!(".prose {css}"), name);
    assert_eq!(
        img("img", "src"),
        [
            "shot.png",
            "photo.jpg",
            "diagram.svg",
            "/img/logo.png",
            "https://example.org/x.png",
            "shot.png"
        ]
    );
    assert_eq!(img("img", "width"), ["300", "200", "320", "64", "150"]);
    assert_eq!(
        img("img", "height"),
        ["200", "100", "180", "32", "100"],
        "a writer's width keeps the proportions"
    );
    assert_eq!(img("img[loading=lazy]", "src").len(), 5, "all but the first");
    assert_eq!(page.select(".prose img")[0].value().attr("loading"), None);
    assert_eq!(img("img[decoding=async]", "src").len(), 6);
    // Small images get no copies.
    assert!(img("img[srcset]", "src").is_empty());
    assert!(!build.exists("x-vs-y/shot-640w.png"));
}

#[test]
fn large_rasters_get_copies_at_the_declared_widths() {
    let site = Site::new();
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://example.com/\nimages: {widths: [200, 400]}\n",
    )
    .write(
        "articles/x-vs-y/index.md",
        &article("X vs Y", "2025-01-01", "Intro.\n\n![Chart](chart.png)\n\n![Photo](photo.jpg)\n"),
    )
    .write_bytes("articles/x-vs-y/chart.png", &png(600, 300))
    .write_bytes("articles/x-vs-y/photo.jpg", &raster(500, 250, image::ImageFormat::Jpeg));
    let build = site.build_ok(&[]);
    let page = build.html("x-vs-y/index.html");
    let chart = page.one(".prose picture img");
    assert_eq!(chart.value().attr("src"), Some("chart.png"), "the original stays");
    assert_eq!(
        chart.value().attr("srcset"),
        Some("chart-200w.png 200w, chart-400w.png 400w, chart.png 600w")
    );
    assert_eq!(
        page.attrs(".prose picture source[type=\"image/webp\"]", "srcset"),
        ["chart-200w.webp 200w, chart-400w.webp 400w, chart-600w.webp 600w"]
    );
    assert_eq!(
        chart.value().attr("sizes"),
        page.one(".prose picture source").value().attr("sizes")
    );
    // WebP copies are lossless: a JPEG gets JPEG copies only, without `<picture>`.
    assert_eq!(
        page.attrs(".prose > p > img", "srcset"),
        ["photo-200w.jpg 200w, photo-400w.jpg 400w, photo.jpg 500w"]
    );
    for (rel, width, height, format) in [
        ("chart-200w.png", 200, 100, image::ImageFormat::Png),
        ("chart-400w.png", 400, 200, image::ImageFormat::Png),
        ("chart-200w.webp", 200, 100, image::ImageFormat::WebP),
        ("chart-600w.webp", 600, 300, image::ImageFormat::WebP),
        ("photo-400w.jpg", 400, 200, image::ImageFormat::Jpeg),
    ] {
        let bytes = std::fs::read(build.path(&format!("x-vs-y/{rel}"))).unwrap();
        let copy = image::load_from_memory_with_format(&bytes, format).unwrap();
        assert_eq!((copy.width(), copy.height()), (width, height), "{rel}");
    }
    assert!(!build.exists("x-vs-y/photo-200w.webp"));
}

#[test]
fn images_false_makes_no_copies() {
    let site = Site::new();
    site.write("site.yaml", "title: T\nbase_url: https://example.com/\nimages: false\n")
        .write(
            "articles/x-vs-y/index.md",
            &article("X vs Y", "2025-01-01", "![Chart](chart.png)\n"),
        )
        .write_bytes("articles/x-vs-y/chart.png", &png(800, 100));
    let build = site.build_ok(&[]);
    let page = build.html("x-vs-y/index.html");
    assert_eq!(page.attrs(".prose img", "width"), ["800"]);
    assert!(page.attrs(".prose img", "srcset").is_empty());
    assert!(!build.exists("x-vs-y/chart-640w.png"));
}

/// `verdict build` with stage timings; its standard error.
fn timed_build(site: &Site) -> String {
    let out = Command::new(BIN)
        .args(["build", "--root", site.root().to_str().unwrap()])
        .env("VERDICT_TIMINGS", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    stderr
}

/// A site whose one article shows a 300×100 chart, copied at widths 100 and 200.
fn chart_site() -> Site {
    let site = Site::new();
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://example.com/\nimages: {widths: [100, 200]}\n",
    )
    .write("articles/x-vs-y/index.md", &article("X vs Y", "2025-01-01", "![Chart](chart.png)\n"))
    .write_bytes("articles/x-vs-y/chart.png", &png(300, 100));
    site
}

#[test]
fn a_warm_build_makes_no_copy() {
    let site = chart_site();
    let cold = timed_build(&site);
    assert!(cold.contains("images 5 made 0 kept"), "{cold}");
    let copy = std::fs::read(site.path("dist/x-vs-y/chart-100w.webp")).unwrap();
    let warm = timed_build(&site);
    assert!(warm.contains("images 0 made 5 kept"), "{warm}");
    assert_eq!(std::fs::read(site.path("dist/x-vs-y/chart-100w.webp")).unwrap(), copy);
    // A new original is a new image: its copies are made again, the old ones dropped.
    site.write_bytes("articles/x-vs-y/chart.png", &png(300, 120));
    let changed = timed_build(&site);
    assert!(changed.contains("images 5 made 0 kept"), "{changed}");
    let cached = std::fs::read_dir(site.path(".verdict-cache/images")).unwrap().count();
    assert_eq!(cached, 5);
    // Without the cache, the copies are the same bytes.
    let fresh = site.tmp().join("fresh");
    site.build_ok(&["--no-cache", "--output", fresh.to_str().unwrap()]);
    assert_eq!(
        std::fs::read(fresh.join("x-vs-y/chart-200w.png")).unwrap(),
        std::fs::read(site.path("dist/x-vs-y/chart-200w.png")).unwrap()
    );
}

#[test]
fn a_failed_build_drops_no_copy_from_the_cache() {
    let site = chart_site();
    let cached = || std::fs::read_dir(site.path(".verdict-cache/images")).unwrap().count();
    site.build_ok(&[]);
    assert_eq!(cached(), 5);
    // A new original and a link to a path the build does not write: the new copies are
    // made and stored, the build fails at the end, and the old copies stay.
    site.write_bytes("articles/x-vs-y/chart.png", &png(300, 120)).write(
        "articles/x-vs-y/index.md",
        &article("X vs Y", "2025-01-01", "![Chart](chart.png)\n\n[Gone](/nowhere/)\n"),
    );
    site.build(&[]).assert_site_error();
    assert_eq!(cached(), 10);
    // Fixed: the copies come from the cache, and the old ones are dropped.
    site.write(
        "articles/x-vs-y/index.md",
        &article("X vs Y", "2025-01-01", "![Chart](chart.png)\n"),
    );
    let fixed = timed_build(&site);
    assert!(fixed.contains("images 0 made 5 kept"), "{fixed}");
    assert_eq!(cached(), 5);
}

#[test]
fn check_warns_of_unreadable_images_and_missing_raw_img_files() {
    let site = Site::new();
    let body = "Text.\n\n![Broken](broken.png)\n\n<p><img src=\"gone.png\" alt=\"\"></p>\n";
    site.write("articles/x-vs-y/index.md", &article("X vs Y", "2025-01-01", body))
        .write("articles/x-vs-y/broken.png", "not a png");
    let run = verdict(site.root(), &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "articles/x-vs-y/index.md:9:1: warning: cannot tell the size of image `broken.png`: "
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("articles/x-vs-y/index.md:11:4: warning: image `gone.png` not found: the output has no `x-vs-y/gone.png`"),
        "{}",
        run.stderr
    );
    // The build goes on and shows the image as written.
    let build = site.build_ok(&[]);
    let page = build.html("x-vs-y/index.html");
    assert_eq!(page.attrs(".prose img[src=\"broken.png\"]", "width"), Vec::<String>::new());
}

#[test]
fn errors_on_bad_image_settings_and_keeps_the_output() {
    let site = Site::new();
    site.write("articles/x-vs-y.md", &article("X vs Y", "2025-01-01", "Body.\n"));
    site.build_ok(&[]);
    let before = std::fs::read(site.path("dist/x-vs-y/index.html")).unwrap();
    for (images, message) in [
        ("images: {widths: [640], format: [webp]}", "unknown field `format`"),
        ("images: {widths: []}", "`images.widths` must list widths from 16 to 8192 pixels"),
        ("images: {formats: [png]}", "`images.formats` can offer `webp` only, not `png`"),
        ("images: yes please", "`false`, or a map"),
    ] {
        site.write("site.yaml", &format!("title: T\nbase_url: https://example.com/\n{images}\n"));
        let errors = site.build(&[]).assert_site_error();
        assert!(
            errors.iter().any(|d| d.path == "site.yaml" && d.message.contains(message)),
            "{images}: {errors:?}"
        );
    }
    assert_eq!(std::fs::read(site.path("dist/x-vs-y/index.html")).unwrap(), before);
}
