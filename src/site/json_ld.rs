//! JSON-LD (schema.org) for every page: the page and its breadcrumbs; for articles the
//! article, the technologies it is about and a review of each contender; for author
//! pages a `ProfilePage` about the author as a `Person`.

use crate::site::outlines::{RenderedArticle, RenderedAuthor};
use crate::site::views::Views;

/// Serializes JSON-LD so that no text can close the `<script>` element holding it.
pub(super) fn json_ld(value: &serde_json::Value) -> String {
    escaped_json(value)
}

/// Serializes `value` as JSON with `<`, `>` and `&` escaped (`\u003c`...): still the same
/// data to a JSON parser, and no text can close a `<script>` element holding it.
///
/// Escaped while it is written, in one buffer: `/verdicts.json` is 18 MB at 10,000
/// articles, and a copy per character replaced used to add tens of MiB to the build's
/// peak. The three are ASCII and occur in JSON only inside strings.
pub(super) fn escaped_json<T: serde::Serialize>(value: &T) -> String {
    struct Escaping(Vec<u8>);
    impl std::io::Write for Escaping {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            let mut start = 0;
            for (i, byte) in buf.iter().enumerate() {
                let escaped: &[u8] = match byte {
                    b'<' => b"\\u003c",
                    b'>' => b"\\u003e",
                    b'&' => b"\\u0026",
                    _ => continue,
                };
                self.0.extend_from_slice(&buf[start..i]);
                self.0.extend_from_slice(escaped);
                start = i + 1;
            }
            self.0.extend_from_slice(&buf[start..]);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut out = Escaping(Vec::new());
    match serde_json::to_writer(&mut out, value) {
        Ok(()) => String::from_utf8(out.0).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

impl Views<'_> {
    pub(super) fn breadcrumbs(
        &self,
        trail: &[(&str, &str)],
        last: (&str, &str),
    ) -> serde_json::Value {
        let items: Vec<serde_json::Value> = std::iter::once(("Home", ""))
            .chain(trail.iter().copied())
            .chain(std::iter::once(last))
            .enumerate()
            .map(|(i, (name, rel))| {
                serde_json::json!({
                    "@type": "ListItem",
                    "position": i + 1,
                    "name": name,
                    "item": self.urls.permalink(rel),
                })
            })
            .collect();
        serde_json::json!({ "@type": "BreadcrumbList", "itemListElement": items })
    }

    pub(super) fn web_page_json_ld(&self, name: &str, rel: &str, trail: &[(&str, &str)]) -> String {
        json_ld(&serde_json::json!({
            "@context": "https://schema.org",
            "@graph": [
                { "@type": "WebPage", "name": name, "url": self.urls.permalink(rel) },
                self.breadcrumbs(trail, (name, rel)),
            ],
        }))
    }

    /// An author page: a `ProfilePage` whose `mainEntity` is the author as a `Person`
    /// (the same `url` as the `author` of their articles), `sameAs` their web links.
    pub(super) fn author_json_ld(&self, a: &RenderedAuthor) -> String {
        let author = &a.author;
        let mut person = serde_json::json!({
            "@type": "Person",
            "name": author.name,
            "url": a.permalink,
        });
        if let Some(role) = &author.role {
            person["jobTitle"] = role.clone().into();
        }
        // A protocol-relative or data URL has no absolute form worth giving.
        let avatar = author.avatar.as_deref().map(|avatar| self.urls.asset(avatar));
        if let Some(avatar) = avatar.filter(|a| !a.starts_with("//") && !a.starts_with("data:")) {
            person["image"] = self.absolute(&avatar).into();
        }
        let same_as: Vec<&str> = author
            .links
            .iter()
            .map(|(_, url)| url.as_str())
            .filter(|url| url.starts_with("https://") || url.starts_with("http://"))
            .collect();
        if !same_as.is_empty() {
            person["sameAs"] = same_as.into();
        }
        let rel = format!("authors/{}/", author.id);
        json_ld(&serde_json::json!({
            "@context": "https://schema.org",
            "@graph": [
                {
                    "@type": "ProfilePage",
                    "name": author.name,
                    "url": a.permalink,
                    "mainEntity": person,
                },
                self.breadcrumbs(&[("Authors", "authors/")], (&author.name, &rel)),
            ],
        }))
    }

    pub(super) fn article_json_ld(&self, a: &RenderedArticle, image: Option<&str>) -> String {
        let article = &a.article;
        let author = self.authors.get(article.author.as_str()).map(
            |r| serde_json::json!({ "@type": "Person", "name": r.author.name, "url": r.permalink }),
        );
        let about: Vec<serde_json::Value> = article
            .contenders
            .iter()
            .map(|c| {
                let mut thing = serde_json::json!({ "@type": "Thing", "name": c.name });
                if let Some(url) = &c.url {
                    thing["sameAs"] = url.clone().into();
                }
                thing
            })
            .collect();
        let mut main = serde_json::json!({
            "@type": "Article",
            "headline": article.title,
            "description": a.description,
            "datePublished": article.date.rfc3339(),
            "dateModified": article.updated.unwrap_or(article.date).rfc3339(),
            "url": a.permalink,
            "mainEntityOfPage": a.permalink,
            "about": about,
            "keywords": article.tags,
        });
        if let Some(author) = &author {
            main["author"] = author.clone();
        }
        if let Some(image) = image {
            main["image"] = image.into();
        }
        let mut graph =
            vec![main, self.breadcrumbs(&[], (&article.title, &format!("{}/", article.slug)))];
        let notes = |items: &[String]| {
            serde_json::json!({
                "@type": "ItemList",
                "itemListElement": items.iter().enumerate().map(|(i, text)| serde_json::json!({
                    "@type": "ListItem", "position": i + 1, "name": text,
                })).collect::<Vec<_>>(),
            })
        };
        for c in article.contenders.iter().filter(|c| !c.pros.is_empty() || !c.cons.is_empty()) {
            let mut item = serde_json::json!({ "@type": "SoftwareApplication", "name": c.name });
            if let Some(version) = &c.version {
                item["softwareVersion"] = version.clone().into();
            }
            let mut review = serde_json::json!({
                "@type": "Review",
                "name": format!("{} in “{}”", c.name, article.title),
                "itemReviewed": item,
                "url": a.permalink,
            });
            if let Some(author) = &author {
                review["author"] = author.clone();
            }
            if !c.pros.is_empty() {
                review["positiveNotes"] = notes(&c.pros);
            }
            if !c.cons.is_empty() {
                review["negativeNotes"] = notes(&c.cons);
            }
            graph.push(review);
        }
        json_ld(&serde_json::json!({ "@context": "https://schema.org", "@graph": graph }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_cannot_close_its_script() {
        let value = serde_json::json!({ "headline": "</script><script>alert(1)</script> & co" });
        let text = json_ld(&value);
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn markup_characters_are_escaped_and_the_data_is_the_same() {
        let value = serde_json::json!({ "t": "</script><b>&amp; é", "n": [1, 2] });
        let json = super::escaped_json(&value);
        assert_eq!(json, r#"{"n":[1,2],"t":"\u003c/script\u003e\u003cb\u003e\u0026amp; é"}"#);
        assert_eq!(serde_json::from_str::<serde_json::Value>(&json).unwrap(), value);
    }
}
