//! Finding and validating the site's content: articles (flat files and bundles), pages,
//! authors, and the files copied as they are.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::cache::generations::Generations;
use crate::config::SiteConfig;
use crate::content::article::Article;
use crate::content::author::Author;
use crate::content::catalog::{CATALOG_FILE, Catalog, resolve_contenders, share_spellings};
use crate::content::page::Page;
use crate::error::{Diagnostic, did_you_mean};
use crate::files::{files_under, read_site_file, read_text, reserved_output_name, walk_files};
use crate::slug::contender_id;

/// Output names that articles and pages may not take.
pub const RESERVED_SLUGS: &[&str] = &[
    "authors",
    "tags",
    "compare",
    "page",
    "assets",
    "search.json",
    "verdicts.json",
    "feed.xml",
    "sitemap.xml",
    "robots.txt",
    "404.html",
    "favicon.svg",
    "favicon.ico",
    "index.html",
];

/// Whether drafts are built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drafts {
    /// Drafts are left out.
    Skip,
    /// Drafts are built like other articles.
    Include,
}

/// A file copied into the output unchanged.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Absolute source path.
    pub source: PathBuf,
    /// Path in the output folder.
    pub output: PathBuf,
}

/// Everything the site is made of, validated.
#[derive(Debug, Default)]
pub struct Content {
    /// Published (and, with `--drafts`, draft) articles (shared with the parsed articles
    /// of an incremental session, and copied only where the site changes them).
    pub articles: Vec<Arc<Article>>,
    /// Drafts left out of this build.
    pub skipped_drafts: Vec<PathBuf>,
    /// The authors those drafts name.
    pub draft_authors: Vec<String>,
    /// Standalone pages.
    pub pages: Vec<Page>,
    /// Authors, sorted by id.
    pub authors: Vec<Author>,
    /// Bundle files and `static/`, copied as they are.
    pub assets: Vec<Asset>,
    /// `contenders.yaml`, empty when the site has none.
    pub catalog: Catalog,
}

/// Loads and validates all content under `root`. Problems are collected, not thrown:
/// the content that is valid is returned along with every diagnostic.
pub fn load_content(
    root: &Path,
    config: &SiteConfig,
    drafts: Drafts,
) -> (Content, Vec<Diagnostic>) {
    load_content_with(root, config, drafts, None)
}

/// Articles parsed by earlier builds of one process (`serve`), by a hash of everything
/// parsing depends on. A file whose size, times and inode are those it had when last
/// read is not even read again; one that was touched is read, and parsed only if its
/// text changed.
///
/// Told which files changed since (by `serve`'s watcher), a build does not even walk
/// `articles/` again nor look at the files that did not change; see `Listing`.
#[derive(Debug, Default)]
pub struct ParsedArticles {
    /// Articles by a hash of their file's path, text and parse settings.
    /// (Shared, so that a build clones an article outside the cache's lock.)
    articles: Generations<Arc<Article>>,
    /// Keys of `articles` by a hash of the file's path, metadata and parse settings.
    stamps: Generations<u128>,
    /// `articles/` as the last build found it, and what changed since.
    listing: Mutex<Listing>,
}

/// What an incremental session knows of `articles/` between builds: the files the last
/// walk found (with each article's key as last read), and every path changed since. The
/// listing stands while each changed path under `articles/` is a regular file it holds:
/// a file created, removed or renamed, a folder, a walk that met a symbolic link or an
/// error, or changes not told (a build not told what changed, a watcher that lost
/// events) make the next build walk the folder again.
#[derive(Debug, Default)]
struct Listing {
    /// The files of `articles/` (as [`files_under`] gives them) and, by a hash of each
    /// article's source path and parse settings, the key of its text in `articles`;
    /// none until a walk.
    files: Option<(Files, FxHashMap<u64, u128>)>,
    /// What the session was told of the changes since the last build.
    changed: Told,
}

/// The files of a folder, shared by a session's listing and a build.
type Files = Arc<Vec<(PathBuf, PathBuf)>>;

/// What an incremental session was told of the files changed since its last build.
#[derive(Debug, Default)]
enum Told {
    /// Nothing: the next build walks `articles/`.
    #[default]
    Nothing,
    /// These paths changed (relative to the site root), and no other.
    Paths(FxHashSet<PathBuf>),
    /// Changes were lost: the next build walks `articles/`, whatever else it is told.
    Lost,
}

