//! The split index: every surface word of the site, grouped by its first letters into
//! shard files, each surface word with its stem and each stem with its postings.
//!
//! A shard's key is the first two letters of its words (words of one letter have their
//! own); a shard that would pass [`SHARD_BOUND`] is split by one letter more, again and
//! again. A shard is JSON: `{"w": [[word, stem number], …], "p": [[doc, score, doc,
//! score, …], …]}`, postings by stem number, document numbers as gaps from the last.
//! The reader's browser looks a typed word up among the words of its shard: no stemmer
//! runs there.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::error::Error;
use crate::site::fulltext::SearchDoc;
use crate::site::fulltext::posting_list::PostingList;
use crate::site::fulltext::text::{Forms, variants};

/// The size past which a shard is split by one letter more, in bytes of JSON (about
/// a fifth of that gzipped).
pub(super) const SHARD_BOUND: usize = 48 * 1024;

/// The keys of the shards a word can be in are at most this long.
const MAX_KEY: usize = 6;

/// A shard's file name (without `.json`) for `key`: the key itself when it is plain
/// ASCII letters and digits, else `_` and the hex of its UTF-8 bytes.
fn file_name(key: &str) -> String {
    if key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) {
        key.to_string()
    } else {
        let mut name = String::from("_");
        for b in key.bytes() {
            name.push_str(&format!("{b:02x}"));
        }
        name
    }
}

/// A shard's path within the bundle's folder, for `key`.
pub(super) fn file_rel(key: &str) -> String {
    format!("t/{}.json", file_name(key))
}

fn prefix(word: &str, chars: usize) -> &str {
    match word.char_indices().nth(chars) {
        Some((at, _)) => &word[..at],
        None => word,
    }
}

/// Postings by stem (documents in order) and the stem of every surface word, with the
/// number of documents using it.
type Collected<'a> = (FxHashMap<&'a str, PostingList>, FxHashMap<&'a str, (&'a str, u32)>);

/// The postings and surface words of `docs`, numbered from `first`.
fn collect<'a>(docs: &[&'a SearchDoc], first: usize) -> Collected<'a> {
    let mut postings: FxHashMap<&str, PostingList> = FxHashMap::default();
    let mut surfaces: FxHashMap<&str, (&str, u32)> = FxHashMap::default();
    for (i, doc) in docs.iter().enumerate() {
        let n = (first + i) as u32;
        for term in doc.terms() {
            postings.entry(term.stem).or_default().push(n, term.score);
            for surface in term.surfaces.split(' ') {
                surfaces.entry(surface).or_insert((term.stem, 0)).1 += 1;
            }
        }
    }
    (postings, surfaces)
}

/// The postings and words of the documents of the last bundle, kept by a session: the
/// next bundle updates them for the documents that changed rather than read every
/// document again.
#[derive(Default)]
pub(super) struct Postings {
    /// The key of each document of the last bundle, by number.
    keys: Vec<u128>,
    /// Postings by stem, in document order.
    by_stem: FxHashMap<String, PostingList>,
    /// The stem of every surface word, and the number of documents using it.
    surfaces: FxHashMap<String, (String, u32)>,
    /// Every word with its stem, sorted: the surfaces and their other forms ([`Forms`]);
    /// `None` once the surfaces change.
    words: Option<Vec<(String, String)>>,
    /// The JSON of each stem's postings (`[gap, score, gap, score, …]`) and the number
    /// of the bundle that made it, kept from one bundle to the next: an edit formats only
    /// the postings it changed.
    json: FxHashMap<String, (String, u64)>,
    /// The forms of each word that its stem is read from (see [`Forms`]).
    forms: Forms,
    /// The bundles made so far (see `json`).
    bundles: u64,
    /// The shards of each run of words sharing their first two letters, by a hash of the
    /// run's words and stems and of when each stem's postings were made: a run whose
    /// words and postings are unchanged is not put together again.
    runs: FxHashMap<u128, Vec<Arc<Shard>>>,
}

/// A shard of the index.
pub(super) struct Shard {
    /// Its key (see [`file_name`]).
    pub(super) key: String,
    /// Its JSON.
    pub(super) json: String,
    /// A hash of `json`.
    pub(super) hash: u64,
}

