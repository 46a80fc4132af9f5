//! The views of the technologies index and of a hub page: records, head to head and the
//! matrix.

use serde::Serialize;

use crate::markdown::callouts::Record;

use super::FactRowView;

/// A technology on the compare index.
#[derive(Debug, Clone, Serialize)]
pub struct HubSummaryView<'a> {
    /// Id.
    pub id: &'a str,
    /// Name.
    pub name: &'a str,
    /// Hub page URL.
    pub url: String,
    /// Logo URL, from `contenders.yaml`.
    pub logo: Option<String>,
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
    /// The technology's own facts (from contenders.yaml), one cell per row.
    pub facts: Vec<FactRowView<'a>>,
    /// URL of the technology's Atom feed.
    pub feed_url: String,
}

/// A hub's results against one opponent.
#[derive(Debug, Clone, Serialize)]
pub struct HeadToHeadView<'a> {
    /// The opponent (`id`, `name`, `url` of its hub, `logo`).
    pub opponent: HubLinkView<'a>,
    /// Criteria won against it.
    pub wins: usize,
    /// Criteria lost to it.
    pub losses: usize,
    /// Criteria shared or tied.
    pub draws: usize,
    /// Articles comparing both.
    pub articles: usize,
    /// The articles comparing both, newest first.
    pub comparisons: Vec<ArticleLinkView<'a>>,
    /// "Python vs Node.js: 4–3 over 2 articles".
    pub summary: String,
}

/// A link to an article: its title and URL.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleLinkView<'a> {
    /// Title.
    pub title: &'a str,
    /// Root-relative URL.
    pub url: &'a str,
}

/// The head-to-head matrix of the technologies index: one row and one column per
/// technology, in the order of `contenders`.
#[derive(Debug, Clone, Serialize)]
pub struct MatrixView<'a> {
    /// The columns' technologies.
    pub columns: Vec<HubLinkView<'a>>,
    /// One row per technology.
    pub rows: Vec<MatrixRowView<'a>>,
    /// Pairs of technologies compared at least once.
    pub pairs: usize,
}

/// A row of the matrix: one technology against every column.
#[derive(Debug, Clone, Serialize)]
pub struct MatrixRowView<'a> {
    /// The row's technology.
    pub technology: HubLinkView<'a>,
    /// One cell per column, in order: none where the two were never compared, and on
    /// the diagonal (`position`).
    pub cells: Vec<Option<MatrixCellView<'a>>>,
    /// 0-based index of the row, and of its own column.
    pub position: usize,
}

/// A pair compared, from the row technology's side.
#[derive(Debug, Clone, Serialize)]
pub struct MatrixCellView<'a> {
    /// Both ids, sorted, space-separated (`go rust`).
    pub pair: String,
    /// The column's technology.
    pub opponent: HubLinkView<'a>,
    /// Criteria the row technology won and the column's did not.
    pub wins: usize,
    /// Criteria the column technology won and the row's did not.
    pub losses: usize,
    /// Criteria both won, or neither.
    pub draws: usize,
    /// `ahead`, `behind` or `level`, for the row technology.
    pub outcome: &'static str,
    /// Id of the technology with more criteria won; none when level.
    pub leader: Option<&'a str>,
    /// The articles comparing both, newest first.
    pub comparisons: Vec<ArticleLinkView<'a>>,
    /// Where the cell links: the comparison when there is one, else the row
    /// technology's hub at its head-to-head row for the column's (which lists them all).
    pub url: String,
    /// "Rust leads Go 4–2 in criteria won, over 2 comparisons".
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
    /// Logo URL, from `contenders.yaml`.
    pub logo: Option<String>,
}