impl ParsedArticles {
    fn start_build(&self) {
        self.articles.start_build();
    }

    /// Tells the session which files changed since the last build (relative to the site
    /// root), or that it is not known (`None`).
    pub fn changed(&self, paths: Option<impl IntoIterator<Item = PathBuf>>) {
        let mut listing = self.listing.lock().unwrap_or_else(|e| e.into_inner());
        match (paths, &mut listing.changed) {
            (_, Told::Lost) => {}
            (Some(paths), Told::Paths(changed)) => changed.extend(paths),
            (Some(paths), Told::Nothing) => {
                listing.changed = Told::Paths(paths.into_iter().collect())
            }
            (None, _) => listing.changed = Told::Lost,
        }
    }

    /// The files of `dir` (`articles/`) under `root` and, when the last build's listing
    /// still stands, the keys of the articles as last read and the paths changed since;
    /// else the folder is walked again.
    fn files(
        &self,
        root: &Path,
        dir: &Path,
        errors: &mut Vec<Diagnostic>,
    ) -> (Files, Option<Unchanged>) {
        let mut listing = self.listing.lock().unwrap_or_else(|e| e.into_inner());
        let changed = std::mem::take(&mut listing.changed);
        let last = listing.files.take();
        if let (Some((files, keys)), Told::Paths(changed)) = (last, changed) {
            let stands = changed.iter().all(|path| {
                let Ok(rel) = path.strip_prefix(dir) else { return true };
                let regular = std::fs::symlink_metadata(root.join(path))
                    .is_ok_and(|m| m.file_type().is_file());
                regular && files.iter().any(|(_, known)| known.as_os_str() == rel.as_os_str())
            });
            if stands {
                // This build records the keys it reads ([`ParsedArticles::read`]).
                listing.files = Some((Arc::clone(&files), FxHashMap::default()));
                return (files, Some(Unchanged { keys, changed }));
            }
        }
        // Parsed articles are found by their files' stamps after a walk.
        self.stamps.start_build();
        let before = errors.len();
        let (files, links) = walk_files(root, dir, errors);
        let files = Arc::new(files);
        if !links && errors.len() == before {
            listing.files = Some((Arc::clone(&files), FxHashMap::default()));
        }
        (files, None)
    }

    /// Records the key of each article this build read (by [`Unchanged::keys`]'s hash),
    /// for the next build.
    fn read(&self, keys: impl Iterator<Item = (u64, u128)>) {
        let mut listing = self.listing.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, known)) = &mut listing.files {
            known.extend(keys);
        }
    }
}

/// What a build told the changed files knows of the others.
struct Unchanged {
    /// The key of each article as last read, by a hash of its source path and parse
    /// settings.
    keys: FxHashMap<u64, u128>,
    /// Paths changed since, relative to the site root.
    changed: FxHashSet<PathBuf>,
}

/// [`load_content`], reusing the articles `parsed` holds.
pub fn load_content_with(
    root: &Path,
    config: &SiteConfig,
    drafts: Drafts,
    parsed: Option<&ParsedArticles>,
) -> (Content, Vec<Diagnostic>) {
    let mut content = Content::default();
    let mut errors = Vec::new();

    if let Some(parsed) = parsed {
        parsed.start_build();
    }
    let (articles, skipped, assets) = load_articles(root, config, drafts, parsed, &mut errors);
    content.articles = articles;
    content.catalog = load_catalog(root, &mut errors);
    resolve_contenders(&mut content.articles, &mut content.catalog);
    (content.skipped_drafts, content.draft_authors) = skipped.into_iter().unzip();
    content.assets = assets;
    content.pages = load_pages(root, drafts, &mut errors);
    content.authors = load_authors(root, &mut errors);
    for (source, output) in files_under(root, Path::new("static"), &mut errors) {
        content.assets.push(Asset { source, output });
    }

    check_asset_names(root, &content.assets, &mut errors);
    // Three passes over every article, each mostly waiting on memory: side by side.
    let check = |check: fn(&Content, &mut Vec<Diagnostic>)| {
        let mut found = Vec::new();
        check(&content, &mut found);
        found
    };
    let (authors, (slugs, ids)) = rayon::join(
        || check(check_authors),
        || rayon::join(|| check(check_slugs), || check(check_contender_ids)),
    );
    errors.extend(authors.into_iter().chain(slugs).chain(ids));
    share_spellings(&mut content.articles, &content.catalog);
    (content, errors)
}

