//! Rebuilding the served site: a [`Builder`] that builds into memory through an
//! incremental session, the loop that rebuilds on file events, and the line each build
//! prints.

use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use notify_debouncer_full::DebounceEventResult;

use super::livereload::ErrorView;
use super::watch::{Changes, Watcher};
use super::{App, SiteFiles};
use crate::diagnostics::{Format, count, print_report};
use crate::error::Error;
use crate::site::recorded::WrittenPaths;
use crate::site::site_links::output_key;
use crate::site::write::{Memory, Output};
use crate::site::{Generated, Session, SourceOptions, generate};
use crate::templates::budget::{Carried, run_bounded};

/// A successful build of the site into memory, compared with the previous one.
#[derive(Debug)]
pub struct Rebuild {
    /// Every file of the site.
    pub files: Arc<SiteFiles>,
    /// Files that are new or whose bytes changed.
    pub changed: Vec<String>,
    /// Files that are no longer part of the site.
    pub removed: Vec<String>,
    /// What was built: handed back to the builder once browsers have been told
    /// ([`Builder::recycle`]), for the next build to take over what it would make again.
    pub generated: Generated,
}

impl Rebuild {
    /// Whether any served file changed.
    pub fn is_change(&self) -> bool {
        !self.changed.is_empty() || !self.removed.is_empty()
    }
}

/// Builds a site again and again into memory, reusing what did not change.
pub struct Builder {
    session: Session,
    source: SourceOptions,
    files: Arc<SiteFiles>,
    /// The threads its builds run their parallel work on. An abandoned build keeps its
    /// pool's threads busy for good, so the builder taking its place gets a pool of its
    /// own: without one, two abandoned builds would hold every thread of a two-core
    /// machine and no later build could run.
    pool: Option<Arc<rayon::ThreadPool>>,
}

/// A pool of threads for a builder; none (rayon's global pool) when the system refuses.
fn pool() -> Option<Arc<rayon::ThreadPool>> {
    rayon::ThreadPoolBuilder::new().thread_name(|i| format!("build-{i}")).build().ok().map(Arc::new)
}

impl Builder {
    /// A builder of the site described by `source`; nothing is built yet.
    pub fn new(source: SourceOptions) -> Builder {
        Builder { session: Session::incremental(), source, files: Arc::default(), pool: pool() }
    }

    /// Tells the next build which files changed since the last one (none known when the
    /// watcher lost events).
    pub fn files_changed(&self, changes: &Changes) {
        let paths = changes.paths.iter().map(|(_, path)| path.clone());
        self.session.files_changed((!changes.rescan).then_some(paths));
    }

    /// Hands back a build that was served, for the next build to take over what it would
    /// make again the same ([`Session::recycle`]).
    pub fn recycle(&self, generated: Generated) {
        self.session.recycle(generated.site);
    }

    /// Builds on a thread of its own, within the render budget
    /// ([`run_bounded`]); gives the builder back with the result. A build abandoned
    /// because a page's template never ended is left to its thread, and a fresh builder
    /// (cold caches, the same served files to compare with) takes its place.
    pub fn build_bounded(mut self) -> (Builder, Result<Rebuild, Error>) {
        let fresh = Builder {
            session: Session::incremental(),
            source: self.source.clone(),
            files: Arc::clone(&self.files),
            pool: pool(),
        };
        match run_bounded(move || {
            let result = self.build();
            (self, result)
        }) {
            Ok(done) => done,
            Err(diagnostic) => (fresh, Err(Error::site(diagnostic))),
        }
    }

