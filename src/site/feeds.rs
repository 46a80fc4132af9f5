//! The machine-readable files of a site: the Atom feed, the sitemap, `robots.txt` and
//! the client-side search index. Every text is escaped for its format.

use std::fmt::Write as _;

use crate::config::SiteConfig;
use crate::error::Diagnostic;
use crate::markdown::render::Env;
use crate::site::outlines::RenderedSite;
use crate::urls::Urls;

/// Entries in the Atom feed.
pub const FEED_ENTRIES: usize = 20;

/// Escapes text for XML content and double-quoted attributes, dropping the characters
/// XML 1.0 does not allow at all (most C0 controls), which would make the file invalid.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// `/feed.xml`: Atom (RFC 4287) with the newest articles, in full.
pub fn atom_feed(
    env: &Env<'_>,
    config: &SiteConfig,
    site: &RenderedSite,
    urls: &Urls,
    root: &std::path::Path,
    bodies: &std::collections::HashMap<usize, String>,
) -> Result<String, Diagnostic> {
    let entries = &site.articles[..site.articles.len().min(FEED_ENTRIES)];
    let updated = entries
        .iter()
        .map(|a| a.article.updated.unwrap_or(a.article.date))
        .max()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| d.rfc3339());
    let authors: std::collections::HashMap<&str, &crate::site::outlines::RenderedAuthor> =
        site.authors.iter().map(|a| (a.author.id.as_str(), a)).collect();
    let mut xml = String::with_capacity(entries.len() * 64 * 1024);
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        xml,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\" xml:base=\"{}\">",
        xml_escape(&config.language),
        xml_escape(&config.base_url)
    );
    let _ = writeln!(xml, "  <title>{}</title>", xml_escape(&config.title));
    if !config.description.is_empty() {
        let _ = writeln!(xml, "  <subtitle>{}</subtitle>", xml_escape(&config.description));
    }
    let _ = writeln!(
        xml,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        xml_escape(&urls.permalink("feed.xml"))
    );
    let _ = writeln!(
        xml,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        xml_escape(&config.base_url)
    );
    let _ = writeln!(xml, "  <id>{}</id>", xml_escape(&config.base_url));
    let _ = writeln!(xml, "  <updated>{updated}</updated>");
    let _ =
        writeln!(xml, "  <generator version=\"{}\">verdict</generator>", env!("CARGO_PKG_VERSION"));
    for (i, a) in entries.iter().enumerate() {
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
        // Rendered with its page in this build, or (a page kept from the last) now.
        let rendered;
        let body = match bodies.get(&i) {
            Some(body) => body,
            None => {
                rendered = a.body_html(env, root)?;
                &rendered
            }
        };
        let _ = writeln!(
            xml,
            "    <content type=\"html\" xml:base=\"{}\">{}</content>",
            xml_escape(&a.permalink),
            xml_escape(body)
        );
        let _ = writeln!(xml, "  </entry>");
    }
    xml.push_str("</feed>\n");
    Ok(xml)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_drops_invalid_xml_characters() {
        assert_eq!(xml_escape("a<b>&\"c\u{0}\u{8}d"), "a&lt;b&gt;&amp;&quot;cd");
    }
}
