//! Tera templates: the theme's, overridden by the site's `templates/`, loaded once per
//! build; and the typed views every template receives (documented in `docs/templates.md`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use serde::Serialize;
use tera::{Context, Tera};

use crate::error::Diagnostic;
use crate::markdown::render::TocEntry;
use crate::site::load::{files_under, folder_outside_site, reserved_output_name};

/// The default theme, built into the binary.
static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// How errors name the files of the built-in theme: `<default theme>/templates/base.html`.
pub const DEFAULT_THEME_ORIGIN: &str = "<default theme>";

/// The text of a file of the built-in theme, by its path in the theme
/// (`templates/base.html`), for showing the source line of an error.
pub fn default_theme_source(rel: &Path) -> Option<&'static str> {
    DEFAULT_THEME.get_file(rel)?.contents_utf8()
}

/// Templates every theme must provide.
pub const REQUIRED_TEMPLATES: &[&str] = &[
    "base.html",
    "index.html",
    "article.html",
    "page.html",
    "authors.html",
    "author.html",
    "tags.html",
    "tag.html",
    "contenders.html",
    "contender.html",
    "404.html",
];

/// A file a theme copies into the output.
#[derive(Debug, Clone)]
pub enum ThemeFile {
    /// Bytes built into the binary.
    Embedded(&'static [u8]),
    /// A file on disk.
    Disk(PathBuf),
}

/// The templates of a build, ready to render.
pub struct Templates {
    tera: Tera,
    /// Template name → file shown in errors.
    origins: HashMap<String, PathBuf>,
    /// The theme's `static/` files, by output path.
    pub static_files: Vec<(PathBuf, ThemeFile)>,
    /// A hash of every template's name and source.
    pub fingerprint: u128,
}

impl Templates {
    /// Loads the theme `theme` (from `themes/<theme>/` in `root`, or built in for
    /// `default`) and the site's `templates/` over it.
    pub fn load(root: &Path, theme: &str) -> Result<Templates, Vec<Diagnostic>> {
        let mut sources: Vec<(String, String, PathBuf)> = Vec::new();
        let mut static_files = Vec::new();
        let mut errors = Vec::new();
        let theme_dir = Path::new("themes").join(theme);
        if root.join(&theme_dir).is_dir() {
            // Like content, a theme is read from inside the site only: a link leading
            // elsewhere (the theme folder, or a file or folder in it) is an error.
            if let Some(error) = folder_outside_site(root, &theme_dir) {
                return Err(vec![error]);
            }
            read_template_dir(root, &theme_dir.join("templates"), &mut sources, &mut errors);
            let static_dir = theme_dir.join("static");
            for (path, out) in files_under(root, &static_dir, &mut errors) {
                errors.extend(reserved_output_name(&static_dir.join(&out), &out));
                static_files.push((out, ThemeFile::Disk(path)));
            }
        } else if theme == "default" {
            if let Some(dir) = DEFAULT_THEME.get_dir("templates") {
                for file in dir.files() {
                    let name =
                        file.path().file_name().unwrap_or_default().to_string_lossy().to_string();
                    let text = file.contents_utf8().unwrap_or_default().to_string();
                    sources.push((
                        name.clone(),
                        text,
                        Path::new(DEFAULT_THEME_ORIGIN).join("templates").join(&name),
                    ));
                }
            }
            if let Some(dir) = DEFAULT_THEME.get_dir("static") {
                collect_embedded(dir, &mut static_files);
            }
        } else {
            return Err(vec![
                Diagnostic::new(crate::config::CONFIG_FILE, format!("unknown theme `{theme}`"))
                    .at(
                        crate::content::front_matter::key_line(
                            &std::fs::read_to_string(root.join(crate::config::CONFIG_FILE))
                                .unwrap_or_default(),
                            "theme",
                            1,
                        ),
                        1,
                    )
                    .hint(theme_hint(root, theme)),
            ]);
        }
        let mut overrides = Vec::new();
        read_template_dir(root, Path::new("templates"), &mut overrides, &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        for (name, text, origin) in overrides {
            match sources.iter_mut().find(|(n, _, _)| *n == name) {
                Some(slot) => *slot = (name, text, origin),
                None => sources.push((name, text, origin)),
            }
        }
        let origins: HashMap<String, PathBuf> =
            sources.iter().map(|(name, _, origin)| (name.clone(), origin.clone())).collect();
        let missing: Vec<Diagnostic> = REQUIRED_TEMPLATES
            .iter()
            .filter(|name| !origins.contains_key(**name))
            .map(|name| {
                Diagnostic::new(
                    Path::new("templates").join(name),
                    format!("theme `{theme}` has no template `{name}`"),
                )
                .hint("add the template to the theme or to the site's `templates/`")
            })
            .collect();
        if !missing.is_empty() {
            return Err(missing);
        }
        let mut tera = Tera::new();
        tera.add_raw_templates(
            sources.iter().map(|(name, text, _)| (name.as_str(), text.as_str())),
        )
        .map_err(|e| load_diagnostics(&e, &origins, &sources))?;
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        for (name, text, _) in &sources {
            hasher.update(name.as_bytes());
            hasher.update(&[0]);
            hasher.update(text.as_bytes());
            hasher.update(&[0]);
        }
        Ok(Templates { tera, origins, static_files, fingerprint: hasher.digest128() })
    }

    /// Makes `value` available as `name` in every template.
    pub fn set_global<T: Serialize>(&mut self, name: &'static str, value: &T) {
        self.tera.global_context().insert(name, value);
    }

    /// Renders template `name` with the view `context`.
    pub fn render<T: Serialize>(&self, name: &str, context: &T) -> Result<String, Diagnostic> {
        let context =
            Context::from_serialize(context).map_err(|e| tera_diagnostic(&e, &self.origins))?;
        self.tera.render(name, &context).map_err(|e| tera_diagnostic(&e, &self.origins))
    }
}

/// How to fix an unknown `theme:`: a did-you-mean among `default` and the site's
/// `themes/` folders, else where to put the theme.
fn theme_hint(root: &Path, theme: &str) -> String {
    let mut known = vec!["default".to_string()];
    if let Ok(entries) = std::fs::read_dir(root.join("themes")) {
        known.extend(
            entries
                .filter_map(Result::ok)
                .filter(|e| e.path().is_dir())
                .map(|e| e.file_name().to_string_lossy().into_owned()),
        );
    }
    match crate::error::did_you_mean(theme, known.iter().map(String::as_str)) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!(
            "add the theme in `themes/{theme}/`, or remove `theme:` to use the built-in `default`"
        ),
    }
}

/// Reads the templates under `root/dir`, named by their path in `dir` (`partials/x.html`).
fn read_template_dir(
    root: &Path,
    dir: &Path,
    sources: &mut Vec<(String, String, PathBuf)>,
    errors: &mut Vec<Diagnostic>,
) {
    for (path, name) in files_under(root, dir, errors) {
        let origin = dir.join(&name);
        match std::fs::read_to_string(&path) {
            Ok(text) => sources.push((name.to_string_lossy().replace('\\', "/"), text, origin)),
            Err(e) => errors.push(Diagnostic::new(origin, format!("cannot read template: {e}"))),
        }
    }
}

fn collect_embedded(dir: &'static Dir<'static>, out: &mut Vec<(PathBuf, ThemeFile)>) {
    for file in dir.files() {
        let rel = file.path().strip_prefix("static").unwrap_or(file.path()).to_path_buf();
        out.push((rel, ThemeFile::Embedded(file.contents())));
    }
    for sub in dir.dirs() {
        collect_embedded(sub, out);
    }
}

/// The errors of loading the templates, each naming the template file, line and column;
/// a template that `{% extends %}` or `{% include %}`s a missing one gets a did-you-mean.
fn load_diagnostics(
    error: &tera::Error,
    origins: &HashMap<String, PathBuf>,
    sources: &[(String, String, PathBuf)],
) -> Vec<Diagnostic> {
    let names = || sources.iter().map(|(name, _, _)| name.as_str());
    let unknown_hint = |missing: &str| match crate::error::did_you_mean(missing, names()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!("add `templates/{missing}`, or use one of the theme's templates"),
    };
    match error.kind() {
        tera::ErrorKind::MissingParent { current, parent } => {
            let path = origins.get(current).cloned().unwrap_or_else(|| current.into());
            let text = sources.iter().find(|(n, _, _)| n == current).map_or("", |(_, t, _)| t);
            let quoted = [format!("\"{parent}\""), format!("'{parent}'")];
            let (line, column) = text
                .lines()
                .enumerate()
                .find_map(|(i, l)| {
                    let at = quoted.iter().find_map(|q| l.find(q.as_str()))?;
                    l.contains("extends").then(|| (i + 1, l[..at].chars().count() + 1))
                })
                .unwrap_or((1, 1));
            vec![
                Diagnostic::new(path, format!("template error: unknown template `{parent}`"))
                    .at(line, column)
                    .hint(unknown_hint(parent)),
            ]
        }
        tera::ErrorKind::Msg(message) if message.starts_with("error: ") => {
            // Tera reports every unknown `{% include %}` (and component) at once, as
            // rustc-style blocks: "error: Unknown template `x`\n --> name:line:col\n...".
            let mut found = Vec::new();
            for block in message.split("\n\n") {
                let mut lines = block.lines();
                let Some(text) = lines.next().and_then(|l| l.strip_prefix("error: ")) else {
                    continue;
                };
                let place = lines.next().and_then(|l| l.trim_start().strip_prefix("--> "));
                let Some((name, line, column)) = place.and_then(|p| {
                    let mut parts = p.rsplitn(3, ':');
                    let column = parts.next()?.parse::<usize>().ok()?;
                    let line = parts.next()?.parse::<usize>().ok()?;
                    Some((parts.next()?, line, column))
                }) else {
                    continue;
                };
                let path = origins.get(name).cloned().unwrap_or_else(|| name.into());
                let missing =
                    text.strip_prefix("Unknown template `").and_then(|t| t.strip_suffix('`'));
                found.push(match missing {
                    Some(missing) => Diagnostic::new(path, format!("template error: unknown template `{missing}`"))
                        .at(line, column)
                        .hint(unknown_hint(missing)),
                    None => Diagnostic::new(path, format!("template error: {text}"))
                        .at(line, column)
                        .hint("fix the template; `docs/templates.md` lists every variable a template can use"),
                });
            }
            if found.is_empty() { vec![tera_diagnostic(error, origins)] } else { found }
        }
        _ => vec![tera_diagnostic(error, origins)],
    }
}

/// A Tera error as a diagnostic naming the template file, line and column.
fn tera_diagnostic(error: &tera::Error, origins: &HashMap<String, PathBuf>) -> Diagnostic {
    match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let path =
                origins.get(report.filename()).cloned().unwrap_or_else(|| report.filename().into());
            let span = report.span();
            Diagnostic::new(path, format!("template error: {}", report.message()))
                .at(span.start_line, span.start_col + 1)
                .hint(
                    "fix the template; `docs/templates.md` lists every variable a template can use",
                )
        }
        _ => {
            let mut message = error.to_string();
            let mut source = std::error::Error::source(error);
            while let Some(inner) = source {
                message.push_str(&format!(": {inner}"));
                source = inner.source();
            }
            Diagnostic::new("templates", format!("template error: {message}"))
        }
    }
}

