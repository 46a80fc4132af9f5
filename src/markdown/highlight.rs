//! Code highlighting with syntect into CSS classes, and the one stylesheet that colours
//! them in light and dark mode.
//!
//! Syntaxes come from two-face (bat's current grammars), themes from two-face's set.
//! Both are loaded once per build and shared by every article.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

use xxhash_rust::xxh3::Xxh3;

use pulldown_cmark_escape::{escape_html, escape_html_body_text};
use syntect::highlighting::{Color, FontStyle, Theme};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;
use two_face::theme::LazyThemeSet;

/// Prefix of every highlighting class, so they never collide with a theme's own classes.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Minimum contrast of code colours against the code background (WCAG AA, normal text).
const MIN_CONTRAST: f64 = 4.5;

/// Syntaxes and the two code themes of a build, and the code already highlighted.
pub struct Highlighter {
    syntaxes: SyntaxSet,
    light: Theme,
    dark: Theme,
    names: (String, String),
    cache: HighlightCache,
}

/// Highlighted blocks by a 128-bit hash of their language and code. Highlighting into
/// classes does not depend on the colour themes, so entries stay valid when they change.
#[derive(Default)]
struct HighlightCache {
    /// Entries loaded from disk or made by this process; the flag says "used this run".
    entries: RwLock<HashMap<u128, (Arc<str>, bool)>>,
    /// Whether anything changed since the cache was loaded.
    dirty: AtomicBool,
}

/// First line of the cache file; a file from another version is ignored.
fn cache_header() -> String {
    format!("verdict-highlight-cache 1 {}\n", env!("CARGO_PKG_VERSION"))
}

const CACHE_FILE: &str = "highlight.bin";

impl Highlighter {
    /// Loads the syntaxes and the `light` and `dark` themes; an unknown theme name is an
    /// error listing the known ones.
    pub fn new(light: &str, dark: &str) -> Result<Highlighter, String> {
        let themes = LazyThemeSet::from(two_face::theme::extra());
        let get = |name: &str| {
            themes.get(name).cloned().ok_or_else(|| {
                let names: Vec<&str> = themes.theme_names().collect();
                let suggestion = crate::error::did_you_mean(name, names.iter().copied())
                    .map(|s| format!("did you mean `{s}`? "))
                    .unwrap_or_default();
                format!(
                    "unknown code theme `{name}`; {suggestion}known themes: {}",
                    names.join(", ")
                )
            })
        };
        Ok(Highlighter {
            syntaxes: two_face::syntax::extra_newlines(),
            light: get(light)?,
            dark: get(dark)?,
            names: (light.to_string(), dark.to_string()),
            cache: HighlightCache::default(),
        })
    }

    /// The light and dark theme names.
    pub fn themes(&self) -> (&str, &str) {
        (&self.names.0, &self.names.1)
    }

    /// Loads highlighted blocks saved by an earlier build in `dir`. A missing, damaged or
    /// outdated file is ignored: the cache only ever saves work.
    pub fn load_cache(&self, dir: &Path) {
        let Ok(bytes) = std::fs::read(dir.join(CACHE_FILE)) else { return };
        let header = cache_header();
        let Some(mut rest) = bytes.strip_prefix(header.as_bytes()) else { return };
        let mut entries = self.cache.entries.write().unwrap_or_else(|e| e.into_inner());
        while rest.len() >= 20 {
            let key = u128::from_le_bytes(rest[..16].try_into().expect("16 bytes"));
            let len = u32::from_le_bytes(rest[16..20].try_into().expect("4 bytes")) as usize;
            let Some(value) = rest.get(20..20 + len) else { break };
            let Ok(html) = std::str::from_utf8(value) else { break };
            entries.insert(key, (Arc::from(html), false));
            rest = &rest[20 + len..];
        }
    }

    /// Saves the blocks used by this build into `dir` (written aside, then renamed), when
    /// anything changed. Blocks no longer used are dropped.
    pub fn save_cache(&self, dir: &Path) {
        let entries = self.cache.entries.read().unwrap_or_else(|e| e.into_inner());
        let unused = entries.values().any(|(_, used)| !used);
        if !self.cache.dirty.load(Ordering::Relaxed) && !unused {
            return;
        }
        let mut keys: Vec<&u128> =
            entries.iter().filter(|(_, (_, used))| *used).map(|(k, _)| k).collect();
        keys.sort();
        let mut bytes = cache_header().into_bytes();
        for key in keys {
            let html = &entries[key].0;
            bytes.extend_from_slice(&key.to_le_bytes());
            bytes.extend_from_slice(&(html.len() as u32).to_le_bytes());
            bytes.extend_from_slice(html.as_bytes());
        }
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        let _ = std::fs::write(dir.join(".gitignore"), "*\n");
        let tmp = dir.join(format!("{CACHE_FILE}.{}.tmp", std::process::id()));
        if std::fs::write(&tmp, &bytes).is_ok()
            && std::fs::rename(&tmp, dir.join(CACHE_FILE)).is_err()
        {
            let _ = std::fs::remove_file(&tmp);
        }
    }

