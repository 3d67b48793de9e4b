//! What a clause body may do. Bodies come from the organisation's overlay as well as the
//! bundled library, and they are rendered into a contract: they may show variables, pass
//! them through a few filters that cannot grow text, choose text with conditionals and refer
//! to another clause with `article(id=...)`. Loops, ranges, macros, includes, assignments and
//! every other tag or function are refused by `check` with the clause and line, so no body can
//! run for long or build a huge annex; the rendered body is capped as well.

/// Tags a body may use.
const TAGS: [&str; 4] = ["if", "elif", "else", "endif"];

/// Filters a body may use: none of them can make text longer than its arguments.
pub const FILTERS: [&str; 15] = [
    "default",
    "upper",
    "lower",
    "trim",
    "trim_start",
    "trim_end",
    "capitalize",
    "title",
    "truncate",
    "pluralize",
    "int",
    "float",
    "round",
    "abs",
    "length",
];

/// The only function: the article number of another clause (CONVENTIONS item 1).
pub const FUNCTIONS: [&str; 1] = ["article"];

/// The largest rendered clause body: the longest bundled body is a few kilobytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Check a body's tags, filters and functions; the error names the body line.
pub fn check(src: &str) -> Result<(), String> {
    let mut rest = src;
    let mut offset = 0;
    while let Some(open) = rest.find('{') {
        let kind = rest[open + 1..].chars().next();
        let close = match kind {
            Some('{') => "}}",
            Some('%') => "%}",
            Some('#') => "#}",
            _ => {
                offset += open + 1;
                rest = &rest[open + 1..];
                continue;
            }
        };
        let start = open + 2;
        let line = src[..offset + open].matches('\n').count() + 1;
        let body_len = if kind == Some('#') {
            rest[start..].find(close)
        } else {
            tag_end(&rest[start..], close)
        };
        // An unterminated tag is Tera's to report, with its own position.
        let Some(len) = body_len else { return Ok(()) };
        let inner = &rest[start..start + len];
        match kind {
            Some('%') => check_tag(inner, line)?,
            Some('{') => check_expression(inner, line)?,
            _ => {}
        }
        let next = start + len + close.len();
        offset += next;
        rest = &rest[next..];
    }
    Ok(())
}

fn refused(line: usize, what: String) -> String {
    format!(
        "line {line}: {what} is not allowed in a clause body (a body may use variables, the filters {}, `{{% if %}}` conditionals and `article(id=...)`)",
        FILTERS.join(", ")
    )
}

/// Where the tag closing `close` is, skipping quoted strings.
fn tag_end(s: &str, close: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in s.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if matches!(c, '"' | '\'' | '`') => quote = Some(c),
            None if s[i..].starts_with(close) => return Some(i),
            None => {}
        }
    }
    None
}

fn check_tag(inner: &str, line: usize) -> Result<(), String> {
    let inner = inner.trim_matches(|c: char| c == '-' || c == '+' || c.is_whitespace());
    let keyword: String = inner
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    if !TAGS.contains(&keyword.as_str()) {
        return Err(refused(line, format!("`{{% {keyword} %}}`")));
    }
    check_expression(&inner[keyword.len()..], line)
}

/// Every name called as a function or used as a filter must be allowed.
fn check_expression(expr: &str, line: usize) -> Result<(), String> {
    let tokens = tokens(expr);
    for (i, token) in tokens.iter().enumerate() {
        let Token::Name(name) = token else { continue };
        let after_pipe = i > 0 && tokens[i - 1] == Token::Other('|');
        let is = |j: usize| tokens.get(j) == Some(&Token::Name("is".into()));
        let not = |j: usize| tokens.get(j) == Some(&Token::Name("not".into()));
        // `x is divisible_by(3)`: a test, which only answers true or false.
        let after_is = i > 0 && (is(i - 1) || (i > 1 && not(i - 1) && is(i - 2)));
        let called = tokens.get(i + 1) == Some(&Token::Other('('));
        if after_pipe {
            if !FILTERS.contains(&name.as_str()) {
                return Err(refused(line, format!("the filter `{name}`")));
            }
        } else if called && !after_is && !FUNCTIONS.contains(&name.as_str()) {
            return Err(refused(line, format!("the function `{name}()`")));
        }
    }
    Ok(())
}

#[derive(Debug, PartialEq)]
enum Token {
    Name(String),
    Other(char),
}

fn tokens(expr: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = expr.chars().peekable();
    while let Some(c) = chars.next() {
        if matches!(c, '"' | '\'' | '`') {
            for d in chars.by_ref() {
                if d == c {
                    break;
                }
            }
            out.push(Token::Other('s'));
        } else if c.is_alphabetic() || c == '_' {
            let mut name = String::from(c);
            while let Some(&d) = chars.peek() {
                if d.is_alphanumeric() || d == '_' {
                    name.push(d);
                    chars.next();
                } else {
                    break;
                }
            }
            out.push(Token::Name(name));
        } else if !c.is_whitespace() {
            out.push(Token::Other(c));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn variables_filters_conditionals_and_article_are_allowed() {
        for ok in [
            "受注者は{{ days }}日以内に",
            "{% if tier >= 3 %}a{% elif tier == 2 %}b{% else %}c{% endif %}",
            "{{ days | pluralize }} {{ name | default(value=\"x\") | upper }}",
            "{{ article(id=\"LIFE-04\") }}に定める",
            "{%- if x is divisible_by(3) -%}y{%- endif -%}",
            "{# a comment with {% for %} in it #}",
            "{{ \"{% for %}\" }}",
            "a { b } c",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn loops_ranges_macros_includes_and_growth_are_refused_with_the_line() {
        let cases = [
            (
                "{% for i in range(end=9) %}x{% endfor %}",
                "line 1: `{% for %}`",
            ),
            ("a\nb\n{% set x = 1 %}", "line 3: `{% set %}`"),
            ("{% macro m() %}{% endmacro %}", "line 1: `{% macro %}`"),
            ("\n{% include \"x\" %}", "line 2: `{% include %}`"),
            ("{{ range(end=1000000) }}", "line 1: the function `range()`"),
            (
                "{% if range(end=3) %}{% endif %}",
                "line 1: the function `range()`",
            ),
            (
                "{{ x | replace(from=\"a\", to=\"aaaa\") }}",
                "line 1: the filter `replace`",
            ),
            ("{{ x | safe }}", "line 1: the filter `safe`"),
            (
                "{% filter upper %}x{% endfilter %}",
                "line 1: `{% filter %}`",
            ),
        ];
        for (src, expected) in cases {
            let err = check(src).unwrap_err();
            assert!(err.starts_with(expected), "{src}: {err}");
        }
    }
}