/// `site` in every template.
#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    /// Site name.
    pub title: &'a str,
    /// Site description.
    pub description: &'a str,
    /// `<html lang>`.
    pub language: &'a str,
    /// Absolute root URL, ending in `/`.
    pub base_url: &'a str,
    /// Root-relative home URL.
    pub url: &'a str,
    /// Authors list URL.
    pub authors_url: String,
    /// Theme stylesheet URL.
    pub stylesheet_url: String,
    /// Code stylesheet URL.
    pub syntax_css_url: String,
    /// Favicon URL.
    pub favicon_url: String,
    /// Tags index URL.
    pub tags_url: String,
    /// Technologies index URL.
    pub compare_url: String,
    /// Atom feed URL.
    pub feed_url: String,
    /// Search index URL.
    pub search_url: String,
    /// Search script URL.
    pub search_script_url: String,
    /// `extra` from site.yaml.
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
    /// `verdict <version>`.
    pub generator: String,
}

/// `meta` in every template: what the page is, for `<head>`.
#[derive(Debug, Serialize)]
pub struct MetaView {
    /// The page's own title.
    pub title: String,
    /// Meta description.
    pub description: String,
    /// Root-relative URL.
    pub url: String,
    /// Absolute URL.
    pub canonical: String,
    /// `home`, `article`, `page`, `authors`, `author`, `tags`, `tag`, `contenders`,
    /// `contender` or `404`.
    pub kind: &'static str,
    /// OpenGraph type: `article` or `website`.
    pub og_type: &'static str,
    /// Absolute URL of the social preview image.
    pub image: Option<String>,
    /// JSON-LD for the page, safe inside `<script type="application/ld+json">`.
    pub json_ld: String,
}

