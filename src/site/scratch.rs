//! Article bodies rendered ahead of their pages, waiting in a file for them.
//!
//! A build must outline every article before it writes any page (list pages, related
//! comparisons and anchor checks need them all), and keeping every body's HTML in memory
//! until then would make memory grow with the site. Rendering each body twice (once to
//! outline it, once for its page) costs a second Markdown pass instead. The scratch file
//! avoids both: an article's body is rendered once, with its outline, and its HTML put
//! aside here until its page is written.
//!
//! Each article's search stems wait here too, from its page until the full-text bundle
//! reads them back.
//!
//! The file has no name (it is made in the staging folder and unlinked at once), so a
//! build that is killed leaves nothing behind.

use std::fs::File;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// An unnamed file that bodies are appended to and read back from, by any thread.
#[derive(Debug)]
pub struct Scratch {
    file: File,
    end: AtomicU64,
}

/// Where one body sits in the scratch file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    offset: u64,
    len: u64,
}

impl Scratch {
    /// A new, empty scratch file in `dir` (on the output's disk, not in a memory-backed
    /// temporary folder).
    pub fn in_dir(dir: &Path) -> std::io::Result<Scratch> {
        Ok(Scratch { file: tempfile::tempfile_in(dir)?, end: AtomicU64::new(0) })
    }

    /// Puts `html` aside; `None` when it could not be written (the caller renders the
    /// body again when it needs it).
    pub fn put(&self, html: &str) -> Option<Slot> {
        let len = html.len() as u64;
        let offset = self.end.fetch_add(len, Ordering::Relaxed);
        write_at(&self.file, html.as_bytes(), offset).ok()?;
        Some(Slot { offset, len })
    }

    /// The HTML put aside at `slot`.
    pub fn get(&self, slot: Slot) -> Option<String> {
        let mut bytes = vec![0; usize::try_from(slot.len).ok()?];
        read_at(&self.file, &mut bytes, slot.offset).ok()?;
        String::from_utf8(bytes).ok()
    }
}

#[cfg(unix)]
fn write_at(file: &File, bytes: &[u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, offset)
}

#[cfg(unix)]
fn read_at(file: &File, bytes: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, bytes, offset)
}

#[cfg(windows)]
fn write_at(file: &File, mut bytes: &[u8], mut offset: u64) -> std::io::Result<()> {
    while !bytes.is_empty() {
        let n = std::os::windows::fs::FileExt::seek_write(file, bytes, offset)?;
        if n == 0 {
            return Err(std::io::ErrorKind::WriteZero.into());
        }
        bytes = &bytes[n..];
        offset += n as u64;
    }
    Ok(())
}

#[cfg(windows)]
fn read_at(file: &File, mut bytes: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    while !bytes.is_empty() {
        let n = std::os::windows::fs::FileExt::seek_read(file, bytes, offset)?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        bytes = &mut bytes[n..];
        offset += n as u64;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_come_back_as_they_were_put_from_any_thread() {
        let dir = tempfile::tempdir().unwrap();
        let scratch = Scratch::in_dir(dir.path()).unwrap();
        let bodies: Vec<String> =
            (0..64).map(|i| format!("<p>body {i} {}</p>", "é".repeat(i * 37))).collect();
        let slots: Vec<Slot> = std::thread::scope(|s| {
            let handles: Vec<_> =
                bodies.iter().map(|b| s.spawn(|| scratch.put(b).unwrap())).collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for (body, slot) in bodies.iter().zip(&slots).rev() {
            assert_eq!(scratch.get(*slot).as_deref(), Some(body.as_str()));
        }
        assert_eq!(scratch.get(scratch.put("").unwrap()).as_deref(), Some(""));
        // The file has no name: the folder stays empty.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
