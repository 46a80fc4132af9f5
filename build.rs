//! Stamps the binary with a hash of the code that built it (`src/`, `themes/`,
//! `Cargo.lock`, `Cargo.toml` and this file), as `VERDICT_CODE_STAMP`. Every cache file
//! names the stamp of the binary that wrote it, so a binary built from other code never
//! reuses it, whatever its version number says.

use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let mut files = Vec::new();
    for input in ["src", "themes", "Cargo.lock", "Cargo.toml", "build.rs"] {
        println!("cargo:rerun-if-changed={input}");
        collect(&root.join(input), &mut files);
    }
    files.sort();
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for path in &files {
        let rel = path.strip_prefix(&root).unwrap_or(path);
        hasher.update(rel.to_string_lossy().as_bytes());
        hasher.update(&[0]);
        let bytes = std::fs::read(path).unwrap_or_default();
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
    // Features change what the same code builds (the grammar set).
    let mut features: Vec<String> = std::env::vars()
        .filter_map(|(k, _)| k.strip_prefix("CARGO_FEATURE_").map(str::to_string))
        .collect();
    features.sort();
    hasher.update(features.join(",").as_bytes());
    println!("cargo:rustc-env=VERDICT_CODE_STAMP={:032x}", hasher.digest128());
}

/// Every file under `path` (or `path` itself).
fn collect(path: &Path, files: &mut Vec<PathBuf>) {
    if path.is_file() {
        files.push(path.to_path_buf());
    } else if let Ok(entries) = std::fs::read_dir(path) {
        for entry in entries.flatten() {
            collect(&entry.path(), files);
        }
    }
}
