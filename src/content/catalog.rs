//! `contenders.yaml`: technologies described once for the whole site, and the pass that
//! gives every article's contenders their site-wide id (so `Golang` and `Go` meet).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use indexmap::IndexMap;
use serde::Deserialize;

use crate::content::article::{Article, Contender};
use crate::content::facts::Facts;
use crate::error::Diagnostic;
use crate::slug::{BadSegment, RESERVED_ON_WINDOWS, check_segment};
use crate::yaml::{key_line, parse_yaml};

/// Name of the optional catalog at the site root.
pub const CATALOG_FILE: &str = "contenders.yaml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    name: Option<String>,
    url: Option<String>,
    description: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    logo: Option<String>,
    #[serde(default)]
    facts: Facts,
}

/// One technology of the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogEntry {
    /// Id (the map key).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Official site.
    pub url: Option<String>,
    /// Markdown description for its hub page.
    pub description: Option<String>,
    /// Where the description's text starts in the file (see [`TextPosition`]).
    pub description_at: TextPosition,
    /// Other spellings.
    pub aliases: Vec<String>,
    /// Logo path or URL.
    pub logo: Option<String>,
    /// The technology's facts, in file order.
    pub facts: Facts,
    /// Line of the `logo` key, for errors.
    pub logo_line: usize,
}

/// Where a YAML string value starts in its file, to place what is found in its text:
/// the line of its first character, and the columns before it on that line (and, for a
/// block scalar, on every line, which are all indented alike).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TextPosition {
    /// 1-based line of the text's first line.
    pub line: usize,
    /// Columns before the text on its first line.
    pub first_indent: usize,
    /// Columns before the text on the lines after the first.
    pub indent: usize,
}

impl TextPosition {
    /// Moves a place in the text (1-based line and column counted from `line`) to its
    /// column in the file.
    pub fn column(&self, line: usize, column: usize) -> usize {
        if line <= self.line { column + self.first_indent } else { column + self.indent }
    }
}

/// Where the value of `field:` under the top-level key `id:` starts.
fn field_position(text: &str, id: &str, field: &str) -> TextPosition {
    let lines: Vec<&str> = text.lines().collect();
    let start = key_line(text, id, 1) - 1;
    let indent_of = |l: &str| l.len() - l.trim_start().len();
    for (i, line) in lines.iter().enumerate().skip(start + 1) {
        if !line.trim().is_empty() && indent_of(line) == 0 {
            break;
        }
        let Some(rest) = line.trim_start().strip_prefix(field) else { continue };
        let Some(value) = rest.trim_start().strip_prefix(':') else { continue };
        let value_start = line.len() - value.trim_start().len();
        let value = value.trim();
        if value.starts_with('|') || value.starts_with('>') {
            // A block scalar: the text starts on the next line that has any.
            let next = lines.iter().enumerate().skip(i + 1).find(|(_, l)| !l.trim().is_empty());
            return match next {
                Some((j, l)) => {
                    TextPosition { line: j + 1, first_indent: indent_of(l), indent: indent_of(l) }
                }
                None => TextPosition { line: i + 1, first_indent: 0, indent: 0 },
            };
        }
        let quote = usize::from(value.starts_with('"') || value.starts_with('\''));
        return TextPosition {
            line: i + 1,
            first_indent: value_start + quote,
            indent: indent_of(line) + 2,
        };
    }
    TextPosition { line: start + 1, first_indent: 0, indent: 0 }
}

/// The catalog, by id.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// Entries in file order.
    pub entries: Vec<CatalogEntry>,
    /// For ids `contenders.yaml` does not name: the name an article declares for the id,
    /// by writing its contender as a map with `aliases` or an `id` (the first such
    /// article in load order). Filled by [`resolve_contenders`]; a hub is titled with it.
    pub declared_names: HashMap<String, String>,
}

