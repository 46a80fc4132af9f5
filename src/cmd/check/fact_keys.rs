//! A key that `site.yaml` `facts:` lists but that no contender gives: a typo, or a fact
//! the site no longer records. It shows in no table, so `check` names it.

use std::collections::HashSet;
use std::path::Path;

use crate::config::SiteConfig;
use crate::content::catalog::{CATALOG_FILE, Catalog};
use crate::error::{Diagnostic, did_you_mean};
use crate::files::read_site_file;
use crate::site::outlines::RenderedSite;

/// One warning per key of `facts:` that neither `contenders.yaml` nor an article's
/// contenders give.
pub(super) fn unused_fact_key_warnings(
    root: &Path,
    config: &SiteConfig,
    site: &RenderedSite,
    warnings: &mut Vec<Diagnostic>,
) {
    if config.facts.is_empty() {
        return;
    }
    let catalog = std::fs::symlink_metadata(root.join(CATALOG_FILE))
        .ok()
        .and_then(|_| read_site_file(root, Path::new(CATALOG_FILE)).ok())
        .and_then(|text| Catalog::parse(&text).ok())
        .unwrap_or_default();
    let mut given: HashSet<&str> = HashSet::new();
    for entry in &catalog.entries {
        given.extend(entry.facts.0.iter().map(|(k, _)| k.as_str()));
    }
    for a in &site.articles {
        for c in &a.article.contenders {
            given.extend(c.facts.0.iter().map(|(k, _)| k.as_str()));
        }
    }
    for label in config.facts.iter().filter(|l| !given.contains(l.key.as_str())) {
        let hint = match did_you_mean(&label.key, given.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!(
                "give a contender `{}` in its `facts:` (in `{CATALOG_FILE}` or an article), or remove the key",
                label.key
            ),
        };
        warnings.push(
            Diagnostic::warning(
                &config.file,
                format!(
                    "the fact `{}` listed in `facts` is given by no contender: no table shows it",
                    label.key
                ),
            )
            .at(label.line, 1)
            .hint(hint),
        );
    }
}
