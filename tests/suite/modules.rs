//! The shape of `src/`: no import cycle among its files, and no file over 650 lines
//! outside its tests. A child module using its own parent's (or any ancestor's) items
//! does not count as an edge: that is how Rust modules share their private items.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The longest a source file may be, outside its `#[cfg(test)]` part.
const MAX_LINES: usize = 650;

/// A source file's module path (`["site", "pages"]`) and its text before any
/// `#[cfg(test)]` line.
fn modules() -> BTreeMap<Vec<String>, String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel: PathBuf = path.strip_prefix(&src).unwrap().with_extension("");
        let mut segments: Vec<String> =
            rel.iter().map(|s| s.to_string_lossy().into_owned()).collect();
        if matches!(segments.last().map(String::as_str), Some("mod" | "lib" | "main")) {
            segments.pop();
        }
        if rel == Path::new("main") {
            // The binary is a crate of its own; it only calls the library.
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        let code: String = text
            .lines()
            .take_while(|l| !l.trim_start().starts_with("#[cfg(test)]"))
            .map(|l| format!("{l}\n"))
            .collect();
        out.insert(segments, code);
    }
    out
}

/// The paths a piece of code names through `crate::` and `super::`, as absolute module
/// paths (with the item's name last, which callers trim to a known module).
fn named_paths(module: &[String], code: &str) -> Vec<Vec<String>> {
    let code: String =
        code.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n");
    let bytes = code.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &code[i..];
        let preceded_by_ident =
            i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
        let base: Option<(Vec<String>, usize)> = if preceded_by_ident {
            None
        } else if rest.starts_with("crate::") {
            Some((Vec::new(), "crate::".len()))
        } else if rest.starts_with("super::") {
            // `super` of module a::b (`a/b.rs` or `a/b/mod.rs`) is `a`.
            let mut parent = module.to_vec();
            parent.pop();
            let mut len = "super::".len();
            while code[i + len..].starts_with("super::") {
                parent.pop();
                len += "super::".len();
            }
            Some((parent, len))
        } else {
            None
        };
        match base {
            Some((prefix, len)) => {
                let (paths, used) = parse_tree(&code[i + len..]);
                for p in paths {
                    let mut full = prefix.clone();
                    full.extend(p);
                    out.push(full);
                }
                i += len + used;
            }
            None => i += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    out
}

/// Parses a use tree (`a::b`, `a::{b, c::d}`, `{x, y}`) and returns its paths and the
/// bytes it took.
fn parse_tree(s: &str) -> (Vec<Vec<String>>, usize) {
    let mut i = 0;
    let mut prefix = Vec::new();
    let bytes = s.as_bytes();
    loop {
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
            i += 1;
        }
        if i > start {
            prefix.push(s[start..i].to_string());
        }
        if s[i..].starts_with("::") {
            i += 2;
            continue;
        }
        if s[i..].starts_with('{') {
            i += 1;
            let mut paths = Vec::new();
            loop {
                while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b',') {
                    i += 1;
                }
                if i >= bytes.len() || bytes[i] == b'}' {
                    i += 1;
                    break;
                }
                let (inner, used) = parse_tree(&s[i..]);
                for p in inner {
                    let mut full = prefix.clone();
                    full.extend(p);
                    paths.push(full);
                }
                // Skip `as name` and anything else up to the next `,` or `}`.
                i += used.max(1);
                while i < bytes.len() && bytes[i] != b',' && bytes[i] != b'}' {
                    if bytes[i] == b'{' {
                        break;
                    }
                    i += 1;
                }
            }
            return (paths, i);
        }
        return (vec![prefix], i);
    }
}

/// Whether `ancestor` is a proper prefix of `module`.
fn is_ancestor(ancestor: &[String], module: &[String]) -> bool {
    ancestor.len() < module.len() && module.starts_with(ancestor)
}

/// The import edges between source files.
fn edges() -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let modules = modules();
    let known: BTreeSet<&Vec<String>> = modules.keys().collect();
    let mut graph: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (module, code) in &modules {
        let targets = graph.entry(module.clone()).or_default();
        for mut path in named_paths(module, code) {
            // Trim to the longest module that exists.
            while !path.is_empty() && !known.contains(&path) {
                path.pop();
            }
            if path == *module || is_ancestor(&path, module) || path.is_empty() {
                continue;
            }
            targets.insert(path);
        }
    }
    graph
}

/// The strongly connected components with more than one file (Tarjan's algorithm).
fn cycles(graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<Vec<Vec<String>>> {
    struct State<'a> {
        graph: &'a BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        index: BTreeMap<&'a Vec<String>, usize>,
        low: BTreeMap<&'a Vec<String>, usize>,
        stack: Vec<&'a Vec<String>>,
        on_stack: BTreeSet<&'a Vec<String>>,
        out: Vec<Vec<Vec<String>>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a Vec<String>) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        let graph = s.graph;
        for w in graph.get(v).into_iter().flatten() {
            let Some((w, _)) = graph.get_key_value(w) else { continue };
            if !s.index.contains_key(w) {
                visit(s, w);
                let low = s.low[w].min(s.low[v]);
                s.low.insert(v, low);
            } else if s.on_stack.contains(w) {
                let low = s.index[w].min(s.low[v]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.clone());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                s.out.push(component);
            }
        }
    }
    let mut state = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !state.index.contains_key(v) {
            visit(&mut state, v);
        }
    }
    state.out
}

#[test]
fn source_files_import_each_other_without_cycles() {
    let graph = edges();
    // The reader sees what it should: a few edges that must be there.
    let site = vec!["site".to_string()];
    assert!(
        graph[&vec!["cmd".to_string(), "check".to_string()]].iter().any(|t| t.starts_with(&site)),
        "the reader of imports missed `check` using `site`: {graph:#?}"
    );
    let found = cycles(&graph);
    let names: Vec<Vec<String>> =
        found.iter().map(|c| c.iter().map(|m| m.join("::")).collect()).collect();
    assert!(found.is_empty(), "import cycles among src/ files: {names:#?}");
}

#[test]
fn reads_a_cycle_when_there_is_one() {
    let m = |s: &str| s.split("::").map(str::to_string).collect::<Vec<_>>();
    let mut graph = BTreeMap::new();
    graph.insert(m("a"), BTreeSet::from([m("b")]));
    graph.insert(m("b"), BTreeSet::from([m("c")]));
    graph.insert(m("c"), BTreeSet::from([m("a")]));
    graph.insert(m("d"), BTreeSet::from([m("a")]));
    assert_eq!(cycles(&graph).len(), 1);
    let paths = named_paths(&m("x::y"), "use crate::{a::b, c};\nuse super::z::W;\n");
    assert_eq!(paths, vec![m("a::b"), m("c"), m("x::z::W")]);
}

#[test]
fn no_source_file_is_over_650_lines_outside_its_tests() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut long = Vec::new();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let lines =
            text.lines().take_while(|l| !l.trim_start().starts_with("#[cfg(test)]")).count();
        if lines > MAX_LINES {
            long.push(format!("{}: {lines} lines", entry.path().display()));
        }
    }
    assert!(long.is_empty(), "files over {MAX_LINES} lines outside their tests: {long:#?}");
}
