//! What one build hands the next: the loaded highlighter and, by the session's mode,
//! the caches of [`crate::cache`].

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::cache::cards::CardStore;
use crate::cache::code::CodeStore;
use crate::cache::images::VariantStore;
use crate::cache::outputs::OutputStore;
use crate::cache::pages::{PAGES_FILE, PageFingerprints};
use crate::content::catalog::Catalog;
use crate::images::variants::store_folder;
use crate::markdown::highlight::Highlighter;
use crate::markdown::links::LinkMap;
use crate::markdown::render::DocumentCache;
use crate::site::fulltext::{Keeps, SearchCache};
use crate::site::index::{SiteIndex, index_key, index_site};
use crate::site::link_map::{LinkMaps, link_map};
use crate::site::load::{Content, ParsedArticles};
use crate::site::outlines::{Recycled, RenderedSite};
use crate::site::parts::Parts;
use crate::site::recorded::WrittenPaths;
use crate::urls::Urls;

/// File of the cache folder holding the search documents and the last search bundle.
const SEARCH_FILE: &str = "search.bin";

/// File of the cache folder holding the search documents, read only when needed.
const SEARCH_DOCUMENTS_FILE: &str = "search-documents.bin";

/// File of the cache folder holding the last build's article outlines.
const OUTLINES_FILE: &str = "outlines.bin";

/// State kept from one build to the next: the loaded syntaxes and code themes, and the
/// caches of the session's mode. `build` uses one per run; `serve` keeps one for its
/// lifetime.
pub struct Session {
    highlighter: Option<Highlighter>,
    caches: Caches,
    /// Copies of images made by earlier builds.
    variants: VariantStore,
    /// Search documents and bundle ([`SearchCache`]): `None` until a build needs them
    /// (then read from the cache folder, if any); kept unless the session keeps nothing.
    search: std::sync::Mutex<Option<SearchCache>>,
    /// Whether `search` changed since it was read from the cache folder.
    search_changed: std::sync::atomic::AtomicBool,
    /// The paths the last build that succeeded wrote, which the next one most likely
    /// writes again.
    paths_written: Mutex<Arc<WrittenPaths>>,
}

/// The caches a session keeps, by mode.
enum Caches {
    /// None: every document and page is made again (`--no-cache`, `check`).
    None,
    /// In the site's cache folder between runs (`build`): highlighted code, outlines and
    /// the fingerprints of the pages of the output folder, which a build links rather
    /// than renders again when unchanged.
    Disk {
        dir: PathBuf,
        output: PathBuf,
        outlines: DocumentCache,
        pages: PageFingerprints,
        cards: CardStore,
        /// The files of the last build's output, until a build takes it.
        outputs: Option<Box<OutputStore>>,
    },
    /// In memory for the life of the process (`serve`): highlighted code, parsed
    /// articles, rendered documents and the fingerprints of the pages served.
    Memory {
        articles: Box<ParsedArticles>,
        documents: DocumentCache,
        pages: PageFingerprints,
        parts: SiteParts,
        /// The last index made, by its [`index_key`].
        index: std::sync::Mutex<Option<(u128, Arc<SiteIndex>)>>,
        /// The articles of the last build served, for the next one to take over.
        recycled: std::sync::Mutex<Option<Recycled>>,
        /// The last build's link map.
        links: LinkMaps,
    },
}

/// Each article's parts of the site-wide files, kept by an incremental session.
#[derive(Default)]
pub(super) struct SiteParts {
    /// Of `/verdicts.json`.
    pub(super) verdicts: Parts,
    /// Of `/search.json`.
    pub(super) search: Parts,
}

impl Default for Session {
    fn default() -> Self {
        Session::new()
    }
}

impl Session {
    /// A session that keeps nothing.
    pub fn new() -> Session {
        Session {
            highlighter: None,
            caches: Caches::None,
            variants: VariantStore::none(),
            search: Default::default(),
            search_changed: Default::default(),
            paths_written: Default::default(),
        }
    }

