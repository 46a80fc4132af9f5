//! The render budget: how long one page's template may take, and what happens to a build
//! whose template never ends (a nested `range(end=100000)` loop, components that fan out
//! exponentially).
//!
//! Tera has no iteration limit and a render cannot be interrupted from outside, so the
//! limit ([`render_time_limit`], 10 s per page) is enforced in two layers:
//!
//! 1. **Inside the render**, at the points Tera calls back into verdict: `range()` (our
//!    own, registered over Tera's) and every write of the page's output check the page's
//!    deadline and fail once it has passed. That stops any loop over `range` and any loop
//!    that writes, with a template error at the template (and, for `range`, the line).
//! 2. **Around the build**, for a loop that reaches neither (a loop over data or
//!    components nesting without output): [`run_bounded`] runs the build on a thread of
//!    its own and watches every render in flight; once one has run for the limit and a
//!    grace period, the build is abandoned with an error naming the template. Its thread
//!    is told to stop (its other renders fail at once) but cannot be killed: `build`
//!    exits, and `serve` starts the next build afresh while that thread runs on.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tera::{Kwargs, State, TeraResult};

use crate::error::Diagnostic;

/// How long rendering one page may take by default.
pub const RENDER_TIME_LIMIT: Duration = Duration::from_secs(10);

/// Environment variable that sets the limit in milliseconds (the tests shorten it).
pub const RENDER_TIME_LIMIT_VAR: &str = "VERDICT_RENDER_TIMEOUT_MS";

/// How long past the limit a render that none of the checks inside it stopped may run
/// before its build is abandoned.
const GRACE: Duration = Duration::from_secs(1);

/// The time one page may take to render: [`RENDER_TIME_LIMIT`], or what
/// [`RENDER_TIME_LIMIT_VAR`] says.
pub fn render_time_limit() -> Duration {
    std::env::var(RENDER_TIME_LIMIT_VAR)
        .ok()
        .and_then(|ms| ms.trim().parse::<u64>().ok())
        .filter(|&ms| ms > 0)
        .map_or(RENDER_TIME_LIMIT, Duration::from_millis)
}

/// The renders of one build in flight, and whether the build was abandoned.
#[derive(Debug, Default)]
pub struct RenderWatch {
    running: Mutex<HashMap<u64, (PathBuf, Instant)>>,
    next: AtomicU64,
    cancelled: AtomicBool,
}

thread_local! {
    /// The watch of the build running on this thread, if [`run_bounded`] started it.
    static WATCH: RefCell<Option<Arc<RenderWatch>>> = const { RefCell::new(None) };
    /// The deadline of the page rendering on this thread, with its watch's flag.
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
    static CANCELLED: RefCell<Option<Arc<RenderWatch>>> = const { RefCell::new(None) };
}

/// The watch of the build running on one thread, carried to the thread that runs the
/// build's work (a pool of its own, in `serve`).
pub struct Carried(Option<Arc<RenderWatch>>);

impl Carried {
    /// The watch of the build on this thread, if any.
    pub fn here() -> Carried {
        Carried(WATCH.with(|w| w.borrow().clone()))
    }

    /// Makes it the watch of the build on this thread.
    pub fn enter(self) {
        WATCH.with(|w| *w.borrow_mut() = self.0);
    }
}

impl RenderWatch {
    /// The watch of the build on this thread ([`run_bounded`]'s), or a new one.
    pub(super) fn current() -> Arc<RenderWatch> {
        WATCH.with(|w| w.borrow().clone()).unwrap_or_default()
    }

    fn cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    /// The template file of the render that has run longest, if longer than `limit`.
    fn overdue(&self, limit: Duration) -> Option<(PathBuf, Duration)> {
        let running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        running
            .values()
            .map(|(origin, started)| (origin.clone(), started.elapsed()))
            .filter(|(_, elapsed)| *elapsed > limit)
            .max_by_key(|(_, elapsed)| *elapsed)
    }
}

/// Why a render stopped early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stop {
    /// The page's deadline passed.
    Deadline,
    /// The build was abandoned.
    Cancelled,
}

/// One page's render, registered with its build's watch while it runs.
pub(super) struct Render {
    watch: Arc<RenderWatch>,
    id: u64,
    deadline: Instant,
}

impl Render {
    /// Starts timing the render of `origin` (the template's file); `Err` when the build
    /// was abandoned.
    pub(super) fn start(watch: &Arc<RenderWatch>, origin: PathBuf) -> Result<Render, Stop> {
        if watch.cancelled() {
            return Err(Stop::Cancelled);
        }
        let id = watch.next.fetch_add(1, Ordering::Relaxed);
        let started = Instant::now();
        watch.running.lock().unwrap_or_else(|e| e.into_inner()).insert(id, (origin, started));
        let deadline = started + render_time_limit();
        DEADLINE.with(|d| d.set(Some(deadline)));
        CANCELLED.with(|c| *c.borrow_mut() = Some(Arc::clone(watch)));
        Ok(Render { watch: Arc::clone(watch), id, deadline })
    }

    /// Why this render must stop, if it must.
    pub(super) fn stop(&self) -> Option<Stop> {
        if self.watch.cancelled() {
            Some(Stop::Cancelled)
        } else if Instant::now() > self.deadline {
            Some(Stop::Deadline)
        } else {
            None
        }
    }
}

impl Drop for Render {
    fn drop(&mut self) {
        self.watch.running.lock().unwrap_or_else(|e| e.into_inner()).remove(&self.id);
        DEADLINE.with(|d| d.set(None));
        CANCELLED.with(|c| *c.borrow_mut() = None);
    }
}

