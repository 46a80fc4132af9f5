//! The `verdict` binary: parses the command line and runs the library.

use clap::Parser;

fn main() {
    let cli = verdict::cli::Cli::parse();
    std::process::exit(cli.run());
}
