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

/// Replaces the file at `path` with what `write` writes, making its folder if need be.
/// The bytes go to a file beside it (`<name>.<pid>.tmp`) that is renamed over `path` once
/// complete, so `path` always holds a whole file: the old one, or the new one. Whether it
/// was replaced is returned; a cache only ever saves work, so callers need not say why not.
pub fn replace(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<()>,
) -> bool {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{}.tmp", std::process::id()));
    let tmp = path.with_file_name(name);
    let temporary = tmp.clone();
    let _registered = crate::interrupt::on_interrupt(move || {
        let _ = std::fs::remove_file(temporary);
    });
    let saved = (|| {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        // Made new, so never written through a link left under that name.
        let _ = std::fs::remove_file(&tmp);
        let mut out = BufWriter::new(File::options().write(true).create_new(true).open(&tmp)?);
        write(&mut out)?;
        out.flush()?;
        drop(out);
        std::fs::rename(&tmp, path)
    })();
    if saved.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
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
