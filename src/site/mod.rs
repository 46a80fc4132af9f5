//! `verdict build`: the site from disk to the output folder.
//!
//! 1. [`SiteConfig::load`] reads `site.yaml`.
//! 2. [`load::load_content`] finds and validates articles, pages, authors and assets.
//! 3. The highlighter and the templates are loaded once.
//! 4. [`outlines::render_site`] renders every Markdown document in parallel and checks links;
//!    article bodies' HTML waits in a [`scratch::Scratch`] file until their pages.
//! 5. [`pages::write_pages`] renders every template into a [`write::Staging`] folder, the
//!    static files are copied beside them, and the staging folder replaces the output.
//!
//! Content errors from steps 1–5 are collected and reported together; nothing is
//! written to the output unless the whole build succeeds.

pub mod aliases;
pub mod article_digests;
mod cards;
mod collisions;
mod facts;
pub mod feeds;
mod fingerprints;
pub mod fulltext;
pub mod images;
pub mod index;
mod json_ld;
mod link_map;
pub mod load;
mod matrix;
mod memory;
pub mod outlines;
pub mod output_folder;
pub mod pages;
mod parts;
pub mod recorded;
pub mod scratch;
pub mod search;
mod session;
pub mod site_links;
pub mod sitemap;
mod swap;
pub(crate) mod timings;
pub mod verdicts;
mod views;
pub mod write;

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::cache::pages::PageFingerprints;
use crate::config::{SiteConfig, read_config};
use crate::error::{Diagnostic, Error};
use crate::files::folder_outside_site;
use crate::markdown::render::Env;
use crate::templates::{SiteView, Templates, ThemeFile};
use crate::yaml::key_line;
use timings::Timings;
use write::{Discard, Output};

pub use crate::urls::Urls;
pub use load::Drafts;
pub use session::Session;

/// What to build, and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Site root (holding `site.yaml`).
    pub root: PathBuf,
    /// The configuration file, relative to `root` (or absolute).
    pub config: PathBuf,
    /// Output folder.
    pub output: PathBuf,
    /// Whether drafts are built.
    pub drafts: Drafts,
    /// Overrides `base_url` of `site.yaml`.
    pub base_url: Option<String>,
    /// Whether highlighted code is kept in the site's cache folder between builds.
    pub cache: Cache,
}

/// Folder under the site root holding the build cache (safe to delete).
pub const CACHE_DIR: &str = ".verdict-cache";

/// Whether a build reads and writes the persistent cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cache {
    /// Use `.verdict-cache/` under the site root.
    Use,
    /// Neither read nor write it.
    Skip,
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
    /// HTML pages rendered and written.
    pub html_files: usize,
    /// HTML pages an incremental session left as they were.
    pub unchanged: usize,
    /// Social cards written or kept.
    pub cards: usize,
    /// Social cards drawn (not kept from the last build, nor found in the cache).
    pub cards_drawn: usize,
    /// Wall time.
    pub elapsed: Duration,
}

/// What to build from: the site, and how.
#[derive(Debug, Clone)]
pub struct SourceOptions {
    /// Site root (holding `site.yaml`).
    pub root: PathBuf,
    /// The configuration file, relative to `root` (or absolute): [`CONFIG_FILE`](crate::config::CONFIG_FILE), or
    /// the file given with `--config`.
    pub config: PathBuf,
    /// Whether drafts are built.
    pub drafts: Drafts,
    /// The address the pages are made for.
    pub address: Address,
}

/// The address a build makes its pages for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Address {
    /// `base_url` of `site.yaml`.
    Configured,
    /// Another address the site is deployed at (`build --base-url`).
    Deployed(String),
    /// A local preview (`serve`): the pages are made for it, while root-relative and
    /// absolute links in Markdown are checked against the deployed address.
    Preview(String),
}

