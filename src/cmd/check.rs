//! `verdict check`: every validation of a build, without writing anything, plus the
//! warnings a build does not give.
//!
//! 1. [`site::generate_or_partial`] loads, validates and renders the whole site, every template
//!    included, into an output that only records the paths it would write.
//! 2. The rendered site is checked for what builds but reads wrong (SPEC §6): an article
//!    with no winner callout, two callouts under one heading, a callout outside any `##`
//!    section, a tie callout that misspells a contender, a "Choose X if" naming no
//!    contender, facts not verified for `stale_after_days`, a date after today, the
//!    `TODO` placeholders of `verdict new` (in `unfinished`), authors no article names,
//!    images that are not part of the output, and a `site.yaml` fact key no contender
//!    gives (in `fact_keys`).
//! 3. When step 1 fails, step 2 reads what it had outlined, so one run reports every
//!    problem.

use std::collections::HashSet;

use crate::site::site_links::{OutputPaths, output_key};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use clap::Args;
use jiff::civil;

use crate::config::{CONFIG_FILE, SiteConfig};
use crate::content::article::Contender;
use crate::content::front_matter;
use crate::diagnostics::{Format, count, print_report};
use crate::error::{Diagnostic, Error, did_you_mean};
use crate::images::target::{Target, target};
use crate::markdown::render::Placed;
use crate::site::outlines::RenderedSite;
use crate::site::site_links::SiteLink;
use crate::site::write::{Discard, Output};
use crate::site::{self, Address, BuildReport, Drafts, SourceOptions};
use crate::yaml::key_line;

mod callouts;
mod external;
mod fact_keys;
mod unfinished;
use callouts::callout_warnings;

/// Options of `verdict check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Site folder, holding `site.yaml`.
    #[arg(long, short, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Read the configuration from FILE instead of `site.yaml`. A relative path is read
    /// from the site folder (`--root`), which stays the site: themes, content and the
    /// output are found from there.
    #[arg(long, short = 'c', value_name = "FILE", default_value = CONFIG_FILE)]
    pub config: PathBuf,
    /// Also check articles and pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Fail (exit status 1) on warnings too, not only on errors.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Also fetch every external link of the Markdown (in parallel, a few per host) and
    /// warn about dead ones. Answers are kept in `.verdict-cache/links.txt` for a while
    /// (`external_links:` in site.yaml).
    #[arg(long)]
    pub external: bool,
    /// How to print problems: `human` (source lines and carets, on stderr) or `json` (one
    /// object per line on stdout, for editors and CI).
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = Format::Human)]
    pub format: Format,
}

impl CheckArgs {
    /// Checks the site; prints every problem and a count. Returns the exit code: 1 on
    /// errors (or warnings with `--deny-warnings`), else 0.
    pub fn run(&self) -> i32 {
        let drafts = if self.drafts { Drafts::Include } else { Drafts::Skip };
        let mut checked = check_site(&self.root, &self.config, drafts, today());
        if self.external {
            self.check_external(&mut checked);
        }
        let diagnostics = &checked.diagnostics;
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        let warnings = diagnostics.len() - errors;
        let failed = errors > 0 || (warnings > 0 && self.deny_warnings);
        let summary = match (&checked.report, failed) {
            (Some(report), false) if diagnostics.is_empty() => format!(
                "Checked {}, {} and {}: no errors or warnings",
                counted(report.articles, "article"),
                counted(report.pages, "page"),
                counted(report.authors, "author")
            ),
            (_, false) => format!("check passed with {}", count(diagnostics)),
            (_, true) if errors == 0 => {
                format!("check failed: {} (denied by `--deny-warnings`)", count(diagnostics))
            }
            (_, true) => format!("check failed: {}", count(diagnostics)),
        };
        print_report(diagnostics, &self.root, self.format, &summary);
        i32::from(failed)
    }
}

impl CheckArgs {
    /// Fetches the site's external links and adds a warning for each dead one.
    fn check_external(&self, checked: &mut Checked) {
        let Some(config) = &checked.config else { return };
        let (warnings, tally) = external::external_warnings(&self.root, config, &checked.links);
        eprintln!(
            "Checked {} ({} answered from the cache, {} skipped): {} dead",
            counted(tally.links, "external link"),
            tally.cached,
            tally.skipped,
            tally.dead
        );
        checked.diagnostics.extend(warnings);
        crate::error::sort_diagnostics(&mut checked.diagnostics);
    }
}

