//! `verdict build`: the site from disk to the output folder.
//!
//! 1. [`SiteConfig::load`] reads `site.yaml`.
//! 2. [`load::load_content`] finds and validates articles, pages, authors and assets.
//! 3. The highlighter and the templates are loaded once.
//! 4. [`render::render_site`] renders every Markdown document in parallel and checks links.
//! 5. [`pages::write_pages`] renders every template into a [`write::Staging`] folder, the
//!    static files are copied beside them, and the staging folder replaces the output.
//!
//! Content errors from steps 1–5 are collected and reported together; nothing is
//! written to the output unless the whole build succeeds.

pub mod feeds;
pub mod index;
pub mod load;
pub mod pages;
pub mod render;
pub mod write;

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::{CONFIG_FILE, SiteConfig};
use crate::content::front_matter::key_line;
use crate::error::{Diagnostic, Error};
use crate::markdown::highlight::Highlighter;
use crate::markdown::links::LinkMap;
use crate::markdown::render::Env;
use crate::templates::{SiteView, Templates, ThemeFile};

pub use load::Drafts;

/// What to build, and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Site root (holding `site.yaml`).
    pub root: PathBuf,
    /// Output folder.
    pub output: PathBuf,
    /// Whether drafts are built.
    pub drafts: Drafts,
    /// Overrides `base_url` of `site.yaml`.
    pub base_url: Option<String>,
}

/// What a build produced.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Articles built.
    pub articles: usize,
    /// Standalone pages built.
    pub pages: usize,
    /// Author pages built.
    pub authors: usize,
    /// HTML pages written in all.
    pub html_files: usize,
    /// Wall time.
    pub elapsed: Duration,
}

/// Root-relative and absolute URLs of output paths.
#[derive(Debug, Clone)]
pub struct Urls {
    base_url: String,
    base_path: String,
}

impl Urls {
    /// URLs for a site deployed at `config.base_url`.
    pub fn new(config: &SiteConfig) -> Urls {
        Urls { base_url: config.base_url.clone(), base_path: config.base_path().to_string() }
    }

    /// `rel` (no leading slash) as a root-relative URL, base path included.
    pub fn path(&self, rel: &str) -> String {
        format!("{}{rel}", self.base_path)
    }

    /// `rel` as an absolute URL.
    pub fn permalink(&self, rel: &str) -> String {
        format!("{}{rel}", self.base_url)
    }

    /// A path or URL written by a user (avatar, image): URLs stay, paths are taken from
    /// the site root.
    pub fn asset(&self, path: &str) -> String {
        if path.contains("://") || path.starts_with("//") || path.starts_with("data:") {
            path.to_string()
        } else {
            self.path(path.trim_start_matches('/'))
        }
    }
}

