//! Social cards: an SVG (the theme's `social-card.svg`, rendered by Tera) made into a
//! 1200×630 PNG in-process with resvg. Text is set in Inter, built into the binary
//! (`src/cards/fonts/`, SIL Open Font License); no system font is ever loaded and no
//! file or URL an SVG names is read (only `data:` images), so a card comes out the same
//! on every machine.

use std::sync::{Arc, LazyLock};

use resvg::tiny_skia;
use resvg::usvg;

/// Width of a card, in pixels.
pub const WIDTH: u32 = 1200;
/// Height of a card, in pixels.
pub const HEIGHT: u32 = 630;

/// The family name of the built-in font, the cards' default.
pub const FONT_FAMILY: &str = "Inter";

static FONTS: LazyLock<Arc<usvg::fontdb::Database>> = LazyLock::new(|| {
    let mut db = usvg::fontdb::Database::new();
    db.load_font_data(include_bytes!("fonts/Inter-Regular.otf").to_vec());
    db.load_font_data(include_bytes!("fonts/Inter-Bold.otf").to_vec());
    // Whatever family a template names, the built-in font stands for it.
    db.set_serif_family(FONT_FAMILY);
    db.set_sans_serif_family(FONT_FAMILY);
    db.set_monospace_family(FONT_FAMILY);
    db.set_cursive_family(FONT_FAMILY);
    db.set_fantasy_family(FONT_FAMILY);
    Arc::new(db)
});

/// The options every SVG is read with: the built-in fonts, and images from `data:` URLs
/// only.
fn options() -> usvg::Options<'static> {
    let mut options = usvg::Options {
        font_family: FONT_FAMILY.to_string(),
        fontdb: FONTS.clone(),
        ..usvg::Options::default()
    };
    options.image_href_resolver.resolve_string = Box::new(|_, _| None);
    options
}

/// Reads an SVG document as the cards read one (a logo, to check it before it is
/// embedded): `Err` with what is wrong.
pub fn check_svg(data: &[u8]) -> Result<(), String> {
    usvg::Tree::from_data(data, &options()).map(|_| ()).map_err(|e| e.to_string())
}

/// Renders `svg` to a [`WIDTH`]×[`HEIGHT`] PNG; an SVG of another size is scaled to fit.
pub fn render_png(svg: &str) -> Result<Vec<u8>, String> {
    let tree = usvg::Tree::from_str(svg, &options()).map_err(|e| e.to_string())?;
    let size = tree.size();
    let scale = (WIDTH as f32 / size.width()).min(HEIGHT as f32 / size.height());
    // Each thread draws into the same buffers card after card: a fresh 3 MB pixmap per
    // card costs more in page faults than the drawing of its background.
    BUFFERS.with_borrow_mut(|buffers| {
        let Buffers { pixmap, pixels } = buffers;
        pixmap.fill(tiny_skia::Color::TRANSPARENT);
        resvg::render(&tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
        encode(pixmap, pixels)
    })
}

/// A thread's pixmap and the bytes its PNG is made from.
struct Buffers {
    pixmap: tiny_skia::Pixmap,
    pixels: Vec<u8>,
}

thread_local! {
    static BUFFERS: std::cell::RefCell<Buffers> = std::cell::RefCell::new(Buffers {
        pixmap: tiny_skia::Pixmap::new(WIDTH, HEIGHT).expect("a card's size is valid"),
        pixels: Vec::new(),
    });
}

/// A PNG of `pixmap`, made from `pixels` (a buffer reused from card to card): RGB when it
/// is opaque (as a card is meant to be), else RGBA; fast compression, which costs a few
/// per cent in size on cards' flat colours.
fn encode(pixmap: &tiny_skia::Pixmap, pixels: &mut Vec<u8>) -> Result<Vec<u8>, String> {
    let opaque = pixmap.pixels().iter().all(|p| p.alpha() == 255);
    pixels.clear();
    if opaque {
        pixels.resize(pixmap.pixels().len() * 3, 0);
        for (rgb, p) in pixels.chunks_exact_mut(3).zip(pixmap.data().chunks_exact(4)) {
            rgb.copy_from_slice(&p[..3]);
        }
    } else {
        pixels.extend(pixmap.pixels().iter().flat_map(|p| {
            let c = p.demultiply();
            [c.red(), c.green(), c.blue(), c.alpha()]
        }));
    }
    let mut png = Vec::with_capacity(128 * 1024);
    let mut encoder = png::Encoder::new(&mut png, pixmap.width(), pixmap.height());
    encoder.set_color(if opaque { png::ColorType::Rgb } else { png::ColorType::Rgba });
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    writer.write_image_data(pixels).map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    Ok(png)
}

/// `text` in lines of at most `width` pixels at `font_size` in the built-in bold font,
/// broken between words (a word longer than a line is cut), at most `max_lines` of
/// them: the last line of a text that does not fit ends in `…`. Widths are estimated
/// from classes of characters, on the wide side, so a line never overflows.
pub fn wrap(text: &str, font_size: f32, width: f32, max_lines: usize) -> Vec<String> {
    let room = width / font_size.max(1.0);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let joined = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
        if em_width(&joined) <= room {
            line = joined;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // A word wider than a line is cut where it fills one.
        let mut rest = word.to_string();
        while em_width(&rest) > room {
            let cut = fitting(&rest, room).max(1);
            let tail = rest.split_off(rest.char_indices().nth(cut).map_or(rest.len(), |(i, _)| i));
            lines.push(std::mem::replace(&mut rest, tail));
        }
        line = rest;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            let mut cut = last.clone();
            while !cut.is_empty() && em_width(&format!("{cut}…")) > room {
                cut.pop();
            }
            // A word cut short is left out, when the line keeps another.
            if cut.len() < last.len() {
                if let Some((head, _)) = cut.rsplit_once(' ') {
                    if !head.trim().is_empty() {
                        cut = head.to_string();
                    }
                }
            }
            *last = format!("{}…", cut.trim_end_matches([' ', ',', ';', ':', '-', '–']));
        }
    }
    lines
}

