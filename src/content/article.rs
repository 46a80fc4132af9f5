//! Articles: front matter read into `RawArticle`, validated once into [`Article`].

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::content::alias::{Alias, parse_alias};
use crate::content::date::Date;
use crate::content::facts::Facts;
use crate::content::front_matter::{self, Document};
use crate::error::Diagnostic;
use crate::slug::{
    BadSegment, RESERVED_ON_WINDOWS, check_segment, contender_id, reserved_slug, slugify,
};
use crate::yaml::{key_line, value_line};

/// Article front matter as written (SPEC §2).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawArticle {
    title: Option<String>,
    date: Option<String>,
    updated: Option<String>,
    author: Option<String>,
    description: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    slug: Option<String>,
    #[serde(default)]
    draft: bool,
    image: Option<String>,
    #[serde(default)]
    contenders: Vec<RawContender>,
    verified: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    extra: serde_json::Map<String, serde_json::Value>,
}

/// A contender as written: a plain name or a map.
#[derive(Debug)]
enum RawContender {
    Name(String),
    Full(RawContenderMap),
}

// By hand rather than `#[serde(untagged)]`, which would hide the map's own errors
// ("unknown field `alaises`") behind "data did not match any variant".
impl<'de> Deserialize<'de> for RawContender {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RawContender;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a contender name, or a map with `name:` and optional `id`, `aliases`, `url`, `version`, `pros`, `cons`, `facts`")
            }

            fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<RawContender, E> {
                Ok(RawContender::Name(name.to_string()))
            }

            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<RawContender, E> {
                Ok(RawContender::Name(n.to_string()))
            }

            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<RawContender, E> {
                Ok(RawContender::Name(n.to_string()))
            }

            fn visit_f64<E: serde::de::Error>(self, n: f64) -> Result<RawContender, E> {
                Ok(RawContender::Name(n.to_string()))
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<RawContender, A::Error> {
                RawContenderMap::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(RawContender::Full)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContenderMap {
    name: String,
    id: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    url: Option<String>,
    version: Option<String>,
    #[serde(default)]
    pros: Vec<String>,
    #[serde(default)]
    cons: Vec<String>,
    #[serde(default)]
    facts: Facts,
}

/// The longest title, in characters: it is copied into every list of articles.
pub const MAX_TITLE: usize = 200;
/// The longest description.
pub const MAX_DESCRIPTION: usize = 500;
/// The longest tag, contender name, alias or id: each names a folder of the output and is
/// copied into many pages.
pub const MAX_NAME: usize = 80;
/// The longest slug, in bytes: it names the article's folder, and a file name has at most
/// 255 bytes on most file systems. Long enough for the slug of any title in ASCII.
pub const MAX_SLUG_BYTES: usize = MAX_TITLE;
/// The most contenders one article compares, and the most tags it has: each is copied
/// into every list of articles and every callout's reading.
pub const MAX_CONTENDERS: usize = 12;
/// See [`MAX_CONTENDERS`].
pub const MAX_TAGS: usize = 20;

/// Lengths that would be copied into many pages (a 4 MB title in every listing) or make
/// a file name too long: errors at the front-matter line that gives them.
#[allow(clippy::too_many_arguments)]
fn check_lengths(
    source: &Path,
    yaml: &str,
    first: usize,
    tags: &[String],
    title: &str,
    description: Option<&str>,
    slug: &str,
    contenders: &[Contender],
    errors: &mut Vec<Diagnostic>,
) {
    let line_of = |key: &str| key_line(yaml, key, first);
    // A limit passed by the value of `key` (a key not written, such as a slug from the
    // file name, is reported at the top of the file).
    let over = |errors: &mut Vec<Diagnostic>, key: &str, message: String, hint: &str| {
        errors.push(Diagnostic::new(source, message).at(line_of(key), 1).hint(hint));
    };
    if slug.len() > MAX_SLUG_BYTES {
        let message =
            format!("the slug is {} bytes long; the most is {MAX_SLUG_BYTES}", slug.len());
        over(errors, "slug", message, "shorten it: it names the article's folder in the output");
    }
    let mut too_long = |what: String, text: &str, max: usize, line: usize| {
        let n = text.chars().count();
        if n > max {
            errors.push(
                Diagnostic::new(
                    source,
                    format!("{what} is {n} characters long; the most is {max}"),
                )
                .at(line, 1)
                .hint("shorten it: it is copied into many pages (or names a folder of the output)"),
            );
        }
    };
    too_long("the `title`".into(), title, MAX_TITLE, line_of("title"));
    too_long(
        "the `description`".into(),
        description.unwrap_or(""),
        MAX_DESCRIPTION,
        line_of("description"),
    );
    for tag in tags {
        let short: String = tag.chars().take(20).collect();
        too_long(
            format!("the tag `{short}…`"),
            tag,
            MAX_NAME,
            value_line(yaml, "tags", tag, first),
        );
    }
    for c in contenders {
        let short: String = c.name.chars().take(20).collect();
        let line = value_line(yaml, "contenders", &c.name, first);
        too_long(format!("the contender name `{short}…`"), &c.name, MAX_NAME, line);
        too_long(format!("the id of contender `{short}…`"), &c.id, MAX_NAME, line);
        for alias in &c.aliases {
            too_long(format!("an alias of contender `{short}…`"), alias, MAX_NAME, line);
        }
    }
    if contenders.len() > MAX_CONTENDERS {
        let message = format!(
            "the article lists {} contenders; the most is {MAX_CONTENDERS}",
            contenders.len()
        );
        over(
            errors,
            "contenders",
            message,
            "compare fewer technologies in one article, or split it",
        );
    }
    if tags.len() > MAX_TAGS {
        let message = format!("the article has {} tags; the most is {MAX_TAGS}", tags.len());
        over(errors, "tags", message, "keep the tags that readers browse by");
    }
}

/// The article's `aliases:` (old addresses), each checked; the errors go to `errors`.
fn read_aliases(
    source: &Path,
    yaml: &str,
    first: usize,
    written: &[String],
    slug: &str,
    contenders: &[Contender],
    errors: &mut Vec<Diagnostic>,
) -> Vec<Alias> {
    let mut aliases: Vec<Alias> = Vec::new();
    for alias in written {
        let line = value_line(yaml, "aliases", alias, first);
        let error = |(message, hint): (String, String)| {
            Diagnostic::new(source, message).at(line, 1).hint(hint)
        };
        // A contender's other name, written where the article's old addresses go.
        let named =
            contenders.iter().find(|c| c.name == *alias || c.aliases.iter().any(|a| a == alias));
        if let Some(c) = named {
            errors.push(error((
                format!("the alias `{alias}` is a name of the contender `{}`: an article's `aliases` are its old addresses", c.name),
                format!("write other names of a technology under its contender: `- {{name: {}, aliases: [{alias}]}}`", c.name),
            )));
            continue;
        }
        match parse_alias(alias) {
            Ok((rel, _)) if rel == format!("{slug}/") => errors.push(error((
                format!("the alias `{alias}` is the article's own address"),
                "remove it: the article is at that address already".into(),
            ))),
            Ok((rel, _)) if aliases.iter().any(|a| a.rel == rel) => errors.push(error((
                format!("the alias `{alias}` is given twice"),
                "remove one of them".into(),
            ))),
            Ok((rel, output)) => {
                aliases.push(Alias { written: alias.clone(), rel, output, line });
            }
            Err(problem) => errors.push(error(problem)),
        }
    }
    aliases
}

/// One technology compared by an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contender {
    /// URL-safe id, unique within the site for one technology.
    pub id: String,
    /// Display name, matched case-sensitively in callouts.
    pub name: String,
    /// Whether the id was given in front matter rather than derived from the name.
    pub explicit_id: bool,
    /// Other spellings that count as this contender.
    pub aliases: Vec<String>,
    /// Official site.
    pub url: Option<String>,
    /// Version compared.
    pub version: Option<String>,
    /// Short strengths.
    pub pros: Vec<String>,
    /// Short weaknesses.
    pub cons: Vec<String>,
    /// Facts for the "At a glance" table: the catalog's, under the article's own.
    pub facts: Facts,
    /// Logo path or URL, from `contenders.yaml`.
    pub logo: Option<String>,
}

impl Contender {
    /// A contender given by name alone (`contenders: [Rust, Go]`): its id derived from
    /// the name, nothing else known.
    pub fn named(name: impl Into<String>) -> Contender {
        let name = name.into();
        Contender {
            id: contender_id(&name),
            name,
            explicit_id: false,
            aliases: Vec::new(),
            url: None,
            version: None,
            pros: Vec::new(),
            cons: Vec::new(),
            facts: Facts::default(),
            logo: None,
        }
    }

    /// Every spelling that names this contender in text: name, aliases, id.
    pub fn spellings(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str())
            .chain(self.aliases.iter().map(String::as_str))
            .chain(std::iter::once(self.id.as_str()))
    }
}

