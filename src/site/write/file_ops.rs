//! Operations on single files of a staging folder: writing, and what their metadata
//! says.

use std::path::Path;

/// Writes `pieces`, one after the other, to the file at `path`: over the `old_len`
/// bytes of the file there when there is one, cutting off what is left of them, else to
/// a new file. Unlike truncating it first, writing over a file keeps its blocks (on ext4,
/// a file truncated to nothing and written again also has its blocks allocated when it
/// is closed, which made writing a recycled folder slower than writing a new one).
pub(super) fn write_pieces<P: AsRef<[u8]>>(
    path: &Path,
    pieces: impl IntoIterator<Item = P>,
    old_len: Option<u64>,
) -> Result<std::fs::File, std::io::Error> {
    use std::io::Write as _;
    let mut file = match old_len {
        Some(_) => std::fs::OpenOptions::new().write(true).open(path)?,
        None => std::fs::File::create(path)?,
    };
    let mut len = 0;
    for piece in pieces {
        file.write_all(piece.as_ref())?;
        len += piece.as_ref().len() as u64;
    }
    if old_len.is_some_and(|old| old > len) {
        file.set_len(len)?;
    }
    Ok(file)
}

/// How many names the file has.
pub(super) fn links(meta: &std::fs::Metadata) -> u64 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        meta.nlink()
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        2
    }
}

/// Whether `a` and `b` are the same file.
pub(super) fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        a.dev() == b.dev() && a.ino() == b.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        false
    }
}
