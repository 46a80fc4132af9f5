//! The Atom feeds of a site: its own, one per technology and one per tag, each with
//! the articles changed last, in full. Every text is escaped for XML.

use std::fmt::Write as _;

use crate::config::SiteConfig;
use crate::error::Diagnostic;
use crate::markdown::callouts::{Outcome, join_names};
use crate::site::index::SiteIndex;
use crate::site::outlines::{RenderedArticle, RenderedSite};
use crate::urls::Urls;

/// Entries in each Atom feed.
pub const FEED_ENTRIES: usize = 20;

/// Escapes text for XML content and double-quoted attributes, dropping the characters
/// XML 1.0 does not allow at all (most C0 controls), which would make the file invalid.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    escape_into(&mut out, text);
    out
}

/// [`xml_escape`], appended to `out`.
fn escape_into(out: &mut String, text: &str) {
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let escaped = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\t' | '\n' | '\r' => continue,
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => "",
            _ => continue,
        };
        out.push_str(&text[start..i]);
        out.push_str(escaped);
        start = i + c.len_utf8();
    }
    out.push_str(&text[start..]);
}

/// Appends `html` to `out`, which is inside a CDATA section: as it is, but for the
/// characters XML 1.0 does not allow (dropped) and `]]>`, which would end the section
/// (split across two). Entries' HTML goes into the feeds this way rather than escaped:
/// it is most of a feed's bytes, and each article is in several feeds.
fn cdata_into(out: &mut String, html: &str) {
    // `]]` at the end of the last piece and `>` at the start of this one.
    if html.starts_with('>') && out.ends_with("]]") {
        out.push_str("]]><![CDATA[");
    }
    // 0xEF leads U+FFFE and U+FFFF (and other characters, which are looked at again).
    let suspect = |b: u8| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0xEF;
    if !html.bytes().any(suspect) && !html.contains("]]>") {
        out.push_str(html);
        return;
    }
    let clean: String = html
        .chars()
        .filter(|&c| {
            ((c as u32) >= 0x20 || matches!(c, '\t' | '\n' | '\r'))
                && c != '\u{fffe}'
                && c != '\u{ffff}'
        })
        .collect();
    out.push_str(&clean.replace("]]>", "]]]]><![CDATA[>"));
}

/// One Atom feed: where it goes, what it is called and its articles.
#[derive(Debug, Clone)]
pub struct FeedSpec {
    /// Output path: `feed.xml`, `compare/<id>/feed.xml`, `tags/<slug>/feed.xml`.
    pub rel: String,
    /// The feed's title.
    pub title: String,
    /// Its subtitle; empty for none.
    pub subtitle: String,
    /// `rel` of the page the feed follows (`""` for the home page).
    pub page: String,
    /// Its entries: indices of articles, most recently changed first.
    pub articles: Vec<usize>,
}

/// The articles by their last change (`updated`, else `date`), newest first; articles
/// changed the same day keep their order (newest `date` first).
pub fn by_last_change(site: &RenderedSite) -> Vec<usize> {
    let mut order: Vec<usize> = (0..site.articles.len()).collect();
    order.sort_by_key(|&i| {
        let a = &site.articles[i].article;
        std::cmp::Reverse(a.updated.unwrap_or(a.date))
    });
    order
}

/// Every feed of the site: the site's own (`/feed.xml`), one per technology and one per
/// tag, each with its [`FEED_ENTRIES`] most recently changed articles.
pub fn feed_specs(config: &SiteConfig, site: &RenderedSite, index: &SiteIndex) -> Vec<FeedSpec> {
    let order = by_last_change(site);
    let mut rank = vec![0; order.len()];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = r;
    }
    let newest = |articles: &[usize]| {
        let mut articles = articles.to_vec();
        articles.sort_by_key(|&i| rank[i]);
        articles.truncate(FEED_ENTRIES);
        articles
    };
    let mut specs = vec![FeedSpec {
        rel: "feed.xml".into(),
        title: config.title.clone(),
        subtitle: config.description.clone(),
        page: String::new(),
        articles: order.iter().copied().take(FEED_ENTRIES).collect(),
    }];
    for hub in &index.hubs {
        specs.push(FeedSpec {
            rel: format!("compare/{}/feed.xml", hub.id),
            title: format!("{} — {}", hub.name, config.title),
            subtitle: format!("Comparisons of {} on {}", hub.name, config.title),
            page: format!("compare/{}/", hub.id),
            articles: newest(&hub.articles),
        });
    }
    for tag in &index.tags {
        specs.push(FeedSpec {
            rel: format!("tags/{}/feed.xml", tag.slug),
            title: format!("Tagged “{}” — {}", tag.name, config.title),
            subtitle: format!("Comparisons tagged “{}” on {}", tag.name, config.title),
            page: format!("tags/{}/", tag.slug),
            articles: newest(&tag.articles),
        });
    }
    specs
}