impl Postings {
    /// Brings the postings to `docs`, whose keys are `keys`. Where the last bundle had as
    /// many documents and most kept their number, the documents whose key changed are
    /// taken out (read from `old`, by their last key) and put in again; otherwise, or when
    /// `old` lacks one, every document is read.
    pub(super) fn update<'a>(
        &mut self,
        keys: &[u128],
        docs: &[&SearchDoc],
        old: impl Fn(u128) -> Option<&'a SearchDoc>,
    ) {
        let changed: Vec<usize> = match self.keys.len() == keys.len() {
            true => (0..keys.len()).filter(|&n| self.keys[n] != keys[n]).collect(),
            false => (0..keys.len()).collect(),
        };
        let few = changed.len() * 4 <= keys.len();
        let before: Option<Vec<&SearchDoc>> = match few {
            true => changed.iter().map(|&n| self.keys.get(n).and_then(|&k| old(k))).collect(),
            false => None,
        };
        match before {
            Some(before) => {
                for (&n, doc) in changed.iter().zip(before) {
                    self.replace(n as u32, doc, docs[n]);
                }
            }
            _ => self.read_all(docs),
        }
        self.keys = keys.to_vec();
    }

    fn read_all(&mut self, docs: &[&SearchDoc]) {
        self.clear();
        self.read_part(docs, 0);
        self.shrink_to_fit();
    }

    /// Reads the stems of `count` documents, in order, as `docs` gives them, a part of
    /// the site at a time, letting go of each part as soon as it is read; the next
    /// [`update`](Self::update) reads every document.
    pub(super) fn read_owned(&mut self, count: usize, mut docs: impl Iterator<Item = SearchDoc>) {
        self.clear();
        // A thirty-second of the site at a time: the stems of one part are held
        // beside all the postings read so far (at 10,000 articles, 2 MiB of stems).
        let part = count.div_ceil(32).max(1);
        let mut first = 0;
        loop {
            let some: Vec<SearchDoc> = docs.by_ref().take(part).collect();
            if some.is_empty() {
                break;
            }
            self.read_part(&some.iter().collect::<Vec<_>>(), first);
            first += some.len();
        }
        self.shrink_to_fit();
    }

    /// Lets go of the room the postings have left over from growing.
    fn shrink_to_fit(&mut self) {
        self.by_stem.values_mut().for_each(PostingList::shrink_to_fit);
    }

    fn clear(&mut self) {
        self.keys.clear();
        self.by_stem.clear();
        self.surfaces.clear();
        self.words = None;
        self.json.clear();
        self.forms = Forms::default();
    }

    /// Adds `docs`, numbered from `first`, after the documents read so far.
    fn read_part(&mut self, docs: &[&SearchDoc], first: usize) {
        // Parts of the site are read in parallel and joined in order, so each stem's
        // postings stay in document order.
        let chunk = docs.len().div_ceil(rayon::current_num_threads() * 4).max(1);
        let parts: Vec<Collected> = docs
            .par_chunks(chunk)
            .enumerate()
            .map(|(c, part)| collect(part, first + c * chunk))
            .collect();
        for (part_postings, part_surfaces) in parts {
            for (stem, list) in part_postings {
                match self.by_stem.get_mut(stem) {
                    Some(all) => all.append(&list),
                    None => {
                        self.by_stem.insert(stem.to_string(), list);
                    }
                }
            }
            for (word, (stem, count)) in part_surfaces {
                match self.surfaces.get_mut(word) {
                    Some(entry) => entry.1 += count,
                    None => {
                        self.surfaces.insert(word.to_string(), (stem.to_string(), count));
                    }
                }
            }
        }
    }

    /// Puts document `n`, `doc`, in the place of `before`, what it was.
    fn replace(&mut self, n: u32, before: &SearchDoc, doc: &SearchDoc) {
        let scores: FxHashMap<&str, u8> = doc.terms().map(|t| (t.stem, t.score)).collect();
        let mut unchanged = rustc_hash::FxHashSet::default();
        for term in before.terms() {
            if scores.get(term.stem) == Some(&term.score) {
                // The stem's postings, and their JSON, stay as they are.
                unchanged.insert(term.stem);
            } else if !scores.contains_key(term.stem) {
                self.json.remove(term.stem);
                if let Some(list) = self.by_stem.get_mut(term.stem) {
                    list.set(n, None);
                    if list.is_empty() {
                        self.by_stem.remove(term.stem);
                    }
                }
            }
            for surface in term.surfaces.split(' ') {
                if let Some(entry) = self.surfaces.get_mut(surface) {
                    entry.1 -= 1;
                    if entry.1 == 0 {
                        self.surfaces.remove(surface);
                        self.words = None;
                    }
                }
            }
        }
        for term in doc.terms() {
            if !unchanged.contains(term.stem) {
                self.json.remove(term.stem);
                match self.by_stem.get_mut(term.stem) {
                    Some(list) => list.set(n, Some(term.score)),
                    None => {
                        let list = std::iter::once((n, term.score)).collect();
                        self.by_stem.insert(term.stem.to_string(), list);
                    }
                }
            }
            for surface in term.surfaces.split(' ') {
                match self.surfaces.get_mut(surface) {
                    Some(entry) => entry.1 += 1,
                    None => {
                        self.surfaces.insert(surface.to_string(), (term.stem.to_string(), 1));
                        self.words = None;
                    }
                }
            }
        }
    }
}

