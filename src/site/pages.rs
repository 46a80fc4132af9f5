//! Building each page's view and rendering it through its template into the staging
//! folder: home pages, articles, pages, authors and the 404 page.

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::error::{Diagnostic, Error};
use crate::markdown::callouts::Outcome;
use crate::site::Urls;
use crate::site::render::{RenderedArticle, RenderedAuthor, RenderedSite};
use crate::site::write::Staging;
use crate::templates::*;

/// Renders every page of `site` into `staging`; returns the number of pages written.
pub fn write_pages(
    site: &RenderedSite,
    templates: &Templates,
    urls: &Urls,
    paginate: usize,
    staging: &Staging,
) -> Result<usize, Error> {
    let authors: HashMap<&str, &RenderedAuthor> =
        site.authors.iter().map(|a| (a.author.id.as_str(), a)).collect();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for a in &site.articles {
        *counts.entry(a.article.author.as_str()).or_default() += 1;
    }
    let views = Views { urls, authors, counts };
    let mut jobs: Vec<Job<'_>> = Vec::new();

    let chunks: Vec<&[RenderedArticle]> =
        if site.articles.is_empty() { vec![&[]] } else { site.articles.chunks(paginate).collect() };
    let total = chunks.len();
    for (i, chunk) in chunks.into_iter().enumerate() {
        jobs.push(Job::Index { number: i + 1, total, articles: chunk });
    }
    jobs.extend(site.articles.iter().map(Job::Article));
    jobs.extend(site.pages.iter().map(Job::Page));
    jobs.push(Job::Authors);
    jobs.extend(site.authors.iter().map(Job::Author));
    jobs.push(Job::NotFound);

    let results: Vec<Result<(), Error>> = jobs
        .par_iter()
        .map(|job| {
            let (path, html) = views.render(job, site, templates).map_err(Error::site)?;
            staging.write(&path, html.as_bytes())
        })
        .collect();
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    for result in results {
        match result {
            Ok(()) => {}
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
    Ok(jobs.len())
}

enum Job<'a> {
    Index { number: usize, total: usize, articles: &'a [RenderedArticle] },
    Article(&'a RenderedArticle),
    Page(&'a crate::site::render::RenderedPage),
    Authors,
    Author(&'a RenderedAuthor),
    NotFound,
}

struct Views<'a> {
    urls: &'a Urls,
    authors: HashMap<&'a str, &'a RenderedAuthor>,
    counts: HashMap<&'a str, usize>,
}

impl<'a> Views<'a> {
    fn render(
        &self,
        job: &Job<'a>,
        site: &'a RenderedSite,
        templates: &Templates,
    ) -> Result<(PathBuf, String), Diagnostic> {
        let urls = self.urls;
        match job {
            Job::Index { number, total, articles } => {
                let rel = if *number == 1 { String::new() } else { format!("page/{number}/") };
                let page_url = |n: usize| {
                    if n == 1 { urls.path("") } else { urls.path(&format!("page/{n}/")) }
                };
                let context = IndexContext {
                    meta: self.meta(
                        if *number == 1 { String::new() } else { format!("Page {number}") },
                        String::new(),
                        &rel,
                        "home",
                    ),
                    articles: articles.iter().map(|a| self.summary(a)).collect(),
                    pagination: PaginationView {
                        current: *number,
                        total: *total,
                        previous: (*number > 1).then(|| page_url(number - 1)),
                        next: (number < total).then(|| page_url(number + 1)),
                        pages: (1..=*total)
                            .map(|n| PageLinkView {
                                number: n,
                                url: page_url(n),
                                current: n == *number,
                            })
                            .collect(),
                    },
                };
                let html = templates.render("index.html", &context)?;
                Ok((PathBuf::from(rel).join("index.html"), html))
            }
            Job::Article(a) => {
                let context = ArticleContext {
                    meta: self.meta(
                        a.article.title.clone(),
                        a.description.clone(),
                        &format!("{}/", a.article.slug),
                        "article",
                    ),
                    article: self.article(a),
                };
                let html = templates.render("article.html", &context)?;
                Ok((PathBuf::from(&a.article.slug).join("index.html"), html))
            }
            Job::Page(p) => {
                let context = PageContext {
                    meta: self.meta(
                        p.page.title.clone(),
                        p.description.clone(),
                        &format!("{}/", p.page.slug),
                        "page",
                    ),
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
                let html = templates.render("page.html", &context)?;
                Ok((PathBuf::from(&p.page.slug).join("index.html"), html))
            }
            Job::Authors => {
                let context = AuthorsContext {
                    meta: self.meta(
                        "Authors".to_string(),
                        "Everyone who writes here.".to_string(),
                        "authors/",
                        "authors",
                    ),
                    authors: site.authors.iter().map(|a| self.author(a)).collect(),
                };
                let html = templates.render("authors.html", &context)?;
                Ok((PathBuf::from("authors/index.html"), html))
            }
            Job::Author(a) => {
                let rel = format!("authors/{}/", a.author.id);
                let description = a.author.role.clone().map_or_else(
                    || format!("Comparisons written by {}.", a.author.name),
                    |role| format!("{}, {role}: comparisons and bio.", a.author.name),
                );
                let context = AuthorContext {
                    meta: self.meta(a.author.name.clone(), description, &rel, "author"),
                    author: self.author(a),
                    articles: site
                        .articles
                        .iter()
                        .filter(|r| r.article.author == a.author.id)
                        .map(|r| self.summary(r))
                        .collect(),
                };
                let html = templates.render("author.html", &context)?;
                Ok((PathBuf::from(rel).join("index.html"), html))
            }
            Job::NotFound => {
                let context = NotFoundContext {
                    meta: self.meta(
                        "Page not found".to_string(),
                        "This page does not exist.".to_string(),
                        "404.html",
                        "404",
                    ),
                };
                let html = templates.render("404.html", &context)?;
                Ok((PathBuf::from("404.html"), html))
            }
        }
    }

    fn meta(&self, title: String, description: String, rel: &str, kind: &'static str) -> MetaView {
        MetaView {
            title,
            description,
            url: self.urls.path(rel),
            canonical: self.urls.permalink(rel),
            kind,
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
                .map(|(c, &wins)| ContenderView {
                    id: &c.id,
                    name: &c.name,
                    version: c.version.as_deref(),
                    url: c.url.as_deref(),
                    pros: &c.pros,
                    cons: &c.cons,
                    wins,
                })
                .collect(),
            tags: article
                .tags
                .iter()
                .map(|t| TagView { name: t, slug: crate::content::slug::slugify(t) })
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

    fn article(&self, a: &'a RenderedArticle) -> ArticleView<'a> {
        let author = self.author(self.authors[a.article.author.as_str()]);
        let contenders = &a.article.contenders;
        let tally = tally(a);
        let best = tally.iter().map(|t| t.wins).max().unwrap_or(0);
        let leaders: Vec<&TallyView<'_>> =
            tally.iter().filter(|t| t.wins == best && best > 0).collect();
        ArticleView {
            summary: self.summary_with(a, author),
            content: &a.body.html,
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
                        winners: c
                            .winners
                            .iter()
                            .map(|&w| NameView { id: &contenders[w].id, name: &contenders[w].name })
                            .collect(),
                        summary: &c.html,
                    })
                    .collect(),
                leader: match leaders.as_slice() {
                    [one] => Some(NameView { id: one.id, name: one.name }),
                    _ => None,
                },
                tally,
            },
            choose_if: a
                .body
                .choose_if
                .iter()
                .map(|c| ChooseIfView {
                    id: &contenders[c.contender].id,
                    name: &contenders[c.contender].name,
                    reasons: &c.reasons,
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
            article_count: self.counts.get(author.id.as_str()).copied().unwrap_or(0),
        }
    }
}

fn tally(a: &RenderedArticle) -> Vec<TallyView<'_>> {
    let decided = a.body.callouts.iter().filter(|c| c.outcome != Outcome::Tie).count();
    a.article
        .contenders
        .iter()
        .zip(&a.wins)
        .map(|(c, &wins)| TallyView {
            id: &c.id,
            name: &c.name,
            wins,
            percent: (wins * 100).checked_div(decided).unwrap_or(0),
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
    use super::*;

    #[test]
    fn makes_initials() {
        assert_eq!(initials("Jane van Doe"), "JD");
        assert_eq!(initials("Plato"), "P");
        assert_eq!(initials("élodie roux"), "ÉR");
    }
}
