//! Parts of the site-wide files (`verdicts.json`, `search.json`): one per article, made
//! in parallel and, in an incremental session, kept by a hash of what each is made from,
//! so that an edit makes again only the parts of the articles it changed.

use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// Parts made by the last build of a session, by the key of what each was made from.
#[derive(Default)]
pub struct Parts {
    last: Mutex<FxHashMap<u128, Arc<str>>>,
}

/// Where a build takes its parts from: the session's [`Parts`] and each item's key, or
/// nowhere (every part made).
pub(super) type Kept<'a> = Option<(&'a Parts, Vec<u128>)>;

/// The parts of `count` items: each kept under its key when `kept` has it, else made by
/// `make`. The session keeps this build's parts only, under their keys.
pub(super) fn parts(
    kept: Kept<'_>,
    count: usize,
    make: impl Fn(usize) -> String + Sync + Send,
) -> Vec<Arc<str>> {
    let Some((store, keys)) = kept else {
        return (0..count).into_par_iter().map(|i| Arc::from(make(i))).collect();
    };
    let last = std::mem::take(&mut *store.last.lock().unwrap_or_else(|e| e.into_inner()));
    let made: Vec<Arc<str>> = (0..count)
        .into_par_iter()
        .map(|i| match last.get(&keys[i]) {
            Some(part) => Arc::clone(part),
            None => Arc::from(make(i)),
        })
        .collect();
    drop(last);
    let next = keys.iter().copied().zip(made.iter().cloned()).collect();
    *store.last.lock().unwrap_or_else(|e| e.into_inner()) = next;
    made
}

/// `parts` as a JSON array: `[`, the parts separated by commas, `]`, written after
/// `head` and followed by `tail`, in one buffer of the whole size.
pub(super) fn json_array(head: &str, parts: &[Arc<str>], tail: &str) -> String {
    let size = head.len() + parts.iter().map(|p| p.len() + 1).sum::<usize>() + tail.len() + 2;
    let mut json = String::with_capacity(size);
    json.push_str(head);
    json.push('[');
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push_str(part);
    }
    json.push(']');
    json.push_str(tail);
    json
}

/// The pieces of a file, in order, made as they are asked for.
pub(super) type Pieces<'a> = Box<dyn Iterator<Item = String> + 'a>;

/// [`json_array`] of the [`parts`] of `count` items, as pieces to write one after the
/// other. When no part is kept for a later build, the parts are made a few at a time as
/// the pieces are asked for, so that neither they nor the array are ever held whole.
pub(super) fn json_array_of<'a>(
    kept: Kept<'_>,
    count: usize,
    make: impl Fn(usize) -> String + Sync + Send + 'a,
    head: String,
    tail: String,
) -> Pieces<'a> {
    if kept.is_some() {
        return Box::new(std::iter::once(json_array(&head, &parts(kept, count, make), &tail)));
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
    Box::new(open.chain(middle).chain(close))
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
        assert_eq!(json_array("", &[], ""), "[]");
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
                    .collect();
            assert_eq!(by_parts.len(), 1, "kept parts make one piece");
            let by_parts = by_parts.concat();
            let pieces: Vec<String> = json_array_of(None, count, make, head, tail).collect();
            assert!(pieces.len() >= 2 + count.div_ceil(rayon::current_num_threads() * 64));
            let streamed = pieces.concat();
            assert_eq!(streamed, json_array("{\"a\":", &all, "}"), "{count} parts");
            assert_eq!(streamed, by_parts, "{count} parts");
        }
    }
}