/// A generated site: what was built, kept for `check` and `serve`.
#[derive(Debug)]
pub struct Generated {
    /// The configuration used.
    pub config: SiteConfig,
    /// Every rendered document.
    pub site: outlines::RenderedSite,
    /// Tags, hubs and related articles (shared with an incremental session).
    pub index: std::sync::Arc<index::SiteIndex>,
    /// Counts and timing.
    pub report: BuildReport,
    /// Images that cannot be read.
    pub image_warnings: Vec<Diagnostic>,
}

/// The output folder of the full-text search bundle ([`fulltext::BUNDLE_DIR`]).
pub const SEARCH_BUNDLE_DIR: &str = "search";

/// Builds the site into its output folder, replacing the folder only on success.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Error> {
    let source = SourceOptions {
        root: options.root.clone(),
        config: options.config.clone(),
        drafts: options.drafts,
        address: options.base_url.clone().map_or(Address::Configured, Address::Deployed),
    };
    // A missing or broken site.yaml is reported before anything is created on disk, with
    // the content's errors (checked without writing or caching anything).
    let config = match load_config(&source) {
        Ok(config) => config,
        Err(e) => return Err(with_content_errors(&mut Session::new(), &source, e, None)),
    };
    output_folder::check_output(&options.root, &options.output)?;
    // The cache folder follows the rule of the site's other folders: a link out of the
    // site is refused, so that no build reads or writes elsewhere through it.
    if options.cache == Cache::Use {
        if let Some(error) = folder_outside_site(&options.root, Path::new(CACHE_DIR)) {
            let hint = "remove the link: verdict makes `.verdict-cache/` itself (or build with `--no-cache`)";
            return Err(Error::site(error.hint(hint)));
        }
    }
    let mut timings = Timings::from_env();
    let mut session = match &options.cache {
        Cache::Use => Session::on_disk(options.root.join(CACHE_DIR), &options.output),
        Cache::Skip => Session::new(),
    };
    let staging = write::Staging::create(&options.output)?.with_store(session.take_output_store());
    timings.lap("open cache and staging");
    let generated = generate_with(&mut session, &source, config, &staging)?;
    timings.restart();
    let store = staging.commit()?;
    timings.lap("swap in the output");
    session.save(&generated.site);
    if let Some(store) = store {
        store.save();
    }
    timings.lap("save the cache");
    Ok(generated.report)
}

/// Loads, validates and renders the site into `output`. All content errors are collected
/// and returned together; on error, what `output` received must be discarded, and the
/// session is left as the last good build left it.
pub fn generate(
    session: &mut Session,
    options: &SourceOptions,
    output: &dyn Output,
) -> Result<Generated, Error> {
    let config = match load_config(options) {
        Ok(config) => config,
        Err(e) => return Err(with_content_errors(session, options, e, None)),
    };
    generate_with(session, options, config, output)
}

/// [`generate`] with the configuration already loaded.
fn generate_with(
    session: &mut Session,
    options: &SourceOptions,
    config: SiteConfig,
    output: &dyn Output,
) -> Result<Generated, Error> {
    let (generated, fingerprints) = generate_once(session, options, config, output, None)?;
    let mut timings = Timings::from_env();
    session.built(fingerprints);
    timings.lap("keep page fingerprints");
    Ok(generated)
}

/// What a build that failed had outlined, for `check` to find warnings in all the same.
#[derive(Debug)]
pub struct Partial {
    /// The configuration.
    pub config: SiteConfig,
    /// The documents that loaded, outlined.
    pub site: outlines::RenderedSite,
    /// The paths of the output known so far: assets and theme files.
    pub files: site_links::OutputPaths,
    /// Images that cannot be read.
    pub image_warnings: Vec<Diagnostic>,
}

