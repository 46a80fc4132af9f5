//! Printing diagnostics the way rustc and cargo do.
//!
//! A report lists every diagnostic sorted by file and line. Each one starts with the line
//! editors and scripts parse, `path:line:col: error: message` (or `warning:`), then shows
//! the offending source line under a gutter of line numbers with a caret under the
//! column, then `= help: ...`. The report ends with a count, "3 errors, 2 warnings".
//!
//! ```text
//! articles/rust-vs-go.md:4:9: error: unknown author `jnae`
//!   |
//! 4 | author: jnae
//!   |         ^
//!   = help: did you mean `jane`?
//! ```
//!
//! `build`, `check` and `serve` all print through [`render`] (or [`render_diagnostics`]
//! plus their own count line); `--format json` prints [`json_lines`] instead.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anstyle::{AnsiColor, Style};
use unicode_width::UnicodeWidthChar;

pub use crate::error::count;
use crate::error::{Diagnostic, Severity, sort_diagnostics};

/// How a command prints its diagnostics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people: source lines, carets and colors (on a terminal), to stderr.
    #[default]
    Human,
    /// For editors and CI: one JSON object per diagnostic and line, to stdout.
    Json,
}

/// Files larger than this are not read to show a source line.
const MAX_SOURCE_BYTES: u64 = 8 * 1024 * 1024;

/// Source lines wider than this are cut around the column.
const MAX_LINE_WIDTH: usize = 120;

/// Every diagnostic (sorted by file and line), each with its source line, then the count
/// line ("3 errors, 2 warnings"). `root` is the site folder the paths are relative to;
/// `color` adds ANSI colors (see [`stderr_color`]).
pub fn render(diagnostics: &[Diagnostic], root: &Path, color: bool) -> String {
    let mut out = render_diagnostics(diagnostics, root, color);
    let style = if color { Style::new().bold() } else { Style::new() };
    let _ = writeln!(out, "{style}{}{style:#}", count(diagnostics));
    out
}

/// How many diagnostics of one file are shown in full; the rest are counted.
pub const SHOWN_PER_FILE: usize = 50;

/// Every diagnostic (sorted by file and line), each with its source line and followed by
/// an empty line, at most [`SHOWN_PER_FILE`] per file and then a count of the others; no
/// count line.
pub fn render_diagnostics(diagnostics: &[Diagnostic], root: &Path, color: bool) -> String {
    let mut sorted = diagnostics.to_vec();
    sort_diagnostics(&mut sorted);
    let mut sources: HashMap<PathBuf, Option<String>> = HashMap::new();
    let mut out = String::new();
    let mut same_file = 0;
    for (i, diagnostic) in sorted.iter().enumerate() {
        // At most `SHOWN_PER_FILE` of one file, then how many more: a file of thousands
        // of broken links must not print megabytes.
        same_file = match i.checked_sub(1).map(|p| &sorted[p].path) {
            Some(previous) if *previous == diagnostic.path => same_file + 1,
            _ => 0,
        };
        if same_file >= SHOWN_PER_FILE {
            let last = sorted.get(i + 1).is_none_or(|next| next.path != diagnostic.path);
            if last {
                let more = same_file + 1 - SHOWN_PER_FILE;
                let _ = writeln!(
                    out,
                    "{}: {more} more {} not shown\n",
                    diagnostic.path.display(),
                    if more == 1 { "problem" } else { "problems" }
                );
            }
            continue;
        }
        let source = match diagnostic.line {
            Some(_) => sources
                .entry(diagnostic.path.clone())
                .or_insert_with(|| read_source(root, &diagnostic.path))
                .as_deref(),
            None => None,
        };
        out.push_str(&render_one(diagnostic, source, color));
        out.push('\n');
    }
    out
}

