//! The views templates are given (see [`crate::templates::views`]), built from the
//! site's outlines and indexes: summaries, articles, authors, hubs, tags, pagination.

use std::collections::HashMap;
use std::path::Path;

use crate::config::SiteConfig;
use crate::content::article::stale_since;
use crate::content::date::Date;
use crate::error::Diagnostic;
use crate::markdown::callouts::{Outcome, ends_sentence};
use crate::markdown::render::Env;
use crate::site::article_digests::author_key;
use crate::site::cards::{CardRef, Cards};
use crate::site::facts::fact_rows;
use crate::site::fingerprints::{Digests, Fingerprinter};
use crate::site::index::{Hub, SiteIndex, TagIndex};
use crate::site::outlines::{RenderedArticle, RenderedAuthor, RenderedSite};
use crate::site::scratch::Scratch;
use crate::slug::slugify;
use crate::templates::*;
use crate::urls::Urls;

/// What the views of a build are made from, shared by every page job.
pub(super) struct Views<'a> {
    pub(super) digests: Digests,
    pub(super) urls: &'a Urls,
    pub(super) site: &'a RenderedSite,
    pub(super) index: &'a SiteIndex,
    pub(super) authors: HashMap<&'a str, &'a RenderedAuthor>,
    /// Each author's articles, newest first.
    /// The articles of each author, by [`author_key`].
    pub(super) by_author: rustc_hash::FxHashMap<u64, Vec<usize>>,
    pub(super) hubs: HashMap<&'a str, &'a Hub>,
    pub(super) site_title: &'a str,
    pub(super) site_description: &'a str,
    /// The settings (fact labels, staleness).
    pub(super) config: &'a SiteConfig,
    /// The day staleness is measured on.
    pub(super) today: jiff::civil::Date,
    /// The site's language, whose stemmer the search documents use.
    pub(super) language: &'a str,
    /// Whether articles make search documents (`search:` in `site.yaml`).
    pub(super) search: bool,
    /// The keys of the search documents the cache holds (see [`super::pages::PageInputs`]).
    pub(super) search_cached: &'a rustc_hash::FxHashSet<u128>,
    pub(super) env: &'a Env<'a>,
    /// The sizes and copies of the images of article bodies.
    pub(super) images: &'a crate::images::SiteImages,
    pub(super) fingerprints: Fingerprinter<'a>,
    pub(super) root: &'a Path,
    pub(super) scratch: Option<&'a Scratch>,
    /// By article: whether a feed written by this build shows it.
    pub(super) in_feed: Vec<bool>,
    pub(super) cards: &'a Cards,
}

/// The pages a page navigation links to: the first two, the last two and the five around
/// `current`, in order (at most nine). Listing every page would make each page of a long
/// list grow with the number of pages, and the whole list quadratic.
pub(super) fn shown_pages(current: usize, total: usize) -> impl Iterator<Item = usize> {
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

/// A compact page navigation, short enough for a phone: the first page, the last, the
/// current one and its neighbours, in order, with `None` for each gap of two pages or
/// more (a gap of one page shows that page: `1 2 3 4 … 9`, never `1 … 3 4 …`). At most
/// seven items: `1 … 4 5 6 … 9`.
pub(super) fn compact_pages(current: usize, total: usize) -> Vec<Option<usize>> {
    let mut pages: Vec<usize> = [1, current.saturating_sub(1), current, current + 1, total]
        .into_iter()
        .filter(|n| (1..=total).contains(n))
        .collect();
    pages.sort_unstable();
    pages.dedup();
    let mut items = Vec::with_capacity(7);
    let mut last = 0;
    for n in pages {
        match n - last {
            1 => {}
            2 => items.push(Some(n - 1)),
            _ => items.push(None),
        }
        items.push(Some(n));
        last = n;
    }
    items
}

/// `rel` of page `number` of a paginated list whose first page is `first`.
pub(super) fn page_rel(first: &str, number: usize) -> String {
    if number == 1 { first.to_string() } else { format!("{first}page/{number}/") }
}

pub(super) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

pub(super) fn tally(a: &RenderedArticle) -> Vec<TallyView<'_>> {
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
            shared: a.shared[i],
            position: i + 1,
            percent: (wins * 100 + decided / 2).checked_div(decided).unwrap_or(0),
        })
        .collect()
}

