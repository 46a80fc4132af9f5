//! Parts of the site-wide files (`verdicts.json`, `search.json`): one per article, made
//! in parallel and, in an incremental session, kept by a hash of what each is made from,
//! so that an edit makes again only the parts of the articles it changed.

use std::path::Path;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::cache::pages::PageFingerprints;
use crate::error::Error;
use crate::site::write::Output;

/// Parts made by the last build of a session, by the key of what each was made from.
#[derive(Default)]
pub(crate) struct Parts {
    last: Mutex<FxHashMap<u128, Part>>,
}

/// A part's text, and a hash of it.
type Part = (Arc<str>, u128);

/// Where a build takes its parts from: the session's [`Parts`] and each item's key, or
/// nowhere (every part made).
pub(super) type Kept<'a> = Option<(&'a Parts, Vec<u128>)>;

/// The parts of `count` items: each kept under its key when `kept` has it, else made by
/// `make`. The session keeps this build's parts only, under their keys.
#[cfg(test)]
fn parts(
    kept: Kept<'_>,
    count: usize,
    make: impl Fn(usize) -> String + Sync + Send,
) -> Vec<Arc<str>> {
    match kept {
        Some((store, keys)) => {
            kept_parts(store, &keys, make);
            let last = store.last.lock().unwrap();
            keys.iter().map(|k| Arc::clone(&last[k].0)).collect()
        }
        None => (0..count).into_par_iter().map(|i| Arc::from(make(i))).collect(),
    }
}

/// Puts in `store` the part under each of `keys`: kept there by the last build, else
/// made by `make` (and hashed); gives the hash of each part's text. `store` keeps these
/// parts only, for the next build. A kept part is moved, not shared, so that its text is
/// not even read.
fn kept_parts(
    store: &Parts,
    keys: &[u128],
    make: impl Fn(usize) -> String + Sync + Send,
) -> Vec<u128> {
    let mut last = std::mem::take(&mut *store.last.lock().unwrap_or_else(|e| e.into_inner()));
    let kept: Vec<Option<Part>> = keys.iter().map(|key| last.remove(key)).collect();
    // The parts of the items changed or gone.
    drop(last);
    let made: Vec<Part> = kept
        .into_par_iter()
        .enumerate()
        .map(|(i, kept)| {
            kept.unwrap_or_else(|| {
                let text = make(i);
                let hash = xxhash_rust::xxh3::xxh3_128(text.as_bytes());
                (Arc::from(text), hash)
            })
        })
        .collect();
    let hashes = made.iter().map(|(_, hash)| *hash).collect();
    let next = keys.iter().copied().zip(made).collect();
    *store.last.lock().unwrap_or_else(|e| e.into_inner()) = next;
    hashes
}

/// `parts` as a JSON array: `[`, the parts separated by commas, `]`, written after
/// `head` and followed by `tail`, in one buffer of the whole size.
pub(super) fn json_array(head: &str, parts: &[impl AsRef<str>], tail: &str) -> String {
    let size = head.len() + parts.iter().map(|p| p.as_ref().len() + 1).sum::<usize>();
    let size = size + tail.len() + 2;
    let mut json = String::with_capacity(size);
    json.push_str(head);
    json.push('[');
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push_str(part.as_ref());
    }
    json.push(']');
    json.push_str(tail);
    json
}

/// The pieces of a file, in order, made as they are asked for.
pub(super) type Pieces<'a> = Box<dyn Iterator<Item = String> + 'a>;

/// A file made of parts: its pieces, and, when its parts are kept by their keys, what it
/// is made of, as one hash (of its head, its tail and the hashes of its parts' texts):
/// the same hash, the same bytes.
pub(crate) struct FileOfParts<'a> {
    /// The file's text, in pieces made as they are asked for.
    pub(crate) pieces: Pieces<'a>,
    /// What the file is made of, when its parts are kept by their keys.
    pub(crate) made_from: Option<u128>,
}

impl FileOfParts<'_> {
    /// Writes the file to `rel`, or keeps it when the last build made it of the same
    /// parts; gives its fingerprint, when it has one.
    pub(super) fn write(
        mut self,
        output: &dyn Output,
        rel: &str,
        previous: Option<&PageFingerprints>,
    ) -> Result<Option<(String, u128, Option<u64>)>, Error> {
        let path = Path::new(rel);
        let Some(made_from) = self.made_from else {
            output.write_pieces(path, &mut self.pieces)?;
            return Ok(None);
        };
        match previous.and_then(|fingerprints| fingerprints.get(rel)) {
            Some((before, identity))
                if before == made_from && output.keep(path, identity, made_from) => {}
            _ => output.write_pieces(path, &mut self.pieces)?,
        }
        Ok(Some((rel.to_string(), made_from, output.identity(path))))
    }
}

