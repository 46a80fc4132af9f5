//! `<img>` tags in rendered HTML: finding their sources (for raw HTML in Markdown, whose
//! images are checked like Markdown's), and adding what the browser needs to lay the page
//! out before the image arrives (`width`, `height`), to fetch it late (`loading`,
//! `decoding`) and to pick a size that fits the screen (`srcset`, `sizes`, `<picture>`).

use std::ops::Range;

use pulldown_cmark_escape::escape_html;

/// One attribute of a tag: its name in lower case and its value, entities decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Attribute {
    name: String,
    value: Option<String>,
}

/// An `<img>` tag found in HTML.
#[derive(Debug)]
struct ImgTag {
    /// From `<` to just past `>`.
    range: Range<usize>,
    /// Where the attributes end: before `>` or `/>`.
    attrs_end: usize,
    attributes: Vec<Attribute>,
}

impl ImgTag {
    fn get(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|a| a.name == name).map(|a| a.value.as_deref().unwrap_or(""))
    }

    fn has(&self, name: &str) -> bool {
        self.attributes.iter().any(|a| a.name == name)
    }
}

/// Every `<img>` tag of `html`, outside comments.
fn img_tags(html: &str) -> Vec<ImgTag> {
    let bytes = html.as_bytes();
    let mut tags = Vec::new();
    let mut at = 0;
    while let Some(found) = html[at..].find('<') {
        let start = at + found;
        if html[start..].starts_with("<!--") {
            at = html[start + 4..].find("-->").map_or(html.len(), |end| start + 4 + end + 3);
            continue;
        }
        let is_img =
            bytes.get(start + 1..start + 4).is_some_and(|n| n.eq_ignore_ascii_case(b"img"))
                && bytes
                    .get(start + 4)
                    .is_some_and(|&c| c.is_ascii_whitespace() || c == b'/' || c == b'>');
        if !is_img {
            at = start + 1;
            continue;
        }
        match read_attributes(html, start + 4) {
            Some((attributes, attrs_end, end)) => {
                tags.push(ImgTag { range: start..end, attrs_end, attributes });
                at = end;
            }
            None => break,
        }
    }
    tags
}

/// The attributes of a tag from `at` (just past its name) on: them, where they end, and
/// the offset just past the tag's `>`; `None` when the tag is never closed.
fn read_attributes(html: &str, mut at: usize) -> Option<(Vec<Attribute>, usize, usize)> {
    let bytes = html.as_bytes();
    let mut attributes = Vec::new();
    loop {
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        match bytes.get(at)? {
            b'>' => return Some((attributes, at, at + 1)),
            b'/' if bytes.get(at + 1) == Some(&b'>') => return Some((attributes, at, at + 2)),
            b'/' => {
                at += 1;
                continue;
            }
            _ => {}
        }
        let name_start = at;
        while at < bytes.len()
            && !matches!(bytes[at], b'=' | b'>' | b'/')
            && !bytes[at].is_ascii_whitespace()
        {
            at += 1;
        }
        let name = html[name_start..at].to_ascii_lowercase();
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let mut value = None;
        if bytes.get(at) == Some(&b'=') {
            at += 1;
            while at < bytes.len() && bytes[at].is_ascii_whitespace() {
                at += 1;
            }
            let raw = match bytes.get(at)? {
                quote @ (b'"' | b'\'') => {
                    let end = at + 1 + html[at + 1..].find(*quote as char)?;
                    let raw = &html[at + 1..end];
                    at = end + 1;
                    raw
                }
                _ => {
                    let start = at;
                    while at < bytes.len() && bytes[at] != b'>' && !bytes[at].is_ascii_whitespace()
                    {
                        at += 1;
                    }
                    &html[start..at]
                }
            };
            value = Some(decode_entities(raw));
        }
        attributes.push(Attribute { name, value });
    }
}