/// The shards of the documents of `postings`, sorted by key, each handed to `write` as
/// soon as it is made. Unless `keep`, each stem's postings JSON is made with its run and
/// each shard's JSON let go of once written (the shards returned have none), and nothing
/// is kept for the next bundle (which then reads every document).
pub(super) fn shards(
    postings: &mut Postings,
    stemmer: Option<&rust_stemmers::Stemmer>,
    keep: bool,
    write: impl Fn(&Shard) -> Result<(), Error> + Sync,
) -> Result<Vec<Arc<Shard>>, Error> {
    postings.bundles += 1;
    let now = postings.bundles;
    // Kept, each stem's postings JSON is made once and kept for the bundles after;
    // otherwise it is made run by run, and let go of with its run's shards.
    if keep {
        let made: Vec<(String, (String, u64))> = postings
            .by_stem
            .par_iter()
            .filter(|(stem, _)| !postings.json.contains_key(*stem))
            .map(|(stem, list)| (stem.clone(), (list.json(), now)))
            .collect();
        postings.json.extend(made);
    }
    if postings.words.is_none() {
        let surfaces: FxHashMap<&str, &str> =
            postings.surfaces.iter().map(|(w, (stem, _))| (w.as_str(), stem.as_str())).collect();
        // Kept, each word's forms are stemmed once, not whenever the site's words change.
        let forms = &mut postings.forms;
        let extra = stemmer
            .map(|s| if keep { forms.variants(&surfaces, s) } else { variants(&surfaces, s) })
            .unwrap_or_default();
        let mut words: Vec<(String, String)> =
            surfaces.iter().map(|(w, s)| (w.to_string(), s.to_string())).collect();
        words.extend(extra.into_iter().map(|(form, stem)| (form, stem.to_string())));
        words.sort_unstable();
        postings.words = Some(words);
    }
    if !keep {
        postings.surfaces = FxHashMap::default();
    }
    let words: Vec<(&str, &str)> =
        postings.words.iter().flatten().map(|(w, s)| (w.as_str(), s.as_str())).collect();
    let (json, by_stem) = (&postings.json, &postings.by_stem);
    let last = std::mem::take(&mut postings.runs);
    let runs: Vec<Result<Run, Error>> = runs(&words, 2)
        .into_par_iter()
        .map(|(key, part)| {
            // The key its shards are kept by, for the next bundle (none is kept otherwise).
            let run = match keep {
                true => run_key(part, json),
                false => 0,
            };
            let this_run: StemJson;
            let json = match keep {
                true => json,
                false => {
                    let mut made = StemJson::default();
                    for (_, stem) in part {
                        if let (None, Some(list)) = (made.get(*stem), by_stem.get(*stem)) {
                            made.insert(stem.to_string(), (list.json(), now));
                        }
                    }
                    this_run = made;
                    &this_run
                }
            };
            let shards = match last.get(&run) {
                Some(kept) => kept.clone(),
                None => run_shards(key, part, 2, json)
                    .into_iter()
                    .map(|(key, json)| {
                        let hash = xxhash_rust::xxh3::xxh3_64(json.as_bytes());
                        Arc::new(Shard { key, json, hash })
                    })
                    .collect(),
            };
            let mut written = Vec::with_capacity(shards.len());
            for shard in shards {
                write(&shard)?;
                written.push(match keep {
                    true => shard,
                    false => Arc::new(Shard {
                        key: shard.key.clone(),
                        json: String::new(),
                        hash: shard.hash,
                    }),
                });
            }
            Ok((run, written))
        })
        .collect();
    drop(last);
    let runs: Vec<Run> = runs.into_iter().collect::<Result<_, _>>()?;
    let mut shards: Vec<Arc<Shard>> = runs.iter().flat_map(|(_, s)| s.iter().cloned()).collect();
    shards.sort_by(|a, b| a.key.cmp(&b.key));
    match keep {
        true => postings.runs = runs.into_iter().collect(),
        false => *postings = Postings::default(),
    }
    Ok(shards)
}

