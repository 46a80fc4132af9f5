//! One stem's postings, packed: the documents using the stem, in order, each with its
//! score, as bytes. A site of 10,000 articles has about six million postings; as
//! `(u32, u8)` pairs they took 8 bytes each, packed they take about two.

use std::fmt::Write as _;

/// The postings of a stem: for each document using it, in document order, the gap from
/// the last document's number (the first's from 0) as an unsigned LEB128 number, then
/// the document's score as a byte.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct PostingList {
    bytes: Vec<u8>,
    /// The number of the last document, that the next gap counts from.
    last: u32,
}

impl PostingList {
    /// Whether no document uses the stem.
    pub(super) fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Adds document `n`, with `score`, after the documents added so far (`n` is
    /// greater than theirs).
    pub(super) fn push(&mut self, n: u32, score: u8) {
        debug_assert!(self.is_empty() || n > self.last, "{n} after {}", self.last);
        self.bytes.extend_from_slice(leb128(n - self.last).as_slice());
        self.bytes.push(score);
        self.last = n;
    }

    /// Adds the postings of `more`, whose documents all come after these.
    pub(super) fn append(&mut self, more: &PostingList) {
        let mut gaps = more.gaps();
        let Some((first, score)) = gaps.next() else { return };
        // Lists are appended part by part of the site: grown by a quarter at a time
        // rather than doubled, they are never left with much room to spare.
        let needed = self.bytes.len() + more.bytes.len() + 4;
        if needed > self.bytes.capacity() {
            let grown = self.bytes.capacity() + self.bytes.capacity() / 4;
            self.bytes.reserve_exact(needed.max(grown) - self.bytes.len());
        }
        // The first gap of `more` counts from 0; here, from this list's last document.
        self.push(first, score);
        self.bytes.extend_from_slice(&more.bytes[gaps.at..]);
        self.last = more.last;
    }

    /// Each document's gap from the last and its score, in order.
    pub(super) fn gaps(&self) -> Gaps<'_> {
        Gaps { bytes: &self.bytes, at: 0 }
    }

    /// Each document's number and its score, in order.
    #[cfg(test)]
    fn iter(&self) -> impl Iterator<Item = (u32, u8)> + '_ {
        self.gaps().scan(0u32, |last, (gap, score)| {
            *last += gap;
            Some((*last, score))
        })
    }

    /// Sets document `n`'s score, putting it in its place when it is not in the list;
    /// `None` takes it out. The bytes before it are read, not unpacked, and only its
    /// own (and the gap after it) change.
    pub(super) fn set(&mut self, n: u32, score: Option<u8>) {
        let (mut at, mut doc) = (0, 0u32);
        let mut gaps = self.gaps();
        while let Some((gap, _)) = gaps.next() {
            let (start, end) = (at, gaps.at);
            at = end;
            let before = doc;
            doc += gap;
            if doc < n {
                continue;
            }
            match (doc == n, score) {
                // In the list: its score changes in place.
                (true, Some(score)) => self.bytes[end - 1] = score,
                // Taken out: the next document's gap counts from the one before it.
                (true, None) => match gaps.next() {
                    Some((next_gap, _)) => {
                        let next_gap_end = gaps.at - 1;
                        let merged = leb128(gap + next_gap);
                        self.bytes.splice(start..next_gap_end, merged.as_slice().iter().copied());
                    }
                    None => {
                        self.bytes.truncate(start);
                        self.last = before;
                    }
                },
                // Not in the list: it goes in before `doc`, whose gap counts from it.
                (false, Some(score)) => {
                    let gap_end = end - 1;
                    let (gap, next_gap) = (leb128(n - before), leb128(doc - n));
                    let put = gap
                        .as_slice()
                        .iter()
                        .chain(std::iter::once(&score))
                        .chain(next_gap.as_slice());
                    self.bytes.splice(start..gap_end, put.copied());
                }
                (false, None) => {}
            }
            return;
        }
        if let Some(score) = score {
            self.push(n, score);
        }
    }

    /// Lets go of the room left over from growing.
    pub(super) fn shrink_to_fit(&mut self) {
        self.bytes.shrink_to_fit();
    }

    /// The JSON of the list: `[gap, score, gap, score, …]`.
    pub(super) fn json(&self) -> String {
        let mut json = String::with_capacity(self.bytes.len() * 3 + 2);
        json.push('[');
        for (i, (gap, score)) in self.gaps().enumerate() {
            if i > 0 {
                json.push(',');
            }
            let _ = write!(json, "{gap},{score}");
        }
        json.push(']');
        json
    }
}

/// A number as an unsigned LEB128 number, in place (every posting is pushed through one).
struct Leb128 {
    bytes: [u8; 5],
    len: usize,
}

