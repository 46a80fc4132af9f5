//! The command line: `verdict <command> [options]`.

use clap::{Parser, Subcommand};

use crate::cmd::build::BuildArgs;

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
}

impl Cli {
    /// Runs the chosen command; returns the process exit code.
    pub fn run(&self) -> i32 {
        match &self.command {
            Command::Build(args) => args.run(),
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
