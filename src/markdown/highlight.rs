//! Code highlighting with syntect into CSS classes, and the one stylesheet that colours
//! them in light and dark mode.
//!
//! Syntaxes come from two-face (bat's current grammars), themes from two-face's set.
//! Both are loaded once per build and shared by every article.

use std::fmt::Write as _;
use std::sync::Arc;

use xxhash_rust::xxh3::Xxh3;

use pulldown_cmark_escape::{escape_html, escape_html_body_text};
use syntect::highlighting::{Color, FontStyle, Theme};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;
use two_face::theme::LazyThemeSet;

pub use crate::cache::code::CodeStore;

/// Prefix of every highlighting class, so they never collide with a theme's own classes.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Minimum contrast of code colours against the code background (WCAG AA, normal text).
const MIN_CONTRAST: f64 = 4.5;

/// Syntaxes and the two code themes of a build, and the code already highlighted.
pub struct Highlighter {
    /// Loaded on the first block the cache does not hold: a warm build needs none.
    syntaxes: std::sync::OnceLock<SyntaxSet>,
    light: Theme,
    dark: Theme,
    names: (String, String),
    store: CodeStore,
}

/// The grammars code is highlighted with: two-face's current set. Built with the
/// `floor-grammars` feature, syntect's default set instead, the one the benchmark floor
/// uses, so that a benchmark can tell the cost of building a site from the cost of the
/// grammars (`GRAMMARS=floor scripts/bench`); never for a real site, since that set has
/// no TypeScript and older grammars for several languages.
fn grammars() -> SyntaxSet {
    #[cfg(feature = "floor-grammars")]
    return SyntaxSet::load_defaults_newlines();
    #[cfg(not(feature = "floor-grammars"))]
    two_face::syntax::extra_newlines()
}

/// The cache key of a block: a 128-bit hash of its language and code.
pub fn block_key(code: &str, lang: Option<&str>) -> u128 {
    let mut hasher = Xxh3::new();
    hasher.update(lang.unwrap_or("").as_bytes());
    hasher.update(&[0]);
    hasher.update(code.as_bytes());
    hasher.digest128()
}

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
            syntaxes: std::sync::OnceLock::new(),
            light: get(light)?,
            dark: get(dark)?,
            names: (light.to_string(), dark.to_string()),
            store: CodeStore::none(),
        })
    }

    /// The light and dark theme names.
    pub fn themes(&self) -> (&str, &str) {
        (&self.names.0, &self.names.1)
    }

    /// Where highlighted blocks are kept from now on (see [`CodeStore`]).
    pub fn keep_in(&mut self, store: CodeStore) {
        self.store = store;
    }

    /// The store of highlighted blocks, to save or to mark blocks still used.
    pub fn store(&self) -> &CodeStore {
        &self.store
    }

    /// Highlights `code` written in `lang` into a `<pre class="code">` block. Unknown or
    /// missing languages give escaped plain text. Blocks seen before come from the cache.
    pub fn highlight(&self, code: &str, lang: Option<&str>) -> Arc<str> {
        self.highlight_keyed(block_key(code, lang), code, lang)
    }

    /// [`highlight`](Self::highlight), for a block whose [`block_key`] is known.
    pub fn highlight_keyed(&self, key: u128, code: &str, lang: Option<&str>) -> Arc<str> {
        if let Some(hit) = self.store.get(key) {
            return hit;
        }
        let html: Arc<str> = Arc::from(self.highlight_uncached(code, lang));
        self.store.insert(key, &html);
        html
    }

    fn highlight_uncached(&self, code: &str, lang: Option<&str>) -> String {
        let mut html = String::with_capacity(code.len() * 3 + 64);
        let syntaxes = self.syntaxes.get_or_init(grammars);
        let syntax = lang.and_then(|l| syntaxes.find_syntax_by_token(l));
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
                    ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, CLASS_STYLE);
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
        // Print always takes the light theme.
        css.push_str("@media print, not all and (prefers-color-scheme: dark) {\n");
        write_theme_css(&mut css, &self.light, "  ");
        css.push_str("}\n@media screen and (prefers-color-scheme: dark) {\n");
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
        let mut first = highlighter();
        first.keep_in(CodeStore::on_disk(dir.path()));
        let html = first.highlight("let x = 1;\n", Some("rust"));
        assert_eq!(first.highlight("let x = 1;\n", Some("rust")), html, "read back within a build");
        first.store().save();
        let saved = std::fs::read(dir.path().join(crate::cache::code::CACHE_FILE)).unwrap();
        let mut second = highlighter();
        second.keep_in(CodeStore::on_disk(dir.path()));
        assert_eq!(second.highlight("let x = 1;\n", Some("rust")), html);
        second.store().save();
        assert_eq!(
            std::fs::read(dir.path().join(crate::cache::code::CACHE_FILE)).unwrap(),
            saved,
            "unchanged"
        );
        let mut third = highlighter();
        third.keep_in(CodeStore::on_disk(dir.path()));
        third.highlight("fn f() {}\n", Some("rust"));
        third.store().save();
        let mut fourth = highlighter();
        fourth.keep_in(CodeStore::on_disk(dir.path()));
        assert_eq!(fourth.store().loaded_entries(), 1, "the unused block was dropped");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            2,
            "cache file and .gitignore only"
        );
    }

    #[test]
    fn stylesheet_has_dark_mode() {
        let css = highlighter().stylesheet();
        assert!(css.contains("@media screen and (prefers-color-scheme: dark)"));
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
