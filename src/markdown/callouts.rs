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

/// How the winners of a callout were read from its text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reading {
    /// Indices of the winning contenders, in the article's order.
    pub winners: Vec<usize>,
    /// Whether the winners were named in bold, so nothing else was read.
    pub explicit: bool,
    /// Contenders named only after a comparison or concession marker, with that marker as
    /// written (`though`): named, but not winners.
    pub dropped: Vec<(usize, String)>,
}

/// Reads the winners of a callout from `text` (its plain text after the label) and
/// `bold` (the text of each bold span after the label):
/// 1. contenders named in bold are the winners, and the only ones;
/// 2. otherwise every contender named wins, but one named only after one of `markers`
///    in its clause (clauses end at `;` and at sentence ends). A marker that opens its
///    clause (`Despite Go's speed, Rust ...`) reaches to the clause's first comma; any
///    other reaches to the clause's end (`Rust, though Go is close behind`).
pub fn read_winners(
    text: &str,
    bold: &[String],
    contenders: &[Contender],
    markers: &[String],
) -> Reading {
    let mut explicit: Vec<usize> =
        bold.iter().flat_map(|b| named_contenders(b, contenders)).collect();
    if !explicit.is_empty() {
        explicit.sort_unstable();
        explicit.dedup();
        return Reading { winners: explicit, explicit: true, dropped: Vec::new() };
    }
    let markers: Vec<Vec<String>> = markers
        .iter()
        .map(|m| m.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>())
        .filter(|m| !m.is_empty())
        .collect();
    // Byte ranges of `text` that follow a marker, with that marker as written.
    let mut scopes: Vec<(usize, usize, &str)> = Vec::new();
    for (start, end) in clauses(text) {
        let clause = &text[start..end];
        let words = words(clause);
        // Each word lower-cased once, not once per marker it is compared with.
        let lower: Vec<String> = words.iter().map(|&(a, b)| clause[a..b].to_lowercase()).collect();
        for (i, &(w_start, _)) in words.iter().enumerate() {
            let Some(marker) = markers.iter().find(|m| {
                m.len() <= words.len() - i && m.iter().zip(&lower[i..]).all(|(m, w)| m == w)
            }) else {
                continue;
            };
            let after = words[i + marker.len() - 1].1;
            let opens_clause = !clause[..w_start].contains(is_word_char);
            let reach = match clause[after..].find(',') {
                Some(comma) if opens_clause => after + comma,
                _ => clause.len(),
            };
            scopes.push((start + after, start + reach, &text[start + w_start..start + after]));
        }
    }
    let mut reading = Reading::default();
    for (index, contender) in contenders.iter().enumerate() {
        let mentions: Vec<usize> =
            contender.spellings().flat_map(|s| word_positions(text, s)).collect();
        if mentions.is_empty() {
            continue;
        }
        let marker_of =
            |at: usize| scopes.iter().find(|&&(a, b, _)| a <= at && at < b).map(|s| s.2);
        if mentions.iter().all(|&at| marker_of(at).is_some()) {
            let marker = marker_of(mentions[0]).unwrap_or_default();
            reading.dropped.push((index, marker.to_string()));
        } else {
            reading.winners.push(index);
        }
    }
    reading
}

/// Whether `c`, followed by `next`, ends a sentence: `.`, `!` or `?` before a space or
/// the end (so `Node.js` is no sentence end).
pub fn ends_sentence(c: char, next: Option<char>) -> bool {
    matches!(c, '.' | '!' | '?') && next.is_none_or(char::is_whitespace)
}

/// "Rust", "Rust and Go", "Rust, Go and Zig".
pub fn join_names<S: AsRef<str>>(names: &[S]) -> String {
    match names {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [rest @ .., last] => {
            let rest: Vec<&str> = rest.iter().map(AsRef::as_ref).collect();
            format!("{} and {}", rest.join(", "), last.as_ref())
        }
    }
}

/// The byte ranges of `text`'s clauses: it splits at `;` and at sentence ends.
fn clauses(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let ends = c == ';' || ends_sentence(c, chars.peek().map(|&(_, next)| next));
        if ends {
            out.push((start, i));
            start = i + c.len_utf8();
        }
    }
    out.push((start, text.len()));
    out
}

/// The byte ranges of the words of `text` (runs of letters, digits and `_`).
fn words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

