//! The `verdict` binary: parses the command line and runs the library.

use clap::Parser;

/// A build allocates and frees many small strings on every thread (Markdown events,
/// highlighted spans, template values); mimalloc does that with less time and less
/// contention than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = verdict::cli::Cli::parse();
    std::process::exit(cli.run());
}
