//! `/verdicts.json`: every article's contenders, criteria, winners and tally, and every
//! technology's record, as data for widgets and dashboards (schema:
//! `docs/verdicts-json.md`). Escaped like the JSON-LD, so it can be inlined in a page.

use std::fmt::Write as _;

use serde::Serialize;
use serde::ser::SerializeMap;

use crate::config::SiteConfig;
use crate::content::facts::Facts;
use crate::markdown::callouts::Record;
use crate::site::index::SiteIndex;
use crate::site::json_ld::escaped_json;
use crate::site::outlines::{RenderedArticle, RenderedSite};
use crate::site::parts::{self, FileOfParts, Parts};
use crate::urls::Urls;

/// The version of the schema, raised when a field changes meaning or goes away.
const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct SiteData<'a> {
    title: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct ArticleData<'a> {
    url: &'a str,
    title: &'a str,
    date: String,
    updated: Option<String>,
    verified: Option<String>,
    author: &'a str,
    tags: &'a [String],
    draft: bool,
    contenders: Vec<ContenderData<'a>>,
    criteria: Vec<CriterionData<'a>>,
    tally: Vec<TallyData<'a>>,
    leader: Option<&'a str>,
}

#[derive(Serialize)]
struct ContenderData<'a> {
    id: &'a str,
    name: &'a str,
    version: Option<&'a str>,
    facts: FactsData<'a>,
}

#[derive(Serialize)]
struct CriterionData<'a> {
    criterion: &'a str,
    url: Option<String>,
    outcome: &'static str,
    winners: Vec<&'a str>,
    text: &'a str,
}

#[derive(Serialize)]
struct TallyData<'a> {
    id: &'a str,
    wins: usize,
    shared: usize,
}

#[derive(Serialize)]
struct TechnologyData<'a> {
    id: &'a str,
    name: &'a str,
    url: String,
    website: Option<&'a str>,
    comparisons: usize,
    record: Record,
    facts: FactsData<'a>,
}

/// Facts as a JSON object in the order written (`serde_json`'s map would sort them).
struct FactsData<'a>(&'a Facts);

impl Serialize for FactsData<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.0.len()))?;
        for (key, value) in &self.0.0 {
            map.serialize_entry(key, &value.json())?;
        }
        map.end()
    }
}

/// The text of `/verdicts.json`, as pieces to write one after the other: articles
/// newest first, technologies by name. Each article's part is made in parallel (or kept
/// from an incremental session's last build, by its digest, when `kept` has it, and then
/// the file is known by what it is made from before it is made); see
/// `parts::json_array_of`.
pub(crate) fn verdicts_json<'a>(
    config: &SiteConfig,
    site: &'a RenderedSite,
    index: &SiteIndex,
    urls: &Urls,
    kept: Option<(&'a Parts, &[u128])>,
) -> FileOfParts<'a> {
    // An article's digest covers all its part shows but its contenders' facts.
    let kept = kept.map(|(store, digests)| {
        let keys = site
            .articles
            .iter()
            .zip(digests)
            .map(|(a, digest)| parts::key("verdicts.json", &[*digest, a.digests.facts]));
        (store, keys.collect())
    });
    let technologies: Vec<TechnologyData> = index
        .hubs
        .iter()
        .map(|h| TechnologyData {
            id: &h.id,
            name: &h.name,
            url: urls.permalink(&format!("compare/{}/", h.id)),
            website: h.url.as_deref(),
            comparisons: h.articles.len(),
            record: h.record,
            facts: FactsData(&h.facts),
        })
        .collect();
    // The top-level fields in the schema's order, around the articles' parts.
    let head_fields = [
        ("version", escaped_json(&SCHEMA_VERSION)),
        ("generator", escaped_json(&format!("verdict {}", env!("CARGO_PKG_VERSION")))),
        ("site", escaped_json(&SiteData { title: &config.title, url: &config.base_url })),
    ];
    let mut head = String::new();
    for (i, (key, value)) in head_fields.iter().enumerate() {
        let _ = write!(head, "{}\"{key}\":{value}", if i == 0 { '{' } else { ',' });
    }
    head.push_str(",\"articles\":");
    let tail = format!(",\"technologies\":{}}}", escaped_json(&technologies));
    let article = move |i: usize| escaped_json(&article_data(&site.articles[i]));
    parts::json_array_of(kept, site.articles.len(), article, head, tail)
}

/// What `/verdicts.json` says of article `a`.
fn article_data(a: &RenderedArticle) -> ArticleData<'_> {
    let article = &a.article;
    let contenders = &article.contenders;
    let best = a.wins.iter().copied().max().unwrap_or(0);
    let leaders: Vec<usize> =
        (0..a.wins.len()).filter(|&i| best > 0 && a.wins[i] == best).collect();
    ArticleData {
        url: &a.permalink,
        title: &article.title,
        date: article.date.iso(),
        updated: article.updated.map(|d| d.iso()),
        verified: article.verified.map(|d| d.iso()),
        author: &article.author,
        tags: &article.tags,
        draft: article.draft,
        contenders: contenders
            .iter()
            .map(|c| ContenderData {
                id: &c.id,
                name: &c.name,
                version: c.version.as_deref(),
                facts: FactsData(&c.facts),
            })
            .collect(),
        criteria: a
            .body
            .callouts
            .iter()
            .map(|c| CriterionData {
                criterion: &c.criterion,
                url: c.anchor.as_ref().map(|anchor| format!("{}#{anchor}", a.permalink)),
                outcome: c.outcome.as_str(),
                winners: c.winners.iter().map(|&w| contenders[w].id.as_str()).collect(),
                text: &c.text,
            })
            .collect(),
        tally: contenders
            .iter()
            .enumerate()
            .map(|(i, c)| TallyData { id: &c.id, wins: a.wins[i], shared: a.shared[i] })
            .collect(),
        leader: match leaders.as_slice() {
            [one] => Some(contenders[*one].id.as_str()),
            _ => None,
        },
    }
}
