//! Facts: the key → value maps of `contenders.yaml` entries and of an article's contender
//! maps (`license: MIT`, `first_release: 2015`, `written_in: [C, C++]`), shown side by
//! side in an article's "At a glance" table and on hub pages.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};

/// The longest fact key, in characters.
pub const MAX_KEY: usize = 40;
/// The longest text value (or list item), in characters: a fact fits in a table cell.
pub const MAX_TEXT: usize = 200;
/// The most items of a list value.
pub const MAX_ITEMS: usize = 20;
/// The most facts one contender has.
pub const MAX_FACTS: usize = 40;

/// A fact's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FactValue {
    /// Text; an `http(s)://` address is shown as a link.
    Text(String),
    /// A number, as YAML read it (`2015`, `1.5`).
    Number(serde_json::Number),
    /// Yes or no.
    Bool(bool),
    /// A short list, each item as text (`[C, C++]`).
    List(Vec<String>),
}

impl FactValue {
    /// The value as plain text: a number as written, a boolean as `Yes` or `No`, a list
    /// comma-separated.
    pub fn text(&self) -> String {
        match self {
            FactValue::Text(t) => t.clone(),
            FactValue::Number(n) => n.to_string(),
            FactValue::Bool(true) => "Yes".to_string(),
            FactValue::Bool(false) => "No".to_string(),
            FactValue::List(items) => items.join(", "),
        }
    }

    /// The address of a text value that is a web address (`https://…`, no spaces).
    pub fn url(&self) -> Option<&str> {
        let FactValue::Text(t) = self else { return None };
        let lower = t.get(..8).unwrap_or(t).to_ascii_lowercase();
        let web = lower.starts_with("https://") || lower.starts_with("http://");
        (web && t.len() > 8 && !t.contains(char::is_whitespace)).then_some(t.as_str())
    }

    /// `text`, `url`, `number`, `bool` or `list`.
    pub fn kind(&self) -> &'static str {
        match self {
            FactValue::Text(_) if self.url().is_some() => "url",
            FactValue::Text(_) => "text",
            FactValue::Number(_) => "number",
            FactValue::Bool(_) => "bool",
            FactValue::List(_) => "list",
        }
    }

    /// The value as JSON: a string, number, boolean or list of strings.
    pub fn json(&self) -> serde_json::Value {
        match self {
            FactValue::Text(t) => t.clone().into(),
            FactValue::Number(n) => serde_json::Value::Number(n.clone()),
            FactValue::Bool(b) => (*b).into(),
            FactValue::List(items) => items.clone().into(),
        }
    }
}

/// The facts of a contender, in the order written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts(pub Vec<(String, FactValue)>);

impl Facts {
    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&FactValue> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Whether there is no fact.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// These facts with `over`'s on top: a key of both takes `over`'s value in place, a
    /// key only `over` has comes after.
    pub fn overlaid(&self, over: &Facts) -> Facts {
        let mut merged = self.clone();
        for (key, value) in &over.0 {
            match merged.0.iter_mut().find(|(k, _)| k == key) {
                Some(slot) => slot.1 = value.clone(),
                None => merged.0.push((key.clone(), value.clone())),
            }
        }
        merged
    }
}

