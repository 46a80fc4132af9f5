//! Site-wide indexes built from the rendered articles: tags, technology hubs with their
//! records, and related comparisons. Every index is built in time linear in the
//! articles (times their contenders and tags), never by comparing all pairs.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use crate::content::catalog::Catalog;
use crate::content::facts::Facts;
use crate::markdown::callouts::{Outcome, Record};
use crate::site::outlines::{RenderedArticle, RenderedSite, hash_field as field};
use crate::slug::slugify;

/// One tag and its articles.
#[derive(Debug, Clone)]
pub struct TagIndex {
    /// The tag as first written.
    pub name: String,
    /// URL-safe form; tags meeting on one slug are one tag.
    pub slug: String,
    /// Indices into the articles, newest first.
    pub articles: Vec<usize>,
}

/// A contender's results against one opponent, over the articles comparing both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadToHead {
    /// Opponent id.
    pub opponent: String,
    /// Criteria where this contender won and the opponent did not.
    pub wins: usize,
    /// Criteria where the opponent won and this contender did not.
    pub losses: usize,
    /// Criteria both won, or neither.
    pub draws: usize,
    /// Articles comparing both.
    pub articles: usize,
    /// Indices of the articles comparing both, newest first.
    pub comparisons: Vec<usize>,
}

/// A technology's hub page.
#[derive(Debug, Clone)]
pub struct Hub {
    /// Site-wide id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Description HTML, from `contenders.yaml`.
    pub description: Option<String>,
    /// Official site.
    pub url: Option<String>,
    /// Logo path or URL.
    pub logo: Option<String>,
    /// The technology's own facts, from `contenders.yaml`.
    pub facts: Facts,
    /// Indices of the articles comparing it, newest first.
    pub articles: Vec<usize>,
    /// Overall record.
    pub record: Record,
    /// Against each opponent, most-compared first.
    pub head_to_head: Vec<HeadToHead>,
}

/// Everything the site-wide pages list.
#[derive(Debug, Clone, Default)]
pub struct SiteIndex {
    /// Tags, by slug.
    pub tags: Vec<TagIndex>,
    /// Technologies, by name.
    pub hubs: Vec<Hub>,
    /// For each article, the indices of its related articles.
    pub related: Vec<Vec<usize>>,
}

/// Most related comparisons shown per article.
const MAX_RELATED: usize = 5;

/// Builds the indexes of `articles` (newest first).
pub fn index_site(site: &RenderedSite, catalog: &Catalog) -> SiteIndex {
    let articles = &site.articles;
    let tags = index_tags(articles);
    let hubs = index_hubs(articles, catalog, &site.hub_descriptions);
    let related = related(articles, &tags, &hubs);
    SiteIndex { tags, hubs, related }
}

/// A hash of everything [`index_site`] reads: each article's tags, contenders (id, name,
/// site) and callouts (outcome, winners) (its [`RenderedArticle::index_hash`]), the
/// catalog and the hubs' descriptions. Two sites with one key have one index, so an
/// incremental session keeps the last.
pub fn index_key(site: &RenderedSite, catalog: &Catalog) -> u128 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for article in &site.articles {
        hasher.update(&article.index_hash.to_le_bytes());
    }
    field(&mut hasher, format!("{:?}", catalog.entries).as_bytes());
    let mut declared: Vec<_> = catalog.declared_names.iter().collect();
    declared.sort();
    field(&mut hasher, format!("{declared:?}").as_bytes());
    let mut descriptions: Vec<_> = site.hub_descriptions.iter().collect();
    descriptions.sort();
    field(&mut hasher, format!("{descriptions:?}").as_bytes());
    hasher.digest128()
}

fn index_tags(articles: &[RenderedArticle]) -> Vec<TagIndex> {
    let mut tags: BTreeMap<String, TagIndex> = BTreeMap::new();
    for (i, a) in articles.iter().enumerate() {
        for tag in &a.article.tags {
            let slug = slugify(tag);
            if slug.is_empty() {
                continue;
            }
            let entry = tags.entry(slug.clone()).or_insert_with(|| TagIndex {
                name: tag.clone(),
                slug,
                articles: Vec::new(),
            });
            if entry.articles.last() != Some(&i) {
                entry.articles.push(i);
            }
        }
    }
    tags.into_values().collect()
}

