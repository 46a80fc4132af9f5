//! `verdict init DIR`: a new site that builds at once on the built-in default theme.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use clap::Args;
use jiff::civil;

use crate::diagnostics::print_message;

/// Options of `verdict init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder of the new site; created if missing.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Also fill a folder that is not empty. Files that exist are kept as they are.
    #[arg(long)]
    pub force: bool,
}

/// The files of a new site: path, text (`{today}` is replaced by the date).
const FILES: &[(&str, &str)] = &[
    ("site.yaml", include_str!("init/site.yaml")),
    ("articles/sqlite-vs-postgresql.md", include_str!("init/sqlite-vs-postgresql.md")),
    ("authors/jane-doe.md", include_str!("init/jane-doe.md")),
    ("static/.gitkeep", ""),
    (".gitignore", include_str!("init/gitignore")),
];

/// Whether files that exist stop `init`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// A folder that is not empty is refused.
    Refuse,
    /// Files that exist are kept; the others are written.
    Keep,
}

/// What [`init_site`] did.
#[derive(Debug, Default)]
pub struct Initialized {
    /// Files written, relative to the site folder.
    pub written: Vec<PathBuf>,
    /// Files that existed and were kept.
    pub kept: Vec<PathBuf>,
}

impl InitArgs {
    /// Creates the site; reports on stderr. Returns the exit code.
    pub fn run(&self) -> i32 {
        let existing = if self.force { Existing::Keep } else { Existing::Refuse };
        match init_site(&self.dir, existing, crate::cmd::check::today()) {
            Ok(done) => {
                for kept in &done.kept {
                    eprintln!("Kept the existing `{}`", kept.display());
                }
                eprintln!(
                    "Created a new site in `{}` ({} files). Next:\n  \
                     cd {}\n  \
                     verdict serve                  # preview it with live reload\n  \
                     verdict new \"Rust vs Go\"       # start a comparison",
                    self.dir.display(),
                    done.written.len(),
                    shell_word(&self.dir)
                );
                0
            }
            Err(InitError::NotEmpty) => {
                print_message(
                    &format!("`{}` is not empty", self.dir.display()),
                    "choose a new folder, or pass `--force` to add the missing files (existing files are never replaced)",
                );
                1
            }
            Err(InitError::Io { path, source }) => {
                print_message(
                    &format!("cannot write `{}`: {source}", path.display()),
                    "check that the folder is writable",
                );
                1
            }
        }
    }
}

/// Why `init` wrote nothing (or stopped).
#[derive(Debug)]
pub enum InitError {
    /// The folder has files and [`Existing::Refuse`] was asked for.
    NotEmpty,
    /// A file or folder could not be created.
    Io {
        /// The path.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

/// Writes a new site into `dir`, dated `today`. Never replaces a file.
pub fn init_site(
    dir: &Path,
    existing: Existing,
    today: civil::Date,
) -> Result<Initialized, InitError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| InitError::Io { path, source }
    };
    if dir.exists() && !dir.is_dir() {
        return Err(InitError::Io {
            path: dir.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::AlreadyExists, "it is a file"),
        });
    }
    if existing == Existing::Refuse && dir.is_dir() {
        let mut entries = std::fs::read_dir(dir).map_err(io(dir))?;
        if entries.next().is_some() {
            return Err(InitError::NotEmpty);
        }
    }
    let mut done = Initialized::default();
    for (rel, text) in FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        let text = text.replace("{today}", &today.to_string());
        // `create_new`: a file that exists is never replaced.
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut file) => {
                file.write_all(text.as_bytes()).map_err(io(&path))?;
                done.written.push(PathBuf::from(rel));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                done.kept.push(PathBuf::from(rel));
            }
            Err(e) => return Err(io(&path)(e)),
        }
    }
    Ok(done)
}

/// `path` as one word for a shell command shown to the user.
fn shell_word(path: &Path) -> String {
    let text = path.display().to_string();
    if text.chars().all(|c| c.is_alphanumeric() || "/._-~".contains(c)) {
        text
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_site_checks_clean() {
        let tmp = tempfile::tempdir().unwrap();
        let today = civil::date(2025, 6, 1);
        let done = init_site(tmp.path(), Existing::Refuse, today).unwrap();
        assert_eq!(done.written.len(), FILES.len());
        let checked = crate::cmd::check::check_site(
            tmp.path(),
            Path::new(crate::config::CONFIG_FILE),
            crate::site::Drafts::Skip,
            today,
        );
        assert_eq!(checked.diagnostics, [], "the example site has no problems");
        let report = checked.report.unwrap();
        assert_eq!((report.articles, report.authors), (1, 1));
    }

    #[test]
    fn refuses_a_folder_with_files_and_keeps_them_with_force() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("site.yaml"), "mine").unwrap();
        let today = civil::date(2025, 6, 1);
        assert!(matches!(init_site(tmp.path(), Existing::Refuse, today), Err(InitError::NotEmpty)));
        let done = init_site(tmp.path(), Existing::Keep, today).unwrap();
        assert_eq!(done.kept, [PathBuf::from("site.yaml")]);
        assert_eq!(std::fs::read_to_string(tmp.path().join("site.yaml")).unwrap(), "mine");
    }

    #[test]
    fn quotes_folders_for_the_shell() {
        assert_eq!(shell_word(Path::new("my-site")), "my-site");
        assert_eq!(shell_word(Path::new("my site")), "'my site'");
    }
}
