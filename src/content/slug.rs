//! Turning names into URL-safe slugs and ids.

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
/// using it could not be cloned, built or deployed from Windows.
pub fn is_reserved_on_windows(segment: &str) -> bool {
    let stem = segment.split('.').next().unwrap_or(segment).to_ascii_lowercase();
    match stem.as_str() {
        "con" | "prn" | "aux" | "nul" => true,
        _ => {
            let (head, tail) = stem.split_at(stem.len().min(3));
            matches!(head, "com" | "lpt")
                && matches!(tail, "0" | "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9")
        }
    }
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
    }
}
