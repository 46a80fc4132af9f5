//! Every cache a build keeps.

pub mod code;
pub mod file;
pub mod generations;
pub mod pages;
