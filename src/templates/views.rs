//! The typed views every template receives (documented in `docs/templates.md`): `site`
//! in every template, and one context per page kind.

use serde::Serialize;

use crate::markdown::callouts::Record;
use crate::markdown::render::TocEntry;

/// `site` in every template.
#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    /// Site name.
    pub title: &'a str,
    /// Site description.
    pub description: &'a str,
    /// `<html lang>`.
    pub language: &'a str,
    /// Absolute root URL, ending in `/`.
    pub base_url: &'a str,
    /// Root-relative home URL.
    pub url: &'a str,
    /// Authors list URL.
    pub authors_url: String,
    /// Theme stylesheet URL.
    pub stylesheet_url: String,
    /// Code stylesheet URL.
    pub syntax_css_url: String,
    /// Favicon URL.
    pub favicon_url: String,
    /// Tags index URL.
    pub tags_url: String,
    /// Technologies index URL.
    pub compare_url: String,
    /// Atom feed URL.
    pub feed_url: String,
    /// URL of `search.json`, every article's title, contenders, tags and headings.
    pub search_url: String,
    /// URL of the folder of the full-text search index (`search/`), ending in `/`.
    pub search_bundle_url: String,
    /// Search script URL.
    pub search_script_url: String,
    /// `extra` from site.yaml.
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
    /// `verdict <version>`.
    pub generator: String,
}

/// `meta` in every template: what the page is, for `<head>`.
#[derive(Debug, Serialize)]
pub struct MetaView {
    /// The page's own title.
    pub title: String,
    /// Meta description.
    pub description: String,
    /// Root-relative URL.
    pub url: String,
    /// Absolute URL of the page, for `<link rel="canonical">` and `og:url`; none on the
    /// 404 page, which is served at every missing address.
    pub canonical: Option<String>,
    /// `<meta name="robots">` content: `noindex` on the 404 page, else none.
    pub robots: Option<&'static str>,
    /// `home`, `article`, `page`, `authors`, `author`, `tags`, `tag`, `contenders`,
    /// `contender` or `404`.
    pub kind: &'static str,
    /// OpenGraph type: `article` or `website`.
    pub og_type: &'static str,
    /// Absolute URL of the social preview image.
    pub image: Option<String>,
    /// JSON-LD for the page, safe inside `<script type="application/ld+json">`.
    pub json_ld: String,
}

/// A contender in a view.
#[derive(Debug, Clone, Serialize)]
pub struct ContenderView<'a> {
    /// Id.
    pub id: &'a str,
    /// Name.
    pub name: &'a str,
    /// Version compared.
    pub version: Option<&'a str>,
    /// Official site.
    pub url: Option<&'a str>,
    /// Strengths.
    pub pros: &'a [String],
    /// Weaknesses.
    pub cons: &'a [String],
    /// Criteria won.
    pub wins: usize,
    /// The technology's hub page.
    pub hub_url: String,
    /// 1-based position in the article's contenders (for per-contender colours).
    pub position: usize,
}

/// A tag in a view.
#[derive(Debug, Clone, Serialize)]
pub struct TagView<'a> {
    /// As written.
    pub name: &'a str,
    /// URL-safe.
    pub slug: String,
    /// The tag's page.
    pub url: String,
}

/// A tag on the tags pages.
#[derive(Debug, Clone, Serialize)]
pub struct TagListView<'a> {
    /// As first written.
    pub name: &'a str,
    /// URL-safe.
    pub slug: &'a str,
    /// The tag's page.
    pub url: String,
    /// Articles with the tag.
    pub count: usize,
}

/// A technology on the compare index.
#[derive(Debug, Clone, Serialize)]
pub struct HubSummaryView<'a> {
    /// Id.
    pub id: &'a str,
    /// Name.
    pub name: &'a str,
    /// Hub page URL.
    pub url: String,
    /// Comparisons including it.
    pub count: usize,
    /// Criteria won, lost, split, tied.
    pub record: Record,
}

