//! The full-text search index under `/search/`, split so that a query downloads only
//! the shards of its words and the records of the results it shows.
//!
//! Each article has a search document ([`SearchDoc`]): its record (title, URL,
//! contenders and the body's prose by section, for the result and its excerpt) and its
//! terms: every stem of its title (weight 10), contenders and aliases (9), `##` and
//! `###` headings (6 and 5), tags (5) and prose, callouts included (1), with the words
//! it was written as. Code blocks are left out.
//!
//! The bundle ([`bundle`]): `meta.json` (the version, the number of documents, the shard
//! keys), `t/<key>.json` (the shards, see `fulltext/shards.rs`) and `d/<n>.json` (one record per
//! document). Documents are numbered in the site's order (newest first), so the lower
//! number wins a tie. The script fetches `meta.json` afresh and every other file with
//! `?v=` and the version, a hash of the whole bundle, so a redeploy is never read half
//! old, half new.
//!
//! Documents are kept by key ([`document_key`]) in the session's [`SearchCache`]: an
//! edit re-reads one article, and files whose bytes did not change are kept from the
//! last output rather than written again.

mod posting_list;
mod shards;
mod text;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use crate::error::{Diagnostic, Error};
use crate::site::outlines::{RenderedArticle, RenderedSite};
use crate::site::scratch::{Scratch, Slot};
use crate::site::write::Output;

/// The output folder of the bundle.
pub const BUNDLE_DIR: &str = super::SEARCH_BUNDLE_DIR;

/// The bundle's manifest, relative to [`BUNDLE_DIR`].
pub const META_FILE: &str = "meta.json";

/// The version of the bundle's format, in `meta.json`.
const FORMAT: u32 = 1;

/// One stem of a document, as read from [`SearchDoc::terms`].
pub struct Term<'a> {
    /// The stem (the word itself where the language has no stemmer).
    pub stem: &'a str,
    /// Best field weight × 8 + occurrences (at most 7).
    pub score: u8,
    /// The words of the document with this stem, lower-cased, separated by spaces.
    pub surfaces: &'a str,
}

/// An article's search document.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct SearchDoc {
    /// The JSON of its record, `d/<n>.json`, until it is written (then empty: records
    /// are not held for the whole build, nor kept in the cache).
    #[serde(skip)]
    pub record: String,
    /// A hash of the record's bytes.
    pub record_hash: u64,
    /// Its stems, sorted, one a line: the stem, the score and the words written with it,
    /// separated by spaces (words have none). One string per document, not a `String`
    /// per word: at 10,000 articles that is hundreds of MiB less.
    pub terms: String,
    /// Where `terms` wait in the build's scratch file, put aside by [`spill`] (then
    /// `terms` is empty) until the bundle reads them.
    #[serde(skip)]
    pub spilled: Option<Slot>,
}

/// Puts `doc`'s stems aside in `scratch`, when the build has one: the stems of every
/// article would otherwise be held from its page until the bundle (60 MiB at 10,000).
pub fn spill(mut doc: SearchDoc, scratch: Option<&Scratch>) -> SearchDoc {
    let slot = scratch.filter(|_| !doc.terms.is_empty()).and_then(|s| s.put(&doc.terms));
    if slot.is_some() {
        doc.terms = String::new();
        doc.spilled = slot;
    }
    doc
}

impl SearchDoc {
    /// Whether the document is its record only, its stems neither here nor put aside.
    fn record_only(&self) -> bool {
        self.terms.is_empty() && self.spilled.is_none()
    }

    /// The document's stems.
    pub fn terms(&self) -> impl Iterator<Item = Term<'_>> {
        self.terms.lines().filter_map(|line| {
            let mut parts = line.splitn(3, ' ');
            let stem = parts.next()?;
            let score = parts.next()?.parse().ok()?;
            Some(Term { stem, score, surfaces: parts.next().unwrap_or(stem) })
        })
    }
}