    /// A session whose highlighted code, outlines and page fingerprints are kept in `dir`
    /// between runs. Pages unchanged since the last build into `output` are linked from
    /// it, not rendered.
    pub fn on_disk(dir: PathBuf, output: &Path) -> Session {
        clean_cache_leftovers(&dir);
        let pages = PageFingerprints::load(&dir.join(PAGES_FILE), output);
        let outlines = DocumentCache::load_outlines(&dir.join(OUTLINES_FILE));
        Session {
            highlighter: None,
            variants: VariantStore::on_disk(store_folder(&dir)),
            caches: Caches::Disk {
                cards: CardStore::on_disk(&dir),
                outputs: Some(Box::new(OutputStore::open(&dir))),
                dir,
                output: output.to_path_buf(),
                outlines,
                pages,
            },
            search: Default::default(),
            search_changed: Default::default(),
            paths_written: Default::default(),
        }
    }

    /// A session for repeated builds into an output that keeps its files (`serve`):
    /// documents whose source did not change are not rendered again, and pages whose
    /// inputs did not change are not rendered or written again.
    pub fn incremental() -> Session {
        Session {
            highlighter: None,
            caches: Caches::Memory {
                articles: Box::default(),
                documents: DocumentCache::default(),
                pages: PageFingerprints::default(),
                parts: SiteParts::default(),
                index: Default::default(),
                recycled: Default::default(),
                links: LinkMaps::default(),
            },
            variants: VariantStore::memory(),
            search: Default::default(),
            search_changed: Default::default(),
            paths_written: Default::default(),
        }
    }

    /// The files of the last build's output, for a build to put back what its output
    /// lacks (on disk only, and to one build).
    pub(super) fn take_output_store(&mut self) -> Option<OutputStore> {
        match &mut self.caches {
            Caches::Disk { outputs, .. } => outputs.take().map(|store| *store),
            _ => None,
        }
    }

    /// Copies of images made by earlier builds.
    pub(super) fn variants(&self) -> &VariantStore {
        &self.variants
    }

    /// Starts a build: what the last one did not use is dropped at the next start.
    pub(super) fn start_build(&self) {
        self.variants.start_build();
        if let Caches::Memory { documents, .. } = &self.caches {
            documents.start_build();
        }
    }

    /// Tells an incremental session which files changed since its last build (paths
    /// relative to the site root), or that it is not known (`None`): the next build
    /// looks at those files only, while no file was added or removed.
    pub fn files_changed(&self, paths: Option<impl IntoIterator<Item = PathBuf>>) {
        if let Some(parsed) = self.parsed_articles() {
            parsed.changed(paths);
        }
    }

    /// Articles parsed by earlier builds of this process.
    pub(super) fn parsed_articles(&self) -> Option<&ParsedArticles> {
        match &self.caches {
            Caches::Memory { articles, .. } => Some(articles),
            _ => None,
        }
    }

    /// Hands the session a site it built and that was served, for the next build to take
    /// over the articles it would make again the same (an incremental session only; in
    /// other sessions the site is dropped).
    pub fn recycle(&self, site: RenderedSite) {
        if let Caches::Memory { recycled, .. } = &self.caches {
            *recycled.lock().unwrap_or_else(|e| e.into_inner()) = Some(Recycled::new(site));
        }
    }

    /// The map of the Markdown files of `content` that links may point at: in an
    /// incremental session, the last build's while none of those files moved.
    pub(super) fn link_map(&self, content: &Content, urls: &Urls) -> Arc<LinkMap> {
        match &self.caches {
            Caches::Memory { links, .. } => links.get(content, urls),
            _ => Arc::new(link_map(content, urls)),
        }
    }

