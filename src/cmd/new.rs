//! `verdict new "Rust vs Go"`: a new draft article with its front matter filled in.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use clap::Args;
use jiff::civil;

use crate::config::{CONFIG_FILE, SiteConfig};
use crate::diagnostics::{Format, count, print_message, print_report};
use crate::error::{Error, IoAction, did_you_mean};
use crate::files::is_ignored;
use crate::markdown::callouts::join_names;
use crate::slug::{BadSegment, RESERVED_ON_WINDOWS, check_segment, contender_id};

/// Options of `verdict new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The comparison's title; the contenders are read from it: `"Rust vs Go"`,
    /// `"PostgreSQL vs MySQL vs SQLite"`, `"React, Vue and Svelte"`, `"Rust and Go"`.
    #[arg(value_name = "TITLE")]
    pub title: String,
    /// Author id (a file in `authors/`); by default `default_author` of site.yaml, or the
    /// site's only author.
    #[arg(long, value_name = "ID")]
    pub author: Option<String>,
    /// Write a bundle, `articles/<slug>/index.md`, to keep images beside the article.
    #[arg(long)]
    pub bundle: bool,
    /// Site folder, holding `site.yaml`.
    #[arg(long, short, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Read the configuration from FILE instead of `site.yaml`. A relative path is read
    /// from the site folder (`--root`), which stays the site: themes, content and the
    /// output are found from there.
    #[arg(long, short = 'c', value_name = "FILE", default_value = CONFIG_FILE)]
    pub config: PathBuf,
}

/// Whether an article is one file or a bundle folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// `articles/<slug>.md`.
    File,
    /// `articles/<slug>/index.md`.
    Bundle,
}

/// Why no article was written.
#[derive(Debug)]
pub enum NewError {
    /// The site's configuration is broken.
    Site(Error),
    /// The command line asks for something impossible (exit status 2).
    Usage {
        /// What is wrong.
        message: String,
        /// How to fix it.
        hint: String,
    },
    /// The site cannot take the article (exit status 1).
    Refused {
        /// What is wrong.
        message: String,
        /// How to fix it.
        hint: String,
    },
}

impl NewArgs {
    /// Writes the article; prints its path on stdout. Returns the exit code.
    pub fn run(&self) -> i32 {
        let layout = if self.bundle { Layout::Bundle } else { Layout::File };
        let today = crate::cmd::check::today();
        match new_article(
            &self.root,
            &self.config,
            &self.title,
            self.author.as_deref(),
            layout,
            today,
        ) {
            Ok(written) => {
                let shown = if self.root == Path::new(".") {
                    written.path.clone()
                } else {
                    self.root.join(&written.path)
                };
                println!("{}", shown.display());
                let names: Vec<&str> = written.contenders.iter().map(String::as_str).collect();
                eprintln!(
                    "Wrote a draft comparing {} by `{}`; preview it with `verdict serve --drafts`",
                    join_names(&names),
                    written.author
                );
                0
            }
            Err(NewError::Site(error)) => {
                let diagnostics = error.into_diagnostics();
                let summary = format!("nothing written: {}", count(&diagnostics));
                print_report(&diagnostics, &self.root, Format::Human, &summary);
                1
            }
            Err(NewError::Usage { message, hint }) => {
                print_message(&message, &hint);
                2
            }
            Err(NewError::Refused { message, hint }) => {
                print_message(&message, &hint);
                1
            }
        }
    }
}

/// An article written by [`new_article`].
#[derive(Debug)]
pub struct Written {
    /// Its file, relative to the site root.
    pub path: PathBuf,
    /// The contenders read from the title.
    pub contenders: Vec<String>,
    /// The author id written.
    pub author: String,
}