/// The runs of `words` (sorted) that share their first `chars` letters, with those letters.
fn runs<'a, 'w>(
    words: &'a [(&'w str, &'w str)],
    chars: usize,
) -> Vec<(&'w str, &'a [(&'w str, &'w str)])> {
    let mut runs = Vec::new();
    let mut start = 0;
    while start < words.len() {
        let key = prefix(words[start].0, chars);
        let end =
            start + words[start..].iter().take_while(|(w, _)| prefix(w, chars) == key).count();
        runs.push((key, &words[start..end]));
        start = end;
    }
    runs
}

/// The shards of `words` (sorted, sharing their first `chars - 1` letters) keyed by their
/// first `chars` letters, those past the bound split, made in parallel.
fn group(words: &[(&str, &str)], chars: usize, postings: &StemJson) -> Vec<(String, String)> {
    runs(words, chars)
        .into_par_iter()
        .flat_map_iter(|(key, part)| run_shards(key, part, chars, postings))
        .collect()
}

/// The shards of `part`, the words whose first `chars` letters are `key`: one, or more
/// when it would pass the bound.
fn run_shards(
    key: &str,
    part: &[(&str, &str)],
    chars: usize,
    postings: &StemJson,
) -> Vec<(String, String)> {
    let json = shard_json(part, postings);
    let words_longer = part.iter().filter(|(w, _)| w.chars().count() > chars).count();
    let mut out = Vec::new();
    if json.len() > SHARD_BOUND && chars < MAX_KEY && words_longer > 1 {
        // The words no longer than the key keep it; the others go one letter deeper.
        let (short, long): (Vec<_>, Vec<_>) =
            part.iter().partition(|(w, _)| w.chars().count() <= chars);
        if !short.is_empty() {
            out.push((key.to_string(), shard_json(&short, postings)));
        }
        out.extend(group(&long, chars + 1, postings));
    } else {
        out.push((key.to_string(), json));
    }
    out
}

/// The key of a run of words: a hash of its words and stems and of when each stem's
/// postings JSON was made.
fn run_key(part: &[(&str, &str)], json: &StemJson) -> u128 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for (word, stem) in part {
        hasher.update(word.as_bytes());
        hasher.update(&[0]);
        hasher.update(stem.as_bytes());
        hasher.update(&[0]);
        hasher.update(&json.get(*stem).map_or(0, |(_, made)| *made).to_le_bytes());
    }
    hasher.digest128()
}

/// A run of words sharing their first two letters: its hash and its shards.
type Run = (u128, Vec<Arc<Shard>>);

/// Each stem's postings JSON, with when it was made.
type StemJson = FxHashMap<String, (String, u64)>;

