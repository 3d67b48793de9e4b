//! Reading YAML files people edit by hand, with errors that point at the place.
//!
//! serde-saphyr gives a line and column; serde_path_to_error gives the dotted path of the
//! field the deserializer was in (`procurement.contract.end`, `tailoring.exclude[0].clause`);
//! this module adds the file name, so a message names all three. Only when the deserializer
//! knows no path (a syntax error before any field) is the path read from the text.

use serde::de::DeserializeOwned;
use serde_saphyr::{Location, Options, SnippetMode};

use crate::error::SourceError;

/// Every bundled YAML file (`clause-library/…`, `templates/…`) as build.rs read it, in JSON.
const BUNDLED_JSON: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/bundled_json.rs"));

/// Parse a bundled file (`path` as embedded, `text` its YAML) into `T`: from the JSON
/// build.rs made of it when there is one and it reads as `T`, else from the YAML, whose
/// errors name the file, line and field.
pub fn parse_bundled<T: DeserializeOwned>(path: &str, text: &str) -> Result<T, SourceError> {
    bundled_json(path)
        .and_then(|json| serde_json::from_str(json).ok())
        .map_or_else(|| parse(path, text), Ok)
}

/// The JSON build.rs made of the bundled file `path`, if it parsed there.
pub fn bundled_json(path: &str) -> Option<&'static str> {
    BUNDLED_JSON
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, json)| *json)
}

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
            // A second document is not a field of the first.
            None if raw.starts_with("multiple YAML documents") => {
                (String::new(), friendlier(&raw, text, line, column))
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
            // The first line repeats the message; keep the snippet lines only, and show the
            // message we give, not the parser's, under the caret.
            let lines = rendered.lines().skip(1).collect::<Vec<_>>().join("\n");
            if raw.is_empty() {
                lines
            } else {
                lines.replace(raw.as_str(), &message)
            }
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
    if message.starts_with("multiple YAML documents") {
        return "a second YAML document starts here (`---`); the file must hold one document"
            .to_string();
    }
    if message.starts_with(crate::facts::NOT_A_PARAM_VALUE) {
        let found = scalar_at(text, line, column).unwrap_or_default();
        let digits = found.trim_start_matches(['-', '+']);
        let why = if digits.len() > 1
            && digits.starts_with('0')
            && digits.chars().all(|c| c.is_ascii_digit())
        {
            format!(
                " (a number with a leading zero: write {})",
                digits
                    .trim_start_matches('0')
                    .parse::<u64>()
                    .map_or_else(|_| "it without the zero".to_string(), |n| n.to_string())
            )
        } else if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
            format!(" (larger than {})", i64::MAX)
        } else if found.parse::<f64>().is_ok() {
            " (parameters take whole numbers)".to_string()
        } else {
            String::new()
        };
        return format!("expected a whole number, true or false, or text, found `{found}`{why}");
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
    FieldPaths::new(text).error_at(file, at, message)
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
///
/// This reads the whole text; a caller that names many places in one file builds a
/// [`FieldPaths`] once instead, so that reporting every problem stays linear in the file.
pub fn field_path_at(text: &str, line: u64, column: u64) -> String {
    FieldPaths::new(text).at(line, column)
}

/// The block structure of a YAML text, indexed once: for each line, the path of the keys
/// and sequence items above it. [`FieldPaths::at`] then costs the length of one line.
#[derive(Debug, Clone, Default)]
pub struct FieldPaths {
    lines: Vec<String>,
    /// Per line: the nearest earlier content line that is less indented.
    parent: Vec<Option<usize>>,
    /// Per line: how many `- ` items at its indentation come before it under its parent.
    items_before: Vec<usize>,
    /// Per content line: the ancestors of the lines it holds, root first.
    prefix: Vec<Vec<String>>,
}

/// `- ` items seen so far under one line: (indentation, count).
type ItemCounts = Vec<(usize, usize)>;

fn is_content(line: &str) -> bool {
    !line.trim().is_empty() && !line.trim_start().starts_with('#')
}

fn is_item(line: &str) -> bool {
    line.trim_start().starts_with("- ")
}

impl FieldPaths {
    pub fn new(text: &str) -> FieldPaths {
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        let n = lines.len();
        let mut parent = vec![None; n];
        let mut items_before = vec![0; n];
        let mut prefix: Vec<Vec<String>> = vec![Vec::new(); n];
        // Open content lines (indentation, line), less indented going down; each counts the
        // items under it by their indentation.
        let mut stack: Vec<(usize, usize, ItemCounts)> = Vec::new();
        let mut root_items = ItemCounts::new();
        for (i, line) in lines.iter().enumerate() {
            let ind = indent_of(line);
            while stack.last().is_some_and(|(indent, ..)| *indent >= ind) {
                stack.pop();
            }
            parent[i] = stack.last().map(|(_, idx, _)| *idx);
            if !is_content(line) {
                continue;
            }
            if is_item(line) {
                let counts = match stack.last_mut() {
                    Some((_, _, counts)) => counts,
                    None => &mut root_items,
                };
                match counts.iter_mut().find(|(indent, _)| *indent == ind) {
                    Some((_, count)) => {
                        items_before[i] = *count;
                        *count += 1;
                    }
                    None => counts.push((ind, 1)),
                }
            }
            // What a line below this one inherits: this line's ancestors, then this line.
            let mut own = parent[i].map_or_else(Vec::new, |p| prefix[p].clone());
            if is_item(line) {
                own.push(format!("[{}]", items_before[i]));
            } else if let Some(k) = key_of(line) {
                own.push(k);
            }
            prefix[i] = own;
            stack.push((ind, i, Vec::new()));
        }
        FieldPaths {
            lines,
            parent,
            items_before,
            prefix,
        }
    }

    /// A problem found after parsing, at a location serde-saphyr recorded.
    pub fn error_at(&self, file: &str, at: &Location, message: impl Into<String>) -> SourceError {
        let (line, column) = (at.line(), at.column());
        SourceError {
            file: file.to_string(),
            line,
            column,
            field: self.at(line, column),
            message: message.into(),
            snippet: None,
        }
    }

    /// The dotted path at `line`:`column` (see [`field_path_at`]).
    pub fn at(&self, line: u64, column: u64) -> String {
        if line == 0 || line as usize > self.lines.len() {
            return String::new();
        }
        let idx = line as usize - 1;
        let current = self.lines[idx].as_str();
        let col = (column as usize).saturating_sub(1);

        // Keys on the error's own line up to the column: `a: { b: 1, c: x }` gives [a, c].
        let prefix: String = current.chars().take(col.max(1)).collect();
        let mut keys_here = flow_keys(&prefix);
        if keys_here.is_empty() {
            // The error may point at the key itself (unknown field): take the key of the line.
            if let Some(k) = key_of(current) {
                keys_here.push(k);
            }
        }
        let ancestors = match self.parent[idx] {
            None => Vec::new(),
            Some(p) if is_item(&self.lines[p]) => self.prefix[p].clone(),
            Some(p) if key_of(&self.lines[p]).is_some() => {
                let mut path = self.prefix[p].clone();
                if is_item(current) {
                    path.push(format!("[{}]", self.items_before[idx]));
                }
                path
            }
            // A parent that is neither (a plain scalar continued, say): walk it out.
            Some(_) => {
                let lines: Vec<&str> = self.lines.iter().map(String::as_str).collect();
                walk_up(&lines, idx)
            }
        };
        let mut out = String::new();
        for p in ancestors.into_iter().chain(keys_here) {
            if p.starts_with('[') || out.is_empty() {
                out.push_str(&p);
            } else {
                out.push('.');
                out.push_str(&p);
            }
        }
        out
    }
}

/// The ancestors of line `idx`, root first, found by walking up from it: each less-indented
/// line that is a key (or sequence item) is an ancestor.
fn walk_up(lines: &[&str], idx: usize) -> Vec<String> {
    let current = lines[idx];
    let own_indent = indent_of(current);
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
    ancestors
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

    /// The indexed paths are the paths the line-by-line walk finds, on any block-style text.
    #[test]
    fn the_index_agrees_with_the_walk() {
        use proptest::prelude::*;
        let line = (0usize..4, 0usize..4, 0usize..3).prop_map(|(ind, kind, name)| {
            let key = ["a", "b", "c"][name];
            let body = match kind {
                0 => format!("{key}:"),
                1 => format!("{key}: 1"),
                2 => format!("- {key}: x"),
                _ => "- y".to_string(),
            };
            format!("{}{body}", "  ".repeat(ind))
        });
        let mut runner = proptest::test_runner::TestRunner::default();
        runner
            .run(&proptest::collection::vec(line, 1..24), |lines| {
                let text = lines.join("\n");
                let paths = FieldPaths::new(&text);
                let all: Vec<&str> = text.lines().collect();
                for (i, l) in all.iter().enumerate() {
                    let column = l.len() as u64 + 1;
                    let mut walked = walk_up(&all, i);
                    let mut keys = flow_keys(&l.chars().take(l.len().max(1)).collect::<String>());
                    if keys.is_empty() {
                        keys.extend(key_of(l));
                    }
                    walked.extend(keys);
                    let mut expected = String::new();
                    for p in walked {
                        if p.starts_with('[') || expected.is_empty() {
                            expected.push_str(&p);
                        } else {
                            expected.push('.');
                            expected.push_str(&p);
                        }
                    }
                    prop_assert_eq!(paths.at(i as u64 + 1, column), expected, "line {}", i + 1);
                }
                Ok(())
            })
            .unwrap();
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
