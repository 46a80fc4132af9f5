//! Times the rendering of social cards: `cargo run --release --example card-cost`.

fn main() {
    let svg = |i: usize| {
        format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630" viewBox="0 0 1200 630">
<rect width="1200" height="630" fill="#0f172a"/>
<rect x="0" y="0" width="1200" height="12" fill="#2563eb"/>
<circle cx="120" cy="130" r="50" fill="#2563eb"/><circle cx="240" cy="130" r="50" fill="#db2777"/>
<text x="60" y="300" font-weight="700" font-size="64" fill="#fff">Comparison number {i}: Rust vs Go</text>
<text x="60" y="380" font-weight="700" font-size="64" fill="#fff">for your next web service</text>
<text x="60" y="470" font-size="36" fill="#e2e8f0">Rust wins 4 of 6 criteria</text>
<text x="60" y="570" font-size="28" fill="#94a3b8">Stack Verdicts</text>
</svg>"##
        )
    };
    let n = 200;
    let start = std::time::Instant::now();
    let mut bytes = 0;
    for i in 0..n {
        bytes += verdict::cards::render_png(&svg(i)).unwrap().len();
    }
    let each = start.elapsed().as_secs_f64() * 1000.0 / n as f64;
    println!("{each:.2} ms per card, {} KB each", bytes / n / 1024);
    std::fs::write("/tmp/h4-proto/card.png", verdict::cards::render_png(&svg(7)).unwrap()).unwrap();
}
