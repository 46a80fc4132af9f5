//! Ids of a rendered page: headings' ids (written `{#id}` or made from their text) and
//! footnotes' ids, which never collide.

use std::collections::HashMap;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::{Detail, LineIndex, Source, Structure};
use crate::error::Diagnostic;
use crate::slug::slugify;

/// A footnote: numbered by its first reference, with ids `fn-<stem>` (the note) and
/// `fnref-<stem>`, `fnref-<stem>-2`, ... (its references), which no heading takes.
pub(super) struct Footnote {
    pub(super) number: usize,
    pub(super) stem: String,
    pub(super) references: usize,
}

impl<'e> Structure<'e, '_> {
    /// Before anything is rendered: reserves every explicit heading id (two headings with
    /// the same one are an error naming both lines) and numbers the footnotes, so that
    /// generated heading ids never take an id written in the text or a footnote's.
    pub(super) fn reserve_ids(
        &mut self,
        events: &[Event<'e>],
        starts: &[usize],
        lines: &LineIndex,
        src: &Source<'_>,
    ) {
        let mut explicit: HashMap<&str, usize> = HashMap::new();
        let mut labels: Vec<&str> = Vec::new();
        for (event, &start) in events.iter().zip(starts) {
            match event {
                Event::Start(Tag::Heading { id: Some(id), .. }) => {
                    let (line, column) = lines.locate(src.body, start);
                    match explicit.get(id.as_ref()) {
                        Some(first) => self.rendered.errors.push(
                            Diagnostic::new(
                                src.path,
                                format!(
                                    "two headings have the id `{id}` (lines {first} and {line})"
                                ),
                            )
                            .at(line, column)
                            .hint("ids must be unique on a page: change one `{#...}`"),
                        ),
                        None => {
                            explicit.insert(id, line);
                        }
                    }
                    self.ids.insert(id.to_string());
                }
                Event::FootnoteReference(label) | Event::Start(Tag::FootnoteDefinition(label))
                    if !labels.contains(&label.as_ref()) =>
                {
                    labels.push(label);
                }
                _ => {}
            }
        }
        // Numbered by first reference; notes never referenced come after, in text order.
        let referenced: Vec<&str> = events
            .iter()
            .filter_map(|e| match e {
                Event::FootnoteReference(label) => Some(label.as_ref()),
                _ => None,
            })
            .collect();
        labels.sort_by_key(|l| referenced.iter().position(|r| r == l).unwrap_or(usize::MAX));
        for (i, label) in labels.into_iter().enumerate() {
            let base = match slugify(label) {
                s if s.is_empty() => "note".to_string(),
                s => s,
            };
            let mut stem = base.clone();
            let mut n = 1;
            while self.ids.contains(&format!("fn-{stem}")) {
                n += 1;
                stem = format!("{base}-{n}");
            }
            self.ids.insert(format!("fn-{stem}"));
            self.ids.insert(format!("fnref-{stem}"));
            for r in 2..=referenced.iter().filter(|&&r| r == label).count() {
                self.ids.insert(format!("fnref-{stem}-{r}"));
            }
            self.footnotes
                .insert(label.to_string(), Footnote { number: i + 1, stem, references: 0 });
        }
    }

    /// The `<sup>` of a reference to footnote `label`.
    pub(super) fn footnote_reference(&mut self, label: &str) -> Event<'e> {
        let Some(note) = self.footnotes.get_mut(label) else {
            return Event::Text(format!("[^{label}]").into());
        };
        note.references += 1;
        let id = match note.references {
            1 => format!("fnref-{}", note.stem),
            n => format!("fnref-{}-{n}", note.stem),
        };
        let html = format!(
            "<sup class=\"footnote-reference\"><a href=\"#fn-{stem}\" id=\"{id}\" role=\"doc-noteref\" aria-label=\"Note {n}\">{n}</a></sup>",
            stem = note.stem,
            n = note.number,
        );
        Event::InlineHtml(html.into())
    }

    /// The opening of footnote `label`'s definition.
    pub(super) fn footnote_open(&mut self, label: &str) {
        let Some(note) = self.footnotes.get(label) else { return };
        let html = format!(
            "<div class=\"footnote-definition\" id=\"fn-{}\" role=\"doc-footnote\"><sup class=\"footnote-definition-label\">{}</sup>",
            note.stem, note.number
        );
        self.push(Event::Html(html.into()));
    }

    /// The back-links of footnote `label` (one per reference), inside its last paragraph,
    /// and the end of its definition.
    pub(super) fn footnote_close(&mut self, label: &str) {
        let Some(note) = self.footnotes.get(label) else { return };
        let mut links = String::new();
        for r in 1..=note.references {
            let id = match r {
                1 => format!("fnref-{}", note.stem),
                n => format!("fnref-{}-{n}", note.stem),
            };
            let label = if note.references == 1 {
                format!("Back to the text of note {}", note.number)
            } else {
                format!("Back to reference {r} of note {}", note.number)
            };
            links.push_str(&format!(
                " <a href=\"#{id}\" class=\"footnote-backref\" role=\"doc-backlink\" aria-label=\"{label}\">\u{21a9}\u{fe0e}</a>"
            ));
        }
        if self.detail == Detail::Full {
            let at = match self.out.last() {
                Some(Event::End(TagEnd::Paragraph)) => self.out.len() - 1,
                _ => self.out.len(),
            };
            self.out.insert(at, Event::Html(links.into()));
        }
        self.push(Event::Html("</div>\n".into()));
    }

    /// A heading id from `text` that no other id of the page has.
    pub(super) fn unique_id(&mut self, text: &str) -> String {
        let base = slugify(text);
        // Empty slugs need a name; `vd-` ids belong to the theme.
        let base = if base.is_empty() || base.starts_with("vd-") {
            format!("section-{base}")
        } else {
            base
        };
        let base = base.trim_end_matches('-').to_string();
        // Numbering resumes where the last heading of this text stopped, so a page of
        // many headings with one text takes linear time, not quadratic.
        let mut n = self.next_suffix.get(&base).copied().unwrap_or(0);
        let mut id = if n == 0 { base.clone() } else { format!("{base}-{n}") };
        while self.ids.contains(&id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        self.next_suffix.insert(base, n + 1);
        self.ids.insert(id.clone());
        id
    }
}
