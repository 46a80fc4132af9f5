//! Where a template loop is: an `{% include %}` or `{% extends %}` chain that comes back
//! to where it started (Tera finds those when the templates are loaded), and components
//! that call themselves, directly or through others, deeper than Tera allows (found
//! while rendering). Tera names the templates involved but no line, so the line of the
//! tag or call that closes the loop is found here in the templates' text.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::error::Diagnostic;

/// How deep Tera lets components nest (`MAX_COMPONENT_RECURSION_DEPTH` in its
/// interpreter).
const COMPONENT_DEPTH: usize = 20;

/// The message of Tera's error for components nested too deep.
pub(super) const COMPONENT_DEPTH_MESSAGE: &str = "Maximum render recursion depth for components";

/// The 1-based line and column (of its `{%`) of the first `{% <keyword> "name" %}`
/// (either quote) in `text`.
pub(super) fn find_tag(text: &str, keyword: &str, name: &str) -> Option<(usize, usize)> {
    let quoted = [format!("\"{name}\""), format!("'{name}'")];
    text.lines().enumerate().find_map(|(i, line)| {
        let at = quoted.iter().filter_map(|q| line.find(q.as_str())).min()?;
        let tag = line[..at].rfind(keyword)?;
        let open = line[..tag].rfind("{%").unwrap_or(tag);
        Some((i + 1, line[..open].chars().count() + 1))
    })
}

/// The diagnostic for an `{% include %}` (`keyword` `include`) or `{% extends %}` loop:
/// `chain` is the templates in the order they name each other, its last one already
/// among the others. It names the template whose tag closes the loop, at that tag.
pub(super) fn tag_loop(
    keyword: &str,
    chain: &[String],
    text_of: impl Fn(&str) -> Option<(PathBuf, String)>,
) -> Diagnostic {
    let (Some(target), Some(from)) = (chain.last(), chain.len().checked_sub(2).map(|i| &chain[i]))
    else {
        return Diagnostic::new("templates", format!("template error: `{keyword}` loop"));
    };
    let start = chain.iter().position(|name| name == target).unwrap_or(0);
    let shown: Vec<String> = chain[start..].iter().map(|name| format!("`{name}`")).collect();
    let (path, text) = text_of(from).unwrap_or_else(|| (from.into(), String::new()));
    let (line, column) = find_tag(&text, keyword, target).unwrap_or((1, 1));
    let message = if from == target {
        format!("template error: `{from}` {keyword}s itself")
    } else {
        format!("template error: `{keyword}` loop: {}", shown.join(" → "))
    };
    Diagnostic::new(path, message).at(line, column).hint(format!(
        "a template cannot {keyword} itself, directly or through others; break the loop"
    ))
}

/// A component call: who calls whom, where.
#[derive(Debug, Clone)]
struct Call {
    callee: String,
    template: String,
    line: usize,
    column: usize,
}

