//! The bad-input matrix (issue 7): one test per kind of broken or hostile input.
//!
//! Each rejected input starts from a good site (`tests/fixtures/hardening/base`), builds
//! it, breaks it and builds again, and checks what every failed build must do: exit status
//! 1 (never a panic's 101), in bounded time, with a diagnostic naming the file (and line,
//! where there is one); the previous output byte for byte as it was; nothing written or
//! removed anywhere else (the site, the folders beside it, the cache); and no staging
//! folder left. Inputs that must work (a BOM, CRLF, unusual file names, a long code block)
//! build and are checked in the output.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{BIN, Diagnostic, Page, Site, diagnostics, snapshot, staging_leftovers};

/// How long one build of the matrix may take (a debug binary on a slow machine); a build
/// that takes longer is killed and the test fails.
const TIME_LIMIT: Duration = Duration::from_secs(60);

/// What a run of the binary gave.
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stderr: String,
}

/// `verdict <args>` in the site folder, killed after [`TIME_LIMIT`].
fn verdict(site: &Site, args: &[&str]) -> Run {
    verdict_with_env(site, args, &[])
}

/// [`verdict`] with these environment variables set.
fn verdict_with_env(site: &Site, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut child = Command::new(BIN)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(site.root())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run verdict");
    let mut stderr = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for verdict") {
            break status;
        }
        if start.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            panic!("`verdict {}` took more than {TIME_LIMIT:?}", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let stderr = reader.join().expect("stderr reader");
    let code = status.code().unwrap_or_else(|| panic!("verdict was killed:\n{stderr}"));
    assert!(!stderr.contains("panicked"), "verdict panicked:\n{stderr}");
    Run { code, stderr }
}

/// `verdict build --root <site> <args>`.
fn build(site: &Site, args: &[&str]) -> Run {
    let root = site.root().to_str().expect("utf-8 path").to_string();
    let mut all = vec!["build", "--root", root.as_str()];
    all.extend_from_slice(args);
    verdict(site, &all)
}

/// What is on disk under a folder: files by a hash of their bytes, links by their target.
#[derive(Debug, PartialEq, Eq)]
enum Node {
    Dir,
    File(u64, u64),
    Link(PathBuf),
    Special,
}

/// Everything under `dir` but the folder `skip`.
fn tree(dir: &Path, skip: &Path) -> BTreeMap<PathBuf, Node> {
    fn walk(dir: &Path, skip: &Path, nodes: &mut BTreeMap<PathBuf, Node>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries {
            let path = entry.expect("dir entry").path();
            if path == skip {
                continue;
            }
            let meta = std::fs::symlink_metadata(&path).expect("metadata");
            let node = if meta.file_type().is_symlink() {
                Node::Link(std::fs::read_link(&path).expect("read link"))
            } else if meta.is_dir() {
                walk(&path, skip, nodes);
                Node::Dir
            } else if !meta.is_file() {
                // A FIFO: reading it would wait for a writer.
                Node::Special
            } else {
                let mut hasher = std::hash::DefaultHasher::new();
                std::fs::read(&path).unwrap_or_default().hash(&mut hasher);
                Node::File(meta.len(), hasher.finish())
            };
            nodes.insert(path, node);
        }
    }
    let mut nodes = BTreeMap::new();
    walk(dir, skip, &mut nodes);
    nodes
}