    /// Builds the site; on success, the new files become the builder's current ones.
    pub fn build(&mut self) -> Result<Rebuild, Error> {
        // The paths of the files served: the last build's (none for a fresh session).
        let served = self.session.paths_written();
        let output = NextFiles { memory: Memory::default(), previous: &served };
        let (session, source) = (&mut self.session, &self.source);
        let generated = match &self.pool {
            Some(pool) => {
                let watch = Carried::here();
                pool.install(|| {
                    watch.enter();
                    generate(session, source, &output)
                })?
            }
            None => generate(session, source, &output)?,
        };
        let mut timings = crate::site::timings::Timings::from_env();
        let written = output.memory.into_files();
        let previous = &self.files;
        // The files kept are the previous ones this build wrote again or kept.
        let mut files = SiteFiles::clone(previous);
        let mut changed = Vec::new();
        let mut new = 0;
        for (rel, bytes) in written {
            let key = output_key(&rel);
            match previous.get_key_value(key.as_ref()) {
                Some((_, old)) if old[..] == bytes[..] => continue,
                found => {
                    new += usize::from(found.is_none());
                    changed.push(key.to_string());
                }
            }
            files.insert(Arc::from(key.as_ref()), Bytes::from(bytes));
        }
        // The previous files are all part of the site still when as many of the paths
        // written are previous ones as there were.
        let paths = self.session.paths_written();
        let mut removed: Vec<String> = match paths.paths.len() - new == previous.len() {
            true => Vec::new(),
            false => previous
                .keys()
                .filter(|key| !paths.contains(key))
                .map(|key| key.to_string())
                .collect(),
        };
        removed.iter().for_each(|key| drop(files.remove(key.as_str())));
        debug_assert_eq!(files.len(), paths.paths.len(), "the files served are the paths written");
        changed.sort();
        removed.sort();
        let files = Arc::new(files);
        self.files = Arc::clone(&files);
        timings.lap("served files");
        Ok(Rebuild { files, changed, removed, generated })
    }
}

/// The output of a rebuild: new files in memory, and unchanged pages kept from the files
/// being served (a page they lack is rendered again).
struct NextFiles<'a> {
    memory: Memory,
    /// The paths of the files served.
    previous: &'a WrittenPaths,
}

impl Output for NextFiles<'_> {
    fn write(&self, rel: &Path, bytes: &[u8]) -> Result<(), Error> {
        self.memory.write(rel, bytes)
    }

    fn write_owned(&self, rel: &Path, bytes: Vec<u8>) -> Result<(), Error> {
        self.memory.write_owned(rel, bytes)
    }

    fn copy(&self, source: &Path, rel: &Path) -> Result<(), Error> {
        self.memory.copy(source, rel)
    }

    fn keep(&self, rel: &Path, _identity: Option<u64>, _made_from: u128) -> bool {
        self.previous.contains(&output_key(rel))
    }
}

/// Waits for file events and rebuilds, until the watcher goes away.
pub(super) fn rebuild_loop(
    root: &Path,
    mut builder: Builder,
    mut watcher: Watcher,
    events: &Receiver<DebounceEventResult>,
    app: &App,
) {
    while let Ok(batch) = events.recv() {
        let mut changes = Changes::default();
        let mut take = |batch: DebounceEventResult| match batch {
            Ok(events) => changes.merge(watcher.changes(&events)),
            Err(errors) => {
                for error in errors {
                    eprintln!("warning: watching files: {error}");
                }
                changes.rescan = true;
            }
        };
        take(batch);
        // Whatever else already arrived goes into the same rebuild.
        while let Ok(batch) = events.try_recv() {
            take(batch);
        }
        for dir in std::mem::take(&mut changes.new_dirs) {
            if let Err(e) = watcher.watch_dir(&dir) {
                eprintln!("warning: cannot watch `{}`: {e}", dir.display());
            }
        }
        if changes.is_empty() {
            continue;
        }
        let started = Instant::now();
        builder.files_changed(&changes);
        let (next, result) = builder.build_bounded();
        builder = next;
        if let Some(generated) = publish(app, root, result, Some(&changes), started, changes.since)
        {
            builder.recycle(generated);
        }
    }
}