/// Writes a new draft article titled `title` into the site at `root` (configured by
/// `config`, relative to `root`), dated `today`;
/// never replaces a file.
pub fn new_article(
    root: &Path,
    config: &Path,
    title: &str,
    author: Option<&str>,
    layout: Layout,
    today: civil::Date,
) -> Result<Written, NewError> {
    let config = SiteConfig::load(root, config).map_err(NewError::Site)?;
    let title = title.trim();
    let contenders = contenders_from_title(title);
    if contenders.len() < 2 {
        return Err(NewError::Usage {
            message: format!("cannot read two contenders from the title `{title}`"),
            hint: "name them in the title, like `verdict new \"Rust vs Go\"`, `verdict new \"Rust and Go\"` or `verdict new \"PostgreSQL vs MySQL vs SQLite\"`".into(),
        });
    }
    let ids: Vec<String> = contenders.iter().map(|c| contender_id(c)).collect();
    for (contender, id) in contenders.iter().zip(&ids) {
        match check_segment(id) {
            Ok(()) => {}
            Err(BadSegment::Unsafe) => {
                return Err(NewError::Usage {
                    message: format!("the contender `{contender}` has no letters or digits"),
                    hint: "name the contenders in the title, like `verdict new \"Rust vs Go\"`"
                        .into(),
                });
            }
            Err(BadSegment::ReservedOnWindows) => {
                return Err(NewError::Usage {
                    message: format!(
                        "the contender `{contender}` would get the id `{id}`, a device name that Windows reserves"
                    ),
                    hint: format!(
                        "name it otherwise in the title, or give it an explicit `id:` in the article: {RESERVED_ON_WINDOWS}"
                    ),
                });
            }
        }
    }
    let author = choose_author(root, &config, author)?;

    let slug = ids.join("-vs-");
    let flat = Path::new("articles").join(format!("{slug}.md"));
    let bundled = Path::new("articles").join(&slug).join("index.md");
    if let Some(existing) = [&flat, &bundled].into_iter().find(|p| root.join(p).exists()) {
        return Err(NewError::Refused {
            message: format!("`{}` already exists", existing.display()),
            hint: "edit that article, or choose another title".into(),
        });
    }
    let path = match layout {
        Layout::File => flat,
        Layout::Bundle => bundled,
    };
    let text = article_text(title, &contenders, &author, &config.winner_label, today);
    let full = root.join(&path);
    let io = |e: std::io::Error| NewError::Site(Error::io(IoAction::Write, &full, e));
    if let Some(parent) = full.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    // `create_new`: never replace a file, even one created since the check above.
    let mut file =
        std::fs::OpenOptions::new().write(true).create_new(true).open(&full).map_err(io)?;
    file.write_all(text.as_bytes()).map_err(io)?;
    Ok(Written { path, contenders, author })
}

/// The contenders named in a title: `Rust vs Go`, `Rust vs. Go`, `Rust versus Go`,
/// commas for three or more (`PostgreSQL, MySQL and SQLite`), and `Rust and Go` when
/// there is no `vs` and both sides read as names. A subtitle after `:`, ` - `
/// or `?` is left out, and so is ` in 2025` or ` for web services` after the last name.
pub fn contenders_from_title(title: &str) -> Vec<String> {
    let mut head = title;
    for cut in [": ", " — ", " – ", " - ", "?", "!", " ("] {
        if let Some(i) = head.find(cut) {
            head = &head[..i];
        }
    }
    let head = head.trim_end_matches(':');
    let mut parts: Vec<String> = vec![String::new()];
    for word in head.split_whitespace() {
        if ["vs", "vs.", "versus", "v.", "v/s"].iter().any(|s| word.eq_ignore_ascii_case(s)) {
            parts.push(String::new());
        } else {
            let part = parts.last_mut().expect("never empty");
            if !part.is_empty() {
                part.push(' ');
            }
            part.push_str(word);
        }
    }
    let commas = parts.iter().any(|p| p.contains(','));
    if parts.len() == 1 && !commas {
        // No `vs` and no comma: `Rust and Go` when both sides read as names.
        parts = names_joined_by_and(&parts[0]).unwrap_or(parts);
    }
    let mut names: Vec<String> = Vec::new();
    for part in &parts {
        for piece in part.split(',') {
            let mut pieces = vec![piece.trim()];
            if commas {
                // `A, B and C`: the last comma's piece holds two names.
                pieces =
                    piece.split(" and ").flat_map(|p| p.split(" or ")).map(str::trim).collect();
            }
            for piece in pieces {
                let piece = piece
                    .strip_prefix("and ")
                    .or_else(|| piece.strip_prefix("or "))
                    .or_else(|| piece.strip_prefix("& "))
                    .unwrap_or(piece)
                    .trim();
                if !piece.is_empty() {
                    names.push(piece.to_string());
                }
            }
        }
    }
    if let Some(last) = names.last_mut() {
        for cut in [" in ", " for "] {
            if let Some(i) = last.find(cut) {
                last.truncate(i);
            }
        }
    }
    let mut unique: Vec<String> = Vec::new();
    for name in names {
        if !unique.iter().any(|u| contender_id(u) == contender_id(&name)) {
            unique.push(name);
        }
    }
    if unique.len() < 2 { Vec::new() } else { unique }
}