/// A contender in a view.
#[derive(Debug, Clone, Serialize)]
pub struct ContenderView<'a> {
    /// Id.
    pub id: &'a str,
    /// Name.
    pub name: &'a str,
    /// Version compared.
    pub version: Option<&'a str>,
    /// Official site.
    pub url: Option<&'a str>,
    /// Strengths.
    pub pros: &'a [String],
    /// Weaknesses.
    pub cons: &'a [String],
    /// Criteria won.
    pub wins: usize,
    /// The technology's hub page.
    pub hub_url: String,
    /// 1-based position in the article's contenders (for per-contender colours).
    pub position: usize,
}

/// A tag in a view.
#[derive(Debug, Clone, Serialize)]
pub struct TagView<'a> {
    /// As written.
    pub name: &'a str,
    /// URL-safe.
    pub slug: String,
    /// The tag's page.
    pub url: String,
}

/// A tag on the tags pages.
#[derive(Debug, Clone, Serialize)]
pub struct TagListView<'a> {
    /// As first written.
    pub name: &'a str,
    /// URL-safe.
    pub slug: &'a str,
    /// The tag's page.
    pub url: String,
    /// Articles with the tag.
    pub count: usize,
}

/// A technology on the compare index.
#[derive(Debug, Clone, Serialize)]
pub struct HubSummaryView<'a> {
    /// Id.
    pub id: &'a str,
    /// Name.
    pub name: &'a str,
    /// Hub page URL.
    pub url: String,
    /// Comparisons including it.
    pub count: usize,
    /// Criteria won, lost, split, tied.
    pub record: crate::site::index::Record,
}

