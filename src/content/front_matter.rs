//! Splitting a Markdown file into its YAML front matter and body.

use std::path::Path;

use crate::error::Diagnostic;

/// A Markdown file cut into front matter and body, with the line numbers of both.
#[derive(Debug)]
pub struct Document<'a> {
    /// The YAML between the `---` lines.
    pub front_matter: &'a str,
    /// 1-based line of the file on which the YAML starts.
    pub front_matter_line: usize,
    /// The Markdown after the closing `---`.
    pub body: &'a str,
    /// 1-based line of the file on which the body starts.
    pub body_line: usize,
}

/// Cuts `text` into front matter and body. `path` is only used in the error.
pub fn split<'a>(path: &Path, text: &'a str) -> Result<Document<'a>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        if first.starts_with("---\r") && first.trim_end_matches('\n').contains('\r') {
            return Err(Diagnostic::new(
                path,
                "the file's lines end in CR alone (old Mac line endings)",
            )
            .at(1, 1)
            .hint("save the file with LF (or CRLF) line endings"));
        }
        return Err(Diagnostic::new(path, "missing front matter").at(1, 1).hint(
            "start the file with a `---` line, the YAML front matter, and another `---` line",
        ));
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    for (line, l) in (2..).zip(lines) {
        // YAML reads these as line breaks, which turns a title into a syntax error.
        if let Some(at) = l.find(['\u{2028}', '\u{2029}']) {
            let which =
                if l[at..].starts_with('\u{2028}') { "U+2028 LINE" } else { "U+2029 PARAGRAPH" };
            return Err(Diagnostic::new(path, format!("the front matter holds the character {which} SEPARATOR, which YAML reads as a line break"))
                .at(line, l[..at].chars().count() + 1)
                .hint("remove it, or write it as `\\u2028` inside a double-quoted string"));
        }
        if l.trim_end() == "---" {
            return Ok(Document {
                front_matter: &text[yaml_start..offset],
                front_matter_line: 2,
                body: &text[offset + l.len()..],
                body_line: line + 1,
            });
        }
        offset += l.len();
    }
    Err(Diagnostic::new(path, "front matter is not closed")
        .at(1, 1)
        .hint("end the front matter with a line holding only `---`"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Fm {
        title: String,
        date: Option<String>,
    }

    #[test]
    fn splits_front_matter_and_counts_lines() {
        let doc = split(Path::new("a.md"), "---\ntitle: x\n---\nbody\n").unwrap();
        assert_eq!(doc.front_matter, "title: x\n");
        assert_eq!(doc.body, "body\n");
        assert_eq!(doc.body_line, 4);
    }

    #[test]
    fn splits_crlf_and_bom() {
        let doc = split(Path::new("a.md"), "\u{feff}---\r\ntitle: x\r\n---\r\nbody").unwrap();
        assert_eq!(doc.front_matter, "title: x\r\n");
        assert_eq!(doc.body, "body");
    }

    #[test]
    fn names_cr_line_endings_and_line_separators() {
        let err = split(Path::new("a.md"), "---\rtitle: x\r---\rbody\r").unwrap_err();
        assert_eq!(err.message, "the file's lines end in CR alone (old Mac line endings)");
        let err = split(Path::new("a.md"), "---\ntitle: A\u{2028}B\n---\n").unwrap_err();
        assert!(err.message.contains("U+2028 LINE SEPARATOR"), "{}", err.message);
        assert_eq!((err.line, err.column), (Some(2), Some(9)));
    }

    #[test]
    fn errors_on_unclosed_front_matter() {
        let err = split(Path::new("a.md"), "---\ntitle: x\n").unwrap_err();
        assert_eq!(err.message, "front matter is not closed");
    }
}
