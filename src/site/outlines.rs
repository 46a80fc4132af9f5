//! Rendering every article, page and bio to HTML, in parallel, then checking the
//! `#anchors` that links between them point at.

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;

use crate::content::article::Article;
use crate::content::author::Author;
use crate::content::catalog::{CATALOG_FILE, TextPosition};
use crate::content::page::Page;
use crate::error::{Diagnostic, did_you_mean};
use std::sync::Arc;

use crate::files::read_text;
use crate::markdown::callouts::Outcome;
use crate::markdown::documents::{document_key, document_key_hashed, render_document};
use crate::markdown::render::{Detail, Env, Placed, Rendered, Source, render};
use crate::site::article_digests::{ArticleDigests, Derived};
use crate::site::load::Content;
use crate::site::scratch::{Scratch, Slot};
use crate::site::site_links::{LinksChecked, SiteLink, names_folder};
use crate::urls::Urls;

/// An article with its rendered body and derived facts.
#[derive(Debug)]
pub struct RenderedArticle {
    /// The validated article.
    pub article: Arc<Article>,
    /// Its body's outline (shared with the cache of an incremental session).
    pub body: std::sync::Arc<Rendered>,
    /// Root-relative URL.
    pub url: String,
    /// Absolute URL.
    pub permalink: String,
    /// Front-matter description, or the first paragraph cut short.
    pub description: String,
    /// Criteria won, per contender (in front-matter order).
    pub wins: Vec<usize>,
    /// How many of those wins were shared (splits), per contender.
    pub shared: Vec<usize>,
    /// The [`document_key`] of its outline: a
    /// hash of everything its body's HTML depends on.
    pub key: u128,
    /// Where its body's HTML waits, when it was rendered with the outline.
    pub ahead: Option<Slot>,
    /// Its body's root-relative and absolute links, checked once the site is written.
    pub site_links: Vec<SiteLink>,
    /// Whether one of them may lead into the full-text search bundle's folder
    /// ([`names_folder`]): checked again when only the bundle's paths changed.
    pub bundle_links: bool,
    /// What the site's index reads of it, as a hash ([`crate::site::index::index_key`]).
    pub index_hash: u128,
    /// Whether its outline has problems or links to headings of other documents: what
    /// the anchor check reads it for, known without reading the outline.
    pub to_check: bool,
    /// What the pages and the site-wide files read of it, as hashes.
    pub digests: ArticleDigests,
    /// Whether it was taken over from the last build of an incremental session
    /// ([`Recycled`]), which checked its links.
    pub taken_over: bool,
}

impl RenderedArticle {
    /// The article's Markdown body, read again from its file (bodies are not kept once
    /// outlined). An error names the file, if it went away or changed during the build.
    pub fn markdown(&self, root: &Path) -> Result<String, Diagnostic> {
        read_body(root, &self.article)
    }

    /// The article's Markdown, as the renderer takes it.
    pub fn source<'a>(&'a self, body: &'a str) -> Source<'a> {
        Source {
            path: &self.article.source,
            body,
            body_line: self.article.body_line,
            contenders: &self.article.contenders,
        }
    }

    /// The HTML of the article's body, rendered from its file (the one place a body
    /// is rendered after its outline, for a page or the feed).
    pub fn body_html(&self, env: &Env<'_>, root: &Path) -> Result<String, Diagnostic> {
        let markdown = self.markdown(root)?;
        Ok(render_document(env, &self.source(&markdown), Detail::Full).html)
    }

    /// Minutes to read, at 220 words a minute.
    pub fn reading_minutes(&self) -> usize {
        self.body.word_count.div_ceil(220).max(1)
    }
}

/// The Markdown body of `article`, read again from its file; an error names the file
/// if it went away or changed since it was loaded.
pub fn read_body(root: &Path, article: &Article) -> Result<String, Diagnostic> {
    let text = read_text(root, &article.source)?;
    let doc = crate::content::front_matter::split(&article.source, &text)?;
    let same = doc.body_line == article.body_line
        && xxhash_rust::xxh3::xxh3_128(doc.body.as_bytes()) == article.body_hash;
    if !same {
        return Err(Diagnostic::new(&article.source, "the file changed during the build")
            .hint("build again"));
    }
    Ok(doc.body.to_string())
}

/// A page with its rendered body.
#[derive(Debug)]
pub struct RenderedPage {
    /// The validated page.
    pub page: Page,
    /// Its body.
    pub body: Rendered,
    /// Root-relative URL.
    pub url: String,
    /// Absolute URL.
    pub permalink: String,
    /// Description.
    pub description: String,
}

