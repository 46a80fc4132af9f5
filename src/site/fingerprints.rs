//! Page fingerprints: what a page is made from, as one hash, so that a build keeps a
//! page the last build made from the same inputs. A page made of articles and authors is
//! fingerprinted from their [`Digests`] without building its view; any other page from
//! its whole template context. `tests/suite/fingerprints.rs` edits every field a view
//! shows and checks that the pages showing it are rendered again.

use std::path::{Path, PathBuf};

use std::hash::Hash;

use serde::Serialize;
use xxhash_rust::xxh3::Xxh3;

use rustc_hash::FxHashMap;

use crate::error::Diagnostic;
use crate::images::SiteImages;
use crate::site::article_digests::author_key;
use crate::site::feeds::FeedSpec;
use crate::site::outlines::{RenderedArticle, RenderedSite};
use crate::templates::*;

use crate::cache::pages::PageFingerprints;
use crate::site::write::Output;

/// Feeds serialized bytes into a hash.
pub(super) struct HashWriter(Xxh3);

impl Default for HashWriter {
    fn default() -> Self {
        HashWriter(Xxh3::new())
    }
}

impl HashWriter {
    /// The hash of what was written.
    pub(super) fn digest(&self) -> u128 {
        self.0.digest128()
    }
}

/// Text formatted into the hash, without a `String` made of it (the digests hash every
/// article's `Debug` text, every build).
impl std::fmt::Write for HashWriter {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.update(s.as_bytes());
        Ok(())
    }
}

/// The hash of `args` formatted, then of `extra`: the same as hashing the formatted text
/// and then `extra`.
pub(super) fn hash_formatted(args: std::fmt::Arguments<'_>, extra: &[u128]) -> u128 {
    let mut hasher = HashWriter::default();
    let _ = std::fmt::Write::write_fmt(&mut hasher, args);
    for x in extra {
        hasher.0.update(&x.to_le_bytes());
    }
    hasher.digest()
}

impl std::io::Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What each article and author looks like to the pages that show them, as hashes: a
/// page made only of articles and authors is unchanged when their digests are, and its
/// view need not even be built to tell. The articles' own parts were made when they were
/// outlined ([`ArticleDigests`](crate::site::article_digests::ArticleDigests)): making
/// these reads no article.
#[derive(Default)]
pub(super) struct Digests {
    /// By article: the article as loaded and outlined (every field but the contenders'
    /// facts, which its page hashes itself; the body through its outline's key).
    pub(super) articles: Vec<u128>,
    /// By article: the article (its digest) and its author, as a feed entry shows it.
    pub(super) entries: Vec<u128>,
    /// By article: what a summary card shows of it and of its author. The body counts
    /// through its words and callouts only, so that an edit of prose leaves the lists
    /// of articles as they were unless their counts change.
    pub(super) summaries: Vec<u128>,
    /// By author id ([`author_key`]): the author, bio and article count.
    pub(super) authors: FxHashMap<u64, u128>,
    /// By article: the sizes and copies of the images its body shows, which its page and
    /// the feeds that carry it write into the body.
    pub(super) images: Vec<u128>,
}

impl Digests {
    pub(super) fn new(
        site: &RenderedSite,
        by_author: &FxHashMap<u64, Vec<usize>>,
        images: &SiteImages,
    ) -> Digests {
        let authors: FxHashMap<u64, u128> = site
            .authors
            .iter()
            .map(|a| {
                let key = author_key(&a.author.id);
                let count = by_author.get(&key).map_or(0, Vec::len) as u128;
                (key, hash_formatted(format_args!("{a:?}"), &[count]))
            })
            .collect();
        let author = |a: &RenderedArticle| authors.get(&a.digests.author).copied();
        let hash = |article: u128, author: Option<u128>| {
            let mut hasher = Xxh3::new();
            (article, author).hash(&mut hasher);
            hasher.digest128()
        };
        let articles = site.articles.iter().map(|a| a.digests.page).collect();
        let summaries = site.articles.iter().map(|a| hash(a.digests.summary, author(a))).collect();
        let entries = site.articles.iter().map(|a| hash(a.digests.page, author(a))).collect();
        // A body without images: its digest is the same for every article.
        let no_images = images.digest(std::iter::empty(), "");
        let images = site
            .articles
            .iter()
            .map(|a| match a.digests.images {
                true => images.digest(a.body.images.iter().map(|i| i.text.as_str()), &a.url),
                false => no_images,
            })
            .collect();
        Digests { articles, entries, summaries, authors, images }
    }
}