/// Why the render on this thread must stop, if it must (for `range`).
fn thread_stop() -> Option<Stop> {
    if CANCELLED.with(|c| c.borrow().as_ref().is_some_and(|w| w.cancelled())) {
        return Some(Stop::Cancelled);
    }
    DEADLINE.with(|d| d.get()).filter(|deadline| Instant::now() > *deadline).map(|_| Stop::Deadline)
}

/// What a render that had to stop says.
pub(super) fn stop_message(stop: Stop) -> String {
    match stop {
        Stop::Deadline => format!(
            "rendering took longer than {} s; stopped (a loop or components that never end?)",
            render_time_limit().as_secs_f64()
        ),
        Stop::Cancelled => "stopped: the build was abandoned".to_string(),
    }
}

/// A page's output, which fails to take more once its render must stop.
pub(super) struct Output<'a> {
    render: &'a Render,
    bytes: Vec<u8>,
    /// Writes since the clock was last read.
    writes: u32,
}

/// How many writes go by between two readings of the clock: a page is written in
/// thousands of small pieces, and reading the clock for each one cost a tenth of the
/// time of writing pages.
const WRITES_PER_CHECK: u32 = 64;

impl<'a> Output<'a> {
    /// An empty page's output, checked against `render`'s deadline.
    pub(super) fn new(render: &'a Render) -> Output<'a> {
        Output { render, bytes: Vec::with_capacity(32 * 1024), writes: 0 }
    }

    /// The bytes written.
    pub(super) fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

impl Write for Output<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writes += 1;
        if self.writes >= WRITES_PER_CHECK {
            self.writes = 0;
            if let Some(stop) = self.render.stop() {
                return Err(std::io::Error::new(std::io::ErrorKind::TimedOut, stop_message(stop)));
            }
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Tera's `range(start=0, end, step_by=1)`, which also fails once the page's render must
/// stop: a loop over it ends at its next call.
pub(super) fn range(kwargs: Kwargs, _: &State) -> TeraResult<Vec<i128>> {
    if let Some(stop) = thread_stop() {
        return Err(tera::Error::message(stop_message(stop)));
    }
    let start = kwargs.get::<i128>("start")?.unwrap_or_default();
    let end = kwargs.must_get::<i128>("end")?;
    let step_by = kwargs.get::<i128>("step_by")?.unwrap_or(1);
    if step_by == 0 {
        return Err(tera::Error::message("Function `range` was called with a `step_by` of 0"));
    }
    if start > end && step_by > 0 {
        return Err(tera::Error::message(
            "Function `range` was called with a `start` argument greater than the `end` one",
        ));
    }
    // Tera's own limit.
    const MAX_LEN: i128 = 100_000;
    let len = if step_by > 0 {
        (end.saturating_sub(start).saturating_add(step_by - 1)) / step_by
    } else if start <= end {
        0
    } else {
        (start.saturating_sub(end).saturating_sub(step_by + 1)) / -step_by
    };
    if len > MAX_LEN {
        return Err(tera::Error::message(format!(
            "Function `range` would produce {len} elements, which exceeds the limit of {MAX_LEN}"
        )));
    }
    Ok((0..len).map(|i| start + i * step_by).collect())
}

/// Runs `work` (a build) on a thread of its own, watching its renders: returns what it
/// returned, or, once one of its renders has run for [`render_time_limit`] and a grace
/// period without stopping, the error that abandons it (naming the template). The thread
/// is then told to stop and left to end by itself.
pub fn run_bounded<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Diagnostic> {
    let watch = Arc::new(RenderWatch::default());
    let (done, result) = std::sync::mpsc::sync_channel(1);
    let inner = Arc::clone(&watch);
    let spawned = std::thread::Builder::new().name("verdict-build".into()).spawn(move || {
        WATCH.with(|w| *w.borrow_mut() = Some(inner));
        let _ = done.send(work());
    });
    if let Err(e) = spawned {
        return Err(Diagnostic::new("templates", format!("cannot start a build thread: {e}")));
    }
    let limit = render_time_limit() + GRACE;
    loop {
        match result.recv_timeout(Duration::from_millis(50)) {
            Ok(value) => return Ok(value),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                return Err(Diagnostic::new("templates", "the build stopped unexpectedly"));
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
        }
        if let Some((origin, elapsed)) = watch.overdue(limit) {
            watch.cancelled.store(true, Ordering::Relaxed);
            return Err(Diagnostic::new(
                origin,
                format!(
                    "template error: a page was still rendering after {:.0} s, over the limit of {} s; the build was abandoned",
                    elapsed.as_secs_f64(),
                    render_time_limit().as_secs_f64()
                ),
            )
            .hint(format!(
                "look for a loop or components that never end; `{RENDER_TIME_LIMIT_VAR}` sets the limit in milliseconds"
            )));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_render_stops_once_the_build_is_abandoned() {
        let watch = Arc::new(RenderWatch::default());
        let render = Render::start(&watch, "templates/a.html".into()).unwrap();
        assert_eq!(render.stop(), None);
        assert_eq!(thread_stop(), None);
        watch.cancelled.store(true, Ordering::Relaxed);
        assert_eq!(render.stop(), Some(Stop::Cancelled));
        assert_eq!(thread_stop(), Some(Stop::Cancelled));
        drop(render);
        assert_eq!(thread_stop(), None);
        assert!(Render::start(&watch, "templates/a.html".into()).is_err());
    }

    #[test]
    fn run_bounded_returns_what_the_work_returns() {
        assert_eq!(run_bounded(|| 42).unwrap(), 42);
    }
}
