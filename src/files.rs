//! Reading the site's files: which names are skipped, how text files are read, how a
//! folder is walked without leaving the site, and which output names are refused.

use std::ffi::OsStr;
use std::fs::File;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use crate::error::Diagnostic;
use crate::slug::{RESERVED_ON_WINDOWS, reserved_segment};

/// Whether a file or folder name is skipped: hidden files and editor leftovers.
pub fn is_ignored(name: &OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.')
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || [".swp", ".swo", ".swx", ".tmp", ".bak", ".orig"].iter().any(|ext| name.ends_with(ext))
}

/// The largest Markdown or YAML file a build reads. No article comes near it; a file this
/// large is a mistake (a data dump, a log) whose text would be copied into many pages.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Opens `path` for reading only if it is a regular file (following links). A FIFO, a
/// device (`/dev/zero`), a socket or a folder is refused without blocking on it: the file
/// is opened non-blocking (a FIFO without a writer would hold `open` forever) and checked
/// once open, so that nothing can be swapped in between.
pub fn open_regular(path: &Path) -> std::io::Result<(File, std::fs::Metadata)> {
    open_checked(path, Follow::Links)
}

/// [`open_regular`] without following a link at `path` itself (a link is refused): for
/// the cache folder's files, which verdict alone writes.
pub fn open_regular_no_link(path: &Path) -> std::io::Result<(File, std::fs::Metadata)> {
    open_checked(path, Follow::NoLink)
}

enum Follow {
    Links,
    NoLink,
}

fn open_checked(path: &Path, follow: Follow) -> std::io::Result<(File, std::fs::Metadata)> {
    let mut options = File::options();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let no_link = if matches!(follow, Follow::NoLink) { libc::O_NOFOLLOW } else { 0 };
        options.custom_flags(libc::O_NONBLOCK | no_link);
    }
    #[cfg(not(unix))]
    let _ = follow;
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::other(format!("it is {}, not a regular file", kind(&meta))));
    }
    Ok((file, meta))
}

/// What a file that is not a regular one is, for messages: `a FIFO`, `a folder`...
pub fn kind(meta: &std::fs::Metadata) -> &'static str {
    let kind = meta.file_type();
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a folder"
    } else if kind.is_symlink() {
        "a symbolic link"
    } else if kind.is_file() {
        "a regular file"
    } else {
        "a special file"
    }
}

/// Reads a file as UTF-8; errors name the file (and the line of a bad byte). Only a
/// regular file of up to [`MAX_FILE_BYTES`] is read.
pub fn read_text(root: &Path, rel: &Path) -> Result<String, Diagnostic> {
    let cannot_read =
        |e: std::io::Error| Diagnostic::new(rel, format!("cannot read the file: {e}"));
    let (file, meta) = open_regular(&root.join(rel)).map_err(cannot_read)?;
    let size = meta.len();
    if size > MAX_FILE_BYTES {
        return Err(too_large(rel, size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // `take` in case the file grows while it is read.
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(cannot_read)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(rel, bytes.len() as u64));
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = valid.len() - valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1) + 1;
        Diagnostic::new(rel, "the file is not valid UTF-8")
            .at(line, column)
            .hint("save the file as UTF-8")
    })
}

/// Reads a file at the top of the site (`site.yaml`, `contenders.yaml`) as [`read_text`]
/// does, under the same rule as the content folders: a symbolic link that leads outside
/// the site is refused, naming the link and its target.
pub fn read_site_file(root: &Path, rel: &Path) -> Result<String, Diagnostic> {
    if let Some(error) = folder_outside_site(root, rel) {
        return Err(error);
    }
    read_text(root, rel)
}

/// Copies the regular file `source` to `dest` (created, or cut and rewritten), with its
/// permissions; a source that is not a regular file is refused without blocking on it.
pub fn copy_regular(source: &Path, dest: &Path) -> std::io::Result<u64> {
    let (mut from, meta) = open_regular(source)?;
    let mut to = File::create(dest)?;
    let copied = std::io::copy(&mut from, &mut to)?;
    to.set_permissions(meta.permissions())?;
    Ok(copied)
}

fn too_large(rel: &Path, size: u64) -> Diagnostic {
    const MIB: f64 = 1024.0 * 1024.0;
    Diagnostic::new(
        rel,
        format!(
            "the file is {:.1} MiB; verdict reads Markdown and YAML files of up to {} MiB",
            size as f64 / MIB,
            MAX_FILE_BYTES as f64 / MIB
        ),
    )
    .hint("split it into several files, or put large data in `static/` and link to it")
}

/// Files under `root/dir` (skipping ignored names), as (absolute path, path relative to
/// `root/dir`), sorted. Content, theme and template files are all found this way.
///
/// Symbolic links are followed within the site. A link that leads outside the site folder
/// is an error, so that no file from elsewhere on the machine (`~/.ssh/id_rsa`) is ever
/// published by a link someone slipped into the site.
pub fn files_under(
    root: &Path,
    dir: &Path,
    errors: &mut Vec<Diagnostic>,
) -> Vec<(PathBuf, PathBuf)> {
    walk_files(root, dir, errors).0
}

