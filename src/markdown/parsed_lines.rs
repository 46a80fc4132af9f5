//! Lines already parsed. syntect's parser is a function of its state and the line
//! alone, so a line met again in the very same state (a closing brace, an import, a
//! blank line inside a function) takes the scope operations and the next state found
//! the first time, instead of running the grammar's regular expressions again. Code in
//! articles repeats itself a great deal: on the benchmark corpus, 61,000 lines of code
//! hold 8,400 distinct ones.
//!
//! Each state met is numbered, by a 128-bit hash of its whole `Debug` text (every field
//! of every level of its stack), and a line is known by a hash of its state's number
//! and its text, as highlighted blocks are by a hash of their code. A line taken from
//! the cache moves the parser to the next state's number without making that state:
//! states are made (cloned) only when a line must be parsed. States holding a
//! backreference's captures are never numbered: their text shows where the captures
//! sit in memory, not what they hold.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::rc::Rc;

use syntect::parsing::{ParseState, ParsingError, ScopeStackOp, SyntaxReference, SyntaxSet};
use xxhash_rust::xxh3::{Xxh3, xxh3_128};

/// A line's scope operations.
type Ops = Rc<[(usize, ScopeStackOp)]>;

/// How many lines a thread keeps, at most: beyond it, lines are parsed as they come.
const MAX_LINES: usize = 1 << 15;
/// How many distinct parser states a thread keeps, at most.
const MAX_STATES: usize = 1 << 14;

/// The lines a thread parsed, and the states they start and end in.
#[derive(Default)]
struct Lines {
    /// By the hash of a state's number and a line: its operations and the next state.
    parsed: HashMap<u128, (Ops, u32)>,
    /// The states met, by number.
    states: Vec<ParseState>,
    /// States' numbers, by the hash of their `Debug` text.
    numbers: HashMap<u128, u32>,
    /// A buffer for that text.
    scratch: String,
}

impl Lines {
    /// The number of `state`; none for a state holding captures, or past the limit.
    fn number(&mut self, state: &ParseState) -> Option<u32> {
        self.scratch.clear();
        let _ = write!(self.scratch, "{state:?}");
        if self.scratch.contains("captures: Some") {
            return None;
        }
        let key = xxh3_128(self.scratch.as_bytes());
        if let Some(&n) = self.numbers.get(&key) {
            return Some(n);
        }
        if self.states.len() >= MAX_STATES {
            return None;
        }
        let n = self.states.len() as u32;
        self.states.push(state.clone());
        self.numbers.insert(key, n);
        Some(n)
    }
}

/// The key of `line` parsed from the state numbered `state`.
fn line_key(state: u32, line: &str) -> u128 {
    let mut hasher = Xxh3::new();
    hasher.update(&state.to_le_bytes());
    hasher.update(line.as_bytes());
    hasher.digest128()
}

thread_local! {
    /// Parser states cannot move between threads (they may hold the regular expression
    /// library's pointers), so each thread keeps its own lines. States are of the one
    /// grammar set a binary has.
    static LINES: RefCell<Lines> = RefCell::default();
}

/// Lets go of the lines every thread of the current pool keeps (up to some MiB each),
/// once a build has highlighted what it had to: they help within a build only. No block
/// may be half parsed on those threads (it would need the states it numbered).
pub(crate) fn forget_lines() {
    rayon::broadcast(|_| LINES.with_borrow_mut(|lines| *lines = Lines::default()));
    LINES.with_borrow_mut(|lines| *lines = Lines::default());
}

/// Parses the lines of one block in turn, as [`ParseState::parse_line`] does, taking
/// each line this thread met before in the same state from [`LINES`]. It stays on the
/// thread that made it (a parser state is not `Send`), whose numbers it holds.
pub(crate) struct LineParser {
    state: ParseState,
    /// The number of the state the parser is in, when it has one.
    number: Option<u32>,
    /// Whether `state` is that state (after lines taken from the cache, it is behind).
    current: bool,
}

impl LineParser {
    /// A parser at the start of a block of `syntax`.
    pub(crate) fn new(syntax: &SyntaxReference) -> LineParser {
        let state = ParseState::new(syntax);
        let number = LINES.with_borrow_mut(|lines| lines.number(&state));
        LineParser { state, number, current: true }
    }

    /// The scope operations of `line`, the next line of the block.
    pub(crate) fn parse(&mut self, line: &str, syntaxes: &SyntaxSet) -> Result<Ops, ParsingError> {
        LINES.with_borrow_mut(|lines| {
            let key = self.number.map(|n| line_key(n, line));
            if let Some(number) = self.number {
                if let Some((ops, next)) = key.and_then(|k| lines.parsed.get(&k)) {
                    self.number = Some(*next);
                    self.current = false;
                    return Ok(Rc::clone(ops));
                }
                if !self.current {
                    self.state = lines.states[number as usize].clone();
                    self.current = true;
                }
            }
            let ops: Ops = self.state.parse_line(line, syntaxes)?.into();
            self.number = lines.number(&self.state);
            if let (Some(key), Some(next)) = (key, self.number) {
                if lines.parsed.len() < MAX_LINES {
                    lines.parsed.insert(key, (Rc::clone(&ops), next));
                }
            }
            Ok(ops)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line of some code parsed through the cache, twice over (the second time
    /// from the cache), gives what the parser gives alone; a heredoc's state holds
    /// captures, which are parsed as they come.
    #[test]
    fn the_same_operations_as_the_parser() {
        let syntaxes = two_face::syntax::extra_newlines();
        let code = "fn main() {\n    let s = r#\"raw \"# ;\n    let x = 1;\n}\n\
                    fn other() {\n    let x = 1;\n}\ncat <<END\nlet x = 1;\nEND\n";
        for lang in ["rs", "py", "sh"] {
            let syntax = syntaxes.find_syntax_by_token(lang).unwrap();
            for _ in 0..2 {
                let mut plain = ParseState::new(syntax);
                let mut cached = LineParser::new(syntax);
                for line in syntect::util::LinesWithEndings::from(code) {
                    let expected = plain.parse_line(line, &syntaxes).unwrap();
                    let got = cached.parse(line, &syntaxes).unwrap();
                    assert_eq!(&got[..], &expected[..], "{lang}: {line:?}");
                }
            }
        }
        assert!(LINES.with_borrow(|lines| !lines.parsed.is_empty()));
        forget_lines();
        assert!(LINES.with_borrow(|lines| lines.parsed.is_empty() && lines.states.is_empty()));
    }
}
