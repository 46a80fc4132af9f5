//! The comparison blocks of a body: winner callouts (who they name, as a box) and
//! "Choose X if" blocks (their reasons for the quick verdict; a heading and its list
//! leave the body, a paragraph stays and is linked to).

use pulldown_cmark::{CowStr, Event, Tag, TagEnd, html};
use pulldown_cmark_escape::escape_html;

use super::{Callout, ChooseIf, Outcome, Structure, read_winners, strip_label, unwrap_paragraph};
use crate::markdown::callouts::join_names;

impl<'e> Structure<'e, '_> {
    pub(super) fn callout(&mut self, rest: &str, inner: &[Event<'e>], line: usize) {
        let body = strip_label_events(inner, self.env.winner_label);
        let reading = read_winners(rest, &bold_texts(&body), self.contenders, self.env.markers);
        let winners = reading.winners;
        let outcome = Outcome::of(winners.len());
        let mut summary = String::new();
        html::push_html(&mut summary, body.iter().cloned());

        let names: Vec<&str> = winners.iter().map(|&w| self.contenders[w].name.as_str()).collect();
        let (label, names) = match outcome {
            Outcome::Win => (self.env.winner_label, names[0].to_string()),
            Outcome::Split => ("Split", join_names(&names)),
            Outcome::Tie => ("Tie", "No single winner".to_string()),
        };
        let ids: Vec<&str> = winners.iter().map(|&w| self.contenders[w].id.as_str()).collect();
        let mut open =
            String::from("<div class=\"winner-callout\" role=\"note\" data-criterion=\"");
        let _ = escape_html(&mut open, &self.criterion);
        open.push_str("\" data-winners=\"");
        let _ = escape_html(&mut open, &ids.join(" "));
        open.push_str("\" data-outcome=\"");
        open.push_str(outcome.as_str());
        open.push_str(
            "\">\n<p class=\"winner-callout-title\"><span class=\"winner-callout-label\">",
        );
        let _ = escape_html(&mut open, label);
        open.push_str("</span> <span class=\"winner-callout-names\">");
        let _ = escape_html(&mut open, &names);
        open.push_str("</span></p>\n");
        self.push(Event::Html(open.into()));
        self.push_paragraph(&body);
        self.push(Event::Html("</div>\n".into()));

        self.rendered.callouts.push(Callout {
            criterion: self.criterion.clone(),
            anchor: self.criterion_anchor.clone(),
            winners,
            outcome,
            explicit: reading.explicit,
            dropped: reading.dropped,
            text: rest.trim().to_string(),
            html: summary.trim().trim_start_matches("<p>").trim_end_matches("</p>").to_string(),
            line,
        });
    }

    pub(super) fn choose_if_list(&mut self, list: &[Event<'e>]) {
        let contender = self.pending_choose.take().expect("checked by caller");
        let mut reasons = Vec::new();
        let mut depth = 0usize;
        let mut item_start = None;
        for (i, event) in list.iter().enumerate() {
            match event {
                Event::Start(Tag::Item) => {
                    if depth == 0 {
                        item_start = Some(i + 1);
                    }
                    depth += 1;
                }
                Event::End(TagEnd::Item) => {
                    depth -= 1;
                    if depth == 0 {
                        if let Some(start) = item_start.take() {
                            let mut html_item = String::new();
                            html::push_html(&mut html_item, list[start..i].iter().cloned());
                            reasons.push(unwrap_paragraph(html_item.trim()).to_string());
                        }
                    }
                }
                _ => {}
            }
        }
        let anchor = if self.lifting { None } else { self.choose_placed.take() };
        match self.rendered.choose_if.iter_mut().find(|c| c.contender == contender) {
            Some(existing) => {
                existing.reasons.extend(reasons);
                existing.anchor = existing.anchor.take().or(anchor);
            }
            None => self.rendered.choose_if.push(ChooseIf { contender, reasons, anchor }),
        }
        if !std::mem::take(&mut self.lifting) {
            self.extend(list.iter().cloned());
        }
    }

    /// Ends the current `##` section: when "Choose X if" blocks left it and nothing else
    /// is in it, its heading goes too (from the body, the table of contents and the ids
    /// links may target).
    pub(super) fn close_section(&mut self) {
        let Some(section) = self.section.take() else { return };
        if !section.lifted || self.emitted != section.emitted {
            return;
        }
        self.out.truncate(section.out_start);
        if self.rendered.toc.last().is_some_and(|t| t.id == section.id) {
            self.rendered.toc.pop();
        }
        self.rendered.heading_ids.retain(|id| *id != section.id);
    }
}

/// The callout's inline events without the leading `Winner:` (bold or not).
fn strip_label_events<'a>(inner: &[Event<'a>], label: &str) -> Vec<Event<'a>> {
    let mut events = inner.to_vec();
    let Some(pos) = events.iter().position(|e| matches!(e, Event::Text(_))) else {
        return events;
    };
    let Event::Text(text) = &events[pos] else { unreachable!() };
    let Some(rest) = strip_label(text, label) else {
        return events;
    };
    let rest = rest.trim_start().to_string();
    let mut next = pos;
    if rest.is_empty() {
        events.remove(pos);
        let wrapped = pos > 0
            && matches!(events[pos - 1], Event::Start(Tag::Strong | Tag::Emphasis))
            && matches!(events.get(pos), Some(Event::End(TagEnd::Strong | TagEnd::Emphasis)));
        if wrapped {
            events.remove(pos);
            events.remove(pos - 1);
            next = pos - 1;
        }
        while matches!(events.get(next), Some(Event::SoftBreak)) {
            events.remove(next);
        }
        if let Some(Event::Text(t)) = events.get_mut(next) {
            *t = CowStr::from(t.trim_start().to_string());
        }
    } else {
        events[pos] = Event::Text(CowStr::from(rest));
    }
    events
}

/// The text of each bold span among `events`.
fn bold_texts(events: &[Event<'_>]) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    for event in events {
        match event {
            Event::Start(Tag::Strong) => {
                if depth == 0 {
                    out.push(String::new());
                }
                depth += 1;
            }
            Event::End(TagEnd::Strong) => depth = depth.saturating_sub(1),
            Event::Text(t) | Event::Code(t) if depth > 0 => {
                if let Some(last) = out.last_mut() {
                    last.push_str(t);
                }
            }
            _ => {}
        }
    }
    out
}