/// An author with their rendered bio.
#[derive(Debug)]
pub struct RenderedAuthor {
    /// The validated author.
    pub author: Author,
    /// Bio HTML.
    pub bio: String,
    /// The bio's images.
    pub bio_images: Vec<Placed>,
    /// Root-relative URL of the author page.
    pub url: String,
    /// Absolute URL.
    pub permalink: String,
}

/// Every document of the site, rendered; articles newest first.
#[derive(Debug)]
pub struct RenderedSite {
    /// Articles, newest first.
    pub articles: Vec<RenderedArticle>,
    /// Pages, by slug.
    pub pages: Vec<RenderedPage>,
    /// Authors, by id.
    pub authors: Vec<RenderedAuthor>,
    /// The HTML of each `contenders.yaml` description, by contender id.
    pub hub_descriptions: HashMap<String, String>,
    /// The authors that drafts left out of the build name.
    pub draft_authors: Vec<String>,
    /// The root-relative and absolute links of the pages, bios and descriptions (each
    /// article holds its own), checked once the site is written.
    pub other_links: Vec<SiteLink>,
    /// What every article was made from besides itself ([`Recycled`]).
    pub articles_key: u128,
    /// What the links of the articles taken over were checked against by the build that
    /// made them ([`LinksChecked`]); zeros when none was.
    pub links_checked: LinksChecked,
}

impl RenderedSite {
    /// Every root-relative or absolute link of every document.
    pub fn site_links(&self) -> impl Iterator<Item = &SiteLink> {
        self.articles.iter().flat_map(|a| &a.site_links).chain(&self.other_links)
    }

    /// [`site_links`](Self::site_links), taken out of the site.
    pub fn into_site_links(self) -> Vec<SiteLink> {
        let mut links: Vec<SiteLink> =
            self.articles.into_iter().flat_map(|a| a.site_links).collect();
        links.extend(self.other_links);
        links
    }
}

/// The articles of an incremental session's last build, for the next build to take over
/// each one it would make again the same: one made from the very same parsed article
/// (the session shares an unchanged one from build to build, and the recycled article
/// holds it, so that no other can take its place in memory) by a build whose
/// [`RenderedSite::articles_key`] is the same. Its outline is marked used in the
/// document cache, as a build finding it there would.
#[derive(Debug, Default)]
pub struct Recycled {
    key: u128,
    /// What the last build checked the links against.
    links_checked: LinksChecked,
    /// Newest first, as the last build ordered them.
    articles: Vec<Option<RenderedArticle>>,
    /// Index in `articles` by the address of the parsed article.
    by_article: rustc_hash::FxHashMap<usize, usize>,
}

impl Recycled {
    /// The articles of `site`, once it has been served.
    pub fn new(site: RenderedSite) -> Recycled {
        // One whose body waits in the last build's scratch file cannot be taken over.
        let articles: Vec<Option<RenderedArticle>> =
            site.articles.into_iter().map(|a| a.ahead.is_none().then_some(a)).collect();
        let by_article = articles
            .iter()
            .enumerate()
            .filter_map(|(i, a)| Some((Arc::as_ptr(&a.as_ref()?.article) as usize, i)))
            .collect();
        Recycled { key: site.articles_key, links_checked: site.links_checked, articles, by_article }
    }

    /// The last build's article made from `article`, if any, with its place in the last
    /// build's order.
    fn take(&mut self, article: &Arc<Article>) -> Option<(usize, RenderedArticle)> {
        let i = *self.by_article.get(&(Arc::as_ptr(article) as usize))?;
        let taken = self.articles[i].take().filter(|a| Arc::ptr_eq(&a.article, article))?;
        Some((i, taken))
    }
}

/// What an article's [`RenderedArticle`] is made from besides the article: the
/// settings and links its body is rendered with, and the site's address.
fn articles_key(env: &Env<'_>, urls: &Urls) -> u128 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let (light, dark) = env.highlighter.themes();
    for part in [light, dark, env.winner_label, &urls.path(""), &urls.permalink("")] {
        hasher.update(part.as_bytes());
        hasher.update(&[0]);
    }
    for marker in env.markers {
        hasher.update(marker.as_bytes());
        hasher.update(&[0]);
    }
    hasher.update(&env.links.fingerprint().to_le_bytes());
    hasher.digest128()
}