/// How many of `text`'s characters fit in `room` ems.
fn fitting(text: &str, room: f32) -> usize {
    let mut total = 0.0;
    for (n, c) in text.chars().enumerate() {
        total += char_width(c);
        if total > room {
            return n;
        }
    }
    text.chars().count()
}

/// The width of `text` in ems of the bold font, estimated on the wide side.
fn em_width(text: &str) -> f32 {
    text.chars().map(char_width).sum()
}

/// The advance of `c` in ems, by class, a little over Inter Bold's.
fn char_width(c: char) -> f32 {
    match c {
        ' ' => 0.26,
        'i' | 'j' | 'l' | 'I' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' => 0.30,
        'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' | '/' | '"' => 0.42,
        'm' | 'w' => 0.90,
        'M' | 'W' | '@' | '%' => 1.0,
        c if c.is_ascii_uppercase() => 0.74,
        c if c.is_ascii_digit() => 0.64,
        c if c.is_ascii() => 0.60,
        // Wide scripts (CJK) take a whole em.
        c if unicode_width::UnicodeWidthChar::width(c) == Some(2) => 1.05,
        _ => 0.66,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(title: &str) -> String {
        format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630" viewBox="0 0 1200 630">
<rect width="1200" height="630" fill="#0f172a"/>
<rect x="60" y="60" width="140" height="140" rx="28" fill="#2563eb"/>
<text x="60" y="300" font-family="Inter" font-weight="700" font-size="64" fill="#fff">{title}</text>
<text x="60" y="560" font-size="32" fill="#cbd5e1">Stack Verdicts</text>
</svg>"##
        )
    }

    #[test]
    fn renders_text_with_the_built_in_font() {
        let a = render_png(&card("Rust vs Go")).unwrap();
        let b = render_png(&card("Node.js vs Python")).unwrap();
        assert_eq!(&a[..8], b"\x89PNG\r\n\x1a\n");
        assert_ne!(a, b, "the text is drawn");
        assert_eq!(a, render_png(&card("Rust vs Go")).unwrap(), "the same every time");
        let blank = render_png(&card("")).unwrap();
        assert_ne!(a, blank);
    }

    #[test]
    fn reads_no_file_an_svg_names() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="1200" height="630"><image href="/etc/hostname" width="100" height="100"/><image xlink:href="Cargo.toml" width="100" height="100"/></svg>"#;
        let empty = r#"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"/>"#;
        assert_eq!(render_png(svg).unwrap(), render_png(empty).unwrap());
    }

    #[test]
    fn wraps_long_titles_and_ends_the_last_line_in_an_ellipsis() {
        assert_eq!(wrap("Rust vs Go", 64.0, 1080.0, 3), ["Rust vs Go"]);
        let long = "Rust vs Go vs Zig vs C++ vs Odin vs Nim: Which Systems Language Should Power Your Next High-Throughput Network Service in Production?";
        let lines = wrap(long, 64.0, 1080.0, 3);
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(lines[2].ends_with('…'), "{lines:?}");
        assert!(lines.iter().all(|l| em_width(l) * 64.0 <= 1080.0), "{lines:?}");
        let word = wrap(&"x".repeat(200), 64.0, 1080.0, 2);
        assert_eq!(word.len(), 2);
        assert!(word.iter().all(|l| em_width(l) * 64.0 <= 1080.0), "{word:?}");
        assert!(wrap("", 64.0, 1080.0, 3).is_empty());
    }

    #[test]
    fn a_broken_svg_is_an_error() {
        assert!(render_png("<svg").is_err());
        assert!(check_svg(b"not svg").is_err());
        assert!(
            check_svg(br#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>"#).is_ok()
        );
    }
}