    /// The paths the last build that succeeded wrote (none before the first): in an
    /// incremental session, the paths of its output as it stands.
    pub fn paths_written(&self) -> Arc<WrittenPaths> {
        Arc::clone(&self.paths_written.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Records the paths a build wrote, once it has succeeded.
    pub(super) fn wrote_paths(&self, paths: Arc<WrittenPaths>) {
        *self.paths_written.lock().unwrap_or_else(|e| e.into_inner()) = paths;
    }

    /// The articles handed back by [`recycle`](Self::recycle) since the last build.
    pub(super) fn recycled(&self) -> Option<Recycled> {
        match &self.caches {
            Caches::Memory { recycled, .. } => {
                recycled.lock().unwrap_or_else(|e| e.into_inner()).take()
            }
            _ => None,
        }
    }

    /// Each article's parts of the site-wide files made by the last build (in an
    /// incremental session).
    pub(super) fn parts(&self) -> Option<&SiteParts> {
        match &self.caches {
            Caches::Memory { parts, .. } => Some(parts),
            _ => None,
        }
    }

    /// Whether the session builds again in this process (`serve`), reusing what this
    /// build leaves in memory.
    pub(super) fn builds_again(&self) -> bool {
        matches!(self.caches, Caches::Memory { .. })
    }

    /// Documents (or outlines) of earlier builds.
    pub(super) fn documents(&self) -> Option<&DocumentCache> {
        match &self.caches {
            Caches::None => None,
            Caches::Disk { outlines, .. } => Some(outlines),
            Caches::Memory { documents, .. } => Some(documents),
        }
    }

    /// The fingerprints of the pages of the last good build, when the session keeps
    /// pages.
    pub(super) fn page_fingerprints(&self) -> Option<&PageFingerprints> {
        match &self.caches {
            Caches::None => None,
            Caches::Disk { pages, .. } | Caches::Memory { pages, .. } => Some(pages),
        }
    }

    /// Where drawn social cards are kept (by the build's on-disk cache only: in memory,
    /// unchanged cards are kept by their fingerprints alone).
    pub(super) fn card_store(&self) -> Option<&CardStore> {
        match &self.caches {
            Caches::Disk { cards, .. } => Some(cards),
            _ => None,
        }
    }

    /// Runs `update` on the search cache of the session (read from the cache folder the
    /// first time); a session that keeps nothing starts from an empty one every build.
    pub(super) fn with_search<T>(&self, update: impl FnOnce(&mut SearchCache) -> T) -> T {
        let mut search = self.search.lock().unwrap_or_else(|e| e.into_inner());
        let cache = search.get_or_insert_with(|| match &self.caches {
            Caches::Disk { dir, .. } => {
                let mut cache = load(&dir.join(SEARCH_FILE)).unwrap_or_else(SearchCache::default);
                let path = dir.join(SEARCH_DOCUMENTS_FILE);
                cache.load_documents = Some(Box::new(move || load(&path).unwrap_or_default()));
                cache.keeps = Keeps::Documents;
                cache
            }
            Caches::Memory { .. } => SearchCache::keeping(Keeps::Everything),
            Caches::None => SearchCache::default(),
        });
        cache.changed = false;
        let result = update(cache);
        if cache.changed {
            self.search_changed.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        if matches!(self.caches, Caches::None) {
            *search = None;
        }
        result
    }

    /// The index of `site`: the last one made when its [`index_key`] is the same (in an
    /// incremental session), else made now.
    pub(super) fn index(&self, site: &RenderedSite, catalog: &Catalog) -> Arc<SiteIndex> {
        let Caches::Memory { index: last, .. } = &self.caches else {
            return Arc::new(index_site(site, catalog));
        };
        let key = index_key(site, catalog);
        let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
        match last.as_ref() {
            Some((last_key, index)) if *last_key == key => Arc::clone(index),
            _ => {
                let index = Arc::new(index_site(site, catalog));
                *last = Some((key, Arc::clone(&index)));
                index
            }
        }
    }

    /// The highlighter, once loaded.
    pub(super) fn highlighter(&self) -> Option<&Highlighter> {
        self.highlighter.as_ref()
    }

    /// Loads the highlighter for these code themes, unless it is already loaded.
    pub(super) fn load_highlighter(&mut self, light: &str, dark: &str) -> Result<(), String> {
        let reuse = self.highlighter.as_ref().is_some_and(|h| h.themes() == (light, dark));
        if !reuse {
            let mut highlighter = Highlighter::new(light, dark)?;
            match &self.caches {
                Caches::None => {}
                Caches::Disk { dir, .. } => {
                    highlighter.keep_in(CodeStore::on_disk(dir, &format!("{light} {dark}")))
                }
                Caches::Memory { .. } => highlighter.keep_in(CodeStore::memory()),
            }
            self.highlighter = Some(highlighter);
        }
        Ok(())
    }

    /// A build succeeded with these page fingerprints: the next compares with them. In
    /// memory, the image copies it did not use are dropped (on disk, once it is saved).
    pub(super) fn built(&mut self, fingerprints: PageFingerprints) {
        if let Caches::Memory { .. } = &self.caches {
            self.variants.prune();
        }
        if let Caches::Disk { pages, .. } | Caches::Memory { pages, .. } = &mut self.caches {
            *pages = fingerprints;
        }
        // The bundle's files are in the output now.
        if let Some(search) = self.search.get_mut().unwrap_or_else(|e| e.into_inner()).as_mut() {
            search.unconfirmed = false;
        }
    }

    /// Writes the highlight cache, the page fingerprints and the outlines of `site`'s
    /// articles, and drops the image copies and social cards the build did not use,
    /// when the session has a cache folder. Only a build that succeeded is saved.
    pub fn save(&self, site: &RenderedSite) {
        let Caches::Disk { dir, output, outlines, pages, cards, .. } = &self.caches else {
            return;
        };
        self.variants.prune();
        cards.save();
        if let Some(highlighter) = &self.highlighter {
            // The blocks of kept pages were not looked up, and must stay all the same.
            let blocks = site.articles.iter().flat_map(|a| a.body.code_keys.iter().copied());
            highlighter.store().still_used(blocks);
            highlighter.store().save();
        }
        pages.save(&dir.join(PAGES_FILE), output);
        if self.search_changed.swap(false, std::sync::atomic::Ordering::Relaxed) {
            let search = self.search.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(search) = search.as_ref() {
                save(&dir.join(SEARCH_FILE), search);
                if let Some(documents) = &search.documents {
                    save(&dir.join(SEARCH_DOCUMENTS_FILE), documents);
                }
            }
        }
        DocumentCache::save_outlines(
            &dir.join(OUTLINES_FILE),
            site.articles.iter().map(|a| (a.key, &*a.body)),
            Some(outlines),
        );
    }
}

/// The first line of the search cache file: what made it.
fn search_header() -> String {
    format!("verdict-search 2 {}\n", crate::cache::file::MADE_BY)
}

/// A search cache file in `path`, if it was written by this very binary.
fn load<T: serde::de::DeserializeOwned>(path: &Path) -> Option<T> {
    let bytes = crate::cache::file::read(path)?;
    let header = search_header();
    let body = bytes.strip_prefix(header.as_bytes())?;
    postcard::from_bytes(body).ok()
}

/// Writes a search cache file to `path`.
fn save<T: serde::Serialize>(path: &Path, search: &T) {
    let Ok(body) = postcard::to_stdvec(search) else { return };
    crate::cache::file::replace(path, |out| {
        use std::io::Write;
        out.write_all(search_header().as_bytes())?;
        out.write_all(&body)
    });
}

/// Removes the temporary files (`*.tmp`) that builds killed while writing the cache left
/// in it. A build running at the same time keeps the files it has open (on Unix), and at
/// worst saves no cache.
fn clean_cache_leftovers(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.filter_map(Result::ok) {
        if entry.file_name().to_string_lossy().ends_with(".tmp") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