/// The Atom (RFC 4287) feed of `spec`, its articles in full; `body` gives an article's
/// body HTML.
pub fn atom_feed(
    spec: &FeedSpec,
    config: &SiteConfig,
    site: &RenderedSite,
    urls: &Urls,
    body: &(dyn Fn(usize) -> Result<String, Diagnostic> + Sync),
) -> Result<String, Diagnostic> {
    let entries = &spec.articles;
    let updated = entries
        .iter()
        .map(|&i| &site.articles[i].article)
        .map(|a| a.updated.unwrap_or(a.date))
        .max()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| d.rfc3339());
    let page = urls.permalink(&spec.page);
    let mut xml = String::with_capacity(entries.len() * 64 * 1024);
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        xml,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\" xml:base=\"{}\">",
        xml_escape(&config.language),
        xml_escape(&config.base_url)
    );
    let _ = writeln!(xml, "  <title>{}</title>", xml_escape(&spec.title));
    if !spec.subtitle.is_empty() {
        let _ = writeln!(xml, "  <subtitle>{}</subtitle>", xml_escape(&spec.subtitle));
    }
    let _ = writeln!(
        xml,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        xml_escape(&urls.permalink(&spec.rel))
    );
    let _ = writeln!(
        xml,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        xml_escape(&page)
    );
    let _ = writeln!(xml, "  <id>{}</id>", xml_escape(&page));
    let _ = writeln!(xml, "  <updated>{updated}</updated>");
    let _ =
        writeln!(xml, "  <generator version=\"{}\">verdict</generator>", env!("CARGO_PKG_VERSION"));
    let authors: std::collections::HashMap<&str, &crate::site::outlines::RenderedAuthor> =
        site.authors.iter().map(|a| (a.author.id.as_str(), a)).collect();
    for &i in entries {
        let a = &site.articles[i];
        let article = &a.article;
        let _ = writeln!(xml, "  <entry>");
        let _ = writeln!(xml, "    <title>{}</title>", xml_escape(&article.title));
        let _ = writeln!(
            xml,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            xml_escape(&a.permalink)
        );
        let _ = writeln!(xml, "    <id>{}</id>", xml_escape(&a.permalink));
        let _ = writeln!(xml, "    <published>{}</published>", article.date.rfc3339());
        let _ = writeln!(
            xml,
            "    <updated>{}</updated>",
            article.updated.unwrap_or(article.date).rfc3339()
        );
        if let Some(author) = authors.get(article.author.as_str()) {
            let _ = writeln!(
                xml,
                "    <author><name>{}</name><uri>{}</uri></author>",
                xml_escape(&author.author.name),
                xml_escape(&author.permalink)
            );
        }
        for tag in &article.tags {
            let _ = writeln!(xml, "    <category term=\"{}\"/>", xml_escape(tag));
        }
        let _ = writeln!(xml, "    <summary>{}</summary>", xml_escape(&a.description));
        let _ =
            write!(xml, "    <content type=\"html\" xml:base=\"{}\">", xml_escape(&a.permalink));
        xml.push_str("<![CDATA[");
        cdata_into(&mut xml, &quick_verdict(a));
        cdata_into(&mut xml, &choose_if(a));
        for part in without_heading_anchors(&body(i)?) {
            cdata_into(&mut xml, part);
        }
        xml.push_str("]]></content>\n");
        let _ = writeln!(xml, "  </entry>");
    }
    xml.push_str("</feed>\n");
    Ok(xml)
}

