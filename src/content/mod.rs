//! The site's content as written: front matter, articles, authors, pages.

pub mod alias;
pub mod article;
pub mod author;
pub mod catalog;
pub mod date;
pub mod facts;
pub mod front_matter;
pub mod hashing;
pub mod page;