/// A validated article, not yet rendered.
#[derive(Debug, Clone)]
pub struct Article {
    /// Source file, relative to the site root (`articles/x.md` or `articles/x/index.md`).
    pub source: PathBuf,
    /// For a bundle, its folder relative to the site root.
    pub bundle: Option<PathBuf>,
    /// Output path segment.
    pub slug: String,
    /// Line of the `slug` key (or of the front matter start), for errors.
    pub slug_line: usize,
    /// Title, plain text.
    pub title: String,
    /// Publication date.
    pub date: Date,
    /// Last update.
    pub updated: Option<Date>,
    /// When the facts were last checked.
    pub verified: Option<Date>,
    /// Author id.
    pub author: String,
    /// Line of the `author` key (or of the front matter start), for errors.
    pub author_line: usize,
    /// Description from front matter.
    pub description: Option<String>,
    /// Tags as written.
    pub tags: Vec<String>,
    /// Skipped unless drafts are built.
    pub draft: bool,
    /// Social preview image, as written.
    pub image: Option<String>,
    /// The compared technologies, two or more.
    pub contenders: Vec<Contender>,
    /// Line of each contender in the file, for errors.
    pub contender_lines: Vec<usize>,
    /// Old addresses that redirect to the article.
    pub aliases: Vec<Alias>,
    /// Free-form template data.
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// A hash of the Markdown body. The body itself is not kept: a build reads it again
    /// when it outlines or renders the article, so a large site's Markdown is never all
    /// in memory at once.
    pub body_hash: u128,
    /// File line on which the body starts.
    pub body_line: usize,
}