/// A technology's hub page.
#[derive(Debug, Clone, Serialize)]
pub struct HubView<'a> {
    /// Id.
    pub id: &'a str,
    /// Name.
    pub name: &'a str,
    /// Hub page URL.
    pub url: String,
    /// Official site.
    pub website: Option<&'a str>,
    /// Logo URL.
    pub logo: Option<String>,
    /// Description HTML from contenders.yaml.
    pub description: Option<&'a str>,
    /// Comparisons including it.
    pub count: usize,
    /// Criteria won, lost, split, tied over all its comparisons.
    pub record: Record,
    /// Against each opponent.
    pub head_to_head: Vec<HeadToHeadView<'a>>,
}

/// A hub's results against one opponent.
#[derive(Debug, Clone, Serialize)]
pub struct HeadToHeadView<'a> {
    /// The opponent (`id`, `name`, `url` of its hub).
    pub opponent: HubLinkView<'a>,
    /// Criteria won against it.
    pub wins: usize,
    /// Criteria lost to it.
    pub losses: usize,
    /// Criteria shared or tied.
    pub draws: usize,
    /// Articles comparing both.
    pub articles: usize,
    /// "Python vs Node.js: 4–3 over 2 articles".
    pub summary: String,
}

/// A link to a hub.
#[derive(Debug, Clone, Serialize)]
pub struct HubLinkView<'a> {
    /// Id.
    pub id: &'a str,
    /// Name.
    pub name: &'a str,
    /// Hub page URL.
    pub url: String,
}

/// A short author reference.
#[derive(Debug, Clone, Serialize)]
pub struct AuthorRef<'a> {
    /// Id.
    pub id: &'a str,
    /// Name.
    pub name: &'a str,
    /// Author page URL.
    pub url: String,
}

/// One tally entry.
#[derive(Debug, Clone, Serialize)]
pub struct TallyView<'a> {
    /// Contender id.
    pub id: &'a str,
    /// Contender name.
    pub name: &'a str,
    /// Criteria won (splits count for each winner).
    pub wins: usize,
    /// How many of those wins were shared (splits).
    pub shared: usize,
    /// Share of the decided criteria, 0–100, rounded to the nearest.
    pub percent: usize,
    /// 1-based position in the article's contenders.
    pub position: usize,
}

/// An article in lists; on the article page itself `A` is the full [`AuthorView`].
#[derive(Debug, Clone, Serialize)]
pub struct SummaryView<'a, A = AuthorRef<'a>> {
    /// Title.
    pub title: &'a str,
    /// Description.
    pub description: &'a str,
    /// Root-relative URL.
    pub url: &'a str,
    /// Absolute URL.
    pub permalink: &'a str,
    /// Human date.
    pub date: String,
    /// `YYYY-MM-DD`.
    pub date_iso: String,
    /// Human update date.
    pub updated: Option<String>,
    /// Update `YYYY-MM-DD`.
    pub updated_iso: Option<String>,
    /// Minutes to read.
    pub reading_minutes: usize,
    /// Words of prose.
    pub word_count: usize,
    /// Author.
    pub author: A,
    /// Contenders.
    pub contenders: Vec<ContenderView<'a>>,
    /// Tags.
    pub tags: Vec<TagView<'a>>,
    /// Wins per contender.
    pub tally: Vec<TallyView<'a>>,
    /// Whether the article is a draft.
    pub draft: bool,
}

/// A scorecard row.
#[derive(Debug, Clone, Serialize)]
pub struct ScoreRowView<'a> {
    /// Criterion name.
    pub criterion: &'a str,
    /// Heading id.
    pub anchor: Option<&'a str>,
    /// `win`, `split` or `tie`.
    pub outcome: &'static str,
    /// Winners.
    pub winners: Vec<NameView<'a>>,
    /// Callout text, HTML.
    pub summary: &'a str,
    /// The callout's first sentence, plain text: what a tie says (`Depends on the team.`).
    pub note: String,
}

