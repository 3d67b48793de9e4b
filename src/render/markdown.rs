//! Markdown in and out: escaping user strings so they stay text, and turning the rendered
//! Markdown into HTML with any raw HTML neutralised.

use std::io::Write;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, html};

/// Escape a user-supplied string for use inside a line of Markdown: it can neither start a
/// block (heading, list, quote) nor contain markup, HTML, links or table-cell breaks.
/// Line breaks become spaces, since every field it is used for is a single line.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    // Only whitespace seen so far, and (while true) only leading digits: `12.` or `3)`
    // there would start an ordered list.
    let mut at_start = true;
    let mut leading_digits = 0usize;
    let mut in_leading_number = true;
    for c in s.chars() {
        let c = if c == '\n' || c == '\r' { ' ' } else { c };
        let escape_here = match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '#' | '!' => true,
            '-' | '+' | '=' => at_start,
            '.' | ')' => in_leading_number && leading_digits > 0,
            _ => false,
        };
        if escape_here {
            out.push('\\');
        }
        out.push(c);
        if c.is_ascii_digit() && in_leading_number {
            leading_digits += 1;
        } else if !(c == ' ' && at_start) {
            in_leading_number = false;
        }
        if !c.is_whitespace() {
            at_start = false;
        }
    }
    out
}

/// A Tera instance for Markdown templates: what it renders into a `.md` template is escaped
/// as Markdown text ([`tera_escape`]).
pub fn tera() -> tera::Tera {
    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec![".md"]);
    tera.set_escape_fn(tera_escape);
    tera
}

/// Tera escape function for Markdown templates (registered names ending in `.md`).
pub fn tera_escape(input: &str, buf: &mut dyn Write) -> std::io::Result<()> {
    buf.write_all(escape(input).as_bytes())
}

/// The line a document puts before an article heading to carry the clause ID without
/// showing it: an HTML comment, invisible in rendered Markdown; HTML gets it as
/// `data-clause` on the heading and Word as a bookmark.
pub fn clause_marker(id: &str) -> String {
    format!("<!-- clause: {id} -->")
}

/// The clause ID of a [`clause_marker`] line, if `html` is one.
pub fn marker_clause(html: &str) -> Option<&str> {
    let id = html
        .trim()
        .strip_prefix("<!-- clause: ")?
        .strip_suffix(" -->")?;
    is_clause_id(id).then_some(id)
}

/// Markdown to an HTML fragment. Raw HTML in the input is shown as text, never passed
/// through; a clause marker gives the next heading the clause ID as anchor and
/// `data-clause`.
pub fn to_html(md: &str) -> String {
    events_to_html(events(md))
}

/// The Markdown of a document as events, as both its HTML and its Word file read it (tables
/// and strikethrough on).
pub fn events(md: &str) -> Parser<'_> {
    Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH)
}

/// [`to_html`] of a document already parsed ([`events`]).
pub fn events_to_html<'a>(events: impl Iterator<Item = Event<'a>>) -> String {
    let mut pending: Option<String> = None;
    let events = events.filter_map(move |e| match e {
        Event::Html(s) | Event::InlineHtml(s) => match marker_clause(&s) {
            Some(id) => {
                pending = Some(id.to_string());
                None
            }
            None => Some(Event::Text(s)),
        },
        Event::Start(Tag::Heading { level, .. }) if pending.is_some() => {
            let id = pending.take().unwrap_or_default();
            Some(Event::Start(Tag::Heading {
                level,
                id: Some(CowStr::from(id.to_ascii_lowercase())),
                classes: vec![CowStr::from("clause")],
                attrs: vec![(CowStr::from("data-clause"), Some(CowStr::from(id)))],
            }))
        }
        other => Some(other),
    });
    // Streamed from the parser to the page: a long document is never held as events.
    let mut out = String::new();
    html::push_html(
        &mut out,
        super::html_table::lay_out(anchor_id_headings(events)),
    );
    out
}

/// A heading that starts with an ID (a question of the questionnaire, `Q-SBOM-01`) gets that
/// ID, lower-cased, as anchor.
fn anchor_id_headings<'a>(
    events: impl Iterator<Item = Event<'a>>,
) -> impl Iterator<Item = Event<'a>> {
    let mut events = events.peekable();
    std::iter::from_fn(move || {
        let event = events.next()?;
        let Event::Start(Tag::Heading {
            level, id: None, ..
        }) = &event
        else {
            return Some(event);
        };
        let level = *level;
        if let Some(Event::Text(text)) = events.peek() {
            let first = text.split_whitespace().next().unwrap_or("");
            if is_clause_id(first) {
                return Some(Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::from(first.to_ascii_lowercase())),
                    classes: vec![CowStr::from("clause")],
                    attrs: vec![],
                }));
            }
        }
        Some(event)
    })
}

pub use crate::facts::is_clause_id;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_strings_render_as_the_same_text() {
        for s in [
            "<script>alert(1)</script>",
            "a | b",
            "**bold** _em_ `code`",
            "[link](http://x)",
            "# not a heading",
            "- not a list",
            "1. not a list",
            "&amp; stays",
            "〇〇市 デジタル推進課",
            "R8-0421",
        ] {
            // Without the spans that keep IDs whole (they add no text).
            let html = to_html(&format!("x {}", escape(s)))
                .replace("<span class=\"nb\">", "")
                .replace("</span>", "");
            let expected = format!(
                "<p>x {}</p>\n",
                s.replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;")
            );
            assert_eq!(html, expected, "input {s:?}");
        }
    }

    #[test]
    fn escaped_strings_cannot_start_a_block() {
        assert_eq!(to_html(&escape("1. item")), "<p>1. item</p>\n");
        assert_eq!(to_html(&escape("# title")), "<p># title</p>\n");
        assert_eq!(to_html(&escape("- item")), "<p>- item</p>\n");
    }

    #[test]
    fn raw_html_becomes_text() {
        assert_eq!(
            to_html("<b>x</b>\n\n<script>y</script>\n"),
            "<p>&lt;b&gt;x&lt;/b&gt;</p>\n&lt;script&gt;y&lt;/script&gt;\n"
        );
    }

    #[test]
    fn clause_markers_give_the_heading_its_clause() {
        assert_eq!(
            to_html(&format!(
                "{}\n### 第2条（見出し）\n",
                clause_marker("SPEC-01")
            )),
            "<h3 id=\"spec-01\" class=\"clause\" data-clause=\"SPEC-01\">第2条（見出し）</h3>\n"
        );
        assert!(is_clause_id("SPEC-01"));
        assert!(!is_clause_id("Spec-01"));
        assert!(!is_clause_id("SPEC"));
        assert!(!is_clause_id("SPEC-"));
    }
}
