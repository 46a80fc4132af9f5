//! Integration tests of the `verdict` binary: each module builds tiny sites (from
//! `tests/fixtures/<feature>/<case>/` or written inline) with the real binary and checks
//! the files it writes, its messages and its exit status.

mod authors;
mod bundles;
mod callouts;
mod check;
mod choose_if;
mod cli;
mod crash;
mod deploy;
mod determinism;
mod diagnostics;
mod documented;
mod drafts;
mod errors;
mod escaping;
mod fingerprints;
mod hardening;
mod hardening_content;
mod init;
mod links;
mod markdown;
mod modules;
mod new;
mod output;
mod scorecard;
mod search;
mod semantics;
mod serve;
mod site_links;
mod site_wide;
mod support;