impl Leb128 {
    fn as_slice(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

/// `n` as an unsigned LEB128 number: seven bits a byte, low bits first, the high bit
/// set on every byte but the last.
fn leb128(mut n: u32) -> Leb128 {
    let mut out = Leb128 { bytes: [0; 5], len: 0 };
    while n >= 0x80 {
        out.bytes[out.len] = (n as u8 & 0x7f) | 0x80;
        out.len += 1;
        n >>= 7;
    }
    out.bytes[out.len] = n as u8;
    out.len += 1;
    out
}

impl FromIterator<(u32, u8)> for PostingList {
    /// The list of `(document, score)` pairs in document order.
    fn from_iter<I: IntoIterator<Item = (u32, u8)>>(pairs: I) -> PostingList {
        let mut list = PostingList::default();
        for (n, score) in pairs {
            list.push(n, score);
        }
        list
    }
}

/// The gaps and scores of a [`PostingList`].
pub(super) struct Gaps<'a> {
    bytes: &'a [u8],
    /// Where the next gap starts.
    at: usize,
}

impl Iterator for Gaps<'_> {
    type Item = (u32, u8);

    fn next(&mut self) -> Option<(u32, u8)> {
        let mut gap = 0u32;
        let mut shift = 0;
        loop {
            let byte = *self.bytes.get(self.at)?;
            self.at += 1;
            gap |= u32::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                break;
            }
            shift += 7;
        }
        let score = *self.bytes.get(self.at)?;
        self.at += 1;
        Some((gap, score))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAIRS: [(u32, u8); 6] =
        [(0, 9), (3, 1), (130, 255), (131, 0), (20_000, 7), (u32::MAX, 2)];

    #[test]
    fn a_list_gives_back_what_was_put_in() {
        let list: PostingList = PAIRS.into_iter().collect();
        assert_eq!(list.iter().collect::<Vec<_>>(), PAIRS);
        let gaps: Vec<u32> = list.gaps().map(|(gap, _)| gap).collect();
        assert_eq!(gaps, [0, 3, 127, 1, 19_869, u32::MAX - 20_000]);
        // A gap under 128 takes one byte, under 2^21 three; the scores one each.
        assert_eq!(list.bytes.len(), 1 + 1 + 1 + 1 + 3 + 5 + 6);
    }

    #[test]
    fn appended_lists_are_one_list() {
        for split in 0..=PAIRS.len() {
            let mut head: PostingList = PAIRS[..split].iter().copied().collect();
            let tail: PostingList = PAIRS[split..].iter().copied().collect();
            head.append(&tail);
            assert_eq!(head, PAIRS.into_iter().collect::<PostingList>(), "split at {split}");
        }
    }

    #[test]
    fn documents_are_set_taken_out_and_put_in_in_their_place() {
        let mut list: PostingList = PAIRS.into_iter().collect();
        list.set(130, None);
        list.set(5, None);
        list.set(4, Some(8));
        list.set(0, Some(1));
        list.set(20_000, Some(6));
        let expected = [(0, 1), (3, 1), (4, 8), (131, 0), (20_000, 6), (u32::MAX, 2)];
        assert_eq!(list, expected.into_iter().collect::<PostingList>());
        list.set(u32::MAX, None);
        list.set(30_000, Some(3));
        let expected = [(0, 1), (3, 1), (4, 8), (131, 0), (20_000, 6), (30_000, 3)];
        assert_eq!(list, expected.into_iter().collect::<PostingList>());
        for (n, _) in expected {
            list.set(n, None);
        }
        assert!(list.is_empty());
        list.set(7, Some(2));
        assert_eq!(list.iter().collect::<Vec<_>>(), [(7, 2)]);
    }

    /// Every way of setting a document in a list of documents with gaps of every size
    /// gives the list made afresh.
    #[test]
    fn set_equals_a_list_made_afresh() {
        let docs: Vec<u32> = vec![0, 1, 127, 128, 300, 16_700, 16_701, 2_100_000];
        for n in [0, 1, 2, 126, 127, 128, 129, 200, 16_383, 16_700, 16_702, 2_100_000, 3_000_000] {
            for score in [None, Some(0), Some(200)] {
                let mut list: PostingList = docs.iter().map(|&d| (d, 5)).collect();
                list.set(n, score);
                let mut pairs: Vec<(u32, u8)> =
                    docs.iter().filter(|&&d| d != n).map(|&d| (d, 5)).collect();
                if let Some(score) = score {
                    pairs.push((n, score));
                    pairs.sort_unstable();
                }
                assert_eq!(list, pairs.into_iter().collect(), "set {n} to {score:?}");
            }
        }
    }

    #[test]
    fn the_json_is_gaps_and_scores() {
        let list: PostingList = [(0, 9), (3, 1), (7, 2), (300, 40)].into_iter().collect();
        assert_eq!(list.json(), "[0,9,3,1,4,2,293,40]");
        assert_eq!(PostingList::default().json(), "[]");
    }
}
