//! Making the copies of large images: each original is read and hashed, and decoded
//! only when a copy of it is missing from the [`VariantStore`]; originals are handled in
//! parallel.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::codecs::webp::WebPEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageEncoder};
use rayon::prelude::*;

use super::{Format, VariantJob};
use crate::cache::images::{Stored, VariantStore};
use crate::error::{Diagnostic, Error, IoAction};
use crate::site::write::Output;

/// Changes whenever the copies made from the same original would differ (resampling,
/// encoder settings), so that older copies are not used.
const ENCODER_VERSION: u32 = 2;

/// JPEG quality of JPEG copies.
const JPEG_QUALITY: u8 = 82;

/// How many copies a build made, and how many it took from the cache.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct VariantReport {
    /// Copies decoded, resized and encoded.
    pub made: usize,
    /// Copies taken from the cache.
    pub cached: usize,
}

/// Writes every copy of `jobs` to `output`, from `store` or made now (and kept in
/// `store`, which notes each copy used, so that the session can drop the others once
/// the build succeeded). An output that keeps nothing gets the paths only, and no image
/// is read.
pub fn make_variants(
    jobs: &[VariantJob],
    store: &VariantStore,
    output: &dyn Output,
) -> Result<VariantReport, Error> {
    if output.discards_bytes() {
        for job in jobs {
            output.write(&job.output, &[])?;
        }
        return Ok(VariantReport::default());
    }
    let mut by_source: BTreeMap<&Path, Vec<&VariantJob>> = BTreeMap::new();
    for job in jobs {
        by_source.entry(&job.source).or_default().push(job);
    }
    let made = AtomicUsize::new(0);
    let cached = AtomicUsize::new(0);
    by_source.into_par_iter().try_for_each(|(source, jobs)| {
        let bytes = read_original(source)?;
        let hash = xxhash_rust::xxh3::xxh3_128(&bytes);
        let mut decoded: Option<DynamicImage> = None;
        for job in jobs {
            let key = variant_key(hash, job);
            let extension = job.format.extension();
            match store.get(key, extension) {
                Some(Stored::File(path)) => {
                    output.copy(&path, &job.output)?;
                    cached.fetch_add(1, Ordering::Relaxed);
                    continue;
                }
                Some(Stored::Bytes(bytes)) => {
                    output.write(&job.output, &bytes)?;
                    cached.fetch_add(1, Ordering::Relaxed);
                    continue;
                }
                None => {}
            }
            if decoded.is_none() {
                decoded =
                    Some(image::load_from_memory(&bytes).map_err(|e| undecodable(source, e))?);
            }
            let original = decoded.as_ref().expect("decoded above");
            let copy = encode(original, job).map_err(|e| undecodable(source, e))?;
            store.put(key, extension, &copy);
            output.write(&job.output, &copy)?;
            made.fetch_add(1, Ordering::Relaxed);
        }
        Ok::<(), Error>(())
    })?;
    Ok(VariantReport { made: made.into_inner(), cached: cached.into_inner() })
}

fn read_original(source: &Path) -> Result<Vec<u8>, Error> {
    let (mut file, meta) =
        crate::files::open_regular(source).map_err(|e| Error::io(IoAction::Read, source, e))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.read_to_end(&mut bytes).map_err(|e| Error::io(IoAction::Read, source, e))?;
    Ok(bytes)
}

fn undecodable(source: &Path, error: image::ImageError) -> Error {
    Error::site(
        Diagnostic::new(source, format!("cannot make smaller copies of this image: {error}"))
            .hint("save it again with an image editor, or set `images: false` in `site.yaml` to show images as they are"),
    )
}

/// The cache key of a copy: the original's bytes, the copy's size and format, and the
/// encoder's version.
fn variant_key(original: u128, job: &VariantJob) -> u128 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(&original.to_le_bytes());
    hasher.update(
        format!("{} {} {:?} {ENCODER_VERSION}", job.width, job.height, job.format).as_bytes(),
    );
    hasher.digest128()
}

