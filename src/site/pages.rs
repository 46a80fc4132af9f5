//! Building each page's view and rendering it through its template into the staging
//! folder: home pages, articles, pages, authors and the 404 page.

use std::collections::HashMap;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::cache::pages::PageFingerprints;
use crate::config::SiteConfig;
use crate::content::date::Date;
use crate::error::{Diagnostic, Error};
use crate::images::SiteImages;
use crate::markdown::render::Env;
use crate::site::article_digests::author_key;
use crate::site::cards::Cards;
use crate::site::feeds::{atom_feed, feed_specs};
use crate::site::fingerprints::{Digests, Fingerprinter};
use crate::site::index::{Hub, SiteIndex, TagIndex};
use crate::site::json_ld::json_ld;
use crate::site::outlines::{RenderedAuthor, RenderedPage, RenderedSite};
use crate::site::scratch::Scratch;
use crate::site::sitemap::SitemapEntry;
use crate::site::views::{Views, page_rel, plural};
use crate::site::write::Output;
use crate::templates::*;
use crate::urls::Urls;

/// Renders every page of `site` into `output`; returns the sitemap entries of the pages
/// written (every HTML page but the 404 page).
pub fn write_pages(
    inputs: &PageInputs<'_>,
    output: &dyn Output,
    previous: Option<(&PageFingerprints, u128)>,
) -> Result<PagesWritten, Error> {
    let PageInputs {
        env,
        site,
        index,
        images,
        templates,
        urls,
        config,
        root,
        scratch,
        cards,
        search_cached,
        ..
    } = *inputs;
    let (previous, salt) = match previous {
        Some((fingerprints, salt)) => (Some(fingerprints), salt),
        None => (None, 0),
    };
    let paginate = config.paginate;
    let authors: HashMap<&str, &RenderedAuthor> =
        site.authors.iter().map(|a| (a.author.id.as_str(), a)).collect();
    // By the author's hashed id, which the article carries in its digests.
    let mut by_author: FxHashMap<u64, Vec<usize>> = FxHashMap::default();
    for (i, a) in site.articles.iter().enumerate() {
        by_author.entry(a.digests.author).or_default().push(i);
    }
    let hubs: HashMap<&str, &Hub> = index.hubs.iter().map(|h| (h.id.as_str(), h)).collect();
    let digests = previous.map(|_| Digests::new(site, &by_author, images)).unwrap_or_default();
    let fingerprints = Fingerprinter { previous, salt, output };
    // Feeds whose entries are unchanged are kept; the pages of the others' articles hand
    // their bodies over when they render them.
    let feeds = feed_specs(config, site, index);
    let kept_feeds: Vec<Option<(String, u128)>> =
        feeds.par_iter().map(|feed| fingerprints.kept_feed(feed, &digests)).collect();
    let mut in_feed = vec![false; site.articles.len()];
    for (feed, kept) in feeds.iter().zip(&kept_feeds) {
        if kept.is_none() {
            feed.articles.iter().for_each(|&i| in_feed[i] = true);
        }
    }
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
        config,
        today: inputs.today,
        language: &config.language,
        search: config.search,
        search_cached,
        env,
        images,
        fingerprints,
        root,
        scratch,
        in_feed,
        cards,
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
    jobs.push(Job::Hubs);
    jobs.extend(index.hubs.iter().map(Job::Hub));
    jobs.push(Job::NotFound);

    let results: Vec<Result<PageOut, Error>> = jobs
        .par_iter()
        .map(|job| {
            let mut page = views.render(job, templates).map_err(Error::site)?;
            // Pages without HTML were kept: their fingerprint is the last build's.
            if let Some(html) = page.html.take() {
                let made_from = page.fingerprint.as_ref().map(|(_, hash)| *hash);
                output.write_made_from(&page.path, html.as_bytes(), made_from)?;
                page.html = Some(String::new());
            }
            // The search record too, so that no article's prose waits for the index.
            if let (Job::Article(i), Some(document)) = (job, page.search_document.as_mut()) {
                let (record, hash) = (std::mem::take(&mut document.record), document.record_hash);
                let path = crate::site::fulltext::record_path(*i);
                output.write_made_from(&path, record.as_bytes(), Some(hash.into()))?;
            }
            Ok(page)
        })
        .collect();
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut sitemap = Vec::with_capacity(results.len());
    let mut written = 0;
    let mut fingerprints = Vec::new();
    let mut feed_bodies = HashMap::new();
    let mut search_documents = HashMap::new();
    for (job, result) in jobs.iter().zip(results) {
        match result {
            Ok(page) => {
                sitemap.extend(page.sitemap);
                written += usize::from(page.html.is_some());
                // With what tells the file written (or kept) from a changed one.
                let identity = output.identity(&page.path);
                fingerprints.extend(page.fingerprint.map(|(rel, hash)| (rel, hash, identity)));
                if let (Job::Article(i), Some(body)) = (job, page.feed_body) {
                    feed_bodies.insert(*i, body);
                }
                if let (Job::Article(i), Some(document)) = (job, page.search_document) {
                    search_documents.insert(*i, document);
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
    let body = |i: usize| match feed_bodies.get(&i) {
        Some(html) => Ok(String::clone(html)),
        None => views.body_html(&site.articles[i]),
    };
    let written_feeds: Vec<Result<Option<(String, u128)>, Error>> = feeds
        .par_iter()
        .zip(kept_feeds)
        .map(|(feed, kept)| match kept {
            Some(kept) => Ok(Some(kept)),
            None => {
                let xml = atom_feed(feed, config, site, urls, &body).map_err(Error::site)?;
                let fingerprint = views.fingerprints.feed_fingerprint(feed, &views.digests);
                let made_from = fingerprint.as_ref().map(|(_, hash)| *hash);
                output.write_made_from(Path::new(&feed.rel), xml.as_bytes(), made_from)?;
                Ok(fingerprint)
            }
        })
        .collect();
    for feed in written_feeds {
        if let Some((rel, hash)) = feed? {
            let identity = output.identity(Path::new(&rel));
            fingerprints.push((rel, hash, identity));
        }
    }
    Ok(PagesWritten {
        sitemap,
        written,
        unchanged: jobs.len() - written,
        search_documents,
        fingerprints: fingerprints.into_iter().collect(),
        digests: views.digests.articles,
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
    Hubs,
    Hub(&'a Hub),
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
    /// The sizes and copies of the images documents show.
    pub images: &'a SiteImages,
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
    /// The day stale-facts notices count from ([`crate::content::date::today`]).
    pub today: jiff::civil::Date,
    /// The keys of the search documents the cache holds: their pages make only the
    /// record ([`crate::site::fulltext::search_record`]), not the stems again.
    pub search_cached: &'a FxHashSet<u128>,
    /// The social cards of the articles, hubs and home page.
    pub(super) cards: &'a Cards,
}

/// A rendered page, ready to write; `html` is `None` when the page is unchanged since
/// the last build of an incremental session.
struct PageOut {
    path: PathBuf,
    html: Option<String>,
    sitemap: Option<SitemapEntry>,
    /// The page's output path (as `rel`) and fingerprint, when the build keeps them.
    fingerprint: Option<(String, u128)>,
    /// The article body's HTML, for the feeds, when it was rendered for the page.
    feed_body: Option<String>,
    /// The article's search document, made from its body while it is at hand.
    search_document: Option<crate::site::fulltext::SearchDoc>,
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
    /// The search documents of the articles whose pages were rendered, by index.
    pub search_documents: HashMap<usize, crate::site::fulltext::SearchDoc>,
    /// The fingerprint of every page, for the next build (empty when given none before).
    pub fingerprints: PageFingerprints,
    /// Each article's digest (see `Digests`), when the build compares pages; else empty.
    pub digests: Vec<u128>,
}

impl<'a> Views<'a> {
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
            search_document: None,
        };
        match job {
            Job::Index { number, total, articles } => {
                let rel = page_rel("", *number);
                if self.fingerprints.previous.is_some() {
                    let mut inputs = vec![*number as u128, *total as u128];
                    inputs.extend(articles.iter().map(|&i| self.digests.summaries[i]));
                    if self.fingerprints.unchanged_inputs("index.html", &rel, inputs, fp) {
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
                let lastmod = Some(a.digests.last_change);
                let related = &self.index.related[*i];
                let card = self.cards.articles[*i].as_ref();
                if self.fingerprints.previous.is_some() {
                    let author = self.digests.authors.get(&a.digests.author);
                    let inputs = [
                        self.digests.articles[*i],
                        author.copied().unwrap_or(0),
                        self.shown_facts(a),
                        self.digests.images[*i],
                        card.map_or(0, |c| c.key),
                    ];
                    let related = related.iter().map(|&r| self.digests.summaries[r]);
                    let inputs = inputs.into_iter().chain(related);
                    if self.fingerprints.unchanged_inputs("article.html", &rel, inputs, fp) {
                        return Ok(out(&rel, None, lastmod));
                    }
                }
                let view = self.article(a, related);
                let mut meta =
                    self.meta(a.article.title.clone(), a.description.clone(), &rel, "article");
                meta.og_type = "article";
                meta = match view.image.as_deref() {
                    // The writer's own image: its size is not known.
                    Some(image) => MetaView {
                        image: Some(self.absolute(image)),
                        image_width: None,
                        image_height: None,
                        image_alt: Some(a.article.title.clone()),
                        ..meta
                    },
                    None => meta.with_card(card),
                };
                meta.json_ld = self.article_json_ld(a, meta.image.as_deref());
                let mut context = ArticleContext { meta, article: view };
                // The body's HTML waits in the scratch file when it was rendered with its
                // outline; otherwise (outline from the cache) it is rendered only now.
                // Either way the whole site's HTML is never held in memory at once.
                let ahead = a.ahead.zip(self.scratch).and_then(|(slot, s)| s.get(slot));
                let rendered_now = ahead.is_none();
                let content = match ahead {
                    Some(html) => html,
                    None => a.body_html(self.env, self.root)?,
                };
                context.article.content = self.images.rewrite(&content, &a.url, true);
                // The feeds read the others from the scratch file.
                let feed_body =
                    (rendered_now && self.in_feed[*i]).then(|| context.article.content.clone());
                let search_document = self.search.then(|| {
                    use crate::site::fulltext::{document_key, search_document, search_record};
                    let content = &context.article.content;
                    if self.search_cached.contains(&document_key(a, self.language)) {
                        search_record(a, content)
                    } else {
                        let document = search_document(a, content, self.language);
                        crate::site::fulltext::spill(document, self.scratch)
                    }
                });
                let html = templates.render("article.html", &context)?;
                Ok(PageOut { feed_body, search_document, ..out(&rel, Some(html), lastmod) })
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
                Ok(out(
                    &rel,
                    self.fingerprints.emit(templates, "page.html", &context, &rel, fp)?,
                    None,
                ))
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
                Ok(out(
                    &rel,
                    self.fingerprints.emit(templates, "authors.html", &context, &rel, fp)?,
                    None,
                ))
            }
            Job::Author(a) => {
                let rel = format!("authors/{}/", a.author.id);
                let articles: &[usize] =
                    self.by_author.get(&author_key(&a.author.id)).map_or(&[], Vec::as_slice);
                let lastmod = self.newest(articles);
                if self.fingerprints.previous.is_some() {
                    let author = self.digests.authors.get(&author_key(&a.author.id));
                    let mut inputs = vec![author.copied().unwrap_or(0)];
                    inputs.extend(articles.iter().map(|&i| self.digests.summaries[i]));
                    if self.fingerprints.unchanged_inputs("author.html", &rel, inputs, fp) {
                        return Ok(out(&rel, None, lastmod));
                    }
                }
                let description = a.author.role.clone().map_or_else(
                    || format!("Comparisons written by {}.", a.author.name),
                    |role| format!("{}, {role}: comparisons and bio.", a.author.name),
                );
                let mut meta = self.meta(a.author.name.clone(), description, &rel, "author");
                meta.og_type = "profile";
                meta.json_ld = self.author_json_ld(a);
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
                Ok(out(
                    &rel,
                    self.fingerprints.emit(templates, "tags.html", &context, &rel, fp)?,
                    None,
                ))
            }
            Job::Tag { tag, number, total, articles } => {
                let first = format!("tags/{}/", tag.slug);
                let rel = page_rel(&first, *number);
                if self.fingerprints.previous.is_some() {
                    let name = format!("{}\0{}", tag.name, tag.slug);
                    let mut inputs = vec![
                        *number as u128,
                        *total as u128,
                        tag.articles.len() as u128,
                        xxhash_rust::xxh3::xxh3_128(name.as_bytes()),
                    ];
                    inputs.extend(articles.iter().map(|&i| self.digests.summaries[i]));
                    if self.fingerprints.unchanged_inputs("tag.html", &rel, inputs, fp) {
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
                meta.feed = Some(FeedLinkView {
                    url: self.urls.path(&format!("{first}feed.xml")),
                    title: format!("{}: tagged “{}”", self.site_title(), tag.name),
                });
                meta.json_ld = self.web_page_json_ld(&tag.name, &first, &[("Tags", "tags/")]);
                let context = TagContext {
                    meta,
                    tag: self.tag(tag),
                    articles: self.summaries(articles),
                    pagination: self.pagination(&first, *number, *total),
                };
                Ok(out(&rel, Some(templates.render("tag.html", &context)?), self.newest(articles)))
            }
            Job::Hubs => {
                let rel = "compare/".to_string();
                let description =
                    format!("Every technology compared on {}, with its record.", self.site_title());
                let mut meta = self.meta("Technologies".into(), description, &rel, "contenders");
                meta.json_ld = self.web_page_json_ld("Technologies", &rel, &[]);
                let context = HubsContext {
                    meta,
                    contenders: self
                        .index
                        .hubs
                        .iter()
                        .map(|h| HubSummaryView {
                            id: &h.id,
                            name: &h.name,
                            url: self.hub_url(&h.id),
                            logo: h.logo.as_deref().map(|l| self.urls.asset(l)),
                            count: h.articles.len(),
                            record: h.record,
                        })
                        .collect(),
                    matrix: self.matrix(&self.index.hubs),
                };
                Ok(out(
                    &rel,
                    self.fingerprints.emit(templates, "contenders.html", &context, &rel, fp)?,
                    None,
                ))
            }
            Job::Hub(hub) => {
                let rel = format!("compare/{}/", hub.id);
                let card = self.cards.hubs.get(&hub.id);
                if self.fingerprints.previous.is_some() {
                    // The hub (record, head-to-head, articles) and its opponents' names
                    // (their logos reach it through the summaries of the articles shared).
                    let mut text = format!("{hub:?}\0{:?}", self.hub_facts(hub));
                    for h in &hub.head_to_head {
                        let name = self.hubs.get(h.opponent.as_str()).map(|o| o.name.as_str());
                        text.push_str(&format!("\0{name:?}"));
                    }
                    let mut inputs = vec![
                        xxhash_rust::xxh3::xxh3_128(text.as_bytes()),
                        card.map_or(0, |c| c.key),
                    ];
                    inputs.extend(hub.articles.iter().map(|&i| self.digests.summaries[i]));
                    if self.fingerprints.unchanged_inputs("contender.html", &rel, inputs, fp) {
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
                let mut meta =
                    self.meta(hub.name.clone(), description, &rel, "contender").with_card(card);
                meta.feed = Some(FeedLinkView {
                    url: self.urls.path(&format!("{rel}feed.xml")),
                    title: format!("{}: {}", self.site_title(), hub.name),
                });
                meta.json_ld =
                    self.web_page_json_ld(&hub.name, &rel, &[("Technologies", "compare/")]);
                let context = HubContext {
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
                let mut meta = self.meta(
                    "Page not found".into(),
                    "This page does not exist.".into(),
                    "404.html",
                    "404",
                );
                // Served at every missing address: no search engine should index it,
                // and it is the canonical version of no page.
                meta.canonical = None;
                meta.robots = Some("noindex");
                let context = NotFoundContext { meta };
                Ok(PageOut {
                    path: "404.html".into(),
                    html: self
                        .fingerprints
                        .emit(templates, "404.html", &context, "404.html", fp)?,
                    sitemap: None,
                    fingerprint: None,
                    feed_body: None,
                    search_document: None,
                })
            }
        }
    }
}