/// `Rust and Go` (or `Rust & Go`) as its two names, when the head of a title is exactly
/// two names joined by one `and`. Each side must read as a name, not as prose: at most
/// three words (after a trailing ` in 2025`, ` for ...` or ` compared`), the first with
/// a capital letter, a digit or a sign in it (`Rust`, `C++`, `.NET`, `async-std`, `Ruby on
/// Rails`) and not a word that opens a sentence (`Why Rust and Go`, `The Rust and Go`).
fn names_joined_by_and(head: &str) -> Option<Vec<String>> {
    const OPENERS: [&str; 17] = [
        "why",
        "how",
        "what",
        "when",
        "which",
        "who",
        "where",
        "comparing",
        "choosing",
        "between",
        "about",
        "using",
        "on",
        "my",
        "our",
        "the",
        "a",
    ];
    let sides: Vec<&str> =
        head.split(" and ").flat_map(|side| side.split(" & ")).map(str::trim).collect();
    let [first, second] = sides.as_slice() else { return None };
    let mut second = *second;
    for cut in [" in ", " for ", " compared", " Compared"] {
        if let Some(i) = second.find(cut) {
            second = &second[..i];
        }
    }
    let reads_as_name = |side: &str| {
        let words: Vec<&str> = side.split_whitespace().collect();
        let Some(lead) = words.first() else { return false };
        words.len() <= 3
            && !OPENERS.contains(&lead.to_lowercase().as_str())
            && lead.chars().any(|c| c.is_uppercase() || c.is_ascii_digit() || ".+#-_/".contains(c))
    };
    (reads_as_name(first) && reads_as_name(second))
        .then(|| vec![first.to_string(), second.to_string()])
}

/// The author: `--author` (which must exist), `default_author`, or the only author.
fn choose_author(
    root: &Path,
    config: &SiteConfig,
    requested: Option<&str>,
) -> Result<String, NewError> {
    let authors = author_ids(root);
    if let Some(id) = requested {
        if authors.iter().any(|a| a == id) {
            return Ok(id.to_string());
        }
        let hint = match did_you_mean(id, authors.iter().map(String::as_str)) {
            Some(best) => format!("did you mean `{best}`?"),
            None if authors.is_empty() => format!("add `authors/{id}.md` first"),
            None => format!("the authors are {}", quoted(&authors)),
        };
        return Err(NewError::Usage { message: format!("unknown author `{id}`"), hint });
    }
    if let Some(id) = &config.default_author {
        return Ok(id.clone());
    }
    match authors.as_slice() {
        [only] => Ok(only.clone()),
        [] => Err(NewError::Refused {
            message: "the site has no authors".into(),
            hint: "add one as `authors/<id>.md` with `name:` in its front matter".into(),
        }),
        many => Err(NewError::Usage {
            message: "which author? the site has several".into(),
            hint: format!(
                "pass `--author` with one of {}, or set `default_author` in site.yaml",
                quoted(many)
            ),
        }),
    }
}

/// Ids of the files in `authors/`, sorted.
fn author_ids(root: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(root.join("authors")) else { return Vec::new() };
    let mut ids: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| !is_ignored(&e.file_name()) && e.path().extension().is_some_and(|x| x == "md"))
        .filter_map(|e| Some(e.path().file_stem()?.to_string_lossy().into_owned()))
        .collect();
    ids.sort();
    ids
}