/// A build that was refused.
pub(crate) struct Rejected {
    pub(crate) run: Run,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl Rejected {
    /// The diagnostic about `path` (the end of the printed path) at `line`, which must
    /// exist; `None` for an error about a whole file.
    pub(crate) fn error(&self, path: &str, line: Option<usize>) -> &Diagnostic {
        self.diagnostics
            .iter()
            .find(|d| d.path.ends_with(path) && d.location.map(|(l, _)| l) == line)
            .unwrap_or_else(|| {
                panic!("no error for `{path}` at line {line:?} in:\n{}", self.run.stderr)
            })
    }

    /// The only diagnostic, which must be about `path` at `line`.
    pub(crate) fn only(&self, path: &str, line: Option<usize>) -> &Diagnostic {
        assert_eq!(self.diagnostics.len(), 1, "expected one error:\n{}", self.run.stderr);
        self.error(path, line)
    }
}

/// The good site every case starts from.
fn good_site() -> Site {
    Site::fixture("hardening/base")
}

/// Builds the good site, applies `change`, and builds again with `args`, which must fail
/// cleanly (see the module comment).
pub(crate) fn rejects(change: impl FnOnce(&Site), args: &[&str]) -> Rejected {
    let site = good_site();
    let first = build(&site, &[]);
    assert_eq!(first.code, 0, "the good site failed:\n{}", first.stderr);
    assert!(snapshot(&site.path("dist")).len() > 10, "the good build wrote the site");
    change(&site);
    refused(&site, args)
}

/// Builds `site` with `args`, which must fail cleanly (see the module comment): the
/// output as it was before, nothing changed around it.
fn refused(site: &Site, args: &[&str]) -> Rejected {
    let dist = site.path("dist");
    let before = snapshot(&dist);
    let around = tree(site.tmp(), &dist);

    let run = build(site, args);
    assert_eq!(run.code, 1, "expected exit status 1:\n{}", run.stderr);
    let diagnostics = diagnostics(&run.stderr);
    assert!(!diagnostics.is_empty(), "no `path: error: ...` line in:\n{}", run.stderr);
    // Past 50 problems in one file, the report counts the rest.
    let not_shown: usize = run
        .stderr
        .lines()
        .filter_map(|l| l.split_once(": ")?.1.strip_suffix(" more problems not shown"))
        .filter_map(|n| n.parse::<usize>().ok())
        .sum();
    let n = diagnostics.len() + not_shown;
    let summary = format!("build failed: {n} error{}", if n == 1 { "" } else { "s" });
    assert_eq!(run.stderr.lines().last(), Some(summary.as_str()), "{}", run.stderr);

    assert!(snapshot(&dist) == before, "the failed build changed the previous output");
    let after = tree(site.tmp(), &dist);
    let changed: Vec<&PathBuf> = around
        .iter()
        .filter(|(path, node)| after.get(*path) != Some(node))
        .map(|(path, _)| path)
        .chain(after.keys().filter(|path| !around.contains_key(*path)))
        .collect();
    assert!(changed.is_empty(), "the failed build wrote outside the output: {changed:?}");
    assert_eq!(staging_leftovers(site.root()), Vec::<String>::new());
    Rejected { run, diagnostics }
}

/// Builds the good site, applies `change`, and builds again with `args`, which must
/// succeed; returns the site to read the output.
pub(crate) fn accepts(change: impl FnOnce(&Site), args: &[&str]) -> Site {
    let site = good_site();
    assert_eq!(build(&site, &[]).code, 0);
    change(&site);
    let run = build(&site, args);
    assert_eq!(run.code, 0, "the build failed:\n{}", run.stderr);
    assert_eq!(staging_leftovers(site.root()), Vec::<String>::new());
    site
}

/// An article file by `jane` comparing A and B with `extra` front-matter lines (each
/// ending in a newline) after the required keys, which take lines 2 to 5.
pub(crate) fn article_with(extra: &str, body: &str) -> String {
    format!(
        "---\ntitle: Bad\ndate: 2025-01-01\nauthor: jane\ncontenders: [A, B]\n{extra}---\n{body}"
    )
}

/// Adds `articles/bad.md` with `text`.
pub(crate) fn bad_article(text: String) -> impl FnOnce(&Site) {
    move |site: &Site| {
        site.write("articles/bad.md", &text);
    }
}

/// The output page of `rel` in the site's `dist/`.
pub(crate) fn page(site: &Site, rel: &str) -> Page {
    let path = site.path("dist").join(rel);
    Page::new(std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}")))
}

// YAML.

#[test]
fn yaml_unterminated_front_matter() {
    let r =
        rejects(bad_article("---\ntitle: Bad\ndate: 2025-01-01\n\nNo closing line.\n".into()), &[]);
    assert_eq!(r.only("articles/bad.md", Some(1)).message, "front matter is not closed");
}

#[test]
fn yaml_tab_indentation() {
    let r = rejects(bad_article(article_with("extra:\n\tkey: value\n", "")), &[]);
    let d = r.only("articles/bad.md", Some(7));
    assert_eq!(
        d.help.as_deref(),
        Some("YAML indents with spaces: replace the tabs at the start of this line")
    );
}

#[test]
fn yaml_duplicate_keys() {
    let r = rejects(bad_article(article_with("title: Again\n", "")), &[]);
    let d = r.only("articles/bad.md", Some(6));
    assert_eq!(d.message, "duplicate field `title`");
    assert_eq!(d.help.as_deref(), Some("`title` is set twice in the same map: keep one of them"));
}

#[test]
fn yaml_wrong_types() {
    let r = rejects(bad_article(article_with("draft: maybe\n", "")), &[]);
    let d = r.only("articles/bad.md", Some(6));
    assert!(d.message.contains("expected a boolean"), "{}", d.text);
    assert!(d.help.is_some());
}

#[test]
fn yaml_list_where_a_map_belongs() {
    let r = rejects(bad_article(article_with("extra: [1, 2]\n", "")), &[]);
    let d = r.only("articles/bad.md", Some(6));
    assert!(d.message.contains("expected a map"), "{}", d.text);
}

#[test]
fn yaml_impossible_date() {
    let text = "---\ntitle: Bad\ndate: 2025-13-45\nauthor: jane\ncontenders: [A, B]\n---\n";
    let r = rejects(bad_article(text.into()), &[]);
    let d = r.only("articles/bad.md", Some(3));
    assert_eq!(d.message, "`date` is not a valid date: `2025-13-45`");
    assert_eq!(d.location, Some((3, 7)));
}

#[test]
fn yaml_alias_bomb() {
    // "Billion laughs": nine levels of nine aliases would expand to 9^9 strings.
    let mut yaml = String::from("extra:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (name, previous) in "bcdefghi".chars().zip("abcdefgh".chars()) {
        let refs = vec![format!("*{previous}"); 9].join(", ");
        yaml.push_str(&format!("  {name}: &{name} [{refs}]\n"));
    }
    let r = rejects(bad_article(article_with(&yaml, "")), &[]);
    let d = &r.diagnostics[0];
    assert_eq!(d.path, "articles/bad.md", "{}", r.run.stderr);
    assert!(d.location.is_some(), "{}", d.text);
    assert!(d.message.contains("repetition limit exceeded"), "{}", d.text);
}

#[test]
fn yaml_ten_thousand_nesting_levels() {
    let deep = format!("extra:\n  deep: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
    let r = rejects(bad_article(article_with(&deep, "")), &[]);
    let d = r.only("articles/bad.md", Some(7));
    assert!(d.message.contains("recursion limit exceeded"), "{}", d.text);
}

#[test]
fn yaml_fifty_megabyte_front_matter() {
    let huge = format!("description: \"{}\"\n", "a".repeat(50 << 20));
    let r = rejects(bad_article(article_with(&huge, "")), &[]);
    let d = r.only("articles/bad.md", None);
    assert!(d.message.starts_with("the file is 50.0 MiB"), "{}", d.text);
}

// Files.

#[test]
fn empty_file() {
    let r = rejects(bad_article(String::new()), &[]);
    assert_eq!(r.only("articles/bad.md", Some(1)).message, "missing front matter");
}

#[test]
fn byte_order_mark_works() {
    let text = format!("\u{feff}{}", article_with("", "Intro.\n\n## Speed\n\nWinner: A.\n"));
    let site = accepts(bad_article(text), &[]);
    let page = page(&site, "bad/index.html");
    assert_eq!(page.text("h1"), "Bad");
    assert_eq!(page.attrs(".winner-callout", "data-winners"), ["a"]);
}

#[test]
fn crlf_line_endings_work() {
    let text = article_with("tags: [crlf]\n", "Intro.\n\n## 1. Speed\n\n**Winner:** B, by far.\n")
        .replace('\n', "\r\n");
    let site = accepts(bad_article(text), &[]);
    let page = page(&site, "bad/index.html");
    assert_eq!(page.attrs(".winner-callout", "data-criterion"), ["Speed"]);
    assert_eq!(page.attrs(".winner-callout", "data-winners"), ["b"]);
    assert!(site.path("dist/tags/crlf/index.html").is_file());
    assert!(!page.source.contains('\r'), "no carriage return reaches the HTML");
}

#[test]
fn crlf_errors_point_at_the_right_line() {
    let text = article_with("draft: maybe\n", "").replace('\n', "\r\n");
    let r = rejects(bad_article(text), &[]);
    r.only("articles/bad.md", Some(6));
    assert!(!r.run.stderr.contains('\r'), "{:?}", r.run.stderr);
}

#[test]
fn invalid_utf8() {
    let mut bytes = article_with("", "Fine line.\n").into_bytes();
    bytes.extend_from_slice(b"caf\xe9 au lait\n");
    let r = rejects(
        |site| {
            site.write_bytes("articles/bad.md", &bytes);
        },
        &[],
    );
    let d = r.only("articles/bad.md", Some(8));
    assert_eq!(d.message, "the file is not valid UTF-8");
    assert_eq!(d.location, Some((8, 4)));
}

#[test]
fn fifty_megabyte_article_is_refused_at_once() {
    // Decision: Markdown and YAML files over 8 MiB are refused before they are read. A
    // 50 MB article built in about a minute (debug) into 100 MB of pages and feed.
    let paragraph = "Rust and Go compared once more, at length, for the record. ".repeat(20);
    let mut body = String::with_capacity(51 << 20);
    while body.len() < 50 << 20 {
        body.push_str(&paragraph);
        body.push_str("\n\n");
    }
    let start = Instant::now();
    let r = rejects(bad_article(article_with("", &body)), &[]);
    let d = r.only("articles/bad.md", None);
    assert!(d.message.contains("up to 8 MiB"), "{}", d.text);
    assert!(d.help.is_some());
    assert!(start.elapsed() < Duration::from_secs(30), "{:?}", start.elapsed());
}

#[test]
fn ten_thousand_line_code_block_builds() {
    let code: String = (0..10_000).map(|i| format!("let x{i} = {i};\n")).collect();
    let body = format!("Intro.\n\n```rust\n{code}```\n\nWinner: A.\n");
    let site = accepts(bad_article(article_with("", &body)), &["--no-cache"]);
    let page = page(&site, "bad/index.html");
    assert!(page.source.contains("x9999"), "the whole block is there");
    assert!(page.has(".winner-callout"));
}

#[cfg(unix)]
#[test]
fn unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let probe = tempfile::NamedTempFile::new().expect("probe file");
    std::fs::set_permissions(probe.path(), std::fs::Permissions::from_mode(0o000)).expect("chmod");
    if std::fs::read(probe.path()).is_ok() {
        eprintln!("skipped `unreadable_file`: running as root, chmod 000 does not stop reads");
        return;
    }
    let r = rejects(
        |site| {
            site.write("articles/bad.md", &article_with("", ""));
            let mode = std::fs::Permissions::from_mode(0o000);
            std::fs::set_permissions(site.path("articles/bad.md"), mode).expect("chmod");
        },
        &[],
    );
    let d = r.only("articles/bad.md", None);
    assert!(d.message.starts_with("cannot read the file"), "{}", d.text);
}

#[cfg(unix)]
#[test]
fn file_deleted_before_it_is_read() {
    // A file that disappears between the listing and the read looks, to the build, like
    // a link whose target is gone.
    let r = rejects(
        |site| {
            std::os::unix::fs::symlink(
                site.path("articles/gone-now.md"),
                site.path("articles/bad.md"),
            )
            .expect("symlink");
        },
        &[],
    );
    let d = r.only("articles/bad.md", None);
    assert!(d.message.contains("No such file"), "{}", d.text);
}

#[cfg(unix)]
#[test]
fn symlink_loop_in_articles() {
    let r = rejects(
        |site| {
            std::os::unix::fs::symlink(site.path("articles"), site.path("articles/loop"))
                .expect("symlink");
            std::os::unix::fs::symlink("b", site.path("articles/a.md")).expect("symlink");
            std::os::unix::fs::symlink("a.md", site.path("articles/b")).expect("symlink");
        },
        &[],
    );
    assert!(r.error("articles/loop", None).message.contains("loop"), "{}", r.run.stderr);
    r.error("articles/a.md", None);
}

#[cfg(unix)]
#[test]
fn symlink_to_a_file_outside_the_site_is_refused() {
    // Decision: links are followed inside the site folder only; one leading outside is
    // an error, so no file from elsewhere on the machine is ever published.
    let r = rejects(
        |site| {
            let secret = site.tmp().join("secret.txt");
            std::fs::write(&secret, "password=hunter2").expect("secret");
            std::os::unix::fs::symlink(&secret, site.path("static/secret.txt")).expect("symlink");
            let outside = site.tmp().join("outside.md");
            std::fs::write(&outside, article_with("", "From outside.\n")).expect("article");
            std::os::unix::fs::symlink(&outside, site.path("articles/outside.md"))
                .expect("symlink");
        },
        &[],
    );
    assert_eq!(r.diagnostics.len(), 2, "{}", r.run.stderr);
    for path in ["articles/outside.md", "static/secret.txt"] {
        let d = r.error(path, None);
        assert!(d.message.contains("outside the site folder"), "{}", d.text);
    }
}

#[cfg(unix)]
#[test]
fn symlinked_folder_outside_the_site_is_refused() {
    let r = rejects(
        |site| {
            let shared = site.tmp().join("shared");
            std::fs::create_dir(&shared).expect("dir");
            std::fs::write(shared.join("logo.svg"), "<svg/>").expect("file");
            std::os::unix::fs::symlink(&shared, site.path("static/shared")).expect("symlink");
        },
        &[],
    );
    r.only("static/shared", None);
}

#[cfg(unix)]
#[test]
fn symlinks_inside_the_site_are_followed() {
    let site = accepts(
        |site| {
            site.write("extras/logo.svg", "<svg/>");
            std::os::unix::fs::symlink("../extras/logo.svg", site.path("static/logo.svg"))
                .expect("symlink");
        },
        &[],
    );
    assert_eq!(std::fs::read_to_string(site.path("dist/logo.svg")).unwrap(), "<svg/>");
}

/// Copies the default theme's templates into `dir/templates/`.
fn copy_default_templates(dir: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    std::fs::create_dir_all(dir.join("templates")).expect("templates dir");
    for entry in std::fs::read_dir(from).expect("default templates") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, dir.join("templates").join(path.file_name().unwrap())).expect("copy");
    }
}