/// Serves the result of a build and tells browsers, then prints one line about it; gives
/// back what a successful build built.
pub(super) fn publish(
    app: &App,
    root: &Path,
    result: Result<Rebuild, Error>,
    changes: Option<&Changes>,
    started: Instant,
    since: Option<Instant>,
) -> Option<Generated> {
    let what = changes.map(|c| format!(" after {}", c.summary())).unwrap_or_default();
    match result {
        Ok(rebuild) => {
            let elapsed = started.elapsed();
            let had_errors = !app.status.borrow().errors.is_empty();
            let first = changes.is_none();
            let notify = rebuild.is_change() || had_errors || first;
            let mut timings = crate::site::timings::Timings::from_env();
            // The files served until now go once browsers are told.
            let mut served_before = None;
            if notify {
                served_before = Some(app.set_files(Arc::clone(&rebuild.files)));
                // Judged by what was edited and by what came out: an edit whose events
                // straggle into the next batch must not turn a stylesheet swap into a
                // reload.
                let stylesheets_only = changes.is_some_and(Changes::only_stylesheets)
                    || (rebuild.removed.is_empty()
                        && !rebuild.changed.is_empty()
                        && rebuild.changed.iter().all(|f| f.ends_with(".css")));
                app.status.send_modify(|status| {
                    status.build += 1;
                    if !stylesheets_only || had_errors {
                        status.reload = status.build;
                    }
                    status.errors.clear();
                });
            }
            timings.lap("tell browsers");
            let report = &rebuild.generated.report;
            let mut line = if first {
                format!(
                    "Built {}, {} and {} ({} files) in {}",
                    plural(report.articles, "article"),
                    plural(report.pages, "page"),
                    plural(report.authors, "author"),
                    rebuild.files.len(),
                    millis(elapsed)
                )
            } else {
                format!(
                    "Rebuilt{what} in {}: {} written, {} unchanged",
                    millis(elapsed),
                    plural(report.html_files, "page"),
                    report.unchanged,
                )
            };
            if !rebuild.removed.is_empty() {
                line.push_str(&format!(", {} removed", rebuild.removed.len()));
            }
            if !first {
                if !notify {
                    line.push_str("; no file changed");
                } else if let Some(since) = since {
                    line.push_str(&format!(
                        "; browsers told {} after the change",
                        millis(since.elapsed())
                    ));
                }
            }
            eprintln!("{line}");
            drop(served_before);
            Some(rebuild.generated)
        }
        Err(error) => {
            let diagnostics = error.into_diagnostics();
            let errors = diagnostics.iter().map(ErrorView::from).collect();
            app.status.send_modify(|status| status.errors = errors);
            let summary = format!(
                "{}{what} failed in {}: {}; {}",
                if changes.is_some() { "Rebuild" } else { "Build" },
                millis(started.elapsed()),
                count(&diagnostics),
                if app.files().is_empty() {
                    "fix it and the site will be built"
                } else {
                    "still serving the last good build"
                }
            );
            print_report(&diagnostics, root, Format::Human, &summary);
            None
        }
    }
}