/// The first sentence of `text` (up to `.`, `!` or `?` and a space), with the next one
/// when the first is only a word or two (`Both. Both are production-ready.`), at most
/// about 120 characters, cut at a word with `…`.
pub(super) fn first_sentence(text: &str) -> String {
    /// Shorter first sentences take the next one along.
    const SHORT: usize = 12;
    let text = text.trim();
    let mut end = text.len();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if ends_sentence(c, chars.peek().map(|&(_, n)| n)) {
            end = i + c.len_utf8();
            if text[..end].chars().count() >= SHORT {
                break;
            }
        }
    }
    if text[..end].chars().count() < SHORT {
        end = text.len();
    }
    let sentence = &text[..end];
    if sentence.chars().count() <= 120 {
        return sentence.to_string();
    }
    let cut: String = sentence.chars().take(120).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
}

/// `Jane van Doe` → `JD`.
pub(super) fn initials(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let first = words.first().and_then(|w| w.chars().next());
    let last = if words.len() > 1 { words.last().and_then(|w| w.chars().next()) } else { None };
    first.into_iter().chain(last).flat_map(char::to_uppercase).collect()
}

pub(super) fn link_label(key: &str) -> String {
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

impl<'a> Views<'a> {
    pub(super) fn pagination(&self, first: &str, current: usize, total: usize) -> PaginationView {
        let url = |n: usize| self.urls.path(&page_rel(first, n));
        PaginationView {
            current,
            total,
            previous: (current > 1).then(|| url(current - 1)),
            next: (current < total).then(|| url(current + 1)),
            pages: shown_pages(current, total)
                .map(|n| PageLinkView { number: n, url: url(n), current: n == current })
                .collect(),
            compact: compact_pages(current, total)
                .into_iter()
                .map(|n| PageItemView { number: n, url: n.map(url), current: n == Some(current) })
                .collect(),
        }
    }

    /// The body HTML of `a` as its page shows it: from the scratch file when it was
    /// rendered with its outline, else rendered now.
    pub(super) fn body_html(&self, a: &RenderedArticle) -> Result<String, Diagnostic> {
        let html = match a.ahead.zip(self.scratch).and_then(|(slot, s)| s.get(slot)) {
            Some(html) => html,
            None => a.body_html(self.env, self.root)?,
        };
        // As its page shows it: images sized, with their copies.
        Ok(self.images.rewrite(&html, &a.url, true))
    }

    pub(super) fn newest(&self, articles: &[usize]) -> Option<Date> {
        articles.iter().map(|&i| self.last_change(&self.site.articles[i])).max()
    }

    pub(super) fn last_change(&self, a: &RenderedArticle) -> Date {
        a.digests.last_change
    }

    pub(super) fn site_title(&self) -> &str {
        self.site_title
    }

    pub(super) fn absolute(&self, url: &str) -> String {
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

    pub(super) fn meta(
        &self,
        title: String,
        description: String,
        rel: &str,
        kind: &'static str,
    ) -> MetaView {
        MetaView {
            title,
            description,
            url: self.urls.path(rel),
            canonical: Some(self.urls.permalink(rel)),
            robots: None,
            kind,
            og_type: "website",
            image: None,
            image_width: None,
            image_height: None,
            image_alt: None,
            json_ld: String::new(),
            feed: None,
        }
        .with_card(self.cards.home.as_ref())
    }

    pub(super) fn summaries(&self, articles: &[usize]) -> Vec<SummaryView<'a>> {
        articles.iter().map(|&i| self.summary(&self.site.articles[i])).collect()
    }

    pub(super) fn hub_url(&self, id: &str) -> String {
        self.urls.path(&format!("compare/{id}/"))
    }

    /// A link to `hub`'s page, with its name and logo.
    pub(super) fn hub_link(&self, hub: &'a Hub) -> HubLinkView<'a> {
        HubLinkView {
            id: &hub.id,
            name: &hub.name,
            url: self.hub_url(&hub.id),
            logo: hub.logo.as_deref().map(|l| self.urls.asset(l)),
        }
    }

    pub(super) fn tag(&self, tag: &'a TagIndex) -> TagListView<'a> {
        TagListView {
            name: &tag.name,
            slug: &tag.slug,
            url: self.urls.path(&format!("tags/{}/", tag.slug)),
            count: tag.articles.len(),
            feed_url: self.urls.path(&format!("tags/{}/feed.xml", tag.slug)),
        }
    }

    pub(super) fn hub(&self, hub: &'a Hub) -> HubView<'a> {
        HubView {
            id: &hub.id,
            name: &hub.name,
            url: self.hub_url(&hub.id),
            website: hub.url.as_deref(),
            logo: hub.logo.as_deref().map(|l| self.urls.asset(l)),
            description: hub.description.as_deref(),
            count: hub.articles.len(),
            record: hub.record,
            facts: self.hub_facts(hub),
            head_to_head: hub
                .head_to_head
                .iter()
                .map(|h| {
                    let opponent = match self.hubs.get(h.opponent.as_str()) {
                        Some(o) => self.hub_link(o),
                        None => HubLinkView {
                            id: &h.opponent,
                            name: &h.opponent,
                            url: self.hub_url(&h.opponent),
                            logo: None,
                        },
                    };
                    let name = opponent.name;
                    HeadToHeadView {
                        opponent,
                        wins: h.wins,
                        losses: h.losses,
                        draws: h.draws,
                        articles: h.articles,
                        comparisons: self.article_links(&h.comparisons),
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
            feed_url: self.urls.path(&format!("compare/{}/feed.xml", hub.id)),
        }
    }

    /// Title and URL of each of `articles`.
    pub(super) fn article_links(&self, articles: &[usize]) -> Vec<ArticleLinkView<'a>> {
        articles
            .iter()
            .map(|&i| {
                let a = &self.site.articles[i];
                ArticleLinkView { title: &a.article.title, url: &a.url }
            })
            .collect()
    }

    pub(super) fn summary_with<A>(&self, a: &'a RenderedArticle, author: A) -> SummaryView<'a, A> {
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
                    logo: c.logo.as_deref().map(|l| self.urls.asset(l)),
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

    pub(super) fn summary(&self, a: &'a RenderedArticle) -> SummaryView<'a> {
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

    pub(super) fn article(&self, a: &'a RenderedArticle, related: &[usize]) -> ArticleView<'a> {
        let author = self.author(self.authors[a.article.author.as_str()]);
        let contenders = &a.article.contenders;
        let name = |w: usize| NameView {
            id: &contenders[w].id,
            name: &contenders[w].name,
            position: w + 1,
            wins: a.wins[w],
            shared: a.shared[w],
        };
        let best = a.wins.iter().copied().max().unwrap_or(0);
        let leaders: Vec<usize> =
            (0..contenders.len()).filter(|&w| best > 0 && a.wins[w] == best).collect();
        ArticleView {
            summary: self.summary_with(a, author),
            // Rendered when the page is written (see `Job::Article`).
            content: String::new(),
            lede: a.article.description.as_deref(),
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
                        note: first_sentence(&c.text),
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
                    anchor: c.anchor.as_deref(),
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
            facts: self.article_facts(a),
            stale: self.stale(a),
            extra: &a.article.extra,
            related: self.summaries(related),
        }
    }

    /// The "At a glance" rows of an article: a column per contender.
    pub(super) fn article_facts(&self, a: &'a RenderedArticle) -> Vec<FactRowView<'a>> {
        let columns: Vec<_> =
            a.article.contenders.iter().map(|c| (c.id.as_str(), &c.facts)).collect();
        fact_rows(&columns, &self.config.facts)
    }

    /// A hash of what an article's page shows beyond its digest: the facts table (the
    /// contenders' facts, with the labels of `site.yaml`) and today's stale notice.
    pub(super) fn shown_facts(&self, a: &RenderedArticle) -> u128 {
        use std::hash::Hash;
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        if a.digests.facts != 0 {
            a.digests.facts.hash(&mut hasher);
            for label in &self.config.facts {
                (&label.key, &label.label).hash(&mut hasher);
            }
        }
        // What the notice shows follows from the day it counts from and its age.
        let (days, today) = (self.config.stale_after_days, self.today);
        let since =
            self.config.stale_notice.then(|| stale_since(a.digests.facts_dated, days, today));
        if let Some(Some((key, day))) = since {
            (key, day, crate::content::date::age(day, self.today)).hash(&mut hasher);
        }
        hasher.digest128()
    }

    /// The facts rows of a hub: its own column.
    pub(super) fn hub_facts(&self, hub: &'a Hub) -> Vec<FactRowView<'a>> {
        fact_rows(&[(hub.id.as_str(), &hub.facts)], &self.config.facts)
    }

    /// The stale-facts notice of an article, when it has one today.
    pub(super) fn stale(&self, a: &RenderedArticle) -> Option<StaleView> {
        if !self.config.stale_notice {
            return None;
        }
        let (key, day) = a.article.stale_since(self.config.stale_after_days, self.today)?;
        let date = Date { day, instant: None };
        Some(StaleView {
            age: crate::content::date::age(day, self.today),
            date: date.human(),
            date_iso: date.iso(),
            verified: key == "verified",
        })
    }

    pub(super) fn author(&self, a: &'a RenderedAuthor) -> AuthorView<'a> {
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
            article_count: self.by_author.get(&author_key(&author.id)).map_or(0, Vec::len),
        }
    }
}

impl MetaView {
    /// The page's social image is `card`, when there is one.
    pub(super) fn with_card(mut self, card: Option<&CardRef>) -> MetaView {
        if let Some(card) = card {
            self.image = Some(card.url.clone());
            self.image_width = Some(crate::cards::WIDTH);
            self.image_height = Some(crate::cards::HEIGHT);
            self.image_alt = Some(card.alt.clone());
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_navigation_lists_the_ends_and_the_pages_around_the_current_one() {
        let shown = |current, total| shown_pages(current, total).collect::<Vec<_>>();
        assert_eq!(shown(1, 1), [1]);
        assert_eq!(shown(1, 3), [1, 2, 3]);
        assert_eq!(shown(1, 5000), [1, 2, 3, 4999, 5000]);
        assert_eq!(shown(2500, 5000), [1, 2, 2498, 2499, 2500, 2501, 2502, 4999, 5000]);
        assert_eq!(shown(5000, 5000), [1, 2, 4998, 4999, 5000]);
        assert_eq!(shown(5, 9), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }

    #[test]
    fn compact_navigation_shows_the_ends_and_the_neighbours_with_gaps() {
        let shown = |current, total| {
            compact_pages(current, total)
                .into_iter()
                .map(|n| n.map_or_else(|| "…".to_string(), |n| n.to_string()))
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(shown(1, 1), "1");
        assert_eq!(shown(1, 2), "1 2");
        assert_eq!(shown(1, 9), "1 2 … 9");
        assert_eq!(shown(2, 9), "1 2 3 … 9");
        assert_eq!(shown(3, 9), "1 2 3 4 … 9");
        assert_eq!(shown(4, 9), "1 2 3 4 5 … 9");
        assert_eq!(shown(5, 9), "1 … 4 5 6 … 9");
        assert_eq!(shown(7, 9), "1 … 6 7 8 9");
        assert_eq!(shown(9, 9), "1 … 8 9");
        assert_eq!(shown(3, 4), "1 2 3 4");
        assert_eq!(shown(2500, 5000), "1 … 2499 2500 2501 … 5000");
        assert!((1..=40).all(|c| compact_pages(c, 40).len() <= 7));
    }

    #[test]
    fn makes_initials() {
        assert_eq!(initials("Jane van Doe"), "JD");
        assert_eq!(initials("Plato"), "P");
        assert_eq!(initials("élodie roux"), "ÉR");
    }
}
