//! What the pages and the site-wide files read of one article, as hashes and copies made
//! once when the article is outlined. A build compares its pages and files of parts by
//! these, so that telling an unchanged page from a changed one reads no article: in an
//! incremental session, an article taken over from the last build brings them along, and
//! the articles themselves stay untouched in memory.

use std::hash::Hash;

use jiff::civil;
use xxhash_rust::xxh3::Xxh3;

use crate::content::article::Article;
use crate::content::date::Date;
use crate::content::hashing::WithFacts;
use crate::markdown::callouts::Outcome;
use crate::markdown::render::Rendered;

/// What the pages read of one article (see the module).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArticleDigests {
    /// The article as loaded and outlined: every field but its contenders' facts (which
    /// only its own page and `verdicts.json` show, through `facts`); its body through the
    /// outline's key.
    pub page: u128,
    /// What a summary card shows of it, but its author (whose digest each build adds):
    /// the front matter, address, description, record, and of the body only its word
    /// count and decided criteria, so that an edit of prose leaves the lists of articles
    /// as they were unless those change.
    pub summary: u128,
    /// Its contenders' ids and facts; 0 when no contender has facts.
    pub facts: u128,
    /// What its full-text search document is made from, but the site's language.
    pub search: u128,
    /// Its author's id, as [`author_key`] hashes it.
    pub author: u64,
    /// Whether its body shows images.
    pub images: bool,
    /// The day it last changed: `updated`, else `date`.
    pub last_change: Date,
    /// What dates its facts: `verified` (else `date`) and that day.
    pub facts_dated: (&'static str, civil::Date),
}

/// The fields of the rendered article that the digests cover besides the article and
/// its outline.
pub struct Derived<'a> {
    /// Root-relative URL.
    pub url: &'a str,
    /// Absolute URL.
    pub permalink: &'a str,
    /// Its description.
    pub description: &'a str,
    /// Criteria won, per contender.
    pub wins: &'a [usize],
    /// Splits among them, per contender.
    pub shared: &'a [usize],
    /// The outline's key (everything the body's HTML depends on).
    pub key: u128,
}

impl ArticleDigests {
    /// The digests of `article`, outlined as `body`, with what was derived from them.
    pub fn new(article: &Article, body: &Rendered, derived: &Derived<'_>) -> ArticleDigests {
        // The front matter, address and description, hashed once for the page and the
        // summary. Facts show on the article's page only, which hashes them itself.
        let mut front = Xxh3::new();
        article.hash_front(&mut front, WithFacts::No);
        (derived.url, derived.permalink, derived.description, derived.wins).hash(&mut front);
        let front = front.digest128();
        let mut page = Xxh3::new();
        (front, article.body_hash, article.body_line, derived.key).hash(&mut page);
        let mut summary = Xxh3::new();
        let decided = body.callouts.iter().filter(|c| c.outcome != Outcome::Tie).count();
        (front, derived.shared, body.word_count, decided).hash(&mut summary);
        let facts = match article.contenders.iter().any(|c| !c.facts.is_empty()) {
            true => {
                let mut hasher = Xxh3::new();
                for c in &article.contenders {
                    (&c.id, &c.facts).hash(&mut hasher);
                }
                hasher.digest128()
            }
            false => 0,
        };
        ArticleDigests {
            page: page.digest128(),
            summary: summary.digest128(),
            facts,
            search: search_digest(article, derived),
            author: author_key(&article.author),
            images: !body.images.is_empty(),
            last_change: article.updated.unwrap_or(article.date),
            facts_dated: article.facts_dated(),
        }
    }
}

/// An author's id, hashed: what [`ArticleDigests::author`] holds.
pub fn author_key(id: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(id.as_bytes())
}

/// What a search document is made from: the outline's key (the body), the title, the
/// address, the contenders with their aliases and the tags.
fn search_digest(article: &Article, derived: &Derived<'_>) -> u128 {
    let mut hasher = Xxh3::new();
    hasher.update(&derived.key.to_le_bytes());
    for text in [article.title.as_str(), derived.url] {
        hasher.update(text.as_bytes());
        hasher.update(b"\0");
    }
    for c in &article.contenders {
        hasher.update(c.name.as_bytes());
        for alias in &c.aliases {
            hasher.update(b"\x01");
            hasher.update(alias.as_bytes());
        }
        hasher.update(b"\0");
    }
    for tag in &article.tags {
        hasher.update(tag.as_bytes());
        hasher.update(b"\0");
    }
    hasher.digest128()
}
