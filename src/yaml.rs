//! The one place YAML is parsed (so the YAML library is a one-file change), with errors
//! located in their file, and helpers that find a key's line for other errors.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::{Diagnostic, did_you_mean};

/// Parses YAML into `T`. Errors are located in the file: `first_line` is the file line the
/// YAML starts on, and unknown keys get a did-you-mean.
pub fn parse_yaml<T: DeserializeOwned>(
    path: &Path,
    yaml: &str,
    first_line: usize,
) -> Result<T, Diagnostic> {
    let located = |error| yaml_diagnostic(path, yaml, first_line, &error);
    // Duplicate keys are errors at any depth (`extra:` maps too), not only among the
    // fields of a struct.
    let value = serde_yaml::from_str(yaml).map_err(located)?;
    if may_repeat_a_key(yaml) {
        serde_yaml::from_str::<NoDuplicateKeys>(yaml).map_err(located)?;
    }
    Ok(value)
}

/// Whether `yaml` may set a key twice in one map, read from its text: some key is
/// written on two lines (in any maps), or the YAML uses a flow map (`{a: 1}`) or a
/// complex key (`? `). Most front matter does neither, and skips the second parse that
/// finds duplicates for sure.
fn may_repeat_a_key(yaml: &str) -> bool {
    if yaml.contains('{') {
        return true;
    }
    let mut seen = std::collections::HashSet::new();
    for line in yaml.lines() {
        let mut text = line.trim_start();
        while let Some(rest) = text.strip_prefix("- ") {
            text = rest.trim_start();
        }
        if text.starts_with('?') {
            return true;
        }
        let Some((key, rest)) = text.split_once(':') else { continue };
        if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
            continue;
        }
        let key = key.trim().trim_matches(['"', '\'']);
        if !key.is_empty() && !seen.insert(key) {
            return true;
        }
    }
    false
}

/// A YAML value of any shape, read only to refuse a map that has a key twice.
struct NoDuplicateKeys;

impl<'de> serde::Deserialize<'de> for NoDuplicateKeys {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NoDuplicateKeysVisitor)
    }
}

struct NoDuplicateKeysVisitor;

