//! Highlighted code looks the same as with the markup it replaced: syntect's nested span
//! per scope, with every atom of the scope as an `hl-` class, coloured by a stylesheet
//! of descendant selectors made from each theme item. For sample code in several
//! languages and several pairs of code themes, each character's colour, background,
//! weight, style and underline are resolved in both schemes, by the cascade rules of
//! CSS, from the old markup and stylesheet and from the new ones, and compared.
//! Whitespace is compared by what shows of it: background and underline.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

use syntect::highlighting::{Color, FontStyle, Theme};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;
use two_face::theme::EmbeddedThemeName;
use verdict::markdown::code_styles::{hex, readable};
use verdict::markdown::highlight::Highlighter;

const SAMPLES: &[(&str, &str)] = &[
    (
        "rust",
        "use std::collections::HashMap;\n\n/// Counts words.\n#[derive(Debug, Clone)]\npub struct Counter<'a> { words: HashMap<&'a str, usize> }\n\nimpl<'a> Counter<'a> {\n    pub fn add(&mut self, w: &'a str) -> Option<usize> {\n        let n = self.words.entry(w).or_insert(0);\n        *n += 1; // one more\n        Some(*n as usize * 2 - 0x1f)\n    }\n}\nfn main() { println!(\"{:?} {}\", r#\"raw\"#, 'c'); }\n",
    ),
    (
        "python",
        "import asyncio\nfrom typing import Optional\n\n@decorator(arg=1)\nclass Cache(dict):\n    \"\"\"A cache.\"\"\"\n    def get(self, key: str, default: Optional[int] = None) -> int:\n        # comment\n        return super().get(key, default) or f\"{key!r} {1 + 2:.2f}\"\n\nasync def main():\n    await asyncio.sleep(0.5)\n    print(lambda x: x ** 2, [i for i in range(10) if i % 2], b'\\x00')\n",
    ),
    (
        "typescript",
        "interface User<T extends object = {}> { id: number; name?: string; meta: T }\nexport const total = [...out.values()].reduce((a, b) => a + b, 0);\nconst out = new Map<number, number>();\nasync function load(url: string): Promise<User[]> {\n  const res = await fetch(`${url}/users?limit=${10}`);\n  if (!res.ok) throw new Error(\"failed\"); // why\n  return (await res.json()) as User[];\n}\nenum Color { Red = 1, Green }\ntype Fn = (x: unknown) => x is string;\n",
    ),
    (
        "javascript",
        "'use strict';\nconst re = /ab+c/gi;\nclass A extends B { static #x = 1; get y() { return this.#x; } }\nmodule.exports = function (req, res) {\n  res.end(JSON.stringify({ ok: true, n: null, u: undefined }));\n};\n/* block\n comment */\n",
    ),
    (
        "java",
        "package com.example;\n\nimport java.util.*;\n\n@Service\npublic final class Repo<T> implements AutoCloseable {\n    private static final int MAX = 42;\n    @Override\n    public void close() throws Exception { System.out.println(\"closed \" + MAX); }\n    /** Javadoc {@link Repo}. */\n    public List<T> all() { return new ArrayList<>(); }\n}\n",
    ),
    (
        "go",
        "package main\n\nimport (\n\t\"context\"\n\t\"fmt\"\n)\n\ntype Pair[K comparable, V any] struct{ Key K; Val V }\n\nfunc fetch(ctx context.Context, urls []string) ([]int, error) {\n\tch := make(chan int, len(urls))\n\tgo func() { defer close(ch) }()\n\treturn nil, fmt.Errorf(\"%w: %d\", err, 3)\n}\n",
    ),
    (
        "c++",
        "#include <vector>\n#define SQUARE(x) ((x) * (x))\ntemplate <typename T>\nclass Stack : public Base {\npublic:\n    void push(const T& v) noexcept { data_.push_back(v); }\n    virtual ~Stack() = default;\nprivate:\n    std::vector<T> data_; // storage\n};\nint main() { auto s = Stack<int>{}; return s.size() > 0 ? 1 : 0; }\n",
    ),
    (
        "sql",
        "SELECT u.id, COUNT(*) AS n\nFROM users u\nLEFT JOIN orders o ON o.user_id = u.id\nWHERE u.created_at > '2024-01-01' -- recent\nGROUP BY u.id HAVING COUNT(*) > 3\nORDER BY n DESC LIMIT 10;\nCREATE INDEX idx_orders_user ON orders (user_id);\n",
    ),
    (
        "yaml",
        "# config\nversion: 3\nservices:\n  web:\n    image: \"nginx:1.25\"\n    ports: [\"80:80\"]\n    environment:\n      - DEBUG=true\n    healthcheck: &hc\n      test: curl -f http://localhost\n  worker: *hc\n",
    ),
    (
        "bash",
        "#!/usr/bin/env bash\nset -euo pipefail\nfor f in \"$@\"; do\n  if [[ -f $f ]]; then\n    echo \"${f%.md}: $(wc -l < \"$f\")\" >&2\n  fi\ndone\ncat <<EOF\nhere $HOME\nEOF\n",
    ),
    (
        "json",
        "{\n  \"name\": \"verdict\",\n  \"version\": 1.5e3,\n  \"tags\": [\"a\", true, null],\n  \"nested\": { \"x\": -1 }\n}\n",
    ),
    (
        "diff",
        "--- a/x.rs\n+++ b/x.rs\n@@ -1,3 +1,3 @@\n fn main() {\n-    old();\n+    new();\n }\n",
    ),
    (
        "markdown",
        "# Title\n\nSome *italic*, **bold** and `code`, a [link](https://example.com).\n\n> quote\n\n- item\n\n```rust\nlet x = 1;\n```\n",
    ),
    (
        "html",
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><style>body { color: red; }</style></head>\n<body class=\"x\" data-y='1'>&amp; text<script>let a = 1 < 2;</script></body>\n</html>\n",
    ),
    (
        "css",
        "@media (max-width: 30rem) {\n  .a > b:hover::after { content: \"x\"; color: #fff !important; margin: 0 auto; }\n}\n",
    ),
];

