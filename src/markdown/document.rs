//! What rendering a Markdown document gives: its HTML and its outline (headings,
//! callouts, choose-if blocks, links, words), and what it is rendered from.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::cache::generations::Generations;
use crate::content::article::Contender;
use crate::error::Diagnostic;
use crate::markdown::callouts::Outcome;
use crate::markdown::highlight::Highlighter;
use crate::markdown::links::LinkMap;

/// How much of a document to produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Everything but the body's HTML: headings, callouts, choose-if blocks, links, words.
    /// Cheap (no highlighting), so a build can index every article first and render each
    /// body only when its page is written, keeping memory flat however large the site.
    Outline,
    /// The outline and the body's HTML, with highlighted code.
    Full,
}

/// One Markdown document to render.
pub struct Source<'a> {
    /// File, relative to the site root.
    pub path: &'a Path,
    /// The Markdown.
    pub body: &'a str,
    /// File line on which `body` starts.
    pub body_line: usize,
    /// The article's contenders; empty for pages and bios, which have no callouts.
    pub contenders: &'a [Contender],
}

/// A heading in the table of contents.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TocEntry {
    /// 2 or 3.
    pub level: u8,
    /// The heading's id.
    pub id: String,
    /// The heading's plain text.
    pub title: String,
    /// `###` headings under a `##` heading.
    pub children: Vec<TocEntry>,
}

/// A winner callout found in an article.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Callout {
    /// The criterion: the nearest `##` heading's text, or `Overall`.
    pub criterion: String,
    /// Id of that heading.
    pub anchor: Option<String>,
    /// Indices into the article's contenders.
    pub winners: Vec<usize>,
    /// Win, split or tie.
    pub outcome: Outcome,
    /// Whether the winners were named in bold.
    pub explicit: bool,
    /// Contenders named only after a comparison or concession marker, with the marker.
    pub dropped: Vec<(usize, String)>,
    /// The callout's text as HTML, without the label.
    pub html: String,
    /// The callout's plain text, without the label.
    pub text: String,
    /// File line of the callout.
    pub line: usize,
}

/// A "Choose X if" block.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ChooseIf {
    /// Index into the article's contenders.
    pub contender: usize,
    /// One HTML fragment per list item.
    pub reasons: Vec<String>,
    /// Id of the paragraph that opens it in the body, when the writer placed it there
    /// (`Choose Rust if:` as a paragraph); none when it was a heading, which leaves the
    /// body for the quick verdict.
    pub anchor: Option<String>,
}

/// A link to another document's `#anchor`, checked once every document is rendered.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AnchorLink {
    /// The target document, relative to the site root.
    pub target: PathBuf,
    /// The fragment.
    pub anchor: String,
    /// File line of the link.
    pub line: usize,
    /// Column of the link.
    pub column: usize,
}

/// Something a document names at a place of its file: an image's path, or the name of
/// a "Choose X if" heading or paragraph (whether or not it is a contender).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Placed {
    /// The image path, or the name, as written.
    pub text: String,
    /// File line.
    pub line: usize,
    /// Column.
    pub column: usize,
}

/// A rendered document.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Rendered {
    /// The body as HTML.
    pub html: String,
    /// `##` and `###` headings.
    pub toc: Vec<TocEntry>,
    /// Every heading id, for anchor checks.
    pub heading_ids: Vec<String>,
    /// Winner callouts, in order.
    pub callouts: Vec<Callout>,
    /// "Choose X if" blocks, in order.
    pub choose_if: Vec<ChooseIf>,
    /// Words of prose (code blocks excluded).
    pub word_count: usize,
    /// Plain text of the first ordinary paragraph.
    pub first_paragraph: String,
    /// Links to anchors of other documents.
    pub anchor_links: Vec<AnchorLink>,
    /// Every image, for `check` to find those the output lacks.
    pub images: Vec<Placed>,
    /// Root-relative links and links to absolute URLs, as written: those that lead into
    /// the site are checked against what the build writes.
    pub site_links: Vec<Placed>,
    /// The name of every "Choose X if" `##`/`###` heading or top-level paragraph, for
    /// `check` to find those that name no contender.
    pub choose_if_names: Vec<Placed>,
    /// The highlight cache key of each code block, so that a build which keeps the page
    /// keeps its blocks in the cache too.
    pub code_keys: Vec<u128>,
    /// Problems found (broken links). Documents with problems are never cached on disk.
    #[serde(skip)]
    pub errors: Vec<Diagnostic>,
}

impl Rendered {
    /// Gives back the room its lists and strings were left with by growing.
    pub fn shrink_to_fit(&mut self) {
        fn toc(entries: &mut Vec<TocEntry>) {
            entries.shrink_to_fit();
            for entry in entries {
                entry.id.shrink_to_fit();
                entry.title.shrink_to_fit();
                toc(&mut entry.children);
            }
        }
        toc(&mut self.toc);
        self.heading_ids.shrink_to_fit();
        self.heading_ids.iter_mut().for_each(String::shrink_to_fit);
        self.callouts.shrink_to_fit();
        for callout in &mut self.callouts {
            callout.criterion.shrink_to_fit();
            callout.html.shrink_to_fit();
            callout.text.shrink_to_fit();
        }
        self.choose_if.shrink_to_fit();
        self.first_paragraph.shrink_to_fit();
        self.anchor_links.shrink_to_fit();
        self.images.shrink_to_fit();
        self.site_links.shrink_to_fit();
        self.choose_if_names.shrink_to_fit();
        self.code_keys.shrink_to_fit();
    }
}

