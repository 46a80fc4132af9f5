//! Warnings about articles that are not ready to be read: a `date:` (or `updated:`)
//! after today, and the `TODO` placeholders that `verdict new` writes.
//!
//! verdict publishes future-dated articles like any other (a build depends on its files,
//! never on the clock), so `check` is where a date typo or an article scheduled too early
//! shows up.

use jiff::civil;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::SourceFile;
use crate::content::article::Article;
use crate::content::front_matter;
use crate::error::Diagnostic;
use crate::markdown::render::parser_options;

/// `date:` or `updated:` after `today`: the article is published anyway, with that date.
pub(super) fn future_warnings(
    file: &SourceFile<'_>,
    article: &Article,
    today: civil::Date,
    warnings: &mut Vec<Diagnostic>,
) {
    let dates = [("date", Some(article.date)), ("updated", article.updated)];
    for (key, date) in dates {
        let Some(date) = date.filter(|d| d.day > today) else { continue };
        let (line, column) = file.value_location(key);
        let what = if key == "date" { "dated" } else { "updated on" };
        warnings.push(
            Diagnostic::warning(
                file.path,
                format!(
                    "{what} {}, after today ({today}): verdict publishes it now, with that date",
                    date.day
                ),
            )
            .at(line, column)
            .hint(format!(
                "fix the `{key}:`, or keep the article `draft: true` until it is due: future-dated articles are not held back"
            )),
        );
    }
}

/// Every paragraph, heading or list item whose text starts with `TODO`, as the
/// placeholders of `verdict new` do (`**Winner:** TODO, name the winner`), outside code.
pub(super) fn placeholder_warnings(
    file: &SourceFile<'_>,
    label: &str,
    warnings: &mut Vec<Diagnostic>,
) {
    let Ok(doc) = front_matter::split(file.path, &file.text) else { return };
    let body = doc.body;
    // One frame per open block: whether it is checked, and its text events so far.
    let mut frames: Vec<(bool, Vec<std::ops::Range<usize>>)> = Vec::new();
    for (event, range) in Parser::new_ext(body, parser_options()).into_offset_iter() {
        match event {
            Event::Start(tag) if !is_inline(&tag) => {
                let checked = matches!(tag, Tag::Paragraph | Tag::Heading { .. } | Tag::Item);
                frames.push((checked, Vec::new()));
            }
            Event::End(end) if !is_inline_end(end) => {
                let Some((checked, texts)) = frames.pop() else { continue };
                if !checked {
                    continue;
                }
                let Some((at, callout)) = placeholder_at(body, &texts, label) else { continue };
                let line = doc.body_line + body[..at].matches('\n').count();
                let line_start = body[..at].rfind('\n').map_or(0, |i| i + 1);
                let column = body[line_start..at].chars().count() + 1;
                let diagnostic = if callout {
                    Diagnostic::warning(
                        file.path,
                        "winner callout is still a placeholder (`TODO`), so it counts as a tie",
                    )
                    .hint(format!(
                        "name the winner after `**{label}:**`: one contender is a win, several a split, none a tie"
                    ))
                } else {
                    Diagnostic::warning(file.path, "placeholder text (`TODO`) left in the article")
                        .hint("write it, or delete it before publishing")
                };
                warnings.push(diagnostic.at(line, column));
            }
            Event::Text(_) => {
                if let Some((_, texts)) = frames.last_mut() {
                    texts.push(range);
                }
            }
            _ => {}
        }
    }
}

/// Where the `TODO` opening a block's text (after the winner label, if any) is in the
/// body, and whether the block is a winner callout.
fn placeholder_at(
    body: &str,
    texts: &[std::ops::Range<usize>],
    label: &str,
) -> Option<(usize, bool)> {
    let mut callout = false;
    for range in texts {
        let source = &body[range.clone()];
        let mut rest = source.trim_start();
        if rest.is_empty() {
            continue;
        }
        if !callout {
            if let Some(after) = strip_label(rest, label) {
                callout = true;
                rest = after.trim_start();
                if rest.is_empty() {
                    continue;
                }
            }
        }
        let opens = rest.strip_prefix("TODO").is_some_and(|after| {
            !after.chars().next().is_some_and(|c| c.is_alphanumeric() || c == '_')
        });
        return opens.then(|| (range.start + (source.len() - rest.len()), callout));
    }
    None
}

/// `text` after a leading `Winner:` (the label, any case).
fn strip_label<'t>(text: &'t str, label: &str) -> Option<&'t str> {
    let head = text.get(..label.len())?;
    let rest = text[label.len()..].strip_prefix(':')?;
    head.eq_ignore_ascii_case(label).then_some(rest)
}

fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. }
    )
}

fn is_inline_end(end: TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link | TagEnd::Image
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(body: &str) -> Vec<(usize, usize, bool)> {
        let text = format!("---\ntitle: x\n---\n{body}");
        let file = SourceFile { path: std::path::Path::new("a.md"), text };
        let mut warnings = Vec::new();
        placeholder_warnings(&file, "Winner", &mut warnings);
        warnings
            .iter()
            .map(|w| (w.line.unwrap(), w.column.unwrap(), w.message.contains("callout")))
            .collect()
    }

    #[test]
    fn finds_placeholders_outside_code() {
        let body = "TODO: intro.\n\n## TODO\n\n**Winner:** TODO, name it.\n\n- TODO: a reason\n- Done\n\n```\nTODO in code\n```\n\n    TODO indented\n\nTODOS and a `TODO`.\n\n> TODO quoted\n";
        assert_eq!(
            found(body),
            [(4, 1, false), (6, 4, false), (8, 13, true), (10, 3, false), (21, 3, false)]
        );
    }
}
