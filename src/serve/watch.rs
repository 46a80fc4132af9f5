//! Watching the site for changes: which file events call for a rebuild (a pure function,
//! [`filter_events`]), and the debounced watcher that feeds them to the rebuild loop.
//!
//! Only the folders a build reads are watched recursively (`articles/`, `pages/`,
//! `authors/`, `static/`, `templates/`, `themes/`), plus the site root on its own level for
//! `site.yaml`, `contenders.yaml` and content folders that appear later, and the folder
//! of a configuration file given with `--config` elsewhere, on its own level. The output
//! folder, `.verdict-cache/`, `target/` and anything else at the root are never walked.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::event::{AccessKind, AccessMode, EventKind};
use notify_debouncer_full::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, DebouncedEvent, Debouncer, RecommendedCache, new_debouncer,
};

use crate::config::CONFIG_FILE;
use crate::content::catalog::CATALOG_FILE;
use crate::files::is_ignored;

/// Folders of the site a build reads, watched recursively.
pub const WATCHED_DIRS: &[&str] =
    &["articles", "pages", "authors", "static", "templates", "themes"];

/// How long a file event waits for the events that follow it (an editor's save is often
/// a write, a rename and a metadata change within a few milliseconds).
pub const DEBOUNCE: Duration = Duration::from_millis(20);

/// How often the debouncer looks for events that have waited long enough.
const TICK: Duration = Duration::from_millis(4);

/// What part of the site a changed file belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    /// `site.yaml`.
    Config,
    /// `contenders.yaml`.
    Catalog,
    /// Articles, pages, authors and the files of bundles.
    Content,
    /// `static/`.
    Static,
    /// The site's `templates/` or a theme in `themes/`.
    Templates,
}

/// Which part of the site a path relative to the site root belongs to, or `None` when a
/// build never reads it (the output, caches, hidden files, editor leftovers, other files
/// at the root).
pub fn classify(rel: &Path) -> Option<Source> {
    let mut names = Vec::new();
    for component in rel.components() {
        match component {
            Component::Normal(name) if !is_ignored(name) => names.push(name),
            _ => return None,
        }
    }
    let first = names.first()?.to_str()?;
    match (first, names.len()) {
        (CONFIG_FILE, 1) => Some(Source::Config),
        (CATALOG_FILE, 1) => Some(Source::Catalog),
        ("articles" | "pages" | "authors", _) => Some(Source::Content),
        ("static", _) => Some(Source::Static),
        ("templates" | "themes", _) => Some(Source::Templates),
        _ => None,
    }
}

/// Whether an event kind can mean a change of content. Opening and reading files (which
/// every build does) and closing a file that was not written are not changes.
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// The changes a batch of file events calls for.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// Changed files, relative to the site root, with the part of the site they are in.
    pub paths: BTreeSet<(Source, PathBuf)>,
    /// The watcher lost events (its queue overflowed): anything may have changed.
    pub rescan: bool,
    /// Watched folders created at the site root (say `static/`), to watch from now on.
    pub new_dirs: BTreeSet<PathBuf>,
    /// When the first of these changes happened (the watcher saw its event).
    pub since: Option<Instant>,
}

impl Changes {
    /// Whether anything calls for a rebuild.
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty() && !self.rescan
    }

    /// Adds the changes of another batch.
    pub fn merge(&mut self, other: Changes) {
        self.paths.extend(other.paths);
        self.rescan |= other.rescan;
        self.new_dirs.extend(other.new_dirs);
        self.since = match (self.since, other.since) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }

    /// Whether every changed file is a stylesheet, so open pages may swap their
    /// stylesheets instead of reloading.
    pub fn only_stylesheets(&self) -> bool {
        !self.rescan
            && !self.paths.is_empty()
            && self.paths.iter().all(|(_, path)| path.extension().is_some_and(|e| e == "css"))
    }

    /// The changed files for a log line: the first few, and how many more.
    pub fn summary(&self) -> String {
        if self.rescan {
            return "files changed (watcher rescan)".to_string();
        }
        const SHOWN: usize = 3;
        let mut names: Vec<String> = self
            .paths
            .iter()
            .take(SHOWN)
            .map(|(_, path)| format!("`{}`", path.display()))
            .collect();
        if self.paths.len() > SHOWN {
            names.push(format!("{} more", self.paths.len() - SHOWN));
        }
        names.join(", ")
    }
}

