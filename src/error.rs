//! Errors of a build: located diagnostics about the site, and the few failures that are
//! not about content (an unreadable folder, a full disk).

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a problem is: errors fail a build, warnings (from `verdict check`) do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The site cannot be built as it is.
    Error,
    /// The site builds, but something looks wrong.
    Warning,
}

impl Severity {
    /// `error` or `warning`, as printed.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem found in the site, located in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// File the problem is in, relative to the site root where possible.
    pub path: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error about a whole file (no line).
    pub fn new(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line: None,
            column: None,
            message: message.into(),
            hint: None,
        }
    }

    /// A warning about a whole file (no line).
    pub fn warning(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::new(path, message) }
    }

    /// Whether this is an error rather than a warning.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Sets the line and column.
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// Adds a hint on how to fix the problem.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// `path:line:col: error: message` (or `warning:`), plain; `diagnostics::render` adds the
/// source line and colors.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}:{}", self.column.unwrap_or(1))?;
        }
        write!(f, ": {}: {}", self.severity.as_str(), self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  = help: {hint}")?;
        }
        Ok(())
    }
}

/// What verdict was doing to a path when a file system operation failed, so that the
/// error says it: "cannot write `dist/x/index.html`: Permission denied".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IoAction {
    /// Reading the file.
    Read,
    /// Writing the file (and making its folder).
    Write,
    /// Creating the folder.
    CreateFolder,
    /// Creating the folder a build writes into, beside the output folder.
    Stage,
    /// Copying the file to this path.
    CopyTo(PathBuf),
    /// Putting the new build in place of the output folder.
    Replace,
}

impl IoAction {
    /// `cannot <action> <path>`, the start of an error message.
    fn describe(&self, path: &Path) -> String {
        let path = path.display();
        match self {
            IoAction::Read => format!("cannot read `{path}`"),
            IoAction::Write => format!("cannot write `{path}`"),
            IoAction::CreateFolder => format!("cannot create the folder `{path}`"),
            IoAction::Stage => format!("cannot create a folder to build into beside `{path}`"),
            IoAction::CopyTo(to) => format!("cannot copy `{path}` to `{}`", to.display()),
            IoAction::Replace => format!("cannot replace `{path}` with the new build"),
        }
    }
}

/// Why a build failed.
#[derive(Debug)]
pub enum Error {
    /// The site has content errors; all of them, sorted by file and line.
    Site(Vec<Diagnostic>),
    /// A file system operation failed outside the site's content.
    Io {
        /// What was being done.
        action: IoAction,
        /// The path being read or written (the source, for a copy).
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

impl Error {
    /// An io error while doing `action` to `path`.
    pub fn io(action: IoAction, path: impl AsRef<Path>, source: std::io::Error) -> Self {
        Error::Io { action, path: path.as_ref().to_path_buf(), source }
    }

    /// A site error made of one diagnostic.
    pub fn site(diagnostic: Diagnostic) -> Self {
        Error::Site(vec![diagnostic])
    }

    /// The problems as diagnostics; an io error becomes one naming its path.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        match self {
            Error::Site(diagnostics) => diagnostics,
            Error::Io { action, path, source } => {
                let message = format!("{}: {source}", action.describe(&path));
                vec![Diagnostic::new(path, message)]
            }
        }
    }
}

impl From<Vec<Diagnostic>> for Error {
    fn from(mut diagnostics: Vec<Diagnostic>) -> Self {
        sort_diagnostics(&mut diagnostics);
        Error::Site(diagnostics)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Site(diagnostics) => {
                for diagnostic in diagnostics {
                    writeln!(f, "{diagnostic}")?;
                }
                write!(f, "build failed: {}", count(diagnostics))
            }
            Error::Io { action, path, source } => write!(f, "{}: {source}", action.describe(path)),
        }
    }
}

impl std::error::Error for Error {}

/// Sorts diagnostics by file, then line, then column, so a report reads top to bottom.
pub fn sort_diagnostics(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.path, a.line.unwrap_or(0), a.column.unwrap_or(0), a.severity, &a.message).cmp(&(
            &b.path,
            b.line.unwrap_or(0),
            b.column.unwrap_or(0),
            b.severity,
            &b.message,
        ))
    });
}

/// The candidate closest to `name`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(name, candidate), candidate))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

/// "3 errors, 2 warnings", "1 error", "2 warnings", or "no errors or warnings".
pub fn count(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    match (errors, warnings) {
        (0, 0) => "no errors or warnings".to_string(),
        (e, 0) => plural(e, "error"),
        (0, w) => plural(w, "warning"),
        (e, w) => format!("{}, {}", plural(e, "error"), plural(w, "warning")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(did_you_mean("titel", ["title", "date"]), Some("title"));
        assert_eq!(did_you_mean("zzz", ["title", "date"]), None);
    }

    #[test]
    fn io_errors_say_what_was_done_to_which_path() {
        let denied = || std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let error = Error::io(IoAction::Write, "dist/x/index.html", denied());
        assert_eq!(error.to_string(), "cannot write `dist/x/index.html`: permission denied");
        let diagnostics = error.into_diagnostics();
        assert_eq!(diagnostics[0].path, Path::new("dist/x/index.html"));
        assert_eq!(diagnostics[0].message, "cannot write `dist/x/index.html`: permission denied");
        let copy = Error::io(IoAction::CopyTo("dist/a.png".into()), "static/a.png", denied());
        assert_eq!(
            copy.to_string(),
            "cannot copy `static/a.png` to `dist/a.png`: permission denied"
        );
    }

    #[test]
    fn displays_location_and_hint() {
        let d = Diagnostic::new("articles/a.md", "unknown author `x`").at(4, 9).hint("add it");
        assert_eq!(d.to_string(), "articles/a.md:4:9: error: unknown author `x`\n  = help: add it");
        let w = Diagnostic::warning("articles/a.md", "no winner callout").at(2, 1);
        assert_eq!(w.to_string(), "articles/a.md:2:1: warning: no winner callout");
    }
}