    /// Marks every cached block unused, before a new build in the same process.
    pub fn start_build(&self) {
        let mut entries = self.cache.entries.write().unwrap_or_else(|e| e.into_inner());
        for entry in entries.values_mut() {
            entry.1 = false;
        }
    }

    /// Highlights `code` written in `lang` into a `<pre class="code">` block. Unknown or
    /// missing languages give escaped plain text. Blocks seen before come from the cache.
    pub fn highlight(&self, code: &str, lang: Option<&str>) -> Arc<str> {
        let key = {
            let mut hasher = Xxh3::new();
            hasher.update(lang.unwrap_or("").as_bytes());
            hasher.update(&[0]);
            hasher.update(code.as_bytes());
            hasher.digest128()
        };
        {
            let entries = self.cache.entries.read().unwrap_or_else(|e| e.into_inner());
            if let Some((html, used)) = entries.get(&key) {
                let html = html.clone();
                if !used {
                    drop(entries);
                    let mut entries = self.cache.entries.write().unwrap_or_else(|e| e.into_inner());
                    if let Some(entry) = entries.get_mut(&key) {
                        entry.1 = true;
                    }
                }
                return html;
            }
        }
        let html: Arc<str> = Arc::from(self.highlight_uncached(code, lang));
        self.cache
            .entries
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, (html.clone(), true));
        self.cache.dirty.store(true, Ordering::Relaxed);
        html
    }

    fn highlight_uncached(&self, code: &str, lang: Option<&str>) -> String {
        let mut html = String::with_capacity(code.len() * 3 + 64);
        let syntax = lang.and_then(|l| self.syntaxes.find_syntax_by_token(l));
        html.push_str("<pre class=\"code\" tabindex=\"0\"");
        if let Some(lang) = lang {
            html.push_str(" data-lang=\"");
            let _ = escape_html(&mut html, lang);
            html.push('"');
        }
        html.push_str("><code>");
        match syntax {
            Some(syntax) => {
                let mut generator =
                    ClassedHTMLGenerator::new_with_class_style(syntax, &self.syntaxes, CLASS_STYLE);
                let mut ok = true;
                for line in LinesWithEndings::from(code) {
                    if generator.parse_html_for_line_which_includes_newline(line).is_err() {
                        ok = false;
                        break;
                    }
                }
                if ok {
                    html.push_str(&generator.finalize());
                } else {
                    let _ = escape_html_body_text(&mut html, code);
                }
            }
            None => {
                let _ = escape_html_body_text(&mut html, code);
            }
        }
        html.push_str("</code></pre>\n");
        html
    }

    /// The stylesheet for highlighted code: the light theme, then the dark theme under
    /// `prefers-color-scheme: dark`. Colours too faint against the background are darkened
    /// or lightened until they reach WCAG AA contrast.
    pub fn stylesheet(&self) -> String {
        // Each theme sits in its own media block, so that no light rule, however specific
        // its selector, can win over a dark one.
        let mut css = String::from("/* Code highlighting, generated by verdict. */\n");
        css.push_str("@media not all and (prefers-color-scheme: dark) {\n");
        write_theme_css(&mut css, &self.light, "  ");
        css.push_str("}\n@media (prefers-color-scheme: dark) {\n");
        write_theme_css(&mut css, &self.dark, "  ");
        css.push_str("}\n");
        css
    }
}