/// Builds the site.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Error> {
    let start = Instant::now();
    let root = &options.root;
    let mut config = SiteConfig::load(root)?;
    if let Some(base_url) = &options.base_url {
        config.set_base_url(base_url).map_err(Error::site)?;
    }
    check_output(root, &options.output)?;

    let (content, mut errors) = load::load_content(root, &config, options.drafts);
    let highlighter = match Highlighter::new(&config.highlight_light, &config.highlight_dark) {
        Ok(h) => Some(h),
        Err(message) => {
            let yaml = std::fs::read_to_string(root.join(CONFIG_FILE)).unwrap_or_default();
            errors
                .push(Diagnostic::new(CONFIG_FILE, message).at(key_line(&yaml, "highlight", 1), 1));
            None
        }
    };
    let mut templates = match Templates::load(root, &config.theme) {
        Ok(t) => Some(t),
        Err(mut e) => {
            errors.append(&mut e);
            None
        }
    };
    let (Some(highlighter), Some(templates)) = (highlighter, templates.as_mut()) else {
        return Err(Error::from(errors));
    };

    let urls = Urls::new(&config);
    let mut links = LinkMap::default();
    for article in &content.articles {
        links.insert(article.source.clone(), urls.path(&format!("{}/", article.slug)));
    }
    for page in &content.pages {
        links.insert(page.source.clone(), urls.path(&format!("{}/", page.slug)));
    }
    for draft in &content.skipped_drafts {
        links.insert_draft(draft.clone());
    }
    let assets = content.assets.clone();
    let env = Env { highlighter: &highlighter, links: &links, winner_label: &config.winner_label };
    let catalog = content.catalog.clone();
    let (site, mut render_errors) = render::render_site(&env, content, &urls);
    errors.append(&mut render_errors);
    if !errors.is_empty() {
        return Err(Error::from(errors));
    }
    let site_index = index::index_site(&site.articles, &catalog, &env);

    let syntax_css = highlighter.stylesheet();
    let style_version = static_version(templates, "assets/style.css");
    let search_version = static_version(templates, "assets/search.js");
    let generator = format!("verdict {}", env!("CARGO_PKG_VERSION"));
    let site_view = SiteView {
        title: &config.title,
        description: &config.description,
        language: &config.language,
        base_url: &config.base_url,
        url: config.base_path(),
        authors_url: urls.path("authors/"),
        stylesheet_url: urls.path(&format!("assets/style.css?v={style_version}")),
        syntax_css_url: urls
            .path(&format!("assets/syntax.css?v={}", version(syntax_css.as_bytes()))),
        favicon_url: urls.path("favicon.svg"),
        tags_url: urls.path("tags/"),
        compare_url: urls.path("compare/"),
        feed_url: urls.path("feed.xml"),
        search_url: urls.path("search.json"),
        search_script_url: urls.path(&format!("assets/search.js?v={search_version}")),
        extra: &config.extra,
        generator,
    };
    templates.set_global("site", &site_view);

    let staging = write::Staging::create(&options.output)?;
    for (rel, file) in &templates.static_files {
        match file {
            ThemeFile::Embedded(bytes) => staging.write(rel, bytes)?,
            ThemeFile::Disk(path) => staging.copy(path, rel)?,
        }
    }
    staging.write(Path::new("assets/syntax.css"), syntax_css.as_bytes())?;
    let sitemap = pages::write_pages(&site, &site_index, templates, &urls, &config, &staging)?;
    let html_files = sitemap.len() + 1;
    staging.write(Path::new("sitemap.xml"), feeds::sitemap(&sitemap).as_bytes())?;
    staging.write(Path::new("feed.xml"), feeds::atom_feed(&config, &site, &urls).as_bytes())?;
    staging.write(Path::new("robots.txt"), feeds::robots(&urls).as_bytes())?;
    staging.write(Path::new("search.json"), feeds::search_index(&site).as_bytes())?;
    for asset in &assets {
        staging.copy(&asset.source, &asset.output)?;
    }
    staging.commit()?;

    Ok(BuildReport {
        articles: site.articles.len(),
        pages: site.pages.len(),
        authors: site.authors.len(),
        html_files,
        elapsed: start.elapsed(),
    })
}

/// The cache-busting version of a theme static file.
fn static_version(templates: &Templates, rel: &str) -> String {
    templates
        .static_files
        .iter()
        .find(|(path, _)| path == Path::new(rel))
        .map(|(_, file)| match file {
            ThemeFile::Embedded(bytes) => version(bytes),
            ThemeFile::Disk(path) => version(&std::fs::read(path).unwrap_or_default()),
        })
        .unwrap_or_default()
}

/// A short content hash for cache-busting query strings.
fn version(bytes: &[u8]) -> String {
    let mut hasher = std::hash::DefaultHasher::new();
    bytes.hash(&mut hasher);
    format!("{:08x}", hasher.finish() as u32)
}

/// The output may not be the site itself, hold it, or sit inside its content folders.
fn check_output(root: &Path, output: &Path) -> Result<(), Error> {
    let absolute = |p: &Path| -> PathBuf {
        if let Ok(c) = p.canonicalize() {
            return c;
        }
        match (p.parent(), p.file_name()) {
            (Some(parent), Some(name)) => {
                let parent = if parent.as_os_str().is_empty() { Path::new(".") } else { parent };
                parent.canonicalize().map(|c| c.join(name)).unwrap_or_else(|_| p.to_path_buf())
            }
            _ => p.to_path_buf(),
        }
    };
    let root = absolute(root);
    let output_abs = absolute(output);
    let refuse = |why: &str| {
        Err(Error::site(
            Diagnostic::new(output, format!("refusing to use this output folder: {why}"))
                .hint("choose another `--output`, such as `dist`"),
        ))
    };
    if root.starts_with(&output_abs) {
        return refuse("it holds the site itself, which a build would replace");
    }
    for dir in ["articles", "pages", "authors", "static", "templates", "themes"] {
        if output_abs.starts_with(root.join(dir)) {
            return refuse(&format!("it is inside the site's `{dir}/` folder"));
        }
    }
    Ok(())
}
