//! The head-to-head matrix of the technologies index (`/compare/`): every pair of
//! technologies compared, from the records the hubs keep ([`Hub::head_to_head`]), which
//! are counted from the same reading of the callouts as each article's scorecard.

use std::collections::HashMap;

use crate::site::index::{HeadToHead, Hub};
use crate::site::views::{Views, plural};
use crate::templates::{HubLinkView, MatrixCellView, MatrixRowView, MatrixView};

impl<'a> Views<'a> {
    /// The matrix of `hubs`: rows and columns in the order of `hubs`.
    pub(super) fn matrix(&self, hubs: &'a [Hub]) -> MatrixView<'a> {
        let link = |hub: &'a Hub| self.hub_link(hub);
        let position: HashMap<&str, usize> =
            hubs.iter().enumerate().map(|(i, h)| (h.id.as_str(), i)).collect();
        let mut pairs = 0;
        let rows = hubs
            .iter()
            .enumerate()
            .map(|(row, hub)| {
                let mut cells: Vec<Option<MatrixCellView<'a>>> = vec![None; hubs.len()];
                for record in &hub.head_to_head {
                    let Some(&column) = position.get(record.opponent.as_str()) else { continue };
                    if row < column {
                        pairs += 1;
                    }
                    cells[column] =
                        Some(self.matrix_cell(hub, &hubs[column], record, link(&hubs[column])));
                }
                MatrixRowView { technology: link(hub), cells, position: row }
            })
            .collect();
        MatrixView { columns: hubs.iter().map(link).collect(), rows, pairs }
    }

    /// The cell of `hub`'s row in `opponent`'s column.
    fn matrix_cell(
        &self,
        hub: &'a Hub,
        opponent: &'a Hub,
        record: &'a HeadToHead,
        link: HubLinkView<'a>,
    ) -> MatrixCellView<'a> {
        let mut ids = [hub.id.as_str(), opponent.id.as_str()];
        ids.sort_unstable();
        let (outcome, leader) = match record.wins.cmp(&record.losses) {
            std::cmp::Ordering::Greater => ("ahead", Some(hub)),
            std::cmp::Ordering::Less => ("behind", Some(opponent)),
            std::cmp::Ordering::Equal => ("level", None),
        };
        let score = match leader {
            Some(l) if l.id == hub.id => {
                format!("{} leads {} {}–{}", hub.name, opponent.name, record.wins, record.losses)
            }
            Some(_) => {
                format!("{} leads {} {}–{}", opponent.name, hub.name, record.losses, record.wins)
            }
            None => format!(
                "{} and {} are level {}–{}",
                hub.name, opponent.name, record.wins, record.losses
            ),
        };
        let n = record.comparisons.len();
        let comparisons = self.article_links(&record.comparisons);
        let url = match comparisons.as_slice() {
            [one] => one.url.to_string(),
            _ => format!("{}#vs-{}", self.hub_url(&hub.id), opponent.id),
        };
        MatrixCellView {
            pair: ids.join(" "),
            opponent: link,
            wins: record.wins,
            losses: record.losses,
            draws: record.draws,
            outcome,
            leader: leader.map(|l| l.id.as_str()),
            comparisons,
            url,
            summary: format!("{score} in criteria won, over {n} comparison{}", plural(n)),
        }
    }
}