/// What the script shows of a result.
#[derive(Serialize)]
struct Record<'a> {
    /// Title.
    t: &'a str,
    /// URL.
    u: &'a str,
    /// Contenders, joined with ` · `.
    c: String,
    /// Sections: heading id, heading and prose.
    s: Vec<(String, String, String)>,
}

/// A bundle file as last written: a hash of its bytes and the output's identity of it.
pub type FileState = (u64, Option<u64>);

/// The search documents and what the last bundle was made of, kept by a session.
///
/// The documents are a file of their own (`search-documents.bin`), read only
/// when the bundle has to be made again: a build where no article changed reads just the
/// list of files.
#[derive(Default, Serialize, Deserialize)]
pub struct SearchCache {
    /// A hash of every document's key, in order, of the last bundle.
    pub bundle_key: u128,
    /// Search documents by [`document_key`], once read.
    #[serde(skip)]
    pub documents: Option<HashMap<u128, SearchDoc>>,
    /// Reads the documents kept by the last build (an empty map when there are none).
    #[serde(skip)]
    pub load_documents: Option<Box<dyn FnOnce() -> HashMap<u128, SearchDoc> + Send>>,
    /// The bundle's files last written (relative to [`BUNDLE_DIR`]): a hash of their
    /// bytes and the output's identity of the file.
    pub files: HashMap<String, FileState>,
    /// The keys of the documents in `documents` (or in the file they are read from), so
    /// that pages can tell which documents need no stems made without reading them.
    pub keys: FxHashSet<u128>,
    /// Whether the last [`bundle`] changed the cache (so that it is saved).
    #[serde(skip)]
    pub changed: bool,
    /// Whether the last bundle's files went to a build that has not succeeded (yet): the
    /// output may not hold them, so the next bundle keeps none of them.
    #[serde(skip)]
    pub unconfirmed: bool,
    /// The last bundle's postings, for the next bundle of the session.
    #[serde(skip)]
    postings: shards::Postings,
    /// What the cache holds on to after a bundle.
    #[serde(skip)]
    pub keeps: Keeps,
}

/// What a [`SearchCache`] holds on to after a bundle, for those after it. A bundle made
/// for no other lets go of each part as soon as it is done with it, so that a large
/// site's stems, postings and shards are not all held at once.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Keeps {
    /// Nothing: the cache goes with the build (`--no-cache`).
    #[default]
    Nothing,
    /// The documents, saved in the cache folder for the next run.
    Documents,
    /// The documents and the postings, for the next bundle of the same process (`serve`).
    Everything,
}

impl SearchCache {
    /// An empty cache that holds on to `keeps`.
    pub fn keeping(keeps: Keeps) -> SearchCache {
        SearchCache { keeps, ..SearchCache::default() }
    }

    /// The documents, read on first use.
    fn documents(&mut self) -> &mut HashMap<u128, SearchDoc> {
        if self.documents.is_none() {
            let load = self.load_documents.take();
            self.documents = Some(load.map(|load| load()).unwrap_or_default());
        }
        self.documents.get_or_insert_with(HashMap::new)
    }
}

/// What a search document depends on: the body (the outline's key, which covers every
/// input of the body's HTML), title, URL, contenders with their aliases and tags (made
/// once with the article's digests) and the site's language.
pub fn document_key(a: &RenderedArticle, language: &str) -> u128 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(&FORMAT.to_le_bytes());
    hasher.update(&a.digests.search.to_le_bytes());
    hasher.update(language.as_bytes());
    hasher.digest128()
}