/// The changes that a batch of debounced events from under `root` calls for; `config` is
/// the absolute path of the configuration file, which may be outside `root`, and a
/// `site.yaml` that is not it changes nothing. Events outside `root`, in ignored places
/// or that only read files are dropped.
pub fn filter_events(root: &Path, config: &Path, events: &[DebouncedEvent]) -> Changes {
    let mut changes = Changes::default();
    for event in events {
        if event.need_rescan() {
            changes.rescan = true;
            continue;
        }
        if !is_change(&event.kind) {
            continue;
        }
        for path in &event.paths {
            if path == config {
                let shown = path.strip_prefix(root).unwrap_or(path);
                changes.paths.insert((Source::Config, shown.to_path_buf()));
                changes.since = Some(changes.since.map_or(event.time, |t| t.min(event.time)));
                continue;
            }
            let Ok(rel) = path.strip_prefix(root) else { continue };
            let Some(source) = classify(rel).filter(|s| *s != Source::Config) else { continue };
            let is_top_dir = rel.components().count() == 1
                && rel.to_str().is_some_and(|name| WATCHED_DIRS.contains(&name));
            if is_top_dir && matches!(event.kind, EventKind::Create(_) | EventKind::Modify(_)) {
                changes.new_dirs.insert(rel.to_path_buf());
            }
            changes.paths.insert((source, rel.to_path_buf()));
            changes.since = Some(changes.since.map_or(event.time, |t| t.min(event.time)));
        }
    }
    changes
}

/// A debounced watcher of a site; events arrive on the channel given to [`Watcher::new`].
pub struct Watcher {
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    root: PathBuf,
    config: PathBuf,
}

impl Watcher {
    /// Watches the site at `root` (an absolute path) and its configuration file
    /// `config` (an absolute path, which may be outside `root`), sending each debounced
    /// batch of events to `events`.
    pub fn new(
        root: &Path,
        config: &Path,
        events: Sender<DebounceEventResult>,
    ) -> Result<Watcher, notify_debouncer_full::notify::Error> {
        let debouncer = new_debouncer(DEBOUNCE, Some(TICK), events)?;
        let mut watcher =
            Watcher { debouncer, root: root.to_path_buf(), config: config.to_path_buf() };
        watcher.debouncer.watch(root, RecursiveMode::NonRecursive)?;
        // The folder, not the file: an editor that saves by renaming a new file over the
        // old one would end a watch on the file itself.
        if let Some(folder) = config.parent().filter(|f| *f != root) {
            watcher.debouncer.watch(folder, RecursiveMode::NonRecursive)?;
        }
        for dir in WATCHED_DIRS {
            watcher.watch_dir(Path::new(dir))?;
        }
        Ok(watcher)
    }

    /// The changes a batch of events calls for ([`filter_events`]).
    pub fn changes(&self, events: &[DebouncedEvent]) -> Changes {
        filter_events(&self.root, &self.config, events)
    }

