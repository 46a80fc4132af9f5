//! Where an image path written in a document leads once the site is deployed, like a
//! browser resolves it against the page's URL.

/// Where an image path leads.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A URL of another site, or a data URL: not checked.
    Elsewhere,
    /// This path of the output, relative to its root.
    Output(String),
    /// A root-relative path that is not under the site's base path (`/img/x.png` in a
    /// site deployed at `/blog/`).
    OutsideBase,
}

/// Resolves `src` as written on the page at root-relative `page_url`, in a site whose
/// base path is `base_path`.
pub fn target(src: &str, page_url: &str, base_path: &str) -> Target {
    let src = src.trim();
    if src.is_empty()
        || src.contains("://")
        || src.starts_with("//")
        || src.starts_with('#')
        || (src.contains(':') && !src.contains('/'))
        || src.starts_with("data:")
        || src.starts_with("mailto:")
    {
        return Target::Elsewhere;
    }
    let path = src.split(['#', '?']).next().unwrap_or(src);
    let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let absolute = if path.starts_with('/') {
        path.into_owned()
    } else {
        let dir = &page_url[..page_url.rfind('/').map_or(0, |i| i + 1)];
        format!("{dir}{path}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in absolute.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    let joined = parts.join("/");
    let base = base_path.trim_matches('/');
    if base.is_empty() {
        return Target::Output(joined);
    }
    match joined.strip_prefix(base) {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => {
            Target::Output(rest.trim_start_matches('/').to_string())
        }
        _ => Target::OutsideBase,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_image_paths_like_a_browser() {
        let output = |rel: &str| Target::Output(rel.to_string());
        assert_eq!(target("a.png", "/rust-vs-go/", "/"), output("rust-vs-go/a.png"));
        assert_eq!(target("../img/a.png", "/blog/x/", "/blog/"), output("img/a.png"));
        assert_eq!(target("/blog/img/a%20b.png?v=1", "/blog/x/", "/blog/"), output("img/a b.png"));
        assert_eq!(target("/img/a.png", "/x/", "/"), output("img/a.png"));
        assert_eq!(target("img.png", "/", "/"), output("img.png"));
        assert_eq!(target("/img/a.png", "/blog/x/", "/blog/"), Target::OutsideBase);
        assert_eq!(target("../../a.png", "/blog/x/", "/blog/"), Target::OutsideBase);
        for external in ["https://x.org/a.png", "//cdn/a.png", "data:image/png;base64,AA", ""] {
            assert_eq!(target(external, "/x/", "/"), Target::Elsewhere, "{external}");
        }
    }
}
