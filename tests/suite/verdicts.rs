//! `/verdicts.json`: every article's contenders, criteria, winners and tally, and every
//! technology's record, as documented in `docs/verdicts-json.md`.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::support::Site;

const CATALOG: &str = "go:\n  name: Go\n  url: https://go.dev\n  facts:\n    license: BSD-3-Clause\n    first_release: 2009\n    gc: true\n";

fn site() -> Site {
    let site = Site::new();
    site.write("contenders.yaml", CATALOG)
        .write(
            "articles/rust-vs-go.md",
            "---\ntitle: Rust vs Go\ndate: 2025-03-10\nupdated: 2025-04-02\nverified: 2025-04-03\nauthor: jane\ntags: [backend]\ncontenders:\n  - name: Rust\n    version: \"1.85\"\n    facts: {license: MIT, written_in: [Rust]}\n  - name: Go\n    facts: {license: BSD}\n---\n**Winner:** Go, overall.\n\n## Speed\n\n**Winner:** Rust, for CPU-bound work.\n\n## Tooling\n\n**Winner:** **Rust** and **Go**.\n\n## Cost\n\n**Winner:** Depends on the team.\n",
        )
        .write(
            "articles/go-vs-python.md",
            "---\ntitle: Go vs Python\ndate: 2025-05-01\nauthor: jane\ncontenders: [Go, Python]\n---\n## Speed\n\n**Winner:** Go\n",
        );
    site
}

fn verdicts(site: &Site) -> Value {
    let build = site.build_ok(&[]);
    serde_json::from_str(&build.read("verdicts.json")).expect("verdicts.json parses")
}

#[test]
fn every_article_and_technology_is_there_as_data() {
    let json = verdicts(&site());
    assert_eq!(json["version"], 1);
    assert_eq!(json["site"]["url"], "https://example.com/");
    let articles = json["articles"].as_array().unwrap();
    let urls: Vec<&str> = articles.iter().map(|a| a["url"].as_str().unwrap()).collect();
    assert_eq!(urls, ["https://example.com/go-vs-python/", "https://example.com/rust-vs-go/"]);
    let a = &articles[1];
    assert_eq!(a["title"], "Rust vs Go");
    assert_eq!(
        (&a["date"], &a["updated"], &a["verified"]),
        (&Value::from("2025-03-10"), &Value::from("2025-04-02"), &Value::from("2025-04-03"))
    );
    assert_eq!(articles[0]["updated"], Value::Null);
    assert_eq!(a["author"], "jane");
    assert_eq!(a["tags"], serde_json::json!(["backend"]));
    assert_eq!(
        a["contenders"],
        serde_json::json!([
            {"id": "rust", "name": "Rust", "version": "1.85", "facts": {"license": "MIT", "written_in": ["Rust"]}},
            // The catalog's facts under the article's own, in the order written.
            {"id": "go", "name": "Go", "version": null, "facts": {"license": "BSD", "first_release": 2009, "gc": true}},
        ])
    );
    assert_eq!(
        a["criteria"],
        serde_json::json!([
            {"criterion": "Overall", "url": null, "outcome": "win", "winners": ["go"], "text": "Go, overall."},
            {"criterion": "Speed", "url": "https://example.com/rust-vs-go/#speed", "outcome": "win", "winners": ["rust"], "text": "Rust, for CPU-bound work."},
            {"criterion": "Tooling", "url": "https://example.com/rust-vs-go/#tooling", "outcome": "split", "winners": ["rust", "go"], "text": "Rust and Go."},
            {"criterion": "Cost", "url": "https://example.com/rust-vs-go/#cost", "outcome": "tie", "winners": [], "text": "Depends on the team."},
        ])
    );
    assert_eq!(
        a["tally"],
        serde_json::json!([{"id": "rust", "wins": 2, "shared": 1}, {"id": "go", "wins": 2, "shared": 1}])
    );
    assert_eq!(a["leader"], Value::Null, "a tie for first");
    assert_eq!(articles[0]["leader"], "go");
    let techs = json["technologies"].as_array().unwrap();
    let ids: Vec<&str> = techs.iter().map(|t| t["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["go", "python", "rust"]);
    assert_eq!(
        techs[0],
        serde_json::json!({
            "id": "go", "name": "Go", "url": "https://example.com/compare/go/",
            "website": "https://go.dev", "comparisons": 2,
            "record": {"won": 2, "lost": 1, "split": 1, "tied": 1},
            "facts": {"license": "BSD-3-Clause", "first_release": 2009, "gc": true},
        })
    );
}

#[test]
fn text_that_could_close_a_script_is_escaped() {
    let site = site();
    let title = "</script><script>alert(1)</script> & \"q\"";
    let text = std::fs::read_to_string(site.path("articles/go-vs-python.md")).unwrap();
    site.write(
        "articles/go-vs-python.md",
        &text.replace("title: Go vs Python", &format!("title: '{title}'")),
    );
    let build = site.build_ok(&[]);
    let raw = build.read("verdicts.json");
    assert!(!raw.contains('<') && !raw.contains('>') && !raw.contains('&'), "{raw}");
    let json: Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(json["articles"][0]["title"], title);
}

#[test]
fn a_static_file_cannot_take_its_place() {
    let site = site();
    site.write("static/verdicts.json", "{}");
    let errors = site.build(&[]).assert_site_error();
    assert_eq!(errors[0].path, "static/verdicts.json");
    assert!(errors[0].message.contains("`verdicts.json`, which the build writes itself"));
}

/// The shape of a JSON value: objects by their keys, arrays by their first item,
/// anything else as one word.
fn shape(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let keys: BTreeMap<&String, Value> = map.iter().map(|(k, v)| (k, shape(v))).collect();
            serde_json::to_value(keys).unwrap()
        }
        Value::Array(items) => Value::Array(items.first().map(shape).into_iter().collect()),
        _ => Value::from("scalar"),
    }
}

#[test]
fn the_documented_example_has_the_shape_of_the_real_file() {
    let doc = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/verdicts-json.md"),
    )
    .unwrap();
    let start = doc.find("```json\n").expect("the doc shows an example") + 8;
    let example: Value =
        serde_json::from_str(&doc[start..start + doc[start..].find("```").unwrap()])
            .expect("the documented example parses");
    let mut real = verdicts(&site());
    // The first article and technology of each list carry every field, facts included.
    real["articles"].as_array_mut().unwrap().reverse();
    let mut expected = shape(&example);
    let mut got = shape(&real);
    // Facts are free-form: their keys are the site's own.
    for tree in [&mut expected, &mut got] {
        tree["articles"][0]["contenders"][0]["facts"] = Value::Null;
        tree["technologies"][0]["facts"] = Value::Null;
    }
    assert_eq!(got, expected);
}
