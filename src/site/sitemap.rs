//! `/sitemap.xml` and `/robots.txt`.

use std::fmt::Write as _;

use crate::content::date::Date;
use crate::site::feeds::xml_escape;
use crate::urls::Urls;

/// One page of the sitemap.
#[derive(Debug, Clone)]
pub struct SitemapEntry {
    /// Absolute URL.
    pub loc: String,
    /// Last change.
    pub lastmod: Option<Date>,
}

/// `/sitemap.xml`.
pub fn sitemap(entries: &[SitemapEntry]) -> String {
    let mut xml = String::with_capacity(entries.len() * 120 + 200);
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for entry in entries {
        let _ = write!(xml, "  <url><loc>{}</loc>", xml_escape(&entry.loc));
        if let Some(lastmod) = entry.lastmod {
            let _ = write!(xml, "<lastmod>{}</lastmod>", lastmod.iso());
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// `/robots.txt`.
pub fn robots(urls: &Urls) -> String {
    format!("User-agent: *\nAllow: /\n\nSitemap: {}\n", urls.permalink("sitemap.xml"))
}
