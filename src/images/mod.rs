//! Local images of documents: their sizes, and smaller copies of large raster images.
//!
//! 1. [`plan`] reads the header of every image a document shows ([`probe`]) and decides
//!    which copies each large PNG, JPEG or WebP gets: one per configured width below its
//!    own, in its format and (for PNG and WebP) in WebP.
//! 2. [`SiteImages::rewrite`] gives each `<img>` of a document's HTML its `width`,
//!    `height`, lazy loading and `srcset` ([`markup`]).
//! 3. [`variants::make_variants`] makes the copies, or takes them from the cache, in
//!    parallel with the pages.

pub mod markup;
pub mod probe;
pub mod settings;
pub mod target;
pub mod variants;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3;

use crate::error::Diagnostic;
use markup::Offer;
use target::{Target, target};

/// A raster format copies are made in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// PNG.
    Png,
    /// JPEG.
    Jpeg,
    /// WebP (lossless when verdict writes it).
    Webp,
}

impl Format {
    /// The file extension verdict gives copies in this format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Jpeg => "jpg",
            Format::Webp => "webp",
        }
    }

    /// The MIME type.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Png => "image/png",
            Format::Jpeg => "image/jpeg",
            Format::Webp => "image/webp",
        }
    }
}

/// `images:` of `site.yaml`: the widths of the copies, the formats offered beside the
/// original's, and the `sizes` attribute that tells the browser how wide images show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageSettings {
    /// Widths of the copies, in pixels, ascending.
    pub widths: Vec<u32>,
    /// Formats offered beside the original's: `webp` or none.
    pub formats: Vec<Format>,
    /// The `sizes` attribute of images with copies.
    pub sizes: String,
}

/// The default theme's content column is at most about 47.3rem (757 px) wide; narrower screens
/// show images across the width, less about 3.4rem of margins.
pub const DEFAULT_SIZES: &str = "(min-width: 51rem) 48rem, calc(100vw - 3.5rem)";

impl Default for ImageSettings {
    fn default() -> Self {
        ImageSettings {
            widths: vec![640, 960, 1400],
            formats: vec![Format::Webp],
            sizes: DEFAULT_SIZES.to_string(),
        }
    }
}

/// An image as a document shows it.
#[derive(Debug, Clone, Copy)]
pub struct ImageUse<'a> {
    /// The document, relative to the site root.
    pub file: &'a Path,
    /// The root-relative URL of the page it is shown on.
    pub page_url: &'a str,
    /// The path as written.
    pub src: &'a str,
    /// File line.
    pub line: usize,
    /// Column.
    pub column: usize,
}

/// What the build knows of one image of the output.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Facts {
    source: PathBuf,
    width: u32,
    height: u32,
    format: Option<Format>,
    /// Copies: format and width, none for images shown as they are.
    copies: BTreeSet<(Format, u32)>,
}

/// A copy to make: from which file, into which output path, at which size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariantJob {
    /// The original, on disk.
    pub source: PathBuf,
    /// The copy's path in the output.
    pub output: PathBuf,
    /// Its width.
    pub width: u32,
    /// Its height.
    pub height: u32,
    /// Its format.
    pub format: Format,
}

/// Every image the documents show, by output path, with the copies to make.
#[derive(Debug, Default)]
pub struct SiteImages {
    facts: HashMap<String, Facts>,
    base_path: String,
    sizes: String,
    /// Images that cannot be read, where documents show them.
    pub warnings: Vec<Diagnostic>,
}

