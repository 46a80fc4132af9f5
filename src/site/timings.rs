//! Stage timings of a build, for profiling.

use std::time::Instant;

/// Stage timings printed to stderr when `VERDICT_TIMINGS` is set, for profiling.
pub(super) struct Timings {
    last: Option<Instant>,
}

impl Timings {
    pub(super) fn from_env() -> Timings {
        Timings { last: std::env::var_os("VERDICT_TIMINGS").map(|_| Instant::now()) }
    }

    pub(super) fn lap(&mut self, stage: &str) {
        if let Some(last) = self.last {
            // Peak memory so far, where the system tells it (Linux).
            let peak = std::fs::read_to_string("/proc/self/status")
                .ok()
                .and_then(|s| {
                    s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l[6..].trim().to_string())
                })
                .unwrap_or_default();
            eprintln!("{:>8.1} ms  {stage:<28} peak {peak}", last.elapsed().as_secs_f64() * 1000.0);
            self.last = Some(Instant::now());
        }
    }

    /// Starts the next stage now, leaving out the time since the last one.
    pub(super) fn restart(&mut self) {
        if self.last.is_some() {
            self.last = Some(Instant::now());
        }
    }
}
