//! Files of the site's cache folder, which a build killed at any moment must never leave
//! half written.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

/// What made a cache file, on its first line: verdict's version and the stamp of the
/// code that built this binary (a hash of its sources, themes and locked dependencies,
/// computed by `build.rs`), with the grammar set when it is not the usual one. A file
/// made by any other binary is ignored, whatever its version number says.
pub const MADE_BY: &str = if cfg!(feature = "floor-grammars") {
    concat!(env!("CARGO_PKG_VERSION"), " ", env!("VERDICT_CODE_STAMP"), " floor-grammars")
} else {
    concat!(env!("CARGO_PKG_VERSION"), " ", env!("VERDICT_CODE_STAMP"))
};

/// The bytes of a cache file: a regular file, never read through a link (verdict
/// alone writes the cache folder).
pub fn read(path: &Path) -> Option<Vec<u8>> {
    let (mut file, meta) = crate::files::open_regular_no_link(path).ok()?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::io::Read::read_to_end(&mut file, &mut bytes).ok()?;
    Some(bytes)
}

/// Replaces the file at `path` with what `write` writes, making its folder if need be.
/// The bytes go to a new file beside it (`tempfile`'s [`NamedTempFile`](tempfile::NamedTempFile), named
/// `.<name>.<random>.tmp`, created exclusively so never through a link) that is persisted
/// over `path` once complete, so `path` always holds a whole file: the old one, or the
/// new one. Whether it was replaced is returned; a cache only ever saves work, so callers
/// need not say why not.
pub fn replace(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<()>,
) -> bool {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else { return false };
    let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    if std::fs::create_dir_all(dir).is_err() {
        return false;
    }
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(name);
    prefix.push(".");
    // Ends in `.tmp`: what the next build removes if this one is killed before the
    // end (`Session`), and what `serve` does not watch.
    let Ok(tmp) = tempfile::Builder::new().prefix(&prefix).suffix(".tmp").tempfile_in(dir) else {
        return false;
    };
    // A signal ends the process without running `NamedTempFile`'s drop.
    let temporary = tmp.path().to_path_buf();
    let _registered = crate::interrupt::on_interrupt(move || {
        let _ = std::fs::remove_file(temporary);
    });
    // On any error `tmp` is dropped, which removes the file.
    let saved = (|| {
        let mut out = BufWriter::new(tmp.as_file().try_clone()?);
        write(&mut out)?;
        out.flush()?;
        drop(out);
        tmp.persist(path).map_err(|e| e.error)
    })();
    saved.is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache/data.bin");
        assert!(replace(&path, |out| out.write_all(b"first")));
        assert_eq!(std::fs::read(&path).unwrap(), b"first");
        let failed = replace(&path, |out| {
            out.write_all(b"half")?;
            Err(std::io::Error::other("disk full"))
        });
        assert!(!failed);
        assert_eq!(std::fs::read(&path).unwrap(), b"first");
        assert_eq!(std::fs::read_dir(dir.path().join("cache")).unwrap().count(), 1);
    }
}