/// A shard's JSON, `{"w": [[word, stem number], …], "p": [postings, …]}`, stems numbered
/// in the order their words come, each stem's postings from `postings` as they are.
fn shard_json(words: &[(&str, &str)], postings: &StemJson) -> String {
    let mut numbers: HashMap<&str, usize> = HashMap::new();
    let mut lists: Vec<&str> = Vec::new();
    let mut json = Vec::with_capacity(words.len() * 24);
    json.extend_from_slice(b"{\"w\":[");
    for (i, &(word, stem)) in words.iter().enumerate() {
        let next = numbers.len();
        let n = *numbers.entry(stem).or_insert(next);
        if n == lists.len() {
            lists.push(postings.get(stem).map_or("[]", |(json, _)| json.as_str()));
        }
        if i > 0 {
            json.push(b',');
        }
        let _ = serde_json::to_writer(&mut json, &(word, n));
    }
    json.extend_from_slice(b"],\"p\":[");
    for (i, list) in lists.iter().enumerate() {
        if i > 0 {
            json.push(b',');
        }
        json.extend_from_slice(list.as_bytes());
    }
    json.extend_from_slice(b"]}");
    String::from_utf8(json).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_forms_of_a_word_lead_to_its_stem() {
        let stemmer = crate::site::fulltext::text::stemmer("en").unwrap();
        let surfaces = FxHashMap::from_iter([("benchmark", "benchmark"), ("study", "studi")]);
        let got = variants(&surfaces, &stemmer);
        let mut kept = Forms::default();
        assert_eq!(kept.variants(&surfaces, &stemmer), got, "made for a later bundle");
        assert_eq!(kept.variants(&surfaces, &stemmer), got, "kept from the last bundle");
        let fewer = FxHashMap::from_iter([("study", "studi")]);
        assert_eq!(kept.variants(&fewer, &stemmer), variants(&fewer, &stemmer));
        let forms: Vec<&str> = got.iter().map(|(f, _)| f.as_str()).collect();
        assert!(forms.contains(&"benchmarks") && forms.contains(&"benchmarking"), "{forms:?}");
        assert!(forms.contains(&"studies") && forms.contains(&"studied"), "{forms:?}");
        assert!(!forms.contains(&"benchmarkly") || stemmer.stem("benchmarkly") == "benchmark");
    }

    #[test]
    fn a_shard_is_the_json_of_its_words_and_postings() {
        #[derive(serde::Serialize)]
        struct Shard<'a> {
            w: Vec<(&'a str, usize)>,
            p: Vec<Vec<u32>>,
        }
        let words = [("a\"b", "ab"), ("abc", "ab"), ("zü", "z"), ("zz", "zz")];
        let postings: StemJson = [("ab", "[0,9,3,1]"), ("z", "[2,8]"), ("zz", "[]")]
            .into_iter()
            .map(|(stem, json)| (stem.to_string(), (json.to_string(), 1)))
            .collect();
        let expected = Shard {
            w: vec![("a\"b", 0), ("abc", 0), ("zü", 1), ("zz", 2)],
            p: vec![vec![0, 9, 3, 1], vec![2, 8], vec![]],
        };
        assert_eq!(shard_json(&words, &postings), serde_json::to_string(&expected).unwrap());
    }

    #[test]
    fn updated_postings_make_the_shards_of_postings_read_afresh() {
        let doc = |terms: &str| SearchDoc { terms: terms.to_string(), ..SearchDoc::default() };
        let stemmer = crate::site::fulltext::text::stemmer("en").unwrap();
        let other = [doc("rust 8 rust\n"), doc("java 3 java\n"), doc("perl 2 perl\n")];
        let first = [doc("go 8 go\nfast 1 faster\n"), doc("fast 9 fast\n")];
        fn docs<'a>(two: &'a [SearchDoc], other: &'a [SearchDoc]) -> Vec<&'a SearchDoc> {
            two.iter().chain(other).collect()
        }
        let mut kept = Postings::default();
        kept.update(&[1, 2, 3, 4, 5], &docs(&first, &other), |_| None);
        let before = written(&mut kept, Some(&stemmer), true).0;
        // The first document changes: fewer than a quarter, so the postings are updated.
        let second = [doc("go 8 go\nslow 1 slow\n"), doc("fast 9 fast\n")];
        let by_key = |k: u128| match k {
            1 => Some(&first[0]),
            _ => None,
        };
        kept.update(&[6, 2, 3, 4, 5], &docs(&second, &other), by_key);
        let mut afresh = Postings::default();
        afresh.update(&[6, 2, 3, 4, 5], &docs(&second, &other), |_| None);
        let updated = written(&mut kept, Some(&stemmer), true).0;
        assert_eq!(texts(&updated), texts(&written(&mut afresh, Some(&stemmer), true).0));
        assert!(!updated.iter().any(|s| s.json.contains("faster")), "{:?}", texts(&updated));
        // The run of words the edit left alone is kept as it was.
        let rust = |shards: &[Arc<Shard>]| shards.iter().find(|s| s.key == "ru").cloned().unwrap();
        assert!(Arc::ptr_eq(&rust(&before), &rust(&updated)));
        assert!(!Arc::ptr_eq(&before[0], &updated[0]), "the `fa` run changed");
    }

    #[test]
    fn postings_let_go_of_make_the_same_shards_and_keep_nothing() {
        let doc = |terms: &str| SearchDoc { terms: terms.to_string(), ..SearchDoc::default() };
        let stemmer = crate::site::fulltext::text::stemmer("en").unwrap();
        let docs = [doc("go 8 go\nfast 1 faster\n"), doc("fast 9 fast\n"), doc("rust 8 rust\n")];
        let docs: Vec<&SearchDoc> = docs.iter().collect();
        let mut kept = Postings::default();
        kept.update(&[1, 2, 3], &docs, |_| None);
        let mut lean = Postings::default();
        lean.update(&[1, 2, 3], &docs, |_| None);
        let (got, files) = written(&mut lean, Some(&stemmer), false);
        assert_eq!(files, texts(&written(&mut kept, Some(&stemmer), true).0));
        assert!(got.iter().all(|s| s.json.is_empty()), "written, then let go of");
        assert!(lean.by_stem.is_empty() && lean.json.is_empty() && lean.runs.is_empty());
        // The next bundle reads every document again, and loses none of them.
        let edited = [doc("go 8 go\n"), doc("fast 9 fast\n"), doc("rust 8 rust\n")];
        let edited: Vec<&SearchDoc> = edited.iter().collect();
        lean.update(&[4, 2, 3], &edited, |_| None);
        kept.update(&[4, 2, 3], &edited, |k| (k == 1).then_some(docs[0]));
        let again = written(&mut lean, Some(&stemmer), false).1;
        assert_eq!(again, texts(&written(&mut kept, Some(&stemmer), true).0));
        assert!(again.iter().any(|s| s.1.contains("rust")), "{again:?}");
    }

    #[test]
    fn documents_read_part_by_part_make_the_shards_of_all_of_them() {
        let stemmer = crate::site::fulltext::text::stemmer("en").unwrap();
        let docs: Vec<SearchDoc> = (0..21)
            .map(|i| SearchDoc { terms: format!("go 8 go\nw{i} 1 w{i}\n"), ..SearchDoc::default() })
            .collect();
        let mut all = Postings::default();
        let keys: Vec<u128> = (0..21).collect();
        all.update(&keys, &docs.iter().collect::<Vec<_>>(), |_| None);
        let mut owned = Postings::default();
        owned.read_owned(docs.len(), docs.into_iter());
        let got = written(&mut owned, Some(&stemmer), false).1;
        assert_eq!(got, texts(&written(&mut all, Some(&stemmer), true).0));
        assert!(got.iter().any(|s| s.1.contains("\"w20\"")), "the last document is read");
    }

    fn texts(shards: &[Arc<Shard>]) -> Vec<(String, String)> {
        shards.iter().map(|s| (s.key.clone(), s.json.clone())).collect()
    }

    /// [`shards`], with the key and JSON of each shard as it was written, sorted.
    fn written(
        postings: &mut Postings,
        stemmer: Option<&rust_stemmers::Stemmer>,
        keep: bool,
    ) -> (Vec<Arc<Shard>>, Vec<(String, String)>) {
        let files = std::sync::Mutex::new(Vec::new());
        let made = shards(postings, stemmer, keep, |s| {
            files.lock().unwrap().push((s.key.clone(), s.json.clone()));
            Ok(())
        });
        let mut files = files.into_inner().unwrap();
        files.sort();
        (made.unwrap(), files)
    }

    #[test]
    fn odd_keys_get_hex_names() {
        assert_eq!(file_name("be"), "be");
        assert_eq!(file_name("zü"), "_7ac3bc");
    }

    #[test]
    fn big_shards_split_by_one_letter_more() {
        let terms = (0..4000).map(|i| format!("ab{i} 8 ab{i}\n")).collect();
        let doc = SearchDoc { terms, ..SearchDoc::default() };
        let mut postings = Postings::default();
        postings.update(&[1], &[&doc], |_| None);
        let got = written(&mut postings, None, true).0;
        assert!(got.len() > 1, "{:?}", got.iter().map(|s| &s.key).collect::<Vec<_>>());
        assert!(got.iter().all(|s| s.key.starts_with("ab")));
        assert!(got.iter().all(|s| s.json.len() <= SHARD_BOUND), "split until small");
        assert!(got.windows(2).all(|w| w[0].key < w[1].key), "sorted by key");
    }
}