/// The search document of `a`, whose body renders to `body_html`, in `language`.
pub fn search_document(a: &RenderedArticle, body_html: &str, language: &str) -> SearchDoc {
    let sections = text::sections(body_html);
    let stemmer = text::stemmer(language);
    // word → (best weight, occurrences); each distinct word is stemmed once, after
    let mut words: FxHashMap<String, (u8, u32)> = FxHashMap::default();
    let mut add = |text: &str, weight: u8| {
        for word in text::words(text) {
            // A word seen before is counted without a copy of it.
            let entry = match words.get_mut(word.as_ref()) {
                Some(entry) => entry,
                None => words.entry(word.into_owned()).or_insert((0, 0)),
            };
            entry.0 = entry.0.max(weight);
            entry.1 += 1;
        }
    };
    add(&a.article.title, 10);
    for c in &a.article.contenders {
        add(&c.name, 9);
        for alias in &c.aliases {
            add(alias, 9);
        }
    }
    for tag in &a.article.tags {
        add(tag, 5);
    }
    for s in &sections {
        add(&s.heading, if s.level == 3 { 5 } else { 6 });
        add(&s.text, 1);
    }
    // stem → (best weight, occurrences, surfaces)
    let mut terms: FxHashMap<String, (u8, u32, Vec<String>)> = FxHashMap::default();
    for (word, (weight, count)) in words {
        let stem = match &stemmer {
            Some(s) => text::stem(s, language, &word),
            None => word.clone(),
        };
        let entry = terms.entry(stem).or_insert((0, 0, Vec::new()));
        entry.0 = entry.0.max(weight);
        entry.1 += count;
        entry.2.push(word);
    }
    let mut terms: Vec<_> = terms.into_iter().collect();
    terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut packed = String::new();
    for (stem, (weight, count, mut surfaces)) in terms {
        surfaces.sort_unstable();
        let score = weight * 8 + count.min(7) as u8;
        let _ = write!(packed, "{stem} {score}");
        for surface in &surfaces {
            packed.push(' ');
            packed.push_str(surface);
        }
        packed.push('\n');
    }
    // Held for every article until the bundle: no room left over from growing.
    packed.shrink_to_fit();
    SearchDoc { terms: packed, ..record(a, sections) }
}

/// The search document of `a` without its stems (`terms` empty), for an article whose
/// stems the cache holds: its record only.
pub fn search_record(a: &RenderedArticle, body_html: &str) -> SearchDoc {
    record(a, text::sections(body_html))
}

fn record(a: &RenderedArticle, sections: Vec<text::Section>) -> SearchDoc {
    let names: Vec<&str> = a.article.contenders.iter().map(|c| c.name.as_str()).collect();
    let record = Record {
        t: &a.article.title,
        u: &a.url,
        c: names.join(" · "),
        s: sections.into_iter().map(|s| (s.id, s.heading, s.text)).collect(),
    };
    let record = serde_json::to_string(&record).unwrap_or_default();
    SearchDoc {
        record_hash: xxhash_rust::xxh3::xxh3_64(record.as_bytes()),
        record,
        ..SearchDoc::default()
    }
}

/// The path of document `n`'s record in the output.
pub fn record_path(n: usize) -> PathBuf {
    output_path(&format!("d/{n}.json"))
}