/// Pairs of code themes, light then dark: the default pair, and others with bold,
/// italic, underlined and backgrounded items.
const THEMES: &[(EmbeddedThemeName, EmbeddedThemeName)] = &[
    (EmbeddedThemeName::InspiredGithub, EmbeddedThemeName::OneHalfDark),
    (EmbeddedThemeName::SolarizedLight, EmbeddedThemeName::MonokaiExtended),
    (EmbeddedThemeName::Github, EmbeddedThemeName::Dracula),
];

/// What shows of a character in one scheme.
#[derive(Clone, Debug, Default, PartialEq)]
struct Shown {
    color: String,
    background: Option<String>,
    bold: bool,
    italic: bool,
    underline: bool,
}

/// One rule of a media block: its selectors (each a list of compounds, each a list of
/// class names), the number of classes of each, and its declarations.
struct Rule {
    selectors: Vec<Vec<Vec<String>>>,
    declarations: Vec<(String, String)>,
}

/// The rules of the block that follows `media` in `css`; the `pre.code` rule's
/// declarations come back apart.
fn media_rules(css: &str, media: &str) -> (Vec<(String, String)>, Vec<Rule>) {
    let start = css.find(media).unwrap_or_else(|| panic!("no {media} in {css}")) + media.len();
    let mut depth = 0;
    let mut end = start;
    for (i, c) in css[start..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                end = start + i;
                break;
            }
            '}' => depth -= 1,
            _ => {}
        }
    }
    let mut base = Vec::new();
    let mut rules = Vec::new();
    let mut rest = &css[start..end];
    while let Some(open) = rest.find('{') {
        let close = open + rest[open..].find('}').unwrap();
        let selector_text = rest[..open].trim();
        let declarations: Vec<(String, String)> = rest[open + 1..close]
            .split(';')
            .filter_map(|d| d.split_once(':'))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect();
        rest = &rest[close + 1..];
        let mut selectors = Vec::new();
        for selector in split_top(selector_text) {
            let selector = selector.trim();
            let Some(inner) = selector.strip_prefix("pre.code") else {
                panic!("selector outside pre.code: {selector}")
            };
            let inner = inner.trim();
            if inner.is_empty() {
                base = declarations.clone();
                continue;
            }
            let alternatives: Vec<&str> = match inner.strip_prefix(":is(") {
                Some(list) => split_top(list.strip_suffix(')').unwrap()),
                None => vec![inner],
            };
            for alternative in alternatives {
                let compounds = alternative
                    .split_whitespace()
                    .map(|compound| {
                        compound
                            .split('.')
                            .filter(|c| !c.is_empty())
                            .map(|c| c.replace('\\', ""))
                            .collect()
                    })
                    .collect();
                selectors.push(compounds);
            }
        }
        if !selectors.is_empty() {
            rules.push(Rule { selectors, declarations });
        }
    }
    (base, rules)
}

