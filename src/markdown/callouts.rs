//! Recognising comparison blocks in text: winner callouts (`Winner: Rust`) and
//! "Choose X if" headings or paragraphs, and which contenders they name.

use crate::content::article::Contender;

/// How a callout was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// One contender won.
    Win,
    /// Several contenders share the win.
    Split,
    /// No contender won ("depends on the project").
    Tie,
}

impl Outcome {
    /// The outcome of a callout naming `winners` contenders.
    pub fn of(winners: usize) -> Outcome {
        match winners {
            0 => Outcome::Tie,
            1 => Outcome::Win,
            _ => Outcome::Split,
        }
    }

    /// Lower-case name, as used in `data-outcome`.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Win => "win",
            Outcome::Split => "split",
            Outcome::Tie => "tie",
        }
    }
}

/// If `text` (a paragraph's plain text) opens with `label:`, the rest of the text.
pub fn strip_label<'a>(text: &'a str, label: &str) -> Option<&'a str> {
    let text = text.trim_start();
    let head = text.get(..label.len())?;
    if !head.eq_ignore_ascii_case(label) {
        return None;
    }
    text[label.len()..].strip_prefix(':')
}

/// Indices of the contenders named in `text`: by name, alias or id, case-sensitive, whole
/// words only (`Go` does not match `Google`).
pub fn named_contenders(text: &str, contenders: &[Contender]) -> Vec<usize> {
    contenders
        .iter()
        .enumerate()
        .filter(|(_, c)| c.spellings().any(|s| contains_word(text, s)))
        .map(|(i, _)| i)
        .collect()
}

/// Whether `word` occurs in `text` with no letter or digit directly before or after it.
pub fn contains_word(text: &str, word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    text.match_indices(word).any(|(start, _)| {
        let before = text[..start].chars().next_back();
        let after = text[start + word.len()..].chars().next();
        !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
    })
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// For `Choose Rust if:` (heading or paragraph text): the index of that contender.
pub fn choose_if_contender(text: &str, contenders: &[Contender]) -> Option<usize> {
    let name = choose_if_name(text)?;
    contenders.iter().position(|c| c.spellings().any(|s| s == name))
}

/// For `Choose Rust if:` (heading or paragraph text): the name, `Rust`, whether or not it
/// is a contender.
pub fn choose_if_name(text: &str) -> Option<&str> {
    let text = text.trim().trim_end_matches([':', '…', '.']).trim_end();
    let text = text.strip_suffix("...").unwrap_or(text).trim_end();
    let (first, rest) = text.split_once(' ')?;
    if !first.eq_ignore_ascii_case("choose") {
        return None;
    }
    Some(rest.strip_suffix(" if")?.trim())
}

/// Criteria won, lost, split and tied.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Record {
    /// Won alone.
    pub won: usize,
    /// Won by another contender.
    pub lost: usize,
    /// Shared with another contender.
    pub split: usize,
    /// Nobody won.
    pub tied: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contenders() -> Vec<Contender> {
        let c = |name: &str, id: &str, aliases: &[&str]| Contender {
            id: id.to_string(),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            ..Contender::named(name)
        };
        vec![c("Go", "go", &["Golang"]), c("C++", "cpp", &[]), c("Node.js", "node-js", &[])]
    }

    #[test]
    fn matches_whole_words_case_sensitively() {
        let cs = contenders();
        assert_eq!(named_contenders(" Go, clearly.", &cs), [0]);
        assert!(named_contenders(" Google and GOPATH", &cs).is_empty());
        assert_eq!(named_contenders(" Golang and C++ split it", &cs), [0, 1]);
        assert_eq!(named_contenders(" Node.js's event loop", &cs), [2]);
        assert!(named_contenders(" Depends on the project.", &cs).is_empty());
    }

    #[test]
    fn strips_the_label() {
        assert_eq!(strip_label("Winner: Go", "Winner"), Some(" Go"));
        assert_eq!(strip_label("winner: Go", "Winner"), Some(" Go"));
        assert_eq!(strip_label("Winners are Go", "Winner"), None);
        assert_eq!(strip_label("Win", "Winner"), None);
    }

    #[test]
    fn recognises_choose_if() {
        let cs = contenders();
        assert_eq!(choose_if_contender("Choose Golang if:", &cs), Some(0));
        assert_eq!(choose_if_contender("Choose C++ if…", &cs), Some(1));
        assert_eq!(choose_if_contender("Choose wisely", &cs), None);
        assert_eq!(choose_if_contender("Choose Rust if:", &cs), None);
    }
}
