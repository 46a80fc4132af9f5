//! Building each page's view and rendering it through its template into the staging
//! folder: home pages, articles, pages, authors and the 404 page.

use std::collections::HashMap;

use serde::Serialize;
use std::path::{Path, PathBuf};
use xxhash_rust::xxh3::Xxh3;

use rayon::prelude::*;

use crate::cache::pages::PageFingerprints;
use crate::config::SiteConfig;
use crate::content::date::Date;
use crate::error::{Diagnostic, Error};
use crate::markdown::callouts::Outcome;
use crate::markdown::render::Env;
use crate::site::index::{Hub, SiteIndex, TagIndex};
use crate::site::outlines::{RenderedArticle, RenderedAuthor, RenderedPage, RenderedSite};
use crate::site::scratch::Scratch;
use crate::site::sitemap::SitemapEntry;
use crate::site::write::Output;
use crate::slug::slugify;
use crate::templates::*;
use crate::urls::Urls;

/// Renders every page of `site` into `output`; returns the sitemap entries of the pages
/// written (every HTML page but the 404 page).
pub fn write_pages(
    inputs: &PageInputs<'_>,
    output: &dyn Output,
    previous: Option<(&PageFingerprints, u128)>,
) -> Result<PagesWritten, Error> {
    let PageInputs { env, site, index, templates, urls, config, root, scratch, feed_entries } =
        *inputs;
    let (previous, salt) = match previous {
        Some((fingerprints, salt)) => (Some(fingerprints), salt),
        None => (None, 0),
    };
    let paginate = config.paginate;
    let authors: HashMap<&str, &RenderedAuthor> =
        site.authors.iter().map(|a| (a.author.id.as_str(), a)).collect();
    let mut by_author: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, a) in site.articles.iter().enumerate() {
        by_author.entry(a.article.author.as_str()).or_default().push(i);
    }
    let hubs: HashMap<&str, &Hub> = index.hubs.iter().map(|h| (h.id.as_str(), h)).collect();
    let digests = previous.map(|_| Digests::new(site, &by_author)).unwrap_or_default();
    let views = Views {
        digests,
        urls,
        site,
        index,
        authors,
        by_author,
        hubs,
        site_title: &config.title,
        site_description: &config.description,
        previous,
        salt,
        env,
        output,
        root,
        scratch,
        feed_entries,
    };
    let mut jobs: Vec<Job<'_>> = Vec::new();

    let all: Vec<usize> = (0..site.articles.len()).collect();
    push_paginated(&mut jobs, &all, paginate, |number, total, articles| Job::Index {
        number,
        total,
        articles,
    });
    jobs.extend((0..site.articles.len()).map(Job::Article));
    jobs.extend(site.pages.iter().map(Job::Page));
    jobs.push(Job::Authors);
    jobs.extend(site.authors.iter().map(Job::Author));
    jobs.push(Job::Tags);
    for tag in &index.tags {
        push_paginated(&mut jobs, &tag.articles, paginate, |number, total, articles| Job::Tag {
            tag,
            number,
            total,
            articles,
        });
    }
    jobs.push(Job::Contenders);
    jobs.extend(index.hubs.iter().map(Job::Contender));
    jobs.push(Job::NotFound);

    let results: Vec<Result<PageOut, Error>> = jobs
        .par_iter()
        .map(|job| {
            let mut page = views.render(job, templates).map_err(Error::site)?;
            // Pages without HTML were kept: their fingerprint is the last build's.
            if let Some(html) = page.html.take() {
                output.write(&page.path, html.as_bytes())?;
                page.html = Some(String::new());
            }
            Ok(page)
        })
        .collect();
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut sitemap = Vec::with_capacity(results.len());
    let mut written = 0;
    let mut fingerprints = Vec::new();
    let mut feed_bodies = HashMap::new();
    for (job, result) in jobs.iter().zip(results) {
        match result {
            Ok(page) => {
                sitemap.extend(page.sitemap);
                written += usize::from(page.html.is_some());
                fingerprints.extend(page.fingerprint);
                if let (Job::Article(i), Some(body)) = (job, page.feed_body) {
                    feed_bodies.insert(*i, body);
                }
            }
            Err(Error::Site(found)) => {
                // One template mistake fails every page using it: report it once.
                for d in found {
                    if !diagnostics.contains(&d) {
                        diagnostics.push(d);
                    }
                }
            }
            Err(other) => return Err(other),
        }
    }
    if !diagnostics.is_empty() {
        return Err(Error::from(diagnostics));
    }
    Ok(PagesWritten {
        sitemap,
        written,
        unchanged: jobs.len() - written,
        feed_bodies,
        fingerprints: fingerprints.into_iter().collect(),
    })
}

