//! Warnings about winner callouts: none at all, two under one heading, one outside any
//! section, a tie that misspells a contender, and how a callout's winners were read when
//! a comparison word dropped a name or several names split the win.

use std::collections::HashMap;

use super::SourceFile;
use crate::content::article::Contender;
use crate::error::Diagnostic;
use crate::markdown::callouts::{Outcome, join_names};
use crate::markdown::document::Callout;
use crate::site;

/// No callout, two callouts under one heading, a callout outside any section, and a tie
/// that names a contender almost right.
pub(super) fn callout_warnings(
    file: &SourceFile<'_>,
    a: &site::outlines::RenderedArticle,
    label: &str,
    warnings: &mut Vec<Diagnostic>,
) {
    let callouts = &a.body.callouts;
    if callouts.is_empty() {
        let (line, _) = file.value_location("title");
        warnings.push(
            Diagnostic::warning(file.path, "no winner callout: the article names no winner for any criterion")
                .at(line, 1)
                .hint(format!(
                    "end each `##` criterion with a paragraph starting `**{label}:**`, like `**{label}:** {}, for ...`",
                    a.article.contenders.first().map_or("Rust", |c| c.name.as_str())
                )),
        );
        return;
    }
    let mut first_under: HashMap<&str, usize> = HashMap::new();
    for callout in callouts {
        let column = file.indent_column(callout.line);
        match &callout.anchor {
            None => warnings.push(
                Diagnostic::warning(
                    file.path,
                    format!("winner callout outside any `##` section; it counts for the criterion `{}`", callout.criterion),
                )
                .at(callout.line, column)
                .hint("move it under the `##` heading of its criterion, or add a `## Overall` heading above it"),
            ),
            Some(anchor) => match first_under.get(anchor.as_str()) {
                Some(first) => warnings.push(
                    Diagnostic::warning(
                        file.path,
                        format!("second winner callout under the heading `{}`", callout.criterion),
                    )
                    .at(callout.line, column)
                    .hint(format!(
                        "the first is on line {first}; keep one callout per criterion, or give this one its own `##` heading"
                    )),
                ),
                None => {
                    first_under.insert(anchor, callout.line);
                }
            },
        }
        reading_warning(file, callout, &a.article.contenders, label, warnings);
        if callout.winners.is_empty() {
            if let Some((word, best)) = near_miss(file, callout.line, label, &a.article.contenders)
            {
                let (line, column) = file.find_word(callout.line, &word);
                warnings.push(
                    Diagnostic::warning(
                        file.path,
                        format!("winner callout names no contender, so it counts as a tie; `{word}` is not a contender"),
                    )
                    .at(line, column)
                    .hint(format!(
                        "did you mean `{best}`? contenders are matched by name, alias or id, case included"
                    )),
                );
            }
        }
    }
}

/// How a callout was read, when that reading is not plain: a name dropped because it
/// follows a comparison or concession marker, or a split the writer did not mark in bold.
fn reading_warning(
    file: &SourceFile<'_>,
    callout: &Callout,
    contenders: &[Contender],
    label: &str,
    warnings: &mut Vec<Diagnostic>,
) {
    let split = callout.outcome == Outcome::Split && !callout.explicit;
    if callout.dropped.is_empty() && !split {
        return;
    }
    let names: Vec<&str> = callout.winners.iter().map(|&w| contenders[w].name.as_str()).collect();
    let reading = match callout.outcome {
        Outcome::Win => format!("a win for {}", names[0]),
        Outcome::Split => format!("a split between {}", join_names(&names)),
        Outcome::Tie => "a tie".to_string(),
    };
    let why: Vec<String> = callout
        .dropped
        .iter()
        .map(|(d, marker)| format!("{} follows \"{marker}\"", contenders[*d].name))
        .collect();
    let message = if why.is_empty() {
        format!("winner callout read as {reading}")
    } else {
        format!("winner callout read as {reading} ({})", why.join(", "))
    };
    let example = names
        .first()
        .copied()
        .or(callout.dropped.first().map(|(d, _)| contenders[*d].name.as_str()));
    let hint = match example {
        Some(name) => format!(
            "bold the winners to say otherwise, like `**{label}:** **{name}** ...`; bold names are the only winners"
        ),
        None => "bold the winners to say otherwise; bold names are the only winners".to_string(),
    };
    warnings.push(
        Diagnostic::warning(file.path, message)
            .at(callout.line, file.indent_column(callout.line))
            .hint(hint),
    );
}

/// In the callout paragraph starting on `line`: a word that is almost a contender's
/// spelling (another case, or one or two letters off), with that spelling.
fn near_miss(
    file: &SourceFile<'_>,
    line: usize,
    label: &str,
    contenders: &[Contender],
) -> Option<(String, String)> {
    let mut text = String::new();
    for (i, l) in file.text.lines().enumerate().skip(line.saturating_sub(1)) {
        if i + 1 > line && l.trim().is_empty() {
            break;
        }
        text.push_str(l);
        text.push(' ');
    }
    let words = text
        .split(|c: char| !(c.is_alphanumeric() || matches!(c, '+' | '#' | '.' | '-' | '_')))
        .map(|w| w.trim_end_matches(['.', '-']))
        .filter(|w| !w.is_empty() && !w.eq_ignore_ascii_case(label));
    for word in words {
        for spelling in contenders.iter().flat_map(Contender::spellings) {
            let close = word.to_lowercase() == spelling.to_lowercase()
                || (word.chars().count() >= 4
                    && spelling.chars().count() >= 4
                    && strsim::jaro_winkler(word, spelling) >= 0.9
                    && strsim::damerau_levenshtein(word, spelling) <= 2);
            if close && word != spelling {
                return Some((word.to_string(), spelling.to_string()));
            }
        }
    }
    None
}
