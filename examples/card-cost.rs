//! Times the drawing of social cards from the default template's kind of SVG, in parts:
//! `cargo run --release --example card-cost`.

use std::time::{Duration, Instant};

fn main() {
    let svg = |i: usize| {
        format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630" viewBox="0 0 1200 630">
<rect width="1200" height="630" fill="#11142a"/>
<rect width="1200" height="10" fill="#6366f1"/>
<g transform="translate(60 140)"><rect width="256" height="72" rx="36" fill="#1c2040" stroke="#fb923c" stroke-width="3"/><circle cx="36" cy="36" r="26" fill="#fb923c"/><text x="76" y="46" font-size="28" font-weight="700" fill="#fff">Rust</text></g>
<g transform="translate(332 140)"><rect width="256" height="72" rx="36" fill="#1c2040" stroke="#22d3ee" stroke-width="3"/><circle cx="36" cy="36" r="26" fill="#22d3ee"/><text x="76" y="46" font-size="28" font-weight="700" fill="#fff">Go</text></g>
<text x="120" y="89" font-size="30" font-weight="700" fill="#e7eaf0">Stack Verdicts</text>
<text x="60" y="300" font-weight="700" font-size="58" fill="#fff">Comparison number {i}: Rust vs Go, which</text>
<text x="60" y="370" font-weight="700" font-size="58" fill="#fff">for your next web service</text>
<text x="60" y="456" font-size="36" fill="#c7cbe0">Rust wins 4 of 6 criteria</text>
<rect x="60" y="560" width="700" height="14" fill="#fb923c"/><rect x="760" y="560" width="380" height="14" fill="#22d3ee"/>
</svg>"##
        )
    };
    let n = 100;
    let (mut parse, mut render, mut encode, mut whole) =
        (Duration::ZERO, Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let mut options = resvg::usvg::Options::default();
    let mut db = resvg::usvg::fontdb::Database::new();
    db.load_font_data(include_bytes!("../src/cards/fonts/Inter-Regular.otf").to_vec());
    db.load_font_data(include_bytes!("../src/cards/fonts/Inter-Bold.otf").to_vec());
    options.fontdb = std::sync::Arc::new(db);
    options.font_family = "Inter".into();
    for i in 0..n {
        let text = svg(i);
        let t = Instant::now();
        let tree = resvg::usvg::Tree::from_str(&text, &options).unwrap();
        parse += t.elapsed();
        let t = Instant::now();
        let mut pixmap = resvg::tiny_skia::Pixmap::new(1200, 630).unwrap();
        resvg::render(&tree, resvg::tiny_skia::Transform::identity(), &mut pixmap.as_mut());
        render += t.elapsed();
        let t = Instant::now();
        let _ = pixmap.encode_png().unwrap();
        encode += t.elapsed();
        let t = Instant::now();
        let _ = verdict::cards::render_png(&text).unwrap();
        whole += t.elapsed();
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0 / n as f64;
    println!(
        "per card: parse + text layout {:.2} ms, draw {:.2} ms, tiny-skia's PNG {:.2} ms; verdict::cards::render_png {:.2} ms",
        ms(parse),
        ms(render),
        ms(encode),
        ms(whole)
    );
}
