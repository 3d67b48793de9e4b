//! Reading YAML files people edit by hand, with errors that point at the place.
//!
//! serde-saphyr gives a line and column; serde_path_to_error gives the dotted path of the
//! field the deserializer was in (`procurement.contract.end`, `tailoring.exclude[0].clause`);
//! this module adds the file name, so a message names all three. Only when the deserializer
//! knows no path (a syntax error before any field) is the path read from the text.

use serde::de::DeserializeOwned;
use serde_saphyr::{Location, Options, SnippetMode};

use crate::error::SourceError;

/// Parse `text` (the contents of `file`) into `T`.
pub fn parse<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, SourceError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let blank = text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#') || l.trim() == "---");
    if blank {
        return Err(SourceError {
            file: file.to_string(),
            line: 0,
            column: 0,
            field: String::new(),
            message: "the file is empty".into(),
            snippet: None,
        });
    }
    // YAML 1.2 booleans only: `yes`/`no`/`on` stay strings, so `true`/`false` mean what
    // they say. The default budget bounds nesting, nodes and alias expansion.
    let mut options = Options::default();
    options.strict_booleans = true;
    let mut deserializer_path: Option<String> = None;
    let parsed = serde_saphyr::with_deserializer_from_str_with_options(text, options, |de| {
        serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            // `?` stands for a place the deserializer had not named yet (a syntax error, a
            // duplicate key): the text tells more there.
            if path != "." && !path.contains('?') {
                deserializer_path = Some(path);
            }
            e.into_inner()
        })
    });
    parsed.map_err(|e| {
        // A value read through `Spanned` sits in its `value` field: the path is its owner's.
        let deserializer_path = deserializer_path.as_deref().map(|p| {
            p.strip_suffix(".value")
                .filter(|_| !field_path_at_error(text, &e).ends_with("value"))
                .unwrap_or(p)
                .to_string()
        });
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        let raw = core_message(&e.without_snippet().to_string());
        if let Some(error) = tab_error(file, text, &raw, line) {
            return error;
        }
        let (field, message) = match raw.strip_prefix("missing field `") {
            // The location is inside the mapping that lacks the field.
            Some(rest) => {
                let name = rest.trim_end_matches('`');
                let parent = deserializer_path
                    .clone()
                    .unwrap_or_else(|| container_path_at(text, line, column));
                let field = if parent.is_empty() {
                    name.to_string()
                } else {
                    format!("{parent}.{name}")
                };
                (field, "required field is missing".to_string())
            }
            None => (
                deserializer_path
                    .clone()
                    .unwrap_or_else(|| field_path_at(text, line, column)),
                friendlier(&raw, text, line, column),
            ),
        };
        let snippet = (line > 0).then(|| {
            let rendered = e.render_with_options(serde_saphyr::render_options! {
                snippets: SnippetMode::Auto,
                source_name: Some(file),
            });
            // The first line repeats the message; keep the snippet lines only.
            rendered.lines().skip(1).collect::<Vec<_>>().join("\n")
        });
        SourceError {
            file: file.to_string(),
            line,
            column,
            field,
            message,
            snippet: snippet.filter(|s| !s.trim().is_empty()),
        }
    })
}

/// The path the text gives for the place of an error (the fallback).
fn field_path_at_error(text: &str, e: &serde_saphyr::Error) -> String {
    let (line, column) = e
        .location()
        .map(|l| (l.line(), l.column()))
        .unwrap_or((0, 0));
    field_path_at(text, line, column)
}

/// serde's type names (`invalid i64`) mean little to a procurement officer: say what was
/// expected and what was found.
fn friendlier(message: &str, text: &str, line: u64, column: u64) -> String {
    if let Some(detail) = message.strip_prefix("budget breached: ") {
        return format!(
            "refused: more aliases, nodes or nesting than a hand-written file has ({detail})"
        );
    }
    if let Some(key) = message.strip_prefix("duplicate mapping key: ") {
        let key = key.split(", set DuplicateKeyPolicy").next().unwrap_or(key);
        return format!("`{key}` is given twice");
    }
    if let Some(suggestion) = did_you_mean(message) {
        return format!("{message}; did you mean `{suggestion}`?");
    }
    let expected = match message {
        "invalid boolean (strict mode expects true/false)" => "true or false",
        "invalid i64" | "invalid u8" | "invalid u16" | "invalid u32" | "invalid u64"
        | "invalid i32" => "a whole number",
        "invalid bool" => "true or false",
        "invalid f64" | "invalid f32" => "a number",
        _ => return message.to_string(),
    };
    match scalar_at(text, line, column) {
        Some(found) => format!("expected {expected}, found `{found}`"),
        None => format!("expected {expected}"),
    }
}

