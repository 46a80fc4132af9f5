//! The social cards of a build: a 1200×630 PNG per article (unless its front matter
//! sets `image:`), per technology hub and for the home page, each the theme's
//! `social-card.svg` rendered with the card's context and drawn by [`crate::cards`].
//!
//! A card is kept from the last build when its fingerprint (its context, the `.svg`
//! templates and the `site` view) is unchanged, so a warm build draws none; a card
//! whose SVG was drawn before is taken from the disk cache ([`CardStore`]); the others
//! are drawn in parallel.

use std::collections::HashMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use rayon::prelude::*;
use serde::Serialize;

use crate::cache::cards::CardStore;
use crate::cache::pages::PageFingerprints;
use crate::config::SiteConfig;
use crate::content::catalog::{CATALOG_FILE, Catalog};
use crate::error::{Diagnostic, Error};
use crate::markdown::callouts::{Outcome, Record};
use crate::site::fingerprints::Fingerprinter;
use crate::site::index::SiteIndex;
use crate::site::load::Asset;
use crate::site::outlines::{RenderedArticle, RenderedSite};
use crate::site::write::Output;
use crate::templates::{Templates, ThemeFile};
use crate::urls::Urls;

/// The card template every theme has (the built-in theme's unless it overrides it).
pub(super) const CARD_TEMPLATE: &str = "social-card.svg";

/// The file name of a page's card, beside the page: `rust-vs-go/social-card.png`.
pub(super) const CARD_FILE: &str = "social-card.png";

/// The largest logo embedded in a card.
const MAX_LOGO_BYTES: u64 = 1024 * 1024;

/// A card a page names as its social image.
#[derive(Debug, Clone)]
pub(super) struct CardRef {
    /// Absolute URL, with a version query that changes with the card.
    pub(super) url: String,
    /// What the card shows, for `og:image:alt`.
    pub(super) alt: String,
    /// A hash of everything the card is made from, for the fingerprint of its page.
    pub(super) key: u128,
}

/// The cards of a build.
#[derive(Debug, Default)]
pub(super) struct Cards {
    /// By article index; none for an article with its own `image:`, or with cards off.
    pub(super) articles: Vec<Option<CardRef>>,
    /// By hub id.
    pub(super) hubs: HashMap<String, CardRef>,
    /// The home page's, which the pages without a card of their own name too.
    pub(super) home: Option<CardRef>,
    /// Cards drawn (neither kept from the last build nor found in the cache).
    pub(super) drawn: usize,
    /// Cards written or kept.
    pub(super) count: usize,
    /// Each card's output path, fingerprint and file identity, for the next build.
    pub(super) fingerprints: Vec<(String, u128, Option<u64>)>,
}

/// The logos of `contenders.yaml` that cards embed, by contender id, as `data:` URLs.
#[derive(Debug, Default)]
pub(super) struct Logos {
    by_id: HashMap<String, String>,
}

/// Reads every local logo of the catalog (a path the output has: a `static/` or theme
/// file) into a `data:` URL. A logo the output lacks, that cannot be read or that is not
/// an SVG, PNG, JPEG, GIF or WebP image is an error at its line of `contenders.yaml`; a
/// logo given as a URL is shown on pages but not embedded in cards (nothing is fetched).
pub(super) fn load_logos(
    catalog: &Catalog,
    assets: &[Asset],
    templates: Option<&Templates>,
) -> (Logos, Vec<Diagnostic>) {
    let mut logos = Logos::default();
    let mut errors = Vec::new();
    for entry in &catalog.entries {
        let Some(logo) = entry.logo.as_deref() else { continue };
        if logo.contains("://") || logo.starts_with("//") {
            continue;
        }
        let error = |message: String, hint: &str| {
            Diagnostic::new(CATALOG_FILE, message).at(entry.logo_line, 1).hint(hint.to_string())
        };
        if logo.starts_with("data:") {
            errors.push(error(
                format!("the `logo` of `{}` is a `data:` URL", entry.id),
                "put the image in `static/` and give its path, like `logo: /logos/go.svg`",
            ));
            continue;
        }
        let rel = PathBuf::from(logo.trim_start_matches('/'));
        let bytes = match read_logo(&rel, assets, templates) {
            Some(Ok(bytes)) => bytes,
            Some(Err(message)) => {
                errors.push(error(
                    format!("the logo `{logo}` of `{}` cannot be read: {message}", entry.id),
                    "replace it with an SVG, PNG, JPEG, GIF or WebP file of at most 1 MiB",
                ));
                continue;
            }
            None => {
                let hint = format!(
                    "add `static/{}`, or give the logo's full URL (which cards do not show)",
                    rel.display()
                );
                errors.push(error(
                    format!(
                        "logo `{logo}` of `{}` not found: the output has no `{}`",
                        entry.id,
                        rel.display()
                    ),
                    &hint,
                ));
                continue;
            }
        };
        match data_url(&bytes) {
            Ok(url) => {
                logos.by_id.insert(entry.id.clone(), url);
            }
            Err(message) => errors.push(error(
                format!("the logo `{logo}` of `{}` {message}", entry.id),
                "use an SVG, PNG, JPEG, GIF or WebP image",
            )),
        }
    }
    (logos, errors)
}