/// What `verdict check` found.
#[derive(Debug)]
pub struct Checked {
    /// Every error and warning, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
    /// What the site is made of, when it has no errors.
    pub report: Option<BuildReport>,
    /// The configuration the site was checked with (a stand-in made of its valid keys
    /// when the configuration file has errors), unless there is none.
    pub config: Option<SiteConfig>,
    /// Every root-relative or absolute link of the site's documents.
    pub links: Vec<SiteLink>,
}

/// Checks the site in `root`, configured by `config` (relative to `root`, or absolute),
/// as of the day `today` (for stale articles). Writes nothing.
/// The build runs in full into an output that only records paths; then the lint stage
/// reads what it outlined, also when the build failed.
pub fn check_site(root: &Path, config: &Path, drafts: Drafts, today: civil::Date) -> Checked {
    let options = SourceOptions {
        root: root.to_path_buf(),
        config: config.to_path_buf(),
        drafts,
        address: Address::Configured,
    };
    let inventory = Inventory::default();
    let (mut diagnostics, report, config, links) =
        match site::generate_or_partial(&options, &inventory) {
            Ok(generated) => {
                let facts = Facts {
                    root,
                    config: &generated.config,
                    site: &generated.site,
                    files: &inventory.into_paths(),
                    today,
                    complete: true,
                };
                let mut warnings = warnings(&facts);
                warnings.extend(generated.image_warnings.iter().cloned());
                (
                    warnings,
                    Some(generated.report),
                    Some(generated.config),
                    generated.site.into_site_links(),
                )
            }
            Err((error, partial)) => {
                let mut diagnostics = error.into_diagnostics();
                match partial {
                    Some(partial) => {
                        let facts = Facts {
                            root,
                            config: &partial.config,
                            site: &partial.site,
                            files: &partial.files,
                            today,
                            complete: false,
                        };
                        diagnostics.extend(warnings(&facts));
                        diagnostics.extend(partial.image_warnings.iter().cloned());
                        let partial = *partial;
                        (diagnostics, None, Some(partial.config), partial.site.into_site_links())
                    }
                    None => (diagnostics, None, None, Vec::new()),
                }
            }
        };
    crate::error::sort_diagnostics(&mut diagnostics);
    Checked { diagnostics, report, config, links }
}

/// Today: the day of `SOURCE_DATE_EPOCH` when set, else on the system clock in the
/// local time zone (see [`crate::content::date::today`]).
pub fn today() -> civil::Date {
    crate::content::date::today()
}

fn counted(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// An output that writes nothing and remembers the paths a build would write, so images
/// can be checked against the real output.
#[derive(Debug, Default)]
struct Inventory {
    paths: Mutex<OutputPaths>,
}

impl Inventory {
    fn into_paths(self) -> OutputPaths {
        self.paths.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    fn record(&self, rel: &Path) {
        let key = crate::site::site_links::output_key(rel).into_owned();
        self.paths.lock().unwrap_or_else(|e| e.into_inner()).insert(key);
    }
}

impl Output for Inventory {
    fn write(&self, rel: &Path, bytes: &[u8]) -> Result<(), Error> {
        Discard.write(rel, bytes)?;
        self.record(rel);
        Ok(())
    }

    fn copy(&self, source: &Path, rel: &Path) -> Result<(), Error> {
        Discard.copy(source, rel)?;
        self.record(rel);
        Ok(())
    }

    fn keep(&self, rel: &Path, _identity: Option<u64>, _made_from: u128) -> bool {
        self.record(rel);
        true
    }

    fn discards_bytes(&self) -> bool {
        true
    }
}

/// What the warnings are computed from.
struct Facts<'a> {
    root: &'a Path,
    config: &'a SiteConfig,
    site: &'a RenderedSite,
    /// Every path of the output, relative to it.
    files: &'a OutputPaths,
    today: civil::Date,
    /// Whether `site` holds every article (the site had no errors).
    complete: bool,
}

fn warnings(facts: &Facts<'_>) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let label = &facts.config.winner_label;
    for a in &facts.site.articles {
        let article = &a.article;
        let file = SourceFile::read(facts.root, &article.source);
        callout_warnings(&file, a, label, &mut warnings);
        choose_if_warnings(&file, &a.body.choose_if_names, &article.contenders, &mut warnings);
        stale_warning(&file, article, facts, &mut warnings);
        unfinished::future_warnings(&file, article, facts.today, &mut warnings);
        unfinished::placeholder_warnings(&file, label, &mut warnings);
        let bundle = article.bundle.as_deref();
        let place = Place { url: &a.url, bundle, slug: Some(&article.slug), bio: false };
        image_warnings(&file, &a.body.images, &place, facts, &mut warnings);
        if let Some(image) = &article.image {
            let (line, column) = file.value_location("image");
            let image = Placed { text: from_root(image, facts), line, column };
            // A bundle's `image:` is beside the article; any other is taken from the root.
            let url = if bundle.is_some() { a.url.as_str() } else { facts.config.base_path() };
            let place = Place { url, ..place };
            image_warnings(&file, &[image], &place, facts, &mut warnings);
        }
    }
    for p in &facts.site.pages {
        let file = SourceFile::read(facts.root, &p.page.source);
        let place = Place { url: &p.url, bundle: None, slug: Some(&p.page.slug), bio: false };
        image_warnings(&file, &p.body.images, &place, facts, &mut warnings);
    }
    for au in &facts.site.authors {
        let author = &au.author;
        let file = SourceFile::read(facts.root, &author.source);
        let place = Place { url: &au.url, bundle: None, slug: None, bio: true };
        image_warnings(&file, &au.bio_images, &place, facts, &mut warnings);
        if let Some(avatar) = &author.avatar {
            let (line, column) = file.value_location("avatar");
            let image = Placed { text: from_root(avatar, facts), line, column };
            let place = Place { url: facts.config.base_path(), bio: false, ..place };
            image_warnings(&file, &[image], &place, facts, &mut warnings);
        }
    }
    if facts.complete {
        unused_author_warnings(facts, &mut warnings);
        fact_keys::unused_fact_key_warnings(facts.root, facts.config, facts.site, &mut warnings);
    }
    warnings
}

/// A front-matter path (`image:`, `avatar:`) as the build writes it: one starting with `/`
/// is taken from the site root, base path included (see [`Urls::asset`]).
fn from_root(path: &str, facts: &Facts<'_>) -> String {
    match path.strip_prefix('/') {
        Some(rest) if !path.starts_with("//") => format!("{}{rest}", facts.config.base_path()),
        _ => path.to_string(),
    }
}

/// A source file's text, to locate warnings in it.
struct SourceFile<'a> {
    path: &'a Path,
    text: String,
}