/// `original` resampled to `width`×`height` through a Lanczos3 filter. 8-bit images go
/// through fast_image_resize, whose SIMD convolution is 13–16 times as fast as the
/// image crate's own (docs/performance.md); with their alpha premultiplied,
/// so that transparent pixels lend no colour to their neighbours. Others (16-bit, float)
/// through the image crate.
fn resize(original: &DynamicImage, width: u32, height: u32) -> DynamicImage {
    use fast_image_resize::{IntoImageView as _, ResizeAlg, ResizeOptions, Resizer};
    let eight_bit = matches!(
        original,
        DynamicImage::ImageLuma8(_)
            | DynamicImage::ImageLumaA8(_)
            | DynamicImage::ImageRgb8(_)
            | DynamicImage::ImageRgba8(_)
    );
    let fallback = || original.resize_exact(width, height, FilterType::Lanczos3);
    let Some(pixel_type) = original.pixel_type().filter(|_| eight_bit) else {
        return fallback();
    };
    let mut resized = fast_image_resize::images::Image::new(width, height, pixel_type);
    let options = ResizeOptions::new()
        .resize_alg(ResizeAlg::Convolution(fast_image_resize::FilterType::Lanczos3));
    if Resizer::new().resize(original, &mut resized, &options).is_err() {
        return fallback();
    }
    let pixels = resized.into_vec();
    let image = match original {
        DynamicImage::ImageLuma8(_) => {
            image::GrayImage::from_raw(width, height, pixels).map(DynamicImage::ImageLuma8)
        }
        DynamicImage::ImageLumaA8(_) => {
            image::GrayAlphaImage::from_raw(width, height, pixels).map(DynamicImage::ImageLumaA8)
        }
        DynamicImage::ImageRgb8(_) => {
            image::RgbImage::from_raw(width, height, pixels).map(DynamicImage::ImageRgb8)
        }
        _ => image::RgbaImage::from_raw(width, height, pixels).map(DynamicImage::ImageRgba8),
    };
    image.unwrap_or_else(fallback)
}

/// `original` resized to the job's size and encoded in its format.
fn encode(original: &DynamicImage, job: &VariantJob) -> Result<Vec<u8>, image::ImageError> {
    let resized = if original.width() == job.width {
        original.clone()
    } else {
        resize(original, job.width, job.height)
    };
    let mut out = Cursor::new(Vec::new());
    match job.format {
        Format::Jpeg => {
            let rgb = resized.to_rgb8();
            JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY).write_image(
                &rgb,
                rgb.width(),
                rgb.height(),
                image::ExtendedColorType::Rgb8,
            )?;
        }
        Format::Png => {
            let encoder =
                PngEncoder::new_with_quality(&mut out, CompressionType::Best, PngFilter::Adaptive);
            resized.write_with_encoder(encoder)?;
        }
        Format::Webp => {
            let encoder = WebPEncoder::new_lossless(&mut out);
            if resized.color().has_alpha() {
                let rgba = resized.to_rgba8();
                encoder.write_image(
                    &rgba,
                    rgba.width(),
                    rgba.height(),
                    image::ExtendedColorType::Rgba8,
                )?;
            } else {
                let rgb = resized.to_rgb8();
                encoder.write_image(
                    &rgb,
                    rgb.width(),
                    rgb.height(),
                    image::ExtendedColorType::Rgb8,
                )?;
            }
        }
    }
    Ok(out.into_inner())
}

/// Where the copies of a build are kept: `images/` of the cache folder `dir`.
pub fn store_folder(dir: &Path) -> PathBuf {
    dir.join("images")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A smooth gradient with a sharp edge, in `image`'s pixel type of `color`.
    fn picture(color: image::ColorType) -> DynamicImage {
        let rgba = image::RgbaImage::from_fn(300, 200, |x, y| {
            let edge = if x < 150 { 40 } else { 220 };
            image::Rgba([edge, (y * 255 / 199) as u8, (x * 255 / 299) as u8, 255])
        });
        let image = DynamicImage::ImageRgba8(rgba);
        match color {
            image::ColorType::Rgb8 => DynamicImage::ImageRgb8(image.to_rgb8()),
            image::ColorType::L8 => DynamicImage::ImageLuma8(image.to_luma8()),
            image::ColorType::La8 => DynamicImage::ImageLumaA8(image.to_luma_alpha8()),
            image::ColorType::Rgb16 => DynamicImage::ImageRgb16(image.to_rgb16()),
            _ => image,
        }
    }

    #[test]
    fn resizing_keeps_the_pixel_type_and_matches_the_image_crates_lanczos3() {
        for color in [
            image::ColorType::Rgb8,
            image::ColorType::Rgba8,
            image::ColorType::L8,
            image::ColorType::La8,
            image::ColorType::Rgb16,
        ] {
            let original = picture(color);
            let ours = resize(&original, 120, 80);
            assert_eq!((ours.width(), ours.height(), ours.color()), (120, 80, color));
            let reference = original.resize_exact(120, 80, FilterType::Lanczos3);
            let (a, b) = (ours.to_rgba8(), reference.to_rgba8());
            let diffs: Vec<u8> = a.iter().zip(b.iter()).map(|(x, y)| x.abs_diff(*y)).collect();
            let mean = diffs.iter().map(|&d| f64::from(d)).sum::<f64>() / diffs.len() as f64;
            assert!(mean < 0.5, "{color:?}: mean difference {mean}");
            assert!(diffs.iter().all(|&d| d <= 16), "{color:?}: a pixel far apart");
        }
    }
}