/// Whether a page is unchanged since the last build: its fingerprint against the last
/// build's, for an output that can keep the page.
pub(super) struct Fingerprinter<'a> {
    /// The last build's fingerprints; none when pages are not compared.
    pub(super) previous: Option<&'a PageFingerprints>,
    /// A hash of what every page depends on (settings, templates, links).
    pub(super) salt: u128,
    /// Where the pages go, which says whether it can keep one.
    pub(super) output: &'a dyn Output,
}

impl Fingerprinter<'_> {
    /// Renders `name` with `context`, unless the last build made this very page from the
    /// very same template context; records the page's fingerprint in `fingerprint`.
    pub(super) fn emit<T: Serialize>(
        &self,
        templates: &Templates,
        name: &str,
        context: &T,
        rel: &str,
        fingerprint: &mut Option<(String, u128)>,
    ) -> Result<Option<String>, Diagnostic> {
        if self.unchanged(name, context, rel, fingerprint) {
            return Ok(None);
        }
        templates.render(name, context).map(Some)
    }

    /// Whether the last build made this very page (same template, same context) and the
    /// output could keep it.
    pub(super) fn unchanged<T: Serialize>(
        &self,
        name: &str,
        context: &T,
        rel: &str,
        fingerprint: &mut Option<(String, u128)>,
    ) -> bool {
        if self.previous.is_none() {
            return false;
        }
        let mut hasher = HashWriter(Xxh3::new());
        hasher.0.update(&self.salt.to_le_bytes());
        hasher.0.update(name.as_bytes());
        // CBOR rather than JSON: strings go in as they are, without escaping.
        if ciborium::into_writer(context, &mut hasher).is_err() {
            return false;
        }
        self.same_as_before(hasher.0.digest128(), rel, fingerprint)
    }

    /// Whether the page `name` at `rel`, made from what `inputs` hashes (and the
    /// site-wide salt), is unchanged since the last build and the output could keep it.
    pub(super) fn unchanged_inputs(
        &self,
        name: &str,
        rel: &str,
        inputs: impl IntoIterator<Item = u128>,
        fingerprint: &mut Option<(String, u128)>,
    ) -> bool {
        let mut hasher = Xxh3::new();
        hasher.update(&self.salt.to_le_bytes());
        hasher.update(b"inputs\0");
        hasher.update(name.as_bytes());
        hasher.update(&[0]);
        for input in inputs {
            hasher.update(&input.to_le_bytes());
        }
        self.same_as_before(hasher.digest128(), rel, fingerprint)
    }

    /// The fingerprint of `feed` (its title, page and each entry's article and author),
    /// with its output path; none when pages are not compared.
    pub(super) fn feed_fingerprint(
        &self,
        feed: &FeedSpec,
        digests: &Digests,
    ) -> Option<(String, u128)> {
        self.previous?;
        let mut hasher = Xxh3::new();
        hasher.update(&self.salt.to_le_bytes());
        hasher
            .update(format!("feed\0{}\0{}\0{}\0", feed.title, feed.subtitle, feed.page).as_bytes());
        for &i in &feed.articles {
            hasher.update(&digests.entries[i].to_le_bytes());
            hasher.update(&digests.images[i].to_le_bytes());
        }
        Some((feed.rel.clone(), hasher.digest128()))
    }

    /// When `feed` is unchanged since the last build and the output kept it: its path
    /// and fingerprint.
    pub(super) fn kept_feed(&self, feed: &FeedSpec, digests: &Digests) -> Option<(String, u128)> {
        let (rel, fingerprint) = self.feed_fingerprint(feed, digests)?;
        let mut record = None;
        self.same_as_before(fingerprint, &rel, &mut record).then_some((rel, fingerprint))
    }

    /// Records `fingerprint` for `rel`; whether it is the one of the last build and the
    /// output kept the page.
    pub(super) fn same_as_before(
        &self,
        fingerprint: u128,
        rel: &str,
        record: &mut Option<(String, u128)>,
    ) -> bool {
        let Some(previous) = self.previous else { return false };
        *record = Some((rel.to_string(), fingerprint));
        // A page's folder (`tags/x/`, or `` for the home page), or a file (`404.html`,
        // `tags/x/feed.xml`, `rust-vs-go/social-card.png`).
        let path = if rel.is_empty() || rel.ends_with('/') {
            Path::new(rel).join("index.html")
        } else {
            PathBuf::from(rel)
        };
        match previous.get(rel) {
            Some((before, identity)) if before == fingerprint => {
                self.output.keep(&path, identity, fingerprint)
            }
            _ => false,
        }
    }
}