/// [`generate`] for `check`: a build that fails hands over what it had outlined, when it
/// got that far.
pub fn generate_or_partial(
    options: &SourceOptions,
    output: &dyn Output,
) -> Result<Generated, (Error, Option<Box<Partial>>)> {
    let mut partial = None;
    let config = match load_config(options) {
        Ok(config) => config,
        Err(e) => {
            let error = with_content_errors(&mut Session::new(), options, e, Some(&mut partial));
            return Err((error, partial));
        }
    };
    let result = generate_once(&mut Session::new(), options, config, output, Some(&mut partial));
    result.map(|(generated, _)| generated).map_err(|e| (e, partial))
}

/// When `site.yaml` has errors, the content is checked all the same, with what
/// [`SiteConfig::fallback`] makes of `site.yaml`, into an output that keeps nothing: the
/// error reports `site.yaml`'s problems and the content's together. The session's caches
/// serve this build as any other; it takes no page fingerprints from it.
fn with_content_errors(
    session: &mut Session,
    options: &SourceOptions,
    error: Error,
    partial: Option<&mut Option<Box<Partial>>>,
) -> Error {
    let Error::Site(mut diagnostics) = error else { return error };
    let Some(mut config) = SiteConfig::fallback(&options.root, &options.config) else {
        return Error::Site(diagnostics);
    };
    let _ = set_address(&mut config, &options.address);
    let checked = generate_once(session, options, config, &Discard, partial);
    if let Err(Error::Site(more)) = checked {
        for d in more {
            if !diagnostics.contains(&d) {
                diagnostics.push(d);
            }
        }
    }
    crate::error::sort_diagnostics(&mut diagnostics);
    Error::Site(diagnostics)
}

/// `site.yaml`, with the options' base URL.
fn load_config(options: &SourceOptions) -> Result<SiteConfig, Error> {
    let mut config = SiteConfig::load(&options.root, &options.config)?;
    set_address(&mut config, &options.address).map_err(Error::site)?;
    Ok(config)
}

/// Makes `config` build for `address`.
fn set_address(config: &mut SiteConfig, address: &Address) -> Result<(), Diagnostic> {
    match address {
        Address::Configured => Ok(()),
        Address::Deployed(url) => config.set_base_url(url),
        Address::Preview(url) => config.preview_at(url),
    }
}