/// `text` split at the commas outside parentheses.
fn split_top(text: &str) -> Vec<&str> {
    let (mut parts, mut depth, mut from) = (Vec::new(), 0, 0);
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[from..i]);
                from = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[from..]);
    parts
}

/// Each character of the code in `html` (the inside of `<code>`) with the class lists of
/// the elements around it, outermost first.
fn characters(html: &str) -> Vec<(char, Vec<Vec<String>>)> {
    let mut out = Vec::new();
    let mut stack: Vec<Vec<String>> = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("</span>") {
            stack.pop().expect("balanced spans");
            rest = after;
        } else if let Some(after) = rest.strip_prefix("<span class=\"") {
            let end = after.find("\">").unwrap();
            stack.push(after[..end].split(' ').map(str::to_string).collect());
            rest = &after[end + 2..];
        } else if rest.starts_with('&') {
            let end = rest.find(';').unwrap();
            let c = match &rest[..=end] {
                "&lt;" => '<',
                "&gt;" => '>',
                "&amp;" => '&',
                "&quot;" => '"',
                "&#39;" => '\'',
                other => panic!("entity {other}"),
            };
            out.push((c, stack.clone()));
            rest = &rest[end + 1..];
        } else {
            assert!(!rest.starts_with('<'), "unexpected markup: {rest}");
            let c = rest.chars().next().unwrap();
            out.push((c, stack.clone()));
            rest = &rest[c.len_utf8()..];
        }
    }
    assert!(stack.is_empty(), "unclosed spans");
    out
}

/// What shows of a character inside the elements `stack` under `rules`: the cascade of
/// CSS for each element (the most classes win, then the later rule), colour, weight and
/// style inherited, underlines drawn through, the innermost background shown.
fn resolve(base: &[(String, String)], rules: &[Rule], stack: &[Vec<String>]) -> Shown {
    let mut shown = Shown::default();
    for (k, v) in base {
        if k == "color" {
            shown.color = v.clone();
        }
    }
    let has = |classes: &Vec<String>, compound: &Vec<String>| {
        compound.iter().all(|c| classes.contains(c))
    };
    for level in 0..stack.len() {
        let mut winners: Vec<(String, (usize, usize), String)> = Vec::new();
        for (order, rule) in rules.iter().enumerate() {
            let specificity = rule
                .selectors
                .iter()
                .filter(|compounds| {
                    let (last, earlier) = compounds.split_last().unwrap();
                    if !has(&stack[level], last) {
                        return false;
                    }
                    let mut next = 0;
                    for outer in &stack[..level] {
                        if next < earlier.len() && has(outer, &earlier[next]) {
                            next += 1;
                        }
                    }
                    next == earlier.len()
                })
                .map(|compounds| compounds.iter().map(Vec::len).sum::<usize>())
                .max();
            let Some(specificity) = specificity else { continue };
            for (property, value) in &rule.declarations {
                let rank = (specificity, order);
                match winners.iter_mut().find(|w| &w.0 == property) {
                    Some(w) if w.1 <= rank => *w = (property.clone(), rank, value.clone()),
                    Some(_) => {}
                    None => winners.push((property.clone(), rank, value.clone())),
                }
            }
        }
        for (property, _, value) in winners {
            match (property.as_str(), value.as_str()) {
                ("color", v) => shown.color = v.to_string(),
                ("background-color", v) => shown.background = Some(v.to_string()),
                ("font-weight", "bold") => shown.bold = true,
                ("font-style", "italic") => shown.italic = true,
                ("text-decoration", "underline") => shown.underline = true,
                (p, v) => panic!("unexpected declaration {p}: {v}"),
            }
        }
    }
    shown
}