/// A technology's hub page.
#[derive(Debug, Clone, Serialize)]
pub struct HubView<'a> {
    /// Id.
    pub id: &'a str,
    /// Name.
    pub name: &'a str,
    /// Hub page URL.
    pub url: String,
    /// Official site.
    pub website: Option<&'a str>,
    /// Logo URL.
    pub logo: Option<String>,
    /// Description HTML from contenders.yaml.
    pub description: Option<&'a str>,
    /// Comparisons including it.
    pub count: usize,
    /// Criteria won, lost, split, tied over all its comparisons.
    pub record: crate::site::index::Record,
    /// Against each opponent.
    pub head_to_head: Vec<HeadToHeadView<'a>>,
}

/// A hub's results against one opponent.
#[derive(Debug, Clone, Serialize)]
pub struct HeadToHeadView<'a> {
    /// The opponent (`id`, `name`, `url` of its hub).
    pub opponent: HubLinkView<'a>,
    /// Criteria won against it.
    pub wins: usize,
    /// Criteria lost to it.
    pub losses: usize,
    /// Criteria shared or tied.
    pub draws: usize,
    /// Articles comparing both.
    pub articles: usize,
    /// "Python vs Node.js: 4–3 over 2 articles".
    pub summary: String,
}

/// A link to a hub.
#[derive(Debug, Clone, Serialize)]
pub struct HubLinkView<'a> {
    /// Id.
    pub id: &'a str,
    /// Name.
    pub name: &'a str,
    /// Hub page URL.
    pub url: String,
}

/// A short author reference.
#[derive(Debug, Clone, Serialize)]
pub struct AuthorRef<'a> {
    /// Id.
    pub id: &'a str,
    /// Name.
    pub name: &'a str,
    /// Author page URL.
    pub url: String,
}

