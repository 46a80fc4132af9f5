//! The swap of the output folder: on Linux, one `renameat2(RENAME_EXCHANGE)`, so that
//! there is never a moment without `dist/`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::support::{Site, article, staging_leftovers};

/// A reader polling `dist/index.html` while builds replace the output never finds it
/// missing: each build changes the home page, so every swap replaces it.
#[cfg(target_os = "linux")]
#[test]
fn a_reader_never_finds_the_output_missing_during_builds() {
    let site = Site::new();
    site.write("articles/a.md", &article("A", "2025-01-01", "## Speed\n\nWinner: Rust.\n"));
    site.build_ok(&[]);
    let index = site.path("dist/index.html");
    let stop = Arc::new(AtomicBool::new(false));
    let (reads, missing) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let reader = {
        let (stop, reads, missing) = (Arc::clone(&stop), Arc::clone(&reads), Arc::clone(&missing));
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                match std::fs::read(&index) {
                    Ok(_) => reads.fetch_add(1, Ordering::Relaxed),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        missing.fetch_add(1, Ordering::Relaxed)
                    }
                    Err(e) => panic!("reading the home page: {e}"),
                };
            }
        })
    };
    for round in 0..12 {
        let title = format!("A, round {round}");
        site.write("articles/a.md", &article(&title, "2025-01-01", "## Speed\n\nWinner: Rust.\n"));
        let build = site.build_ok(&[]);
        assert!(build.read("index.html").contains(&title));
    }
    stop.store(true, Ordering::Relaxed);
    reader.join().unwrap();
    assert!(reads.load(Ordering::Relaxed) > 100, "the reader ran alongside the builds");
    assert_eq!(missing.load(Ordering::Relaxed), 0, "`dist/index.html` was missing");
    assert_eq!(staging_leftovers(site.root()), Vec::<String>::new());
}