/// Renders all content. Broken links and anchors are returned as diagnostics. Article
/// bodies rendered now are put aside in `scratch` for their pages, when given; the
/// articles of `recycled` that are made again the same are taken over.
pub fn render_site(
    env: &Env<'_>,
    content: Content,
    urls: &Urls,
    root: &Path,
    scratch: Option<&Scratch>,
    recycled: Option<Recycled>,
) -> (RenderedSite, Vec<Diagnostic>) {
    let articles_key = articles_key(env, urls);
    let mut recycled = recycled.filter(|r| r.key == articles_key);
    let (ranks, taken): (Vec<Option<usize>>, Vec<Option<RenderedArticle>>) = match &mut recycled {
        Some(recycled) => content
            .articles
            .iter()
            .map(|a| match recycled.take(a) {
                Some((rank, taken)) => (Some(rank), Some(taken)),
                None => (None, None),
            })
            .unzip(),
        None => content.articles.iter().map(|_| (None, None)).unzip(),
    };
    let mut articles: Vec<RenderedArticle> = content
        .articles
        .into_par_iter()
        .zip(taken)
        .map(|(article, taken)| {
            if let Some(taken) = taken {
                if env.documents.is_some_and(|cache| cache.touch(taken.key)) {
                    return RenderedArticle { taken_over: true, ..taken };
                }
            }
            let key = document_key_hashed(
                env,
                &article.source,
                article.body_hash,
                article.body_line,
                &article.contenders,
                Detail::Outline,
            );
            // An unchanged outline comes from the cache. Otherwise the body is read
            // (again: loading keeps no bodies) and rendered: with its HTML when there is
            // somewhere to keep that until the page is written, so that it is rendered
            // once; as an outline only when not (its page renders it again).
            let mut ahead = None;
            let body = match env.documents.and_then(|cache| cache.get(key)) {
                Some(hit) => hit,
                None => {
                    let rendered = match read_body(root, &article) {
                        Ok(markdown) => {
                            let source = Source {
                                path: &article.source,
                                body: &markdown,
                                body_line: article.body_line,
                                contenders: &article.contenders,
                            };
                            render_ahead(env, &source, scratch, &mut ahead)
                        }
                        Err(error) => Rendered { errors: vec![error], ..Rendered::default() },
                    };
                    let rendered = Arc::new(rendered);
                    if let Some(cache) = env.documents {
                        cache.insert(key, Arc::clone(&rendered));
                    }
                    rendered
                }
            };
            let mut wins = vec![0; article.contenders.len()];
            let mut shared = vec![0; article.contenders.len()];
            for callout in &body.callouts {
                for &w in &callout.winners {
                    wins[w] += 1;
                    if callout.outcome == Outcome::Split {
                        shared[w] += 1;
                    }
                }
            }
            let description = match &article.description {
                Some(d) => d.clone(),
                None => excerpt(&body.first_paragraph, 160),
            };
            let rel = format!("{}/", article.slug);
            let (url, permalink) = (urls.path(&rel), urls.permalink(&rel));
            let derived = Derived {
                url: &url,
                permalink: &permalink,
                description: &description,
                wins: &wins,
                shared: &shared,
                key,
            };
            let digests = ArticleDigests::new(&article, &body, &derived);
            RenderedArticle {
                url,
                permalink,
                digests,
                taken_over: false,
                description,
                wins,
                shared,
                key,
                site_links: placed_links(&article.source, &body.site_links).collect(),
                bundle_links: body
                    .site_links
                    .iter()
                    .any(|link| names_folder(&link.text, super::SEARCH_BUNDLE_DIR)),
                to_check: !body.errors.is_empty() || !body.anchor_links.is_empty(),
                index_hash: article_index_hash(&article, &body),
                body,
                ahead,
                article,
            }
        })
        .collect();
    // Newest first, by title on the same day, then in the order of the files (sorted by
    // name). The order is found on indices: moving the articles themselves at every step
    // of the sort took most of it. Two articles taken over are in the last build's order,
    // which is this one for them (the same files, with the same dates and titles): known
    // without reading either, which in a large site is most of the time the sort takes.
    let mut order: Vec<usize> = (0..articles.len()).collect();
    order.sort_by(|&i, &j| {
        if let (Some(a), Some(b)) = (ranks[i], ranks[j]) {
            return a.cmp(&b);
        }
        let (a, b) = (&articles[i].article, &articles[j].article);
        b.date.cmp(&a.date).then_with(|| a.title.cmp(&b.title)).then(i.cmp(&j))
    });
    // Then put in that order in place, without a second list the size of the first.
    permute(&mut articles, order);

    let pages: Vec<RenderedPage> = content
        .pages
        .into_par_iter()
        .map(|page| {
            let body = render_document(
                env,
                &Source {
                    path: &page.source,
                    body: &page.body,
                    body_line: page.body_line,
                    contenders: &[],
                },
                Detail::Full,
            );
            let description =
                page.description.clone().unwrap_or_else(|| excerpt(&body.first_paragraph, 160));
            let rel = format!("{}/", page.slug);
            RenderedPage {
                url: urls.path(&rel),
                permalink: urls.permalink(&rel),
                description,
                body,
                page,
            }
        })
        .collect();

    let mut errors = Vec::new();
    let mut other_links = Vec::new();
    let authors: Vec<RenderedAuthor> = content
        .authors
        .into_iter()
        .map(|author| {
            let mut bio = render_document(
                env,
                &Source {
                    path: &author.source,
                    body: &author.bio,
                    body_line: author.body_line,
                    contenders: &[],
                },
                Detail::Full,
            );
            errors.append(&mut bio.errors);
            other_links.extend(placed_links(&author.source, &bio.site_links));
            let rel = format!("authors/{}/", author.id);
            RenderedAuthor {
                url: urls.path(&rel),
                permalink: urls.permalink(&rel),
                bio: bio.html,
                bio_images: bio.images,
                author,
            }
        })
        .collect();

    let descriptions: Vec<(String, TextPosition, Rendered)> = content
        .catalog
        .entries
        .iter()
        .filter_map(|entry| {
            let text = entry.description.as_deref()?;
            let at = entry.description_at;
            let source = Source {
                path: Path::new(CATALOG_FILE),
                body: text,
                body_line: at.line,
                contenders: &[],
            };
            Some((entry.id.clone(), at, render_document(env, &source, Detail::Full)))
        })
        .collect();

    for p in &pages {
        other_links.extend(placed_links(&p.page.source, &p.body.site_links));
    }
    for (_, at, body) in &descriptions {
        other_links.extend(placed_links(Path::new(CATALOG_FILE), &body.site_links).map(|mut l| {
            l.link.column = at.column(l.link.line, l.link.column);
            l
        }));
    }
    let draft_authors = content.draft_authors;
    let mut site = RenderedSite {
        articles,
        pages,
        authors,
        hub_descriptions: HashMap::new(),
        draft_authors,
        other_links,
        articles_key,
        links_checked: recycled.as_ref().map(|r| r.links_checked).unwrap_or_default(),
    };
    check_anchors(&site, &descriptions, &mut errors);
    site.hub_descriptions = descriptions.into_iter().map(|(id, _, body)| (id, body.html)).collect();
    (site, errors)
}

