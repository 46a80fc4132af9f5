//! An image's size in pixels, read from its header alone: PNG, JPEG, GIF, WebP and AVIF
//! through `imagesize`, SVG from its root element's `width`/`height` or `viewBox`.

use std::io::Read;
use std::path::Path;

use super::Format;

/// What the header of an image file says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Probed {
    /// Width in pixels (CSS pixels for SVG).
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The format, when it is one variants can be made from.
    pub format: Option<Format>,
}

/// The size of the image at `path`, or why it cannot be told.
pub fn probe(path: &Path) -> Result<Probed, String> {
    let is_svg = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("svg"));
    let (file, _) = crate::files::open_regular(path).map_err(|e| e.to_string())?;
    if is_svg {
        let mut text = String::new();
        file.take(crate::files::MAX_FILE_BYTES)
            .read_to_string(&mut text)
            .map_err(|e| format!("not UTF-8 text: {e}"))?;
        let (width, height) = svg_size(&text)?;
        return Ok(Probed { width, height, format: None });
    }
    // Headers sit in the first bytes, except a JPEG's, which may follow large metadata.
    let mut head = Vec::new();
    file.take(256 * 1024).read_to_end(&mut head).map_err(|e| e.to_string())?;
    let size = imagesize::blob_size(&head).map_err(|e| match e {
        imagesize::ImageError::NotSupported => {
            "not an image format verdict reads (PNG, JPEG, GIF, WebP, AVIF or SVG)".to_string()
        }
        imagesize::ImageError::CorruptedImage => "its header is damaged".to_string(),
        imagesize::ImageError::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            "the file ends before its header does".to_string()
        }
        imagesize::ImageError::IoError(e) => e.to_string(),
    })?;
    let format = match imagesize::image_type(&head) {
        Ok(imagesize::ImageType::Png) => Some(Format::Png),
        Ok(imagesize::ImageType::Jpeg) => Some(Format::Jpeg),
        Ok(imagesize::ImageType::Webp) => Some(Format::Webp),
        _ => None,
    };
    let (width, height) = (to_u32(size.width), to_u32(size.height));
    if width == 0 || height == 0 {
        return Err("its header gives no size".to_string());
    }
    Ok(Probed { width, height, format })
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The size an SVG is shown at without CSS: its `width` and `height` in pixels, or its
/// `viewBox` (scaled to one of them when only one is given).
pub fn svg_size(text: &str) -> Result<(u32, u32), String> {
    let options = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    let doc = roxmltree::Document::parse_with_options(text, options)
        .map_err(|e| format!("not a readable SVG: {e}"))?;
    let root = doc.root_element();
    if root.tag_name().name() != "svg" {
        return Err("its root element is not `<svg>`".to_string());
    }
    let length = |name: &str| root.attribute(name).and_then(pixels);
    let view_box = root.attribute("viewBox").and_then(|v| {
        let n: Vec<f64> = v
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|s| !s.is_empty())
            .filter_map(|s| s.parse().ok())
            .collect();
        match n[..] {
            [_, _, w, h] if w > 0.0 && h > 0.0 => Some((w, h)),
            _ => None,
        }
    });
    let (w, h) = match (length("width"), length("height"), view_box) {
        (Some(w), Some(h), _) => (w, h),
        (Some(w), None, Some((vw, vh))) => (w, w * vh / vw),
        (None, Some(h), Some((vw, vh))) => (h * vw / vh, h),
        (_, _, Some(size)) => size,
        _ => return Err("its `<svg>` has neither `width` and `height` nor a `viewBox`".to_string()),
    };
    let round = |x: f64| x.round().clamp(1.0, f64::from(u32::MAX)) as u32;
    Ok((round(w), round(h)))
}

/// An SVG length in pixels: a number, or a number in `px` (percentages and other units
/// depend on where the image is shown).
fn pixels(value: &str) -> Option<f64> {
    let value = value.trim();
    let number = value.strip_suffix("px").unwrap_or(value).trim();
    number.parse::<f64>().ok().filter(|n| n.is_finite() && *n > 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_svg_sizes_from_attributes_or_view_box() {
        let svg = |attrs: &str| format!("<svg xmlns=\"http://www.w3.org/2000/svg\" {attrs}/>");
        assert_eq!(svg_size(&svg("width=\"640\" height=\"360px\"")), Ok((640, 360)));
        assert_eq!(svg_size(&svg("viewBox=\"0 0 800 450\"")), Ok((800, 450)));
        assert_eq!(svg_size(&svg("width=\"400\" viewBox=\"0,0,800,450\"")), Ok((400, 225)));
        assert_eq!(svg_size(&svg("width=\"100%\" viewBox=\"0 0 80 45\"")), Ok((80, 45)));
        assert!(svg_size(&svg("width=\"50%\"")).is_err());
        assert!(svg_size("<html/>").is_err());
        assert!(svg_size("not xml").is_err());
    }
}