fn write_theme_css(css: &mut String, theme: &Theme, indent: &str) {
    let background = theme.settings.background.unwrap_or(Color::WHITE);
    let foreground = theme.settings.foreground.unwrap_or(Color::BLACK);
    let _ = writeln!(
        css,
        "{indent}pre.code {{ color: {}; background-color: {}; }}",
        hex(readable(foreground, background)),
        hex(background)
    );
    for item in &theme.scopes {
        let selectors: Vec<String> = item
            .scope
            .selectors
            .iter()
            .filter(|s| s.excludes.is_empty())
            .map(|selector| {
                let path: Vec<String> = selector
                    .extract_scopes()
                    .iter()
                    .map(|scope| {
                        scope
                            .build_string()
                            .split('.')
                            .map(|atom| format!(".hl-{}", css_escape(atom)))
                            .collect()
                    })
                    .collect();
                format!("pre.code {}", path.join(" "))
            })
            .collect();
        if selectors.is_empty() {
            continue;
        }
        let mut rules = String::new();
        if let Some(fg) = item.style.foreground {
            let _ = write!(
                rules,
                " color: {};",
                hex(readable(fg, item.style.background.unwrap_or(background)))
            );
        }
        if let Some(bg) = item.style.background {
            if bg.a > 0 && bg != background {
                let _ = write!(rules, " background-color: {};", hex(bg));
            }
        }
        if let Some(style) = item.style.font_style {
            if style.contains(FontStyle::BOLD) {
                rules.push_str(" font-weight: bold;");
            }
            if style.contains(FontStyle::ITALIC) {
                rules.push_str(" font-style: italic;");
            }
            if style.contains(FontStyle::UNDERLINE) {
                rules.push_str(" text-decoration: underline;");
            }
        }
        if !rules.is_empty() {
            let _ = writeln!(css, "{indent}{} {{{rules} }}", selectors.join(", "));
        }
    }
}

fn css_escape(atom: &str) -> String {
    let mut out = String::with_capacity(atom.len());
    for c in atom.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            out.push(c);
        } else {
            out.push('\\');
            out.push(c);
        }
    }
    out
}

fn hex(c: Color) -> String {
    format!("#{:02x}{:02x}{:02x}", c.r, c.g, c.b)
}

/// WCAG relative luminance.
fn luminance(c: Color) -> f64 {
    let channel = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.03928 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)
}

fn contrast(a: Color, b: Color) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `fg`, mixed towards black (on light backgrounds) or white (on dark ones) just enough to
/// reach [`MIN_CONTRAST`] against `bg`.
fn readable(fg: Color, bg: Color) -> Color {
    if contrast(fg, bg) >= MIN_CONTRAST {
        return fg;
    }
    let target = if luminance(bg) > 0.4 { 0.0 } else { 255.0 };
    let mix = |v: u8, t: f64| (f64::from(v) + (target - f64::from(v)) * t).round() as u8;
    let mut step = 0.05;
    while step <= 1.0 {
        let c = Color { r: mix(fg.r, step), g: mix(fg.g, step), b: mix(fg.b, step), a: 255 };
        if contrast(c, bg) >= MIN_CONTRAST {
            return c;
        }
        step += 0.05;
    }
    Color { r: target as u8, g: target as u8, b: target as u8, a: 255 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn highlighter() -> Highlighter {
        Highlighter::new(crate::config::DEFAULT_LIGHT_THEME, crate::config::DEFAULT_DARK_THEME)
            .unwrap()
    }

    #[test]
    fn highlights_into_classes_without_inline_styles() {
        let html = highlighter().highlight("fn main() {}\n", Some("rust"));
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
    }

    #[test]
    fn unknown_language_is_escaped_plain_text() {
        let html = highlighter().highlight("<b>&</b>\n", Some("nosuchlang"));
        assert_eq!(
            &*html,
            "<pre class=\"code\" tabindex=\"0\" data-lang=\"nosuchlang\"><code>&lt;b&gt;&amp;&lt;/b&gt;\n</code></pre>\n"
        );
    }

    #[test]
    fn cache_survives_a_round_trip_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let first = highlighter();
        let html = first.highlight("let x = 1;\n", Some("rust"));
        first.save_cache(dir.path());
        let second = highlighter();
        second.load_cache(dir.path());
        assert_eq!(second.cache.entries.read().unwrap().len(), 1);
        assert_eq!(second.highlight("let x = 1;\n", Some("rust")), html);
        assert!(!second.cache.dirty.load(Ordering::Relaxed));
    }

    #[test]
    fn stylesheet_has_dark_mode() {
        let css = highlighter().stylesheet();
        assert!(css.contains("@media (prefers-color-scheme: dark)"));
    }

    #[test]
    fn raises_faint_colours_to_aa_contrast() {
        let white = Color::WHITE;
        let faint = Color { r: 200, g: 200, b: 200, a: 255 };
        assert!(contrast(readable(faint, white), white) >= MIN_CONTRAST);
    }

    #[test]
    fn unknown_theme_suggests_a_name() {
        let err = Highlighter::new("InspiredGithub", "OneHalfDark").err().unwrap();
        assert!(err.contains("did you mean `InspiredGitHub`?"), "{err}");
    }
}
