//! Helpers: a site in a temporary folder, a build with the real binary, and readers for
//! what the build wrote.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

use scraper::{ElementRef, Html, Selector};

/// The binary under test.
pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_verdict");

/// A minimal `site.yaml`.
pub(crate) const SITE_YAML: &str = "title: Test site\nbase_url: https://example.com/\n";

/// A minimal author, `jane`.
pub(crate) const JANE: &str = "---\nname: Jane Doe\n---\nJane compares things.\n";

/// `tests/fixtures/<rel>`.
pub(crate) fn fixture_dir(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel)
}

/// An article by `jane` comparing Rust and Go, with the given title, date and body.
pub(crate) fn article(title: &str, date: &str, body: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\ndate: {date}\nauthor: jane\ncontenders: [Rust, Go]\n---\n{body}"
    )
}

/// A site in its own temporary folder: `<tmp>/site/`, so that tests can put an output
/// folder beside it in `<tmp>/`.
pub(crate) struct Site {
    tmp: Arc<tempfile::TempDir>,
    root: PathBuf,
}

impl Site {
    /// An empty site folder.
    pub(crate) fn empty() -> Site {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path().join("site");
        std::fs::create_dir(&root).expect("site dir");
        Site { tmp: Arc::new(tmp), root }
    }

    /// A site with a minimal `site.yaml` and the author `jane`, and no articles.
    pub(crate) fn new() -> Site {
        let site = Site::empty();
        site.write("site.yaml", SITE_YAML).write("authors/jane.md", JANE);
        site
    }

    /// A copy of `tests/fixtures/<rel>/`.
    pub(crate) fn fixture(rel: &str) -> Site {
        let site = Site::empty();
        site.overlay(rel);
        site
    }

    /// Copies the files of `tests/fixtures/<rel>/` over the site.
    pub(crate) fn overlay(&self, rel: &str) -> &Site {
        let from = fixture_dir(rel);
        assert!(from.is_dir(), "no fixture `{}`", from.display());
        copy_dir(&from, &self.root);
        self
    }

    /// The site folder.
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// The temporary folder holding the site folder.
    pub(crate) fn tmp(&self) -> &Path {
        self.tmp.path()
    }

    /// `rel` inside the site folder.
    pub(crate) fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// A text file of the site's `dist/`.
    pub(crate) fn read_dist(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path("dist").join(rel))
            .unwrap_or_else(|e| panic!("cannot read `dist/{rel}`: {e}"))
    }

    /// Writes a text file of the site, creating its folder.
    pub(crate) fn write(&self, rel: &str, text: &str) -> &Site {
        self.write_bytes(rel, text.as_bytes())
    }

    /// Writes a file of the site, creating its folder.
    pub(crate) fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &Site {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("create dir");
        std::fs::write(&path, bytes).expect("write file");
        self
    }

    /// Removes a file of the site.
    pub(crate) fn remove(&self, rel: &str) -> &Site {
        std::fs::remove_file(self.path(rel)).expect("remove file");
        self
    }

    /// `verdict build --root <site> <args>`; the output is `dist/` in the site unless
    /// `args` hold `--output DIR`.
    pub(crate) fn build(&self, args: &[&str]) -> Build {
        let out = match args.iter().position(|a| *a == "--output" || *a == "-o") {
            Some(i) => PathBuf::from(args[i + 1]),
            None => self.path("dist"),
        };
        let root = self.root.to_str().expect("utf-8 path");
        let mut all = vec!["build", "--root", root];
        all.extend_from_slice(args);
        Build::new(run(&self.root, &all), out, Arc::clone(&self.tmp))
    }

    /// A build that must succeed.
    pub(crate) fn build_ok(&self, args: &[&str]) -> Build {
        let build = self.build(args);
        build.assert_ok();
        build
    }
}

/// Runs the binary with `args` in `cwd`.
pub(crate) fn run(cwd: &Path, args: &[&str]) -> Output {
    Command::new(BIN).args(args).current_dir(cwd).output().expect("run verdict")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read fixture dir") {
        let entry = entry.expect("fixture entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy fixture file");
        }
    }
}

/// What a build did: exit code, messages, and the output folder.
pub(crate) struct Build {
    /// Exit code.
    pub(crate) code: i32,
    /// Standard output.
    pub(crate) stdout: String,
    /// Standard error.
    pub(crate) stderr: String,
    /// The output folder.
    pub(crate) out: PathBuf,
    /// Keeps the site's temporary folder while the build's output is read.
    _tmp: Arc<tempfile::TempDir>,
}

impl Build {
    fn new(output: Output, out: PathBuf, tmp: Arc<tempfile::TempDir>) -> Build {
        Build {
            code: output.status.code().expect("verdict was killed by a signal"),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            out,
            _tmp: tmp,
        }
    }

    /// Asserts exit status 0.
    pub(crate) fn assert_ok(&self) {
        assert_eq!(self.code, 0, "build failed:\n{}", self.stderr);
    }

    /// Asserts exit status 1 (site errors, never a panic's 101); returns the diagnostics.
    pub(crate) fn assert_site_error(&self) -> Vec<Diagnostic> {
        assert_eq!(self.code, 1, "expected exit status 1, stderr:\n{}", self.stderr);
        assert!(!self.stderr.contains("panicked"), "verdict panicked:\n{}", self.stderr);
        diagnostics(&self.stderr)
    }

