//! `/sitemap.xml` and `/robots.txt`.

use std::fmt::Write as _;
use std::hash::Hash;

use crate::content::date::Date;
use crate::site::feeds::xml_escape;
use crate::site::parts::FileOfParts;
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

/// `/sitemap.xml`; in an incremental session (`known`), as a file known by what it is
/// made of (its entries), so that a build whose pages are the last build's, at the same
/// dates, keeps the file rather than make it.
pub(crate) fn sitemap_file(entries: &[SitemapEntry], known: bool) -> FileOfParts<'_> {
    let pieces = Box::new(std::iter::once_with(|| sitemap(entries)));
    if !known {
        return FileOfParts { pieces, made_from: None };
    }
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(b"sitemap.xml 1\0");
    for entry in entries {
        (&entry.loc, entry.lastmod.map(|d| (d.day, d.instant))).hash(&mut hasher);
    }
    FileOfParts { pieces, made_from: Some(hasher.digest128()) }
}

/// `/robots.txt`.
pub fn robots(urls: &Urls) -> String {
    format!("User-agent: *\nAllow: /\n\nSitemap: {}\n", urls.permalink("sitemap.xml"))
}