fn push_paginated<'a>(
    jobs: &mut Vec<Job<'a>>,
    articles: &'a [usize],
    paginate: usize,
    job: impl Fn(usize, usize, &'a [usize]) -> Job<'a>,
) {
    let chunks: Vec<&[usize]> =
        if articles.is_empty() { vec![&[]] } else { articles.chunks(paginate).collect() };
    let total = chunks.len();
    for (i, chunk) in chunks.into_iter().enumerate() {
        jobs.push(job(i + 1, total, chunk));
    }
}

enum Job<'a> {
    Index { number: usize, total: usize, articles: &'a [usize] },
    Article(usize),
    Page(&'a RenderedPage),
    Authors,
    Author(&'a RenderedAuthor),
    Tags,
    Tag { tag: &'a TagIndex, number: usize, total: usize, articles: &'a [usize] },
    Contenders,
    Contender(&'a Hub),
    NotFound,
}

/// Everything the pages are made from.
#[derive(Clone, Copy)]
pub struct PageInputs<'a> {
    /// The Markdown environment, to render article bodies.
    pub env: &'a Env<'a>,
    /// Every rendered document.
    pub site: &'a RenderedSite,
    /// Tags, hubs and related articles.
    pub index: &'a SiteIndex,
    /// The loaded templates.
    pub templates: &'a Templates,
    /// URL builder.
    pub urls: &'a Urls,
    /// The configuration.
    pub config: &'a SiteConfig,
    /// The site root, to read article bodies again.
    pub root: &'a Path,
    /// Article bodies rendered with their outlines.
    pub scratch: Option<&'a Scratch>,
    /// How many of the newest articles the feed shows in full: their pages hand their
    /// bodies over.
    pub feed_entries: usize,
}

/// A rendered page, ready to write; `html` is `None` when the page is unchanged since
/// the last build of an incremental session.
struct PageOut {
    path: PathBuf,
    html: Option<String>,
    sitemap: Option<SitemapEntry>,
    /// The page's output path (as `rel`) and fingerprint, when the build keeps them.
    fingerprint: Option<(String, u128)>,
    /// The article body's HTML, for the feed.
    feed_body: Option<String>,
}

/// Pages rendered by [`write_pages`].
#[derive(Debug)]
pub struct PagesWritten {
    /// Every HTML page but the 404 page, for the sitemap.
    pub sitemap: Vec<SitemapEntry>,
    /// Pages rendered and written.
    pub written: usize,
    /// Pages left as they were because nothing they show changed.
    pub unchanged: usize,
    /// The body HTML of the newest articles whose pages were rendered, by index, for
    /// the feed to use rather than render (and highlight) them again.
    pub feed_bodies: HashMap<usize, String>,
    /// The fingerprint of every page, for the next build to compare with (empty when
    /// the build was given none to compare with).
    pub fingerprints: PageFingerprints,
}

/// Feeds serialized bytes into a hash.
struct HashWriter(Xxh3);

impl std::io::Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What each article and author looks like to the pages that show them, as hashes: a
/// page made only of articles and authors is unchanged when their digests are, and its
/// view need not even be built to tell.
#[derive(Default)]
struct Digests {
    /// By article: the article as loaded and outlined (every field; the body through
    /// its outline's key).
    articles: Vec<u128>,
    /// By article: the article and its author (name, link), as a summary card shows it.
    summaries: Vec<u128>,
    /// By author id: the author, bio and article count.
    authors: HashMap<String, u128>,
}

impl Digests {
    fn new(site: &RenderedSite, by_author: &HashMap<&str, Vec<usize>>) -> Digests {
        let hash = |text: &str, extra: &[u128]| {
            let mut hasher = Xxh3::new();
            hasher.update(text.as_bytes());
            for x in extra {
                hasher.update(&x.to_le_bytes());
            }
            hasher.digest128()
        };
        let authors: HashMap<String, u128> = site
            .authors
            .iter()
            .map(|a| {
                let count = by_author.get(a.author.id.as_str()).map_or(0, Vec::len) as u128;
                (a.author.id.clone(), hash(&format!("{a:?}"), &[count]))
            })
            .collect();
        let articles: Vec<u128> = site
            .articles
            .par_iter()
            .map(|a| {
                // The article holds no body; the key stands for it.
                let text = format!(
                    "{:?}\0{}\0{}\0{}\0{:?}",
                    a.article, a.url, a.permalink, a.description, a.wins
                );
                hash(&text, &[a.key])
            })
            .collect();
        let summaries = site
            .articles
            .iter()
            .zip(&articles)
            .map(|(a, &digest)| {
                let author = authors.get(a.article.author.as_str()).copied().unwrap_or(0);
                hash("", &[digest, author])
            })
            .collect();
        Digests { articles, summaries, authors }
    }
}

struct Views<'a> {
    digests: Digests,
    urls: &'a Urls,
    site: &'a RenderedSite,
    index: &'a SiteIndex,
    authors: HashMap<&'a str, &'a RenderedAuthor>,
    /// Each author's articles, newest first.
    by_author: HashMap<&'a str, Vec<usize>>,
    hubs: HashMap<&'a str, &'a Hub>,
    site_title: &'a str,
    site_description: &'a str,
    previous: Option<&'a PageFingerprints>,
    salt: u128,
    env: &'a Env<'a>,
    output: &'a dyn Output,
    root: &'a Path,
    scratch: Option<&'a Scratch>,
    feed_entries: usize,
}

/// The pages a page navigation links to: the first two, the last two and the five around
/// `current`, in order (at most nine). Listing every page would make each page of a long
/// list grow with the number of pages, and the whole list quadratic.
fn shown_pages(current: usize, total: usize) -> impl Iterator<Item = usize> {
    let around = current.saturating_sub(2)..=current + 2;
    let mut pages: Vec<usize> = [1, 2, total.saturating_sub(1), total]
        .into_iter()
        .chain(around)
        .filter(|n| (1..=total).contains(n))
        .collect();
    pages.sort_unstable();
    pages.dedup();
    pages.into_iter()
}

/// `rel` of page `number` of a paginated list whose first page is `first`.
fn page_rel(first: &str, number: usize) -> String {
    if number == 1 { first.to_string() } else { format!("{first}page/{number}/") }
}

impl<'a> Views<'a> {
    /// Renders `name` with `context`, unless the last build made this very page from the
    /// very same template context; records the page's fingerprint in `fingerprint`.
    fn emit<T: Serialize>(
        &self,
        templates: &Templates,
        name: &str,
        context: &T,
        rel: &str,
        fingerprint: &mut Option<(String, u128)>,
    ) -> Result<Option<String>, Diagnostic> {
        if self.unchanged(name, context, rel, fingerprint) {
            return Ok(None);
        }
        templates.render(name, context).map(Some)
    }

    /// Whether the last build made this very page (same template, same context) and the
    /// output could keep it.
    fn unchanged<T: Serialize>(
        &self,
        name: &str,
        context: &T,
        rel: &str,
        fingerprint: &mut Option<(String, u128)>,
    ) -> bool {
        if self.previous.is_none() {
            return false;
        }
        let mut hasher = HashWriter(Xxh3::new());
        hasher.0.update(&self.salt.to_le_bytes());
        hasher.0.update(name.as_bytes());
        // CBOR rather than JSON: strings go in as they are, without escaping.
        if ciborium::into_writer(context, &mut hasher).is_err() {
            return false;
        }
        self.same_as_before(hasher.0.digest128(), rel, fingerprint)
    }

    /// Whether the page `name` at `rel`, made from what `inputs` hashes (and the
    /// site-wide salt), is unchanged since the last build and the output could keep it.
    fn unchanged_inputs(
        &self,
        name: &str,
        rel: &str,
        inputs: &[u128],
        fingerprint: &mut Option<(String, u128)>,
    ) -> bool {
        let mut hasher = Xxh3::new();
        hasher.update(&self.salt.to_le_bytes());
        hasher.update(b"inputs\0");
        hasher.update(name.as_bytes());
        hasher.update(&[0]);
        for input in inputs {
            hasher.update(&input.to_le_bytes());
        }
        self.same_as_before(hasher.digest128(), rel, fingerprint)
    }

    /// Records `fingerprint` for `rel`; whether it is the one of the last build and the
    /// output kept the page.
    fn same_as_before(
        &self,
        fingerprint: u128,
        rel: &str,
        record: &mut Option<(String, u128)>,
    ) -> bool {
        let Some(previous) = self.previous else { return false };
        *record = Some((rel.to_string(), fingerprint));
        let path = if rel.ends_with(".html") {
            PathBuf::from(rel)
        } else {
            Path::new(rel).join("index.html")
        };
        previous.get(rel) == Some(fingerprint) && self.output.keep(&path)
    }

    fn pagination(&self, first: &str, current: usize, total: usize) -> PaginationView {
        let url = |n: usize| self.urls.path(&page_rel(first, n));
        PaginationView {
            current,
            total,
            previous: (current > 1).then(|| url(current - 1)),
            next: (current < total).then(|| url(current + 1)),
            pages: shown_pages(current, total)
                .map(|n| PageLinkView { number: n, url: url(n), current: n == current })
                .collect(),
        }
    }

    fn newest(&self, articles: &[usize]) -> Option<Date> {
        articles.iter().map(|&i| self.last_change(&self.site.articles[i])).max()
    }

    fn last_change(&self, a: &RenderedArticle) -> Date {
        a.article.updated.unwrap_or(a.article.date)
    }

    /// Renders the page of `job`, with its fingerprint.
    fn render(&self, job: &Job<'a>, templates: &Templates) -> Result<PageOut, Diagnostic> {
        let mut fingerprint = None;
        let mut page = self.render_job(job, templates, &mut fingerprint)?;
        page.fingerprint = fingerprint;
        Ok(page)
    }

    fn render_job(
        &self,
        job: &Job<'a>,
        templates: &Templates,
        fp: &mut Option<(String, u128)>,
    ) -> Result<PageOut, Diagnostic> {
        let site = self.site;
        let out = |rel: &str, html: Option<String>, lastmod: Option<Date>| PageOut {
            path: PathBuf::from(rel).join("index.html"),
            html,
            sitemap: Some(SitemapEntry { loc: self.urls.permalink(rel), lastmod }),
            fingerprint: None,
            feed_body: None,
        };
        match job {
            Job::Index { number, total, articles } => {
                let rel = page_rel("", *number);
                if self.previous.is_some() {
                    let mut inputs = vec![*number as u128, *total as u128];
                    inputs.extend(articles.iter().map(|&i| self.digests.summaries[i]));
                    if self.unchanged_inputs("index.html", &rel, &inputs, fp) {
                        return Ok(out(&rel, None, self.newest(articles)));
                    }
                }
                let title = if *number == 1 { String::new() } else { format!("Page {number}") };
                let mut meta = self.meta(title, self.site_description.to_string(), &rel, "home");
                meta.json_ld = json_ld(&serde_json::json!({
                    "@context": "https://schema.org",
                    "@type": "WebSite",
                    "name": self.site_title(),
                    "url": self.urls.permalink(""),
                }));
                let context = IndexContext {
                    meta,
                    articles: self.summaries(articles),
                    pagination: self.pagination("", *number, *total),
                };
                Ok(out(
                    &rel,
                    Some(templates.render("index.html", &context)?),
                    self.newest(articles),
                ))
            }
            Job::Article(i) => {
                let a = &site.articles[*i];
                let rel = format!("{}/", a.article.slug);
                let lastmod = Some(self.last_change(a));
                let related = &self.index.related[*i];
                if self.previous.is_some() {
                    let author = self.digests.authors.get(a.article.author.as_str());
                    let mut inputs = vec![self.digests.articles[*i], author.copied().unwrap_or(0)];
                    inputs.extend(related.iter().map(|&r| self.digests.summaries[r]));
                    if self.unchanged_inputs("article.html", &rel, &inputs, fp) {
                        return Ok(out(&rel, None, lastmod));
                    }
                }
                let view = self.article(a, related);
                let mut meta =
                    self.meta(a.article.title.clone(), a.description.clone(), &rel, "article");
                meta.og_type = "article";
                meta.image = view.image.as_deref().map(|image| self.absolute(image));
                meta.json_ld = self.article_json_ld(a, meta.image.as_deref());
                let mut context = ArticleContext { meta, article: view };
                // The body's HTML waits in the scratch file when it was rendered with its
                // outline; otherwise (outline from the cache) it is rendered only now.
                // Either way the whole site's HTML is never held in memory at once.
                let ahead = a.ahead.zip(self.scratch).and_then(|(slot, s)| s.get(slot));
                context.article.content = match ahead {
                    Some(html) => html,
                    None => a.body_html(self.env, self.root)?,
                };
                let feed_body = (*i < self.feed_entries).then(|| context.article.content.clone());
                let html = templates.render("article.html", &context)?;
                Ok(PageOut { feed_body, ..out(&rel, Some(html), lastmod) })
            }
            Job::Page(p) => {
                let rel = format!("{}/", p.page.slug);
                let mut meta = self.meta(p.page.title.clone(), p.description.clone(), &rel, "page");
                meta.json_ld = self.web_page_json_ld(&p.page.title, &rel, &[]);
                let context = PageContext {
                    meta,
                    page: PageView {
                        title: &p.page.title,
                        description: &p.description,
                        url: &p.url,
                        permalink: &p.permalink,
                        content: &p.body.html,
                        toc: &p.body.toc,
                        extra: &p.page.extra,
                    },
                };
                Ok(out(&rel, self.emit(templates, "page.html", &context, &rel, fp)?, None))
            }
            Job::Authors => {
                let rel = "authors/".to_string();
                let mut meta = self.meta(
                    "Authors".into(),
                    format!("The people who write {}.", self.site_title()),
                    &rel,
                    "authors",
                );
                meta.json_ld = self.web_page_json_ld("Authors", &rel, &[]);
                let context = AuthorsContext {
                    meta,
                    authors: site.authors.iter().map(|a| self.author(a)).collect(),
                };
                Ok(out(&rel, self.emit(templates, "authors.html", &context, &rel, fp)?, None))
            }
            Job::Author(a) => {
                let rel = format!("authors/{}/", a.author.id);
                let articles: &[usize] =
                    self.by_author.get(a.author.id.as_str()).map_or(&[], Vec::as_slice);
                let lastmod = self.newest(articles);
                if self.previous.is_some() {
                    let author = self.digests.authors.get(a.author.id.as_str());
                    let mut inputs = vec![author.copied().unwrap_or(0)];
                    inputs.extend(articles.iter().map(|&i| self.digests.summaries[i]));
                    if self.unchanged_inputs("author.html", &rel, &inputs, fp) {
                        return Ok(out(&rel, None, lastmod));
                    }
                }
                let description = a.author.role.clone().map_or_else(
                    || format!("Comparisons written by {}.", a.author.name),
                    |role| format!("{}, {role}: comparisons and bio.", a.author.name),
                );
                let mut meta = self.meta(a.author.name.clone(), description, &rel, "author");
                meta.og_type = "profile";
                meta.json_ld =
                    self.web_page_json_ld(&a.author.name, &rel, &[("Authors", "authors/")]);
                let context = AuthorContext {
                    meta,
                    author: self.author(a),
                    articles: self.summaries(articles),
                };
                let html = templates.render("author.html", &context)?;
                Ok(out(&rel, Some(html), lastmod))
            }
            Job::Tags => {
                let rel = "tags/".to_string();
                let mut meta = self.meta(
                    "Tags".into(),
                    format!("Every topic on {}.", self.site_title()),
                    &rel,
                    "tags",
                );
                meta.json_ld = self.web_page_json_ld("Tags", &rel, &[]);
                let context = TagsContext {
                    meta,
                    tags: self.index.tags.iter().map(|t| self.tag(t)).collect(),
                };
                Ok(out(&rel, self.emit(templates, "tags.html", &context, &rel, fp)?, None))
            }
            Job::Tag { tag, number, total, articles } => {
                let first = format!("tags/{}/", tag.slug);
                let rel = page_rel(&first, *number);
                if self.previous.is_some() {
                    let name = format!("{}\0{}", tag.name, tag.slug);
                    let mut inputs = vec![
                        *number as u128,
                        *total as u128,
                        tag.articles.len() as u128,
                        xxhash_rust::xxh3::xxh3_128(name.as_bytes()),
                    ];
                    inputs.extend(articles.iter().map(|&i| self.digests.summaries[i]));
                    if self.unchanged_inputs("tag.html", &rel, &inputs, fp) {
                        return Ok(out(&rel, None, self.newest(articles)));
                    }
                }
                let mut title = format!("Tagged “{}”", tag.name);
                if *number > 1 {
                    title.push_str(&format!(" (page {number})"));
                }
                let description = format!(
                    "{} comparison{} tagged “{}”.",
                    tag.articles.len(),
                    plural(tag.articles.len()),
                    tag.name
                );
                let mut meta = self.meta(title, description, &rel, "tag");
                meta.json_ld = self.web_page_json_ld(&tag.name, &first, &[("Tags", "tags/")]);
                let context = TagContext {
                    meta,
                    tag: self.tag(tag),
                    articles: self.summaries(articles),
                    pagination: self.pagination(&first, *number, *total),
                };
                Ok(out(&rel, Some(templates.render("tag.html", &context)?), self.newest(articles)))
            }
            Job::Contenders => {
                let rel = "compare/".to_string();
                let description =
                    format!("Every technology compared on {}, with its record.", self.site_title());
                let mut meta = self.meta("Technologies".into(), description, &rel, "contenders");
                meta.json_ld = self.web_page_json_ld("Technologies", &rel, &[]);
                let context = ContendersContext {
                    meta,
                    contenders: self
                        .index
                        .hubs
                        .iter()
                        .map(|h| HubSummaryView {
                            id: &h.id,
                            name: &h.name,
                            url: self.hub_url(&h.id),
                            count: h.articles.len(),
                            record: h.record,
                        })
                        .collect(),
                };
                Ok(out(&rel, self.emit(templates, "contenders.html", &context, &rel, fp)?, None))
            }
            Job::Contender(hub) => {
                let rel = format!("compare/{}/", hub.id);
                if self.previous.is_some() {
                    // The hub (record, head-to-head, articles) and its opponents' names.
                    let mut text = format!("{hub:?}");
                    for h in &hub.head_to_head {
                        let name = self.hubs.get(h.opponent.as_str()).map(|o| o.name.as_str());
                        text.push_str(&format!("\0{name:?}"));
                    }
                    let mut inputs = vec![xxhash_rust::xxh3::xxh3_128(text.as_bytes())];
                    inputs.extend(hub.articles.iter().map(|&i| self.digests.summaries[i]));
                    if self.unchanged_inputs("contender.html", &rel, &inputs, fp) {
                        return Ok(out(&rel, None, self.newest(&hub.articles)));
                    }
                }
                let n = hub.articles.len();
                let description = format!(
                    "{} in {n} comparison{}: {} criteria won, {} lost, {} split, {} tied.",
                    hub.name,
                    plural(n),
                    hub.record.won,
                    hub.record.lost,
                    hub.record.split,
                    hub.record.tied
                );
                let mut meta = self.meta(hub.name.clone(), description, &rel, "contender");
                meta.json_ld =
                    self.web_page_json_ld(&hub.name, &rel, &[("Technologies", "compare/")]);
                let context = ContenderContext {
                    meta,
                    contender: self.hub(hub),
                    articles: self.summaries(&hub.articles),
                };
                Ok(out(
                    &rel,
                    Some(templates.render("contender.html", &context)?),
                    self.newest(&hub.articles),
                ))
            }
            Job::NotFound => {
                let context = NotFoundContext {
                    meta: self.meta(
                        "Page not found".into(),
                        "This page does not exist.".into(),
                        "404.html",
                        "404",
                    ),
                };
                Ok(PageOut {
                    path: "404.html".into(),
                    html: self.emit(templates, "404.html", &context, "404.html", fp)?,
                    sitemap: None,
                    fingerprint: None,
                    feed_body: None,
                })
            }
        }
    }

    fn site_title(&self) -> &str {
        self.site_title
    }

    fn absolute(&self, url: &str) -> String {
        if url.contains("://") {
            return url.to_string();
        }
        let base = self.urls.permalink("");
        let origin_end = base.find("://").map_or(0, |i| i + 3);
        let origin = base
            [..origin_end + base[origin_end..].find('/').unwrap_or(base.len() - origin_end)]
            .to_string();
        format!("{origin}{url}")
    }

    fn meta(&self, title: String, description: String, rel: &str, kind: &'static str) -> MetaView {
        MetaView {
            title,
            description,
            url: self.urls.path(rel),
            canonical: self.urls.permalink(rel),
            kind,
            og_type: "website",
            image: None,
            json_ld: String::new(),
        }
    }

    fn breadcrumbs(&self, trail: &[(&str, &str)], last: (&str, &str)) -> serde_json::Value {
        let items: Vec<serde_json::Value> = std::iter::once(("Home", ""))
            .chain(trail.iter().copied())
            .chain(std::iter::once(last))
            .enumerate()
            .map(|(i, (name, rel))| {
                serde_json::json!({
                    "@type": "ListItem",
                    "position": i + 1,
                    "name": name,
                    "item": self.urls.permalink(rel),
                })
            })
            .collect();
        serde_json::json!({ "@type": "BreadcrumbList", "itemListElement": items })
    }

    fn web_page_json_ld(&self, name: &str, rel: &str, trail: &[(&str, &str)]) -> String {
        json_ld(&serde_json::json!({
            "@context": "https://schema.org",
            "@graph": [
                { "@type": "WebPage", "name": name, "url": self.urls.permalink(rel) },
                self.breadcrumbs(trail, (name, rel)),
            ],
        }))
    }

    fn article_json_ld(&self, a: &RenderedArticle, image: Option<&str>) -> String {
        let article = &a.article;
        let author = self.authors.get(article.author.as_str()).map(
            |r| serde_json::json!({ "@type": "Person", "name": r.author.name, "url": r.permalink }),
        );
        let about: Vec<serde_json::Value> = article
            .contenders
            .iter()
            .map(|c| {
                let mut thing = serde_json::json!({ "@type": "Thing", "name": c.name });
                if let Some(url) = &c.url {
                    thing["sameAs"] = url.clone().into();
                }
                thing
            })
            .collect();
        let mut main = serde_json::json!({
            "@type": "Article",
            "headline": article.title,
            "description": a.description,
            "datePublished": article.date.rfc3339(),
            "dateModified": article.updated.unwrap_or(article.date).rfc3339(),
            "url": a.permalink,
            "mainEntityOfPage": a.permalink,
            "about": about,
            "keywords": article.tags,
        });
        if let Some(author) = &author {
            main["author"] = author.clone();
        }
        if let Some(image) = image {
            main["image"] = image.into();
        }
        let mut graph =
            vec![main, self.breadcrumbs(&[], (&article.title, &format!("{}/", article.slug)))];
        let notes = |items: &[String]| {
            serde_json::json!({
                "@type": "ItemList",
                "itemListElement": items.iter().enumerate().map(|(i, text)| serde_json::json!({
                    "@type": "ListItem", "position": i + 1, "name": text,
                })).collect::<Vec<_>>(),
            })
        };
        for c in article.contenders.iter().filter(|c| !c.pros.is_empty() || !c.cons.is_empty()) {
            let mut item = serde_json::json!({ "@type": "SoftwareApplication", "name": c.name });
            if let Some(version) = &c.version {
                item["softwareVersion"] = version.clone().into();
            }
            let mut review = serde_json::json!({
                "@type": "Review",
                "name": format!("{} in “{}”", c.name, article.title),
                "itemReviewed": item,
                "url": a.permalink,
            });
            if let Some(author) = &author {
                review["author"] = author.clone();
            }
            if !c.pros.is_empty() {
                review["positiveNotes"] = notes(&c.pros);
            }
            if !c.cons.is_empty() {
                review["negativeNotes"] = notes(&c.cons);
            }
            graph.push(review);
        }
        json_ld(&serde_json::json!({ "@context": "https://schema.org", "@graph": graph }))
    }

    fn summaries(&self, articles: &[usize]) -> Vec<SummaryView<'a>> {
        articles.iter().map(|&i| self.summary(&self.site.articles[i])).collect()
    }

    fn hub_url(&self, id: &str) -> String {
        self.urls.path(&format!("compare/{id}/"))
    }

    fn tag(&self, tag: &'a TagIndex) -> TagListView<'a> {
        TagListView {
            name: &tag.name,
            slug: &tag.slug,
            url: self.urls.path(&format!("tags/{}/", tag.slug)),
            count: tag.articles.len(),
        }
    }

    fn hub(&self, hub: &'a Hub) -> HubView<'a> {
        HubView {
            id: &hub.id,
            name: &hub.name,
            url: self.hub_url(&hub.id),
            website: hub.url.as_deref(),
            logo: hub.logo.as_deref().map(|l| self.urls.asset(l)),
            description: hub.description.as_deref(),
            count: hub.articles.len(),
            record: hub.record,
            head_to_head: hub
                .head_to_head
                .iter()
                .map(|h| {
                    let name = self
                        .hubs
                        .get(h.opponent.as_str())
                        .map_or(h.opponent.as_str(), |o| o.name.as_str());
                    HeadToHeadView {
                        opponent: HubLinkView {
                            id: &h.opponent,
                            name,
                            url: self.hub_url(&h.opponent),
                        },
                        wins: h.wins,
                        losses: h.losses,
                        draws: h.draws,
                        articles: h.articles,
                        summary: format!(
                            "{} vs {name}: {}–{} over {} article{}",
                            hub.name,
                            h.wins,
                            h.losses,
                            h.articles,
                            plural(h.articles)
                        ),
                    }
                })
                .collect(),
        }
    }

    fn summary_with<A>(&self, a: &'a RenderedArticle, author: A) -> SummaryView<'a, A> {
        let article = &a.article;
        SummaryView {
            title: &article.title,
            description: &a.description,
            url: &a.url,
            permalink: &a.permalink,
            date: article.date.human(),
            date_iso: article.date.iso(),
            updated: article.updated.map(|d| d.human()),
            updated_iso: article.updated.map(|d| d.iso()),
            reading_minutes: a.reading_minutes(),
            word_count: a.body.word_count,
            author,
            contenders: article
                .contenders
                .iter()
                .zip(&a.wins)
                .enumerate()
                .map(|(i, (c, &wins))| ContenderView {
                    id: &c.id,
                    name: &c.name,
                    version: c.version.as_deref(),
                    url: c.url.as_deref(),
                    pros: &c.pros,
                    cons: &c.cons,
                    wins,
                    hub_url: self.hub_url(&c.id),
                    position: i + 1,
                })
                .collect(),
            tags: article
                .tags
                .iter()
                .map(|t| {
                    let slug = slugify(t);
                    TagView { name: t, url: self.urls.path(&format!("tags/{slug}/")), slug }
                })
                .collect(),
            tally: tally(a),
            draft: article.draft,
        }
    }

    fn summary(&self, a: &'a RenderedArticle) -> SummaryView<'a> {
        let author = AuthorRef {
            id: &a.article.author,
            name: self
                .authors
                .get(a.article.author.as_str())
                .map_or("", |r| r.author.name.as_str()),
            url: self.urls.path(&format!("authors/{}/", a.article.author)),
        };
        self.summary_with(a, author)
    }

    fn article(&self, a: &'a RenderedArticle, related: &[usize]) -> ArticleView<'a> {
        let author = self.author(self.authors[a.article.author.as_str()]);
        let contenders = &a.article.contenders;
        let name = |w: usize| NameView {
            id: &contenders[w].id,
            name: &contenders[w].name,
            position: w + 1,
            wins: a.wins[w],
        };
        let best = a.wins.iter().copied().max().unwrap_or(0);
        let leaders: Vec<usize> =
            (0..contenders.len()).filter(|&w| best > 0 && a.wins[w] == best).collect();
        ArticleView {
            summary: self.summary_with(a, author),
            // Rendered when the page is written (see `Job::Article`).
            content: String::new(),
            toc: &a.body.toc,
            scorecard: ScorecardView {
                rows: a
                    .body
                    .callouts
                    .iter()
                    .map(|c| ScoreRowView {
                        criterion: &c.criterion,
                        anchor: c.anchor.as_deref(),
                        outcome: c.outcome.as_str(),
                        winners: c.winners.iter().map(|&w| name(w)).collect(),
                        summary: &c.html,
                    })
                    .collect(),
                leader: match leaders.as_slice() {
                    [one] => Some(name(*one)),
                    _ => None,
                },
                decided: a.body.callouts.iter().filter(|c| c.outcome != Outcome::Tie).count(),
                tally: tally(a),
            },
            choose_if: a
                .body
                .choose_if
                .iter()
                .map(|c| ChooseIfView {
                    id: &contenders[c.contender].id,
                    name: &contenders[c.contender].name,
                    reasons: &c.reasons,
                    position: c.contender + 1,
                })
                .collect(),
            image: a.article.image.as_deref().map(|image| match &a.article.bundle {
                Some(_) if !image.contains("://") && !image.starts_with('/') => {
                    format!("{}{image}", a.url)
                }
                _ => self.urls.asset(image),
            }),
            verified: a.article.verified.map(|d| d.human()),
            verified_iso: a.article.verified.map(|d| d.iso()),
            extra: &a.article.extra,
            related: self.summaries(related),
        }
    }

    fn author(&self, a: &'a RenderedAuthor) -> AuthorView<'a> {
        let author = &a.author;
        AuthorView {
            id: &author.id,
            name: &author.name,
            role: author.role.as_deref(),
            avatar: author.avatar.as_deref().map(|avatar| self.urls.asset(avatar)),
            initials: initials(&author.name),
            links: author
                .links
                .iter()
                .map(|(key, url)| LinkView { label: link_label(key), url })
                .collect(),
            bio: &a.bio,
            url: a.url.clone(),
            permalink: a.permalink.clone(),
            article_count: self.by_author.get(author.id.as_str()).map_or(0, Vec::len),
        }
    }
}

/// Serializes JSON-LD so that no text can close the `<script>` element holding it.
pub fn json_ld(value: &serde_json::Value) -> String {
    serde_json::to_string(value)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn tally(a: &RenderedArticle) -> Vec<TallyView<'_>> {
    let decided = a.body.callouts.iter().filter(|c| c.outcome != Outcome::Tie).count();
    a.article
        .contenders
        .iter()
        .zip(&a.wins)
        .enumerate()
        .map(|(i, (c, &wins))| TallyView {
            id: &c.id,
            name: &c.name,
            wins,
            position: i + 1,
            percent: (wins * 100 + decided / 2).checked_div(decided).unwrap_or(0),
        })
        .collect()
}

/// `Jane van Doe` → `JD`.
fn initials(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let first = words.first().and_then(|w| w.chars().next());
    let last = if words.len() > 1 { words.last().and_then(|w| w.chars().next()) } else { None };
    first.into_iter().chain(last).flat_map(char::to_uppercase).collect()
}

fn link_label(key: &str) -> String {
    match key.to_lowercase().as_str() {
        "github" => "GitHub".into(),
        "gitlab" => "GitLab".into(),
        "x" | "twitter" => "X".into(),
        "linkedin" => "LinkedIn".into(),
        "youtube" => "YouTube".into(),
        "bluesky" => "Bluesky".into(),
        _ => {
            let mut chars = key.chars();
            chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn page_navigation_lists_the_ends_and_the_pages_around_the_current_one() {
        let shown = |current, total| super::shown_pages(current, total).collect::<Vec<_>>();
        assert_eq!(shown(1, 1), [1]);
        assert_eq!(shown(1, 3), [1, 2, 3]);
        assert_eq!(shown(1, 5000), [1, 2, 3, 4999, 5000]);
        assert_eq!(shown(2500, 5000), [1, 2, 2498, 2499, 2500, 2501, 2502, 4999, 5000]);
        assert_eq!(shown(5000, 5000), [1, 2, 4998, 4999, 5000]);
        assert_eq!(shown(5, 9), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }

    use super::*;

    #[test]
    fn json_ld_cannot_close_its_script() {
        let value = serde_json::json!({ "headline": "</script><script>alert(1)</script> & co" });
        let text = json_ld(&value);
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn makes_initials() {
        assert_eq!(initials("Jane van Doe"), "JD");
        assert_eq!(initials("Plato"), "P");
        assert_eq!(initials("élodie roux"), "ÉR");
    }
}
