//! Rendering through the [`DocumentCache`](crate::markdown::document::DocumentCache): a document whose [`document_key`] (a hash of
//! everything its rendering depends on) was rendered before is taken from the cache.

use std::path::Path;
use std::sync::Arc;

use xxhash_rust::xxh3::Xxh3;

use crate::content::article::Contender;
use crate::content::hashing::WithFacts;
use crate::markdown::document::{Detail, Rendered, Source};
use crate::markdown::render::{Env, render};

/// Renders a document, or takes it from `env.documents` when nothing it depends on changed.
pub fn render_document(env: &Env<'_>, src: &Source<'_>, detail: Detail) -> Rendered {
    if env.documents.is_none() {
        return render(env, src, detail);
    }
    Arc::unwrap_or_clone(render_keyed(env, src, detail).1)
}

/// [`render_document`], with the [`document_key`] of the document.
pub fn render_keyed(env: &Env<'_>, src: &Source<'_>, detail: Detail) -> (u128, Arc<Rendered>) {
    let key = document_key(env, src, detail);
    let Some(cache) = env.documents else {
        return (key, Arc::new(render(env, src, detail)));
    };
    if let Some(hit) = cache.get(key) {
        return (key, hit);
    }
    let rendered = Arc::new(render(env, src, detail));
    cache.insert(key, Arc::clone(&rendered));
    (key, rendered)
}

/// A hash of everything a document's rendering depends on.
pub fn document_key(env: &Env<'_>, src: &Source<'_>, detail: Detail) -> u128 {
    let body_hash = xxhash_rust::xxh3::xxh3_128(src.body.as_bytes());
    document_key_hashed(env, src.path, body_hash, src.body_line, src.contenders, detail)
}

/// [`document_key`] of a document whose body is known by its hash (`xxh3_128`).
pub fn document_key_hashed(
    env: &Env<'_>,
    path: &Path,
    body_hash: u128,
    body_line: usize,
    contenders: &[Contender],
    detail: Detail,
) -> u128 {
    let mut hasher = Xxh3::new();
    hasher.update(path.as_os_str().as_encoded_bytes());
    hasher.update(&[0]);
    hasher.update(&body_hash.to_le_bytes());
    hasher.update(&body_line.to_le_bytes());
    for c in contenders {
        // Every field but the facts, which no body shows: a facts edit renders no
        // Markdown again.
        c.hash_fields(&mut hasher, WithFacts::No);
    }
    hasher.update(env.winner_label.as_bytes());
    for marker in env.markers {
        hasher.update(&[0]);
        hasher.update(marker.as_bytes());
    }
    hasher.update(&env.links.fingerprint().to_le_bytes());
    hasher.update(&[detail as u8]);
    hasher.digest128()
}