/// Sets `theme: mine` in the site's configuration.
fn use_theme_mine(site: &Site) {
    site.write("site.yaml", "title: Hardening\nbase_url: https://example.com/\ntheme: mine\n");
}

#[cfg(unix)]
#[test]
fn theme_folder_linked_outside_the_site_is_refused() {
    let r = rejects(
        |site| {
            let theme = site.tmp().join("elsewhere");
            copy_default_templates(&theme);
            std::fs::create_dir(site.path("themes")).expect("themes");
            std::os::unix::fs::symlink(&theme, site.path("themes/mine")).expect("symlink");
            use_theme_mine(site);
        },
        &[],
    );
    let d = r.only("themes/mine", None);
    assert!(d.message.starts_with("symbolic link to `"), "{}", d.text);
    assert!(d.message.contains("elsewhere`, outside the site folder"), "{}", d.text);
}

#[cfg(unix)]
#[test]
fn theme_and_template_files_linked_outside_the_site_are_refused() {
    let r = rejects(
        |site| {
            copy_default_templates(&site.path("themes/mine"));
            let outside = site.tmp().join("base.html");
            std::fs::copy(site.path("themes/mine/templates/base.html"), &outside).expect("copy");
            std::fs::remove_file(site.path("themes/mine/templates/base.html")).expect("remove");
            std::os::unix::fs::symlink(&outside, site.path("themes/mine/templates/base.html"))
                .expect("symlink");
            std::fs::write(site.tmp().join("key.pem"), "PRIVATE KEY").expect("secret");
            std::fs::create_dir_all(site.path("themes/mine/static")).expect("static");
            std::os::unix::fs::symlink(
                site.tmp().join("key.pem"),
                site.path("themes/mine/static/key.pem"),
            )
            .expect("symlink");
            // The site's own templates, over the theme's, likewise.
            std::fs::create_dir(site.path("templates")).expect("templates");
            std::os::unix::fs::symlink(&outside, site.path("templates/page.html"))
                .expect("symlink");
            use_theme_mine(site);
        },
        &[],
    );
    assert_eq!(r.diagnostics.len(), 3, "{}", r.run.stderr);
    for path in
        ["templates/page.html", "themes/mine/templates/base.html", "themes/mine/static/key.pem"]
    {
        let d = r.error(path, None);
        assert!(d.message.contains("outside the site folder"), "{}", d.text);
    }
}

#[test]
fn theme_name_leaving_the_themes_folder() {
    let r = rejects(
        |site| {
            copy_default_templates(&site.tmp().join("elsewhere"));
            site.write("site.yaml", "title: T\nbase_url: https://e.com/\ntheme: ../../elsewhere\n");
        },
        &[],
    );
    let d = r.only("site.yaml", Some(3));
    assert_eq!(d.message, "`theme` is not a folder name: `../../elsewhere`");
}

#[cfg(unix)]
#[test]
fn theme_linked_inside_the_site_is_followed() {
    let site = accepts(
        |site| {
            copy_default_templates(&site.path("design/mine"));
            site.write("design/mine/templates/404.html", "<p>Linked theme.</p>");
            std::fs::create_dir(site.path("themes")).expect("themes");
            std::os::unix::fs::symlink("../design/mine", site.path("themes/mine"))
                .expect("symlink");
            use_theme_mine(site);
        },
        &[],
    );
    assert_eq!(
        std::fs::read_to_string(site.path("dist/404.html")).unwrap(),
        "<p>Linked theme.</p>"
    );
}