/// Writes the bundle for `site` to `output`: documents from `rendered` (those the pages
/// rendered, by article index, whose records they wrote), else from `cache`, else
/// `render` makes them from the body's HTML (and records whose document moved). `cache` is left holding this build's documents and files.
pub fn bundle(
    site: &RenderedSite,
    language: &str,
    mut rendered: HashMap<usize, SearchDoc>,
    cache: &mut SearchCache,
    output: &dyn Output,
    scratch: Option<&Scratch>,
    render: impl Fn(&RenderedArticle) -> Result<String, Diagnostic> + Sync,
) -> Result<(), Error> {
    use rayon::prelude::*;
    if std::mem::replace(&mut cache.unconfirmed, true) {
        // A build that failed after its bundle: its files were thrown away with its
        // output. Its documents and postings are good (made from the content).
        cache.files.clear();
        cache.bundle_key = 0;
    }
    let keys: Vec<u128> = site.articles.iter().map(|a| document_key(a, language)).collect();
    let bundle_key = {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        for key in &keys {
            hasher.update(&key.to_le_bytes());
        }
        hasher.digest128()
    };
    if bundle_key == cache.bundle_key
        && !cache.files.is_empty()
        && cache.files.iter().all(|(rel, (hash, identity))| {
            output.keep(&output_path(rel), *identity, u128::from(*hash))
        })
    {
        // Files put back from the output store are other files than those the cache
        // names: the next build keeps them by their identities.
        for (rel, (_, identity)) in cache.files.iter_mut() {
            let now = output.identity(&output_path(rel));
            if now != *identity {
                *identity = now;
                cache.changed = true;
            }
        }
        return Ok(());
    }
    cache.changed = true;
    let mut by_pages = vec![false; site.articles.len()];
    rendered.keys().for_each(|&i| by_pages[i] = true);
    let held = cache.documents();
    // Pages whose stems the cache held made only their records (empty `terms`).
    let missing: Vec<usize> = (0..site.articles.len())
        .filter(|&i| (!by_pages[i] || rendered[&i].record_only()) && !held.contains_key(&keys[i]))
        .collect();
    let made: Vec<Result<(usize, SearchDoc), Diagnostic>> = missing
        .par_iter()
        .map(|&i| {
            let a = &site.articles[i];
            render(a).map(|body| (i, search_document(a, &body, language)))
        })
        .collect();
    let mut errors = Vec::new();
    for result in made {
        match result {
            Ok((i, doc)) => {
                rendered.insert(i, doc);
            }
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(Error::from(errors));
    }
    // The documents made now go in, in place; the documents of the keys no longer in the
    // site come out into `old`, where the postings find the stems of the last bundle.
    let documents = cache.documents.get_or_insert_with(HashMap::new);
    for (i, mut doc) in rendered.drain() {
        if doc.record_only() {
            let held = documents.get_mut(&keys[i]).map(|d| std::mem::take(&mut d.terms));
            doc.terms = held.unwrap_or_default();
        }
        documents.insert(keys[i], doc);
        cache.keys.insert(keys[i]);
    }
    let mut old = HashMap::new();
    if documents.len() > keys.len() {
        let current: rustc_hash::FxHashSet<u128> = keys.iter().copied().collect();
        let gone: Vec<u128> = documents.keys().filter(|k| !current.contains(k)).copied().collect();
        for key in gone {
            old.extend(documents.remove_entry(&key));
            cache.keys.remove(&key);
        }
    }
    if cache.keys.len() != documents.len() {
        cache.keys = documents.keys().copied().collect();
    }
    // The stems put aside (`spill`), or made again where the scratch file fails.
    let stems = |i: usize, doc: &mut SearchDoc| match doc.spilled.take() {
        None => Ok(std::mem::take(&mut doc.terms)),
        Some(slot) => match scratch.and_then(|s| s.get(slot)) {
            Some(terms) => Ok(terms),
            None => render(&site.articles[i])
                .map(|body| search_document(&site.articles[i], &body, language).terms),
        },
    };
    let mut errors = Vec::new();
    let mut take_stems = |i: usize, doc: &mut SearchDoc| {
        stems(i, doc).unwrap_or_else(|e| {
            errors.push(e);
            String::new()
        })
    };
    if cache.keeps == Keeps::Nothing {
        // Nothing reads the stems again: each document's go as soon as they are read.
        drop(old);
        let docs = keys.iter().enumerate().map(|(i, k)| {
            let doc = documents.get_mut(k).expect("a document for every key");
            SearchDoc { terms: take_stems(i, doc), ..SearchDoc::default() }
        });
        cache.postings.read_owned(keys.len(), docs);
    } else {
        for (i, key) in keys.iter().enumerate() {
            let doc = documents.get_mut(key).expect("a document for every key");
            if doc.spilled.is_some() {
                doc.terms = take_stems(i, doc);
            }
        }
        let docs: Vec<&SearchDoc> = keys.iter().map(|k| &documents[k]).collect();
        cache.postings.update(&keys, &docs, |k| documents.get(&k).or_else(|| old.get(&k)));
    }
    if !errors.is_empty() {
        return Err(Error::from(errors));
    }
    let docs: Vec<&SearchDoc> = keys.iter().map(|k| &documents[k]).collect();
    let stemmer = text::stemmer(language);
    let keep = cache.keeps == Keeps::Everything;
    let mut old_files = std::mem::take(&mut cache.files);
    // A file whose bytes the output holds from the last build is kept, not written again.
    let kept_from_last = |rel: &str, path: &Path, hash: u64| match old_files.get(rel) {
        Some((old_hash, identity)) if *old_hash == hash => {
            output.keep(path, *identity, u128::from(hash))
        }
        _ => false,
    };
    let write_file = |rel: &str, bytes: &[u8], hash: u64| -> Result<FileState, Error> {
        let path = output_path(rel);
        if !kept_from_last(rel, &path, hash) {
            output.write_made_from(&path, bytes, Some(hash.into()))?;
        }
        Ok((hash, output.identity(&path)))
    };
    // Shards are written as they are made (see `shards::shards`).
    let shard_files = std::sync::Mutex::new(Vec::new());
    let shards = shards::shards(&mut cache.postings, stemmer.as_ref(), keep, |shard| {
        let rel = shards::file_rel(&shard.key);
        let state = write_file(&rel, shard.json.as_bytes(), shard.hash)?;
        shard_files.lock().unwrap_or_else(|e| e.into_inner()).push((rel, state));
        Ok(())
    })?;
    let mut files = shard_files.into_inner().unwrap_or_else(|e| e.into_inner());

    let mut bundle_hasher = xxhash_rust::xxh3::Xxh3::new();
    for shard in &shards {
        bundle_hasher.update(shards::file_rel(&shard.key).as_bytes());
        bundle_hasher.update(&shard.hash.to_le_bytes());
    }
    for (n, doc) in docs.iter().enumerate() {
        bundle_hasher.update(format!("d/{n}.json").as_bytes());
        bundle_hasher.update(&doc.record_hash.to_le_bytes());
    }
    let meta = serde_json::json!({
        "format": FORMAT,
        "version": format!("{:016x}", bundle_hasher.digest()),
        "documents": docs.len(),
        "shards": shards.iter().map(|s| s.key.as_str()).collect::<Vec<_>>(),
    })
    .to_string();

    let records: Vec<Result<(String, FileState), Error>> = docs
        .par_iter()
        .enumerate()
        .map(|(n, doc)| {
            let rel = format!("d/{n}.json");
            let path = output_path(&rel);
            let hash = doc.record_hash;
            if !by_pages[n] && !kept_from_last(&rel, &path, hash) {
                if doc.record.is_empty() {
                    // Written under another number by an earlier build: made again.
                    let a = &site.articles[n];
                    let again = search_record(a, &render(a).map_err(Error::site)?);
                    output.write_made_from(&path, again.record.as_bytes(), Some(hash.into()))?;
                } else {
                    output.write_made_from(&path, doc.record.as_bytes(), Some(hash.into()))?;
                }
            }
            Ok((rel, (hash, output.identity(&path))))
        })
        .collect();
    let records: Vec<(String, FileState)> = records.into_iter().collect::<Result<_, _>>()?;
    // The manifest last: it names the shards and records written.
    let meta_hash = xxhash_rust::xxh3::xxh3_64(meta.as_bytes());
    files.push((META_FILE.to_string(), write_file(META_FILE, meta.as_bytes(), meta_hash)?));
    old_files.clear();
    old_files.extend(files.into_iter().chain(records));
    cache.files = old_files;
    for doc in documents.values_mut() {
        doc.record = String::new();
    }
    cache.bundle_key = bundle_key;
    Ok(())
}

/// The path in the output of a bundle file.
pub fn output_path(rel: &str) -> PathBuf {
    Path::new(BUNDLE_DIR).join(rel)
}