/// The bytes of the output file `rel` (a site or theme static file); none when the
/// output has no such file.
fn read_logo(
    rel: &Path,
    assets: &[Asset],
    templates: Option<&Templates>,
) -> Option<Result<Vec<u8>, String>> {
    let read = |path: &Path| -> Result<Vec<u8>, String> {
        let (file, meta) = crate::files::open_regular(path).map_err(|e| e.to_string())?;
        if meta.len() > MAX_LOGO_BYTES {
            return Err(format!("it has {} bytes, over the 1 MiB a logo may have", meta.len()));
        }
        let mut bytes = Vec::new();
        file.take(MAX_LOGO_BYTES).read_to_end(&mut bytes).map_err(|e| e.to_string())?;
        Ok(bytes)
    };
    if let Some(asset) = assets.iter().find(|a| a.output == rel) {
        return Some(read(&asset.source));
    }
    let (_, file) = templates?.static_files.iter().find(|(out, _)| out == rel)?;
    Some(match file {
        ThemeFile::Embedded(bytes) => Ok(bytes.to_vec()),
        ThemeFile::Disk(path) => read(path),
    })
}

/// `bytes` as a `data:` URL, by what the bytes are (not the file's name); an SVG must be
/// one the cards can draw.
fn data_url(bytes: &[u8]) -> Result<String, String> {
    let mime = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        "image/jpeg"
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        "image/gif"
    } else if bytes.len() > 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        "image/webp"
    } else {
        crate::cards::check_svg(bytes).map_err(|e| format!("is not an image: {e}"))?;
        "image/svg+xml"
    };
    Ok(format!("data:{mime};base64,{}", base64::engine::general_purpose::STANDARD.encode(bytes)))
}

/// `card` in `social-card.svg` (documented in `docs/templates.md`).
#[derive(Debug, Serialize)]
struct CardContext<'a> {
    card: CardView<'a>,
}

#[derive(Debug, Serialize)]
struct CardView<'a> {
    /// `article`, `contender` or `home`.
    kind: &'static str,
    /// The article's title, the technology's name, or the site's title.
    title: &'a str,
    /// The page's description.
    description: &'a str,
    /// One line on the outcome: "Go wins 4 of 6 criteria", a hub's record.
    outcome: String,
    /// The site's title and host (`verdict.example.com`).
    site_title: &'a str,
    site_host: &'a str,
    /// An article's contenders.
    contenders: Vec<CardContender<'a>>,
    /// A hub's record and number of comparisons (an article's number of criteria).
    record: Option<Record>,
    count: usize,
    /// A hub's logo, as a `data:` URL.
    logo: Option<&'a str>,
    /// Pixel size of the card.
    width: u32,
    height: u32,
}

#[derive(Debug, Serialize)]
struct CardContender<'a> {
    id: &'a str,
    name: &'a str,
    version: Option<&'a str>,
    /// 1-based, for the contender's colour.
    position: usize,
    wins: usize,
    /// Its share of all the article's wins (0 to 1), and the shares of the contenders
    /// before it: where its part of a bar of wins starts.
    share: f64,
    share_before: f64,
    /// As a `data:` URL.
    logo: Option<&'a str>,
}

/// What the cards are made from.
pub(super) struct CardInputs<'a> {
    pub(super) site: &'a RenderedSite,
    pub(super) index: &'a SiteIndex,
    pub(super) templates: &'a Templates,
    pub(super) urls: &'a Urls,
    pub(super) config: &'a SiteConfig,
    pub(super) logos: &'a Logos,
    /// The `site` view as JSON: the card template sees it too.
    pub(super) site_json: &'a str,
    pub(super) store: Option<&'a CardStore>,
}

enum Job {
    Article(usize),
    Hub(usize),
    Home,
}

