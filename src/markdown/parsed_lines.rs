//! Lines already parsed. syntect's parser is a function of its state and the line
//! alone, so a line met again in the very same state (a closing brace, an import, a
//! blank line inside a function) takes the scope operations and the next state found
//! the first time, instead of running the grammar's regular expressions again. Code in
//! articles repeats itself a great deal: on the benchmark corpus, 61,000 lines of code
//! hold 8,400 distinct ones.
//!
//! A state is known by a 128-bit hash of its whole `Debug` text (every field of every
//! level of its stack) and of the line, like highlighted blocks are by a hash of their
//! code. States holding a backreference's captures are never looked up or kept: their
//! text shows where the captures sit in memory, not what they hold.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::rc::Rc;

use syntect::parsing::{ParseState, ParsingError, ScopeStackOp, SyntaxSet};
use xxhash_rust::xxh3::xxh3_128;

/// What parsing a line did: its scope operations, and the state after it.
type Parsed = (Rc<[(usize, ScopeStackOp)]>, ParseState);

/// How many lines a thread keeps, at most: beyond it, lines are parsed as they come.
const MAX_LINES: usize = 1 << 15;

thread_local! {
    /// The lines this thread parsed, by state and text. Parser states cannot move
    /// between threads (they may hold the regular expression library's pointers), so
    /// each thread keeps its own. States are of the one grammar set a binary has.
    static LINES: RefCell<HashMap<u128, Parsed>> = RefCell::default();
}

/// Parses `line` from `state` (which moves on past it), as [`ParseState::parse_line`]
/// does; `scratch` is a buffer to reuse.
pub(crate) fn parse(
    state: &mut ParseState,
    line: &str,
    syntaxes: &SyntaxSet,
    scratch: &mut String,
) -> Result<Rc<[(usize, ScopeStackOp)]>, ParsingError> {
    scratch.clear();
    let _ = write!(scratch, "{state:?}");
    if scratch.contains("captures: Some") {
        return state.parse_line(line, syntaxes).map(Rc::from);
    }
    scratch.push('\0');
    scratch.push_str(line);
    let key = xxh3_128(scratch.as_bytes());
    LINES.with_borrow_mut(|lines| {
        if let Some((ops, next)) = lines.get(&key) {
            *state = next.clone();
            return Ok(Rc::clone(ops));
        }
        let ops: Rc<[(usize, ScopeStackOp)]> = state.parse_line(line, syntaxes)?.into();
        if lines.len() < MAX_LINES {
            lines.insert(key, (Rc::clone(&ops), state.clone()));
        }
        Ok(ops)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line of some code parsed through the cache, twice over, gives what the
    /// parser gives alone.
    #[test]
    fn the_same_operations_as_the_parser() {
        let syntaxes = two_face::syntax::extra_newlines();
        let code = "fn main() {\n    let s = r#\"raw \"# ;\n    let x = 1;\n}\n\
                    fn other() {\n    let x = 1;\n}\n";
        for lang in ["rs", "py", "sh"] {
            let syntax = syntaxes.find_syntax_by_token(lang).unwrap();
            let mut scratch = String::new();
            for _ in 0..2 {
                let mut plain = ParseState::new(syntax);
                let mut cached = ParseState::new(syntax);
                for line in syntect::util::LinesWithEndings::from(code) {
                    let expected = plain.parse_line(line, &syntaxes).unwrap();
                    let got = parse(&mut cached, line, &syntaxes, &mut scratch).unwrap();
                    assert_eq!(&got[..], &expected[..], "{lang}: {line:?}");
                    assert_eq!(cached, plain, "{lang}: {line:?}");
                }
            }
            assert!(LINES.with_borrow(|lines| !lines.is_empty()));
        }
    }
}