/// One tally entry.
#[derive(Debug, Clone, Serialize)]
pub struct TallyView<'a> {
    /// Contender id.
    pub id: &'a str,
    /// Contender name.
    pub name: &'a str,
    /// Criteria won (splits count for each winner).
    pub wins: usize,
    /// Share of the decided criteria, 0–100.
    pub percent: usize,
    /// 1-based position in the article's contenders.
    pub position: usize,
}

/// An article in lists; on the article page itself `A` is the full [`AuthorView`].
#[derive(Debug, Clone, Serialize)]
pub struct SummaryView<'a, A = AuthorRef<'a>> {
    /// Title.
    pub title: &'a str,
    /// Description.
    pub description: &'a str,
    /// Root-relative URL.
    pub url: &'a str,
    /// Absolute URL.
    pub permalink: &'a str,
    /// Human date.
    pub date: String,
    /// `YYYY-MM-DD`.
    pub date_iso: String,
    /// Human update date.
    pub updated: Option<String>,
    /// Update `YYYY-MM-DD`.
    pub updated_iso: Option<String>,
    /// Minutes to read.
    pub reading_minutes: usize,
    /// Words of prose.
    pub word_count: usize,
    /// Author.
    pub author: A,
    /// Contenders.
    pub contenders: Vec<ContenderView<'a>>,
    /// Tags.
    pub tags: Vec<TagView<'a>>,
    /// Wins per contender.
    pub tally: Vec<TallyView<'a>>,
    /// Whether the article is a draft.
    pub draft: bool,
}

/// A scorecard row.
#[derive(Debug, Clone, Serialize)]
pub struct ScoreRowView<'a> {
    /// Criterion name.
    pub criterion: &'a str,
    /// Heading id.
    pub anchor: Option<&'a str>,
    /// `win`, `split` or `tie`.
    pub outcome: &'static str,
    /// Winners.
    pub winners: Vec<NameView<'a>>,
    /// Callout text, HTML.
    pub summary: &'a str,
}

/// A contender named by a callout.
#[derive(Debug, Clone, Serialize)]
pub struct NameView<'a> {
    /// Id.
    pub id: &'a str,
    /// Name.
    pub name: &'a str,
    /// 1-based position in the article's contenders.
    pub position: usize,
    /// Criteria won in the article.
    pub wins: usize,
}

/// The scorecard of an article.
#[derive(Debug, Clone, Serialize)]
pub struct ScorecardView<'a> {
    /// One row per callout.
    pub rows: Vec<ScoreRowView<'a>>,
    /// Wins per contender.
    pub tally: Vec<TallyView<'a>>,
    /// The contender with most wins, if one leads alone.
    pub leader: Option<NameView<'a>>,
    /// Criteria with at least one winner (what `percent` is a share of).
    pub decided: usize,
}

/// A "Choose X if" block.
#[derive(Debug, Clone, Serialize)]
pub struct ChooseIfView<'a> {
    /// Contender id.
    pub id: &'a str,
    /// Contender name.
    pub name: &'a str,
    /// HTML reasons.
    pub reasons: &'a [String],
    /// 1-based position in the article's contenders.
    pub position: usize,
}

/// An author, whole.
#[derive(Debug, Clone, Serialize)]
pub struct AuthorView<'a> {
    /// Id.
    pub id: &'a str,
    /// Name.
    pub name: &'a str,
    /// Role.
    pub role: Option<&'a str>,
    /// Avatar URL.
    pub avatar: Option<String>,
    /// Placeholder initials.
    pub initials: String,
    /// Links.
    pub links: Vec<LinkView<'a>>,
    /// Bio, HTML.
    pub bio: &'a str,
    /// Author page URL.
    pub url: String,
    /// Absolute author page URL.
    pub permalink: String,
    /// Published articles.
    pub article_count: usize,
}

/// A labelled link.
#[derive(Debug, Clone, Serialize)]
pub struct LinkView<'a> {
    /// Label (`GitHub`).
    pub label: String,
    /// URL.
    pub url: &'a str,
}