/// The stages of a build, top to bottom: content, outlines (with the link map), index,
/// pages, then feeds, sitemap, search and assets; the swap is the caller's.
fn generate_once(
    session: &mut Session,
    options: &SourceOptions,
    config: SiteConfig,
    output: &dyn Output,
    partial: Option<&mut Option<Box<Partial>>>,
) -> Result<(Generated, PageFingerprints), Error> {
    let start = Instant::now();
    let root = &options.root;
    // Every path written is recorded, for the links to the site's own pages.
    let recorded = recorded::Recorded::after(output, session.paths_written());
    let output: &dyn Output = &recorded;

    let mut timings = Timings::from_env();
    session.start_build();
    if !session.builds_again() {
        memory::purge_promptly();
    }
    timings.lap("start build");
    let (content, mut errors) =
        load::load_content_with(root, &config, options.drafts, session.parsed_articles());
    timings.lap("load content");
    let loaded = session.load_highlighter(&config.highlight_light, &config.highlight_dark);
    let session: &Session = session;
    let highlighter = match loaded {
        Ok(()) => session.highlighter(),
        Err(message) => {
            let yaml = read_config(root, &config.file).unwrap_or_default();
            errors.push(
                Diagnostic::new(&config.file, message).at(key_line(&yaml, "highlight", 1), 1).hint(
                    "set `light:` and `dark:` under `highlight:` to known themes, or remove them",
                ),
            );
            None
        }
    };
    let mut templates = match Templates::load(root, &config.theme, &config.file) {
        Ok(t) => Some(t),
        Err(mut e) => {
            errors.append(&mut e);
            None
        }
    };
    let Some(highlighter) = highlighter else {
        return Err(Error::from(errors));
    };

    let urls = Urls::new(&config);
    let links = session.link_map(&content, &urls);
    let assets = content.assets.clone();
    let catalog = content.catalog.clone();
    let env = Env {
        highlighter,
        links: &links,
        winner_label: &config.winner_label,
        markers: &config.comparison_markers,
        documents: session.documents(),
    };
    timings.lap("highlighter and templates");
    let scratch = output.scratch();
    let (mut site, mut render_errors) =
        outlines::render_site(&env, content, &urls, root, scratch.as_ref(), session.recycled());
    // Every body is rendered (a page rendering one again parses its lines afresh).
    crate::markdown::forget_lines();
    // Memory freed by a stage goes back at its end; `serve` reuses it for its next build.
    let give_back = || {
        if !session.builds_again() {
            memory::give_back()
        }
    };
    give_back();
    timings.lap("render markdown");
    errors.append(&mut render_errors);
    let site_images = images::plan_site_images(&site, &assets, &config);
    let image_warnings = site_images.warnings.clone();
    timings.lap("read image sizes");
    let (logos, mut logo_errors) = cards::load_logos(&catalog, &assets, templates.as_ref());
    errors.append(&mut logo_errors);
    let templates = match templates.as_mut() {
        Some(templates) if errors.is_empty() => templates,
        _ => {
            if let Some(partial) = partial {
                let key = |rel: &Path| site_links::output_key(rel).into_owned();
                let mut files: site_links::OutputPaths =
                    assets.iter().map(|a| key(&a.output)).collect();
                if let Some(templates) = &templates {
                    files.extend(templates.static_files.iter().map(|(path, _)| key(path)));
                }
                *partial = Some(Box::new(Partial { config, site, files, image_warnings }));
            }
            return Err(Error::from(errors));
        }
    };
    images::size_documents(&mut site, &site_images);
    let site_index = session.index(&site, &catalog);
    timings.lap("index site");

    let syntax_css = highlighter.stylesheet();
    let style_version = static_version(templates, "assets/style.css");
    let search_version = static_version(templates, "assets/search.js");
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
        search: config.search,
        search_url: urls.path("search.json"),
        search_bundle_url: urls.path(&format!("{}/", fulltext::BUNDLE_DIR)),
        search_script_url: urls.path(&format!("assets/search.js?v={search_version}")),
        extra: &config.extra,
        generator: format!("verdict {}", env!("CARGO_PKG_VERSION")),
    };
    let site_json = serde_json::to_string(&site_view).unwrap_or_default();
    templates.set_global("site", &site_view);

    for (rel, file) in &templates.static_files {
        match file {
            ThemeFile::Embedded(bytes) => output.write(rel, bytes)?,
            ThemeFile::Disk(path) => output.copy(path, rel)?,
        }
    }
    output.write(Path::new("assets/syntax.css"), syntax_css.as_bytes())?;
    let card_store = session.card_store();
    let cards = cards::write_cards(
        &cards::CardInputs {
            site: &site,
            index: &site_index,
            templates,
            urls: &urls,
            config: &config,
            logos: &logos,
            site_json: &site_json,
            store: card_store,
        },
        output,
        session.page_fingerprints(),
    )?;
    timings.lap("social cards");
    // Pages of an incremental session are re-rendered when their context, the templates
    // or the global `site` view change.
    let salt = {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        hasher.update(&templates.fingerprint.to_le_bytes());
        hasher.update(site_json.as_bytes());
        // Every setting, those the `site` view leaves out too (pages hashed from their
        // inputs depend on them through the articles); but fact labels and staleness,
        // which only the pages showing a facts table or a stale notice depend on, and
        // which reach those pages' own fingerprints.
        let shown = SiteConfig {
            facts: Vec::new(),
            stale_after_days: 0,
            stale_notice: false,
            ..config.clone()
        };
        hasher.update(format!("{shown:?}\0{:?}", options.drafts).as_bytes());
        hasher.update(&links.fingerprint().to_le_bytes());
        // The home page's card, which the pages without one of their own name.
        hasher.update(&cards.home.as_ref().map_or(0, |c| c.key).to_le_bytes());
        hasher.digest128()
    };
    let previous = session.page_fingerprints().map(|p| (p, salt));
    let search_cached = match config.search && !output.discards_bytes() {
        true => session.with_search(|cache| cache.keys.clone()),
        false => Default::default(),
    };
    // Image copies are made (or taken from the cache) while the pages are written.
    let variant_jobs = site_images.jobs();
    let (written, variants) = rayon::join(
        || {
            pages::write_pages(
                &pages::PageInputs {
                    env: &env,
                    site: &site,
                    index: &site_index,
                    images: &site_images,
                    templates,
                    urls: &urls,
                    config: &config,
                    root,
                    scratch: scratch.as_ref(),
                    today: crate::content::date::today(),
                    cards: &cards,
                    search_cached: &search_cached,
                },
                output,
                previous,
            )
        },
        || crate::images::variants::make_variants(&variant_jobs, session.variants(), output),
    );
    let (mut written, variants) = (written?, variants?);
    give_back();
    timings.lap(&format!("pages; images {} made {} kept", variants.made, variants.cached));
    let sitemap = sitemap::sitemap_file(&written.sitemap, session.parts().is_some());
    let mut files_of_parts = Vec::new();
    files_of_parts.extend(sitemap.write(output, "sitemap.xml", previous.map(|(p, _)| p))?);
    output.write(Path::new("robots.txt"), sitemap::robots(&urls).as_bytes())?;
    timings.lap("sitemap");
    // An incremental session keeps each article's part of these files by its digest,
    // and a file whose parts are all as the last build made them as it is.
    let digests = std::mem::take(&mut written.digests);
    let kept = session.parts().filter(|_| digests.len() == site.articles.len());
    if config.search {
        let kept = kept.map(|p| (&p.search, digests.as_slice()));
        let file = search::search_index(&site, kept);
        files_of_parts.extend(file.write(output, "search.json", previous.map(|(p, _)| p))?);
    }
    timings.lap("search.json");
    let kept = kept.map(|p| (&p.verdicts, digests.as_slice()));
    let file = verdicts::verdicts_json(&config, &site, &site_index, &urls, kept);
    files_of_parts.extend(file.write(output, "verdicts.json", previous.map(|(p, _)| p))?);
    timings.lap("verdicts.json");
    for asset in &assets {
        output.copy(&asset.source, &asset.output)?;
    }
    aliases::write_aliases(&site, &config, &urls, &assets, templates, root, &recorded)?;
    timings.lap("assets and aliases");
    give_back();
    if config.search && !output.discards_bytes() {
        let rendered = std::mem::take(&mut written.search_documents);
        session.with_search(|cache| {
            let scratch = scratch.as_ref();
            fulltext::bundle(&site, &config.language, rendered, cache, output, scratch, |a| {
                a.body_html(&env, root)
            })
        })?;
    } else if config.search {
        output.write(&fulltext::output_path(fulltext::META_FILE), b"")?;
    }
    timings.lap("full-text search");
    let collisions =
        collisions::replaced_outputs(root, &recorded.written_again(), &assets, templates);
    if !collisions.is_empty() {
        return Err(Error::from(collisions));
    }

    let written_paths = recorded.into_paths(fulltext::BUNDLE_DIR);
    let rest = written_paths.hash.wrapping_sub(written_paths.apart);
    let links_checked = site_links::LinksChecked {
        key: site_links::links_key(rest, &config.deployed_url, &site.other_links),
        bundle: written_paths.apart,
    };
    // The links of an article taken over, and the others, were checked by the last build
    // against the same; when only the search bundle's paths changed, those of an article
    // taken over that may reach the bundle are checked again.
    let checked = site.links_checked.key == links_checked.key;
    let bundle_changed = site.links_checked.bundle != links_checked.bundle;
    let again = |link: &&site_links::SiteLink| {
        let url = &config.deployed_url;
        bundle_changed && site_links::may_reach_bundle(link, url, fulltext::BUNDLE_DIR)
    };
    let links = site.articles.iter().flat_map(|a| {
        let taken_over = checked && a.taken_over;
        let skip_all = taken_over && !(bundle_changed && a.bundle_links);
        let links = if skip_all { &[][..] } else { &a.site_links[..] };
        links.iter().filter(move |link| !taken_over || again(link))
    });
    let others = site.other_links.iter().filter(|link| !checked || again(link));
    let links = links.chain(others);
    let link_errors =
        site_links::check_site_links(links, &written_paths.paths, &config.deployed_url);
    timings.lap("check links to site paths");
    if !link_errors.is_empty() {
        if let Some(partial) = partial {
            let files = std::sync::Arc::unwrap_or_clone(written_paths).paths;
            *partial = Some(Box::new(Partial { config, site, files, image_warnings }));
        }
        return Err(Error::from(link_errors));
    }
    site.links_checked = links_checked;
    session.wrote_paths(written_paths);
    let report = BuildReport {
        articles: site.articles.len(),
        pages: site.pages.len(),
        authors: site.authors.len(),
        html_files: written.written,
        unchanged: written.unchanged,
        cards: cards.count,
        cards_drawn: cards.drawn,
        elapsed: start.elapsed(),
    };
    let mut fingerprints = written.fingerprints;
    fingerprints.extend(cards.fingerprints);
    fingerprints.extend(files_of_parts);
    Ok((Generated { config, site, index: site_index, report, image_warnings }, fingerprints))
}

