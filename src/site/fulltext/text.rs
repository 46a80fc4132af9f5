//! The text of a search document: an article's body HTML read into sections (prose
//! under each `##`/`###` heading, code left out), words cut from text, and the stemmer
//! of the site's language.

use std::borrow::Cow;
use std::cell::RefCell;

use rayon::prelude::*;
use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;

/// A part of an article's body: the heading it starts at (none for the text before the
/// first heading) and its prose.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Section {
    /// The heading's id, empty before the first heading.
    pub(super) id: String,
    /// The heading's text.
    pub(super) heading: String,
    /// The heading's level (2 or 3), 0 before the first heading.
    pub(super) level: u8,
    /// The prose, tags removed and entities decoded, without code blocks.
    pub(super) text: String,
}

/// The longest word indexed: longer runs of letters are not words a reader types.
pub(super) const MAX_WORD: usize = 40;

/// The words of `text`, lower-cased: runs of letters and digits.
pub(super) fn words(text: &str) -> impl Iterator<Item = Cow<'_, str>> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && w.chars().count() <= MAX_WORD)
        .map(|w| {
            // Most words are lower case already: those are not copied.
            if w.chars().any(char::is_uppercase) {
                Cow::Owned(w.to_lowercase())
            } else {
                Cow::Borrowed(w)
            }
        })
}

/// The stem of `word` by `stemmer`, the stemmer of `language`. Stems are remembered per
/// thread: the articles of a site share most of their words, and a word is stemmed once
/// for all of them rather than once per article.
pub(super) fn stem(stemmer: &Stemmer, language: &str, word: &str) -> String {
    /// Words remembered per thread before the memory starts again.
    const MAX_REMEMBERED: usize = 250_000;
    thread_local! {
        static STEMS: RefCell<(String, FxHashMap<String, String>)> = RefCell::default();
    }
    STEMS.with_borrow_mut(|(of, stems)| {
        if of != language || stems.len() >= MAX_REMEMBERED {
            language.clone_into(of);
            stems.clear();
        }
        if let Some(stem) = stems.get(word) {
            return stem.clone();
        }
        let stem = stemmer.stem(word).into_owned();
        stems.insert(word.to_string(), stem.clone());
        stem
    })
}

/// The Snowball stemmer for `language` (a tag such as `en` or `en-GB`), if there is one.
pub(super) fn stemmer(language: &str) -> Option<Stemmer> {
    let primary = language.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
    let algorithm = match primary.as_str() {
        "ar" => Algorithm::Arabic,
        "da" => Algorithm::Danish,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "en" => Algorithm::English,
        "es" => Algorithm::Spanish,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "hu" => Algorithm::Hungarian,
        "it" => Algorithm::Italian,
        "nl" => Algorithm::Dutch,
        "no" | "nb" | "nn" => Algorithm::Norwegian,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        _ => return None,
    };
    Some(Stemmer::create(algorithm))
}

/// The sections of the body HTML `html`: text outside tags, entities decoded, `<pre>`
/// blocks left out, block ends read as spaces, a new section at each `<h2>`/`<h3>`.
pub(super) fn sections(html: &str) -> Vec<Section> {
    let mut out = vec![Section::default()];
    let mut rest = html;
    let mut in_heading = false;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            push_text(&mut out, rest, in_heading);
            break;
        };
        push_text(&mut out, &rest[..lt], in_heading);
        rest = &rest[lt..];
        let end = rest.find('>').map_or(rest.len(), |i| i + 1);
        let tag = &rest[..end];
        rest = &rest[end..];
        let body = tag.trim_start_matches('<');
        let name = &body
            [..body.find(|c: char| !(c.is_ascii_alphanumeric() || c == '/')).unwrap_or(body.len())];
        let lower;
        let name = if name.bytes().any(|b| b.is_ascii_uppercase()) {
            lower = name.to_ascii_lowercase();
            lower.as_str()
        } else {
            name
        };
        match name {
            "pre" => {
                rest = rest.find("</pre>").map_or("", |i| &rest[i + "</pre>".len()..]);
                space(&mut out, false);
            }
            "h2" | "h3" => {
                let id = attribute(tag, "id").unwrap_or_default();
                out.push(Section { id, level: name.as_bytes()[1] - b'0', ..Section::default() });
                in_heading = true;
            }
            "/h2" | "/h3" => {
                let last = out.last_mut().expect("a section");
                let heading = last.heading.trim().trim_end_matches('#').trim_end().to_string();
                last.heading = heading;
                in_heading = false;
            }
            "a" if tag.contains("heading-anchor") => {
                rest = rest.find("</a>").map_or("", |i| &rest[i + "</a>".len()..]);
            }
            "br" | "p" | "/p" | "li" | "/li" | "div" | "/div" | "td" | "/td" | "th" | "/th"
            | "blockquote" | "/blockquote" | "aside" | "/aside" | "h4" | "/h4" | "h5" | "/h5"
            | "h6" | "/h6" | "dt" | "dd" | "figcaption" | "/figcaption" | "tr" | "/tr" => {
                space(&mut out, in_heading)
            }
            _ => {}
        }
    }
    for s in &mut out {
        s.text = collapse_whitespace(&s.text);
    }
    out.retain(|s| s.level == 0 || !s.heading.is_empty() || !s.text.is_empty());
    out
}

/// `text` with each run of white space made one space, and none at either end.
fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn space(out: &mut [Section], in_heading: bool) {
    let last = out.last_mut().expect("a section");
    let field = if in_heading { &mut last.heading } else { &mut last.text };
    if !field.ends_with(' ') && !field.is_empty() {
        field.push(' ');
    }
}