/// The component calls in `text` (the template `template`), by calling component.
fn component_calls(template: &str, text: &str, calls: &mut BTreeMap<String, Vec<Call>>) {
    let mut current: Option<String> = None;
    for (i, line) in text.lines().enumerate() {
        let mut rest = line;
        let mut offset = 0;
        while !rest.is_empty() {
            // The next of: a component definition, its end, a call `<name`.
            let def = rest.find("component ").filter(|&at| is_tag_start(&rest[..at]));
            let end = rest.find("endcomponent");
            let call = rest
                .match_indices('<')
                .map(|(at, _)| at)
                .find(|&at| is_call_start(&line[..offset + at]));
            let next = [def, end, call].into_iter().flatten().min();
            let Some(at) = next else { break };
            let after = &rest[at..];
            let advance;
            if Some(at) == end {
                current = None;
                advance = "endcomponent".len();
            } else if Some(at) == def {
                let name: String = after["component ".len()..]
                    .trim_start()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                current = (!name.is_empty()).then_some(name);
                advance = "component ".len();
            } else {
                let name: String =
                    after[1..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if let (Some(caller), false) = (&current, name.is_empty()) {
                    calls.entry(caller.clone()).or_default().push(Call {
                        callee: name,
                        template: template.to_string(),
                        line: i + 1,
                        column: line[..offset + at].chars().count() + 1,
                    });
                }
                advance = 1;
            }
            offset += at + advance;
            rest = &rest[at + advance..];
        }
    }
}

/// Whether `before` (the text ahead of `component ` on its line) ends in `{%` or `{%-`.
fn is_tag_start(before: &str) -> bool {
    let before = before.trim_end();
    before.ends_with("{%") || before.ends_with("{%-")
}

/// Whether `before` (the text ahead of a `<` on its line) opens a tag or an expression,
/// so the `<` starts a component call (`{{ <name ... /> }}`, `{% <name> %}`), not HTML.
fn is_call_start(before: &str) -> bool {
    let before = before.trim_end();
    is_tag_start(before) || before.ends_with("{{") || before.ends_with("{{-")
}

/// The diagnostic for components nested deeper than Tera allows, at the call that closes
/// a loop of components calling each other (the first in name order); `None` when no
/// component calls itself, directly or not (a chain of more than 20 distinct ones).
pub(super) fn component_loop(sources: &[(String, String, PathBuf)]) -> Option<Diagnostic> {
    let mut calls = BTreeMap::new();
    for (name, text, _) in sources {
        component_calls(name, text, &mut calls);
    }
    for start in calls.keys() {
        let mut path: Vec<&Call> = Vec::new();
        if let Some(closing) = find_cycle(&calls, start, start, &mut path, &mut Vec::new()) {
            let mut chain = vec![format!("`{start}`")];
            chain.extend(path.iter().map(|c| format!("`{}`", c.callee)));
            let origin = sources
                .iter()
                .find(|(name, _, _)| *name == closing.template)
                .map_or_else(|| PathBuf::from(&closing.template), |(_, _, origin)| origin.clone());
            let message = if path.len() == 1 {
                format!(
                    "template error: component `{start}` calls itself more than {COMPONENT_DEPTH} levels deep"
                )
            } else {
                format!(
                    "template error: components call each other more than {COMPONENT_DEPTH} levels deep: {}",
                    chain.join(" → ")
                )
            };
            return Some(Diagnostic::new(origin, message).at(closing.line, closing.column).hint(
                "give the recursion an end that is reached: a condition around the call that turns false",
            ));
        }
    }
    None
}

/// Depth-first search for a path of calls from `at` back to `start`; returns the call
/// that closes it, with `path` holding the calls from `start`.
fn find_cycle<'a>(
    calls: &'a BTreeMap<String, Vec<Call>>,
    start: &str,
    at: &str,
    path: &mut Vec<&'a Call>,
    seen: &mut Vec<&'a str>,
) -> Option<&'a Call> {
    for call in calls.get(at).into_iter().flatten() {
        path.push(call);
        if call.callee == start {
            return Some(call);
        }
        if !seen.contains(&call.callee.as_str()) {
            seen.push(&call.callee);
            if let Some(found) = find_cycle(calls, start, &call.callee, path, seen) {
                return Some(found);
            }
        }
        path.pop();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(list: &[(&str, &str)]) -> Vec<(String, String, PathBuf)> {
        list.iter()
            .map(|(n, t)| (n.to_string(), t.to_string(), PathBuf::from("templates").join(n)))
            .collect()
    }

    #[test]
    fn finds_include_tags() {
        let text = "a\n  {% include \"b.html\" %}\n{%- include 'c.html' -%}";
        assert_eq!(find_tag(text, "include", "b.html"), Some((2, 3)));
        assert_eq!(find_tag(text, "include", "c.html"), Some((3, 1)));
        assert_eq!(find_tag(text, "include", "d.html"), None);
    }

    #[test]
    fn names_the_include_that_closes_a_loop() {
        let texts = sources(&[
            ("a.html", "A\n{% include \"b.html\" %}"),
            ("b.html", "B\n\n{% include \"a.html\" %}"),
        ]);
        let text_of = |name: &str| {
            texts.iter().find(|(n, _, _)| n == name).map(|(_, t, o)| (o.clone(), t.clone()))
        };
        let chain: Vec<String> =
            ["page.html", "a.html", "b.html", "a.html"].map(String::from).into();
        let d = tag_loop("include", &chain, text_of);
        assert_eq!(d.path, PathBuf::from("templates/b.html"));
        assert_eq!((d.line, d.column), (Some(3), Some(1)));
        assert_eq!(d.message, "template error: `include` loop: `a.html` → `b.html` → `a.html`");
    }

    #[test]
    fn finds_a_component_calling_itself() {
        let texts = sources(&[
            ("page.html", "{{ <tree n={1} /> }}"),
            (
                "comps.html",
                "{% component leaf() %}x{% endcomponent leaf %}\n{% component tree(n: integer) %}\n<b>{{ <leaf /> }}{{ <tree n={n} /> }}</b>\n{% endcomponent tree %}",
            ),
        ]);
        let d = component_loop(&texts).expect("a loop");
        assert_eq!(d.path, PathBuf::from("templates/comps.html"));
        assert_eq!((d.line, d.column), (Some(3), Some(21)));
        assert!(d.message.contains("component `tree` calls itself"), "{}", d.message);
    }

    #[test]
    fn finds_components_calling_each_other() {
        let texts = sources(&[(
            "c.html",
            "{% component a() %}<b>{{ <b /> }}</b>{% endcomponent a %}\n{% component b() %}{{ <a /> }}{% endcomponent b %}",
        )]);
        let d = component_loop(&texts).expect("a loop");
        assert_eq!((d.line, d.column), (Some(2), Some(23)));
        assert!(d.message.ends_with("`a` → `b` → `a`"), "{}", d.message);
        assert!(
            component_loop(&sources(&[(
                "c.html",
                "{% component a() %}{{ <b /> }}{% endcomponent a %}"
            )]))
            .is_none()
        );
    }
}
