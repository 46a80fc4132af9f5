//! Operations on single files of a staging folder: writing, and what their metadata
//! says.

use std::path::Path;

/// Writes `bytes` over the `old_len` bytes of the file at `path`, cutting off what is
/// left of them. Unlike truncating it first, this keeps the file's blocks (on ext4, a
/// file truncated to nothing and written again also has its blocks allocated when it
/// is closed, which made writing a recycled folder slower than writing a new one).
pub(super) fn overwrite(
    path: &Path,
    bytes: &[u8],
    old_len: u64,
) -> Result<std::fs::File, std::io::Error> {
    use std::io::Write as _;
    let mut file = std::fs::OpenOptions::new().write(true).open(path)?;
    file.write_all(bytes)?;
    let len = bytes.len() as u64;
    if old_len > len {
        file.set_len(len)?;
    }
    Ok(file)
}

/// Writes `bytes` to a new file at `path`.
pub(super) fn create(path: &Path, bytes: &[u8]) -> Result<std::fs::File, std::io::Error> {
    use std::io::Write as _;
    let mut file = std::fs::File::create(path)?;
    file.write_all(bytes)?;
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
