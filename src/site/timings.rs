//! Stage timings of a build, for profiling.

use std::time::Instant;

/// Stage timings printed to stderr when `VERDICT_TIMINGS` is set, for profiling.
pub(crate) struct Timings {
    last: Option<Instant>,
}

impl Timings {
    pub(crate) fn from_env() -> Timings {
        Timings { last: std::env::var_os("VERDICT_TIMINGS").map(|_| Instant::now()) }
    }

    pub(crate) fn lap(&mut self, stage: &str) {
        if let Some(last) = self.last {
            // Memory held now and the peak so far, where the system tells them (Linux).
            let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
            let field = |name: &str| {
                status.lines().find_map(|l| l.strip_prefix(name)).unwrap_or_default().trim()
            };
            eprintln!(
                "{:>8.1} ms  {stage:<28} peak {:>10}  now {:>10}",
                last.elapsed().as_secs_f64() * 1000.0,
                field("VmHWM:"),
                field("VmRSS:")
            );
            self.last = Some(Instant::now());
        }
    }

    /// Starts the next stage now, leaving out the time since the last one.
    pub(crate) fn restart(&mut self) {
        if self.last.is_some() {
            self.last = Some(Instant::now());
        }
    }
}
