//! Page fingerprints: by output path, a hash of everything the page was made from, so
//! that a build can keep a page whose fingerprint did not change.

use std::collections::HashMap;
use std::path::Path;

/// Fingerprints of the pages of the last build, by output path: a hash of everything a
/// page was made from.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PageFingerprints {
    pages: HashMap<String, u128>,
}

impl PageFingerprints {
    /// The fingerprint the page at `rel` had.
    pub fn get(&self, rel: &str) -> Option<u128> {
        self.pages.get(rel).copied()
    }

    /// How many pages have a fingerprint.
    pub fn len(&self) -> usize {
        self.pages.len()
    }

    /// Whether no page has one.
    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }

    /// Reads fingerprints saved by [`save`](Self::save); anything unreadable or from
    /// another version gives none, so every page is rendered.
    pub fn load(path: &Path, output: &Path) -> PageFingerprints {
        let mut pages = HashMap::new();
        if let Ok(text) = std::fs::read_to_string(path) {
            let mut lines = text.lines();
            if lines.next() == Some(pages_header(output).trim_end()) {
                for line in lines {
                    let Some((hash, rel)) = line.split_once('\t') else { break };
                    let Ok(hash) = u128::from_str_radix(hash, 16) else { break };
                    pages.insert(rel.to_string(), hash);
                }
            }
        }
        PageFingerprints { pages }
    }

    /// Writes the fingerprints (aside, then renamed).
    pub fn save(&self, path: &Path, output: &Path) {
        let mut entries: Vec<(&String, &u128)> = self.pages.iter().collect();
        entries.sort();
        super::file::replace(path, |out| {
            use std::io::Write as _;
            out.write_all(pages_header(output).as_bytes())?;
            for (rel, hash) in entries {
                writeln!(out, "{hash:032x}\t{rel}")?;
            }
            Ok(())
        });
    }
}

/// The fingerprints describe the files of one output folder, made by one version.
///
/// "One output folder" is this very folder, not any folder at that path: each build's
/// output is a new folder (a staging folder renamed into place), and a build killed
/// after the swap but before saving its fingerprints leaves those of the output before
/// it, which must not be taken for this one's.
fn pages_header(output: &Path) -> String {
    let output = output.canonicalize().unwrap_or_else(|_| output.to_path_buf());
    format!(
        "verdict-pages 1 {} {} {}\n",
        super::file::MADE_BY,
        folder_identity(&output),
        output.display()
    )
    .replace('\t', " ")
}

/// What tells one folder from another made at the same path: its inode and modification
/// time (on Unix; elsewhere the time alone).
fn folder_identity(dir: &Path) -> String {
    let Ok(meta) = std::fs::metadata(dir) else { return "none".to_string() };
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        format!("{}:{}:{modified}", meta.dev(), meta.ino())
    }
    #[cfg(not(unix))]
    {
        format!("{modified}")
    }
}

impl FromIterator<(String, u128)> for PageFingerprints {
    fn from_iter<I: IntoIterator<Item = (String, u128)>>(iter: I) -> Self {
        PageFingerprints { pages: iter.into_iter().collect() }
    }
}
