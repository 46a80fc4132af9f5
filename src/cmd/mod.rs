//! One module per subcommand, each with its `*Args` and `run`.

pub mod build;
pub mod check;
pub mod init;
pub mod new;
pub mod serve;