/// `1 page`, `2 pages`.
fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// A duration as `12.3 ms`.
fn millis(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::{Address, Drafts};

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let write = |rel: &str, text: &str| {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("site.yaml", "title: T\nbase_url: https://example.com/\n");
        write("authors/a.md", "---\nname: A\n---\nBio.\n");
        // p-vs-q and x-vs-y share contenders; the four m-vs-n articles share theirs, so
        // each lists the three others as related and nothing of X and Y.
        let articles = [
            ("p-vs-q", "two", "X, Y", 1),
            ("x-vs-y", "one", "X, Y", 2),
            ("m-vs-n", "three", "M, N", 3),
            ("m-vs-n-2", "three", "M, N", 4),
            ("m-vs-n-3", "three", "M, N", 5),
            ("m-vs-n-4", "three", "M, N", 6),
        ];
        for (slug, tag, contenders, day) in articles {
            write(
                &format!("articles/{slug}.md"),
                &format!(
                    "---\ntitle: {slug}\ndate: 2025-01-0{day}\nauthor: a\ntags: [{tag}]\ncontenders: [{contenders}]\n---\n\n## Speed\n\n**Winner:** X\n"
                ),
            );
        }
        dir
    }

    fn builder(root: &Path) -> Builder {
        Builder::new(SourceOptions {
            root: root.to_path_buf(),
            config: crate::config::CONFIG_FILE.into(),
            drafts: Drafts::Skip,
            address: Address::Preview("http://127.0.0.1:4000/".into()),
        })
    }

    fn text(files: &SiteFiles, key: &str) -> String {
        String::from_utf8(files[key].to_vec()).unwrap()
    }

    #[test]
    fn an_article_edit_changes_that_article_and_its_listings_only() {
        let dir = site();
        let mut builder = builder(dir.path());
        let first = builder.build().unwrap();
        assert!(first.files.contains_key("x-vs-y/index.html"));
        assert!(text(&first.files, "x-vs-y/index.html").contains("http://127.0.0.1:4000/x-vs-y/"));

        let again = builder.build().unwrap();
        assert!(!again.is_change(), "nothing changed: {:?}", again.changed);

        let path = dir.path().join("articles/p-vs-q.md");
        let edited =
            std::fs::read_to_string(&path).unwrap().replace("title: p-vs-q", "title: P wins");
        std::fs::write(&path, edited).unwrap();
        let rebuild = builder.build().unwrap();
        let changed: Vec<&str> = rebuild.changed.iter().map(String::as_str).collect();
        for page in ["p-vs-q/index.html", "index.html", "tags/two/index.html", "feed.xml"] {
            assert!(changed.contains(&page), "{page} not in {changed:?}");
        }
        // x-vs-y lists p-vs-q among its related comparisons; m-vs-n shares nothing with it.
        for page in ["m-vs-n/index.html", "tags/one/index.html", "tags/three/index.html"] {
            assert!(!changed.contains(&page), "{page} in {changed:?}");
        }
        assert!(text(&rebuild.files, "p-vs-q/index.html").contains("P wins"));
        // The same files, but for the search index's shards, which follow the words.
        let pages = |files: &SiteFiles| files.keys().filter(|k| !k.starts_with("search/")).count();
        assert_eq!(pages(&rebuild.files), pages(&first.files));
    }

    #[test]
    fn a_prose_edit_renders_the_lists_again_only_when_their_counts_change() {
        let dir = site();
        let mut builder = builder(dir.path());
        builder.build().unwrap();
        let path = dir.path().join("articles/p-vs-q.md");
        let original = std::fs::read_to_string(&path).unwrap();
        // The lead paragraph is the description the lists show.
        std::fs::write(&path, format!("{original}\nThe lead.\n\nOne two three.\n")).unwrap();
        let more_words = builder.build().unwrap();
        assert!(more_words.generated.report.html_files > 1, "the lists show the word count");
        std::fs::write(&path, format!("{original}\nThe lead.\n\nFour five six.\n")).unwrap();
        let same_count = builder.build().unwrap();
        assert_eq!(same_count.generated.report.html_files, 1, "the article's page only");
        assert!(text(&same_count.files, "p-vs-q/index.html").contains("Four five six."));
        assert!(same_count.changed.contains(&"feed.xml".to_string()), "the feed carries bodies");
    }

    /// Every file a fresh session builds for the same address, by its served key.
    fn fresh_files(builder: &Builder) -> std::collections::BTreeMap<String, Vec<u8>> {
        let output = Memory::default();
        generate(&mut Session::new(), &builder.source, &output).unwrap();
        output.into_files().into_iter().map(|(rel, b)| (output_key(&rel).into_owned(), b)).collect()
    }

    #[test]
    fn after_every_kind_of_edit_the_served_files_are_what_a_fresh_build_makes() {
        let dir = site();
        let mut builder = builder(dir.path());
        let first = builder.build().unwrap();
        builder.recycle(first.generated);
        let new_article = "---\ntitle: Late\ndate: 2025-01-07\nauthor: a\ntags: [one]\ncontenders: [X, Z]\n---\n\n## Speed\n\n**Winner:** Z\n";
        // Each edit as the serve loop makes it: told which file changed, the last build
        // handed back; prose, front matter, order, verdicts, dates, links, slugs, the
        // author, and articles gone and new.
        let edits: &[(&str, Option<(&str, &str)>)] = &[
            ("articles/p-vs-q.md", Some(("## Speed", "Some prose first.\n\n## Speed"))),
            ("articles/p-vs-q.md", Some(("title: p-vs-q", "title: P retitled"))),
            ("articles/x-vs-y.md", Some(("date: 2025-01-02", "date: 2025-01-09"))),
            ("articles/m-vs-n.md", Some(("tags: [three]", "tags: [four]"))),
            ("articles/m-vs-n-2.md", Some(("**Winner:** X", "**Winner:** N"))),
            (
                "articles/m-vs-n-3.md",
                Some(("date: 2025-01-05", "date: 2025-01-05\nupdated: 2025-03-01")),
            ),
            ("articles/x-vs-y.md", Some(("## Speed", "See [the other](p-vs-q.md).\n\n## Speed"))),
            (
                "articles/p-vs-q.md",
                Some(("title: P retitled", "title: P retitled\nslug: p-then-q")),
            ),
            ("articles/m-vs-n.md", Some(("## Speed", "See [the tag](/tags/one/).\n\n## Speed"))),
            ("authors/a.md", Some(("name: A", "name: Ada"))),
            ("articles/m-vs-n-4.md", None),
            ("articles/late-vs-early.md", Some(("", new_article))),
        ];
        for &(rel, change) in edits {
            let path = dir.path().join(rel);
            match change {
                Some(("", text)) => std::fs::write(&path, text).unwrap(),
                Some((from, to)) => {
                    let text = std::fs::read_to_string(&path).unwrap();
                    assert!(text.contains(from), "{rel}: {from}");
                    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
                }
                None => std::fs::remove_file(&path).unwrap(),
            }
            builder.files_changed(&told(&[rel]));
            let rebuild = builder.build().unwrap();
            let fresh = fresh_files(&builder);
            let served: Vec<&str> = rebuild.files.keys().map(|k| k.as_ref()).collect();
            let mut served = served;
            served.sort_unstable();
            assert_eq!(served, fresh.keys().map(String::as_str).collect::<Vec<_>>(), "{rel}");
            for (key, bytes) in &fresh {
                assert!(rebuild.files[key.as_str()][..] == bytes[..], "{key} after {rel}");
            }
            builder.recycle(rebuild.generated);
        }
    }

    /// Changes naming `paths` (relative to the site root), as the watcher reports them.
    fn told(paths: &[&str]) -> Changes {
        let paths = paths.iter().map(|p| (super::super::watch::Source::Content, p.into()));
        Changes { paths: paths.collect(), ..Changes::default() }
    }

    #[test]
    fn told_what_changed_a_build_looks_at_those_files_only() {
        let dir = site();
        let mut builder = builder(dir.path());
        builder.build().unwrap();
        let retitle = |slug: &str, title: &str| {
            let path = dir.path().join(format!("articles/{slug}.md"));
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(&path, text.replacen(&format!("title: {slug}"), title, 1)).unwrap();
        };
        // Two articles edited, one of them told: the other is not even looked at.
        retitle("p-vs-q", "title: Told");
        retitle("x-vs-y", "title: Untold");
        builder.files_changed(&told(&["articles/p-vs-q.md", "pages/elsewhere.md"]));
        let rebuild = builder.build().unwrap();
        assert!(text(&rebuild.files, "p-vs-q/index.html").contains("Told"));
        assert!(!text(&rebuild.files, "x-vs-y/index.html").contains("Untold"));

        // A new file, told: the folder is walked again, and every file looked at.
        let new = dir.path().join("articles/new-vs-old.md");
        std::fs::copy(dir.path().join("articles/m-vs-n.md"), &new).unwrap();
        std::fs::write(
            &new,
            std::fs::read_to_string(&new).unwrap().replace("title: m-vs-n", "title: New"),
        )
        .unwrap();
        builder.files_changed(&told(&["articles/new-vs-old.md"]));
        let rebuild = builder.build().unwrap();
        assert!(rebuild.files.contains_key("new-vs-old/index.html"));
        assert!(text(&rebuild.files, "x-vs-y/index.html").contains("Untold"));

        // A removed file, told; then changes not known (the watcher lost events).
        std::fs::remove_file(&new).unwrap();
        builder.files_changed(&told(&["articles/new-vs-old.md"]));
        assert!(!builder.build().unwrap().files.contains_key("new-vs-old/index.html"));
        retitle("m-vs-n", "title: Lost");
        builder.files_changed(&Changes { rescan: true, ..Changes::default() });
        assert!(text(&builder.build().unwrap().files, "m-vs-n/index.html").contains("Lost"));
    }

    #[cfg(unix)]
    #[test]
    fn a_file_reached_through_a_link_is_always_looked_at() {
        let dir = site();
        let target = dir.path().join("articles/real.txt");
        std::fs::rename(dir.path().join("articles/p-vs-q.md"), &target).unwrap();
        std::os::unix::fs::symlink(&target, dir.path().join("articles/p-vs-q.md")).unwrap();
        let mut builder = builder(dir.path());
        builder.build().unwrap();
        // The target changes: the watcher would name `real.txt`, not the link.
        let text_before = std::fs::read_to_string(&target).unwrap();
        std::fs::write(&target, text_before.replace("title: p-vs-q", "title: Through")).unwrap();
        builder.files_changed(&told(&["articles/real.txt"]));
        let rebuild = builder.build().unwrap();
        assert!(text(&rebuild.files, "p-vs-q/index.html").contains("Through"));
    }

    #[test]
    fn a_template_change_renders_every_page_and_changes_what_it_shows() {
        let dir = site();
        let mut builder = builder(dir.path());
        let first = builder.build().unwrap();
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        std::fs::write(dir.path().join("templates/404.html"), "<p>Lost.</p>").unwrap();
        let rebuild = builder.build().unwrap();
        assert_eq!(rebuild.generated.report.unchanged, 0, "the templates changed");
        assert_eq!(rebuild.generated.report.html_files, first.generated.report.html_files);
        assert_eq!(rebuild.changed, ["404.html"]);
        assert_eq!(text(&rebuild.files, "404.html"), "<p>Lost.</p>");
    }

    #[test]
    fn a_removed_article_leaves_the_site() {
        let dir = site();
        let mut builder = builder(dir.path());
        builder.build().unwrap();
        std::fs::remove_file(dir.path().join("articles/p-vs-q.md")).unwrap();
        let rebuild = builder.build().unwrap();
        assert!(rebuild.removed.contains(&"p-vs-q/index.html".to_string()));
        assert!(rebuild.removed.contains(&"tags/two/index.html".to_string()));
        assert!(!rebuild.files.contains_key("p-vs-q/index.html"));
    }

    #[test]
    fn a_failed_build_changes_nothing_and_the_next_good_one_is_complete() {
        let dir = site();
        let mut builder = builder(dir.path());
        builder.build().unwrap();
        // An article template that fails for an article titled "Renamed" without a note.
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        std::fs::write(
            dir.path().join("templates/article.html"),
            "<h1>{{ article.title }}</h1>{% if article.title == \"Renamed\" %}{{ article.extra.note }}{% endif %}",
        )
        .unwrap();
        builder.build().unwrap();
        let before = Arc::clone(&builder.files);
        // The article page fails, while the home page renders with the new title, and is
        // thrown away with the failed build.
        let path = dir.path().join("articles/p-vs-q.md");
        let renamed =
            std::fs::read_to_string(&path).unwrap().replace("title: p-vs-q", "title: Renamed");
        std::fs::write(&path, &renamed).unwrap();
        assert!(matches!(builder.build(), Err(Error::Site(_))));
        assert!(Arc::ptr_eq(&before, &builder.files), "a failed build changes nothing");
        assert!(!text(&builder.files, "index.html").contains("Renamed"));

        std::fs::write(&path, renamed.replace("author: a\n", "author: a\nextra: {note: ok}\n"))
            .unwrap();
        let rebuild = builder.build().unwrap();
        assert!(text(&rebuild.files, "p-vs-q/index.html").contains("Renamed"));
        assert!(
            text(&rebuild.files, "index.html").contains("Renamed"),
            "the home page rendered by the failed build must not count as served"
        );
    }
}