/// A draft left out of the build: its source and its author.
type SkippedDraft = (PathBuf, String);

fn load_articles(
    root: &Path,
    config: &SiteConfig,
    drafts: Drafts,
    parsed: Option<&ParsedArticles>,
    errors: &mut Vec<Diagnostic>,
) -> (Vec<Arc<Article>>, Vec<SkippedDraft>, Vec<Asset>) {
    let dir = Path::new("articles");
    let (files, unchanged) = match parsed {
        Some(parsed) => parsed.files(root, dir, errors),
        None => (Arc::new(files_under(root, dir, errors)), None),
    };
    // A folder holding `index.md` is a bundle: its other files are the article's assets.
    let bundles: Vec<PathBuf> = files
        .iter()
        .filter(|(_, rel)| {
            rel.file_name() == Some(OsStr::new("index.md")) && rel.parent() != Some(Path::new(""))
        })
        .filter_map(|(_, rel)| rel.parent().map(Path::to_path_buf))
        .collect();
    let bundle_of = |rel: &Path| {
        bundles.iter().filter(|b| rel.starts_with(b)).max_by_key(|b| b.as_os_str().len()).cloned()
    };

    let mut sources = Vec::new();
    let mut bundle_files = Vec::new();
    for (path, rel) in files.iter() {
        match bundle_of(rel) {
            Some(bundle) if *rel == bundle.join("index.md") => {
                sources.push((rel.as_path(), Some(bundle)));
            }
            Some(bundle) => bundle_files.push((path.clone(), bundle, rel.clone())),
            None if rel.extension() == Some(OsStr::new("md")) => sources.push((rel, None)),
            None => {}
        }
    }
    // The paths changed since the last build, as `sources` names them.
    let changed: FxHashSet<&Path> = unchanged
        .iter()
        .flat_map(|u| &u.changed)
        .filter_map(|path| path.strip_prefix(dir).ok())
        .collect();

    // Each article, with the hash its key is recorded by and the key.
    type Read = Result<(Arc<Article>, Option<(u64, u128)>), Vec<Diagnostic>>;
    let results: Vec<Read> = sources
        .par_iter()
        .map(|&(rel, ref bundle)| {
            let default_slug = match bundle {
                Some(bundle) => bundle.file_name().unwrap_or_default().to_string_lossy(),
                None => rel.file_stem().unwrap_or_default().to_string_lossy(),
            };
            let default_author = config.default_author.as_deref();
            // The source is `articles/<rel>`, hashed without making its path.
            let settings = |hasher: &mut xxhash_rust::xxh3::Xxh3| {
                for part in [dir.as_os_str(), OsStr::new("/"), rel.as_os_str()] {
                    hasher.update(part.as_encoded_bytes());
                }
                hasher.update(&[0]);
                hasher.update(default_slug.as_bytes());
                hasher.update(&[0]);
                hasher.update(default_author.unwrap_or("\0none").as_bytes());
                hasher.update(&[0]);
            };
            let recorded = {
                let mut hasher = xxhash_rust::xxh3::Xxh3::new();
                settings(&mut hasher);
                hasher.digest()
            };
            // A file the watcher saw no change of is not even looked at.
            if let (Some(parsed), Some(unchanged)) = (parsed, &unchanged) {
                let key = unchanged.keys.get(&recorded).filter(|_| !changed.contains(rel));
                if let Some((key, article)) = key.and_then(|&k| Some((k, parsed.articles.get(k)?)))
                {
                    return Ok((article, Some((recorded, key))));
                }
            }
            let source = dir.join(rel);
            // A file not written since the last build is not read again.
            let stamp = parsed.and_then(|_| {
                let mut hasher = xxhash_rust::xxh3::Xxh3::new();
                settings(&mut hasher);
                hasher.update(&crate::cache::stamps::file_stamp(&root.join(&source))?);
                Some(hasher.digest128())
            });
            if let (Some(parsed), Some(stamp)) = (parsed, stamp) {
                let key = parsed.stamps.get(stamp);
                if let Some((key, article)) = key.and_then(|k| Some((k, parsed.articles.get(k)?))) {
                    return Ok((article, Some((recorded, key))));
                }
            }
            let text = read_text(root, &source).map_err(|d| vec![d])?;
            let key = parsed.map(|_| {
                let mut hasher = xxhash_rust::xxh3::Xxh3::new();
                settings(&mut hasher);
                hasher.update(text.as_bytes());
                hasher.digest128()
            });
            if let (Some(parsed), Some(key)) = (parsed, key) {
                if let Some(stamp) = stamp {
                    parsed.stamps.insert(stamp, key);
                }
                if let Some(article) = parsed.articles.get(key) {
                    return Ok((article, Some((recorded, key))));
                }
            }
            let mut article = Article::parse(&source, &text, &default_slug, default_author)?;
            article.bundle = bundle.as_ref().map(|b| dir.join(b));
            let article = Arc::new(article);
            if let (Some(parsed), Some(key)) = (parsed, key) {
                parsed.articles.insert(key, Arc::clone(&article));
            }
            Ok((article, key.map(|key| (recorded, key))))
        })
        .collect();
    if let Some(parsed) = parsed {
        parsed.read(results.iter().filter_map(|r| r.as_ref().ok()?.1));
    }

    let mut articles = Vec::new();
    let mut skipped = Vec::new();
    for result in results.into_iter().map(|r| r.map(|(article, _)| article)) {
        match result {
            Ok(article) if article.draft && drafts == Drafts::Skip => {
                skipped.push((article.source.clone(), article.author.clone()));
            }
            Ok(article) => articles.push(article),
            Err(mut e) => errors.append(&mut e),
        }
    }
    let mut assets = Vec::new();
    for (path, bundle, rel) in bundle_files {
        let bundle_source = dir.join(&bundle);
        if let Some(article) =
            articles.iter().find(|a| a.bundle.as_deref() == Some(bundle_source.as_path()))
        {
            let inner = rel.strip_prefix(&bundle).unwrap_or(&rel);
            assets.push(Asset { source: path, output: Path::new(&article.slug).join(inner) });
        }
    }
    (articles, skipped, assets)
}

