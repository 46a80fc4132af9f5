//! Articles and contenders fed into a hasher field by field, for the keys and digests
//! that tell a changed article from an unchanged one. Every struct is destructured, so
//! that a field added later fails to compile here until it is hashed (or said not to be).
//! Hashing the fields is several times cheaper than hashing their `Debug` text, which the
//! digests of a large site did on every build.

use std::hash::{Hash, Hasher};

use serde_json::Value;

use crate::content::alias::Alias;
use crate::content::article::{Article, Contender};
use crate::content::date::Date;
use crate::content::facts::{FactValue, Facts};

/// Whether the contenders' facts are hashed: only the pages showing a facts table depend
/// on them, and those hash them themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WithFacts {
    /// Hash the facts too.
    Yes,
    /// Leave them out.
    No,
}

impl Article {
    /// Feeds every field but the body's hash and line into `state`: what the front matter
    /// says (the facts as `facts` says).
    pub fn hash_front<H: Hasher>(&self, state: &mut H, facts: WithFacts) {
        let Article {
            source,
            bundle,
            slug,
            slug_line,
            title,
            date,
            updated,
            verified,
            author,
            author_line,
            description,
            tags,
            draft,
            image,
            contenders,
            contender_lines,
            aliases,
            extra,
            body_hash: _,
            body_line: _,
        } = self;
        source.as_os_str().as_encoded_bytes().hash(state);
        bundle.as_ref().map(|b| b.as_os_str().as_encoded_bytes()).hash(state);
        (slug, slug_line, title, author, author_line, description, tags).hash(state);
        (date, updated, verified).hash(state);
        (draft, image, contender_lines).hash(state);
        contenders.len().hash(state);
        for contender in contenders {
            contender.hash_fields(state, facts);
        }
        aliases.hash(state);
        hash_object(extra, state);
    }
}

impl Contender {
    /// Feeds every field of the contender into `state` (the facts as `facts` says).
    pub fn hash_fields<H: Hasher>(&self, state: &mut H, facts: WithFacts) {
        let Contender { id, name, explicit_id, aliases, url, version, pros, cons, facts: f, logo } =
            self;
        (id, name, explicit_id, aliases, url, version, pros, cons, logo).hash(state);
        if facts == WithFacts::Yes {
            f.hash(state);
        }
    }
}

impl Hash for Facts {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl Hash for FactValue {
    fn hash<H: Hasher>(&self, state: &mut H) {
        std::mem::discriminant(self).hash(state);
        match self {
            FactValue::Text(text) => text.hash(state),
            FactValue::Number(number) => number.hash(state),
            FactValue::Bool(b) => b.hash(state),
            FactValue::List(items) => items.hash(state),
        }
    }
}

impl Hash for Alias {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let Alias { written, rel, output, line } = self;
        (written, rel, output, line).hash(state);
    }
}

impl Hash for Date {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let Date { day, instant } = self;
        (day, instant).hash(state);
    }
}

/// A JSON object hashed in its keys' order, which templates iterating it show (serde's
/// own `Hash` sorts the keys when the order is preserved).
fn hash_object<H: Hasher>(object: &serde_json::Map<String, Value>, state: &mut H) {
    object.len().hash(state);
    for (key, value) in object {
        key.hash(state);
        hash_value(value, state);
    }
}

fn hash_value<H: Hasher>(value: &Value, state: &mut H) {
    std::mem::discriminant(value).hash(state);
    match value {
        Value::Null => {}
        Value::Bool(b) => b.hash(state),
        Value::Number(n) => n.hash(state),
        Value::String(s) => s.hash(state),
        Value::Array(items) => {
            items.len().hash(state);
            items.iter().for_each(|item| hash_value(item, state));
        }
        Value::Object(object) => hash_object(object, state),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest(article: &Article, facts: WithFacts) -> u128 {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        article.hash_front(&mut hasher, facts);
        hasher.digest128()
    }

    fn article(front: &str) -> Article {
        let text = format!(
            "---\ntitle: T\ndate: 2025-01-01\nauthor: a\ncontenders:\n  - X\n  - name: Y\n    facts: {{license: MIT}}\n{front}---\nBody.\n"
        );
        Article::parse(std::path::Path::new("articles/x.md"), &text, "x", None).unwrap()
    }

    #[test]
    fn every_change_shows_but_facts_only_when_asked() {
        let base = article("");
        let same = digest(&base, WithFacts::Yes);
        assert_eq!(same, digest(&article(""), WithFacts::Yes));
        for front in ["tags: [a]\n", "extra: {k: 1}\n", "updated: 2025-02-01\n", "draft: true\n"] {
            assert_ne!(digest(&article(front), WithFacts::No), digest(&base, WithFacts::No));
        }
        let mut facts = base.clone();
        facts.contenders[1].facts = Facts::default();
        assert_eq!(digest(&facts, WithFacts::No), digest(&base, WithFacts::No));
        assert_ne!(digest(&facts, WithFacts::Yes), same);
    }

    #[test]
    fn the_order_of_extra_keys_counts() {
        let ab = article("extra: {a: 1, b: {c: 2, d: 3}}\n");
        let ba = article("extra: {b: {c: 2, d: 3}, a: 1}\n");
        let nested = article("extra: {a: 1, b: {d: 3, c: 2}}\n");
        let key = |a: &Article| digest(a, WithFacts::Yes);
        for other in [&ba, &nested] {
            let text = |a: &Article| serde_json::to_string(&a.extra).unwrap();
            assert_eq!(key(&ab) == key(other), text(&ab) == text(other));
        }
    }
}