    /// Watches `rel` (a folder at the site root) recursively, if it exists.
    pub fn watch_dir(&mut self, rel: &Path) -> Result<(), notify_debouncer_full::notify::Error> {
        let dir = self.root.join(rel);
        if dir.is_dir() {
            self.debouncer.watch(&dir, RecursiveMode::Recursive)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify_debouncer_full::notify::event::{
        CreateKind, DataChange, ModifyKind, RemoveKind, RenameMode,
    };
    use notify_debouncer_full::notify::{Event, event::Flag};

    fn event(kind: EventKind, paths: &[&str]) -> DebouncedEvent {
        let mut event = Event::new(kind);
        for path in paths {
            event = event.add_path(Path::new("/site").join(path));
        }
        DebouncedEvent::new(event, Instant::now())
    }

    fn write(path: &str) -> DebouncedEvent {
        event(EventKind::Modify(ModifyKind::Data(DataChange::Any)), &[path])
    }

    fn changed(events: &[DebouncedEvent]) -> Vec<String> {
        filter_events(Path::new("/site"), Path::new("/site/site.yaml"), events)
            .paths
            .into_iter()
            .map(|(_, p)| p.display().to_string())
            .collect()
    }

    #[test]
    fn classifies_what_a_build_reads() {
        let cases = [
            ("site.yaml", Some(Source::Config)),
            ("contenders.yaml", Some(Source::Catalog)),
            ("articles/rust-vs-go.md", Some(Source::Content)),
            ("articles/bundle/img/chart.png", Some(Source::Content)),
            ("pages/about.md", Some(Source::Content)),
            ("authors/jane.md", Some(Source::Content)),
            ("static/robots-extra.txt", Some(Source::Static)),
            ("templates/article.html", Some(Source::Templates)),
            ("themes/default/static/assets/style.css", Some(Source::Templates)),
            ("articles", Some(Source::Content)),
        ];
        for (path, expected) in cases {
            assert_eq!(classify(Path::new(path)), expected, "{path}");
        }
    }

    #[test]
    fn ignores_output_caches_hidden_and_editor_files() {
        for path in [
            "dist/index.html",
            ".verdict-cache/highlight.bin",
            "target/release/verdict",
            "README.md",
            "articles/.rust-vs-go.md.swp",
            "articles/rust-vs-go.md~",
            "articles/#rust-vs-go.md#",
            "articles/.#rust-vs-go.md",
            "articles/4913.tmp",
            "templates/.git/HEAD",
            "site.yaml.bak",
            ".git/index",
            "pages/sub/site.yaml.orig",
            "",
            "../elsewhere/site.yaml",
        ] {
            assert_eq!(classify(Path::new(path)), None, "{path}");
        }
        // A `site.yaml` deeper down is not the configuration, but content of its folder.
        assert_eq!(classify(Path::new("static/site.yaml")), Some(Source::Static));
        assert_eq!(classify(Path::new("nested/site.yaml")), None);
    }

    #[test]
    fn keeps_writes_creations_removals_and_renames() {
        let events = [
            write("articles/a.md"),
            event(EventKind::Create(CreateKind::File), &["articles/b.md"]),
            event(EventKind::Remove(RemoveKind::File), &["authors/c.md"]),
            event(
                EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
                &["pages/old.md", "pages/new.md"],
            ),
            event(EventKind::Access(AccessKind::Close(AccessMode::Write)), &["site.yaml"]),
        ];
        assert_eq!(
            changed(&events),
            [
                "site.yaml",
                "articles/a.md",
                "articles/b.md",
                "authors/c.md",
                "pages/new.md",
                "pages/old.md"
            ]
        );
    }

    #[test]
    fn drops_reads_and_events_elsewhere() {
        let events = [
            event(EventKind::Access(AccessKind::Open(AccessMode::Any)), &["articles/a.md"]),
            event(EventKind::Access(AccessKind::Close(AccessMode::Read)), &["articles/a.md"]),
            write("dist/index.html"),
            write("articles/.a.md.swp"),
            event(EventKind::Modify(ModifyKind::Any), &["/elsewhere/articles/a.md"]),
        ];
        let changes = filter_events(Path::new("/site"), Path::new("/site/site.yaml"), &events);
        assert!(changes.is_empty(), "{changes:?}");
    }

    #[test]
    fn a_rescan_rebuilds_everything() {
        let mut rescan = Event::new(EventKind::Other);
        rescan = rescan.set_flag(Flag::Rescan);
        let changes = filter_events(
            Path::new("/site"),
            Path::new("/site/site.yaml"),
            &[DebouncedEvent::new(rescan, Instant::now())],
        );
        assert!(changes.rescan && !changes.is_empty() && !changes.only_stylesheets());
    }

    #[test]
    fn notices_new_content_folders() {
        let events = [
            event(EventKind::Create(CreateKind::Folder), &["static"]),
            event(EventKind::Create(CreateKind::Folder), &["dist"]),
            event(EventKind::Create(CreateKind::Folder), &["articles/bundle"]),
        ];
        let changes = filter_events(Path::new("/site"), Path::new("/site/site.yaml"), &events);
        assert_eq!(changes.new_dirs.into_iter().collect::<Vec<_>>(), [PathBuf::from("static")]);
    }

    #[test]
    fn stylesheet_only_changes_are_told_apart() {
        let css = filter_events(
            Path::new("/site"),
            Path::new("/site/site.yaml"),
            &[write("static/extra.css"), write("themes/default/static/assets/style.css")],
        );
        assert!(css.only_stylesheets());
        let mixed = filter_events(
            Path::new("/site"),
            Path::new("/site/site.yaml"),
            &[write("static/extra.css"), write("articles/a.md")],
        );
        assert!(!mixed.only_stylesheets());
    }

    #[test]
    fn summarises_changed_files() {
        let events: Vec<_> = (1..=5).map(|i| write(&format!("articles/{i}.md"))).collect();
        assert_eq!(
            filter_events(Path::new("/site"), Path::new("/site/site.yaml"), &events).summary(),
            "`articles/1.md`, `articles/2.md`, `articles/3.md`, 2 more"
        );
    }
}