/// The article's verdict as HTML, to open its feed entry: one item per winner callout,
/// `Performance: Rust`, `Tooling: Rust and Go (shared)`, `Cost: tie`, each criterion
/// linked to its section. Empty when the article has no callout.
fn quick_verdict(a: &RenderedArticle) -> String {
    let callouts = &a.body.callouts;
    if callouts.is_empty() {
        return String::new();
    }
    let mut html = String::from("<p><strong>The verdict</strong></p>\n<ul>\n");
    for callout in callouts {
        let criterion = xml_escape(&callout.criterion);
        html.push_str("<li>");
        match &callout.anchor {
            Some(anchor) => {
                let href = format!("{}#{anchor}", a.permalink);
                let _ = write!(html, "<a href=\"{}\">{criterion}</a>", xml_escape(&href));
            }
            None => html.push_str(&criterion),
        }
        let names: Vec<&str> = callout
            .winners
            .iter()
            .filter_map(|&i| a.article.contenders.get(i))
            .map(|c| c.name.as_str())
            .collect();
        let outcome = match (callout.outcome, names.as_slice()) {
            (Outcome::Tie, _) | (_, []) => "tie".to_string(),
            (Outcome::Win, [one]) => xml_escape(one),
            (_, names) => {
                let escaped: Vec<String> = names.iter().map(|n| xml_escape(n)).collect();
                format!("{} (shared)", join_names(&escaped))
            }
        };
        let _ = writeln!(html, ": {outcome}</li>");
    }
    html.push_str("</ul>\n");
    html
}

/// The "Choose X if" blocks that are not in the body (written as headings, they leave it
/// for the quick verdict), so that a feed reader sees them too.
fn choose_if(a: &RenderedArticle) -> String {
    let mut html = String::new();
    for block in a.body.choose_if.iter().filter(|c| c.anchor.is_none()) {
        let Some(contender) = a.article.contenders.get(block.contender) else { continue };
        let _ = writeln!(
            html,
            "<p><strong>Choose {} if…</strong></p>\n<ul>",
            xml_escape(&contender.name)
        );
        for reason in &block.reasons {
            let _ = writeln!(html, "<li>{reason}</li>");
        }
        html.push_str("</ul>\n");
    }
    html
}

/// `html` without the `#` links that headings carry on pages
/// (`<a class="heading-anchor" ...>#</a>`): in a feed reader they are stray glyphs.
fn without_heading_anchors(html: &str) -> Vec<&str> {
    const OPEN: &str = "<a class=\"heading-anchor\" ";
    let mut parts = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(OPEN) {
        let Some(len) = rest[start..].find("</a>") else { break };
        parts.push(&rest[..start]);
        rest = &rest[start + len + "</a>".len()..];
    }
    parts.push(rest);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_drops_invalid_xml_characters() {
        assert_eq!(xml_escape("a<b>&\"c\u{0}\u{8}d"), "a&lt;b&gt;&amp;&quot;cd");
    }

    #[test]
    fn html_in_cdata_reads_back_as_written() {
        let html = "<p>a]]>b</p>\u{1}\u{ffff}，<b>]]</b>";
        for pieces in [vec![html], vec!["<p>x]]", ">y</p>"]] {
            let mut xml = String::from("<c><![CDATA[");
            for piece in &pieces {
                cdata_into(&mut xml, piece);
            }
            xml.push_str("]]></c>");
            let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{xml}: {e}"));
            let text: String = doc.root_element().children().filter_map(|n| n.text()).collect();
            let expected: String = pieces.concat().replace(['\u{1}', '\u{ffff}'], "");
            assert_eq!(text, expected);
        }
    }

    #[test]
    fn drops_heading_anchors_only() {
        let html = "<h2 id=\"a\">A <code>x</code><a class=\"heading-anchor\" href=\"#a\" aria-label=\"Link to the section A x\">#</a></h2>\n<p><a href=\"#a\">#</a></p>";
        assert_eq!(
            without_heading_anchors(html).concat(),
            "<h2 id=\"a\">A <code>x</code></h2>\n<p><a href=\"#a\">#</a></p>"
        );
    }
}