/// Whether `key` is a usable fact key: letters, digits, `_` and `-`.
pub fn is_fact_key(key: &str) -> bool {
    !key.is_empty()
        && key.chars().count() <= MAX_KEY
        && key.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// The label of a key no `site.yaml` `facts:` entry labels: `first_release` → `First
/// release`.
pub fn label_from_key(key: &str) -> String {
    let words = key.replace(['_', '-'], " ");
    let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut chars = words.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// The message for a key that is not a fact key.
pub fn bad_key_message(key: &str) -> String {
    if key.chars().count() > MAX_KEY {
        format!("the fact key `{key}` is longer than {MAX_KEY} characters")
    } else {
        format!("`{key}` is not a fact key: use letters, digits, `_` and `-`, like `first_release`")
    }
}

/// What a wrong kind of YAML value is called in an error.
fn shape(unexpected: de::Unexpected<'_>) -> String {
    match unexpected {
        de::Unexpected::Map => "a map".to_string(),
        de::Unexpected::Seq => "a list".to_string(),
        de::Unexpected::Unit => "nothing (null)".to_string(),
        other => other.to_string(),
    }
}

impl<'de> Deserialize<'de> for Facts {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(FactsVisitor)
    }
}

struct FactsVisitor;

impl<'de> Visitor<'de> for FactsVisitor {
    type Value = Facts;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map of facts, like `license: MIT`")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Facts, E> {
        Ok(Facts::default())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Facts, A::Error> {
        let mut facts = Facts::default();
        while let Some(FactKey(key)) = map.next_key()? {
            if facts.0.iter().any(|(k, _)| *k == key) {
                // Worded as the library words a struct's, to be located the same way.
                return Err(de::Error::custom(format!("duplicate field `{key}`")));
            }
            let FactEntry(value) = map.next_value_seed(FactEntrySeed(&key))?;
            facts.0.push((key, value));
            if facts.0.len() > MAX_FACTS {
                return Err(de::Error::custom(format!(
                    "more than {MAX_FACTS} facts for one contender"
                )));
            }
        }
        Ok(facts)
    }
}

/// A fact key: a YAML string of letters, digits, `_` and `-`.
struct FactKey(String);

impl<'de> Deserialize<'de> for FactKey {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = FactKey;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a fact key, like `license`")
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<FactKey, E> {
                if is_fact_key(key) {
                    Ok(FactKey(key.to_string()))
                } else {
                    Err(E::custom(bad_key_message(key)))
                }
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<FactKey, E> {
                Err(E::custom(format!("the fact key `{b}` is a boolean, not a name: quote it")))
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<FactKey, E> {
                Err(E::custom(format!("the fact key `{n}` is a number, not a name")))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<FactKey, E> {
                Err(E::custom(format!("the fact key `{n}` is a number, not a name")))
            }
            fn visit_f64<E: de::Error>(self, n: f64) -> Result<FactKey, E> {
                Err(E::custom(format!("the fact key `{n}` is a number, not a name")))
            }
            fn visit_unit<E: de::Error>(self) -> Result<FactKey, E> {
                Err(E::custom("a fact key is empty"))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<FactKey, A::Error> {
                Err(de::Error::custom("a fact key is a list, not a name"))
            }
            fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<FactKey, A::Error> {
                Err(de::Error::custom("a fact key is a map, not a name"))
            }
        }
        deserializer.deserialize_any(KeyVisitor)
    }
}

/// The value of the fact `key` (the seed carries the key into the error messages).
struct FactEntrySeed<'k>(&'k str);
struct FactEntry(FactValue);

impl<'de> de::DeserializeSeed<'de> for FactEntrySeed<'_> {
    type Value = FactEntry;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<FactEntry, D::Error> {
        deserializer.deserialize_any(ValueVisitor { key: self.0, in_list: false }).map(FactEntry)
    }
}

/// A fact value, or (`in_list`) one item of a list value.
struct ValueVisitor<'k> {
    key: &'k str,
    in_list: bool,
}

impl ValueVisitor<'_> {
    fn wrong<E: de::Error>(&self, what: de::Unexpected<'_>) -> E {
        let what = shape(what);
        if self.in_list {
            E::custom(format!(
                "an item of the fact `{}` is {what}: list items are text, numbers or booleans",
                self.key
            ))
        } else {
            E::custom(format!(
                "the fact `{}` is {what}: a fact is text, a number, a boolean or a short list",
                self.key
            ))
        }
    }

    fn text<E: de::Error>(&self, text: &str) -> Result<FactValue, E> {
        let n = text.chars().count();
        if text.trim().is_empty() {
            return Err(E::custom(format!("the fact `{}` is empty", self.key)));
        }
        if n > MAX_TEXT {
            return Err(E::custom(format!(
                "the fact `{}` is {n} characters long; the most is {MAX_TEXT}",
                self.key
            )));
        }
        Ok(FactValue::Text(text.to_string()))
    }
}

