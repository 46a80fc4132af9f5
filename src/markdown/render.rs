//! Markdown to HTML in two passes over pulldown-cmark's events; what they produce is in
//! [`document`](super::document), and rendering through the cache of documents in
//! `markdown::documents`.
//!
//! 1. Links to `.md` files are rewritten to their target's URL (missing targets become
//!    errors) and prose words are counted.
//! 2. Block structure: headings get unique ids, anchor links and a table of contents;
//!    fenced code is highlighted; in articles, `Winner:` paragraphs become callouts for the
//!    criterion of the nearest `##` heading, and "Choose X if" headings or paragraphs
//!    collect the list that follows.

use std::collections::{HashMap, HashSet};

use std::ops::Range;

use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html,
};
use pulldown_cmark_escape::escape_html;

use crate::content::article::Contender;
use crate::error::Diagnostic;
use crate::images::markup::img_sources;
use crate::markdown::callouts::{
    Outcome, choose_if_contender, choose_if_name, read_winners, strip_label,
};
use crate::markdown::highlight::block_key;
use crate::markdown::links::Resolved;

pub use crate::markdown::document::*;

mod comparison;
mod ids;
use ids::Footnote;

/// The Markdown extensions verdict reads (SPEC §2): tables, footnotes, strikethrough,
/// task lists and heading attributes.
pub fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders one document.
pub fn render(env: &Env<'_>, src: &Source<'_>, detail: Detail) -> Rendered {
    let options = parser_options();
    let mut events: Vec<(Event<'_>, Range<usize>)> =
        Parser::new_ext(src.body, options).into_offset_iter().collect();
    let lines = LineIndex::new(src.body, src.body_line);
    let mut rendered = Rendered::default();
    rewrite_links(env, src, &lines, &mut events, &mut rendered);
    let (events, starts): (Vec<Event<'_>>, Vec<usize>) =
        events.into_iter().map(|(e, r)| (e, r.start)).unzip();
    Structure::new(env, src, detail, &mut rendered).run(&events, &starts, &lines, src);
    // Outlines of a whole site are held at once: no room left over from growing.
    rendered.shrink_to_fit();
    rendered
}

struct LineIndex {
    starts: Vec<usize>,
    first_line: usize,
    text_len: usize,
    /// The last offset located and its column, so that many places on one long line
    /// (in order, as events come) cost linear time, not quadratic.
    last: std::cell::Cell<(usize, usize)>,
}

impl LineIndex {
    fn new(text: &str, first_line: usize) -> LineIndex {
        let starts =
            std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        LineIndex { starts, first_line, text_len: text.len(), last: std::cell::Cell::new((0, 1)) }
    }

    /// File line and 1-based column of a byte offset of the body.
    fn locate(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text_len);
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let (last_offset, last_column) = self.last.get();
        let column = if last_offset >= self.starts[line] && last_offset <= offset {
            last_column + text[last_offset..offset].chars().count()
        } else {
            text[self.starts[line]..offset].chars().count() + 1
        };
        self.last.set((offset, column));
        (self.first_line + line, column)
    }
}

/// Pass 1: link rewriting and word count.
fn rewrite_links(
    env: &Env<'_>,
    src: &Source<'_>,
    lines: &LineIndex,
    events: &mut [(Event<'_>, Range<usize>)],
    rendered: &mut Rendered,
) {
    let mut in_code = false;
    for (event, range) in events.iter_mut() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(text) | Event::Code(text) if !in_code => {
                rendered.word_count += text.split_whitespace().count();
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                let (line, column) = lines.locate(src.body, range.start);
                rendered.images.push(Placed { text: dest_url.to_string(), line, column });
            }
            // Raw `<img>` tags are the document's images too.
            Event::Html(html) | Event::InlineHtml(html) if !in_code => {
                for (offset, text) in img_sources(html) {
                    let (line, column) = lines.locate(src.body, range.start + offset);
                    rendered.images.push(Placed { text, line, column });
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => match env.links.resolve(src.path, dest_url)
            {
                Resolved::Untouched if may_lead_into_site(dest_url) => {
                    let (line, column) = lines.locate(src.body, range.start);
                    rendered.site_links.push(Placed { text: dest_url.to_string(), line, column });
                }
                Resolved::Untouched => {}
                Resolved::Internal { url, target, anchor } => {
                    *dest_url = CowStr::from(url);
                    if let Some(anchor) = anchor {
                        let (line, column) = lines.locate(src.body, range.start);
                        rendered.anchor_links.push(AnchorLink { target, anchor, line, column });
                    }
                }
                Resolved::Missing(message) => {
                    let (line, column) = lines.locate(src.body, range.start);
                    let hint = env.links.missing_hint(src.path, dest_url);
                    rendered
                        .errors
                        .push(Diagnostic::new(src.path, message).at(line, column).hint(hint));
                }
            },
            _ => {}
        }
    }
}

/// Whether a link untouched by the link map may lead to a page of the site: a
/// root-relative path, or an absolute http(s) URL (the site's own, or not).
fn may_lead_into_site(dest: &str) -> bool {
    let lower = dest.get(..8).unwrap_or(dest).to_ascii_lowercase();
    dest.starts_with('/') || lower.starts_with("http://") || lower.starts_with("https://")
}

/// Pass 2 state.
struct Structure<'e, 'r> {
    env: &'e Env<'e>,
    contenders: &'e [Contender],
    rendered: &'r mut Rendered,
    ids: HashSet<String>,
    /// For each heading slug, the suffix its next duplicate tries first.
    next_suffix: HashMap<String, usize>,
    criterion: String,
    criterion_anchor: Option<String>,
    pending_choose: Option<usize>,
    /// Whether the pending "Choose X if" came from a heading, whose list then leaves the
    /// body (the quick verdict shows it); else the id of its paragraph.
    choose_placed: Option<String>,
    lifting: bool,
    /// Events pushed so far, in both details (to tell an emptied section).
    emitted: usize,
    /// The last `##` heading: where its events start and end in `out`, `emitted` after
    /// it, and whether a "Choose X if" block left its section.
    section: Option<Section>,
    /// Footnotes by label: their number, id stem and the references seen so far.
    footnotes: HashMap<String, Footnote>,
    out: Vec<Event<'e>>,
    detail: Detail,
}

/// A `##` heading, to drop when the "Choose X if" blocks it held left it empty.
struct Section {
    out_start: usize,
    emitted: usize,
    id: String,
    lifted: bool,
}

impl<'e, 'r> Structure<'e, 'r> {
    fn new(env: &'e Env<'e>, src: &Source<'e>, detail: Detail, rendered: &'r mut Rendered) -> Self {
        Structure {
            env,
            contenders: src.contenders,
            rendered,
            ids: HashSet::new(),
            next_suffix: HashMap::new(),
            criterion: "Overall".to_string(),
            criterion_anchor: None,
            pending_choose: None,
            choose_placed: None,
            lifting: false,
            emitted: 0,
            section: None,
            footnotes: HashMap::new(),
            out: Vec::new(),
            detail,
        }
    }

    fn run(mut self, events: &[Event<'e>], starts: &[usize], lines: &LineIndex, src: &Source<'_>) {
        let mut depth = 0usize;
        let mut i = 0;
        self.reserve_ids(events, starts, lines, src);
        // Footnote references, wherever they are (paragraphs are pushed whole), become
        // their links.
        let events: &[Event<'e>] = &events
            .iter()
            .map(|e| match e {
                Event::FootnoteReference(label) => self.footnote_reference(label),
                e => e.clone(),
            })
            .collect::<Vec<_>>();
        let mut footnote_stack: Vec<CowStr<'e>> = Vec::new();
        self.out.reserve(events.len() + 16);
        while i < events.len() {
            match &events[i] {
                Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                    let end = matching_end(events, i);
                    if matches!(level, HeadingLevel::H2 | HeadingLevel::H3) {
                        self.note_choose_if(&events[i + 1..end], starts[i], lines, src);
                        // `## Choose Rust if` with its list leaves the body: the quick
                        // verdict shows it, once.
                        let text = plain_text(&events[i + 1..end]);
                        let contender = match self.contenders {
                            [] => None,
                            contenders => choose_if_contender(&text, contenders),
                        };
                        let list_follows =
                            matches!(events.get(end + 1), Some(Event::Start(Tag::List(_))));
                        if let (Some(contender), true) = (contender, list_follows) {
                            if *level == HeadingLevel::H2 {
                                self.close_section();
                            }
                            self.pending_choose = Some(contender);
                            self.lifting = true;
                            if let Some(section) = &mut self.section {
                                section.lifted = true;
                            }
                            i = end + 1;
                            continue;
                        }
                    }
                    if *level == HeadingLevel::H2 {
                        self.close_section();
                    }
                    let out_start = self.out.len();
                    self.heading(*level, id.as_deref(), classes, attrs, &events[i + 1..end]);
                    if *level == HeadingLevel::H2 {
                        self.section = Some(Section {
                            out_start,
                            emitted: self.emitted,
                            id: self.criterion_anchor.clone().unwrap_or_default(),
                            lifted: false,
                        });
                    }
                    i = end + 1;
                    continue;
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let end = matching_end(events, i);
                    let mut code = String::new();
                    for event in &events[i + 1..end] {
                        if let Event::Text(text) = event {
                            code.push_str(text);
                        }
                    }
                    let lang = match kind {
                        CodeBlockKind::Fenced(info) => {
                            info.split(|c: char| c.is_whitespace() || c == ',' || c == '{').next()
                        }
                        CodeBlockKind::Indented => None,
                    }
                    .filter(|l| !l.is_empty());
                    let key = block_key(&code, lang);
                    self.rendered.code_keys.push(key);
                    if self.detail == Detail::Full {
                        let html = self.env.highlighter.highlight_keyed(key, &code, lang);
                        self.push(Event::Html(html.to_string().into()));
                    }
                    self.pending_choose = None;
                    i = end + 1;
                    continue;
                }
                Event::Start(Tag::Paragraph) if depth == 0 => {
                    let end = matching_end(events, i);
                    self.note_choose_if(&events[i + 1..end], starts[i], lines, src);
                    let line = lines.locate(src.body, starts[i]).0;
                    self.paragraph(&events[i + 1..end], line);
                    i = end + 1;
                    continue;
                }
                Event::Start(Tag::Table(_)) => {
                    let end = matching_end(events, i);
                    self.push(Event::Html(table_html(&events[i..=end]).into()));
                    if depth == 0 {
                        self.pending_choose = None;
                    }
                    i = end + 1;
                    continue;
                }
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    depth += 1;
                    if depth <= 1 {
                        self.pending_choose = None;
                    }
                    self.footnote_open(label);
                    footnote_stack.push(label.clone());
                    i += 1;
                    continue;
                }
                Event::End(TagEnd::FootnoteDefinition) => {
                    depth = depth.saturating_sub(1);
                    if let Some(label) = footnote_stack.pop() {
                        self.footnote_close(&label);
                    }
                    i += 1;
                    continue;
                }
                Event::TaskListMarker(done) => {
                    let (checked, label) =
                        if *done { (" checked", "Done") } else { ("", "Not done") };
                    let input = format!(
                        "<input type=\"checkbox\" disabled{checked} aria-label=\"{label}\"> "
                    );
                    self.push(Event::Html(input.into()));
                    i += 1;
                    continue;
                }
                Event::Start(Tag::List(_)) if depth == 0 && self.pending_choose.is_some() => {
                    let end = matching_end(events, i);
                    self.choose_if_list(&events[i..=end]);
                    i = end + 1;
                    continue;
                }
                Event::Start(tag) => {
                    if matches!(tag, Tag::BlockQuote(_) | Tag::List(_) | Tag::Item) {
                        depth += 1;
                    }
                    if depth <= 1 && !matches!(tag, Tag::Item) {
                        self.pending_choose = None;
                    }
                }
                Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item) => {
                    depth = depth.saturating_sub(1);
                }
                Event::Html(_) | Event::Rule if depth == 0 => self.pending_choose = None,
                _ => {}
            }
            self.push(events[i].clone());
            i += 1;
        }
        self.close_section();
        if self.detail == Detail::Full {
            let mut html_out = String::with_capacity(src.body.len() * 2);
            html::push_html(&mut html_out, self.out.into_iter());
            self.rendered.html = html_out;
        }
    }

    /// Records the name of a "Choose X if" block whose text is `inner` and which starts at
    /// byte `start` of the body (in articles, where such blocks mean something).
    fn note_choose_if(
        &mut self,
        inner: &[Event<'e>],
        start: usize,
        lines: &LineIndex,
        src: &Source<'_>,
    ) {
        if self.contenders.is_empty() {
            return;
        }
        let text = plain_text(inner);
        let Some(name) = choose_if_name(&text) else { return };
        if name.is_empty() || name.split_whitespace().count() > 3 {
            return;
        }
        let at = src.body[start..].find(name).map_or(start, |i| start + i);
        let (line, column) = lines.locate(src.body, at);
        self.rendered.choose_if_names.push(Placed { text: name.to_string(), line, column });
    }

    /// Adds an event to the body; an outline has no body.
    fn push(&mut self, event: Event<'e>) {
        self.emitted += 1;
        if self.detail == Detail::Full {
            self.out.push(event);
        }
    }

    fn extend(&mut self, events: impl IntoIterator<Item = Event<'e>>) {
        for event in events {
            self.push(event);
        }
    }

    fn heading(
        &mut self,
        level: HeadingLevel,
        explicit_id: Option<&str>,
        classes: &[CowStr<'_>],
        attrs: &[(CowStr<'_>, Option<CowStr<'_>>)],
        inner: &[Event<'e>],
    ) {
        let text = plain_text(inner);
        let id = match explicit_id {
            Some(id) => {
                self.ids.insert(id.to_string());
                id.to_string()
            }
            None => self.unique_id(&text),
        };
        let n = level as u8;
        if level == HeadingLevel::H2 {
            self.criterion = strip_number(&text).to_string();
            self.criterion_anchor = Some(id.clone());
        }
        if n == 2 || n == 3 {
            let entry =
                TocEntry { level: n, id: id.clone(), title: text.clone(), children: Vec::new() };
            match self.rendered.toc.last_mut() {
                Some(parent) if n == 3 && parent.level == 2 => parent.children.push(entry),
                _ => self.rendered.toc.push(entry),
            }
        }
        self.pending_choose = if self.contenders.is_empty() {
            None
        } else {
            choose_if_contender(&text, self.contenders)
        };
        self.rendered.heading_ids.push(id.clone());

        let mut open = format!("<h{n} id=\"");
        let _ = escape_html(&mut open, &id);
        open.push('"');
        if !classes.is_empty() {
            open.push_str(" class=\"");
            let _ = escape_html(&mut open, &classes.join(" "));
            open.push('"');
        }
        for (name, value) in attrs {
            open.push(' ');
            let _ = escape_html(&mut open, name);
            if let Some(value) = value {
                open.push_str("=\"");
                let _ = escape_html(&mut open, value);
                open.push('"');
            }
        }
        open.push('>');
        self.push(Event::Html(open.into()));
        self.extend(inner.iter().cloned());
        let mut close = String::from("<a class=\"heading-anchor\" href=\"#");
        let _ = escape_html(&mut close, &id);
        close.push_str("\" aria-label=\"Link to the section ");
        let _ = escape_html(&mut close, &text);
        close.push_str(&format!("\">#</a></h{n}>\n"));
        self.push(Event::Html(close.into()));
    }

    fn paragraph(&mut self, inner: &[Event<'e>], line: usize) {
        let text = plain_text(inner);
        if !self.contenders.is_empty() {
            if let Some(rest) = strip_label(&text, self.env.winner_label) {
                self.callout(rest, inner, line);
                self.pending_choose = None;
                return;
            }
            if let Some(contender) = choose_if_contender(&text, self.contenders) {
                // Placed in the body on purpose: it stays, and the quick verdict links to it.
                let id = self.unique_id(&format!("choose-{}", self.contenders[contender].id));
                self.pending_choose = Some(contender);
                self.lifting = false;
                self.choose_placed = Some(id.clone());
                self.rendered.heading_ids.push(id.clone());
                let mut open = String::from("<p id=\"");
                let _ = escape_html(&mut open, &id);
                open.push_str("\">");
                self.push(Event::Html(open.into()));
                self.extend(inner.iter().cloned());
                self.push(Event::Html("</p>\n".into()));
                return;
            }
        }
        if self.rendered.first_paragraph.is_empty() {
            self.rendered.first_paragraph = text;
        }
        self.pending_choose = None;
        self.push_paragraph(inner);
    }

    fn push_paragraph(&mut self, inner: &[Event<'e>]) {
        self.push(Event::Start(Tag::Paragraph));
        self.extend(inner.iter().cloned());
        self.push(Event::End(TagEnd::Paragraph));
    }
}

/// A table in a focusable, scrolling wrapper, with column alignment as classes instead
/// of the inline styles pulldown-cmark writes.
fn table_html(events: &[Event<'_>]) -> String {
    let mut table = String::new();
    html::push_html(&mut table, events.iter().cloned());
    let table = table
        .replace(" style=\"text-align: left\"", " class=\"align-left\"")
        .replace(" style=\"text-align: center\"", " class=\"align-center\"")
        .replace(" style=\"text-align: right\"", " class=\"align-right\"");
    format!(
        "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Table\">\n{table}</div>\n"
    )
}

/// The index of the event closing the one opened at `start`.
fn matching_end(events: &[Event<'_>], start: usize) -> usize {
    let mut depth = 0usize;
    for (i, event) in events.iter().enumerate().skip(start) {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    events.len() - 1
}

/// Text content of inline events.
fn plain_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text
}

/// `1. Performance` → `Performance`.
fn strip_number(text: &str) -> &str {
    let trimmed = text.trim();
    let digits = trimmed.len() - trimmed.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 {
        return trimmed;
    }
    match trimmed[digits..].strip_prefix(['.', ')']) {
        Some(rest) if rest.starts_with(' ') => rest.trim_start(),
        _ => trimmed,
    }
}

fn unwrap_paragraph(html: &str) -> &str {
    match html.strip_prefix("<p>").and_then(|h| h.strip_suffix("</p>")) {
        Some(inner) if !inner.contains("<p>") => inner,
        _ => html,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::article::Article;
    use crate::markdown::highlight::Highlighter;
    use crate::markdown::links::LinkMap;
    use std::path::Path;

    #[test]
    fn outlines_place_images_and_choose_if_names() {
        let text = "---\ntitle: T\ndate: 2025-01-01\nauthor: a\ncontenders: [Go, Zig]\n---\n";
        let article = Article::parse(Path::new("articles/t.md"), text, "t", None).unwrap();
        let highlighter =
            Highlighter::new(crate::config::DEFAULT_LIGHT_THEME, crate::config::DEFAULT_DARK_THEME)
                .unwrap();
        let links = LinkMap::default();
        let markers: Vec<String> = Vec::new();
        let env = Env {
            highlighter: &highlighter,
            links: &links,
            winner_label: "Winner",
            markers: &markers,
            documents: None,
        };
        let body = "Intro ![a](a.png) <img alt=x src=\"b.svg\">.\n\n## Choose Rsut if\n\n- x\n\nChoose Go if:\n\n- In a list: Choose Zig if:\n";
        let source = Source {
            path: Path::new("articles/t.md"),
            body,
            body_line: 5,
            contenders: &article.contenders,
        };
        let outline = render(&env, &source, Detail::Outline);
        let placed = |p: &[Placed]| -> Vec<(String, usize, usize)> {
            p.iter().map(|p| (p.text.clone(), p.line, p.column)).collect()
        };
        assert_eq!(
            placed(&outline.images),
            [("a.png".to_string(), 5, 7), ("b.svg".to_string(), 5, 19)]
        );
        assert_eq!(
            placed(&outline.choose_if_names),
            [("Rsut".to_string(), 7, 11), ("Go".to_string(), 11, 8)]
        );
    }
}