/// One diagnostic: its first line, the line of `source` it points at (when it has a line
/// and `source` has that line) with a caret under the column, and its help line. Ends
/// with a newline.
pub fn render_one(diagnostic: &Diagnostic, source: Option<&str>, color: bool) -> String {
    let styles = Styles::new(diagnostic.severity, color);
    let mut out = String::new();

    let mut location = diagnostic.path.display().to_string();
    if let Some(line) = diagnostic.line {
        let _ = write!(location, ":{line}:{}", diagnostic.column.unwrap_or(1));
    }
    let (level, strong, gutter) = (styles.level, styles.strong, styles.gutter);
    let _ = writeln!(
        out,
        "{strong}{location}:{strong:#} {level}{}:{level:#} {strong}{}{strong:#}",
        diagnostic.severity.as_str(),
        diagnostic.message
    );

    let snippet = diagnostic.line.zip(source).and_then(|(line, source)| {
        let text = source.split('\n').nth(line.checked_sub(1)?)?;
        let text = text.strip_suffix('\r').unwrap_or(text);
        let text = if line == 1 { text.strip_prefix('\u{feff}').unwrap_or(text) } else { text };
        Some((line, text))
    });
    let width = match snippet {
        Some((line, _)) => line.to_string().len(),
        None => 1,
    };
    let pad = " ".repeat(width);
    if let Some((line, text)) = snippet {
        let (shown, caret_at) = excerpt(text, diagnostic.column.unwrap_or(1));
        let caret = styles.caret;
        let _ = writeln!(out, "{gutter}{pad} |{gutter:#}");
        let _ = writeln!(out, "{gutter}{line} |{gutter:#} {shown}");
        let _ =
            writeln!(out, "{gutter}{pad} |{gutter:#} {}{caret}^{caret:#}", " ".repeat(caret_at));
    }
    if let Some(hint) = &diagnostic.hint {
        let _ = writeln!(out, "{pad} {gutter}={gutter:#} {strong}help{strong:#}: {hint}");
    }
    out
}

/// Prints the report of a run: with [`Format::Human`], every diagnostic and then
/// `summary` (such as "build failed: 2 errors") to stderr, colored on a terminal; with
/// [`Format::Json`], the diagnostics to stdout as [`json_lines`] and `summary` to stderr.
pub fn print_report(diagnostics: &[Diagnostic], root: &Path, format: Format, summary: &str) {
    use std::io::Write as _;
    match format {
        Format::Human => {
            let color = stderr_color();
            let mut text = render_diagnostics(diagnostics, root, color);
            let style = if color { Style::new().bold() } else { Style::new() };
            let _ = writeln!(text, "{style}{summary}{style:#}");
            // anstream passes the colors through, or translates them for old Windows
            // consoles.
            let _ = anstream::stderr().lock().write_all(text.as_bytes());
        }
        Format::Json => {
            let _ = std::io::stdout().lock().write_all(json_lines(diagnostics).as_bytes());
            eprintln!("{summary}");
        }
    }
}

/// Prints an error that is about the command rather than a file, like clap does:
/// `error: message` and its help line, to stderr.
pub fn print_message(message: &str, hint: &str) {
    let styles = Styles::new(Severity::Error, stderr_color());
    let (level, strong, gutter) = (styles.level, styles.strong, styles.gutter);
    eprintln!(
        "{level}error:{level:#} {strong}{message}{strong:#}\n  {gutter}={gutter:#} {strong}help{strong:#}: {hint}"
    );
}

/// One diagnostic as a one-line JSON object: `severity`, `path`, `line`, `column`,
/// `message` and `hint` (`null` when unknown).
pub fn json(diagnostic: &Diagnostic) -> String {
    #[derive(serde::Serialize)]
    struct Json<'a> {
        severity: &'static str,
        path: std::borrow::Cow<'a, str>,
        line: Option<usize>,
        column: Option<usize>,
        message: &'a str,
        hint: Option<&'a str>,
    }
    let json = Json {
        severity: diagnostic.severity.as_str(),
        path: diagnostic.path.to_string_lossy(),
        line: diagnostic.line,
        column: diagnostic.line.map(|_| diagnostic.column.unwrap_or(1)),
        message: &diagnostic.message,
        hint: diagnostic.hint.as_deref(),
    };
    serde_json::to_string(&json).unwrap_or_default()
}

/// Every diagnostic as [`json`], sorted by file and line, one per line.
pub fn json_lines(diagnostics: &[Diagnostic]) -> String {
    let mut sorted = diagnostics.to_vec();
    sort_diagnostics(&mut sorted);
    sorted.iter().map(|d| json(d) + "\n").collect()
}