/// An article, whole.
#[derive(Debug, Serialize)]
pub struct ArticleView<'a> {
    /// The summary fields.
    #[serde(flatten)]
    pub summary: SummaryView<'a, AuthorView<'a>>,
    /// Body HTML.
    pub content: String,
    /// Table of contents.
    pub toc: &'a [TocEntry],
    /// Scorecard.
    pub scorecard: ScorecardView<'a>,
    /// Choose-if blocks.
    pub choose_if: Vec<ChooseIfView<'a>>,
    /// Social image URL.
    pub image: Option<String>,
    /// Human verified date.
    pub verified: Option<String>,
    /// Verified `YYYY-MM-DD`.
    pub verified_iso: Option<String>,
    /// Free-form data.
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
    /// Related comparisons.
    pub related: Vec<SummaryView<'a>>,
}

/// A standalone page.
#[derive(Debug, Serialize)]
pub struct PageView<'a> {
    /// Title.
    pub title: &'a str,
    /// Description.
    pub description: &'a str,
    /// Root-relative URL.
    pub url: &'a str,
    /// Absolute URL.
    pub permalink: &'a str,
    /// Body HTML.
    pub content: &'a str,
    /// Table of contents.
    pub toc: &'a [TocEntry],
    /// Free-form data.
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
}

/// Pagination of the home page.
#[derive(Debug, Serialize)]
pub struct PaginationView {
    /// Current page, from 1.
    pub current: usize,
    /// Number of pages.
    pub total: usize,
    /// Previous page URL.
    pub previous: Option<String>,
    /// Next page URL.
    pub next: Option<String>,
    /// Every page.
    pub pages: Vec<PageLinkView>,
}

/// One page in pagination.
#[derive(Debug, Serialize)]
pub struct PageLinkView {
    /// Page number.
    pub number: usize,
    /// URL.
    pub url: String,
    /// Whether this is the current page.
    pub current: bool,
}

/// Context of `index.html`.
#[derive(Debug, Serialize)]
pub struct IndexContext<'a> {
    /// Page meta.
    pub meta: MetaView,
    /// This page's articles.
    pub articles: Vec<SummaryView<'a>>,
    /// Pagination.
    pub pagination: PaginationView,
}

/// Context of `article.html`.
#[derive(Debug, Serialize)]
pub struct ArticleContext<'a> {
    /// Page meta.
    pub meta: MetaView,
    /// The article.
    pub article: ArticleView<'a>,
}

/// Context of `page.html`.
#[derive(Debug, Serialize)]
pub struct PageContext<'a> {
    /// Page meta.
    pub meta: MetaView,
    /// The page.
    pub page: PageView<'a>,
}

/// Context of `authors.html`.
#[derive(Debug, Serialize)]
pub struct AuthorsContext<'a> {
    /// Page meta.
    pub meta: MetaView,
    /// Every author.
    pub authors: Vec<AuthorView<'a>>,
}

/// Context of `author.html`.
#[derive(Debug, Serialize)]
pub struct AuthorContext<'a> {
    /// Page meta.
    pub meta: MetaView,
    /// The author.
    pub author: AuthorView<'a>,
    /// Their articles, newest first.
    pub articles: Vec<SummaryView<'a>>,
}

/// Context of `tags.html`.
#[derive(Debug, Serialize)]
pub struct TagsContext<'a> {
    /// Page meta.
    pub meta: MetaView,
    /// Every tag.
    pub tags: Vec<TagListView<'a>>,
}

/// Context of `tag.html`.
#[derive(Debug, Serialize)]
pub struct TagContext<'a> {
    /// Page meta.
    pub meta: MetaView,
    /// The tag.
    pub tag: TagListView<'a>,
    /// This page's articles.
    pub articles: Vec<SummaryView<'a>>,
    /// Pagination.
    pub pagination: PaginationView,
}

/// Context of `contenders.html`.
#[derive(Debug, Serialize)]
pub struct ContendersContext<'a> {
    /// Page meta.
    pub meta: MetaView,
    /// Every technology.
    pub contenders: Vec<HubSummaryView<'a>>,
}

/// Context of `contender.html`.
#[derive(Debug, Serialize)]
pub struct ContenderContext<'a> {
    /// Page meta.
    pub meta: MetaView,
    /// The technology.
    pub contender: HubView<'a>,
    /// Comparisons including it, newest first.
    pub articles: Vec<SummaryView<'a>>,
}

/// Context of `404.html`.
#[derive(Debug, Serialize)]
pub struct NotFoundContext {
    /// Page meta.
    pub meta: MetaView,
}