/// Writes (or keeps) every card into `output`.
pub(super) fn write_cards(
    inputs: &CardInputs<'_>,
    output: &dyn Output,
    previous: Option<&PageFingerprints>,
) -> Result<Cards, Error> {
    let mut cards = Cards { articles: vec![None; inputs.site.articles.len()], ..Cards::default() };
    if !inputs.config.social_cards {
        return Ok(cards);
    }
    let salt = {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        hasher.update(&inputs.templates.card_fingerprint.to_le_bytes());
        hasher.update(inputs.site_json.as_bytes());
        hasher.digest128()
    };
    let fingerprints = Fingerprinter { previous, salt, output };
    let mut jobs: Vec<Job> = (0..inputs.site.articles.len())
        .filter(|&i| inputs.site.articles[i].article.image.is_none())
        .map(Job::Article)
        .collect();
    jobs.extend((0..inputs.index.hubs.len()).map(Job::Hub));
    jobs.push(Job::Home);
    let host = host_of(&inputs.config.base_url);
    let results: Vec<Result<Made, Diagnostic>> =
        jobs.par_iter().map(|job| make(inputs, &fingerprints, output, job, &host)).collect();
    let mut errors = Vec::new();
    for (job, result) in jobs.iter().zip(results) {
        let made = match result {
            Ok(made) => made,
            Err(d) => {
                if !errors.contains(&d) {
                    errors.push(d);
                }
                continue;
            }
        };
        if let Some(e) = made.write_error {
            return Err(e);
        }
        cards.drawn += usize::from(made.drawn);
        cards.count += 1;
        if let Some((rel, hash)) = made.fingerprint {
            let identity = output.identity(Path::new(&rel));
            cards.fingerprints.push((rel, hash, identity));
        }
        match job {
            Job::Article(i) => cards.articles[*i] = Some(made.card),
            Job::Hub(h) => {
                cards.hubs.insert(inputs.index.hubs[*h].id.clone(), made.card);
            }
            Job::Home => cards.home = Some(made.card),
        }
    }
    if errors.is_empty() { Ok(cards) } else { Err(Error::from(errors)) }
}

/// A card written or kept.
struct Made {
    card: CardRef,
    drawn: bool,
    fingerprint: Option<(String, u128)>,
    write_error: Option<Error>,
}

fn make(
    inputs: &CardInputs<'_>,
    fingerprints: &Fingerprinter<'_>,
    output: &dyn Output,
    job: &Job,
    host: &str,
) -> Result<Made, Diagnostic> {
    let (rel, view, alt) = match job {
        Job::Article(i) => {
            let a = &inputs.site.articles[*i];
            let view = article_view(inputs, a, host);
            let alt = format!("{} — {}", a.article.title, view.outcome);
            (format!("{}/{CARD_FILE}", a.article.slug), view, alt)
        }
        Job::Hub(h) => {
            let hub = &inputs.index.hubs[*h];
            let scored = hub.record.won + hub.record.lost + hub.record.split + hub.record.tied;
            let n = hub.articles.len();
            let outcome = format!(
                "Won {} of {scored} {} in {n} comparison{}",
                hub.record.won,
                if scored == 1 { "criterion" } else { "criteria" },
                plural(n)
            );
            let alt = format!("{} — {outcome}", hub.name);
            let view = CardView {
                kind: "contender",
                title: &hub.name,
                description: "",
                outcome,
                site_title: &inputs.config.title,
                site_host: host,
                contenders: Vec::new(),
                record: Some(hub.record),
                count: n,
                logo: inputs.logos.by_id.get(&hub.id).map(String::as_str),
                width: crate::cards::WIDTH,
                height: crate::cards::HEIGHT,
            };
            (format!("compare/{}/{CARD_FILE}", hub.id), view, alt)
        }
        Job::Home => {
            let n = inputs.site.articles.len();
            let view = CardView {
                kind: "home",
                title: &inputs.config.title,
                description: &inputs.config.description,
                outcome: String::new(),
                site_title: &inputs.config.title,
                site_host: host,
                contenders: Vec::new(),
                record: None,
                count: n,
                logo: None,
                width: crate::cards::WIDTH,
                height: crate::cards::HEIGHT,
            };
            let alt = if inputs.config.description.is_empty() {
                inputs.config.title.clone()
            } else {
                format!("{} — {}", inputs.config.title, inputs.config.description)
            };
            (CARD_FILE.to_string(), view, alt)
        }
    };
    let context = CardContext { card: view };
    let mut hasher = crate::site::fingerprints::HashWriter::default();
    // A context that cannot be hashed is drawn every time.
    let key = match ciborium::into_writer(&context, &mut hasher) {
        Ok(()) => hasher.digest(),
        Err(_) => 0,
    };
    let url = format!("{}?v={:08x}", inputs.urls.permalink(&rel), key as u32);
    let mut fingerprint = None;
    let kept =
        key != 0 && fingerprints.unchanged_inputs(CARD_TEMPLATE, &rel, [key], &mut fingerprint);
    let mut made =
        Made { card: CardRef { url, alt, key }, drawn: false, fingerprint, write_error: None };
    if kept {
        if let Some(store) = inputs.store {
            store.kept(&rel);
        }
        return Ok(made);
    }
    let svg = inputs.templates.render(CARD_TEMPLATE, &context)?;
    let not_drawn = |e: String| {
        Diagnostic::new(
            inputs.templates.origin(CARD_TEMPLATE),
            format!("template error: the card `{rel}` is not an SVG that can be drawn: {e}"),
        )
        .hint("render the template into a file and open it in a browser to see what is wrong")
    };
    if output.discards_bytes() {
        // `check`: the SVG is read as it would be drawn, and nothing is drawn.
        crate::cards::check_svg(svg.as_bytes()).map_err(not_drawn)?;
        made.write_error = output.write(Path::new(&rel), &[]).err();
        return Ok(made);
    }
    let png = match inputs.store.and_then(|s| s.get(&rel, &svg)) {
        Some(png) => png,
        None => {
            let png = crate::cards::render_png(&svg).map_err(not_drawn)?;
            made.drawn = true;
            if let Some(store) = inputs.store {
                store.put(&rel, &svg, &png);
            }
            png
        }
    };
    let made_from = made.fingerprint.as_ref().map(|(_, hash)| *hash);
    made.write_error = output.write_made_from(Path::new(&rel), &png, made_from).err();
    Ok(made)
}

