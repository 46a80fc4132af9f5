//! Every cache a build keeps, and what invalidates each. A cache only ever saves work:
//! a build with none makes the same bytes (`tests/suite/determinism.rs`).
//!
//! A session keeps them by its mode ([`crate::site::Session`]): none (`--no-cache`,
//! `check`), on disk in `.verdict-cache/` (`build`), or in memory (`serve`).
//!
//! | cache | kept | key | invalidated by |
//! |---|---|---|---|
//! | highlighted code ([`code`]) | disk `highlight.bin`, memory | hash of a block's language and code | a block no build used or kept is dropped on save; on disk each entry carries a hash of its HTML, and one that fails it is never used and dropped |
//! | outlines ([`DocumentCache`]) | disk `outlines.bin` | [`document_key`]: file path, body hash and first line, contenders, winner label, link map, detail | any of those; the file is rewritten when the outlines differ; it carries a hash of its outlines, and a file that fails it is not used |
//! | rendered documents ([`DocumentCache`]) | memory | [`document_key`] with the full detail | the same; entries neither a build nor the one before used are gone, and dropped once they are a fifth of the cache ([`generations`]) |
//! | parsed articles ([`ParsedArticles`]) | memory | hash of path, text and parse settings | the text or the settings |
//! | listing of `articles/` (`load::Listing`) | memory | each article's key by its path and parse settings, with the paths the watcher named since | a named path under `articles/` that is not a regular file the listing holds, a walk that met a link or an error, a build not told what changed, lost watcher events: `articles/` is walked again |
//! | file stamps ([`stamps`]) | memory | path, size, inode, device, modification and change times | any write to the file |
//! | external link answers ([`links`]) | disk `links.txt` (`check --external` only) | the URL | age: `cache_live_hours` for a live link, `cache_dead_hours` for a dead one |
//! | image copies ([`images`]) | disk `images/`, memory | hash of the original's bytes, the copy's width, height and format, and the encoder's version | any of those; copies a build did not use are deleted once it succeeded (on disk, when it is saved after the swap); a failed build deletes none |
//! | search documents and bundle ([`SearchCache`]) | disk `search.bin`, memory | each document by its article's outline key, title, URL, contenders with aliases, tags and the site's language; the bundle by the keys of all documents | any of those: a changed document is made again from its page's body; the file is rewritten when the bundle changed; a build that fails after its bundle leaves the next one keeping none of the bundle's files |
//! | search postings (`fulltext::shards::Postings`) | memory | the key of each document by its number | a document whose key changed is taken out (by its last key) and put in again; any other change of numbering or count (or more than a quarter of the documents changed) reads every document again. Each stem's postings' JSON is kept until the stem's postings change, and each run of words sharing two letters keeps its shards by a hash of its words and of when their stems' postings were made. The other forms each word is read from (`fulltext::text::Forms`) are kept by word while it is in the site |
//! | outlined articles (`outlines::Recycled`) | memory (`serve`), handed back once a build is served | the parsed article itself (the same shared value) and `RenderedSite::articles_key`: code themes, winner label, comparison markers, link map, site address | any of those: the article is outlined again (its outline marked used in the document cache when taken over); a failed build hands nothing back, and the next one takes every outline from the document cache. An article taken over brings its digests, and its links are not checked again while the written paths, the deployed address and the other documents' links are the last build's (`site_links::LinksChecked`); when only the full-text bundle's paths changed, its links that may lead into `search/` are checked again |
//! | written paths (`site::recorded::WrittenPaths`) | memory (the session; `serve`'s builder keeps those of the files it serves) | nothing: a build marks the last build's paths it writes again and records others apart | a build that writes other paths makes a new set; the paths served are exactly the last successful build's |
//! | link map (`site::link_map::LinkMaps`) | memory | the articles (the same parsed article, or one with the same file and slug), the pages' files and slugs, the drafts left out and the site's address | any of those: the map (and its fingerprint) is made again |
//! | site index ([`SiteIndex`]) | memory | [`index_key`]: each article's tags, contenders (id, name, site) and callouts, the catalog and the hubs' descriptions | any of those |
//! | parts of `search.json` and `/verdicts.json` (`site/parts.rs`) | memory | the article's digest (every field as loaded and outlined, the body through its outline's key, made once with the outline: `site::article_digests`) and, for `/verdicts.json`, its contenders' facts; the whole file by its head, tail and the hashes of its parts' texts (kept in the output, its fingerprint among the pages'). `sitemap.xml` likewise, by its entries | any of those; parts a build did not use are dropped by it |
//! | page fingerprints ([`pages`]) | disk `pages.txt`, memory | output path → hash of the page's inputs or template context, salted with the templates, every setting and the link map; on disk, with the identity of the file written (size, modification time, inode) | any input; a page file of the output whose identity changed (edited, replaced) is written again; the identities hold for one output folder only (its inode and time): for another, the fingerprints only tell which files the output store may put back |
//! | output files ([`outputs`]) | disk `output/<hash of the bytes>` (hard links to the output's files where they share a file system, else copies), listed in `output.txt` | output path → what the file was made from (a page's fingerprint, an index file's hash) and the hash of its bytes | any input (the page's fingerprint changes); a stored file whose bytes no longer have their hash (changed through the output's link to it) is not put back; files no entry of the last successful build names are deleted when it is saved |
//! | social cards ([`cards`]) | disk `cards/<hash>.png`, listed by output path in `cards/cards.txt` | hash of the binary and the card's SVG | a card a build did not use is deleted once it succeeded (when it is saved after the swap; a failed build deletes none); a file that fails the hash it carries is not used. Unchanged cards are kept in the output by their fingerprint (with the pages') without reading this cache: `cards.txt` names their files, which stay |
//!
//! Every file on disk but the image copies (plain image files, keyed by their encoder's
//! version instead) starts with a header naming the binary that wrote it: verdict's
//! version and a stamp of the code it was built from ([`file::MADE_BY`], a hash of
//! `src/`, `themes/`, `Cargo.lock` and `Cargo.toml` made by `build.rs`). A file written by
//! any other binary is ignored, so a changed binary renders every page again on its first
//! warm build. Files are written aside and renamed into place ([`file::replace`]), so a
//! build killed at any moment leaves the old file or the new one. Cache files are read
//! only as regular files, never through a link, and the cache folder itself may not be
//! a link out of the site (`build` refuses it).
//!
//! [`DocumentCache`]: crate::markdown::document::DocumentCache
//! [`document_key`]: crate::markdown::documents::document_key
//! [`ParsedArticles`]: crate::site::load::ParsedArticles
//! [`SearchCache`]: crate::site::fulltext::SearchCache
//! [`SiteIndex`]: crate::site::index::SiteIndex
//! [`index_key`]: crate::site::index::index_key

pub mod cards;
pub mod code;
pub mod file;
pub mod generations;
pub mod images;
pub mod links;
pub mod outputs;
pub mod pages;
pub mod stamps;