#[test]
fn names_with_spaces_and_non_ascii() {
    let site = accepts(
        |site| {
            site.write(
                "articles/rust vs go 2.md",
                &article_with("", "See [the German one](%C3%BCber-vergleich.md).\n\n## X\n"),
            );
            site.write(
                "articles/über-vergleich.md",
                &article_with(
                    "tags: [Ünïcödé, 日本語]\n",
                    "See [spaces](rust%20vs%20go%202.md) and [again](<rust vs go 2.md#x>).\n",
                ),
            );
            site.write(
                "articles/my bundle/index.md",
                &article_with("", "![A chart](my%20chart.svg)\n"),
            );
            site.write(
                "articles/my bundle/my chart.svg",
                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 8 4\"/>",
            );
        },
        &[],
    );
    let spaced = page(&site, "rust-vs-go-2/index.html");
    assert!(spaced.attrs("a", "href").iter().any(|h| h == "/über-vergleich/"), "{}", spaced.source);
    let german = page(&site, "über-vergleich/index.html");
    let hrefs = german.attrs("a", "href");
    assert!(hrefs.iter().any(|h| h == "/rust-vs-go-2/"), "{hrefs:?}");
    assert!(hrefs.iter().any(|h| h == "/rust-vs-go-2/#x"), "{hrefs:?}");
    assert!(site.path("dist/tags/日本語/index.html").is_file());
    assert!(site.path("dist/my-bundle/my chart.svg").is_file());
    let check = verdict(&site, &["check"]);
    assert!(!check.stderr.contains("my%20chart"), "the image is found:\n{}", check.stderr);
}

// Slugs.

fn rejects_slug(slug: &str) -> Rejected {
    rejects(bad_article(article_with(&format!("slug: \"{slug}\"\n"), "")), &[])
}

#[test]
fn slug_climbing_out() {
    let r = rejects_slug("../x");
    let d = r.only("articles/bad.md", Some(6));
    assert_eq!(d.message, "`slug` is not a valid URL segment: `../x`");
}

#[test]
fn slug_absolute() {
    let r = rejects_slug("/abs");
    r.only("articles/bad.md", Some(6));
}

#[test]
fn slug_climbing_through_a_folder() {
    let r = rejects_slug("a/../../b");
    r.only("articles/bad.md", Some(6));
}

#[test]
fn slug_reserved_on_windows() {
    for slug in ["con", "NUL", "com1"] {
        let r = rejects_slug(slug);
        let d = r.only("articles/bad.md", Some(6));
        assert_eq!(d.message, format!("the slug `{slug}` is a device name that Windows reserves"));
    }
}

#[test]
fn page_slug_reserved_on_windows() {
    // A slug taken from the file name is checked like a written one.
    let r = rejects(
        |site| {
            site.write("pages/PRN.md", "---\ntitle: Printer\n---\n");
        },
        &[],
    );
    let d = r.only("pages/PRN.md", Some(2));
    assert_eq!(d.message, "the slug `prn` is a device name that Windows reserves");
}

#[test]
fn tag_reserved_on_windows() {
    let r = rejects(bad_article(article_with("tags: [ok, Aux]\n", "")), &[]);
    let d = r.only("articles/bad.md", Some(6));
    assert_eq!(
        d.message,
        "the tag `Aux` names the folder `tags/aux/`, a device name that Windows reserves"
    );
}

#[test]
fn author_id_reserved_on_windows() {
    let r = rejects(
        |site| {
            site.write("authors/con.md", "---\nname: Con Artist\n---\n");
        },
        &[],
    );
    let d = r.only("authors/con.md", None);
    assert_eq!(d.message, "the author id `con` is a device name that Windows reserves");
    assert!(d.help.as_deref().is_some_and(|h| h.contains("rename the file")), "{}", d.text);
}

#[test]
fn contender_id_reserved_on_windows() {
    let derived = "---\ntitle: Bad\ndate: 2025-01-01\nauthor: jane\ncontenders: [A, Nul]\n---\n";
    let r = rejects(bad_article(derived.into()), &[]);
    let d = r.only("articles/bad.md", Some(5));
    assert_eq!(d.message, "contender `Nul` has the id `nul`, a device name that Windows reserves");
    let explicit = "---\ntitle: Bad\ndate: 2025-01-01\nauthor: jane\ncontenders:\n  - A\n  - name: Serial\n    id: com1\n---\n";
    let r = rejects(bad_article(explicit.into()), &[]);
    let d = r.only("articles/bad.md", Some(7));
    assert!(d.message.contains("the id `com1`, a device name"), "{}", d.text);
    let r = rejects(
        |site| {
            site.write("contenders.yaml", "sqlite:\n  name: SQLite\nlpt1:\n  name: Printer\n");
        },
        &[],
    );
    let d = r.only("contenders.yaml", Some(3));
    assert_eq!(d.message, "the contender id `lpt1` is a device name that Windows reserves");
}

#[test]
fn copied_file_named_after_a_windows_device() {
    let r = rejects(
        |site| {
            site.write("static/aux.css", "body {}");
            site.write("articles/sqlite-vs-duckdb/con/chart.svg", "<svg/>");
            copy_default_templates(&site.path("themes/mine"));
            site.write("themes/mine/static/Com3.js", "");
            use_theme_mine(site);
        },
        &[],
    );
    assert_eq!(r.diagnostics.len(), 3, "{}", r.run.stderr);
    r.error("themes/mine/static/Com3.js", None);
    let d = r.error("static/aux.css", None);
    assert_eq!(d.message, "the file name `aux.css` is a device name that Windows reserves");
    let d = r.error("articles/sqlite-vs-duckdb/con/chart.svg", None);
    assert_eq!(d.message, "the folder name `con` is a device name that Windows reserves");
}

#[test]
fn slug_empty() {
    let r = rejects_slug("");
    assert_eq!(r.only("articles/bad.md", Some(6)).message, "the article's slug is empty");
}

#[test]
fn slug_reserved_paths() {
    for slug in ["tags", "authors", "compare", "page", "assets", "search.json"] {
        let r = rejects_slug(slug);
        let d = r.only("articles/bad.md", Some(6));
        assert!(d.message.contains("is reserved"), "{}", d.text);
    }
}

#[test]
fn slug_of_two_articles() {
    let r = rejects_slug("rust-vs-go");
    assert!(r.diagnostics[0].message.contains("already used by"), "{}", r.run.stderr);
    assert_eq!(r.diagnostics.len(), 1);
}

#[test]
fn slug_of_an_article_and_a_page() {
    let r = rejects(
        |site| {
            site.write("pages/rust-vs-go.md", "---\ntitle: Page\n---\n");
        },
        &[],
    );
    let d = &r.diagnostics[0];
    assert!(d.message.contains("is already used by"), "{}", r.run.stderr);
    assert!(d.text.contains("articles/rust-vs-go.md"), "both files are named: {}", d.text);
}

#[test]
fn slugs_differing_only_in_case() {
    let r = rejects_slug("Rust-vs-Go");
    assert_eq!(r.diagnostics.len(), 1, "{}", r.run.stderr);
    let d = &r.diagnostics[0];
    assert!(d.message.contains("already used"), "{}", d.text);
    assert!(d.help.as_deref().is_some_and(|h| h.contains("case")), "{:?}", d.help);
}

#[test]
fn tag_too_long_for_a_file_name() {
    let tag = "t".repeat(300);
    let r = rejects(bad_article(article_with(&format!("tags: [{tag}]\n"), "")), &[]);
    // Reported at the front-matter line that gives it, not at the output path it makes.
    let d = r.only("articles/bad.md", Some(6));
    assert_eq!(d.message, "the tag `tttttttttttttttttttt…` is 300 characters long; the most is 80");
}

