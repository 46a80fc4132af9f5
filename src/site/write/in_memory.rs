//! Outputs that are not folders: one that keeps nothing (`verdict check`) and one held
//! in memory (`verdict serve`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{Output, check_rel};
use crate::error::{Error, IoAction};

/// An output that keeps nothing: `verdict check` renders every page and throws it away.
#[derive(Debug, Default)]
pub struct Discard;

impl Output for Discard {
    fn write(&self, rel: &Path, _bytes: &[u8]) -> Result<(), Error> {
        check_rel(rel)
    }

    fn copy(&self, source: &Path, rel: &Path) -> Result<(), Error> {
        check_rel(rel)?;
        crate::files::open_regular(source)
            .map(|_| ())
            .map_err(|e| Error::io(IoAction::Read, source, e))
    }

    fn discards_bytes(&self) -> bool {
        true
    }
}

/// An output held in memory, by path.
#[derive(Debug, Default)]
pub struct Memory {
    files: Mutex<BTreeMap<PathBuf, Vec<u8>>>,
    /// Paths kept, in the order they were (a list: pages are kept from many threads).
    kept: Mutex<Vec<PathBuf>>,
}

impl Memory {
    /// The files written, by path relative to the output root.
    pub fn into_files(self) -> BTreeMap<PathBuf, Vec<u8>> {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    /// The files written, and the paths kept from the previous build (in no order). A
    /// path in neither is no longer part of the site.
    pub fn into_parts(self) -> (BTreeMap<PathBuf, Vec<u8>>, Vec<PathBuf>) {
        let kept = self.kept.into_inner().unwrap_or_else(|e| e.into_inner());
        let files = self.files.into_inner().unwrap_or_else(|e| e.into_inner());
        (files, kept)
    }
}

impl Output for Memory {
    fn write(&self, rel: &Path, bytes: &[u8]) -> Result<(), Error> {
        self.write_owned(rel, bytes.to_vec())
    }

    fn write_owned(&self, rel: &Path, bytes: Vec<u8>) -> Result<(), Error> {
        check_rel(rel)?;
        self.files.lock().unwrap_or_else(|e| e.into_inner()).insert(rel.to_path_buf(), bytes);
        Ok(())
    }

    fn copy(&self, source: &Path, rel: &Path) -> Result<(), Error> {
        let read = |e| Error::io(IoAction::Read, source, e);
        let (mut file, meta) = crate::files::open_regular(source).map_err(read)?;
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        std::io::Read::read_to_end(&mut file, &mut bytes).map_err(read)?;
        self.write_owned(rel, bytes)
    }

    fn keep(&self, rel: &Path, _identity: Option<u64>, _made_from: u128) -> bool {
        self.kept.lock().unwrap_or_else(|e| e.into_inner()).push(rel.to_path_buf());
        true
    }
}