/// The links of the document `file` that may lead into the site.
fn placed_links<'a>(file: &'a Path, links: &'a [Placed]) -> impl Iterator<Item = SiteLink> + 'a {
    links.iter().map(|link| SiteLink { file: file.to_path_buf(), link: link.clone() })
}

/// The outline of an article, its body's HTML rendered at the same time and put aside
/// for its page (in `scratch`, or in the document cache of an incremental session, under
/// its [`Detail::Full`] key) when either can keep it.
fn render_ahead(
    env: &Env<'_>,
    source: &Source<'_>,
    scratch: Option<&Scratch>,
    ahead: &mut Option<Slot>,
) -> Rendered {
    let session = env.documents.filter(|cache| cache.keeps_documents());
    if scratch.is_none() && session.is_none() {
        return render(env, source, Detail::Outline);
    }
    let mut full = render(env, source, Detail::Full);
    let html = std::mem::take(&mut full.html);
    if let Some(cache) = session {
        let key = document_key(env, source, Detail::Full);
        cache.insert(key, Arc::new(Rendered { html, ..full.clone() }));
    } else if let Some(scratch) = scratch {
        *ahead = scratch.put(&html);
    }
    full
}

/// Moves link errors out of the documents and checks `file.md#anchor` links against
/// the headings of their targets; then the same for the descriptions of
/// `contenders.yaml`, whose places are moved to where their text sits in that file.
fn check_anchors(
    site: &RenderedSite,
    descriptions: &[(String, TextPosition, Rendered)],
    errors: &mut Vec<Diagnostic>,
) {
    // The headings of every document, when any document links to one.
    let linked = |body: &Rendered| !body.anchor_links.is_empty();
    let any_links = site.articles.iter().any(|a| a.to_check && linked(&a.body))
        || site.pages.iter().any(|p| linked(&p.body))
        || descriptions.iter().any(|(_, _, body)| linked(body));
    let mut ids: rustc_hash::FxHashMap<&Path, &[String]> = Default::default();
    if any_links {
        for a in &site.articles {
            ids.insert(&a.article.source, &a.body.heading_ids);
        }
        for p in &site.pages {
            ids.insert(&p.page.source, &p.body.heading_ids);
        }
    }
    let check = |source: &Path, body: &Rendered, errors: &mut Vec<Diagnostic>| {
        errors.extend(body.errors.iter().cloned());
        for link in &body.anchor_links {
            let Some(target_ids) = ids.get(link.target.as_path()) else { continue };
            if target_ids.contains(&link.anchor) {
                continue;
            }
            let hint = match did_you_mean(&link.anchor, target_ids.iter().map(String::as_str)) {
                Some(best) => format!("did you mean `#{best}`?"),
                None => "heading ids are the heading text in lower case with dashes, like `#1-performance`".to_string(),
            };
            errors.push(
                Diagnostic::new(
                    source,
                    format!(
                        "link to `#{}` in `{}`: no heading has that id",
                        link.anchor,
                        link.target.display()
                    ),
                )
                .at(link.line, link.column)
                .hint(hint),
            );
        }
    };
    for a in site.articles.iter().filter(|a| a.to_check) {
        check(&a.article.source, &a.body, errors);
    }
    for p in &site.pages {
        check(&p.page.source, &p.body, errors);
    }
    for (_, at, body) in descriptions {
        let mut found = Vec::new();
        check(Path::new(CATALOG_FILE), body, &mut found);
        for mut d in found {
            if let (Some(line), Some(column)) = (d.line, d.column) {
                d.column = Some(at.column(line, column));
            }
            errors.push(d);
        }
    }
}