/// Reads the size of every image `uses` shows whose output path is a file of
/// `sources` (output path → file on disk), in parallel, and plans their copies by
/// `settings` (none when `images: false`). An image that cannot be read is a warning at
/// each place that shows it.
pub fn plan(
    uses: &[ImageUse<'_>],
    sources: &HashMap<PathBuf, PathBuf>,
    settings: Option<&ImageSettings>,
    base_path: &str,
) -> SiteImages {
    let resolved: Vec<Option<String>> = uses
        .iter()
        .map(|u| match target(u.src, u.page_url, base_path) {
            Target::Output(rel) if sources.contains_key(Path::new(&rel)) => Some(rel),
            _ => None,
        })
        .collect();
    let distinct: BTreeSet<&String> = resolved.iter().flatten().collect();
    let probed: Vec<(&String, Result<Facts, String>)> = distinct
        .into_par_iter()
        .map(|rel| {
            let source = &sources[Path::new(rel.as_str())];
            let facts = probe::probe(source).map(|p| Facts {
                source: source.clone(),
                width: p.width,
                height: p.height,
                format: p.format,
                copies: settings.map(|s| copies(&p, s)).unwrap_or_default(),
            });
            (rel, facts)
        })
        .collect();
    let mut facts = HashMap::new();
    let mut failed = HashMap::new();
    for (rel, result) in probed {
        match result {
            Ok(f) => {
                facts.insert(rel.clone(), f);
            }
            Err(reason) => {
                failed.insert(rel.clone(), reason);
            }
        }
    }
    let mut warnings = Vec::new();
    for (u, rel) in uses.iter().zip(&resolved) {
        let Some(reason) = rel.as_ref().and_then(|rel| failed.get(rel)) else { continue };
        warnings.push(
            Diagnostic::warning(u.file, format!("cannot tell the size of image `{}`: {reason}", u.src))
                .at(u.line, u.column)
                .hint("save it again as PNG, JPEG, GIF, WebP, AVIF or SVG; pages show it without a size until then"),
        );
    }
    let sizes = settings.map(|s| s.sizes.clone()).unwrap_or_default();
    SiteImages { facts, base_path: base_path.to_string(), sizes, warnings }
}

/// The copies of an image: at each configured width below its own, in its format and
/// the configured ones; none for images no wider than the narrowest width. WebP copies
/// are lossless, so a JPEG (a photo) gets JPEG copies only.
fn copies(probed: &probe::Probed, settings: &ImageSettings) -> BTreeSet<(Format, u32)> {
    let mut copies = BTreeSet::new();
    let Some(own) = probed.format else { return copies };
    let widths: Vec<u32> = settings.widths.iter().copied().filter(|&w| w < probed.width).collect();
    if widths.is_empty() {
        return copies;
    }
    let mut formats = vec![own];
    if own != Format::Jpeg {
        formats.extend(settings.formats.iter().copied().filter(|&f| f != own));
    }
    for format in formats {
        copies.extend(widths.iter().map(|&w| (format, w)));
        if format != own {
            copies.insert((format, probed.width));
        }
    }
    copies
}

/// The output path of an image's copy: its stem with `-<width>w.<extension>`.
fn copy_path(rel: &str, format: Format, width: u32) -> PathBuf {
    let path = Path::new(rel);
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    path.with_file_name(format!("{stem}{}", suffix(format, width)))
}

fn suffix(format: Format, width: u32) -> String {
    format!("-{width}w.{}", format.extension())
}

impl SiteImages {
    /// The facts of the image at `src` on the page at `page_url`.
    fn find(&self, src: &str, page_url: &str) -> Option<&Facts> {
        match target(src, page_url, &self.base_path) {
            Target::Output(rel) => self.facts.get(&rel),
            _ => None,
        }
    }

    /// `html` of the page at `page_url` with every `<img>` given its size, lazy loading
    /// (but the first, when `first_eager`) and its copies.
    pub fn rewrite(&self, html: &str, page_url: &str, first_eager: bool) -> String {
        markup::rewrite(html, first_eager, |src| {
            let facts = self.find(src, page_url)?;
            let own = facts.format;
            let mut same_format: Vec<(String, u32)> = facts
                .copies
                .iter()
                .filter(|(f, _)| Some(*f) == own)
                .map(|&(f, w)| (suffix(f, w), w))
                .collect();
            same_format.push((String::new(), facts.width));
            let mut other_formats: Vec<(&'static str, Vec<(String, u32)>)> = Vec::new();
            for &(f, w) in facts.copies.iter().filter(|(f, _)| Some(*f) != own) {
                match other_formats.last_mut() {
                    Some((mime, list)) if *mime == f.mime() => list.push((suffix(f, w), w)),
                    _ => other_formats.push((f.mime(), vec![(suffix(f, w), w)])),
                }
            }
            Some(Offer {
                width: facts.width,
                height: facts.height,
                same_format,
                other_formats,
                sizes: self.sizes.clone(),
            })
        })
    }

    /// A hash of what the images at `srcs` on the page at `page_url` give its HTML:
    /// their sizes and copies (a page showing them changes when they do).
    pub fn digest<'s>(&self, srcs: impl IntoIterator<Item = &'s str>, page_url: &str) -> u128 {
        let mut hasher = Xxh3::new();
        for src in srcs {
            hasher.update(src.as_bytes());
            hasher.update(&[0]);
            if let Some(f) = self.find(src, page_url) {
                hasher.update(format!("{}x{} {:?}", f.width, f.height, f.copies).as_bytes());
            }
            hasher.update(&[0]);
        }
        hasher.digest128()
    }

    /// Every copy to make, by output path.
    pub fn jobs(&self) -> Vec<VariantJob> {
        let mut jobs: Vec<VariantJob> = self
            .facts
            .iter()
            .flat_map(|(rel, f)| {
                f.copies.iter().map(move |&(format, width)| VariantJob {
                    source: f.source.clone(),
                    output: copy_path(rel, format, width),
                    width,
                    height: scaled_height(f.width, f.height, width),
                    format,
                })
            })
            .collect();
        jobs.sort_by(|a, b| a.output.cmp(&b.output));
        jobs
    }
}

/// The height of a copy `width` wide of an image `full_width` × `full_height`.
fn scaled_height(full_width: u32, full_height: u32, width: u32) -> u32 {
    let h = (u64::from(full_height) * u64::from(width) + u64::from(full_width) / 2)
        / u64::from(full_width.max(1));
    h.max(1) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_copies_below_the_image_width() {
        let settings = ImageSettings::default();
        let png = probe::Probed { width: 1200, height: 600, format: Some(Format::Png) };
        let got: Vec<(Format, u32)> = copies(&png, &settings).into_iter().collect();
        assert_eq!(
            got,
            [
                (Format::Png, 640),
                (Format::Png, 960),
                (Format::Webp, 640),
                (Format::Webp, 960),
                (Format::Webp, 1200)
            ]
        );
        let jpeg = probe::Probed { width: 1000, height: 600, format: Some(Format::Jpeg) };
        assert_eq!(copies(&jpeg, &settings).len(), 2);
        let small = probe::Probed { width: 640, height: 600, format: Some(Format::Png) };
        assert!(copies(&small, &settings).is_empty());
        assert_eq!(copy_path("a/chart.png", Format::Webp, 640), Path::new("a/chart-640w.webp"));
        assert_eq!(scaled_height(1200, 600, 640), 320);
    }
}