/// [`files_under`], and whether the walk met a symbolic link on the way (`dir` itself
/// included): a file reached through one may change without an event for its path.
pub fn walk_files(
    root: &Path,
    dir: &Path,
    errors: &mut Vec<Diagnostic>,
) -> (Vec<(PathBuf, PathBuf)>, bool) {
    let base = root.join(dir);
    if !base.is_dir() {
        return (Vec::new(), false);
    }
    if let Some(error) = folder_outside_site(root, dir) {
        errors.push(error);
        return (Vec::new(), true);
    }
    let mut links = std::fs::symlink_metadata(&base).is_ok_and(|m| m.file_type().is_symlink());
    let site = site_folder(root);
    let outside = |path: &Path| leads_outside(&site, path);
    let mut files = Vec::new();
    let mut walker = walkdir::WalkDir::new(&base)
        .follow_links(true)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !is_ignored(e.file_name()));
    while let Some(entry) = walker.next() {
        links |= entry.as_ref().is_ok_and(|e| e.path_is_symlink());
        let escaping = match &entry {
            Ok(e) if e.path_is_symlink() => outside(e.path()).map(|target| (e, target)),
            _ => None,
        };
        if let Some((e, target)) = escaping {
            errors.push(outside_link(e.path().strip_prefix(root).unwrap_or(e.path()), &target));
            if e.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                let rel = entry.path().strip_prefix(&base).unwrap_or(entry.path()).to_path_buf();
                files.push((entry.into_path(), rel));
            }
            Ok(entry) if !entry.file_type().is_dir() => {
                let what = entry.metadata().map_or("a special file", |m| kind(&m));
                let path = entry.path().strip_prefix(root).unwrap_or(entry.path());
                errors.push(
                    Diagnostic::new(path, format!("{what}, not a regular file"))
                        .hint("verdict reads and copies regular files only: remove it or put a file in its place"),
                );
            }
            Ok(_) => {}
            Err(e) => {
                let path = e.path().map_or_else(
                    || dir.to_path_buf(),
                    |p| p.strip_prefix(root).unwrap_or(p).to_path_buf(),
                );
                let message = if e.loop_ancestor().is_some() {
                    "symbolic link loop".to_string()
                } else {
                    format!(
                        "cannot read: {}",
                        e.io_error().map_or_else(|| e.to_string(), |io| io.to_string())
                    )
                };
                errors.push(
                    Diagnostic::new(path, message)
                        .hint("remove or fix the link, or make the file readable"),
                );
            }
        }
    }
    (files, links)
}

/// The error for `root/dir` when it leads outside the site: it names the first folder of
/// `dir` that is a symbolic link out (`themes/mine` for `themes/mine/templates`), or `dir`
/// itself.
pub fn folder_outside_site(root: &Path, dir: &Path) -> Option<Diagnostic> {
    let site = site_folder(root);
    let outside = |path: &Path| leads_outside(&site, path);
    let mut prefix = PathBuf::new();
    for component in dir.components() {
        prefix.push(component);
        let path = root.join(&prefix);
        let link = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
        if let Some(target) = outside(&path).filter(|_| link) {
            return Some(outside_link(&prefix, &target));
        }
    }
    outside(&root.join(dir)).map(|target| outside_link(dir, &target))
}

/// The site folder as links are resolved against it.
fn site_folder(root: &Path) -> PathBuf {
    root.canonicalize().unwrap_or_else(|_| root.to_path_buf())
}

/// Where `path` really is, when that is outside `site` (a canonical folder).
fn leads_outside(site: &Path, path: &Path) -> Option<PathBuf> {
    let target = path.canonicalize().ok()?;
    (!target.starts_with(site)).then_some(target)
}

fn outside_link(rel: &Path, target: &Path) -> Diagnostic {
    Diagnostic::new(
        rel,
        format!(
            "symbolic link to `{}`, outside the site folder: verdict does not publish files from outside the site",
            target.display()
        ),
    )
    .hint("copy the file into the site, or point the link at a file inside the site folder")
}

/// The error for the file `source` (relative to the site root), copied to `output`, when
/// a file or folder name of `output` is a device name that Windows reserves.
pub fn reserved_output_name(source: &Path, output: &Path) -> Option<Diagnostic> {
    let name = reserved_segment(output)?;
    let in_folder = output.parent().and_then(reserved_segment).is_some();
    let what = if in_folder { "folder" } else { "file" };
    Some(
        Diagnostic::new(
            source,
            format!("the {what} name `{name}` is a device name that Windows reserves"),
        )
        .hint(format!("rename the {what}: {RESERVED_ON_WINDOWS}")),
    )
}