/// The few character references an attribute value of a URL or size holds.
fn decode_entities(raw: &str) -> String {
    if !raw.contains('&') {
        return raw.to_string();
    }
    raw.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The `src` of every `<img>` in a fragment of raw HTML, with its offset in it.
pub fn img_sources(html: &str) -> Vec<(usize, String)> {
    img_tags(html)
        .into_iter()
        .filter_map(|tag| tag.get("src").map(|src| (tag.range.start, src.to_string())))
        .collect()
}

/// What an image offers the page: its size and the smaller copies made of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Copies in the image's own format: file-name suffix (`-640w.png`) and width, the
    /// original last, with an empty suffix.
    pub same_format: Vec<(String, u32)>,
    /// Copies in other formats: MIME type, and suffixes and widths.
    pub other_formats: Vec<(&'static str, Vec<(String, u32)>)>,
    /// The `sizes` attribute that goes with the copies.
    pub sizes: String,
}

/// Rewrites every `<img>` of `html` with what `offer(src)` gives: `width` and `height`
/// (unless the writer gave both), `loading="lazy"` (except for the first image when
/// `first_eager`) and `decoding="async"` unless given, and with copies a `srcset` and
/// `sizes` (and a `<picture>` for other formats) unless the writer gave a `srcset`.
pub fn rewrite(html: &str, first_eager: bool, offer: impl Fn(&str) -> Option<Offer>) -> String {
    let tags = img_tags(html);
    if tags.is_empty() {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + tags.len() * 160);
    let mut copied = 0;
    for (i, tag) in tags.iter().enumerate() {
        out.push_str(&html[copied..tag.range.start]);
        copied = tag.range.end;
        let src = tag.get("src").unwrap_or("");
        let offer = offer(src);
        let mut added = String::new();
        if let Some(offer) = &offer {
            let number = |name: &str| tag.get(name).and_then(|v| v.trim().parse::<u32>().ok());
            match (tag.has("width"), tag.has("height")) {
                (false, false) => {
                    added.push_str(&format!(
                        " width=\"{}\" height=\"{}\"",
                        offer.width, offer.height
                    ));
                }
                // One side given: the other follows the image's proportions.
                (true, false) => {
                    if let Some(w) = number("width") {
                        let h = scaled(offer.height, w, offer.width);
                        added.push_str(&format!(" height=\"{h}\""));
                    }
                }
                (false, true) => {
                    if let Some(h) = number("height") {
                        let w = scaled(offer.width, h, offer.height);
                        added.push_str(&format!(" width=\"{w}\""));
                    }
                }
                (true, true) => {}
            }
        }
        let eager = first_eager && i == 0;
        if !eager && !tag.has("loading") {
            added.push_str(" loading=\"lazy\"");
        }
        if !tag.has("decoding") {
            added.push_str(" decoding=\"async\"");
        }
        let copies = offer.as_ref().filter(|o| o.same_format.len() > 1 && !tag.has("srcset"));
        // Added after the last attribute, before the space and `/>` or `>` that close it.
        let head = html[tag.range.start..tag.attrs_end].trim_end();
        let tail = &html[tag.range.start + head.len()..tag.range.end];
        let img = |added: &str| format!("{head}{added}{tail}");
        let Some(offer) = copies else {
            out.push_str(&img(&added));
            continue;
        };
        let srcset = |copies: &[(String, u32)]| {
            copies
                .iter()
                .map(|(suffix, width)| match suffix.as_str() {
                    "" => format!("{src} {width}w"),
                    suffix => format!("{} {width}w", copy_url(src, suffix)),
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        added.push_str(" srcset=\"");
        let _ = escape_html(&mut added, &srcset(&offer.same_format));
        added.push_str("\" sizes=\"");
        let _ = escape_html(&mut added, &offer.sizes);
        added.push('"');
        if offer.other_formats.is_empty() {
            out.push_str(&img(&added));
            continue;
        }
        out.push_str("<picture>");
        for (mime, copies) in &offer.other_formats {
            out.push_str(&format!("<source type=\"{mime}\" srcset=\""));
            let _ = escape_html(&mut out, &srcset(copies));
            out.push_str("\" sizes=\"");
            let _ = escape_html(&mut out, &offer.sizes);
            out.push_str("\">");
        }
        out.push_str(&img(&added));
        out.push_str("</picture>");
    }
    out.push_str(&html[copied..]);
    out
}

/// `side * given / full`, rounded, at least 1.
fn scaled(side: u32, given: u32, full: u32) -> u32 {
    ((u64::from(side) * u64::from(given) + u64::from(full) / 2) / u64::from(full.max(1))).max(1)
        as u32
}

/// The URL of a copy of the image at `src`: its file stem with `suffix` (`-640w.webp`)
/// instead of its extension; query and fragment are dropped.
pub fn copy_url(src: &str, suffix: &str) -> String {
    let path = src.split(['?', '#']).next().unwrap_or(src);
    let name_start = path.rfind('/').map_or(0, |i| i + 1);
    let stem_end = path[name_start..].rfind('.').map_or(path.len(), |i| name_start + i);
    format!("{}{suffix}", &path[..stem_end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_img_sources_outside_comments() {
        let html = "<p><!-- <img src=\"no.png\"> --><IMG alt='a > b' SRC='a&amp;b.png'/><imgx src=x><img\nsrc=c.svg></p>";
        let found: Vec<String> = img_sources(html).into_iter().map(|(_, s)| s).collect();
        assert_eq!(found, ["a&b.png", "c.svg"]);
    }

    #[test]
    fn adds_sizes_loading_and_copies() {
        let offer = |src: &str| {
            (src != "x.png").then(|| Offer {
                width: 1600,
                height: 900,
                same_format: vec![("-640w.png".into(), 640), (String::new(), 1600)],
                other_formats: vec![(
                    "image/webp",
                    vec![("-640w.webp".into(), 640), ("-1600w.webp".into(), 1600)],
                )],
                sizes: "100vw".into(),
            })
        };
        let html = "<p><img src=\"a/chart.png?v=1\" alt=\"c\" /></p><img src=\"x.png\"><img src=\"b.png\" width=\"800\" loading=\"eager\" srcset=\"b.png 1x\">";
        let out = rewrite(html, true, offer);
        assert_eq!(
            out,
            "<p><picture><source type=\"image/webp\" srcset=\"a/chart-640w.webp 640w, a/chart-1600w.webp 1600w\" sizes=\"100vw\"><img src=\"a/chart.png?v=1\" alt=\"c\" width=\"1600\" height=\"900\" decoding=\"async\" srcset=\"a/chart-640w.png 640w, a/chart.png?v=1 1600w\" sizes=\"100vw\" /></picture></p>\
             <img src=\"x.png\" loading=\"lazy\" decoding=\"async\">\
             <img src=\"b.png\" width=\"800\" loading=\"eager\" srcset=\"b.png 1x\" height=\"450\" decoding=\"async\">"
        );
    }
}
