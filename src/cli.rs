//! The command line: `verdict <command> [options]`.

use clap::{CommandFactory, Parser, Subcommand};

use crate::cmd::build::BuildArgs;
use crate::cmd::check::CheckArgs;
use crate::cmd::init::InitArgs;
use crate::cmd::new::NewArgs;
use crate::cmd::serve::ServeArgs;

/// A static site generator for technology-comparison articles.
#[derive(Debug, Parser)]
#[command(name = "verdict", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (`dist/` by default).
    Build(BuildArgs),
    /// Build the site into memory, serve it locally, and rebuild and reload open
    /// browsers when it changes.
    Serve(ServeArgs),
    /// Validate the site as a build does, writing nothing, and warn about comparisons
    /// that read wrong (no winner, stale facts, missing images...).
    Check(CheckArgs),
    /// Write a new article, with its front matter filled in from the title.
    New(NewArgs),
    /// Create a new site with an example article, ready to build.
    Init(InitArgs),
    /// Print a completion script for a shell (`verdict completion bash > ~/.local/share/bash-completion/completions/verdict`).
    Completion {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page, in roff (`verdict man > verdict.1; man ./verdict.1`).
    Man,
}

impl Cli {
    /// Runs the chosen command; returns the process exit code.
    pub fn run(&self) -> i32 {
        match &self.command {
            Command::Build(args) => args.run(),
            Command::Serve(args) => args.run(),
            Command::Check(args) => args.run(),
            Command::New(args) => args.run(),
            Command::Init(args) => args.run(),
            Command::Completion { shell } => {
                let mut command = Cli::command();
                clap_complete::generate(*shell, &mut command, "verdict", &mut std::io::stdout());
                0
            }
            Command::Man => {
                let page = clap_mangen::Man::new(Cli::command());
                match page.render(&mut std::io::stdout()) {
                    Ok(()) => 0,
                    Err(e) => {
                        eprintln!("error: cannot write the manual page: {e}");
                        1
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