/// The cache-busting version of a theme static file.
fn static_version(templates: &Templates, rel: &str) -> String {
    templates
        .static_files
        .iter()
        .find(|(path, _)| path == Path::new(rel))
        .map(|(_, file)| match file {
            ThemeFile::Embedded(bytes) => version(bytes),
            ThemeFile::Disk(path) => {
                let mut bytes = Vec::new();
                if let Ok((mut file, _)) = crate::files::open_regular(path) {
                    let _ = std::io::Read::read_to_end(&mut file, &mut bytes);
                }
                version(&bytes)
            }
        })
        .unwrap_or_default()
}

/// A short content hash for cache-busting query strings.
fn version(bytes: &[u8]) -> String {
    let mut hasher = std::hash::DefaultHasher::new();
    bytes.hash(&mut hasher);
    format!("{:08x}", hasher.finish() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("site.yaml"), "title: T\nbase_url: https://example.com/\n")
            .unwrap();
        std::fs::create_dir_all(root.join("articles")).unwrap();
        std::fs::create_dir_all(root.join("authors")).unwrap();
        std::fs::write(root.join("authors/a.md"), "---\nname: A\n---\nBio.\n").unwrap();
        for (slug, tag) in [("x-vs-y", "one"), ("p-vs-q", "two")] {
            std::fs::write(
                root.join(format!("articles/{slug}.md")),
                format!(
                    "---\ntitle: {slug}\ndate: 2025-01-01\nauthor: a\ntags: [{tag}]\ncontenders: [X, Y]\n---\n\n## Speed\n\n**Winner:** X\n\n```rust\nfn main() {{}}\n```\n"
                ),
            )
            .unwrap();
        }
        dir
    }

    /// How the tests build the site in `dir`.
    fn options(dir: &tempfile::TempDir) -> SourceOptions {
        SourceOptions {
            root: dir.path().to_path_buf(),
            config: crate::config::CONFIG_FILE.into(),
            drafts: Drafts::Skip,
            address: Address::Configured,
        }
    }

    #[test]
    fn incremental_session_rewrites_only_what_changed() {
        let dir = site();
        let options = options(&dir);
        let mut session = Session::incremental();
        let first = generate(&mut session, &options, &write::Memory::default()).unwrap();
        assert_eq!(first.report.unchanged, 0);

        let output = write::Memory::default();
        let second = generate(&mut session, &options, &output).unwrap();
        assert_eq!(second.report.html_files, 0, "nothing changed");
        let (_, kept) = output.into_parts();
        assert!(kept.iter().any(|p| p == Path::new("x-vs-y/index.html")));
        for file in ["verdicts.json", "search.json"] {
            assert!(kept.iter().any(|p| p == Path::new(file)), "{file}: no part changed");
        }

        let path = dir.path().join("articles/p-vs-q.md");
        let text =
            std::fs::read_to_string(&path).unwrap().replace("**Winner:** X", "**Winner:** Y");
        std::fs::write(&path, text).unwrap();
        let output = write::Memory::default();
        let third = generate(&mut session, &options, &output).unwrap();
        let files = output.into_files();
        assert!(files.contains_key(Path::new("p-vs-q/index.html")));
        assert!(files.contains_key(Path::new("compare/x/index.html")), "the hub's record changed");
        assert!(!files.contains_key(Path::new("tags/one/index.html")), "an unrelated tag page");
        let verdicts = String::from_utf8(files[Path::new("verdicts.json")].clone()).unwrap();
        assert!(verdicts.contains("\"p-vs-q\"") && verdicts.contains("\"x-vs-y\""), "{verdicts}");
        assert!(third.report.unchanged > 0);

        // A new tag: the session's index is made again.
        let text = std::fs::read_to_string(&path).unwrap().replace("tags: [two]", "tags: [three]");
        std::fs::write(&path, text).unwrap();
        let output = write::Memory::default();
        let fourth = generate(&mut session, &options, &output).unwrap();
        assert!(fourth.index.tags.iter().any(|t| t.slug == "three"));
        assert!(output.into_files().contains_key(Path::new("tags/three/index.html")));
    }

    #[test]
    fn the_links_of_an_article_taken_over_are_checked_again_when_the_paths_change() {
        let dir = site();
        let options = options(&dir);
        let linking = dir.path().join("articles/x-vs-y.md");
        let text = std::fs::read_to_string(&linking).unwrap();
        std::fs::write(&linking, format!("{text}\nSee [the other tag](/tags/two/).\n")).unwrap();
        let mut session = Session::incremental();
        let first = generate(&mut session, &options, &write::Memory::default()).unwrap();
        session.recycle(first.site);

        // An edit elsewhere that leaves every path as it was: x-vs-y is taken over.
        let other = dir.path().join("articles/p-vs-q.md");
        let text = std::fs::read_to_string(&other).unwrap();
        std::fs::write(&other, text.replace("**Winner:** X", "**Winner:** Y")).unwrap();
        let second = generate(&mut session, &options, &write::Memory::default()).unwrap();
        let taken = |site: &outlines::RenderedSite, slug: &str| {
            site.articles.iter().find(|a| a.article.slug == slug).unwrap().taken_over
        };
        assert!(taken(&second.site, "x-vs-y") && !taken(&second.site, "p-vs-q"));
        session.recycle(second.site);

        // The page it links to goes (the other article leaves its tag): its link is
        // checked again, though it is taken over.
        let text = std::fs::read_to_string(&other).unwrap();
        std::fs::write(&other, text.replace("tags: [two]", "tags: [three]")).unwrap();
        let Err(Error::Site(errors)) = generate(&mut session, &options, &write::Memory::default())
        else {
            panic!("the link to the removed page is an error");
        };
        assert!(
            errors.iter().any(|d| d.message.contains("/tags/two/")
                && d.path.ends_with("articles/x-vs-y.md")),
            "{errors:?}"
        );
    }

    #[test]
    fn a_link_into_the_search_bundle_is_checked_again_when_only_the_bundle_changes() {
        let dir = site();
        let options = options(&dir);
        let other = dir.path().join("articles/p-vs-q.md");
        let plain = std::fs::read_to_string(&other).unwrap();
        let with_word = format!("{plain}\nZyzzyva quokka.\n");
        let bundle_files = |text: &str| {
            std::fs::write(&other, text).unwrap();
            let output = write::Memory::default();
            generate(&mut Session::new(), &options, &output).unwrap();
            let paths = output.into_files().into_keys();
            paths.filter(|p| p.starts_with("search/t")).collect::<Vec<_>>()
        };
        // A file of the bundle that only the word makes.
        let without = bundle_files(&plain);
        let only_with = bundle_files(&with_word).into_iter().find(|p| !without.contains(p));
        let shard = only_with.expect("a word of its own makes a file of its own");

        let linking = dir.path().join("articles/x-vs-y.md");
        let text = std::fs::read_to_string(&linking).unwrap();
        let link = format!("/{}", shard.display());
        std::fs::write(&linking, format!("{text}\nThe [shard]({link}).\n")).unwrap();
        let mut session = Session::incremental();
        let first = generate(&mut session, &options, &write::Memory::default()).unwrap();
        session.recycle(first.site);
        // Only the other article's words change: the paths but the bundle's are the same.
        std::fs::write(&other, &plain).unwrap();
        let Err(Error::Site(errors)) = generate(&mut session, &options, &write::Memory::default())
        else {
            panic!("the link to the bundle's file that went is an error");
        };
        assert!(
            errors
                .iter()
                .any(|d| d.message.contains(&link) && d.path.ends_with("articles/x-vs-y.md")),
            "{errors:?}"
        );
    }

    #[test]
    fn a_recycled_build_takes_over_unchanged_articles_in_the_same_order() {
        let dir = site();
        let options = options(&dir);
        let mut session = Session::incremental();
        let first = generate(&mut session, &options, &write::Memory::default()).unwrap();
        let body_of = |site: &outlines::RenderedSite, slug: &str| {
            let a = site.articles.iter().find(|a| a.article.slug == slug).unwrap();
            std::sync::Arc::clone(&a.body)
        };
        let kept = body_of(&first.site, "x-vs-y");
        let edited = body_of(&first.site, "p-vs-q");
        session.recycle(first.site);

        // p-vs-q, first by its title on the same day, moves behind with an earlier date.
        let path = dir.path().join("articles/p-vs-q.md");
        let text = std::fs::read_to_string(&path).unwrap();
        let text = text.replace("date: 2025-01-01", "date: 2024-12-01");
        std::fs::write(&path, text.replace("**Winner:** X", "**Winner:** Y")).unwrap();
        let second = generate(&mut session, &options, &write::Memory::default()).unwrap();
        assert!(std::sync::Arc::ptr_eq(&body_of(&second.site, "x-vs-y"), &kept));
        assert!(!std::sync::Arc::ptr_eq(&body_of(&second.site, "p-vs-q"), &edited));
        let fresh = generate(&mut Session::new(), &options, &write::Memory::default()).unwrap();
        let slugs = |site: &outlines::RenderedSite| -> Vec<String> {
            site.articles.iter().map(|a| a.article.slug.clone()).collect()
        };
        assert_eq!(slugs(&second.site), ["x-vs-y", "p-vs-q"]);
        assert_eq!(slugs(&second.site), slugs(&fresh.site));
        let links = |site: &outlines::RenderedSite| site.site_links().count();
        assert_eq!(links(&second.site), links(&fresh.site));
        assert_eq!(second.index.hubs.len(), fresh.index.hubs.len());
        let wins = |site: &outlines::RenderedSite| -> Vec<Vec<usize>> {
            site.articles.iter().map(|a| a.wins.clone()).collect()
        };
        assert_eq!(wins(&second.site), wins(&fresh.site));
    }
}
