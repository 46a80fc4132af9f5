//! `verdict build`.

use std::path::PathBuf;

use clap::Args;

use crate::config::CONFIG_FILE;
use crate::diagnostics::{Format, count, print_report};
use crate::error::Error;
use crate::site::{BuildOptions, Cache, Drafts, build};
use crate::templates::budget::run_bounded;

/// Options of `verdict build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Site folder, holding `site.yaml`.
    #[arg(long, short, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Read the configuration from FILE instead of `site.yaml`. A relative path is read
    /// from the site folder (`--root`), which stays the site: themes, content and the
    /// output are found from there.
    #[arg(long, short = 'c', value_name = "FILE", default_value = CONFIG_FILE)]
    pub config: PathBuf,
    /// Where to write the site; `dist/` inside the site folder by default. Its previous
    /// contents are replaced only when the build succeeds.
    #[arg(long, short, visible_alias = "output-dir", value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Also build articles and pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Build for this address instead of `base_url` from site.yaml, e.g.
    /// `https://example.com/blog/` for a site served under a sub-path.
    #[arg(long, short = 'u', value_name = "URL")]
    pub base_url: Option<String>,
    /// Neither read nor write the cache of highlighted code in `.verdict-cache/`.
    #[arg(long)]
    pub no_cache: bool,
    /// How to print errors: `human` (source lines and carets, on stderr) or `json` (one
    /// object per line on stdout, for editors and CI).
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = Format::Human)]
    pub format: Format,
}

impl BuildArgs {
    /// Builds; prints what was built to stderr. Returns the exit code.
    pub fn run(&self) -> i32 {
        let output = self.output.clone().unwrap_or_else(|| self.root.join("dist"));
        // Ctrl-C, SIGTERM and SIGHUP remove the staging folder before exiting; if they
        // cannot be caught, they stop the build as they always do.
        if let Err(e) = crate::interrupt::clean_up_on_signals() {
            eprintln!("warning: signals will not clean up: {e}");
        }
        let options = BuildOptions {
            root: self.root.clone(),
            config: self.config.clone(),
            output: output.clone(),
            drafts: if self.drafts { Drafts::Include } else { Drafts::Skip },
            base_url: self.base_url.clone(),
            cache: if self.no_cache { Cache::Skip } else { Cache::Use },
        };
        // A page whose template never ends abandons the build (see `templates::budget`);
        // its thread ends with the process, the previous output untouched.
        let bounded = options.clone();
        let result = run_bounded(move || build(&bounded)).unwrap_or_else(|d| Err(Error::site(d)));
        match result {
            Ok(report) => {
                let cards = if report.cards > 0 {
                    format!(
                        "; {} social card{}, {} drawn",
                        report.cards,
                        plural(report.cards),
                        report.cards_drawn
                    )
                } else {
                    String::new()
                };
                eprintln!(
                    "Built {} article{}, {} page{} and {} author{} ({} HTML files, {} rendered{cards}) into `{}` in {} ms",
                    report.articles,
                    plural(report.articles),
                    report.pages,
                    plural(report.pages),
                    report.authors,
                    plural(report.authors),
                    report.html_files + report.unchanged,
                    report.html_files,
                    output.display(),
                    report.elapsed.as_millis()
                );
                0
            }
            Err(error) => {
                let diagnostics = error.into_diagnostics();
                let summary = format!("build failed: {}", count(&diagnostics));
                print_report(&diagnostics, &self.root, self.format, &summary);
                1
            }
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