impl<'a> SourceFile<'a> {
    fn read(root: &Path, path: &'a Path) -> SourceFile<'a> {
        let text = crate::files::read_text(root, path).unwrap_or_default();
        SourceFile { path, text }
    }

    /// The text of 1-based line `line`.
    fn line(&self, line: usize) -> &str {
        self.text.lines().nth(line.saturating_sub(1)).unwrap_or("")
    }

    /// Line and column of the value of the top-level front-matter key `key` (of its line
    /// when it has no value on it); line 1 when the key is missing.
    fn value_location(&self, key: &str) -> (usize, usize) {
        let Ok(doc) = front_matter::split(self.path, &self.text) else { return (1, 1) };
        let line = key_line(doc.front_matter, key, doc.front_matter_line);
        let text = self.line(line);
        let column =
            match text.strip_prefix(key).and_then(|rest| rest.trim_start().strip_prefix(':')) {
                Some(value) if !value.trim().is_empty() => {
                    let at = text.len() - value.trim_start().len();
                    text[..at].chars().count() + 1
                }
                _ => 1,
            };
        (line, column)
    }

    /// Column of the first character that is not a space on `line`.
    fn indent_column(&self, line: usize) -> usize {
        let text = self.line(line);
        text[..text.len() - text.trim_start().len()].chars().count() + 1
    }

    /// Line and column of the first whole-word `word` from `line` to the end of its
    /// paragraph; the paragraph's start when it is not found.
    fn find_word(&self, line: usize, word: &str) -> (usize, usize) {
        for (i, text) in self.text.lines().enumerate().skip(line.saturating_sub(1)) {
            if i + 1 > line && text.trim().is_empty() {
                break;
            }
            let found = text.match_indices(word).find(|(at, _)| {
                let before = text[..*at].chars().next_back();
                let after = text[at + word.len()..].chars().next();
                !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric)
            });
            if let Some((at, _)) = found {
                return (i + 1, text[..at].chars().count() + 1);
            }
        }
        (line, self.indent_column(line))
    }
}

/// "Choose X if" headings and paragraphs whose X is no contender of the article.
fn choose_if_warnings(
    file: &SourceFile<'_>,
    names: &[Placed],
    contenders: &[Contender],
    warnings: &mut Vec<Diagnostic>,
) {
    for choose in names {
        let name = choose.text.as_str();
        if contenders.iter().any(|c| c.spellings().any(|s| s == name)) {
            continue;
        }
        let spellings = contenders.iter().flat_map(Contender::spellings);
        let names: Vec<&str> = contenders.iter().map(|c| c.name.as_str()).collect();
        let hint = match did_you_mean(name, spellings) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!(
                "name one of the contenders ({}), or add `{name}` to `contenders:`",
                names.join(", ")
            ),
        };
        warnings.push(
            Diagnostic::warning(
                file.path,
                format!("`Choose {name} if` names no contender of this article, so its list is not a quick verdict"),
            )
            .at(choose.line, choose.column)
            .hint(hint),
        );
    }
}

