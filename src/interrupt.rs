//! Stopping `verdict build` on SIGINT (Ctrl-C), SIGTERM or SIGHUP without leaving its
//! staging folder behind: what a build would leave if it stopped now registers a clean-up
//! ([`on_interrupt`]), and a signal runs every registered clean-up, then exits with
//! 128 + the signal's number (130, 143, 129).
//!
//! Writes into the staging folder and the swap hold the [`gate`] (shared); the clean-up
//! takes it alone, so it never runs in the middle of a write or of the swap: a signal
//! during the swap lets the swap finish, and the new output stands.
//!
//! `serve` handles its own signals (`serve::accept`); nothing here is installed for it.

use std::collections::BTreeMap;
use std::sync::{Mutex, RwLock, RwLockReadGuard};

/// Held (shared) while writing the output; held alone by the clean-up.
static GATE: RwLock<()> = RwLock::new(());

/// Clean-ups to run on a signal, by id.
type CleanUps = BTreeMap<u64, Box<dyn FnOnce() + Send>>;

static CLEAN_UPS: Mutex<(u64, CleanUps)> = Mutex::new((0, BTreeMap::new()));

/// Held while writing into the output or swapping it in: a signal's clean-up waits for it.
/// Never taken twice by one thread.
pub fn gate() -> RwLockReadGuard<'static, ()> {
    GATE.read().unwrap_or_else(|e| e.into_inner())
}

/// A clean-up registered with [`on_interrupt`]; dropping it unregisters the clean-up.
#[derive(Debug)]
pub struct Registered(u64);

impl Drop for Registered {
    fn drop(&mut self) {
        CLEAN_UPS.lock().unwrap_or_else(|e| e.into_inner()).1.remove(&self.0);
    }
}

/// Runs `clean_up` if the build is stopped by a signal before the returned value is
/// dropped.
pub fn on_interrupt(clean_up: impl FnOnce() + Send + 'static) -> Registered {
    let mut clean_ups = CLEAN_UPS.lock().unwrap_or_else(|e| e.into_inner());
    clean_ups.0 += 1;
    let id = clean_ups.0;
    clean_ups.1.insert(id, Box::new(clean_up));
    Registered(id)
}

/// From now on, SIGINT, SIGTERM and SIGHUP run the registered clean-ups, print what
/// happened and exit with 128 + the signal's number. For `verdict build`.
#[cfg(unix)]
pub fn clean_up_on_signals() -> std::io::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    // Registered here, before the build starts, rather than in the thread.
    let (mut interrupt, mut terminate, mut hang_up) = {
        let _context = runtime.enter();
        let interrupt = signal(SignalKind::interrupt())?;
        let terminate = signal(SignalKind::terminate())?;
        let hang_up = signal(SignalKind::hangup())?;
        (interrupt, terminate, hang_up)
    };
    std::thread::Builder::new().name("signals".into()).spawn(move || {
        let (name, code) = runtime.block_on(async {
            tokio::select! {
                _ = interrupt.recv() => ("SIGINT", 130),
                _ = terminate.recv() => ("SIGTERM", 143),
                _ = hang_up.recv() => ("SIGHUP", 129),
            }
        });
        let _alone = GATE.write().unwrap_or_else(|e| e.into_inner());
        let clean_ups = std::mem::take(&mut CLEAN_UPS.lock().unwrap_or_else(|e| e.into_inner()).1);
        for (_, clean_up) in clean_ups {
            clean_up();
        }
        eprintln!("build stopped by {name}");
        std::process::exit(code);
    })?;
    Ok(())
}

/// Elsewhere, signals keep their usual effect.
#[cfg(not(unix))]
pub fn clean_up_on_signals() -> std::io::Result<()> {
    Ok(())
}