/// A contender named by a callout.
#[derive(Debug, Clone, Serialize)]
pub struct NameView<'a> {
    /// Id.
    pub id: &'a str,
    /// Name.
    pub name: &'a str,
    /// 1-based position in the article's contenders.
    pub position: usize,
    /// Criteria won in the article.
    pub wins: usize,
    /// How many of those wins were shared (splits).
    pub shared: usize,
}

/// The scorecard of an article.
#[derive(Debug, Clone, Serialize)]
pub struct ScorecardView<'a> {
    /// One row per callout.
    pub rows: Vec<ScoreRowView<'a>>,
    /// Wins per contender.
    pub tally: Vec<TallyView<'a>>,
    /// The contender with most wins, if one leads alone.
    pub leader: Option<NameView<'a>>,
    /// Criteria with at least one winner (what `percent` is a share of).
    pub decided: usize,
}

/// A "Choose X if" block.
#[derive(Debug, Clone, Serialize)]
pub struct ChooseIfView<'a> {
    /// Contender id.
    pub id: &'a str,
    /// Contender name.
    pub name: &'a str,
    /// HTML reasons.
    pub reasons: &'a [String],
    /// 1-based position in the article's contenders.
    pub position: usize,
    /// Id of the block in the body, when the writer placed it there (a paragraph
    /// `Choose Rust if:`); none when it is shown in the quick verdict only.
    pub anchor: Option<&'a str>,
}

/// An author, whole.
#[derive(Debug, Clone, Serialize)]
pub struct AuthorView<'a> {
    /// Id.
    pub id: &'a str,
    /// Name.
    pub name: &'a str,
    /// Role.
    pub role: Option<&'a str>,
    /// Avatar URL.
    pub avatar: Option<String>,
    /// Placeholder initials.
    pub initials: String,
    /// Links.
    pub links: Vec<LinkView<'a>>,
    /// Bio, HTML.
    pub bio: &'a str,
    /// Author page URL.
    pub url: String,
    /// Absolute author page URL.
    pub permalink: String,
    /// Published articles.
    pub article_count: usize,
}

/// A labelled link.
#[derive(Debug, Clone, Serialize)]
pub struct LinkView<'a> {
    /// Label (`GitHub`).
    pub label: String,
    /// URL.
    pub url: &'a str,
}

/// An article, whole.
#[derive(Debug, Serialize)]
pub struct ArticleView<'a> {
    /// The summary fields.
    #[serde(flatten)]
    pub summary: SummaryView<'a, AuthorView<'a>>,
    /// Body HTML.
    pub content: String,
    /// The front matter's `description`, shown under the title; none when the
    /// description is taken from the first paragraph, which the body shows already.
    pub lede: Option<&'a str>,
    /// Table of contents.
    pub toc: &'a [TocEntry],
    /// Scorecard.
    pub scorecard: ScorecardView<'a>,
    /// Choose-if blocks.
    pub choose_if: Vec<ChooseIfView<'a>>,
    /// Social image URL.
    pub image: Option<String>,
    /// Human verified date.
    pub verified: Option<String>,
    /// Verified `YYYY-MM-DD`.
    pub verified_iso: Option<String>,
    /// Free-form data.
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
    /// Related comparisons.
    pub related: Vec<SummaryView<'a>>,
}

/// A standalone page.
#[derive(Debug, Serialize)]
pub struct PageView<'a> {
    /// Title.
    pub title: &'a str,
    /// Description.
    pub description: &'a str,
    /// Root-relative URL.
    pub url: &'a str,
    /// Absolute URL.
    pub permalink: &'a str,
    /// Body HTML.
    pub content: &'a str,
    /// Table of contents.
    pub toc: &'a [TocEntry],
    /// Free-form data.
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
}

