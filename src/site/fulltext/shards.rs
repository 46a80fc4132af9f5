//! The split index: every surface word of the site, grouped by its first letters into
//! shard files, each surface word with its stem and each stem with its postings.
//!
//! A shard's key is the first two letters of its words (words of one letter have their
//! own); a shard that would pass [`SHARD_BOUND`] is split by one letter more, again and
//! again. A shard is JSON: `{"w": [[word, stem number], …], "p": [[doc, score, doc,
//! score, …], …]}`, postings by stem number, document numbers as gaps from the last.
//! The reader's browser looks a typed word up among the words of its shard: no stemmer
//! runs there.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::site::fulltext::SearchDoc;

/// The size past which a shard is split by one letter more, in bytes of JSON (about
/// a fifth of that gzipped).
pub(super) const SHARD_BOUND: usize = 48 * 1024;

/// The keys of the shards a word can be in are at most this long.
const MAX_KEY: usize = 6;

/// A shard's file name (without `.json`) for `key`: the key itself when it is plain
/// ASCII letters and digits, else `_` and the hex of its UTF-8 bytes.
pub(super) fn file_name(key: &str) -> String {
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

fn prefix(word: &str, chars: usize) -> &str {
    match word.char_indices().nth(chars) {
        Some((at, _)) => &word[..at],
        None => word,
    }
}

/// Endings tried on every word for [`variants`].
const ENDINGS: [&str; 9] = ["s", "es", "ed", "d", "ing", "er", "ers", "ings", "ly"];

/// Forms of the site's words that it does not use but that the stemmer reads as the same
/// word (`benchmarks` where the site says `benchmark`), each with its stem, sorted: the
/// reader's browser has no stemmer, so these let a query in another form find its stem.
fn variants<'a>(
    surfaces: &FxHashMap<&'a str, &'a str>,
    stemmer: &rust_stemmers::Stemmer,
) -> Vec<(String, &'a str)> {
    let words: Vec<(&str, &str)> = surfaces.iter().map(|(w, s)| (*w, *s)).collect();
    let mut out: Vec<(String, &str)> = words
        .par_iter()
        .flat_map_iter(|&(word, stem)| {
            let mut forms: Vec<String> = Vec::new();
            if word.chars().all(char::is_alphabetic) && word.len() >= 3 {
                forms.extend(ENDINGS.iter().map(|e| format!("{word}{e}")));
                if let Some(root) = word.strip_suffix('y') {
                    forms.extend(["ies", "ied"].map(|e| format!("{root}{e}")));
                }
                if let Some(root) = word.strip_suffix('e') {
                    forms.push(format!("{root}ing"));
                }
                forms.push(stem.to_string());
            }
            forms
                .into_iter()
                .filter(move |form| {
                    !surfaces.contains_key(form.as_str()) && stemmer.stem(form) == stem
                })
                .map(move |form| (form, stem))
        })
        .collect();
    out.sort_unstable();
    out.dedup_by(|a, b| a.0 == b.0);
    out
}

/// Postings by stem (documents in order) and the stem of every surface word.
type Collected<'a> = (FxHashMap<&'a str, Vec<(u32, u8)>>, FxHashMap<&'a str, &'a str>);

/// The postings and surface words of `docs`, numbered from `first`.
fn collect<'a>(docs: &[&'a SearchDoc], first: usize) -> Collected<'a> {
    let mut postings: FxHashMap<&str, Vec<(u32, u8)>> = FxHashMap::default();
    let mut surfaces: FxHashMap<&str, &str> = FxHashMap::default();
    for (i, doc) in docs.iter().enumerate() {
        let n = (first + i) as u32;
        for term in doc.terms() {
            postings.entry(term.stem).or_default().push((n, term.score));
            for surface in term.surfaces.split(' ') {
                surfaces.entry(surface).or_insert(term.stem);
            }
        }
    }
    (postings, surfaces)
}

