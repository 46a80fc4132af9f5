//! Page fingerprints: by output path, a hash of everything the page was made from, so
//! that a build can keep a page whose fingerprint did not change, and what the file
//! written for it looked like (size, modification time and inode, as one hash), so that
//! a page changed in the output since (by hand, or damaged) is not kept but written again.

use rustc_hash::FxHashMap as HashMap;
use std::path::Path;

/// The file of the cache folder holding the last build's page fingerprints.
pub const PAGES_FILE: &str = "pages.txt";

/// Fingerprints of the pages of the last build, by output path: a hash of everything a
/// page was made from, and the identity of the file written for it (none in memory).
///
/// The pages are found by a hash of their path: a rebuild looks up every page, and
/// comparing paths would read each one's text, wherever in memory it lies.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PageFingerprints {
    pages: HashMap<u128, Fingerprint>,
}

/// A page's path, fingerprint and file identity.
type Fingerprint = (String, u128, Option<u64>);

/// The key of the page at `rel`.
fn key(rel: &str) -> u128 {
    xxhash_rust::xxh3::xxh3_128(rel.as_bytes())
}

impl PageFingerprints {
    /// The fingerprint the page at `rel` had, and the identity of its file.
    pub fn get(&self, rel: &str) -> Option<(u128, Option<u64>)> {
        self.pages.get(&key(rel)).map(|&(_, hash, id)| (hash, id))
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
    /// another version gives none, so every page is rendered. Fingerprints saved for
    /// another output folder come without their files' identities: no file of `output`
    /// is kept by them, but the output store can put back the files made from them.
    pub fn load(path: &Path, output: &Path) -> PageFingerprints {
        let mut pages = HashMap::default();
        if let Some(text) = read_cache_text(path) {
            let mut lines = text.lines();
            let first = lines.next().unwrap_or_default();
            let this_folder = first == pages_header(output).trim_end();
            if this_folder || made_by_this_binary(first) {
                for line in lines {
                    let mut fields = line.splitn(3, '\t');
                    let (Some(hash), Some(id), Some(rel)) =
                        (fields.next(), fields.next(), fields.next())
                    else {
                        break;
                    };
                    let Ok(hash) = u128::from_str_radix(hash, 16) else { break };
                    let id = u64::from_str_radix(id, 16).ok().filter(|_| this_folder);
                    pages.insert(key(rel), (rel.to_string(), hash, id));
                }
            }
        }
        PageFingerprints { pages }
    }

    /// Writes the fingerprints (aside, then renamed).
    pub fn save(&self, path: &Path, output: &Path) {
        let mut entries: Vec<&Fingerprint> = self.pages.values().collect();
        entries.sort();
        super::file::replace(path, |out| {
            use std::io::Write as _;
            out.write_all(pages_header(output).as_bytes())?;
            for (rel, hash, id) in entries {
                match id {
                    Some(id) => writeln!(out, "{hash:032x}\t{id:016x}\t{rel}")?,
                    None => writeln!(out, "{hash:032x}\t-\t{rel}")?,
                }
            }
            Ok(())
        });
    }
}

/// The text of a cache file: a regular file (not a link), of up to 256 MiB.
fn read_cache_text(path: &Path) -> Option<String> {
    use std::io::Read as _;
    let (file, _) = crate::files::open_regular_no_link(path).ok()?;
    let mut text = String::new();
    file.take(256 << 20).read_to_string(&mut text).ok()?;
    Some(text)
}

/// Whether the fingerprints saved in `path` (by this version or an earlier one) are
/// those of the very folder `output` is: then a build of this site made it. An output
/// built before verdict marked its outputs is recognized this way.
pub fn describes_folder(path: &Path, output: &Path) -> bool {
    use std::io::{BufRead as _, Read as _};
    let Ok((file, _)) = crate::files::open_regular_no_link(path) else { return false };
    let mut first = String::new();
    if std::io::BufReader::new(file).take(64 << 10).read_line(&mut first).is_err() {
        return false;
    }
    // `verdict-pages <format> <version> <code stamp> [grammars] <identity> <path>`: the
    // folder's identity and path end the line, whatever version wrote it.
    let tail = folder_tail(output);
    first.starts_with("verdict-pages ")
        && !tail.starts_with(" none")
        && first.trim_end().ends_with(&tail)
}

/// `<identity> <path>` of the folder `output`, as the header ends.
fn folder_tail(output: &Path) -> String {
    let output = output.canonicalize().unwrap_or_else(|_| output.to_path_buf());
    format!(" {} {}", folder_identity(&output), output.display()).replace('\t', " ")
}

/// The fingerprints describe the files of one output folder, made by one version.
///
/// "One output folder" is this very folder, not any folder at that path: each build's
/// output is a new folder (a staging folder renamed into place), and a build killed
/// after the swap but before saving its fingerprints leaves those of the output before
/// it, which must not be taken for this one's.
fn pages_header(output: &Path) -> String {
    format!("{}{}\n", made_by_prefix(), folder_tail(output))
}

/// The header up to the output folder: the format, and the binary that wrote the file.
fn made_by_prefix() -> String {
    format!("verdict-pages 2 {}", super::file::MADE_BY)
}

/// Whether the header `first` was written by this binary, for whichever output folder
/// (whose identity, `dev:inode:time`, or `none`, follows the binary).
fn made_by_this_binary(first: &str) -> bool {
    let rest = first.strip_prefix(&made_by_prefix()).and_then(|r| r.strip_prefix(' '));
    let identity = rest.and_then(|r| r.split(' ').next());
    identity.is_some_and(|id| id == "none" || id.chars().all(|c| c.is_ascii_digit() || c == ':'))
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

impl Extend<Fingerprint> for PageFingerprints {
    fn extend<I: IntoIterator<Item = Fingerprint>>(&mut self, iter: I) {
        self.pages.extend(iter.into_iter().map(|page| (key(&page.0), page)));
    }
}

impl FromIterator<Fingerprint> for PageFingerprints {
    fn from_iter<I: IntoIterator<Item = Fingerprint>>(iter: I) -> Self {
        PageFingerprints { pages: iter.into_iter().map(|page| (key(&page.0), page)).collect() }
    }
}
