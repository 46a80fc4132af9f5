//! Tera templates: the theme's, overridden by the site's `templates/`, loaded once per
//! build. [`views`] holds what they are given; [`crate::theme`] is the built-in theme.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use include_dir::Dir;
use serde::Serialize;
use tera::{Context, Tera};

use crate::error::Diagnostic;

pub mod budget;
mod loops;
pub mod views;

use crate::files::{files_under, folder_outside_site, reserved_output_name};
use crate::theme::DEFAULT_THEME;
pub use crate::theme::{DEFAULT_THEME_ORIGIN, default_theme_source};
pub use views::*;

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
    /// Every template: name, text and file, to find where a loop of components is.
    sources: Vec<(String, String, PathBuf)>,
    /// The renders in flight of the build these templates are for.
    watch: std::sync::Arc<budget::RenderWatch>,
    /// The theme's `static/` files, by output path.
    pub static_files: Vec<(PathBuf, ThemeFile)>,
    /// A hash of every template's name and source.
    pub fingerprint: u128,
    /// A hash of the name and source of every `.svg` template (the social card and what
    /// it includes).
    pub card_fingerprint: u128,
}

impl Templates {
    /// Loads the theme `theme` (from `themes/<theme>/` in `root`, or built in for
    /// `default`) and the site's `templates/` over it. An unknown theme is reported in
    /// `config_file`, the site's configuration.
    pub fn load(
        root: &Path,
        theme: &str,
        config_file: &Path,
    ) -> Result<Templates, Vec<Diagnostic>> {
        let mut sources: Vec<(String, String, PathBuf)> = Vec::new();
        let mut static_files = Vec::new();
        let mut errors = Vec::new();
        let theme_dir = Path::new("themes").join(theme);
        let mut defaults = Vec::new();
        let mut default_static = Vec::new();
        // Templates a disk theme lacks and takes from the built-in theme.
        let mut inherited: Vec<String> = Vec::new();
        if let Some(dir) = DEFAULT_THEME.get_dir("templates") {
            for file in dir.files() {
                let name =
                    file.path().file_name().unwrap_or_default().to_string_lossy().to_string();
                let text = file.contents_utf8().unwrap_or_default().to_string();
                let origin = Path::new(DEFAULT_THEME_ORIGIN).join("templates").join(&name);
                defaults.push((name, text, origin));
            }
        }
        if let Some(dir) = DEFAULT_THEME.get_dir("static") {
            collect_embedded(dir, &mut default_static);
        }
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
            // A theme that ships only some templates gets the built-in theme's for the
            // rest, and then the built-in theme's static files under its own.
            for (name, text, origin) in defaults {
                if !sources.iter().any(|(n, _, _)| *n == name) {
                    if REQUIRED_TEMPLATES.contains(&name.as_str()) {
                        inherited.push(name.clone());
                    }
                    sources.push((name, text, origin));
                }
            }
            if !inherited.is_empty() {
                for (out, file) in default_static {
                    if !static_files.iter().any(|(o, _)| *o == out) {
                        static_files.push((out, file));
                    }
                }
            }
        } else if theme == "default" {
            sources = defaults;
            static_files = default_static;
        } else {
            return Err(vec![
                Diagnostic::new(config_file, format!("unknown theme `{theme}`"))
                    .at(
                        crate::yaml::key_line(
                            &crate::config::read_config(root, config_file).unwrap_or_default(),
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
        // With the built-in theme underneath, this finds nothing unless that theme lost a
        // template; it stays as the guard of the rule that every page has its template.
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
        // The social card is an SVG template, escaped as XML like HTML.
        tera.autoescape_on(vec![".html", ".htm", ".xml", ".svg"]);
        // Tera's `range`, which also stops a loop over it once its page is over time.
        tera.register_function("range", budget::range);
        tera.register_filter("wrap_lines", wrap_lines);
        tera.add_raw_templates(
            sources.iter().map(|(name, text, _)| (name.as_str(), text.as_str())),
        )
        .map_err(|e| {
            let diagnostics = load_diagnostics(&e, &origins, &sources);
            diagnostics
                .into_iter()
                .map(|d| inherited_misfit(d, theme, &inherited))
                .collect::<Vec<_>>()
        })?;
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        for (name, text, _) in &sources {
            hasher.update(name.as_bytes());
            hasher.update(&[0]);
            hasher.update(text.as_bytes());
            hasher.update(&[0]);
        }
        let fingerprint = hasher.digest128();
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        for (name, text, _) in sources.iter().filter(|(name, _, _)| name.ends_with(".svg")) {
            hasher.update(name.as_bytes());
            hasher.update(&[0]);
            hasher.update(text.as_bytes());
            hasher.update(&[0]);
        }
        let card_fingerprint = hasher.digest128();
        let watch = budget::RenderWatch::current();
        Ok(Templates { tera, origins, sources, watch, static_files, fingerprint, card_fingerprint })
    }

    /// The file a template comes from, as errors name it.
    pub fn origin(&self, name: &str) -> PathBuf {
        self.origins.get(name).cloned().unwrap_or_else(|| name.into())
    }

    /// Makes `value` available as `name` in every template.
    pub fn set_global<T: Serialize>(&mut self, name: &'static str, value: &T) {
        self.tera.global_context().insert(name, value);
    }

    /// Renders template `name` with the view `context`, within the time a page may take
    /// ([`budget`]).
    pub fn render<T: Serialize>(&self, name: &str, context: &T) -> Result<String, Diagnostic> {
        let context =
            Context::from_serialize(context).map_err(|e| tera_diagnostic(&e, &self.origins))?;
        let origin = self.origins.get(name).cloned().unwrap_or_else(|| name.into());
        let stopped = |stop| {
            Diagnostic::new(&origin, format!("template error: {}", budget::stop_message(stop)))
                .hint(format!(
                    "look for a loop or components that never end; `{}` sets the limit in milliseconds",
                    budget::RENDER_TIME_LIMIT_VAR
                ))
        };
        let render = budget::Render::start(&self.watch, origin.clone()).map_err(stopped)?;
        let mut output = budget::Output::new(&render);
        let result = self.tera.render_to(name, &context, &mut output);
        match (result, render.stop()) {
            (Ok(()), _) => {
                let mut html = String::from_utf8(output.into_bytes())
                    .map_err(|e| Diagnostic::new(&origin, format!("template error: {e}")))?;
                drop_control_characters(&mut html);
                Ok(html)
            }
            // A stop inside `range` is located at its call.
            (Err(e), Some(_)) if matches!(e.kind(), tera::ErrorKind::RenderingError(_)) => {
                Err(self.render_diagnostic(&e))
            }
            (Err(_), Some(stop)) => Err(stopped(stop)),
            (Err(e), None) => Err(self.render_diagnostic(&e)),
        }
    }

    /// The diagnostic for an error rendering a template: for components nested too deep,
    /// at the call that closes their loop.
    fn render_diagnostic(&self, error: &tera::Error) -> Diagnostic {
        if error_chain(error).contains(loops::COMPONENT_DEPTH_MESSAGE) {
            if let Some(found) = loops::component_loop(&self.sources) {
                return found;
            }
        }
        tera_diagnostic(error, &self.origins)
    }
}

/// The filter `wrap_lines(size=64, width=1080, max=3)`: the text in lines that fit
/// `width` pixels at font size `size` in the social cards' font, at most `max` of them
/// ([`crate::cards::wrap`]).
fn wrap_lines(text: &str, kwargs: tera::Kwargs, _: &tera::State) -> tera::TeraResult<Vec<String>> {
    let size = kwargs.get::<f64>("size")?.unwrap_or(64.0) as f32;
    let width = kwargs.get::<f64>("width")?.unwrap_or(1080.0) as f32;
    let max = kwargs.get::<usize>("max")?.unwrap_or(3);
    Ok(crate::cards::wrap(text, size, width, max.clamp(1, 100)))
}

/// An error in a template a theme inherited from the built-in theme is the theme's to fix:
/// it names the template the theme lacks.
fn inherited_misfit(d: Diagnostic, theme: &str, inherited: &[String]) -> Diagnostic {
    let builtin = Path::new(DEFAULT_THEME_ORIGIN).join("templates");
    let Some(name) = d.path.strip_prefix(&builtin).ok().map(|n| n.to_string_lossy().into_owned())
    else {
        return d;
    };
    if !inherited.contains(&name) {
        return d;
    }
    let message = d.message.strip_prefix("template error: ").unwrap_or(&d.message);
    Diagnostic::new(
        Path::new("themes").join(theme).join("templates").join(&name),
        format!("theme `{theme}` has no `{name}`, and the built-in theme's does not fit it: {message}"),
    )
    .hint(format!(
        "add `{name}` to the theme, or give its `base.html` the blocks the built-in templates fill (`title`, `head`, `content`)"
    ))
}

/// Removes the control characters HTML does not allow (NUL and the other C0 controls
/// but tab, line feed, form feed and carriage return; DEL; the C1 controls), which a
/// YAML escape (`"\0"`) or a body can carry into a page. Pages without any cost one scan.
pub fn drop_control_characters(html: &mut String) {
    let bytes = html.as_bytes();
    // C1 controls are U+0080 to U+009F: 0xC2 then 0x80 to 0x9F in UTF-8.
    let suspect = bytes.iter().enumerate().any(|(i, &b)| {
        (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r'))
            || b == 0x7f
            || (b == 0xc2 && bytes.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)))
    });
    if suspect {
        html.retain(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\x0c' | '\r'));
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
    for (_, name) in files_under(root, dir, errors) {
        let origin = dir.join(&name);
        match crate::files::read_text(root, &origin) {
            Ok(text) => sources.push((name.to_string_lossy().replace('\\', "/"), text, origin)),
            Err(e) => errors.push(e),
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
    let text_of = |name: &str| {
        sources
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, text, origin)| (origin.clone(), text.clone()))
    };
    match error.kind() {
        tera::ErrorKind::CircularInclude { include_chain, .. } => {
            vec![loops::tag_loop("include", include_chain, text_of)]
        }
        tera::ErrorKind::CircularExtend { tpl, inheritance_chain } => {
            let mut chain = vec![tpl.clone()];
            chain.extend(inheritance_chain.iter().cloned());
            vec![loops::tag_loop("extends", &chain, text_of)]
        }
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
        _ => Diagnostic::new("templates", format!("template error: {}", error_chain(error))),
    }
}

/// An error and its sources, joined by `: `.
fn error_chain(error: &tera::Error) -> String {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        message.push_str(&format!(": {inner}"));
        source = inner.source();
    }
    message
}