/// For serde's "unknown field `budjet`, expected one of id, title, budget": the expected
/// field nearest to the unknown one, when it is near enough to be a typo.
pub fn did_you_mean(message: &str) -> Option<&str> {
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))?;
    let (unknown, rest) = rest.split_once('`')?;
    let expected = rest
        .strip_prefix(", expected one of ")
        .or_else(|| rest.strip_prefix(", expected "))?;
    let candidates = expected
        .split(", ")
        .map(|c| c.trim().trim_matches('`'))
        .filter(|c| !c.is_empty());
    crate::selection::closest(unknown, candidates)
}

/// A tab where YAML wants indentation: the scanner reports it at the end of the line before
/// (`while scanning a plain scalar, found a tab`) or names no field. The error names the line
/// and column of the tab itself, the field of that line, and says to indent with spaces.
fn tab_error(file: &str, text: &str, message: &str, line: u64) -> Option<SourceError> {
    if !message.contains("tab") {
        return None;
    }
    // The first tab from the line before the reported one on.
    let from = (line as usize).saturating_sub(2);
    let (index, tab_line) = text
        .lines()
        .enumerate()
        .skip(from)
        .find(|(_, l)| l.contains('\t'))?;
    let column = tab_line[..tab_line.find('\t')?].chars().count() + 1;
    // Work the field out as if the line were indented as meant: as the line before, or
    // one level deeper when that line opens a mapping.
    let lines: Vec<&str> = text.lines().collect();
    let before = lines[..index].iter().rev().find(|l| !l.trim().is_empty());
    let indent = match before {
        Some(b) if b.trim_end().ends_with(':') => {
            let after = lines[index + 1..]
                .iter()
                .find(|l| !l.trim().is_empty() && !l.starts_with('\t'))
                .map_or(0, |l| indent_of(l));
            after.max(indent_of(b) + 2)
        }
        Some(b) => indent_of(b),
        None => 0,
    };
    let mut respaced: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    respaced[index] = format!("{}{}", " ".repeat(indent), tab_line.trim_start());
    let at = index as u64 + 1;
    let field = field_path_at(&respaced.join("\n"), at, indent as u64 + 1);
    Some(SourceError {
        file: file.to_string(),
        line: at,
        column: column as u64,
        field,
        message: "a tab character: YAML does not allow tabs here, indent with spaces".into(),
        snippet: None,
    })
}

/// The plain scalar starting at `line`:`column`.
fn scalar_at(text: &str, line: u64, column: u64) -> Option<String> {
    let l = text.lines().nth((line as usize).checked_sub(1)?)?;
    let rest: String = l
        .chars()
        .skip((column as usize).saturating_sub(1))
        .collect();
    let token: String = rest
        .chars()
        .take_while(|c| !matches!(c, ',' | '}' | ']' | '#'))
        .collect();
    let token = token.trim();
    (!token.is_empty()).then(|| token.to_string())
}

/// The error text without serde-saphyr's `error: line N column M: ` prefix.
fn core_message(s: &str) -> String {
    let s = s.trim();
    let s = s.strip_prefix("error: ").unwrap_or(s);
    let s = match s.strip_prefix("line ") {
        Some(rest) => match rest.find(": ") {
            Some(i) if rest[..i].contains(" column ") => &rest[i + 2..],
            _ => s,
        },
        None => s,
    };
    let s = s.lines().next().unwrap_or(s);
    match s.rfind(" at line ") {
        Some(i) if s[i..].contains(", column ") => s[..i].to_string(),
        _ => s.to_string(),
    }
}