fn load_catalog(root: &Path, errors: &mut Vec<Diagnostic>) -> Catalog {
    // A link there counts (a dangling one or one leading outside the site is an error).
    if std::fs::symlink_metadata(root.join(CATALOG_FILE)).is_err() {
        return Catalog::default();
    }
    match read_site_file(root, Path::new(CATALOG_FILE))
        .map_err(|d| vec![d])
        .and_then(|t| Catalog::parse(&t))
    {
        Ok(catalog) => catalog,
        Err(mut e) => {
            errors.append(&mut e);
            Catalog::default()
        }
    }
}

fn load_pages(root: &Path, drafts: Drafts, errors: &mut Vec<Diagnostic>) -> Vec<Page> {
    let dir = Path::new("pages");
    let mut pages = Vec::new();
    for (_, rel) in files_under(root, dir, errors) {
        if rel.extension() != Some(OsStr::new("md")) {
            continue;
        }
        let source = dir.join(&rel);
        let stem = rel.file_stem().unwrap_or_default().to_string_lossy().to_string();
        match read_text(root, &source).and_then(|text| Page::parse(&source, &text, &stem)) {
            Ok(page) if page.draft && drafts == Drafts::Skip => {}
            Ok(page) => pages.push(page),
            Err(e) => errors.push(e),
        }
    }
    pages
}

fn load_authors(root: &Path, errors: &mut Vec<Diagnostic>) -> Vec<Author> {
    let dir = Path::new("authors");
    let mut authors = Vec::new();
    for (_, rel) in files_under(root, dir, errors) {
        if rel.extension() != Some(OsStr::new("md")) {
            continue;
        }
        let source = dir.join(&rel);
        let id = rel.file_stem().unwrap_or_default().to_string_lossy().to_string();
        match read_text(root, &source).and_then(|text| Author::parse(&source, &id, &text)) {
            Ok(author) => authors.push(author),
            Err(e) => errors.push(e),
        }
    }
    authors.sort_by(|a, b| a.id.cmp(&b.id));
    authors
}

/// Files copied as they are keep their names in the output: a Windows device name among
/// them (`static/aux.css`, `articles/x/con/chart.svg`) is an error, as it is for slugs.
fn check_asset_names(root: &Path, assets: &[Asset], errors: &mut Vec<Diagnostic>) {
    for asset in assets {
        let source = asset.source.strip_prefix(root).unwrap_or(&asset.source);
        errors.extend(reserved_output_name(source, &asset.output));
    }
}

