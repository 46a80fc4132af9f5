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
            let elapsed = last.elapsed().as_secs_f64() * 1000.0;
            eprintln!(
                "{elapsed:>8.1} ms  {stage:<28} peak {:>10}  now {:>10}{}",
                field("VmHWM:"),
                field("VmRSS:"),
                self.referenced()
            );
            self.last = Some(Instant::now());
        }
    }

    /// With `VERDICT_TIMINGS=refs`, the memory the stage read or wrote, which the system
    /// tells (Linux): the flags of the process's pages are cleared at the end of each stage
    /// (this takes time itself, which counts in the next stage).
    fn referenced(&self) -> String {
        if std::env::var_os("VERDICT_TIMINGS").is_none_or(|v| v != "refs") {
            return String::new();
        }
        let rollup = std::fs::read_to_string("/proc/self/smaps_rollup").unwrap_or_default();
        let referenced = rollup.lines().find_map(|l| l.strip_prefix("Referenced:"));
        let _ = std::fs::write("/proc/self/clear_refs", "1");
        format!("  touched {:>10}", referenced.unwrap_or_default().trim())
    }

    /// Starts the next stage now, leaving out the time since the last one.
    pub(crate) fn restart(&mut self) {
        if self.last.is_some() {
            self.last = Some(Instant::now());
        }
    }
}