fn article_view<'a>(
    inputs: &CardInputs<'a>,
    a: &'a RenderedArticle,
    host: &'a str,
) -> CardView<'a> {
    let contenders = &a.article.contenders;
    let rows = a.body.callouts.len();
    let decided = a.body.callouts.iter().filter(|c| c.outcome != Outcome::Tie).count();
    let best = a.wins.iter().copied().max().unwrap_or(0);
    let leaders: Vec<usize> =
        (0..contenders.len()).filter(|&w| best > 0 && a.wins[w] == best).collect();
    let criteria = |n: usize| if n == 1 { "criterion" } else { "criteria" };
    let all_wins: usize = a.wins.iter().sum();
    let share = |w: usize| if all_wins == 0 { 0.0 } else { w as f64 / all_wins as f64 };
    let outcome = match leaders.as_slice() {
        _ if rows == 0 => "No criteria scored yet".to_string(),
        [one] => format!("{} wins {best} of {rows} {}", contenders[*one].name, criteria(rows)),
        _ if decided == 0 => format!("No winner across {rows} {}", criteria(rows)),
        _ => format!("Too close to call across {rows} {}", criteria(rows)),
    };
    CardView {
        kind: "article",
        title: &a.article.title,
        description: &a.description,
        outcome,
        site_title: &inputs.config.title,
        site_host: host,
        contenders: contenders
            .iter()
            .enumerate()
            .map(|(i, c)| CardContender {
                id: &c.id,
                name: &c.name,
                version: c.version.as_deref(),
                position: i + 1,
                wins: a.wins[i],
                share: share(a.wins[i]),
                share_before: share(a.wins[..i].iter().sum()),
                logo: inputs.logos.by_id.get(&c.id).map(String::as_str),
            })
            .collect(),
        record: None,
        count: rows,
        logo: None,
        width: crate::cards::WIDTH,
        height: crate::cards::HEIGHT,
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The host of an absolute URL: `https://verdict.example.com/blog/` → `verdict.example.com`.
fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split('/').next().unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_urls_say_what_the_bytes_are() {
        assert!(data_url(b"\x89PNG\r\n\x1a\nrest").unwrap().starts_with("data:image/png;base64,"));
        let svg =
            br#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle r="4"/></svg>"#;
        assert!(data_url(svg).unwrap().starts_with("data:image/svg+xml;base64,"));
        assert!(data_url(b"hello").is_err());
        assert_eq!(host_of("https://verdict.example.com/blog/"), "verdict.example.com");
    }
}