/// Pagination of the home page.
#[derive(Debug, Serialize)]
pub struct PaginationView {
    /// Current page, from 1.
    pub current: usize,
    /// Number of pages.
    pub total: usize,
    /// Previous page URL.
    pub previous: Option<String>,
    /// Next page URL.
    pub next: Option<String>,
    /// The pages a navigation links to: the first two, the last two and the five
    /// around the current one.
    pub pages: Vec<PageLinkView>,
    /// A compact navigation, short enough for a phone: the first page, the last, the
    /// current one and its neighbours, with gaps (items without a number) between.
    pub compact: Vec<PageItemView>,
}

/// An item of a compact page navigation: a page, or a gap of skipped pages.
#[derive(Debug, Serialize)]
pub struct PageItemView {
    /// Page number; none for a gap.
    pub number: Option<usize>,
    /// URL; none for a gap.
    pub url: Option<String>,
    /// Whether this is the current page.
    pub current: bool,
}

/// One page in pagination.
#[derive(Debug, Serialize)]
pub struct PageLinkView {
    /// Page number.
    pub number: usize,
    /// URL.
    pub url: String,
    /// Whether this is the current page.
    pub current: bool,
}

/// Context of `index.html`.
#[derive(Debug, Serialize)]
pub struct IndexContext<'a> {
    /// Page meta.
    pub meta: MetaView,
    /// This page's articles.
    pub articles: Vec<SummaryView<'a>>,
    /// Pagination.
    pub pagination: PaginationView,
}

/// Context of `article.html`.
#[derive(Debug, Serialize)]
pub struct ArticleContext<'a> {
    /// Page meta.
    pub meta: MetaView,
    /// The article.
    pub article: ArticleView<'a>,
}

/// Context of `page.html`.
#[derive(Debug, Serialize)]
pub struct PageContext<'a> {
    /// Page meta.
    pub meta: MetaView,
    /// The page.
    pub page: PageView<'a>,
}

/// Context of `authors.html`.
#[derive(Debug, Serialize)]
pub struct AuthorsContext<'a> {
    /// Page meta.
    pub meta: MetaView,
    /// Every author.
    pub authors: Vec<AuthorView<'a>>,
}

/// Context of `author.html`.
#[derive(Debug, Serialize)]
pub struct AuthorContext<'a> {
    /// Page meta.
    pub meta: MetaView,
    /// The author.
    pub author: AuthorView<'a>,
    /// Their articles, newest first.
    pub articles: Vec<SummaryView<'a>>,
}

/// Context of `tags.html`.
#[derive(Debug, Serialize)]
pub struct TagsContext<'a> {
    /// Page meta.
    pub meta: MetaView,
    /// Every tag.
    pub tags: Vec<TagListView<'a>>,
}

/// Context of `tag.html`.
#[derive(Debug, Serialize)]
pub struct TagContext<'a> {
    /// Page meta.
    pub meta: MetaView,
    /// The tag.
    pub tag: TagListView<'a>,
    /// This page's articles.
    pub articles: Vec<SummaryView<'a>>,
    /// Pagination.
    pub pagination: PaginationView,
}

/// Context of `contenders.html`.
#[derive(Debug, Serialize)]
pub struct HubsContext<'a> {
    /// Page meta.
    pub meta: MetaView,
    /// Every technology.
    pub contenders: Vec<HubSummaryView<'a>>,
}

/// Context of `contender.html`.
#[derive(Debug, Serialize)]
pub struct HubContext<'a> {
    /// Page meta.
    pub meta: MetaView,
    /// The technology.
    pub contender: HubView<'a>,
    /// Comparisons including it, newest first.
    pub articles: Vec<SummaryView<'a>>,
}

/// Context of `404.html`.
#[derive(Debug, Serialize)]
pub struct NotFoundContext {
    /// Page meta.
    pub meta: MetaView,
}