fn check_authors(content: &Content, errors: &mut Vec<Diagnostic>) {
    for article in &content.articles {
        if article.author.is_empty() || content.authors.iter().any(|a| a.id == article.author) {
            continue;
        }
        let ids = content.authors.iter().map(|a| a.id.as_str());
        let hint = match did_you_mean(&article.author, ids) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!(
                "add `authors/{}.md`, or use one of the authors in `authors/`",
                article.author
            ),
        };
        errors.push(
            Diagnostic::new(&article.source, format!("unknown author `{}`", article.author))
                .at(article.author_line, 1)
                .hint(hint),
        );
    }
}

fn check_slugs(content: &Content, errors: &mut Vec<Diagnostic>) {
    let mut seen: FxHashMap<std::borrow::Cow<'_, str>, &Path> = FxHashMap::default();
    let all =
        content.articles.iter().map(|a| (a.slug.as_str(), a.source.as_path(), a.slug_line)).chain(
            content.pages.iter().map(|p| (p.slug.as_str(), p.source.as_path(), p.slug_line)),
        );
    for (slug, source, line) in all {
        let key = match slug.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
            true => std::borrow::Cow::Borrowed(slug),
            false => std::borrow::Cow::Owned(slug.to_lowercase()),
        };
        if RESERVED_SLUGS.contains(&key.as_ref()) {
            errors.push(
                Diagnostic::new(
                    source,
                    format!("the slug `{slug}` is reserved for a page verdict writes"),
                )
                .at(line, 1)
                .hint("set another `slug:` in the front matter"),
            );
        } else if let Some(first) = seen.get(&key) {
            errors.push(
                Diagnostic::new(source, format!("the slug `{slug}` is already used by `{}`", first.display()))
                    .at(line, 1)
                    .hint("give one of them another `slug:`; slugs that differ only in case collide on many hosts"),
            );
        } else {
            seen.insert(key, source);
        }
    }
}

/// Two different names that meet on one derived id across the site are an error.
fn check_contender_ids(content: &Content, errors: &mut Vec<Diagnostic>) {
    let mut names: HashMap<&str, (&str, &Path)> = HashMap::new();
    for article in &content.articles {
        // One technology listed twice, under two of its names (`[Go, Golang]`). Two
        // spellings of one derived id are reported by the article's own check.
        for (i, (contender, &line)) in
            article.contenders.iter().zip(&article.contender_lines).enumerate()
        {
            let Some(first) = article.contenders[..i].iter().find(|c| c.id == contender.id) else {
                continue;
            };
            // The id each had as written: equal ids are the article's own error already.
            let written = |c: &crate::content::article::Contender| {
                if c.explicit_id { c.id.clone() } else { contender_id(&c.name) }
            };
            if written(first) == written(contender) {
                continue;
            }
            errors.push(
                Diagnostic::new(
                    &article.source,
                    format!(
                        "`{}` and `{}` are one technology (id `{}`): list it once",
                        first.name, contender.name, contender.id
                    ),
                )
                .at(line, 1)
                .hint(format!(
                    "`{}` is another name of `{}` on this site (an alias in an article or in `contenders.yaml`); remove one, or give it its own `id:` if it is another technology",
                    contender.name, first.name
                )),
            );
        }
        for (contender, &line) in article.contenders.iter().zip(&article.contender_lines) {
            match names.get(contender.id.as_str()) {
                Some((name, _)) if *name == contender.name || contender.explicit_id => {}
                // Only ids both names derive collide by accident: one reached through a
                // declared alias or id is the same technology on purpose.
                Some((name, first))
                    if !contender.aliases.iter().any(|a| a == name)
                        && contender_id(&contender.name) == contender.id
                        && contender_id(name) == contender.id =>
                {
                    errors.push(
                        Diagnostic::new(
                            &article.source,
                            format!(
                                "contender `{}` gets the id `{}`, which `{}` already uses for `{name}`",
                                contender.name,
                                contender.id,
                                first.display()
                            ),
                        )
                        .at(line, 1)
                        .hint(format!("give one of them an explicit `id:`, or write `{name}` in both articles")),
                    );
                }
                Some(_) => {}
                None => {
                    names.insert(&contender.id, (&contender.name, &article.source));
                }
            }
        }
    }
}