/// Whether stderr takes colors: it is a terminal, and neither `NO_COLOR` nor
/// `CLICOLOR=0` says otherwise (`CLICOLOR_FORCE` forces them).
pub fn stderr_color() -> bool {
    anstream::AutoStream::choice(&std::io::stderr()) != anstream::ColorChoice::Never
}

/// The text of `path` (relative to `root`, or a file of the built-in theme), when it can
/// be shown: it exists, is a file and is not huge.
pub fn read_source(root: &Path, path: &Path) -> Option<String> {
    if let Ok(rel) = path.strip_prefix(crate::theme::DEFAULT_THEME_ORIGIN) {
        return crate::theme::default_theme_source(rel).map(str::to_string);
    }
    let full = root.join(path);
    let (file, metadata) = crate::files::open_regular(&full).ok()?;
    if metadata.len() > MAX_SOURCE_BYTES {
        return None;
    }
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut std::io::Read::take(file, MAX_SOURCE_BYTES), &mut bytes)
        .ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// The part of `line` to show, tabs expanded, and the display column (0-based) of the
/// 1-based character column `column` in it. Long lines are cut around the column.
fn excerpt(line: &str, column: usize) -> (String, usize) {
    let chars: Vec<char> = line.chars().collect();
    let target = column.saturating_sub(1).min(chars.len());
    let width = |c: char| if c == '\t' { 4 } else { c.width().unwrap_or(0) };
    let total: usize = chars.iter().map(|&c| width(c)).sum();
    let (start, end, prefix) = if total <= MAX_LINE_WIDTH {
        (0, chars.len(), "")
    } else {
        // Keep about a third of the window before the column.
        let mut start = target;
        let mut before = 0;
        while start > 0 && before + width(chars[start - 1]) <= MAX_LINE_WIDTH / 3 {
            start -= 1;
            before += width(chars[start]);
        }
        let mut end = start;
        let mut shown = 0;
        while end < chars.len() && shown + width(chars[end]) <= MAX_LINE_WIDTH {
            shown += width(chars[end]);
            end += 1;
        }
        (start, end, if start > 0 { "..." } else { "" })
    };
    let mut shown = String::from(prefix);
    let mut caret = prefix.len();
    for (i, &c) in chars.iter().enumerate().take(end).skip(start) {
        if c == '\t' {
            shown.push_str("    ");
        } else {
            shown.push(c);
        }
        if i < target {
            caret += width(c);
        }
    }
    if end < chars.len() {
        shown.push_str("...");
    }
    (shown, caret)
}

/// The styles of one diagnostic; all plain without color.
struct Styles {
    level: Style,
    strong: Style,
    gutter: Style,
    caret: Style,
}

