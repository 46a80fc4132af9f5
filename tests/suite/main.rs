//! Integration tests of the `verdict` binary: each module builds tiny sites (from
//! `tests/fixtures/<feature>/<case>/` or written inline) with the real binary and checks
//! the files it writes, its messages and its exit status.

mod aliases;
mod authors;
mod browser;
mod bundles;
mod callouts;
mod cards;
mod check;
mod choose_if;
mod cli;
mod code_markup;
mod config_file;
mod crash;
mod deploy;
mod determinism;
mod diagnostics;
mod documented;
mod drafts;
mod errors;
mod escaping;
mod external;
mod facts;
mod feeds;
mod fingerprints;
mod hardening;
mod hardening_content;
mod images;
mod init;
mod links;
mod markdown;
mod matrix;
mod modules;
mod new;
mod output;
mod output_store;
mod scorecard;
mod search;
mod semantics;
mod serve;
mod site_links;
mod site_wide;
mod staleness;
mod support;
mod swap;
mod verdicts;