/// The markup highlighting had before: syntect's classed spans.
fn old_markup(code: &str, lang: &str) -> String {
    static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();
    let syntaxes = SYNTAXES.get_or_init(two_face::syntax::extra_newlines);
    let syntax = syntaxes.find_syntax_by_token(lang).expect(lang);
    let mut generator = ClassedHTMLGenerator::new_with_class_style(
        syntax,
        syntaxes,
        ClassStyle::SpacedPrefixed { prefix: "hl-" },
    );
    for line in LinesWithEndings::from(code) {
        generator.parse_html_for_line_which_includes_newline(line).unwrap();
    }
    generator.finalize()
}

/// The stylesheet highlighting had before, for that markup.
fn old_stylesheet(light: &Theme, dark: &Theme) -> String {
    let mut css = String::from("@media print, not all and (prefers-color-scheme: dark) {\n");
    old_theme_css(&mut css, light);
    css.push_str("}\n@media screen and (prefers-color-scheme: dark) {\n");
    old_theme_css(&mut css, dark);
    css.push_str("}\n");
    css
}

fn old_theme_css(css: &mut String, theme: &Theme) {
    let background = theme.settings.background.unwrap_or(Color::WHITE);
    let foreground = theme.settings.foreground.unwrap_or(Color::BLACK);
    let _ = writeln!(
        css,
        "pre.code {{ color: {}; background-color: {}; }}",
        hex(readable(foreground, background)),
        hex(background)
    );
    for item in &theme.scopes {
        let selectors: Vec<String> = item
            .scope
            .selectors
            .iter()
            .filter(|s| s.excludes.is_empty())
            .map(|selector| {
                let path: Vec<String> = selector
                    .extract_scopes()
                    .iter()
                    .map(|scope| {
                        scope
                            .build_string()
                            .split('.')
                            .map(|atom| {
                                let escaped: String = atom
                                    .chars()
                                    .flat_map(|c| {
                                        let plain =
                                            c.is_ascii_alphanumeric() || c == '-' || c == '_';
                                        (!plain).then_some('\\').into_iter().chain([c])
                                    })
                                    .collect();
                                format!(".hl-{escaped}")
                            })
                            .collect()
                    })
                    .collect();
                format!("pre.code {}", path.join(" "))
            })
            .collect();
        if selectors.is_empty() {
            continue;
        }
        let mut rules = String::new();
        if let Some(fg) = item.style.foreground {
            let on = item.style.background.unwrap_or(background);
            let _ = write!(rules, " color: {};", hex(readable(fg, on)));
        }
        if let Some(bg) = item.style.background {
            if bg.a > 0 && bg != background {
                let _ = write!(rules, " background-color: {};", hex(bg));
            }
        }
        if let Some(style) = item.style.font_style {
            if style.contains(FontStyle::BOLD) {
                rules.push_str(" font-weight: bold;");
            }
            if style.contains(FontStyle::ITALIC) {
                rules.push_str(" font-style: italic;");
            }
            if style.contains(FontStyle::UNDERLINE) {
                rules.push_str(" text-decoration: underline;");
            }
        }
        if !rules.is_empty() {
            let _ = writeln!(css, "{} {{{rules} }}", selectors.join(", "));
        }
    }
}

