//! Markdown rendering for articles, pages and author bios.
//!
//! 1. [`links`] knows every Markdown file's URL, so `.md` links can be rewritten.
//! 2. [`render`] turns a document into HTML in two passes over pulldown-cmark's events,
//!    collecting the table of contents, winner callouts and "Choose X if" blocks.
//! 3. [`callouts`] decides what a callout or a choose-if text names.
//! 4. [`highlight`] colours fenced code with syntect, one element per run of one look,
//!    whose classes and stylesheet come from [`code_styles`]; a line met again in the
//!    same parser state is not parsed again (`parsed_lines`).

pub mod callouts;
pub mod code_styles;
pub mod document;
pub mod documents;
pub mod highlight;
pub mod links;
mod parsed_lines;
pub(crate) use parsed_lines::forget_lines;
pub mod render;
