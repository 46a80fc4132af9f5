//! The typed views every template receives (documented in `docs/templates.md`): `site`
//! in every template, and one context per page kind.

use serde::Serialize;

use crate::markdown::render::TocEntry;

mod hubs;
pub use hubs::*;

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
    /// Whether the site has search (`search: false` in `site.yaml` turns it off): when
    /// not, there is no `search.json` nor index, and the theme shows no search box.
    pub search: bool,
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
    /// Absolute URL of the social preview image: the front matter's `image:`, else the
    /// page's social card, else the home page's.
    pub image: Option<String>,
    /// Pixel width of `image`, when known (a social card's).
    pub image_width: Option<u32>,
    /// Pixel height of `image`, when known.
    pub image_height: Option<u32>,
    /// What `image` shows, for `og:image:alt`.
    pub image_alt: Option<String>,
    /// JSON-LD for the page, safe inside `<script type="application/ld+json">`.
    pub json_ld: String,
    /// The page's own Atom feed (a tag's, a technology's), beside the site's.
    pub feed: Option<FeedLinkView>,
}

/// A feed to link with `<link rel="alternate" type="application/atom+xml">`.
#[derive(Debug, Serialize)]
pub struct FeedLinkView {
    /// Root-relative URL.
    pub url: String,
    /// Its title.
    pub title: String,
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
    /// Logo URL, from `contenders.yaml`.
    pub logo: Option<String>,
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

/// A row of an "At a glance" table: one fact of every contender.
#[derive(Debug, Clone, Serialize)]
pub struct FactRowView<'a> {
    /// The fact key (`first_release`).
    pub key: &'a str,
    /// Its label (`First release`): from `site.yaml` `facts:`, else from the key.
    pub label: String,
    /// One per contender, in the table's order.
    pub cells: Vec<FactCellView<'a>>,
}

/// A cell of an "At a glance" table.
#[derive(Debug, Clone, Serialize)]
pub struct FactCellView<'a> {
    /// Id of the contender of the column.
    pub contender: &'a str,
    /// The value; none when the contender lacks the fact.
    pub value: Option<FactValueView<'a>>,
}

/// A fact's value, ready to show.
#[derive(Debug, Clone, Serialize)]
pub struct FactValueView<'a> {
    /// `text`, `url`, `number`, `bool` or `list`.
    pub kind: &'static str,
    /// As plain text: `Yes`/`No` for a boolean, a list comma-separated, an address
    /// without `https://` and a trailing `/` (`go.dev`).
    pub text: String,
    /// The address, for a `url`.
    pub url: Option<&'a str>,
    /// The value as written: string, number, boolean or list of strings.
    pub value: serde_json::Value,
}

/// The notice of an article whose facts were last checked too long ago.
#[derive(Debug, Clone, Serialize)]
pub struct StaleView {
    /// How long ago, in words: `14 months` (days under a month, years from two).
    pub age: String,
    /// The day of the last check (`verified`, else `date`), human readable.
    pub date: String,
    /// The same day, `YYYY-MM-DD`.
    pub date_iso: String,
    /// Whether that day is the `verified` date (else the publication date).
    pub verified: bool,
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
    /// URL of the tag's Atom feed.
    pub feed_url: String,
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
    /// The "At a glance" table: one row per fact, one cell per contender; empty when
    /// no contender has facts.
    pub facts: Vec<FactRowView<'a>>,
    /// The stale-facts notice, when the facts are older than `stale_after_days` (and
    /// `stale_notice` is on).
    pub stale: Option<StaleView>,
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
    /// Every pair of technologies compared, as a table.
    pub matrix: MatrixView<'a>,
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