impl Catalog {
    /// Parses the text of `contenders.yaml`.
    pub fn parse(text: &str) -> Result<Catalog, Vec<Diagnostic>> {
        let path = Path::new(CATALOG_FILE);
        if text.trim().is_empty() {
            return Ok(Catalog::default());
        }
        let raw: IndexMap<String, RawEntry> = parse_yaml(path, text, 1).map_err(|d| vec![d])?;
        let mut errors = Vec::new();
        let mut entries = Vec::new();
        for (id, entry) in raw {
            let line = key_line(text, &id, 1);
            match check_segment(&id) {
                Ok(()) => {}
                Err(BadSegment::Unsafe) => {
                    errors.push(
                        Diagnostic::new(path, format!("`{id}` is not a valid contender id"))
                            .at(line, 1)
                            .hint("ids are letters, digits and dashes, like `node-js`"),
                    );
                    continue;
                }
                Err(BadSegment::ReservedOnWindows) => {
                    errors.push(
                        Diagnostic::new(
                            path,
                            format!("the contender id `{id}` is a device name that Windows reserves"),
                        )
                        .at(line, 1)
                        .hint(format!(
                            "choose another id (it names the page `compare/{id}/`): {RESERVED_ON_WINDOWS}"
                        )),
                    );
                    continue;
                }
            }
            let Some(name) = entry.name else {
                errors.push(
                    Diagnostic::new(path, format!("contender `{id}` has no `name`"))
                        .at(line, 1)
                        .hint(format!("add `name:` under `{id}:`")),
                );
                continue;
            };
            if let Some(url) = entry.url.as_deref().filter(|u| !crate::urls::is_safe_link(u)) {
                errors.push(
                    Diagnostic::new(
                        path,
                        format!("the `url` of `{id}` is not an http(s) address: `{url}`"),
                    )
                    .at(field_position(text, &id, "url").line, 1)
                    .hint("write the official site's address, like `https://go.dev`"),
                );
                continue;
            }
            let description_at = field_position(text, &id, "description");
            let logo_line = field_position(text, &id, "logo").line.max(line);
            entries.push(CatalogEntry {
                id,
                name,
                url: entry.url,
                description: entry.description,
                description_at,
                aliases: entry.aliases,
                logo_line,
                logo: entry.logo,
                facts: entry.facts,
            });
        }
        for entry in &entries {
            let other = entries.iter().filter(|o| o.id != entry.id).find_map(|o| {
                entry.aliases.iter().find(|a| **a == o.name || **a == o.id).map(|a| (a, o))
            });
            if let Some((alias, other)) = other {
                errors.push(
                    Diagnostic::new(
                        path,
                        format!(
                            "the alias `{alias}` of `{}` names another technology, `{}`",
                            entry.id, other.id
                        ),
                    )
                    .at(field_position(text, &entry.id, "aliases").line, 1)
                    .hint("remove the alias: a name can stand for one technology only"),
                );
            }
        }
        if errors.is_empty() {
            Ok(Catalog { entries, declared_names: HashMap::new() })
        } else {
            Err(errors)
        }
    }

    /// The entry with this id.
    pub fn get(&self, id: &str) -> Option<&CatalogEntry> {
        self.entries.iter().find(|e| e.id == id)
    }
}