/// Where `word` occurs in `text` as a whole word.
fn word_positions<'t>(text: &'t str, word: &'t str) -> impl Iterator<Item = usize> + 't {
    text.match_indices(word).map(|(start, _)| start).filter(move |&start| {
        let before = text[..start].chars().next_back();
        let after = text[start + word.len()..].chars().next();
        !word.is_empty() && !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
    })
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
    word_positions(text, word).next().is_some()
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
    use crate::config::DEFAULT_MARKERS;

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

    /// Reads `text` with the default markers and no bold spans; returns the winners'
    /// names and the dropped names with their markers.
    fn read(text: &str, bold: &[&str]) -> (Vec<String>, Vec<String>) {
        let cs = vec![
            Contender::named("Rust"),
            Contender::named("Go"),
            Contender::named("Python"),
            Contender::named("Node.js"),
        ];
        let markers: Vec<String> = DEFAULT_MARKERS.iter().map(|m| m.to_string()).collect();
        let bold: Vec<String> = bold.iter().map(|b| b.to_string()).collect();
        let r = read_winners(text, &bold, &cs, &markers);
        (
            r.winners.iter().map(|&w| cs[w].name.clone()).collect(),
            r.dropped.iter().map(|(d, m)| format!("{} after {m}", cs[*d].name)).collect(),
        )
    }

    #[test]
    fn reads_winners_from_ordinary_prose() {
        // Text, bold spans, winners, names dropped.
        type Case<'a> = (&'a str, &'a [&'a str], &'a [&'a str], &'a [&'a str]);
        let cases: &[Case] = &[
            (" Rust, though Go is close behind.", &[], &["Rust"], &["Go after though"]),
            (" Python is easier to learn than Node.js.", &[], &["Python"], &["Node.js after than"]),
            (
                " Node.js for real-time apps; Python for CPU-bound work.",
                &[],
                &["Python", "Node.js"],
                &[],
            ),
            (
                " Both have strong communities, but Python's is slightly larger.",
                &[],
                &["Python"],
                &[],
            ),
            (" Depends on the project.", &[], &[], &[]),
            (" Rust and Go", &["Rust", "Go"], &["Rust", "Go"], &[]),
            (" Rust, though Go is close behind", &["Rust"], &["Rust"], &[]),
            (
                " Despite Go's simpler syntax, Rust wins here.",
                &[],
                &["Rust"],
                &["Go after Despite"],
            ),
            (
                " Although Python is simpler, Go wins on speed.",
                &[],
                &["Go"],
                &["Python after Although"],
            ),
            (
                " Go beats Rust and Python on build times.",
                &[],
                &["Go"],
                &["Rust after beats", "Python after beats"],
            ),
            (" Rust over Go, by a wide margin.", &[], &["Rust"], &["Go after over"]),
            (
                " Go, even though Rust's tooling is excellent.",
                &[],
                &["Go"],
                &["Rust after even though"],
            ),
            (
                " Rust is well ahead of Go. Python is a distant third.",
                &[],
                &["Rust", "Python"],
                &["Go after ahead of"],
            ),
            (
                " Compared to Node.js, Python wins on data work.",
                &[],
                &["Python"],
                &["Node.js after Compared to"],
            ),
            (
                " Python versus Rust: Python, for its libraries.",
                &[],
                &["Python"],
                &["Rust after versus"],
            ),
            (" Go outperforms Node.js under load.", &[], &["Go"], &["Node.js after outperforms"]),
            (" Google's Go, unlike Rust, has a GC.", &[], &["Go"], &["Rust after unlike"]),
        ];
        for (text, bold, winners, dropped) in cases {
            let (w, d) = read(text, bold);
            assert_eq!(w, *winners, "winners of {text:?}");
            assert_eq!(d, *dropped, "names dropped from {text:?}");
        }
    }

    #[test]
    fn a_name_also_named_outside_a_marker_still_wins() {
        let (w, d) = read(" Go is fine, but Rust beats Go on speed.", &[]);
        assert_eq!(w, ["Rust", "Go"]);
        assert!(d.is_empty());
    }

    #[test]
    fn markers_are_configurable() {
        let cs = vec![Contender::named("Rust"), Contender::named("Go")];
        let markers = vec!["plutôt que".to_string()];
        let r = read_winners(" Rust plutôt que Go.", &[], &cs, &markers);
        assert_eq!(r.winners, [0]);
        assert_eq!(r.dropped, [(1, "plutôt que".to_string())]);
        let r = read_winners(" Rust, though Go is close.", &[], &cs, &markers);
        assert_eq!(r.winners, [0, 1]);
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
