//! File stamps: what tells one version of a file from another without reading it.

use std::path::Path;

/// What tells one version of a file from another without reading it: its size, inode,
/// and modification and change times (the change time moves on every write, and no
/// tool can set it back). `None` where the system does not give them all.
pub fn file_stamp(path: &Path) -> Option<[u8; 48]> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(path).ok()?;
        let mut stamp = [0u8; 48];
        let fields = [
            meta.len(),
            meta.ino(),
            meta.dev(),
            meta.mtime() as u64,
            meta.mtime_nsec() as u64,
            ((meta.ctime() as u64) << 32) ^ meta.ctime_nsec() as u64,
        ];
        for (chunk, field) in stamp.chunks_mut(8).zip(fields) {
            chunk.copy_from_slice(&field.to_le_bytes());
        }
        Some(stamp)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}