/// A problem a validation found at the field `path` (a dotted path known from the model, not
/// worked out from the text), at `at` when the value's place is known.
pub fn problem_at(
    file: &str,
    text: &str,
    at: Option<&Location>,
    path: &str,
    message: impl Into<String>,
) -> SourceError {
    let (line, column) = at.map_or((0, 0), |l| (l.line(), l.column()));
    let field = if path.is_empty() {
        field_path_at(text, line, column)
    } else {
        path.to_string()
    };
    SourceError {
        file: file.to_string(),
        line,
        column,
        field,
        message: message.into(),
        snippet: None,
    }
}

/// A problem found after parsing, at a location serde-saphyr recorded.
pub fn error_at(file: &str, text: &str, at: &Location, message: impl Into<String>) -> SourceError {
    let (line, column) = (at.line(), at.column());
    SourceError {
        file: file.to_string(),
        line,
        column,
        field: field_path_at(text, line, column),
        message: message.into(),
        snippet: None,
    }
}

/// The dotted path of the mapping that contains `line`:`column` (for a missing field).
pub fn container_path_at(text: &str, line: u64, column: u64) -> String {
    let path = field_path_at(text, line, column);
    let Some(current) = text.lines().nth((line as usize).saturating_sub(1)) else {
        return String::new();
    };
    let prefix: String = current
        .chars()
        .take((column as usize).saturating_sub(1))
        .collect();
    // Inside `{ a: 1, b: 2 }` with no pair open at the column, the path already ends at the
    // mapping; otherwise its last part is a key of the mapping: drop it.
    let unclosed = prefix
        .matches('{')
        .count()
        .saturating_sub(prefix.matches('}').count());
    let pair_open = flow_keys(&prefix).len() > unclosed;
    if unclosed > 0 && !pair_open {
        return path;
    }
    match path.rfind(['.', '[']) {
        Some(i) => path[..i].to_string(),
        None => String::new(),
    }
}

