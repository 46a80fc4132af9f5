//! What highlighting each language of a site costs, with verdict's grammars (two-face)
//! beside syntect's default set (the one the benchmark floor uses), on one thread.
//!
//!     cargo run --release --example highlight-cost -- target/bench/site-1000/articles
//!
//! Every fenced block of every Markdown file in the folder is highlighted into CSS
//! classes with each set, twice; the second round is timed. A language a set does not
//! know is left plain (0 ms).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// Fenced code blocks of the Markdown files in `dir`: (language, code).
fn code_blocks(dir: &Path) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("folder entry").path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable Markdown");
        let mut open: Option<(String, String)> = None;
        for line in text.lines() {
            match (line.strip_prefix("```"), open.take()) {
                (Some(_), Some(block)) => blocks.push(block),
                (Some(info), None) => open = Some((info.trim().to_string(), String::new())),
                (None, Some((lang, mut code))) => {
                    code.push_str(line);
                    code.push('\n');
                    open = Some((lang, code));
                }
                (None, None) => {}
            }
        }
    }
    blocks
}

/// Time to highlight `code` as `lang` with `set`; zero when the set lacks the language.
fn highlight(set: &SyntaxSet, lang: &str, code: &str) -> Duration {
    let Some(syntax) = set.find_syntax_by_token(lang) else { return Duration::ZERO };
    let start = Instant::now();
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, ClassStyle::Spaced);
    for line in LinesWithEndings::from(code) {
        generator.parse_html_for_line_which_includes_newline(line).expect("highlightable");
    }
    std::hint::black_box(generator.finalize());
    start.elapsed()
}

fn main() {
    let dir = std::env::args().nth(1).expect("usage: highlight-cost ARTICLES_FOLDER");
    let blocks = code_blocks(Path::new(&dir));
    let sets = [
        ("verdict (two-face)", two_face::syntax::extra_newlines()),
        ("syntect defaults", SyntaxSet::load_defaults_newlines()),
    ];
    // language -> (lines, time per set)
    let mut table: BTreeMap<&str, (usize, [Duration; 2])> = BTreeMap::new();
    for (lang, code) in &blocks {
        table.entry(lang).or_default().0 += code.lines().count();
    }
    // A first round compiles each grammar's regexes (once per build, as in verdict);
    // the second, timed, round runs with both sets warmed up.
    for round in 0..2 {
        for (i, (_, set)) in sets.iter().enumerate() {
            for (lang, code) in &blocks {
                let time = highlight(set, lang, code);
                if round == 1 {
                    table.get_mut(lang.as_str()).expect("counted").1[i] += time;
                }
            }
        }
    }
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("{:<12} {:>7}  {:>18}  {:>18}", "language", "lines", sets[0].0, sets[1].0);
    let mut total = [Duration::ZERO; 2];
    for (lang, (lines, times)) in &table {
        println!("{lang:<12} {lines:>7}  {:>15.0} ms  {:>15.0} ms", ms(times[0]), ms(times[1]));
        total[0] += times[0];
        total[1] += times[1];
    }
    println!("{:<12} {:>7}  {:>15.0} ms  {:>15.0} ms", "total", "", ms(total[0]), ms(total[1]));
}