    /// `rel` inside the output folder.
    pub(crate) fn path(&self, rel: &str) -> PathBuf {
        self.out.join(rel)
    }

    /// Whether `rel` exists in the output.
    pub(crate) fn exists(&self, rel: &str) -> bool {
        self.path(rel).exists()
    }

    /// A text file of the output.
    pub(crate) fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel))
            .unwrap_or_else(|e| panic!("cannot read `{rel}` in the output: {e}"))
    }

    /// An HTML file of the output, parsed.
    pub(crate) fn html(&self, rel: &str) -> Page {
        Page::new(self.read(rel))
    }

    /// Every `.html` file of the output, by path relative to it.
    pub(crate) fn html_files(&self) -> BTreeMap<PathBuf, String> {
        snapshot(&self.out)
            .into_iter()
            .filter(|(rel, _)| rel.extension().is_some_and(|e| e == "html"))
            .map(|(rel, bytes)| (rel, String::from_utf8(bytes).expect("utf-8 html")))
            .collect()
    }
}

/// One `path:line:col: error: message` of a report, with its `= help:` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Diagnostic {
    /// The whole first line.
    pub(crate) text: String,
    /// The file, as printed.
    pub(crate) path: String,
    /// Line and column, when printed.
    pub(crate) location: Option<(usize, usize)>,
    /// The text after `error: `.
    pub(crate) message: String,
    /// The text after `= help: `.
    pub(crate) help: Option<String>,
}

/// The diagnostics of an error report, in order.
pub(crate) fn diagnostics(stderr: &str) -> Vec<Diagnostic> {
    let mut found: Vec<Diagnostic> = Vec::new();
    for line in stderr.lines() {
        if let Some(help) = line.trim_start().strip_prefix("= help: ") {
            if let Some(last) = found.last_mut() {
                last.help = Some(help.to_string());
            }
            continue;
        }
        let Some((head, message)) = line.split_once(": error: ") else { continue };
        let mut parts = head.rsplitn(3, ':');
        let (col, row, rest) = (parts.next(), parts.next(), parts.next());
        let (path, location) = match (rest, row.and_then(|r| r.parse().ok()), col) {
            (Some(path), Some(row), Some(col)) if col.parse::<usize>().is_ok() => {
                (path.to_string(), Some((row, col.parse().expect("checked"))))
            }
            _ => (head.to_string(), None),
        };
        found.push(Diagnostic {
            text: line.to_string(),
            path,
            location,
            message: message.to_string(),
            help: None,
        });
    }
    found
}

/// Every file under `dir` with its bytes, by path relative to `dir`.
pub(crate) fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, files: &mut BTreeMap<PathBuf, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries {
            let entry = entry.expect("dir entry");
            let path = entry.path();
            if entry.file_type().expect("file type").is_dir() {
                walk(base, &path, files);
            } else {
                let rel = path.strip_prefix(base).expect("under base").to_path_buf();
                files.insert(rel, std::fs::read(&path).expect("read output file"));
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(dir, dir, &mut files);
    files
}

/// Names in `dir` that look like a build's staging or swap folders, such as
/// `.dist.verdict-tmp-123` beside `dist`; the one spare folder a build keeps for the
/// next (`.dist.verdict-spare`) is not a leftover.
pub(crate) fn staging_leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("dir entry").file_name().to_string_lossy().into_owned())
        .filter(|name| {
            name.starts_with('.') && name[1..].contains(".verdict-") && !name.ends_with("-spare")
        })
        .collect()
}

/// A parsed HTML page.
pub(crate) struct Page {
    /// The HTML as written.
    pub(crate) source: String,
    /// The parsed document.
    pub(crate) doc: Html,
}

impl Page {
    /// Parses `source`.
    pub(crate) fn new(source: String) -> Page {
        let doc = Html::parse_document(&source);
        Page { source, doc }
    }

    /// Every element matching the CSS selector `css`.
    pub(crate) fn select(&self, css: &str) -> Vec<ElementRef<'_>> {
        let selector = Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e}"));
        self.doc.select(&selector).collect()
    }

    /// The one element matching `css`.
    pub(crate) fn one(&self, css: &str) -> ElementRef<'_> {
        let found = self.select(css);
        assert_eq!(found.len(), 1, "expected one `{css}`, found {}", found.len());
        found[0]
    }

    /// Whether some element matches `css`.
    pub(crate) fn has(&self, css: &str) -> bool {
        !self.select(css).is_empty()
    }

    /// The text of the one element matching `css`, whitespace collapsed.
    pub(crate) fn text(&self, css: &str) -> String {
        text(self.one(css))
    }

    /// The attribute `name` of every element matching `css`.
    pub(crate) fn attrs(&self, css: &str, name: &str) -> Vec<String> {
        self.select(css).iter().filter_map(|e| e.value().attr(name)).map(str::to_string).collect()
    }
}

/// The text of an element, whitespace collapsed.
pub(crate) fn text(element: ElementRef<'_>) -> String {
    element.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A PNG (or, with `format`, another raster format) `width` × `height` pixels: a
/// gradient, so that copies of it differ from each other.
pub(crate) fn raster(width: u32, height: u32, format: image::ImageFormat) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    img.write_to(&mut bytes, format).expect("encode test image");
    bytes.into_inner()
}

/// A PNG `width` × `height` pixels.
pub(crate) fn png(width: u32, height: u32) -> Vec<u8> {
    raster(width, height, image::ImageFormat::Png)
}
