//! Turning names into URL-safe slugs and ids, and checking the names that become
//! segments of output paths.

use std::path::Path;

use crate::error::Diagnostic;

/// `Hello, World!` → `hello-world`: lower case, letters and digits kept, every other run
/// of characters turned into one `-`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if dash && !slug.is_empty() {
                slug.push('-');
            }
            dash = false;
            slug.extend(c.to_lowercase());
        } else {
            dash = true;
        }
    }
    slug
}

/// A contender's default id (SPEC §2): `C++` → `cpp`, `C#` → `csharp`, `.NET` → `dotnet`,
/// `Node.js` → `node-js`.
pub fn contender_id(name: &str) -> String {
    let name = name.trim();
    let mut spelled = String::with_capacity(name.len() + 8);
    let rest = match name.strip_prefix('.') {
        Some(rest) => {
            spelled.push_str("dot");
            rest
        }
        None => name,
    };
    for c in rest.chars() {
        match c {
            '+' => spelled.push('p'),
            '#' => spelled.push_str("sharp"),
            c => spelled.push(c),
        }
    }
    slugify(&spelled)
}

/// Whether `slug` is safe as one path segment of the output: no separators, no `..`,
/// no leading dot, nothing but letters, digits, `-`, `_` and `.`.
pub fn is_safe_segment(slug: &str) -> bool {
    !slug.is_empty()
        && !slug.starts_with('.')
        && slug.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Whether `segment` is a device name that Windows reserves (`CON`, `NUL`, `COM1`...,
/// with any extension and in any case): no file or folder can have it there, so a site
/// using it could not be cloned, built or deployed from Windows. The list is Microsoft's
/// "Naming Files, Paths, and Namespaces"
/// (<https://learn.microsoft.com/en-us/windows/win32/fileio/naming-a-file>).
pub fn is_reserved_on_windows(segment: &str) -> bool {
    let stem = segment.split('.').next().unwrap_or(segment).to_ascii_lowercase();
    match stem.as_str() {
        "con" | "prn" | "aux" | "nul" => true,
        _ => ["com", "lpt"].iter().any(|port| {
            stem.strip_prefix(port).is_some_and(|number| {
                matches!(
                    number,
                    "0" | "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "¹" | "²" | "³"
                )
            })
        }),
    }
}

/// Why a Windows device name is refused, for the hints of the errors about one.
pub const RESERVED_ON_WINDOWS: &str = "no file or folder can be called that on Windows, so the site could not be cloned or deployed from there";

/// Why a name cannot be one segment of an output path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadSegment {
    /// Empty, starting with a dot, or holding something else than letters, digits, `-`,
    /// `_` and `.` (see [`is_safe_segment`]).
    Unsafe,
    /// A device name that Windows reserves (see [`is_reserved_on_windows`]).
    ReservedOnWindows,
}

/// Checks a name that becomes one segment of an output path: an article's or page's slug,
/// an author id, a contender id, a tag's slug. Every one of them goes through this check.
pub fn check_segment(segment: &str) -> Result<(), BadSegment> {
    if !is_safe_segment(segment) {
        Err(BadSegment::Unsafe)
    } else if is_reserved_on_windows(segment) {
        Err(BadSegment::ReservedOnWindows)
    } else {
        Ok(())
    }
}

/// The error for an article's or page's slug that is a device name Windows reserves;
/// `line` is the `slug:` line (or the first line of the front matter, for a slug taken
/// from the file name).
pub fn reserved_slug(source: &Path, slug: &str, line: usize) -> Diagnostic {
    Diagnostic::new(source, format!("the slug `{slug}` is a device name that Windows reserves"))
        .at(line, 1)
        .hint(format!("set another `slug:`: {RESERVED_ON_WINDOWS}"))
}

/// The first segment of `path` that is a device name Windows reserves, if any (for files
/// copied as they are, whose names become output paths).
pub fn reserved_segment(path: &Path) -> Option<String> {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .find(|segment| is_reserved_on_windows(segment))
        .map(|segment| segment.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugifies_titles() {
        assert_eq!(slugify("Hello, World!"), "hello-world");
        assert_eq!(slugify("  1. Performance "), "1-performance");
        assert_eq!(slugify("Ça va"), "ça-va");
    }

    #[test]
    fn derives_contender_ids_per_spec() {
        assert_eq!(contender_id("C++"), "cpp");
        assert_eq!(contender_id("C#"), "csharp");
        assert_eq!(contender_id(".NET"), "dotnet");
        assert_eq!(contender_id("Node.js"), "node-js");
        assert_eq!(contender_id("Go"), "go");
        assert_eq!(contender_id("F#"), "fsharp");
    }

    #[test]
    fn rejects_unsafe_segments() {
        for bad in ["", "..", "../x", "/abs", "a/b", "a\\b", ".hidden"] {
            assert!(!is_safe_segment(bad), "{bad}");
        }
        assert!(is_safe_segment("rust-vs-go"));
    }

    #[test]
    fn knows_windows_device_names() {
        for reserved in ["con", "CON", "nul", "aux.html", "com1", "LPT9", "prn"] {
            assert!(is_reserved_on_windows(reserved), "{reserved}");
        }
        for fine in ["console", "com", "com10", "lpt", "icon", "null", "auxiliary", "c"] {
            assert!(!is_reserved_on_windows(fine), "{fine}");
        }
        for reserved in ["com0", "LPT0", "com¹", "lpt³.txt", "Con.tar.gz"] {
            assert!(is_reserved_on_windows(reserved), "{reserved}");
        }
        // Regression: a name whose third byte falls inside a character panicked.
        for fine in ["éé", "日本語", "coé", "com²x", ""] {
            assert!(!is_reserved_on_windows(fine), "{fine}");
        }
    }

    #[test]
    fn checks_output_segments_for_both_problems() {
        assert_eq!(check_segment("rust-vs-go"), Ok(()));
        assert_eq!(check_segment("../x"), Err(BadSegment::Unsafe));
        assert_eq!(check_segment(""), Err(BadSegment::Unsafe));
        assert_eq!(check_segment("nul"), Err(BadSegment::ReservedOnWindows));
        assert_eq!(check_segment("AUX.html"), Err(BadSegment::ReservedOnWindows));
        assert_eq!(reserved_segment(Path::new("assets/con/logo.svg")).as_deref(), Some("con"));
        assert_eq!(reserved_segment(Path::new("assets/icon.svg")), None);
    }
}
