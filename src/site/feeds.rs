//! The machine-readable files of a site: the Atom feed, the sitemap, `robots.txt` and
//! the client-side search index. Every text is escaped for its format.

use std::fmt::Write as _;

use crate::config::SiteConfig;
use crate::error::Diagnostic;
use crate::markdown::callouts::{Outcome, join_names};
use crate::markdown::render::Env;
use crate::site::outlines::{RenderedArticle, RenderedSite};
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
    images: &crate::images::SiteImages,
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
                // As its page shows it.
                rendered = images.rewrite(&a.body_html(env, root)?, &a.url, true);
                &rendered
            }
        };
        let content =
            format!("{}{}{}", quick_verdict(a), choose_if(a), without_heading_anchors(body));
        let _ = writeln!(
            xml,
            "    <content type=\"html\" xml:base=\"{}\">{}</content>",
            xml_escape(&a.permalink),
            xml_escape(&content)
        );
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
fn without_heading_anchors(html: &str) -> String {
    const OPEN: &str = "<a class=\"heading-anchor\" ";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(OPEN) {
        let Some(len) = rest[start..].find("</a>") else { break };
        out.push_str(&rest[..start]);
        rest = &rest[start + len + "</a>".len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_drops_invalid_xml_characters() {
        assert_eq!(xml_escape("a<b>&\"c\u{0}\u{8}d"), "a&lt;b&gt;&amp;&quot;cd");
    }

    #[test]
    fn drops_heading_anchors_only() {
        let html = "<h2 id=\"a\">A <code>x</code><a class=\"heading-anchor\" href=\"#a\" aria-label=\"Link to the section A x\">#</a></h2>\n<p><a href=\"#a\">#</a></p>";
        assert_eq!(
            without_heading_anchors(html),
            "<h2 id=\"a\">A <code>x</code></h2>\n<p><a href=\"#a\">#</a></p>"
        );
    }
}
