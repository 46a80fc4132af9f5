//! Redirects for renamed articles: each alias of an article (its front matter's
//! `aliases:`, see [`crate::content::alias`]) gets a small HTML page that sends readers
//! and crawlers on to the article (`<meta http-equiv="refresh">`, a canonical link,
//! `noindex` and a visible link), and `_redirects` at the output root lists them all as
//! 301s for the hosts that read it (Netlify, Cloudflare Pages).
//!
//! The pages are written after every other output, so that an alias that would take the
//! place of anything else the build writes (an article, a page, a static file, a tag
//! page, another alias) is an error naming both.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::config::SiteConfig;
use crate::error::{Diagnostic, Error};
use crate::site::feeds::xml_escape;
use crate::site::load::Asset;
use crate::site::outlines::{RenderedArticle, RenderedSite};
use crate::site::recorded::Recorded;
use crate::site::write::Output;
use crate::templates::{Templates, ThemeFile};
use crate::urls::Urls;

/// The file of redirects that Netlify and Cloudflare Pages read.
pub const REDIRECTS_FILE: &str = "_redirects";

/// Writes the redirect page of every alias of `site`'s articles, and `_redirects` when
/// there is one; an alias that meets any other output path is an error.
pub fn write_aliases(
    site: &RenderedSite,
    config: &SiteConfig,
    urls: &Urls,
    assets: &[Asset],
    templates: &Templates,
    root: &Path,
    output: &Recorded<'_>,
) -> Result<(), Error> {
    if site.articles.iter().all(|a| a.article.aliases.is_empty()) {
        return Ok(());
    }
    let owners = Owners::new(site, assets, templates, root);
    let mut errors = Vec::new();
    let mut taken: HashMap<PathBuf, (&RenderedArticle, usize)> = HashMap::new();
    let mut redirects = String::new();
    for a in &site.articles {
        for alias in &a.article.aliases {
            let path = PathBuf::from(&alias.output);
            let other = match taken.get(&path) {
                Some((other, line)) => Some(format!(
                    "`{}` (line {line}), whose alias it is too",
                    other.article.source.display()
                )),
                None if output.contains(&path) => Some(owners.describe(&path, urls)),
                None => None,
            };
            if let Some(other) = other {
                errors.push(
                    Diagnostic::new(
                        &a.article.source,
                        format!(
                            "the alias `{}` is the address `{}` of {other}",
                            alias.written,
                            urls.path(&alias.rel)
                        ),
                    )
                    .at(alias.line, 1)
                    .hint("remove the alias, or change the path of the other"),
                );
                continue;
            }
            taken.insert(path.clone(), (a, alias.line));
            output.write(&path, redirect_page(a, config, urls).as_bytes())?;
            let from = urls.path(&alias.rel);
            // Cloudflare Pages matches a source path exactly: `/old/` misses `/old`.
            if let Some(bare) = from.strip_suffix('/') {
                let _ = writeln!(redirects, "{bare} {} 301", a.url);
            }
            let _ = writeln!(redirects, "{from} {} 301", a.url);
        }
    }
    if !errors.is_empty() {
        return Err(Error::from(errors));
    }
    // A site's own `_redirects` (a static file) keeps its rules, ahead of these.
    let own = Path::new(REDIRECTS_FILE);
    let mut text = match owners.source(own) {
        Some(source) if output.contains(own) => {
            let mut text = std::fs::read_to_string(&source).map_err(|e| {
                Error::site(Diagnostic::new(&source, format!("cannot read the file: {e}")))
            })?;
            if !text.is_empty() && !text.ends_with('\n') {
                text.push('\n');
            }
            text.push('\n');
            text
        }
        _ => String::new(),
    };
    text.push_str("# Old addresses of articles (their `aliases:`), written by verdict.\n");
    text.push_str(&redirects);
    output.write(own, text.as_bytes())
}

/// The page at an alias: it sends the reader on to the article. It names the site's icon,
/// as every page does, so that a browser showing it asks for no `/favicon.ico`.
fn redirect_page(a: &RenderedArticle, config: &SiteConfig, urls: &Urls) -> String {
    let title = xml_escape(&a.article.title);
    let url = xml_escape(&a.url);
    format!(
        "<!doctype html>
<html lang=\"{lang}\">
<head>
<meta charset=\"utf-8\">
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">
<title>Moved: {title}</title>
<meta name=\"robots\" content=\"noindex\">
<link rel=\"canonical\" href=\"{permalink}\">
<link rel=\"icon\" href=\"{icon}\" type=\"image/svg+xml\">
<meta http-equiv=\"refresh\" content=\"0; url={url}\">
</head>
<body>
<main>
<h1>{title}</h1>
<p>This comparison has moved to <a href=\"{url}\">{permalink}</a>.</p>
</main>
</body>
</html>
",
        lang = xml_escape(&config.language),
        permalink = xml_escape(&a.permalink),
        icon = xml_escape(&urls.path("favicon.svg")),
    )
}

/// Which file each output path comes from, to name it in an error.
struct Owners<'a> {
    pages: HashMap<PathBuf, &'a Path>,
    /// Static files, by output path: their sources.
    files: HashMap<PathBuf, PathBuf>,
    root: PathBuf,
}

impl<'a> Owners<'a> {
    fn new(
        site: &'a RenderedSite,
        assets: &[Asset],
        templates: &Templates,
        root: &Path,
    ) -> Owners<'a> {
        let mut pages = HashMap::new();
        for a in &site.articles {
            pages.insert(Path::new(&a.article.slug).join("index.html"), a.article.source.as_path());
        }
        for p in &site.pages {
            pages.insert(Path::new(&p.page.slug).join("index.html"), p.page.source.as_path());
        }
        let mut files: HashMap<PathBuf, PathBuf> = templates
            .static_files
            .iter()
            .map(|(out, file)| {
                let source = match file {
                    ThemeFile::Disk(path) => path.clone(),
                    ThemeFile::Embedded(_) => {
                        Path::new(crate::theme::DEFAULT_THEME_ORIGIN).join("static").join(out)
                    }
                };
                (out.clone(), source)
            })
            .collect();
        files.extend(assets.iter().map(|a| (a.output.clone(), a.source.clone())));
        Owners { pages, files, root: root.to_path_buf() }
    }

    /// The source of the static file at `path`, if one is.
    fn source(&self, path: &Path) -> Option<PathBuf> {
        self.files.get(path).cloned()
    }

    /// What the build wrote at `path`, for an error.
    fn describe(&self, path: &Path, urls: &Urls) -> String {
        if let Some(source) = self.pages.get(path) {
            return format!("`{}`", source.display());
        }
        if let Some(source) = self.files.get(path) {
            let source = source.strip_prefix(&self.root).unwrap_or(source);
            return format!("the static file `{}`", source.display());
        }
        let shown = path.to_string_lossy().replace('\\', "/");
        let rel = shown.strip_suffix("index.html").unwrap_or(&shown);
        format!("a page the build makes (`{}`)", urls.path(rel))
    }
}