impl Styles {
    fn new(severity: Severity, color: bool) -> Styles {
        if !color {
            let plain = Style::new();
            return Styles { level: plain, strong: plain, gutter: plain, caret: plain };
        }
        let hue = match severity {
            Severity::Error => AnsiColor::BrightRed,
            Severity::Warning => AnsiColor::BrightYellow,
        };
        let level = Style::new().bold().fg_color(Some(hue.into()));
        Styles {
            level,
            strong: Style::new().bold(),
            gutter: Style::new().bold().fg_color(Some(AnsiColor::BrightBlue.into())),
            caret: level,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date_error() -> Diagnostic {
        Diagnostic::new("articles/a.md", "`date` is not a valid date: `2025-13-45`")
            .at(3, 7)
            .hint("write dates as YYYY-MM-DD")
    }

    #[test]
    fn shows_the_line_with_a_caret_under_the_column() {
        let source = "---\ntitle: A\ndate: 2025-13-45\n---\n";
        assert_eq!(
            render_one(&date_error(), Some(source), false),
            "articles/a.md:3:7: error: `date` is not a valid date: `2025-13-45`\n\
             \x20 |\n\
             3 | date: 2025-13-45\n\
             \x20 |       ^\n\
             \x20 = help: write dates as YYYY-MM-DD\n"
        );
    }

    #[test]
    fn widens_the_gutter_for_long_line_numbers() {
        let source = "x\n".repeat(11) + "  [a](b.md)\n";
        let d = Diagnostic::warning("p.md", "bad link").at(12, 3);
        assert_eq!(
            render_one(&d, Some(&source), false),
            "p.md:12:3: warning: bad link\n   |\n12 |   [a](b.md)\n   |   ^\n"
        );
    }

    #[test]
    fn leaves_out_the_snippet_without_a_line_or_source() {
        let d = Diagnostic::new("site.yaml", "no `site.yaml`").hint("create one");
        assert_eq!(
            render_one(&d, Some("x"), false),
            "site.yaml: error: no `site.yaml`\n  = help: create one\n"
        );
        assert_eq!(
            render_one(&date_error(), None, false),
            "articles/a.md:3:7: error: `date` is not a valid date: `2025-13-45`\n  \
             = help: write dates as YYYY-MM-DD\n"
        );
        assert_eq!(render_one(&date_error(), Some("one line"), false).lines().count(), 2);
    }

    #[test]
    fn reads_files_of_the_built_in_theme() {
        let path = Path::new(crate::theme::DEFAULT_THEME_ORIGIN).join("templates/base.html");
        let text = read_source(Path::new("/nonexistent"), &path).unwrap();
        assert!(text.contains("<html"), "{text}");
        assert_eq!(read_source(Path::new("/nonexistent"), Path::new("site.yaml")), None);
    }

    #[test]
    fn expands_tabs_and_counts_wide_characters() {
        assert_eq!(excerpt("\tx", 2), ("    x".to_string(), 4));
        assert_eq!(excerpt("日本 x", 4), ("日本 x".to_string(), 5));
        assert_eq!(excerpt("ab", 9), ("ab".to_string(), 2));
    }

    #[test]
    fn cuts_long_lines_around_the_column() {
        let line = "a".repeat(100) + "X" + &"b".repeat(100);
        let (shown, caret) = excerpt(&line, 101);
        assert!(shown.starts_with("...") && shown.ends_with("..."), "{shown}");
        assert_eq!(shown.chars().nth(caret), Some('X'));
    }

    #[test]
    fn colors_only_when_asked() {
        let plain = render_one(&date_error(), Some("\n\ndate: x\n"), false);
        assert!(!plain.contains('\x1b'));
        let colored = render_one(&date_error(), Some("\n\ndate: x\n"), true);
        assert!(colored.contains("\x1b["));
        assert_eq!(anstream::adapter::strip_str(&colored).to_string(), plain);
    }

    #[test]
    fn counts_errors_and_warnings() {
        let w = Diagnostic::warning("a.md", "w");
        assert_eq!(count(&[]), "no errors or warnings");
        assert_eq!(count(&[date_error()]), "1 error");
        assert_eq!(count(&[w.clone(), w.clone()]), "2 warnings");
        assert_eq!(
            count(&[date_error(), date_error(), date_error(), w.clone(), w]),
            "3 errors, 2 warnings"
        );
    }

    #[test]
    fn sorts_by_file_and_line_and_ends_with_the_count() {
        let report = render(
            &[date_error(), Diagnostic::warning("a.md", "first").at(1, 1)],
            Path::new("/nonexistent"),
            false,
        );
        assert_eq!(
            report,
            "a.md:1:1: warning: first\n\n\
             articles/a.md:3:7: error: `date` is not a valid date: `2025-13-45`\n  \
             = help: write dates as YYYY-MM-DD\n\n\
             1 error, 1 warning\n"
        );
    }

    #[test]
    fn writes_one_json_object_per_line() {
        let lines = json_lines(&[date_error(), Diagnostic::new("site.yaml", "m")]);
        assert_eq!(
            lines,
            "{\"severity\":\"error\",\"path\":\"articles/a.md\",\"line\":3,\"column\":7,\
             \"message\":\"`date` is not a valid date: `2025-13-45`\",\
             \"hint\":\"write dates as YYYY-MM-DD\"}\n\
             {\"severity\":\"error\",\"path\":\"site.yaml\",\"line\":null,\"column\":null,\
             \"message\":\"m\",\"hint\":null}\n"
        );
    }
}
