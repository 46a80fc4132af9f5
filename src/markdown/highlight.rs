//! Code highlighting with syntect into CSS classes, and the one stylesheet that colours
//! them in light and dark mode.
//!
//! Syntaxes come from two-face (bat's current grammars), themes from two-face's set.
//! Both are loaded once per build and shared by every article.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use xxhash_rust::xxh3::Xxh3;

use pulldown_cmark_escape::{escape_html, escape_html_body_text};
use syntect::parsing::{Scope, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;
use two_face::theme::LazyThemeSet;

pub use crate::cache::code::CodeStore;
use crate::markdown::code_styles::ClassTable;
use crate::markdown::parsed_lines::LineParser;

/// Syntaxes and the two code themes of a build, and the code already highlighted.
pub struct Highlighter {
    /// Loaded on the first block the cache does not hold: a warm build needs none.
    syntaxes: std::sync::OnceLock<SyntaxSet>,
    table: ClassTable,
    /// The classes of each scope stack met so far, shared by every block.
    classes: RwLock<HashMap<Vec<Scope>, Run>>,
    names: (String, String),
    store: CodeStore,
}

/// How a run of code with one scope stack is marked up.
#[derive(Clone)]
struct Run {
    /// Its classes; empty for code in the plain colours.
    classes: Arc<str>,
    /// Whether whitespace in it may take its neighbours' classes.
    blank_is_plain: bool,
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
        let table = ClassTable::new(&get(light)?, &get(dark)?);
        Ok(Highlighter {
            syntaxes: std::sync::OnceLock::new(),
            table,
            classes: RwLock::default(),
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
        match syntax.and_then(|syntax| self.mark_up(code, syntax, syntaxes)) {
            Some(body) => html.push_str(&body),
            None => {
                let _ = escape_html_body_text(&mut html, code);
            }
        }
        html.push_str("</code></pre>\n");
        html
    }

    /// `code` marked up with one element per run of code that looks the same in both
    /// themes, whatever its scopes; none when the grammar fails on it.
    fn mark_up(
        &self,
        code: &str,
        syntax: &SyntaxReference,
        syntaxes: &SyntaxSet,
    ) -> Option<String> {
        let mut parser = LineParser::new(syntax);
        let mut stack = ScopeStack::new();
        let mut out = Markup::with_capacity(code.len() * 2);
        // This block's runs by scope stack, ahead of the shared table and its lock.
        let mut local: HashMap<Vec<Scope>, Run> = HashMap::new();
        let mut run = self.run(&stack, &mut local);
        for line in LinesWithEndings::from(code) {
            let ops = parser.parse(line, syntaxes).ok()?;
            let mut at = 0;
            for &(i, ref op) in ops.iter() {
                if i > at {
                    out.text(&line[at..i], &run);
                    at = i;
                }
                stack.apply(op).ok()?;
                run = self.run(&stack, &mut local);
            }
            if at < line.len() {
                out.text(&line[at..], &run);
            }
        }
        Some(out.finish())
    }

    /// How code with the scope stack `stack` is marked up.
    fn run(&self, stack: &ScopeStack, local: &mut HashMap<Vec<Scope>, Run>) -> Run {
        let scopes = stack.as_slice();
        if let Some(run) = local.get(scopes) {
            return run.clone();
        }
        let shared = self.classes.read().unwrap_or_else(|e| e.into_inner()).get(scopes).cloned();
        let run = shared.unwrap_or_else(|| {
            let pair = self.table.pair(scopes);
            let run = Run {
                classes: Arc::from(self.table.classes(&pair)),
                blank_is_plain: ClassTable::blank_is_plain(&pair),
            };
            self.classes
                .write()
                .unwrap_or_else(|e| e.into_inner())
                .insert(scopes.to_vec(), run.clone());
            run
        });
        local.insert(scopes.to_vec(), run.clone());
        run
    }

    /// The stylesheet for highlighted code (see [`ClassTable::stylesheet`]). Colours too
    /// faint against the background are darkened or lightened until they reach WCAG AA
    /// contrast.
    pub fn stylesheet(&self) -> String {
        self.table.stylesheet(self.themes())
    }
}

/// The markup of a block being highlighted: a run of code of the same classes as the one
/// before it joins its element, and so does whitespace between two such runs when
/// nothing of it would show, in its own look or in theirs (no background, no underline).
struct Markup {
    html: String,
    /// The open element, if any.
    open: Option<Run>,
    /// Whitespace after the open element, not yet written: it joins the element if the
    /// next run has the same classes.
    blank: String,
}

impl Markup {
    fn with_capacity(capacity: usize) -> Markup {
        Markup { html: String::with_capacity(capacity), open: None, blank: String::new() }
    }

    fn text(&mut self, text: &str, run: &Run) {
        if run.blank_is_plain && text.bytes().all(|b| b.is_ascii_whitespace()) {
            match &self.open {
                Some(open) if open.blank_is_plain => self.blank.push_str(text),
                Some(_) => {
                    self.close();
                    self.html.push_str(text);
                }
                None => self.html.push_str(text),
            }
            return;
        }
        let open = self.open.as_ref().map(|open| &*open.classes);
        if open != Some(&*run.classes) && !(open.is_none() && run.classes.is_empty()) {
            self.close();
            if !run.classes.is_empty() {
                self.html.push_str("<span class=\"");
                self.html.push_str(&run.classes);
                self.html.push_str("\">");
                self.open = Some(run.clone());
            }
        }
        self.html.push_str(&self.blank);
        self.blank.clear();
        let _ = escape_html_body_text(&mut self.html, text);
    }

    /// Closes the open element; the whitespace held after it follows it.
    fn close(&mut self) {
        if self.open.take().is_some() {
            self.html.push_str("</span>");
        }
        self.html.push_str(&self.blank);
        self.blank.clear();
    }

    fn finish(mut self) -> String {
        self.close();
        self.html
    }
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
        assert!(html.contains("<span class=\"c"), "{html}");
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
        first.keep_in(CodeStore::on_disk(dir.path(), "a b"));
        let html = first.highlight("let x = 1;\n", Some("rust"));
        assert_eq!(first.highlight("let x = 1;\n", Some("rust")), html, "read back within a build");
        first.store().save();
        let saved = std::fs::read(dir.path().join(crate::cache::code::CACHE_FILE)).unwrap();
        let mut second = highlighter();
        second.keep_in(CodeStore::on_disk(dir.path(), "a b"));
        assert_eq!(second.highlight("let x = 1;\n", Some("rust")), html);
        second.store().save();
        assert_eq!(
            std::fs::read(dir.path().join(crate::cache::code::CACHE_FILE)).unwrap(),
            saved,
            "unchanged"
        );
        let mut third = highlighter();
        third.keep_in(CodeStore::on_disk(dir.path(), "a b"));
        third.highlight("fn f() {}\n", Some("rust"));
        third.store().save();
        let mut fourth = highlighter();
        fourth.keep_in(CodeStore::on_disk(dir.path(), "a b"));
        assert_eq!(fourth.store().loaded_entries(), 1, "the unused block was dropped");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            2,
            "cache file and .gitignore only"
        );
        let other_themes = CodeStore::on_disk(dir.path(), "a c");
        assert!(other_themes.get(block_key("fn f() {}\n", Some("rust"))).is_none());
    }

    #[test]
    fn stylesheet_has_dark_mode() {
        let css = highlighter().stylesheet();
        assert!(css.contains("@media screen and (prefers-color-scheme: dark)"));
    }

    #[test]
    fn unknown_theme_suggests_a_name() {
        let err = Highlighter::new("InspiredGithub", "OneHalfDark").err().unwrap();
        assert!(err.contains("did you mean `InspiredGitHub`?"), "{err}");
    }
}