fn push_text(out: &mut [Section], text: &str, in_heading: bool) {
    if text.is_empty() {
        return;
    }
    let last = out.last_mut().expect("a section");
    let field = if in_heading { &mut last.heading } else { &mut last.text };
    decode_into(field, text);
}

/// The value of the attribute `name` in the start tag `tag`, decoded.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = tag[at..].find('"')? + at;
    let mut out = String::new();
    decode_into(&mut out, &tag[at..end]);
    Some(out)
}

/// Appends `text` with its character references decoded.
fn decode_into(out: &mut String, mut text: &str) {
    while let Some(amp) = text.find('&') {
        out.push_str(&text[..amp]);
        text = &text[amp..];
        let Some(semi) = text[..text.len().min(12)].find(';') else {
            out.push('&');
            text = &text[1..];
            continue;
        };
        let entity = &text[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                text = &text[semi + 1..];
            }
            None => {
                out.push('&');
                text = &text[1..];
            }
        }
    }
    out.push_str(text);
}

/// Endings tried on every word for [`variants`].
const ENDINGS: [&str; 9] = ["s", "es", "ed", "d", "ing", "er", "ers", "ings", "ly"];

/// Forms of the site's words that it does not use but that the stemmer reads as the same
/// word (`benchmarks` where the site says `benchmark`), each with its stem, sorted: the
/// reader's browser has no stemmer, so these let a query in another form find its stem.
pub(super) fn variants<'a>(
    surfaces: &FxHashMap<&'a str, &'a str>,
    stemmer: &Stemmer,
) -> Vec<(String, &'a str)> {
    let words: Vec<(&str, &str)> = surfaces.iter().map(|(w, s)| (*w, *s)).collect();
    let out = words.par_iter().flat_map_iter(|&(word, stem)| {
        forms(word, stem, stemmer)
            .into_iter()
            .filter(|form| !surfaces.contains_key(form.as_str()))
            .map(move |form| (form, stem))
    });
    sorted(out.collect())
}

/// The forms of `word` (whose stem is `stem`) that the stemmer reads as `stem`.
fn forms(word: &str, stem: &str, stemmer: &Stemmer) -> Vec<String> {
    let mut forms: Vec<String> = Vec::new();
    if word.chars().all(char::is_alphabetic) && word.len() >= 3 {
        forms.extend(ENDINGS.iter().map(|e| format!("{word}{e}")));
        if let Some(root) = word.strip_suffix('y') {
            forms.extend(["ies", "ied"].map(|e| format!("{root}{e}")));
        }
        if let Some(root) = word.strip_suffix('e') {
            forms.push(format!("{root}ing"));
        }
        forms.push(stem.to_string());
    }
    forms.retain(|form| stemmer.stem(form) == stem);
    forms
}

fn sorted(mut out: Vec<(String, &str)>) -> Vec<(String, &str)> {
    out.sort_unstable();
    out.dedup_by(|a, b| a.0 == b.0);
    out
}

/// The forms each word of the site is read from ([`forms`]), kept by an incremental
/// session from one bundle to the next: an edit that brings a word or takes one away
/// stems the forms of its new words only.
#[derive(Default)]
pub(super) struct Forms {
    by_word: FxHashMap<String, Vec<String>>,
}

impl Forms {
    /// [`variants`] of `surfaces`, from the forms kept for their words.
    pub(super) fn variants<'a>(
        &mut self,
        surfaces: &FxHashMap<&'a str, &'a str>,
        stemmer: &Stemmer,
    ) -> Vec<(String, &'a str)> {
        let words: Vec<(&str, &str)> = surfaces.iter().map(|(w, s)| (*w, *s)).collect();
        let new: Vec<(String, Vec<String>)> = words
            .par_iter()
            .filter(|(word, _)| !self.by_word.contains_key(*word))
            .map(|&(word, stem)| (word.to_string(), forms(word, stem, stemmer)))
            .collect();
        self.by_word.extend(new);
        // The words gone from the site go from here too.
        if self.by_word.len() > surfaces.len() {
            self.by_word.retain(|word, _| surfaces.contains_key(word.as_str()));
        }
        let by_word = &self.by_word;
        let out = words.par_iter().flat_map_iter(|&(word, stem)| {
            by_word[word]
                .iter()
                .filter(|form| !surfaces.contains_key(form.as_str()))
                .map(move |form| (form.clone(), stem))
        });
        sorted(out.collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_split_at_headings_and_leave_code_out() {
        let html = "<p>Intro &amp; more</p><pre><code>fn x()</code></pre>\
            <h2 id=\"speed\">Speed<a class=\"heading-anchor\" href=\"#speed\">#</a></h2>\
            <p>x &lt; y<br>z&#39;s</p><h3 id=\"a-b\">A &amp; B</h3><ul><li>one</li><li>two</li></ul>";
        let got = sections(html);
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[0].text, "Intro & more");
        assert_eq!((got[1].id.as_str(), got[1].heading.as_str()), ("speed", "Speed"));
        assert_eq!(got[1].text, "x < y z's");
        assert_eq!((got[2].heading.as_str(), got[2].level), ("A & B", 3));
        assert_eq!(got[2].text, "one two");
    }

    #[test]
    fn words_are_lower_cased_runs_of_letters_and_digits() {
        let got: Vec<Cow<str>> = words("Node.js — Zürich's C++ 2024").collect();
        assert_eq!(got, ["node", "js", "zürich", "s", "c", "2024"]);
    }

    #[test]
    fn english_stems_and_unknown_languages_do_not() {
        let en = stemmer("en-GB").unwrap();
        assert_eq!(en.stem("benchmarks"), en.stem("benchmark"));
        assert!(stemmer("xx").is_none());
    }
}