fn quoted(names: &[String]) -> String {
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

/// `name` as a YAML scalar: plain when that reads back as the same string, else quoted.
fn yaml_scalar(name: &str) -> String {
    let plain = name.chars().next().is_some_and(|c| c.is_alphanumeric() || c == '.')
        && name.chars().all(|c| c.is_alphanumeric() || " .+-_/#".contains(c))
        && !name.contains(" #")
        && !name.ends_with(' ')
        && name.parse::<f64>().is_err()
        && !["true", "false", "yes", "no", "on", "off", "null", "y", "n"]
            .contains(&name.to_lowercase().as_str());
    if plain { name.to_string() } else { serde_json::to_string(name).unwrap_or_default() }
}

/// The new article: front matter and a skeleton of criteria, each ending in a callout.
/// Every placeholder starts with `TODO`, which `verdict check` warns about.
fn article_text(
    title: &str,
    contenders: &[String],
    author: &str,
    label: &str,
    today: civil::Date,
) -> String {
    let names: Vec<&str> = contenders.iter().map(String::as_str).collect();
    let both = join_names(&names);
    let mut text = String::from("---\n");
    text.push_str(&format!("title: {}\n", serde_json::to_string(title).unwrap_or_default()));
    text.push_str(&format!(
        "date: {today}\nauthor: {}\ntags: []\ncontenders:\n",
        yaml_scalar(author)
    ));
    for name in contenders {
        text.push_str(&format!("  - {}\n", yaml_scalar(name)));
    }
    text.push_str("draft: true\n---\n\n");
    text.push_str(&format!(
        "TODO: in one paragraph, what {both} are, who this comparison is for, and the short answer.\n"
    ));
    for criterion in ["Performance", "Developer experience", "Ecosystem"] {
        text.push_str(&format!(
            "\n## {criterion}\n\nTODO: how {both} compare on {}, with numbers and sources.\n\n\
             **{label}:** TODO, name the winner (two names make a split, none a tie).\n",
            criterion.to_lowercase()
        ));
    }
    for name in contenders {
        text.push_str(&format!("\n## Choose {name} if\n\n- TODO: a reason to pick {name}\n"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(title: &str) -> Vec<String> {
        contenders_from_title(title)
    }

    #[test]
    fn reads_contenders_from_titles() {
        assert_eq!(names("Rust vs Go"), ["Rust", "Go"]);
        assert_eq!(names("Rust vs. Go"), ["Rust", "Go"]);
        assert_eq!(names("rust VERSUS go"), ["rust", "go"]);
        assert_eq!(names("PostgreSQL vs MySQL vs SQLite"), ["PostgreSQL", "MySQL", "SQLite"]);
        assert_eq!(names("React, Vue and Svelte"), ["React", "Vue", "Svelte"]);
        assert_eq!(names("React, Vue, and Svelte"), ["React", "Vue", "Svelte"]);
        assert_eq!(names("C++ vs C#"), ["C++", "C#"]);
        assert_eq!(names("Node.js vs Deno vs Bun"), ["Node.js", "Deno", "Bun"]);
        assert_eq!(names("Ruby on Rails vs Django"), ["Ruby on Rails", "Django"]);
        assert_eq!(names("Rust and Go"), ["Rust", "Go"]);
        assert_eq!(names("Rust & Go"), ["Rust", "Go"]);
        assert_eq!(names("Ruby on Rails and Django: a field guide"), ["Ruby on Rails", "Django"]);
        assert_eq!(names("Tokio and async-std in 2025"), ["Tokio", "async-std"]);
        assert_eq!(names("Rust and Go for web services"), ["Rust", "Go"]);
        assert_eq!(names("Rust and Go compared"), ["Rust", "Go"]);
    }

    #[test]
    fn and_splits_only_a_list_of_names() {
        // `vs` decides: `and` stays inside a name.
        assert_eq!(names("Rust vs Go and friends"), ["Rust", "Go and friends"]);
        assert_eq!(names("Salt and Pepper vs Oil"), ["Salt and Pepper", "Oil"]);
        // Prose, not names.
        assert!(names("Why Rust and Go").is_empty());
        assert!(names("The history of Rust and Go").is_empty());
        assert!(names("rust and go").is_empty());
        assert!(names("Rust and Go and Zig").is_empty());
    }

    #[test]
    fn leaves_out_subtitles() {
        assert_eq!(names("Rust vs Go: Which Should Power Your Next Service?"), ["Rust", "Go"]);
        assert_eq!(names("Rust vs Go in 2025"), ["Rust", "Go"]);
        assert_eq!(names("Vim vs Emacs - the eternal war"), ["Vim", "Emacs"]);
        assert_eq!(names("Rust vs Go for web services"), ["Rust", "Go"]);
    }

    #[test]
    fn needs_two_contenders() {
        assert!(names("My thoughts").is_empty());
        assert!(names("Rust vs rust").is_empty());
        assert!(names("Rust vs").is_empty());
    }

    #[test]
    fn quotes_yaml_only_when_needed() {
        assert_eq!(yaml_scalar("C#"), "C#");
        assert_eq!(yaml_scalar("Node.js"), "Node.js");
        assert_eq!(yaml_scalar("Yes"), "\"Yes\"");
        assert_eq!(yaml_scalar("1.0"), "\"1.0\"");
        assert_eq!(yaml_scalar("A: B"), "\"A: B\"");
        assert_eq!(yaml_scalar("*ptr"), "\"*ptr\"");
    }

    #[test]
    fn writes_a_valid_draft_article() {
        let today = civil::date(2025, 6, 1);
        let text =
            article_text("C++ vs \"C#\"", &["C++".into(), "C#".into()], "jane", "Winner", today);
        let article = crate::content::article::Article::parse(
            Path::new("articles/cpp-vs-csharp.md"),
            &text,
            "cpp-vs-csharp",
            None,
        )
        .unwrap();
        assert_eq!(article.title, "C++ vs \"C#\"");
        assert!(article.draft);
        assert_eq!(article.date.iso(), "2025-06-01");
        let ids: Vec<&str> = article.contenders.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["cpp", "csharp"]);
        assert_eq!(text.matches("**Winner:**").count(), 3);
    }
}