/// The inside of `<code>` of a highlighted block.
fn code_of(block: &str) -> &str {
    let start = block.find("<code>").unwrap() + "<code>".len();
    &block[start..block.rfind("</code>").unwrap()]
}

#[test]
fn every_character_looks_as_with_the_scope_markup() {
    let themes = two_face::theme::extra();
    let media = [
        "@media print, not all and (prefers-color-scheme: dark) {",
        "@media screen and (prefers-color-scheme: dark) {",
    ];
    let mut compared = 0;
    let mut coloured = std::collections::HashSet::new();
    let mut met = [false; 4];
    for &(light_name, dark_name) in THEMES {
        let (light, dark) = (themes.get(light_name), themes.get(dark_name));
        let highlighter = Highlighter::new(light_name.as_name(), dark_name.as_name()).unwrap();
        let (old_css, new_css) = (old_stylesheet(light, dark), highlighter.stylesheet());
        for (scheme, media) in media.iter().enumerate() {
            let (old_base, old_rules) = media_rules(&old_css, media);
            let (new_base, new_rules) = media_rules(&new_css, media);
            // Resolved once per stack of classes: code repeats them.
            let mut old_shown: HashMap<Vec<Vec<String>>, Shown> = HashMap::new();
            let mut new_shown: HashMap<Vec<Vec<String>>, Shown> = HashMap::new();
            for &(lang, code) in SAMPLES {
                let old = characters(&old_markup(code, lang));
                let new_block = highlighter.highlight(code, Some(lang));
                let new = characters(code_of(&new_block));
                let old_text: String = old.iter().map(|c| c.0).collect();
                let new_text: String = new.iter().map(|c| c.0).collect();
                assert_eq!(old_text, code, "{lang}");
                assert_eq!(new_text, code, "{lang}");
                for (i, ((c, old_stack), (_, new_stack))) in old.iter().zip(&new).enumerate() {
                    let before = old_shown
                        .entry(old_stack.clone())
                        .or_insert_with(|| resolve(&old_base, &old_rules, old_stack))
                        .clone();
                    let after = new_shown
                        .entry(new_stack.clone())
                        .or_insert_with(|| resolve(&new_base, &new_rules, new_stack))
                        .clone();
                    let context = || {
                        format!(
                            "{lang}, {light_name}/{dark_name}, scheme {scheme}, character {i} {c:?} \
                             in {:?}: old classes {old_stack:?}, new classes {new_stack:?}",
                            code.lines().nth(code[..i].matches('\n').count()).unwrap_or("")
                        )
                    };
                    let features =
                        [before.bold, before.italic, before.underline, before.background.is_some()];
                    for (seen, feature) in met.iter_mut().zip(features) {
                        *seen |= feature;
                    }
                    if c.is_whitespace() {
                        assert_eq!(
                            (&before.background, before.underline),
                            (&after.background, after.underline),
                            "{}",
                            context()
                        );
                    } else {
                        assert_eq!(before, after, "{}", context());
                        coloured.insert(before.color.clone());
                    }
                    compared += 1;
                }
            }
        }
    }
    assert!(compared > 10_000, "{compared} characters compared");
    assert_eq!(met, [true; 4], "bold, italic, underline and backgrounds all met");
    assert!(coloured.len() > 30, "only {} colours met: the samples are too plain", coloured.len());
}

#[test]
fn markup_is_one_element_per_run_of_one_look() {
    let highlighter = Highlighter::new("InspiredGitHub", "OneHalfDark").unwrap();
    let block = highlighter.highlight("let x = \"a b c\"; // one\n", Some("rust"));
    assert_eq!(
        &*block,
        "<pre class=\"code\" tabindex=\"0\" data-lang=\"rust\"><code>\
         <span class=\"cdc l1\">let</span> x <span class=\"cdc l1\">=</span> \
         <span class=\"ccg\">\"a b c\"</span>; <span class=\"cbb l2\">// one\n</span>\
         </code></pre>\n"
    );
}