/// `verified` (or `date`, when never verified) older than `stale_after_days`.
fn stale_warning(
    file: &SourceFile<'_>,
    article: &crate::content::article::Article,
    facts: &Facts<'_>,
    warnings: &mut Vec<Diagnostic>,
) {
    let days = facts.config.stale_after_days;
    let Some((key, day)) = article.stale_since(days, facts.today) else { return };
    let (line, column) = file.value_location(key);
    let (message, hint) = match key {
        "verified" => (
            format!("last verified on {day}, more than {days} days ago (`stale_after_days`)"),
            "check that the facts still hold, then set `verified:` to today's date",
        ),
        _ => (
            format!(
                "published on {day} and never verified, more than {days} days ago (`stale_after_days`)"
            ),
            "check that the facts still hold, then add `verified:` with today's date",
        ),
    };
    warnings.push(Diagnostic::warning(file.path, message).at(line, column).hint(hint));
}

/// Authors that no article names (drafts included).
fn unused_author_warnings(facts: &Facts<'_>, warnings: &mut Vec<Diagnostic>) {
    let used: HashSet<&str> = facts
        .site
        .articles
        .iter()
        .map(|a| a.article.author.as_str())
        .chain(facts.site.draft_authors.iter().map(String::as_str))
        .collect();
    for au in &facts.site.authors {
        let author = &au.author;
        if used.contains(author.id.as_str()) {
            continue;
        }
        let file = SourceFile::read(facts.root, &author.source);
        let (line, _) = file.value_location("name");
        warnings.push(
            Diagnostic::warning(
                &author.source,
                format!("no article names the author `{}`", author.id),
            )
            .at(line, 1)
            .hint(format!(
                "set `author: {}` in an article, or delete `{}`",
                author.id,
                author.source.display()
            )),
        );
    }
}

/// Where a document's images are resolved from.
#[derive(Clone, Copy)]
struct Place<'a> {
    /// Root-relative URL that relative paths resolve against (the page's, base path
    /// included).
    url: &'a str,
    /// The article's bundle folder, for hints.
    bundle: Option<&'a Path>,
    /// The document's slug, for hints.
    slug: Option<&'a str>,
    /// Whether this is an author's bio, which is also shown on article pages.
    bio: bool,
}

/// Images that are not part of the output.
fn image_warnings(
    file: &SourceFile<'_>,
    images: &[Placed],
    place: &Place<'_>,
    facts: &Facts<'_>,
    warnings: &mut Vec<Diagnostic>,
) {
    let base = facts.config.base_path();
    for image in images {
        let rel = match target(&image.text, place.url, base) {
            Target::Elsewhere => continue,
            Target::Output(rel) if facts.files.contains(output_key(Path::new(&rel)).as_ref()) => {
                continue;
            }
            Target::Output(rel) => rel,
            Target::OutsideBase => {
                let depth = place.url.strip_prefix(base).unwrap_or("").matches('/').count();
                let relative =
                    format!("{}{}", "../".repeat(depth), image.text.trim_start_matches('/'));
                warnings.push(
                    Diagnostic::warning(
                        file.path,
                        format!("image `{}` is outside the site's base path `{base}`", image.text),
                    )
                    .at(image.line, image.column)
                    .hint(format!(
                        "paths in Markdown are used as written: write it relative to the page, like `{relative}`"
                    )),
                );
                continue;
            }
        };
        let inner = place.slug.and_then(|slug| rel.strip_prefix(&format!("{slug}/")));
        let hint = match (place.bundle, inner) {
            (Some(bundle), Some(inner)) => {
                format!("put the image beside the article, at `{}`", bundle.join(inner).display())
            }
            (None, Some(_)) if file.path.starts_with("articles") => format!(
                "add `static/{rel}`, or make the article a bundle (`articles/{}/index.md`) with the image beside it",
                place.slug.unwrap_or_default()
            ),
            _ if place.bio && !image.text.starts_with('/') => {
                "a bio is also shown on article pages, where a relative path points elsewhere: use `avatar:` for a portrait, or the image's full URL".to_string()
            }
            _ => format!("add `static/{rel}`, or fix the path"),
        };
        warnings.push(
            Diagnostic::warning(
                file.path,
                format!("image `{}` not found: the output has no `{rel}`", image.text),
            )
            .at(image.line, image.column)
            .hint(hint),
        );
    }
}