/// The dotted path of the mapping key that owns the value at `line`:`column`, worked out from
/// indentation (block style) and from `key:` pairs before the column (flow style).
/// Sequence items appear as `[N]`. Returns an empty string when no key can be found.
pub fn field_path_at(text: &str, line: u64, column: u64) -> String {
    let lines: Vec<&str> = text.lines().collect();
    if line == 0 || line as usize > lines.len() {
        return String::new();
    }
    let idx = line as usize - 1;
    let current = lines[idx];
    let col = (column as usize).saturating_sub(1);

    // Keys on the error's own line up to the column: `a: { b: 1, c: x }` gives [a, c].
    let prefix: String = current.chars().take(col.max(1)).collect();
    let mut path: Vec<String> = Vec::new();
    let own_indent = indent_of(current);
    let mut keys_here = flow_keys(&prefix);
    if keys_here.is_empty() {
        // The error may point at the key itself (unknown field): take the key of the line.
        if let Some(k) = key_of(current) {
            keys_here.push(k);
        }
    }

    // Walk up: each less-indented line that is a key (or sequence item) is an ancestor.
    let mut indent = own_indent;
    let mut ancestors: Vec<String> = Vec::new();
    let mut seq_counts: Option<usize> = if current.trim_start().starts_with("- ") {
        Some(0)
    } else {
        None
    };
    for l in lines[..idx].iter().rev() {
        if l.trim().is_empty() || l.trim_start().starts_with('#') {
            continue;
        }
        let ind = indent_of(l);
        let trimmed = l.trim_start();
        if ind == indent && trimmed.starts_with("- ") {
            if let Some(n) = seq_counts.as_mut() {
                *n += 1;
            }
            continue;
        }
        if ind < indent {
            if trimmed.starts_with("- ") {
                // A sequence item holding us: count earlier items at its indentation.
                let n = lines[..idx]
                    .iter()
                    .rev()
                    .skip_while(|x| !std::ptr::eq(*x, l))
                    .skip(1)
                    .take_while(|x| x.trim().is_empty() || indent_of(x) >= ind)
                    .filter(|x| indent_of(x) == ind && x.trim_start().starts_with("- "))
                    .count();
                ancestors.push(format!("[{n}]"));
                // `- key: value` lines also open a mapping.
                indent = ind;
                seq_counts = None;
                continue;
            }
            if let Some(k) = key_of(l) {
                if let Some(n) = seq_counts.take() {
                    ancestors.push(format!("[{n}]"));
                }
                ancestors.push(k);
            }
            indent = ind;
            if indent == 0 {
                break;
            }
        }
    }
    ancestors.reverse();
    path.extend(ancestors);
    path.extend(keys_here);
    let mut out = String::new();
    for p in path {
        if p.starts_with('[') || out.is_empty() {
            out.push_str(&p);
        } else {
            out.push('.');
            out.push_str(&p);
        }
    }
    out
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The key of a `key: value` / `- key: value` line.
fn key_of(line: &str) -> Option<String> {
    let t = line.trim_start().trim_start_matches("- ").trim_start();
    let end = t.find(':')?;
    let key = t[..end].trim().trim_matches(|c| c == '"' || c == '\'');
    let valid = !key.is_empty()
        && !key.contains(['{', '[', ',', ' '])
        && t[end + 1..].chars().next().is_none_or(|c| c == ' ');
    valid.then(|| key.to_string())
}

/// Keys of the open flow mappings and the current pair in `prefix`:
/// `contract: { start: 2026-07-01, end: ` gives [contract, end].
fn flow_keys(prefix: &str) -> Vec<String> {
    let mut stack: Vec<Option<String>> = vec![None];
    let mut token = String::new();
    let mut in_quote: Option<char> = None;
    let body = prefix.trim_start().trim_start_matches("- ");
    for c in body.chars() {
        if let Some(q) = in_quote {
            if c == q {
                in_quote = None;
            }
            token.push(c);
            continue;
        }
        match c {
            '"' | '\'' => {
                in_quote = Some(c);
                token.push(c);
            }
            ':' => {
                let k = token
                    .trim()
                    .trim_matches(|c| c == '"' || c == '\'')
                    .to_string();
                if let Some(last) = stack.last_mut() {
                    *last = Some(k);
                }
                token.clear();
            }
            '{' | '[' => {
                stack.push(None);
                token.clear();
            }
            '}' | ']' => {
                stack.pop();
                token.clear();
            }
            ',' => {
                if let Some(last) = stack.last_mut() {
                    *last = None;
                }
                token.clear();
            }
            _ => token.push(c),
        }
    }
    stack
        .into_iter()
        .flatten()
        .filter(|k| !k.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "procurement:\n  id: R8\n  contract: { start: 2026-07-01, end: 2026-01-01 }\nsystem:\n  impact:\n    confidentiality: hgh\ntailoring:\n  exclude:\n    - { clause: X, reason: r }\n    - clause: Y\n      reason: ''\n";

    #[test]
    fn block_keys_give_a_dotted_path() {
        assert_eq!(field_path_at(DOC, 2, 7), "procurement.id");
        assert_eq!(field_path_at(DOC, 6, 22), "system.impact.confidentiality");
    }

    #[test]
    fn flow_mappings_name_the_inner_key() {
        assert_eq!(field_path_at(DOC, 3, 40), "procurement.contract.end");
        assert_eq!(field_path_at(DOC, 3, 22), "procurement.contract.start");
    }

    #[test]
    fn sequence_items_are_indexed() {
        assert_eq!(field_path_at(DOC, 9, 17), "tailoring.exclude[0].clause");
        assert_eq!(field_path_at(DOC, 11, 15), "tailoring.exclude[1].reason");
    }

    #[test]
    fn unknown_fields_get_the_nearest_known_one() {
        assert_eq!(
            did_you_mean("unknown field `titel`, expected one of id, title, buyer"),
            Some("title")
        );
        assert_eq!(
            did_you_mean("unknown field `xyz`, expected one of id, title, buyer"),
            None
        );
        assert_eq!(
            did_you_mean("unknown variant `moderat`, expected one of `low`, `moderate`, `high`"),
            Some("moderate")
        );
    }

    #[test]
    fn a_tab_is_reported_where_it_is() {
        let text = "system:\n  impact:\n    confidentiality: low\n\tintegrity: low\n";
        let e = tab_error(
            "p.yaml",
            text,
            "while scanning a plain scalar, found a tab",
            3,
        )
        .unwrap();
        assert_eq!((e.line, e.column), (4, 1));
        assert_eq!(e.field, "system.impact.integrity");
        assert!(e.message.contains("indent with spaces"));
    }

    #[test]
    fn core_message_drops_the_location_prefix() {
        assert_eq!(
            core_message("error: line 5 column 7: invalid u8"),
            "invalid u8"
        );
    }
}