/// Puts `items` in `order` (the item's index before, for each place), in place: each
/// item is moved once, and nothing the size of the list is made.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    const DONE: usize = usize::MAX;
    for start in 0..items.len() {
        // Each cycle of the permutation: every place takes the item its order names.
        let mut place = start;
        while order[place] != DONE {
            let from = std::mem::replace(&mut order[place], DONE);
            if from == start {
                break;
            }
            items.swap(place, from);
            place = from;
        }
    }
}

/// What [`index_site`](crate::site::index::index_site) reads of one article: its tags, contenders and callouts, hashed
/// once when the article is outlined.
fn article_index_hash(article: &Article, body: &Rendered) -> u128 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for tag in &article.tags {
        hash_field(&mut hasher, tag.as_bytes());
    }
    for c in &article.contenders {
        hash_field(&mut hasher, b"contender");
        hash_field(&mut hasher, c.id.as_bytes());
        hash_field(&mut hasher, c.name.as_bytes());
        hash_field(&mut hasher, c.url.as_deref().unwrap_or("\0").as_bytes());
    }
    for callout in &body.callouts {
        hash_field(&mut hasher, callout.outcome.as_str().as_bytes());
        hasher.update(&(callout.winners.len() as u64).to_le_bytes());
        for w in &callout.winners {
            hasher.update(&(*w as u64).to_le_bytes());
        }
    }
    hasher.digest128()
}

/// A field with its length, so that no two sites run together into one text.
pub(crate) fn hash_field(hasher: &mut xxhash_rust::xxh3::Xxh3, bytes: &[u8]) {
    hasher.update(&(bytes.len() as u64).to_le_bytes());
    hasher.update(bytes);
}

/// The start of `text`, cut at a word boundary to at most about `max` characters.
pub fn excerpt(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let mut cut: String = text.chars().take(max).collect();
    if let Some(space) = cut.rfind(' ') {
        cut.truncate(space);
    }
    cut.trim_end_matches([',', ';', ':', '.', '-']).to_string() + "…"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permutes_in_place_as_the_order_says() {
        for order in [vec![], vec![0], vec![2, 0, 1], vec![1, 0, 3, 2, 4], vec![4, 3, 2, 1, 0]] {
            let mut items: Vec<String> = (0..order.len()).map(|i| format!("item {i}")).collect();
            let expected: Vec<String> = order.iter().map(|&i| items[i].clone()).collect();
            permute(&mut items, order);
            assert_eq!(items, expected);
        }
    }

    #[test]
    fn cuts_excerpts_at_words() {
        assert_eq!(excerpt("short text", 160), "short text");
        assert_eq!(excerpt("one two three four", 9), "one two…");
    }
}