// References.

#[test]
fn unknown_author() {
    let text = "---\ntitle: Bad\ndate: 2025-01-01\nauthor: janet\ncontenders: [A, B]\n---\n";
    let r = rejects(bad_article(text.into()), &[]);
    let d = r.only("articles/bad.md", Some(4));
    assert_eq!(d.message, "unknown author `janet`");
    assert_eq!(d.help.as_deref(), Some("did you mean `jane`?"));
}

#[test]
fn contenders_yaml_bad_id_and_unknown_key() {
    // An article naming a technology that `contenders.yaml` does not describe is fine
    // (the catalog is optional, SPEC §2); the catalog's own ids and keys are checked.
    let r = rejects(
        |site| {
            let text = "sqlite:\n  name: SQLite\n../etc:\n  name: Evil\n";
            site.write("contenders.yaml", text);
        },
        &[],
    );
    assert_eq!(r.only("contenders.yaml", Some(3)).message, "`../etc` is not a valid contender id");
    let r = rejects(
        |site| {
            site.write("contenders.yaml", "sqlite:\n  name: SQLite\n  urll: x\n");
        },
        &[],
    );
    let d = r.only("contenders.yaml", Some(3));
    assert_eq!(d.help.as_deref(), Some("did you mean `url`?"));
}

#[test]
fn link_to_a_missing_article() {
    let r = rejects(bad_article(article_with("", "Intro.\n\nSee [it](rust-vs-og.md).\n")), &[]);
    let d = r.only("articles/bad.md", Some(9));
    assert_eq!(d.location, Some((9, 5)));
    assert_eq!(d.help.as_deref(), Some("did you mean `rust-vs-go.md`?"));
}

#[test]
fn link_to_a_missing_anchor() {
    let r = rejects(bad_article(article_with("", "See [it](rust-vs-go.md#sped).\n")), &[]);
    let d = r.only("articles/bad.md", Some(7));
    assert!(d.message.contains("#sped"), "{}", d.text);
}