/// The shards for `docs` (numbered by their place), by key, as JSON.
pub(super) fn shards(
    docs: &[&SearchDoc],
    stemmer: Option<&rust_stemmers::Stemmer>,
) -> BTreeMap<String, String> {
    // Parts of the site are read in parallel and joined in order, so each stem's
    // postings stay in document order.
    let chunk = docs.len().div_ceil(rayon::current_num_threads() * 4).max(1);
    let parts: Vec<Collected> =
        docs.par_chunks(chunk).enumerate().map(|(c, part)| collect(part, c * chunk)).collect();
    let mut postings: FxHashMap<&str, Vec<(u32, u8)>> = FxHashMap::default();
    let mut surfaces: FxHashMap<&str, &str> = FxHashMap::default();
    for (part_postings, part_surfaces) in parts {
        for (stem, list) in part_postings {
            match postings.get_mut(stem) {
                Some(all) => all.extend(list),
                None => {
                    postings.insert(stem, list);
                }
            }
        }
        if surfaces.is_empty() {
            surfaces = part_surfaces;
        } else {
            for (word, stem) in part_surfaces {
                surfaces.entry(word).or_insert(stem);
            }
        }
    }
    let extra = stemmer.map(|s| variants(&surfaces, s)).unwrap_or_default();
    let mut words: Vec<(&str, &str)> = surfaces.into_iter().collect();
    words.extend(extra.iter().map(|(form, stem)| (form.as_str(), *stem)));
    words.sort_unstable();
    group(&words, 2, &postings).into_iter().collect()
}

/// The shards of `words` (sorted, sharing their first `chars - 1` letters) keyed by their
/// first `chars` letters, those past the bound split, made in parallel.
fn group(
    words: &[(&str, &str)],
    chars: usize,
    postings: &FxHashMap<&str, Vec<(u32, u8)>>,
) -> Vec<(String, String)> {
    let mut runs = Vec::new();
    let mut start = 0;
    while start < words.len() {
        let key = prefix(words[start].0, chars);
        let end =
            start + words[start..].iter().take_while(|(w, _)| prefix(w, chars) == key).count();
        runs.push((key, &words[start..end]));
        start = end;
    }
    runs.into_par_iter()
        .flat_map_iter(|(key, part)| {
            let json = shard_json(part, postings);
            let words_longer = part.iter().filter(|(w, _)| w.chars().count() > chars).count();
            let mut out = Vec::new();
            if json.len() > SHARD_BOUND && chars < MAX_KEY && words_longer > 1 {
                // The words no longer than the key keep it; the others go one letter
                // deeper.
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
        })
        .collect()
}

#[derive(Serialize)]
struct Shard<'a> {
    w: Vec<(&'a str, usize)>,
    p: Vec<Vec<u32>>,
}

fn shard_json(words: &[(&str, &str)], postings: &FxHashMap<&str, Vec<(u32, u8)>>) -> String {
    let mut numbers: HashMap<&str, usize> = HashMap::new();
    let mut shard = Shard { w: Vec::with_capacity(words.len()), p: Vec::new() };
    for &(word, stem) in words {
        let next = numbers.len();
        let n = *numbers.entry(stem).or_insert(next);
        if n == shard.p.len() {
            let list = postings.get(stem).map(Vec::as_slice).unwrap_or_default();
            let mut flat = Vec::with_capacity(list.len() * 2);
            let mut last = 0;
            for &(doc, score) in list {
                flat.push(doc - last);
                flat.push(u32::from(score));
                last = doc;
            }
            shard.p.push(flat);
        }
        shard.w.push((word, n));
    }
    serde_json::to_string(&shard).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_forms_of_a_word_lead_to_its_stem() {
        let stemmer = crate::site::fulltext::text::stemmer("en").unwrap();
        let surfaces = FxHashMap::from_iter([("benchmark", "benchmark"), ("study", "studi")]);
        let got = variants(&surfaces, &stemmer);
        let forms: Vec<&str> = got.iter().map(|(f, _)| f.as_str()).collect();
        assert!(forms.contains(&"benchmarks") && forms.contains(&"benchmarking"), "{forms:?}");
        assert!(forms.contains(&"studies") && forms.contains(&"studied"), "{forms:?}");
        assert!(!forms.contains(&"benchmarkly") || stemmer.stem("benchmarkly") == "benchmark");
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
        let got = shards(&[&doc], None);
        assert!(got.len() > 1, "{:?}", got.keys().collect::<Vec<_>>());
        assert!(got.keys().all(|k| k.starts_with("ab")));
        assert!(got.values().all(|json| json.len() <= SHARD_BOUND), "split until small");
    }
}