impl<'de> Visitor<'de> for ValueVisitor<'_> {
    type Value = FactValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("text, a number, a boolean or a short list")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<FactValue, E> {
        self.text(text)
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<FactValue, E> {
        Ok(FactValue::Bool(b))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<FactValue, E> {
        Ok(FactValue::Number(n.into()))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<FactValue, E> {
        Ok(FactValue::Number(n.into()))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<FactValue, E> {
        match serde_json::Number::from_f64(n) {
            Some(n) => Ok(FactValue::Number(n)),
            None => Err(E::custom(format!("the fact `{}` is not a finite number", self.key))),
        }
    }

    fn visit_unit<E: de::Error>(self) -> Result<FactValue, E> {
        Err(self.wrong(de::Unexpected::Unit))
    }

    fn visit_none<E: de::Error>(self) -> Result<FactValue, E> {
        Err(self.wrong(de::Unexpected::Unit))
    }

    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<FactValue, A::Error> {
        Err(self.wrong(de::Unexpected::Map))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<FactValue, A::Error> {
        if self.in_list {
            return Err(self.wrong(de::Unexpected::Seq));
        }
        let mut items = Vec::new();
        while let Some(FactEntry(item)) = seq.next_element_seed(ListItemSeed(self.key))? {
            items.push(item.text());
            if items.len() > MAX_ITEMS {
                return Err(de::Error::custom(format!(
                    "the fact `{}` lists more than {MAX_ITEMS} items",
                    self.key
                )));
            }
        }
        if items.is_empty() {
            return Err(de::Error::custom(format!("the fact `{}` is an empty list", self.key)));
        }
        Ok(FactValue::List(items))
    }
}

struct ListItemSeed<'k>(&'k str);

impl<'de> de::DeserializeSeed<'de> for ListItemSeed<'_> {
    type Value = FactEntry;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<FactEntry, D::Error> {
        deserializer.deserialize_any(ValueVisitor { key: self.0, in_list: true }).map(FactEntry)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn parse(yaml: &str) -> Result<Facts, crate::error::Diagnostic> {
        crate::yaml::parse_yaml(Path::new("contenders.yaml"), yaml, 1)
    }

    #[test]
    fn reads_text_numbers_booleans_and_lists_in_order() {
        let facts =
            parse("license: MIT\nfirst_release: 2015\ngc: false\nwritten_in: [C, C++]\nv: 1.5\n")
                .unwrap();
        let shown: Vec<(&str, String, &str)> =
            facts.0.iter().map(|(k, v)| (k.as_str(), v.text(), v.kind())).collect();
        assert_eq!(
            shown,
            [
                ("license", "MIT".into(), "text"),
                ("first_release", "2015".into(), "number"),
                ("gc", "No".into(), "bool"),
                ("written_in", "C, C++".into(), "list"),
                ("v", "1.5".into(), "number"),
            ]
        );
        let url = parse("site: https://go.dev/\n").unwrap();
        assert_eq!(url.0[0].1.url(), Some("https://go.dev/"));
        assert_eq!(parse("s: https://a b\n").unwrap().0[0].1.url(), None);
    }

    #[test]
    fn errors_on_bad_shapes_at_their_line() {
        let cases = [
            ("license: MIT\nrepo:\n  url: x\n", "the fact `repo` is a map", 3),
            ("license: MIT\n2015: first\n", "the fact key `2015` is a number", 2),
            ("license: MIT\nfirst release: 2015\n", "`first release` is not a fact key", 2),
            ("a: 1\nlist: [[x]]\n", "an item of the fact `list` is a list", 2),
            ("a: 1\nb: ~\n", "the fact `b` is nothing (null)", 2),
            ("a: 1\nb: []\n", "the fact `b` is an empty list", 2),
            ("a: 1\na: 2\n", "duplicate field `a`", 2),
        ];
        for (yaml, message, line) in cases {
            let err = parse(yaml).unwrap_err();
            assert!(err.message.contains(message), "{yaml:?}: {}", err.message);
            assert_eq!(err.line, Some(line), "{yaml:?}: {err}");
        }
    }

    #[test]
    fn overlays_and_labels() {
        let base = parse("license: MIT\nversion: \"1.0\"\n").unwrap();
        let over = parse("version: \"2.0\"\nlts: true\n").unwrap();
        let merged = base.overlaid(&over);
        let keys: Vec<&str> = merged.0.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["license", "version", "lts"]);
        assert_eq!(merged.get("version").map(FactValue::text).as_deref(), Some("2.0"));
        assert_eq!(label_from_key("first_release"), "First release");
        assert_eq!(label_from_key("written-in"), "Written in");
    }
}
