//! The "At a glance" tables: contenders' facts as rows of the keys `site.yaml` lists
//! first (in its order, with its labels), then the others in the order first written.

use std::collections::HashSet;

use crate::config::FactLabel;
use crate::content::facts::{Facts, label_from_key};
use crate::templates::{FactCellView, FactRowView, FactValueView};

/// The rows of a table whose columns are `columns` (contender id and facts): one per
/// key any of them has.
pub(super) fn fact_rows<'a>(
    columns: &[(&'a str, &'a Facts)],
    labels: &'a [FactLabel],
) -> Vec<FactRowView<'a>> {
    if columns.iter().all(|(_, facts)| facts.is_empty()) {
        return Vec::new();
    }
    let mut keys: Vec<&'a str> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for (_, facts) in columns {
        for (key, _) in &facts.0 {
            if seen.insert(key) {
                keys.push(key);
            }
        }
    }
    let listed = labels.iter().filter(|l| seen.contains(l.key.as_str()));
    let mut rows: Vec<FactRowView<'a>> =
        listed.map(|l| row(columns, &l.key, l.label.clone())).collect();
    let listed: HashSet<&str> = labels.iter().map(|l| l.key.as_str()).collect();
    for key in keys.into_iter().filter(|k| !listed.contains(k)) {
        rows.push(row(columns, key, label_from_key(key)));
    }
    rows
}

fn row<'a>(columns: &[(&'a str, &'a Facts)], key: &'a str, label: String) -> FactRowView<'a> {
    FactRowView {
        key,
        label,
        cells: columns
            .iter()
            .map(|&(contender, facts)| FactCellView {
                contender,
                value: facts.get(key).map(|v| FactValueView {
                    kind: v.kind(),
                    text: v.url().map_or_else(|| v.text(), shown_address),
                    url: v.url(),
                    value: v.json(),
                }),
            })
            .collect(),
    }
}

/// An address as a link shows it: without `https://` and a trailing `/`.
fn shown_address(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.strip_suffix('/').unwrap_or(rest).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::facts::FactValue;

    fn facts(pairs: &[(&str, &str)]) -> Facts {
        Facts(pairs.iter().map(|(k, v)| (k.to_string(), FactValue::Text(v.to_string()))).collect())
    }

    #[test]
    fn lists_configured_keys_first_then_the_others_in_written_order() {
        let go = facts(&[("typing", "static"), ("license", "BSD"), ("gc", "yes")]);
        let rust = facts(&[("license", "MIT"), ("edition", "2024")]);
        let labels = vec![
            FactLabel { key: "license".into(), label: "Licence".into(), line: 1 },
            FactLabel { key: "unused".into(), label: "Unused".into(), line: 2 },
        ];
        let rows = fact_rows(&[("go", &go), ("rust", &rust)], &labels);
        let shown: Vec<(&str, &str)> = rows.iter().map(|r| (r.key, r.label.as_str())).collect();
        assert_eq!(
            shown,
            [("license", "Licence"), ("typing", "Typing"), ("gc", "Gc"), ("edition", "Edition")]
        );
        assert!(rows[1].cells[1].value.is_none(), "Rust has no typing fact");
        assert_eq!(rows[0].cells[1].contender, "rust");
        assert!(fact_rows(&[("a", &Facts::default())], &labels).is_empty());
    }
}