impl<'de> serde::de::Visitor<'de> for NoDuplicateKeysVisitor {
    type Value = NoDuplicateKeys;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<NoDuplicateKeys, E> {
        Ok(NoDuplicateKeys)
    }
    fn visit_i64<E>(self, _: i64) -> Result<NoDuplicateKeys, E> {
        Ok(NoDuplicateKeys)
    }
    fn visit_u64<E>(self, _: u64) -> Result<NoDuplicateKeys, E> {
        Ok(NoDuplicateKeys)
    }
    fn visit_f64<E>(self, _: f64) -> Result<NoDuplicateKeys, E> {
        Ok(NoDuplicateKeys)
    }
    fn visit_str<E>(self, _: &str) -> Result<NoDuplicateKeys, E> {
        Ok(NoDuplicateKeys)
    }
    fn visit_unit<E>(self) -> Result<NoDuplicateKeys, E> {
        Ok(NoDuplicateKeys)
    }
    fn visit_none<E>(self) -> Result<NoDuplicateKeys, E> {
        Ok(NoDuplicateKeys)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<NoDuplicateKeys, D::Error> {
        serde::Deserialize::deserialize(d)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> Result<NoDuplicateKeys, A::Error> {
        while seq.next_element::<NoDuplicateKeys>()?.is_some() {}
        Ok(NoDuplicateKeys)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> Result<NoDuplicateKeys, A::Error> {
        let mut seen: std::collections::HashSet<serde_yaml::Value> = Default::default();
        while let Some(key) = map.next_key::<serde_yaml::Value>()? {
            if seen.contains(&key) {
                let shown = match &key {
                    serde_yaml::Value::String(s) => s.clone(),
                    other => serde_yaml::to_string(other).unwrap_or_default().trim().to_string(),
                };
                // Worded as the library words a struct's, to be located the same way.
                return Err(serde::de::Error::custom(format!("duplicate field `{shown}`")));
            }
            seen.insert(key);
            map.next_value::<NoDuplicateKeys>()?;
        }
        Ok(NoDuplicateKeys)
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(
        self,
        data: A,
    ) -> Result<NoDuplicateKeys, A::Error> {
        serde::de::Visitor::visit_enum(serde::de::IgnoredAny, data).map(|_| NoDuplicateKeys)
    }
}

fn yaml_diagnostic(
    path: &Path,
    yaml: &str,
    first_line: usize,
    error: &serde_yaml::Error,
) -> Diagnostic {
    let message = strip_positions(&error.to_string());
    let (line, column) = match error.location() {
        Some(location) => file_position(yaml, first_line, location.line(), location.column()),
        None => (first_line, 1),
    };
    if let Some(field) = message.split("duplicate field `").nth(1).and_then(|r| r.split('`').next())
    {
        // The YAML library points at the start of the map: point at the second key.
        let (line, column) = second_key(yaml, field, line - first_line)
            .map_or((line, column), |(i, column)| (first_line + i, column));
        return Diagnostic::new(path, message.clone())
            .at(line, column)
            .hint(format!("`{field}` is set twice in the same map: keep one of them"));
    }
    let mut diagnostic = Diagnostic::new(path, message.clone()).at(line, column);
    if let Some(hint) = unknown_field_hint(&message) {
        diagnostic = diagnostic.hint(hint);
    } else if message.contains("missing field") {
        diagnostic = diagnostic.hint("add the missing key");
    } else if message.contains("repetition limit exceeded") {
        diagnostic = diagnostic
            .hint("aliases (`*name`) here expand into too much data: write the values out instead");
    } else if message.contains("recursion limit exceeded") {
        diagnostic = diagnostic.hint("the YAML nests too deep: flatten it");
    } else if yaml.trim().is_empty() {
        diagnostic = diagnostic.hint("the front matter is empty");
    } else if message.contains("invalid type") {
        diagnostic = diagnostic.hint(
            "this key takes another kind of value; see the front matter reference in the README",
        );
    } else if yaml
        .split('\n')
        .nth(line - first_line)
        .is_some_and(|l| l[..l.len() - l.trim_start().len()].contains('\t'))
    {
        diagnostic =
            diagnostic.hint("YAML indents with spaces: replace the tabs at the start of this line");
    } else if error.location().is_some() {
        diagnostic = diagnostic.hint(
            "fix the YAML syntax here; quote values that contain `: ` or start with `[`, `{`, `*`, `&`, `!` or `@`, like `title: \"Rust: the good parts\"`",
        );
    }
    diagnostic
}

/// The file line and column of the YAML library's 1-based `line` and `column`. It counts
/// a lone `\r` (and NEL, LS, PS) as a line break too, where files and editors count
/// `\n` only, so its line is found in `yaml` and converted rather than added.
fn file_position(yaml: &str, first_line: usize, line: usize, column: usize) -> (usize, usize) {
    let is_break = |c: char| matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}');
    let mut start = 0;
    let mut chars = yaml.char_indices().peekable();
    for _ in 1..line {
        let Some((i, c)) = chars.by_ref().find(|&(_, c)| is_break(c)) else { break };
        start = i + c.len_utf8();
        if c == '\r' && chars.peek().is_some_and(|&(_, next)| next == '\n') {
            chars.next();
            start += 1;
        }
    }
    let offset = yaml[start..]
        .char_indices()
        .take_while(|&(_, c)| !is_break(c))
        .nth(column.saturating_sub(1))
        .map_or_else(
            || start + yaml[start..].find(is_break).unwrap_or(yaml.len() - start),
            |(i, _)| start + i,
        );
    let before = &yaml[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (first_line + before.matches('\n').count(), before[line_start..].chars().count() + 1)
}

/// The 0-based line and 1-based column of the second `key:` in `yaml` at or after line
/// `from`, for a duplicate key.
fn second_key(yaml: &str, key: &str, from: usize) -> Option<(usize, usize)> {
    yaml.split('\n')
        .enumerate()
        .skip(from)
        .filter_map(|(i, line)| {
            let rest = line.trim_start_matches([' ', '-']);
            let after = rest.strip_prefix(key)?.trim_start_matches([' ', '"', '\'']);
            after.starts_with(':').then(|| (i, line.len() - rest.len() + 1))
        })
        .nth(1)
}

/// Removes every " at line N column M" the YAML library puts in its messages: its
/// positions count from the front-matter block, ours from the top of the file.
fn strip_positions(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let tail = &after[digits..];
        match tail.strip_prefix(" column ") {
            Some(col) if digits > 0 => {
                let col_digits =
                    col.len() - col.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                rest = &col[col_digits..];
            }
            _ => {
                out.push_str(" at line ");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// For serde's "unknown field `x`, expected one of `a`, `b`": a did-you-mean hint.
fn unknown_field_hint(message: &str) -> Option<String> {
    let rest = message.split("unknown field `").nth(1)?;
    let (field, expected) = rest.split_once('`')?;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    Some(match did_you_mean(field, candidates.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!("known keys: {}", candidates.join(", ")),
    })
}

/// The file line on which top-level `key:` appears in `yaml`, or `first_line` when it does not.
pub fn key_line(yaml: &str, key: &str, first_line: usize) -> usize {
    yaml.lines()
        .position(|line| {
            line.strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map_or(first_line, |i| first_line + i)
}

/// The file line on which `needle` first appears in `yaml` at or after top-level `key:`.
pub fn value_line(yaml: &str, key: &str, needle: &str, first_line: usize) -> usize {
    let start = key_line(yaml, key, first_line) - first_line;
    yaml.lines()
        .enumerate()
        .skip(start)
        .find(|(_, line)| line.contains(needle))
        .map_or(first_line + start, |(i, _)| first_line + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_text_that_may_repeat_a_key() {
        assert!(!may_repeat_a_key("title: A\ntags: [a, b]\ncontenders: [Go, Rust]\n"));
        assert!(may_repeat_a_key("extra:\n  a: 1\n  b:\n    a: 2\n"));
        assert!(may_repeat_a_key("extra:\n  \"a\": 1\n  a: 2\n"));
        assert!(may_repeat_a_key("extra: {a: 1, a: 2}\n"));
        assert!(may_repeat_a_key("contenders:\n  - name: Go\n  - name: Rust\n"));
    }
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Fm {
        title: String,
        date: Option<String>,
    }

    #[test]
    fn locates_unknown_key_in_file_lines() {
        let err = parse_yaml::<Fm>(Path::new("a.md"), "title: x\ntitel: y\n", 2).unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(err.message.contains("unknown field `titel`"), "{}", err.message);
        assert_eq!(err.hint.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn locates_errors_after_lone_carriage_returns_in_file_lines() {
        // Found by the `front_matter` fuzz target: the YAML library counts a lone `\r` as
        // a line break, which put the error on line 132 of a 10-line file.
        let yaml = "title: x\r\r\r\rdate: y\ntitel: z\n";
        let err = parse_yaml::<Fm>(Path::new("a.md"), yaml, 2).unwrap_err();
        assert_eq!((err.line, err.column), (Some(3), Some(1)), "{err}");
        let err = parse_yaml::<Fm>(Path::new("a.md"), "title: x\r\ntitel: y\r\n", 2).unwrap_err();
        assert_eq!((err.line, err.column), (Some(3), Some(1)), "{err}");
        let err = parse_yaml::<Fm>(Path::new("a.md"), "title: [a,\u{2028} b}\n", 2).unwrap_err();
        assert_eq!(err.line, Some(2), "{err}");
    }

    #[test]
    fn locates_the_second_of_duplicate_keys() {
        let err =
            parse_yaml::<Fm>(Path::new("a.md"), "title: x\ndate: y\ntitle: z\n", 2).unwrap_err();
        assert_eq!(err.message, "duplicate field `title`");
        assert_eq!((err.line, err.column), (Some(4), Some(1)));
        assert_eq!(
            err.hint.as_deref(),
            Some("`title` is set twice in the same map: keep one of them")
        );
    }

    #[test]
    fn strips_every_block_relative_position() {
        assert_eq!(
            strip_positions(
                "did not find expected ',' at line 5 column 11, while parsing a flow sequence at line 4 column 3"
            ),
            "did not find expected ',', while parsing a flow sequence"
        );
    }

    #[test]
    fn finds_key_lines() {
        assert_eq!(key_line("title: x\nauthor: y\n", "author", 2), 3);
        assert_eq!(key_line("title: x\n", "author", 2), 2);
    }
}