impl Article {
    /// Validates the front matter of an article file and notes its body (by hash).
    ///
    /// `source` is relative to the site root; `default_slug` is the file stem or bundle name.
    pub fn parse(
        source: &Path,
        text: &str,
        default_slug: &str,
        default_author: Option<&str>,
    ) -> Result<Article, Vec<Diagnostic>> {
        let doc = front_matter::split(source, text).map_err(|d| vec![d])?;
        let raw: RawArticle =
            crate::yaml::parse_yaml(source, doc.front_matter, doc.front_matter_line)
                .map_err(|d| vec![d])?;
        validate(source, &doc, raw, default_slug, default_author)
    }

    /// When the article's facts count as stale on `today`, being older than `after_days`:
    /// the key that dates them (`verified`, else `date`) and its day.
    pub fn stale_since(
        &self,
        after_days: u32,
        today: jiff::civil::Date,
    ) -> Option<(&'static str, jiff::civil::Date)> {
        stale_since(self.facts_dated(), after_days, today)
    }

    /// The key that dates the article's facts (`verified`, else `date`) and its day.
    pub fn facts_dated(&self) -> (&'static str, jiff::civil::Date) {
        match &self.verified {
            Some(verified) => ("verified", verified.day),
            None => ("date", self.date.day),
        }
    }
}