/// What every document of a build is rendered with.
pub struct Env<'a> {
    /// Syntaxes and code themes.
    pub highlighter: &'a Highlighter,
    /// Where `.md` links point.
    pub links: &'a LinkMap,
    /// Word opening a winner callout.
    pub winner_label: &'a str,
    /// Words after which a contender named in a callout is not a winner.
    pub markers: &'a [String],
    /// Documents rendered by earlier builds of the same process (`serve`).
    pub documents: Option<&'a DocumentCache>,
}

/// Rendered documents by a hash of everything their HTML depends on, kept between the
/// builds of one process so that `serve` re-renders only what changed, or between runs
/// (outlines only) in the site's cache folder.
#[derive(Debug, Default)]
pub struct DocumentCache {
    documents: Generations<Arc<Rendered>>,
    /// Loaded from a file: entries are handed over rather than copied, and nothing is
    /// added (the build saves the outlines it ends up with).
    loaded: bool,
    /// The keys the file held, in order: a build that ends up with the same outlines
    /// need not write them again.
    file_keys: Vec<u128>,
}

/// First line of the outline cache file; a file from another version is ignored.
fn outlines_header() -> String {
    format!("verdict-outlines 3 {}\n", crate::cache::file::MADE_BY)
}

impl DocumentCache {
    /// The outlines saved by [`save_outlines`](Self::save_outlines) in `file`; a missing,
    /// damaged or outdated file gives an empty cache.
    pub fn load_outlines(file: &Path) -> DocumentCache {
        let entries = crate::cache::file::read(file).and_then(|bytes| {
            let rest = bytes.strip_prefix(outlines_header().as_bytes())?;
            // A hash of the outlines follows the header: a damaged file is not used.
            let (hash, body) = rest.split_first_chunk::<8>()?;
            if u64::from_le_bytes(*hash) != xxhash_rust::xxh3::xxh3_64(body) {
                return None;
            }
            postcard::from_bytes::<Vec<(u128, Rendered)>>(body).ok()
        });
        let entries = entries.unwrap_or_default();
        let file_keys = entries.iter().map(|(k, _)| *k).collect();
        let entries = entries.into_iter().map(|(k, r)| (k, Arc::new(r)));
        DocumentCache { documents: Generations::from_previous(entries), loaded: true, file_keys }
    }

    /// Writes `outlines` to `file` (aside, then renamed), for
    /// [`load_outlines`](Self::load_outlines) in the next run; not when the file loaded
    /// into `loaded` holds these very outlines. A key is a hash of everything its outline
    /// depends on, so the same keys in the same order are the same file.
    pub fn save_outlines<'r>(
        file: &Path,
        outlines: impl Iterator<Item = (u128, &'r Rendered)>,
        loaded: Option<&DocumentCache>,
    ) {
        let entries: Vec<(u128, &Rendered)> =
            outlines.filter(|(_, r)| r.errors.is_empty() && r.html.is_empty()).collect();
        let file_keys = loaded.map(|c| c.file_keys.as_slice()).unwrap_or_default();
        if !entries.is_empty()
            && entries.len() == file_keys.len()
            && entries.iter().zip(file_keys).all(|((key, _), old)| key == old)
            && file.exists()
        {
            return;
        }
        let Ok(body) = postcard::to_allocvec(&entries) else { return };
        let hash = xxhash_rust::xxh3::xxh3_64(&body).to_le_bytes();
        crate::cache::file::replace(file, |out| {
            out.write_all(outlines_header().as_bytes())?;
            out.write_all(&hash)?;
            out.write_all(&body)
        });
    }

    /// Starts a build: entries not used by it are dropped at the next start.
    pub fn start_build(&self) {
        self.documents.start_build();
    }

    /// The document rendered under `key`, if any.
    pub fn get(&self, key: u128) -> Option<Arc<Rendered>> {
        if self.loaded { self.documents.take(key) } else { self.documents.get(key) }
    }

    /// Whether the cache holds a document under `key`, which this build uses as it
    /// already has it (see [`Generations::touch`](crate::cache::generations::Generations::touch));
    /// never in a cache loaded from a file, whose documents are taken once.
    pub fn touch(&self, key: u128) -> bool {
        !self.loaded && self.documents.touch(key)
    }

    /// Whether [`insert`](Self::insert) keeps documents: not in a cache loaded from a
    /// file.
    pub fn keeps_documents(&self) -> bool {
        !self.loaded
    }

    /// Keeps `rendered` under `key` (not in a cache loaded from a file).
    pub fn insert(&self, key: u128, rendered: Arc<Rendered>) {
        if !self.loaded {
            self.documents.insert(key, rendered);
        }
    }
}