fn index_hubs(
    articles: &[RenderedArticle],
    catalog: &Catalog,
    descriptions: &HashMap<String, String>,
) -> Vec<Hub> {
    let mut hubs: HashMap<&str, Hub> = HashMap::new();
    let mut h2h: HashMap<(&str, &str), HeadToHead> = HashMap::new();
    for (i, a) in articles.iter().enumerate() {
        let contenders = &a.article.contenders;
        for (ci, c) in contenders.iter().enumerate() {
            let hub = hubs.entry(c.id.as_str()).or_insert_with(|| Hub {
                id: c.id.clone(),
                // Articles are newest first: the newest spelling names the hub.
                name: c.name.clone(),
                description: None,
                url: c.url.clone(),
                logo: None,
                facts: Facts::default(),
                articles: Vec::new(),
                record: Record::default(),
                head_to_head: Vec::new(),
            });
            hub.articles.push(i);
            for callout in &a.body.callouts {
                let won = callout.winners.contains(&ci);
                match (callout.outcome, won) {
                    (Outcome::Win, true) => hub.record.won += 1,
                    (Outcome::Split, true) => hub.record.split += 1,
                    (Outcome::Tie, _) => hub.record.tied += 1,
                    (_, false) => hub.record.lost += 1,
                }
            }
            for (oi, o) in contenders.iter().enumerate() {
                if oi == ci {
                    continue;
                }
                let entry =
                    h2h.entry((c.id.as_str(), o.id.as_str())).or_insert_with(|| HeadToHead {
                        opponent: o.id.clone(),
                        wins: 0,
                        losses: 0,
                        draws: 0,
                        articles: 0,
                        comparisons: Vec::new(),
                    });
                entry.articles += 1;
                entry.comparisons.push(i);
                for callout in &a.body.callouts {
                    match (callout.winners.contains(&ci), callout.winners.contains(&oi)) {
                        (true, false) => entry.wins += 1,
                        (false, true) => entry.losses += 1,
                        _ => entry.draws += 1,
                    }
                }
            }
        }
    }
    for ((id, _), record) in h2h {
        if let Some(hub) = hubs.get_mut(id) {
            hub.head_to_head.push(record);
        }
    }
    let mut hubs: Vec<Hub> = hubs.into_values().collect();
    for hub in &mut hubs {
        hub.head_to_head
            .sort_by(|a, b| b.articles.cmp(&a.articles).then_with(|| a.opponent.cmp(&b.opponent)));
        if let Some(entry) = catalog.get(&hub.id) {
            hub.name = entry.name.clone();
            hub.url = entry.url.clone().or(hub.url.take());
            hub.logo = entry.logo.clone();
            hub.facts = entry.facts.clone();
            hub.description = descriptions.get(&hub.id).cloned();
        } else if let Some(name) = catalog.declared_names.get(&hub.id) {
            hub.name = name.clone();
        }
    }
    hubs.sort_by(|a, b| {
        a.name.to_lowercase().cmp(&b.name.to_lowercase()).then_with(|| a.id.cmp(&b.id))
    });
    hubs
}

/// Related comparisons: most shared contenders first, then most shared tags, then newest;
/// only articles that share a contender or a tag, never unrelated ones.
fn related(articles: &[RenderedArticle], tags: &[TagIndex], hubs: &[Hub]) -> Vec<Vec<usize>> {
    let by_contender: HashMap<&str, &[usize]> =
        hubs.iter().map(|h| (h.id.as_str(), h.articles.as_slice())).collect();
    let by_tag: HashMap<&str, &[usize]> =
        tags.iter().map(|t| (t.slug.as_str(), t.articles.as_slice())).collect();
    // Candidates come from the newest articles sharing a contender or a tag. Scanning
    // every article of a popular technology would make this quadratic in the site; these
    // caps keep it linear, and are exact on sites with fewer articles per contender.
    const CONTENDER_FANOUT: usize = 500;
    const TAG_FANOUT: usize = 200;
    articles
        .par_iter()
        .enumerate()
        .map_init(
            // Per-thread scratch: scores indexed by article, and which entries were touched.
            || (vec![(0u32, 0u32); articles.len()], Vec::new()),
            |(scores, touched), (i, a)| {
                let mut add = |j: usize, contender: bool| {
                    if j == i {
                        return;
                    }
                    let score = &mut scores[j];
                    if *score == (0, 0) {
                        touched.push(j);
                    }
                    if contender {
                        score.0 += 1;
                    } else {
                        score.1 += 1;
                    }
                };
                for c in &a.article.contenders {
                    let list = by_contender.get(c.id.as_str()).copied().unwrap_or_default();
                    list.iter().take(CONTENDER_FANOUT).for_each(|&j| add(j, true));
                }
                for tag in &a.article.tags {
                    let list = by_tag.get(slugify(tag).as_str()).copied().unwrap_or_default();
                    list.iter().take(TAG_FANOUT).for_each(|&j| add(j, false));
                }
                // Most shared contenders, then most shared tags, then newest (lowest index).
                let mut ranked: Vec<((u32, u32), usize)> =
                    touched.iter().map(|&j| (scores[j], j)).collect();
                for &j in touched.iter() {
                    scores[j] = (0, 0);
                }
                touched.clear();
                let best = MAX_RELATED.min(ranked.len());
                if best > 0 {
                    ranked
                        .select_nth_unstable_by(best - 1, |a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
                }
                ranked.truncate(best);
                ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
                // Only articles that share something: no unrelated padding.
                ranked.iter().map(|&(_, j)| j).collect()
            },
        )
        .collect()
}