/// Gives every contender whose id was not written its site-wide id: a catalog id written
/// as the name (`go`), else a name that the catalog or another article declares as an
/// alias or explicit name of an id (`Golang` → `go`). Catalog fields fill what the
/// article leaves out; its facts come first, under the article's. The names articles declare are recorded in
/// [`Catalog::declared_names`].
pub fn resolve_contenders(articles: &mut [Arc<Article>], catalog: &mut Catalog) {
    let mut known: HashMap<String, String> = HashMap::new();
    for entry in &catalog.entries {
        known.insert(entry.name.clone(), entry.id.clone());
        for alias in &entry.aliases {
            known.entry(alias.clone()).or_insert_with(|| entry.id.clone());
        }
    }
    for article in articles.iter() {
        for c in &article.contenders {
            if c.explicit_id {
                known.entry(c.name.clone()).or_insert_with(|| c.id.clone());
            }
            for alias in &c.aliases {
                known.entry(alias.clone()).or_insert_with(|| c.id.clone());
            }
        }
    }
    catalog.declared_names.clear();
    for article in articles.iter() {
        for c in article.contenders.iter().filter(|c| c.explicit_id || !c.aliases.is_empty()) {
            let id = if c.explicit_id {
                c.id.clone()
            } else {
                known.get(&c.name).cloned().unwrap_or_else(|| c.id.clone())
            };
            if catalog.get(&id).is_none() {
                catalog.declared_names.entry(id).or_insert_with(|| c.name.clone());
            }
        }
    }
    let catalog = &*catalog;
    let touches = |c: &Contender| {
        let renamed = !c.explicit_id
            && (catalog.get(&c.name).is_some() || known.get(&c.name).is_some_and(|id| *id != c.id));
        renamed || catalog.get(&c.id).is_some()
    };
    amend_contenders(articles, touches, |c| {
        if !c.explicit_id {
            if let Some(entry) = catalog.get(&c.name) {
                c.id = entry.id.clone();
                c.name = entry.name.clone();
            } else if let Some(id) = known.get(&c.name) {
                c.id = id.clone();
            }
        }
        if let Some(entry) = catalog.get(&c.id) {
            if c.url.is_none() {
                c.url = entry.url.clone();
            }
            c.logo = entry.logo.clone();
            for alias in &entry.aliases {
                if !c.aliases.contains(alias) && *alias != c.name {
                    c.aliases.push(alias.clone());
                }
            }
            if entry.name != c.name && !c.aliases.contains(&entry.name) {
                c.aliases.push(entry.name.clone());
            }
            // The article's own facts override the catalog's and add to them.
            if !entry.facts.is_empty() {
                c.facts = entry.facts.overlaid(&c.facts);
            }
        }
    });
}

/// Applies `change` to the contenders of each article, where `touches` says it may change
/// one: an article shared with the parsed articles of an incremental session is copied
/// only when its contenders come out different.
fn amend_contenders(
    articles: &mut [Arc<Article>],
    touches: impl Fn(&Contender) -> bool,
    change: impl Fn(&mut Contender),
) {
    for article in articles {
        if !article.contenders.iter().any(&touches) {
            continue;
        }
        let mut contenders = article.contenders.clone();
        contenders.iter_mut().for_each(&change);
        if contenders != article.contenders {
            Arc::make_mut(article).contenders = contenders;
        }
    }
}

