//! `images:` of `site.yaml`: `false`, `true`, or a map of `widths`, `formats` and
//! `sizes`, validated into [`ImageSettings`].

use std::path::Path;

use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};

use super::{Format, ImageSettings};
use crate::error::Diagnostic;
use crate::yaml::key_line;

/// `images:` as written.
#[derive(Debug)]
pub enum RawImages {
    /// `images: false`.
    Off,
    /// `images: true`, or a map.
    On(RawImageSettings),
}

/// The map form of `images:`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawImageSettings {
    widths: Option<Vec<u32>>,
    formats: Option<Vec<Format>>,
    sizes: Option<String>,
}

impl<'de> Deserialize<'de> for RawImages {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RawImagesVisitor;
        impl<'de> Visitor<'de> for RawImagesVisitor {
            type Value = RawImages;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("`false`, or a map of `widths`, `formats` and `sizes`")
            }

            fn visit_bool<E: de::Error>(self, on: bool) -> Result<RawImages, E> {
                Ok(if on { RawImages::On(RawImageSettings::default()) } else { RawImages::Off })
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawImages, A::Error> {
                RawImageSettings::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(RawImages::On)
            }
        }
        deserializer.deserialize_any(RawImagesVisitor)
    }
}

/// The settings `raw` (from the text `text` of the configuration file `file`) gives:
/// none when off, the defaults when not given.
pub fn image_settings(
    raw: Option<RawImages>,
    file: &Path,
    text: &str,
) -> Result<Option<ImageSettings>, Diagnostic> {
    let raw = match raw {
        None => return Ok(Some(ImageSettings::default())),
        Some(RawImages::Off) => return Ok(None),
        Some(RawImages::On(raw)) => raw,
    };
    let defaults = ImageSettings::default();
    let error = |message: &str, hint: &str| {
        Diagnostic::new(file, message).at(key_line(text, "images", 1), 1).hint(hint)
    };
    let mut widths = raw.widths.unwrap_or(defaults.widths);
    widths.sort_unstable();
    widths.dedup();
    if widths.is_empty() || widths.iter().any(|&w| !(16..=8192).contains(&w)) {
        return Err(error(
            "`images.widths` must list widths from 16 to 8192 pixels",
            "list the widths of the smaller copies, like `widths: [640, 960, 1400]`, or set `images: false`",
        ));
    }
    let formats = raw.formats.unwrap_or(defaults.formats);
    if let Some(other) = formats.iter().find(|&&f| f != Format::Webp) {
        return Err(error(
            &format!("`images.formats` can offer `webp` only, not `{}`", other.extension()),
            "copies are always made in the original's format too: write `formats: [webp]`, or `formats: []` for none beside it",
        ));
    }
    let sizes = raw.sizes.unwrap_or(defaults.sizes);
    if sizes.trim().is_empty() || sizes.contains(['"', '<', '>']) {
        return Err(error(
            "`images.sizes` must be a `sizes` attribute value",
            "describe how wide images show, like `sizes: \"(min-width: 46rem) 42rem, 100vw\"`",
        ));
    }
    Ok(Some(ImageSettings { widths, formats, sizes }))
}