#[test]
fn missing_image_builds_and_check_warns() {
    // The build does not look at images (an `<img>` may point anywhere); `verdict check`
    // warns about one that is not in the output, with its file and line.
    let site = accepts(bad_article(article_with("", "Intro.\n\n![Chart](nope.png)\n")), &[]);
    let check = verdict(&site, &["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check.stderr.contains("articles/bad.md:9:1: warning: image `nope.png` not found"),
        "{}",
        check.stderr
    );
}

// Configuration.

#[test]
fn site_yaml_missing() {
    let r = rejects(
        |site| {
            site.remove("site.yaml");
        },
        &[],
    );
    let d = r.only("site.yaml", None);
    assert!(d.message.starts_with("no `site.yaml` in"), "{}", d.text);
}

#[test]
fn site_yaml_unknown_key() {
    let r = rejects(
        |site| {
            site.write("site.yaml", "title: T\nbase_url: https://e.com/\npagniate: 3\n");
        },
        &[],
    );
    let d = r.only("site.yaml", Some(3));
    assert!(d.message.starts_with("unknown field `pagniate`"), "{}", d.text);
    assert_eq!(d.help.as_deref(), Some("did you mean `paginate`?"));
}

#[test]
fn site_yaml_base_url_not_a_url() {
    let r = rejects(
        |site| {
            site.write("site.yaml", "title: T\nbase_url: not a url\n");
        },
        &[],
    );
    let d = r.only("site.yaml", Some(2));
    assert!(d.message.contains("not an absolute http(s) URL"), "{}", d.text);
}

#[test]
fn site_yaml_unknown_theme() {
    let r = rejects(
        |site| {
            site.write("site.yaml", "title: T\nbase_url: https://e.com/\ntheme: defualt\n");
        },
        &[],
    );
    let d = r.only("site.yaml", Some(3));
    assert_eq!(d.message, "unknown theme `defualt`");
    assert_eq!(d.help.as_deref(), Some("did you mean `default`?"));
}

#[test]
fn template_syntax_error() {
    let template = "{% extends \"base.html\" %}\n{% block content %}\n{{ page.title \n{% endblock content %}\n";
    let r = rejects(
        |site| {
            site.write("templates/page.html", template);
        },
        &[],
    );
    let d = r.only("templates/page.html", Some(4));
    assert!(d.message.starts_with("template error"), "{}", d.text);
}

#[test]
fn template_using_an_undefined_variable() {
    let template = "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.title }}</h1>\n{{ page.nonexistent }}\n{% endblock content %}\n";
    let r = rejects(
        |site| {
            site.write("templates/page.html", template);
        },
        &[],
    );
    let d = r.only("templates/page.html", Some(4));
    assert!(d.message.contains("`nonexistent` is not defined"), "{}", d.text);
}

#[test]
fn template_include_loop() {
    let r = rejects(
        |site| {
            site.write(
                "templates/page.html",
                "{% extends \"base.html\" %}\n{% block content %}\n{% include \"a.html\" %}\n{% endblock content %}\n",
            );
            site.write("templates/a.html", "A\n{% include \"b.html\" %}\n");
            site.write("templates/b.html", "B\n\n  {% include \"a.html\" %}\n");
        },
        &[],
    );
    let d = r.only("templates/b.html", Some(3));
    assert_eq!(d.location, Some((3, 3)));
    assert_eq!(d.message, "template error: `include` loop: `a.html` → `b.html` → `a.html`");
}

#[test]
fn template_component_calling_itself_without_end() {
    let r = rejects(
        |site| {
            site.write(
                "templates/page.html",
                "{% extends \"base.html\" %}\n{% block content %}\n{{ <tree n={1} /> }}\n{% endblock content %}\n",
            );
            site.write(
                "templates/my_components.html",
                "{% component tree(n: integer) %}\n<li>{{ <tree n={n} /> }}</li>\n{% endcomponent tree %}\n",
            );
        },
        &[],
    );
    let d = r.only("templates/my_components.html", Some(2));
    assert_eq!(d.location, Some((2, 8)));
    assert!(
        d.message.contains("component `tree` calls itself more than 20 levels deep"),
        "{}",
        d.text
    );
}

/// A page template whose content block is `content`.
fn page_template(content: &str) -> String {
    format!(
        "{{% extends \"base.html\" %}}\n{{% block content %}}\n{content}\n{{% endblock content %}}\n"
    )
}

/// Builds the good site, breaks `templates/page.html` with `content` (plus `extra`
/// templates), and builds with a render limit of one second, which must fail in time
/// with the previous output untouched; then the fixed site builds and leaves nothing
/// behind.
fn rejects_endless_template(content: &str, extra: &[(&str, &str)]) -> Rejected {
    let site = good_site();
    assert_eq!(build(&site, &[]).code, 0);
    let dist = site.path("dist");
    let before = snapshot(&dist);
    site.write("templates/page.html", &page_template(content));
    for (rel, text) in extra {
        site.write(rel, text);
    }
    let root = site.root().to_str().expect("utf-8 path").to_string();
    let started = Instant::now();
    let run = verdict_with_env(
        &site,
        &["build", "--root", &root],
        &[("VERDICT_RENDER_TIMEOUT_MS", "1000")],
    );
    let took = started.elapsed();
    assert_eq!(run.code, 1, "expected exit status 1:\n{}", run.stderr);
    assert!(took < Duration::from_secs(15), "the build took {took:?}");
    assert!(snapshot(&dist) == before, "the failed build changed the previous output");
    let diagnostics = diagnostics(&run.stderr);
    site.remove("templates/page.html");
    assert_eq!(build(&site, &[]).code, 0, "the fixed site builds");
    assert_eq!(staging_leftovers(site.root()), Vec::<String>::new());
    Rejected { run, diagnostics }
}

#[test]
fn template_loop_that_never_ends_stops_at_its_range() {
    let r = rejects_endless_template(
        "{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}",
        &[],
    );
    let d = r.only("templates/page.html", Some(3));
    assert!(d.message.contains("rendering took longer than 1 s"), "{}", d.text);
}

#[test]
fn template_components_fanning_out_without_end_abandon_the_build() {
    // 10^18 component renders, none of which calls `range` or writes to the page.
    let r = rejects_endless_template(
        "{{ <fan n={0} /> }}",
        &[(
            "templates/fan.html",
            "{% component fan(n: integer) %}{% for i in [1,2,3,4,5,6,7,8,9,10] %}{% if n < 18 %}{{ <fan n={n + 1} /> }}{% endif %}{% endfor %}{% endcomponent fan %}\n",
        )],
    );
    let d = r.only("templates/page.html", None);
    assert!(d.message.contains("the build was abandoned"), "{}", d.text);
}

// The output folder.

#[test]
fn output_inside_articles() {
    let r = rejects(|_| {}, &["--output", "articles/out"]);
    let d = r.only("articles/out", None);
    assert!(d.message.contains("inside the site's `articles/` folder"), "{}", d.text);
}

#[test]
fn output_equal_to_the_root() {
    let r = rejects(|_| {}, &["--output", "."]);
    let d = r.only(".", None);
    assert!(d.message.contains("holds the site itself"), "{}", d.text);
}

#[cfg(unix)]
#[test]
fn output_not_writable() {
    use std::os::unix::fs::PermissionsExt;
    // As root, a read-only folder is writable: use a folder no one can create files in.
    let probe = tempfile::tempdir().expect("probe dir");
    std::fs::set_permissions(probe.path(), std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let privileged = std::fs::write(probe.path().join("x"), "").is_ok();
    std::fs::set_permissions(probe.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let out = if privileged {
        PathBuf::from("/proc/verdict-hardening/dist")
    } else {
        probe.path().join("locked/dist")
    };
    if !privileged {
        std::fs::create_dir(probe.path().join("locked")).expect("dir");
        let mode = std::fs::Permissions::from_mode(0o555);
        std::fs::set_permissions(probe.path().join("locked"), mode).expect("chmod");
    }
    let r = rejects(|_| {}, &["--output", out.to_str().expect("utf-8")]);
    let d = &r.diagnostics[0];
    assert!(
        d.path.starts_with(out.parent().unwrap().to_str().unwrap()),
        "names the output: {}",
        d.text
    );
    assert!(!d.text.contains("verdict-tmp"), "not the staging folder: {}", d.text);
    // What failed, on which path: `cannot create the folder `/proc/verdict-hardening``
    // (as root), or `cannot create a folder to build into beside `<locked>/dist``.
    let expected = if privileged {
        format!("cannot create the folder `{}`: ", out.parent().unwrap().display())
    } else {
        format!("cannot create a folder to build into beside `{}`: ", out.display())
    };
    assert!(d.message.starts_with(&expected), "{}", d.text);
}

#[test]
fn output_is_a_file() {
    let r = rejects(
        |site| {
            site.write("out.txt", "keep me");
        },
        &["--output", "out.txt"],
    );
    let d = r.only("out.txt", None);
    assert_eq!(d.message, "the output path is a file, not a folder");
    let r = rejects(
        |site| {
            site.write("out.txt", "keep me");
        },
        &["--output", "out.txt/dist"],
    );
    r.only("out.txt", None);
}

#[test]
fn output_folder_of_other_files() {
    // A build replaces the whole output folder: it refuses one that it did not make.
    let r = rejects(
        |site| {
            site.write("documents/thesis.tex", "years of work");
        },
        &["--output", "documents"],
    );
    let d = r.only("documents", None);
    assert!(d.message.contains("holds files verdict did not build"), "{}", d.text);
}

// Inputs found by the fuzz targets (`fuzz/`), and their seeds, replayed through the
// parsers and the Markdown pipeline with the same checks.

/// Every file under `tests/fixtures/hardening/fuzz/<target>/` and `fuzz/seeds/<target>/`.
fn fuzz_inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut inputs = Vec::new();
    for dir in [
        root.join("tests/fixtures/hardening/fuzz").join(target),
        root.join("fuzz/seeds").join(target),
    ] {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries {
            let path = entry.expect("entry").path();
            let bytes = std::fs::read(&path).expect("read input");
            inputs.push((path, bytes));
        }
    }
    inputs
}

#[test]
fn fuzz_front_matter_inputs() {
    use verdict::content::{article::Article, author::Author, catalog::Catalog, page::Page};
    for (path, bytes) in fuzz_inputs("front_matter") {
        let Ok(text) = std::str::from_utf8(&bytes) else { continue };
        let lines = text.split('\n').count();
        let located = |d: &verdict::error::Diagnostic| {
            let line = d.line.unwrap_or(1);
            assert!((1..=lines).contains(&line), "{}: line {line} of {lines}: {d}", path.display());
            verdict::diagnostics::render_one(d, Some(text), false);
        };
        match Article::parse(Path::new("articles/fuzz.md"), text, "fuzz", Some("jane")) {
            Ok(article) => assert!(verdict::slug::is_safe_segment(&article.slug)),
            Err(errors) => errors.iter().for_each(located),
        }
        Page::parse(Path::new("pages/fuzz.md"), text, "fuzz").err().iter().for_each(located);
        Author::parse(Path::new("authors/fuzz.md"), "fuzz", text).err().iter().for_each(located);
        verdict::config::SiteConfig::parse(text).err().iter().for_each(located);
        Catalog::parse(text).err().iter().flatten().for_each(located);
    }
}

#[test]
fn fuzz_markdown_inputs() {
    use verdict::content::article::Contender;
    use verdict::markdown::{highlight::Highlighter, links::LinkMap, render};
    let highlighter = Highlighter::new("InspiredGitHub", "OneHalfDark").expect("themes");
    let mut links = LinkMap::default();
    links.insert("articles/rust-vs-go.md".into(), "/rust-vs-go/".into());
    let contender =
        |name: &str, id: &str| Contender { id: id.to_string(), ..Contender::named(name) };
    let contenders = [contender("Rust", "rust"), contender("Go", "go"), contender("C++", "cpp")];
    let markers: Vec<String> =
        verdict::config::DEFAULT_MARKERS.iter().map(|m| m.to_string()).collect();
    for (path, bytes) in fuzz_inputs("markdown") {
        let Some((&mode, rest)) = bytes.split_first() else { continue };
        let Ok(body) = std::str::from_utf8(rest) else { continue };
        let env = render::Env {
            highlighter: &highlighter,
            links: &links,
            winner_label: if mode & 4 == 0 { "Winner" } else { "Gagnant" },
            markers: &markers,
            documents: None,
        };
        let src = render::Source {
            path: Path::new("articles/fuzz.md"),
            body,
            body_line: 7,
            contenders: if mode & 1 == 0 { &contenders } else { &[] },
        };
        let mut rendered = render::render(&env, &src, render::Detail::Full);
        let lines = body.split('\n').count();
        for callout in &rendered.callouts {
            assert!((7..7 + lines).contains(&callout.line), "{}", path.display());
        }
        // A build renders a body once, with its outline: that outline must be the one an
        // outline-only render gives (which the cache and `verdict check` use).
        let outline = render::render(&env, &src, render::Detail::Outline);
        assert!(outline.html.is_empty());
        rendered.html.clear();
        assert_eq!(format!("{rendered:?}"), format!("{outline:?}"), "{}", path.display());
    }
}

// Second round: the output folder, the spare, the cache and special files.

/// Builds `site` with `args`, which must succeed and leave no staging folder.
fn builds(site: &Site, args: &[&str]) {
    let run = build(site, args);
    assert_eq!(run.code, 0, "the build failed:\n{}", run.stderr);
    assert_eq!(staging_leftovers(site.root()), Vec::<String>::new());
}

/// The output a clean build of `site` (no cache, a new folder) makes.
fn fresh_output(site: &Site) -> BTreeMap<PathBuf, Vec<u8>> {
    let fresh = site.tmp().join("fresh");
    let _ = std::fs::remove_dir_all(&fresh);
    builds(site, &["--no-cache", "--output", fresh.to_str().expect("utf-8")]);
    let files = snapshot(&fresh);
    std::fs::remove_dir_all(&fresh).expect("remove the fresh output");
    files
}

/// Folders outside the site, with files that links planted in the output lead to.
fn outside_folders(site: &Site) -> (PathBuf, PathBuf, PathBuf) {
    let pages = site.tmp().join("outside-pages");
    let assets = site.tmp().join("outside-assets");
    let file = site.tmp().join("outside.txt");
    std::fs::create_dir_all(&pages).expect("dir");
    std::fs::create_dir_all(&assets).expect("dir");
    std::fs::write(pages.join("index.html"), "precious page").expect("file");
    std::fs::write(pages.join("notes.txt"), "precious notes").expect("file");
    std::fs::write(assets.join("style.css"), "precious style").expect("file");
    std::fs::write(&file, "precious file").expect("file");
    (pages, assets, file)
}

/// Replaces an article's folder, `assets/` and files of the folder `dir` (an output, the
/// spare, a killed build's staging folder) with links out of the site. The output keeps
/// its marker (a link there would have it refused).
#[cfg(unix)]
fn plant_links(site: &Site, dir: &Path) {
    let (pages, assets, file) = outside_folders(site);
    let mut links = vec![
        ("rust-vs-go", &pages),
        ("assets", &assets),
        ("sitemap.xml", &file),
        (".verdict-staging", &file),
    ];
    if !dir.ends_with("dist") {
        links.push((".verdict-output", &file));
    }
    for (name, target) in links {
        let path = dir.join(name);
        if let Ok(meta) = std::fs::symlink_metadata(&path) {
            if meta.is_dir() {
                std::fs::remove_dir_all(&path).expect("remove");
            } else {
                std::fs::remove_file(&path).expect("remove");
            }
        }
        std::os::unix::fs::symlink(target, &path).expect("symlink");
    }
}

/// Builds twice after `plant` (so that what it planted is in the output, then in the
/// spare the next build stages into): every build succeeds, writes nothing through the
/// links, and makes the output a clean build makes.
#[cfg(unix)]
fn links_are_never_written_through(plant: impl FnOnce(&Site)) {
    let site = good_site();
    builds(&site, &[]);
    builds(&site, &[]);
    let expected = fresh_output(&site);
    plant(&site);
    let outside = |site: &Site| {
        ["outside-pages", "outside-assets"].map(|name| tree(&site.tmp().join(name), Path::new("")))
    };
    let before = outside(&site);
    assert!(before.iter().all(|t| !t.is_empty()), "{before:?}");
    let precious = std::fs::read_to_string(site.tmp().join("outside.txt")).expect("outside");
    for round in 0..3 {
        builds(&site, &[]);
        assert!(snapshot(&site.path("dist")) == expected, "round {round}: the output differs");
        assert!(outside(&site) == before, "round {round}: written through a link");
        assert_eq!(std::fs::read_to_string(site.tmp().join("outside.txt")).unwrap(), precious);
    }
    let dist_links = tree(&site.path("dist"), Path::new(""))
        .into_values()
        .filter(|node| matches!(node, Node::Link(_)))
        .count();
    assert_eq!(dist_links, 0, "links replaced by real files and folders");
}

#[cfg(unix)]
#[test]
fn links_left_in_the_output_are_not_written_through() {
    links_are_never_written_through(|site| plant_links(site, &site.path("dist")));
}

#[cfg(unix)]
#[test]
fn links_planted_in_the_spare_are_not_written_through() {
    links_are_never_written_through(|site| {
        let spare = site.path(".dist.verdict-spare");
        assert!(spare.is_dir(), "the second build left a spare");
        plant_links(site, &spare);
    });
}

#[cfg(unix)]
#[test]
fn links_in_a_killed_builds_staging_folder_are_not_written_through() {
    links_are_never_written_through(|site| {
        // A build killed long ago (no process has this id: it is over Linux's limit)
        // left its staging folder, which the next build takes for its spare.
        let spare = site.path(".dist.verdict-spare");
        let killed = site.path(".dist.verdict-tmp-4194305");
        std::fs::rename(&spare, &killed).expect("rename");
        plant_links(site, &killed);
    });
}

#[test]
fn output_folder_of_another_generator_is_refused() {
    // What earlier versions took for their own output: `sitemap.xml` and `search.json`.
    let r = rejects(
        |site| {
            site.write("public/sitemap.xml", "<urlset/>");
            site.write("public/search.json", "[]");
            site.write("public/index.html", "<h1>Built by Hugo</h1>");
            site.write("public/notes/todo.txt", "mine");
        },
        &["--output", "public"],
    );
    let d = r.only("public", None);
    assert!(d.message.contains("it has no `.verdict-output` file"), "{}", d.text);
    assert!(d.help.as_deref().unwrap_or("").contains("delete the folder once"), "{}", d.text);
}

#[test]
fn outputs_are_marked() {
    let site = good_site();
    builds(&site, &[]);
    let marker = std::fs::read_to_string(site.path("dist/.verdict-output")).expect("marker");
    assert!(marker.contains("built by verdict"), "{marker}");
    // And a marked folder of any content is taken (it is the site's output).
    site.write("dist/added-by-hand.txt", "deleted by the next build");
    builds(&site, &[]);
    assert!(!site.path("dist/added-by-hand.txt").exists());
}

/// Removes the marker from the output as a build of an earlier version left it: without
/// changing the folder's modification time.
fn unmark(site: &Site) {
    let dist = site.path("dist");
    let modified = std::fs::metadata(&dist).and_then(|m| m.modified()).expect("mtime");
    std::fs::remove_file(dist.join(".verdict-output")).expect("remove the marker");
    let folder = std::fs::File::open(&dist).expect("open the folder");
    folder.set_modified(modified).expect("set the time back");
}

#[test]
fn earlier_versions_output_is_recognized_by_the_cache() {
    let site = good_site();
    builds(&site, &[]);
    unmark(&site);
    builds(&site, &[]);
    assert!(site.path("dist/.verdict-output").is_file(), "marked from now on");
}

#[test]
fn earlier_versions_output_without_its_cache_is_refused() {
    let site = good_site();
    builds(&site, &[]);
    unmark(&site);
    std::fs::remove_dir_all(site.path(".verdict-cache")).expect("remove the cache");
    let r = refused(&site, &[]);
    let d = r.only("dist", None);
    assert!(d.message.contains("no `.verdict-output` file"), "{}", d.text);
    assert!(d.help.as_deref().unwrap_or("").contains("delete the folder once"), "{}", d.text);
}

#[cfg(unix)]
#[test]
fn site_yaml_linked_outside_the_site_is_refused() {
    let r = rejects(
        |site| {
            let secret = site.tmp().join("secret.yaml");
            std::fs::write(&secret, "title: Secret 42\nbase_url: https://example.com/\n")
                .expect("secret");
            std::fs::remove_file(site.path("site.yaml")).expect("remove");
            std::os::unix::fs::symlink(&secret, site.path("site.yaml")).expect("symlink");
        },
        &[],
    );
    let d = r.only("site.yaml", None);
    assert!(d.message.contains("secret.yaml`, outside the site folder"), "{}", d.text);
    assert!(!r.run.stderr.contains("Secret 42"), "{}", r.run.stderr);
}

#[cfg(unix)]
#[test]
fn contenders_yaml_linked_outside_the_site_is_refused() {
    let r = rejects(
        |site| {
            let outside = site.tmp().join("catalog.yaml");
            std::fs::copy(site.path("contenders.yaml"), &outside).expect("copy");
            std::fs::remove_file(site.path("contenders.yaml")).expect("remove");
            std::os::unix::fs::symlink(&outside, site.path("contenders.yaml")).expect("symlink");
        },
        &[],
    );
    let d = r.only("contenders.yaml", None);
    assert!(d.message.contains("catalog.yaml`, outside the site folder"), "{}", d.text);
}

#[cfg(unix)]
#[test]
fn site_yaml_linked_to_dev_zero_is_refused() {
    let r = rejects(
        |site| {
            std::fs::remove_file(site.path("site.yaml")).expect("remove");
            std::os::unix::fs::symlink("/dev/zero", site.path("site.yaml")).expect("symlink");
        },
        &[],
    );
    let d = r.only("site.yaml", None);
    assert!(d.message.contains("`/dev/zero`, outside the site folder"), "{}", d.text);
}

/// Makes a FIFO at `path` (replacing what is there).
#[cfg(unix)]
fn mkfifo(path: &Path) {
    let _ = std::fs::remove_file(path);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("dir");
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(status.success());
}

#[cfg(unix)]
#[test]
fn site_yaml_fifo_is_refused_at_once() {
    let r = rejects(|site| mkfifo(&site.path("site.yaml")), &[]);
    let d = r.only("site.yaml", None);
    assert_eq!(
        d.message, "cannot read the file: it is a FIFO (named pipe), not a regular file",
        "{}",
        d.text
    );
    // `check` reads it the same way, and does not hang either.
    let site = good_site();
    mkfifo(&site.path("site.yaml"));
    let run = verdict(&site, &["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("FIFO"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn fifos_anywhere_in_the_site_are_refused() {
    let files = [
        "contenders.yaml",
        "articles/pipe.md",
        "authors/pipe.md",
        "pages/pipe.md",
        "static/pipe.css",
        "templates/page.html",
    ];
    let r = rejects(
        |site| {
            for rel in files {
                mkfifo(&site.path(rel));
            }
        },
        &[],
    );
    assert_eq!(r.diagnostics.len(), files.len(), "{}", r.run.stderr);
    for rel in files {
        let d = r.error(rel, None);
        assert!(d.message.contains("FIFO (named pipe), not a regular file"), "{}", d.text);
    }
}

#[cfg(unix)]
#[test]
fn cache_folder_linked_outside_the_site_is_refused() {
    let r = rejects(
        |site| {
            let elsewhere = site.tmp().join("cache-elsewhere");
            std::fs::rename(site.path(".verdict-cache"), &elsewhere).expect("move the cache");
            std::os::unix::fs::symlink(&elsewhere, site.path(".verdict-cache")).expect("symlink");
        },
        &[],
    );
    let d = r.only(".verdict-cache", None);
    assert!(d.message.contains("cache-elsewhere`, outside the site folder"), "{}", d.text);
}

#[test]
fn damaged_highlight_cache_is_not_published() {
    let site = good_site();
    builds(&site, &[]);
    let expected = fresh_output(&site);
    let cache = site.path(".verdict-cache/highlight.bin");
    let mut bytes = std::fs::read(&cache).expect("highlight cache");
    let at = bytes.windows(7).position(|w| w == b"class=\"").expect("highlighted HTML");
    bytes[at + 4] = b'z';
    std::fs::write(&cache, &bytes).expect("damage the cache");
    // Every page rendered again, so that every block is looked up in the cache.
    std::fs::remove_file(site.path(".verdict-cache/pages.txt")).expect("remove fingerprints");
    builds(&site, &[]);
    assert!(snapshot(&site.path("dist")) == expected, "the damaged entry was published");
    let saved = std::fs::read(&cache).expect("highlight cache");
    assert!(!saved.windows(7).any(|w| w == b"clasz=\""), "the damaged entry was kept");
}

#[test]
fn damaged_outline_cache_is_not_used() {
    let site = good_site();
    builds(&site, &[]);
    let expected = fresh_output(&site);
    let cache = site.path(".verdict-cache/outlines.bin");
    let mut bytes = std::fs::read(&cache).expect("outline cache");
    let last = bytes.len() - 1;
    bytes[last] ^= 0x55;
    std::fs::write(&cache, &bytes).expect("damage the cache");
    std::fs::remove_file(site.path(".verdict-cache/pages.txt")).expect("remove fingerprints");
    builds(&site, &[]);
    assert!(snapshot(&site.path("dist")) == expected);
}

#[test]
fn pages_changed_in_the_output_are_written_again() {
    let site = good_site();
    builds(&site, &[]);
    builds(&site, &[]);
    let expected = fresh_output(&site);
    let dist = site.path("dist");
    // Past the file system's clock tick, so that the edits get another time.
    std::thread::sleep(Duration::from_millis(50));
    // Appended to; the same length edited in place; replaced by another file.
    let appended = dist.join("rust-vs-go/index.html");
    let mut text = std::fs::read_to_string(&appended).expect("page");
    text.push_str("<!-- edited -->");
    std::fs::write(&appended, text).expect("edit");
    let in_place = dist.join("about/index.html");
    let text = std::fs::read_to_string(&in_place).expect("page").replacen("<title>", "<titlf>", 1);
    std::fs::OpenOptions::new()
        .write(true)
        .open(&in_place)
        .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))
        .expect("edit in place");
    let replaced = dist.join("index.html");
    let text = std::fs::read_to_string(&replaced).expect("page");
    std::fs::remove_file(&replaced).expect("remove");
    std::fs::write(&replaced, text.replacen("<title>", "<titlf>", 1)).expect("replace");
    builds(&site, &[]);
    assert!(snapshot(&dist) == expected, "a changed page was kept");
}

#[test]
fn output_path_ending_in_a_dot() {
    let r = rejects(|_| {}, &["--output", "dist/."]);
    let d = r.only("dist/.", None);
    assert!(d.message.starts_with("the output path ends in `.`"), "{}", d.text);
    assert_eq!(d.help.as_deref(), Some("write `--output dist`"));
    let r = rejects(
        |site| {
            site.write("elsewhere/x.txt", "x").remove("elsewhere/x.txt");
        },
        &["--output", "elsewhere/.."],
    );
    assert!(r.diagnostics[0].message.contains("holds the site itself"), "{}", r.run.stderr);
    let r = rejects(|_| {}, &["--output", "out/."]);
    r.only("out/.", None);
}
