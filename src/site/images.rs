//! The images of the site's documents: where each is shown, for [`crate::images::plan`],
//! and the HTML of pages and bios given their sizes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::config::SiteConfig;
use crate::images::{ImageUse, SiteImages};
use crate::markdown::render::Placed;
use crate::site::load::Asset;
use crate::site::outlines::RenderedSite;

/// Reads the size of every image of a bundle or `static/` that a document shows, and
/// plans the copies of the large ones.
pub fn plan_site_images(site: &RenderedSite, assets: &[Asset], config: &SiteConfig) -> SiteImages {
    let sources: HashMap<PathBuf, PathBuf> =
        assets.iter().map(|a| (a.output.clone(), a.source.clone())).collect();
    let mut uses = Vec::new();
    fn add<'s>(
        uses: &mut Vec<ImageUse<'s>>,
        file: &'s Path,
        page_url: &'s str,
        images: &'s [Placed],
    ) {
        for image in images {
            uses.push(ImageUse {
                file,
                page_url,
                src: &image.text,
                line: image.line,
                column: image.column,
            });
        }
    }
    // Most articles show no image: their outlines are not read.
    for a in site.articles.iter().filter(|a| a.digests.images) {
        add(&mut uses, &a.article.source, &a.url, &a.body.images);
    }
    for p in &site.pages {
        add(&mut uses, &p.page.source, &p.url, &p.body.images);
    }
    for au in &site.authors {
        add(&mut uses, &au.author.source, &au.url, &au.bio_images);
    }
    crate::images::plan(&uses, &sources, config.images.as_ref(), config.base_path())
}

/// Gives the images of pages and bios their sizes and copies (article bodies get theirs
/// when their pages are written). The first image of a page loads at once; a bio's,
/// shown at the foot of article pages, all load lazily.
pub fn size_documents(site: &mut RenderedSite, images: &SiteImages) {
    for p in &mut site.pages {
        p.body.html = images.rewrite(&p.body.html, &p.url, true);
    }
    for au in &mut site.authors {
        au.bio = images.rewrite(&au.bio, &au.url, false);
    }
}