/// Once ids are resolved (and checked): every spelling known anywhere for an id (names
/// and aliases, in any article or the catalog) counts for that id in every article.
pub fn share_spellings(articles: &mut [Arc<Article>], catalog: &Catalog) {
    // Every spelling of an id, site-wide, in first-seen order.
    let mut found: rustc_hash::FxHashMap<&str, Vec<&str>> = Default::default();
    let mut add = |id, spelling| {
        let list = found.entry(id).or_default();
        if !list.contains(&spelling) {
            list.push(spelling);
        }
    };
    for entry in &catalog.entries {
        add(&entry.id, &entry.name);
        entry.aliases.iter().for_each(|a| add(&entry.id, a));
    }
    for article in articles.iter() {
        for c in &article.contenders {
            add(&c.id, &c.name);
            c.aliases.iter().for_each(|a| add(&c.id, a));
        }
    }
    // An id with one spelling has it as the name of each contender with that id.
    let spellings: HashMap<String, Vec<String>> = found
        .into_iter()
        .filter(|(_, list)| list.len() > 1)
        .map(|(id, list)| (id.to_string(), list.into_iter().map(str::to_string).collect()))
        .collect();
    let missing =
        |c: &Contender, spelling: &String| *spelling != c.name && !c.aliases.contains(spelling);
    let touches =
        |c: &Contender| spellings.get(&c.id).is_some_and(|list| list.iter().any(|s| missing(c, s)));
    amend_contenders(articles, touches, |c| {
        for spelling in spellings.get(&c.id).into_iter().flatten() {
            if missing(c, spelling) {
                c.aliases.push(spelling.clone());
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(contenders: &str) -> Arc<Article> {
        let text =
            format!("---\ntitle: T\ndate: 2025-01-01\nauthor: a\ncontenders:\n{contenders}---\n");
        Arc::new(Article::parse(Path::new("articles/t.md"), &text, "t", None).unwrap())
    }

    #[test]
    fn articles_the_site_leaves_as_they_are_stay_shared() {
        let mut catalog = Catalog::parse("go:\n  name: Go\n").unwrap();
        let articles = vec![article("  - Rust\n  - Zig\n"), article("  - go\n  - C\n")];
        let mut resolved = articles.clone();
        resolve_contenders(&mut resolved, &mut catalog);
        share_spellings(&mut resolved, &catalog);
        assert!(Arc::ptr_eq(&articles[0], &resolved[0]), "nothing of the first changes");
        assert!(!Arc::ptr_eq(&articles[1], &resolved[1]), "`go` is the catalog's `Go`");
        assert_eq!(resolved[1].contenders[0].name, "Go");
        assert_eq!(articles[1].contenders[0].name, "go", "the shared article is left as parsed");
    }

    #[test]
    fn merges_aliases_across_articles_and_catalog() {
        let mut catalog =
            Catalog::parse("go:\n  name: Go\n  aliases: [Golang]\n  url: https://go.dev\n")
                .unwrap();
        let mut articles = vec![article("  - Golang\n  - Rust\n"), article("  - go\n  - C++\n")];
        resolve_contenders(&mut articles, &mut catalog);
        assert_eq!(articles[0].contenders[0].id, "go");
        assert_eq!(articles[0].contenders[0].url.as_deref(), Some("https://go.dev"));
        assert_eq!(articles[1].contenders[0].name, "Go");
    }

    #[test]
    fn explicit_ids_in_one_article_teach_the_others() {
        let mut articles = vec![
            article("  - name: Golang\n    id: go\n  - Rust\n"),
            article("  - Golang\n  - C\n"),
        ];
        resolve_contenders(&mut articles, &mut Catalog::default());
        assert_eq!(articles[1].contenders[0].id, "go");
    }

    #[test]
    fn an_alias_declared_in_one_article_counts_in_every_article() {
        let mut articles = vec![
            article("  - Golang\n  - Rust\n"),
            article("  - name: Go\n    aliases: [Golang]\n  - C\n"),
            article("  - Go\n  - Zig\n"),
        ];
        let mut catalog = Catalog::default();
        resolve_contenders(&mut articles, &mut catalog);
        share_spellings(&mut articles, &catalog);
        assert_eq!(articles[0].contenders[0].id, "go");
        // `Go` names the Golang of the first article, `Golang` the Go of the third.
        assert!(articles[0].contenders[0].spellings().any(|s| s == "Go"));
        assert!(articles[2].contenders[0].spellings().any(|s| s == "Golang"));
        assert_eq!(catalog.declared_names.get("go").map(String::as_str), Some("Go"));
    }

    #[test]
    fn finds_where_descriptions_start() {
        let text = "go:\n  name: Go\n  description: Fast [x](y.md)\nrust:\n  description: |\n    One\n    Two\n";
        let at = |id| field_position(text, id, "description");
        assert_eq!(at("go"), TextPosition { line: 3, first_indent: 15, indent: 4 });
        assert_eq!(at("rust"), TextPosition { line: 6, first_indent: 4, indent: 4 });
        assert_eq!(at("go").column(3, 6), 21, "the `[` of the link");
    }

    #[test]
    fn errors_on_entry_without_name() {
        let errors = Catalog::parse("go:\n  url: https://go.dev\n").unwrap_err();
        assert_eq!(errors[0].line, Some(1));
    }
}