/// When facts dated by `dated` ([`Article::facts_dated`]) count as stale on `today`,
/// being older than `after_days`: `dated` itself.
pub fn stale_since(
    dated: (&'static str, jiff::civil::Date),
    after_days: u32,
    today: jiff::civil::Date,
) -> Option<(&'static str, jiff::civil::Date)> {
    let cutoff = today.checked_sub(jiff::Span::new().days(i64::from(after_days))).ok()?;
    (dated.1 < cutoff).then_some(dated)
}

fn validate(
    source: &Path,
    doc: &Document<'_>,
    raw: RawArticle,
    default_slug: &str,
    default_author: Option<&str>,
) -> Result<Article, Vec<Diagnostic>> {
    let yaml = doc.front_matter;
    let first = doc.front_matter_line;
    let line_of = |key: &str| key_line(yaml, key, first);
    let mut errors = Vec::new();
    let missing = |key: &str, hint: &str| {
        Diagnostic::new(source, format!("missing required key `{key}`"))
            .at(1, 1)
            .hint(hint.to_string())
    };

    let title = match raw.title {
        Some(t) if !t.trim().is_empty() => t,
        Some(_) => {
            errors.push(
                Diagnostic::new(source, "`title` is empty")
                    .at(line_of("title"), 1)
                    .hint("write the comparison's title, like `title: \"Rust vs Go\"`"),
            );
            String::new()
        }
        None => {
            errors.push(missing("title", "add `title: \"Rust vs Go\"` to the front matter"));
            String::new()
        }
    };

    let date_of = |key: &str, value: Option<String>, errors: &mut Vec<Diagnostic>| {
        let value = value?;
        let parsed = Date::parse(&value);
        if parsed.is_none() {
            errors.push(
                Diagnostic::new(source, format!("`{key}` is not a valid date: `{value}`"))
                    .at(line_of(key), key.len() + 3)
                    .hint("write dates as YYYY-MM-DD (or RFC 3339, 2025-03-02T10:00:00Z)"),
            );
        }
        parsed
    };
    let date = match raw.date {
        None => {
            errors.push(missing("date", "add `date: YYYY-MM-DD` to the front matter"));
            None
        }
        some => date_of("date", some, &mut errors),
    };
    let updated = date_of("updated", raw.updated, &mut errors);
    let verified = date_of("verified", raw.verified, &mut errors);

    let author = match raw.author.or_else(|| default_author.map(str::to_string)) {
        Some(a) => a,
        None => {
            errors.push(missing(
                "author",
                "add `author: <id>` (a file in `authors/`) or set `default_author` in site.yaml",
            ));
            String::new()
        }
    };

    let slug = match raw.slug {
        Some(slug) => {
            if !slug.is_empty() && check_segment(&slug) == Err(BadSegment::Unsafe) {
                errors.push(
                    Diagnostic::new(source, format!("`slug` is not a valid URL segment: `{slug}`"))
                        .at(line_of("slug"), 7)
                        .hint("use letters, digits and dashes only, like `rust-vs-go`"),
                );
            }
            slug
        }
        None => slugify(default_slug),
    };
    if check_segment(&slug) == Err(BadSegment::ReservedOnWindows) {
        errors.push(reserved_slug(source, &slug, line_of("slug")));
    }
    if slug.is_empty() {
        errors.push(
            Diagnostic::new(source, "the article's slug is empty")
                .at(line_of("slug"), 1)
                .hint("give the article a `slug:` of letters, digits and dashes"),
        );
    }

    // Sized to fit: a site's articles are all held at once.
    let mut contenders: Vec<Contender> = Vec::with_capacity(raw.contenders.len());
    let mut contender_lines = Vec::new();
    for raw_contender in raw.contenders {
        let contender = match raw_contender {
            RawContender::Name(name) => Contender::named(name),
            RawContender::Full(map) => Contender {
                explicit_id: map.id.is_some(),
                id: map.id.unwrap_or_else(|| contender_id(&map.name)),
                name: map.name,
                aliases: map.aliases,
                url: map.url,
                version: map.version,
                pros: map.pros,
                cons: map.cons,
                facts: map.facts,
                logo: None,
            },
        };
        let line = value_line(yaml, "contenders", &contender.name, first);
        if let Some(url) = contender.url.as_deref().filter(|u| !crate::urls::is_safe_link(u)) {
            errors.push(
                Diagnostic::new(
                    source,
                    format!(
                        "the `url` of contender `{}` is not an http(s) address: `{url}`",
                        contender.name
                    ),
                )
                .at(value_line(yaml, "contenders", url, first), 1)
                .hint("write the official site's address, like `https://go.dev`"),
            );
        }
        let id_problem = check_segment(&contender.id);
        if contender.name.trim().is_empty() || id_problem == Err(BadSegment::Unsafe) {
            errors.push(
                Diagnostic::new(source, format!("contender `{}` has no usable id", contender.name))
                    .at(line, 1)
                    .hint("give it a name with letters or digits, or an explicit `id: some-id`"),
            );
        } else if id_problem == Err(BadSegment::ReservedOnWindows) {
            errors.push(
                Diagnostic::new(
                    source,
                    format!(
                        "contender `{}` has the id `{}`, a device name that Windows reserves",
                        contender.name, contender.id
                    ),
                )
                .at(line, 1)
                .hint(format!(
                    "give it another `id:` (its page would be `compare/{}/`): {RESERVED_ON_WINDOWS}",
                    contender.id
                )),
            );
        } else if let Some(other) = contenders.iter().find(|c| c.id == contender.id) {
            errors.push(
                Diagnostic::new(
                    source,
                    format!(
                        "contenders `{}` and `{}` have the same id `{}`",
                        other.name, contender.name, contender.id
                    ),
                )
                .at(line, 1)
                .hint("give one of them an explicit `id:`"),
            );
        }
        contender_lines.push(line);
        contenders.push(contender);
    }
    for tag in &raw.tags {
        let tag_slug = slugify(tag);
        if check_segment(&tag_slug) == Err(BadSegment::ReservedOnWindows) {
            errors.push(
                Diagnostic::new(
                    source,
                    format!(
                        "the tag `{tag}` names the folder `tags/{tag_slug}/`, a device name that Windows reserves"
                    ),
                )
                .at(value_line(yaml, "tags", tag, first), 1)
                .hint(format!("use another tag: {RESERVED_ON_WINDOWS}")),
            );
        }
    }
    for (i, c) in contenders.iter().enumerate() {
        let taken =
            contenders.iter().enumerate().filter(|&(j, _)| j != i).find_map(|(_, other)| {
                c.aliases.iter().find(|a| **a == other.name || **a == other.id).map(|a| (a, other))
            });
        if let Some((alias, other)) = taken {
            errors.push(
                Diagnostic::new(
                    source,
                    format!(
                        "the alias `{alias}` of `{}` names another contender, `{}`",
                        c.name, other.name
                    ),
                )
                .at(contender_lines[i], 1)
                .hint("remove the alias: a name can stand for one contender only"),
            );
        }
    }
    check_lengths(
        source,
        yaml,
        first,
        &raw.tags,
        &title,
        raw.description.as_deref(),
        &slug,
        &contenders,
        &mut errors,
    );
    let aliases = read_aliases(source, yaml, first, &raw.aliases, &slug, &contenders, &mut errors);
    if contenders.len() < 2 {
        errors.push(
            Diagnostic::new(
                source,
                format!("an article compares at least two contenders; found {}", contenders.len()),
            )
            .at(line_of("contenders"), 1)
            .hint("list them under `contenders:`, e.g. `contenders: [Rust, Go]`"),
        );
    }

    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Article {
        source: source.to_path_buf(),
        bundle: None,
        slug,
        title,
        date: date.expect("checked above"),
        updated,
        verified,
        author_line: line_of("author"),
        slug_line: line_of("slug"),
        author,
        description: raw.description.filter(|d| !d.trim().is_empty()),
        tags: raw.tags,
        draft: raw.draft,
        image: raw.image,
        contenders,
        contender_lines,
        aliases,
        extra: raw.extra,
        body_hash: xxhash_rust::xxh3::xxh3_128(doc.body.as_bytes()),
        body_line: doc.body_line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Article, Vec<Diagnostic>> {
        Article::parse(Path::new("articles/a.md"), text, "a", None)
    }

    #[test]
    fn parses_plain_and_map_contenders() {
        let article = parse(
            "---\ntitle: A\ndate: 2025-01-02\nauthor: x\ncontenders:\n  - C++\n  - name: Go\n    aliases: [Golang]\n---\nbody",
        )
        .unwrap();
        assert_eq!(article.contenders[0].id, "cpp");
        assert_eq!(article.contenders[1].aliases, ["Golang"]);
        assert_eq!(article.contender_lines, [6, 7]);
        assert_eq!(article.body_line, 10);
    }

    #[test]
    fn names_the_unknown_key_of_a_contender_map() {
        let errors = parse(
            "---\ntitle: A\ndate: 2025-01-02\nauthor: x\ncontenders:\n  - Rust\n  - name: Go\n    alaises: [Golang]\n---\n",
        )
        .unwrap_err();
        assert!(errors[0].message.contains("unknown field `alaises`"), "{}", errors[0].message);
        assert_eq!(errors[0].line, Some(8));
        assert_eq!(errors[0].hint.as_deref(), Some("did you mean `aliases`?"));
    }

    #[test]
    fn errors_on_bad_date_at_its_line() {
        let errors = parse("---\ntitle: A\ndate: 2025-13-45\nauthor: x\ncontenders: [A, B]\n---\n")
            .unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, Some(3));
    }

    #[test]
    fn errors_on_single_contender() {
        let errors = parse("---\ntitle: A\ndate: 2025-01-02\nauthor: x\ncontenders: [A]\n---\n")
            .unwrap_err();
        assert_eq!(errors[0].line, Some(5));
        assert!(errors[0].message.contains("at least two"));
    }
}