/// [`json_array`] of the parts of `count` items, as pieces to write one after the
/// other. When no part is kept for a later build, the parts are made a few at a time as
/// the pieces are asked for, so that neither they nor the array are ever held whole;
/// when they are, the array is joined only when its piece is asked for, so that a file
/// known to be the last build's is not.
pub(super) fn json_array_of<'a>(
    kept: Kept<'a>,
    count: usize,
    make: impl Fn(usize) -> String + Sync + Send + 'a,
    head: String,
    tail: String,
) -> FileOfParts<'a> {
    if let Some((store, keys)) = kept {
        let hashes = kept_parts(store, &keys, make);
        let made_from = file_key(&head, &tail, hashes.into_iter());
        // The parts are read from the store only when the file is written.
        let whole = move || {
            let last = store.last.lock().unwrap_or_else(|e| e.into_inner());
            let parts: Vec<&str> = keys.iter().map(|k| last.get(k).map_or("", |p| &*p.0)).collect();
            json_array(&head, &parts, &tail)
        };
        return FileOfParts {
            pieces: Box::new(std::iter::once_with(whole)),
            made_from: Some(made_from),
        };
    }
    let step = rayon::current_num_threads() * 64;
    let middle = (0..count).step_by(step).map(move |start| {
        let made: Vec<String> =
            (start..count.min(start + step)).into_par_iter().map(&make).collect();
        let mut piece = String::with_capacity(made.iter().map(|p| p.len() + 1).sum());
        for (i, part) in made.iter().enumerate() {
            if start + i > 0 {
                piece.push(',');
            }
            piece.push_str(part);
        }
        piece
    });
    let (open, close) = (std::iter::once(head + "["), std::iter::once("]".to_string() + &tail));
    FileOfParts { pieces: Box::new(open.chain(middle).chain(close)), made_from: None }
}

/// What a file of parts is made of: its head, its tail and the hashes of its parts, in
/// order.
fn file_key(head: &str, tail: &str, parts: impl Iterator<Item = u128>) -> u128 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for text in [head, tail] {
        hasher.update(&(text.len() as u64).to_le_bytes());
        hasher.update(text.as_bytes());
    }
    for part in parts {
        hasher.update(&part.to_le_bytes());
    }
    hasher.digest128()
}

/// A key from `salt` (what the parts are) and the hashes an item's part is made from.
pub(super) fn key(salt: &str, hashes: &[u128]) -> u128 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(salt.as_bytes());
    hasher.update(&[0]);
    for hash in hashes {
        hasher.update(&hash.to_le_bytes());
    }
    hasher.digest128()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_is_made_again_only_when_its_key_changes() {
        let store = Parts::default();
        let made = std::sync::atomic::AtomicUsize::new(0);
        let make = |i: usize| {
            made.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            format!("part {i}")
        };
        let first = parts(Some((&store, vec![1, 2, 3])), 3, make);
        assert_eq!(made.load(std::sync::atomic::Ordering::Relaxed), 3);
        let second = parts(Some((&store, vec![1, 9, 3])), 3, |i| format!("new {i}"));
        assert_eq!(&*second[0], "part 0");
        assert_eq!(&*second[1], "new 1");
        assert!(Arc::ptr_eq(&first[2], &second[2]));
        // What this build did not ask for is gone.
        let third = parts(Some((&store, vec![2])), 1, |_| "again".to_string());
        assert_eq!(&*third[0], "again");
        assert_eq!(&*parts(None, 2, |i| i.to_string())[1], "1");
        assert_eq!(json_array("{\"a\":", &second, "}"), r#"{"a":[part 0,new 1,part 2]}"#);
        assert_eq!(json_array("", &[] as &[&str], ""), "[]");
    }

    #[test]
    fn a_file_of_kept_parts_is_known_by_its_head_tail_and_parts_texts() {
        let store = Parts::default();
        let file = |keys: Vec<u128>, texts: [&'static str; 2], tail: &str| {
            let make = move |i: usize| texts[i].to_string();
            json_array_of(Some((&store, keys)), 2, make, "{".into(), tail.to_string())
        };
        let first = file(vec![1, 2], ["a", "b"], "}");
        assert!(first.made_from.is_some());
        assert_eq!(first.pieces.collect::<String>(), "{[a,b]}");
        let kept = file(vec![1, 2], ["x", "y"], "}");
        assert_eq!(kept.made_from, first.made_from, "both parts kept by their keys");
        let same_text = file(vec![1, 3], ["x", "b"], "}");
        assert_eq!(same_text.made_from, first.made_from, "a part made again, the same");
        assert_ne!(file(vec![1, 4], ["x", "c"], "}").made_from, first.made_from, "another part");
        assert_ne!(file(vec![4, 1], ["x", "y"], "}").made_from, first.made_from, "another order");
        let other_store = Parts::default();
        let other_tail = json_array_of(
            Some((&other_store, vec![1, 2])),
            2,
            |i| ["a", "b"][i].to_string(),
            "{".into(),
            "]}".into(),
        );
        assert_ne!(other_tail.made_from, first.made_from, "another tail");
        let none = json_array_of(None, 2, |i| i.to_string(), String::new(), String::new());
        assert_eq!(none.made_from, None);
    }

    #[test]
    fn an_array_made_a_few_parts_at_a_time_is_the_array_of_all_parts() {
        let make = |i: usize| format!("{{\"n\":{i}}}");
        for count in [0, 1, 2, 129, 1000] {
            let all = parts(None, count, make);
            let kept = (Parts::default(), (0..count as u128).collect());
            let (head, tail) = ("{\"a\":".to_string(), "}".to_string());
            let by_parts: Vec<String> =
                json_array_of(Some((&kept.0, kept.1)), count, make, head.clone(), tail.clone())
                    .pieces
                    .collect();
            assert_eq!(by_parts.len(), 1, "kept parts make one piece");
            let by_parts = by_parts.concat();
            let pieces: Vec<String> = json_array_of(None, count, make, head, tail).pieces.collect();
            assert!(pieces.len() >= 2 + count.div_ceil(rayon::current_num_threads() * 64));
            let streamed = pieces.concat();
            assert_eq!(streamed, json_array("{\"a\":", &all, "}"), "{count} parts");
            assert_eq!(streamed, by_parts, "{count} parts");
        }
    }
}
