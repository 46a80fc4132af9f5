//! verdict: a static site generator for technology-comparison articles.
//!
//! A build flows one way, each stage taking the last one's data:
//! `site.yaml` → [`config::SiteConfig`] → validated [`content`] → rendered
//! [`markdown`] → pages through [`templates`] → the output folder ([`site`]).

pub mod cache;
pub mod cards;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod error;
pub mod files;
pub mod images;
pub mod interrupt;
pub mod locks;
pub mod markdown;
pub mod serve;
pub mod site;
pub mod slug;
pub mod templates;
pub mod theme;
pub mod urls;
pub mod yaml;
