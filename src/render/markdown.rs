//! Markdown in and out: escaping user strings so they stay text, and turning the rendered
//! Markdown into HTML with any raw HTML neutralised.

use std::io::Write;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

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
    let mut chars = s.char_indices();
    for (_, c) in chars.by_ref() {
        let c = if c == '\n' || c == '\r' { ' ' } else { c };
        let escape_here = is_markup(c)
            || match c {
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
        if !at_start && !in_leading_number {
            break;
        }
    }
    // Past the start of the line only markup characters and line breaks change, all ASCII:
    // the text between them is copied whole.
    let rest = chars.offset();
    let mut copied = rest;
    for (at, &b) in s.as_bytes()[rest..].iter().enumerate() {
        let at = rest + at;
        let c = char::from(b);
        if b.is_ascii() && (is_markup(c) || c == '\n' || c == '\r') {
            out.push_str(&s[copied..at]);
            if is_markup(c) {
                out.push('\\');
                out.push(c);
            } else {
                out.push(' ');
            }
            copied = at + 1;
        }
    }
    out.push_str(&s[copied..]);
    out
}

/// The characters [`escape`] writes with a backslash wherever they stand.
fn is_markup(c: char) -> bool {
    matches!(
        c,
        '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '#' | '!'
    )
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
///
/// The document is written block by block (a paragraph, a list, a table at the top level),
/// and the HTML of each block is remembered per thread by what it says: a batch writes the
/// same clauses, tables and notes into every package, and each is laid out once. A heading
/// and a block with raw HTML (a clause marker) depend on the blocks around them and are
/// always written afresh.
pub fn events_to_html<'a>(events: impl Iterator<Item = Event<'a>>) -> String {
    let mut out = String::new();
    push_html(&mut out, events);
    out
}

/// [`events_to_html`] appended to `out`.
pub fn push_html<'a>(out: &mut String, events: impl Iterator<Item = Event<'a>>) {
    let mut pending: Option<String> = None;
    let mut block = Vec::new();
    let mut key = String::new();
    let mut depth = 0usize;
    // Streamed from the parser to the page, one top-level block held at a time.
    for event in events {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        block.push(event);
        if depth == 0 {
            block_html(out, &mut block, &mut key, &mut pending);
        }
    }
    block_html(out, &mut block, &mut key, &mut pending);
}

/// Blocks whose HTML is remembered per thread in each generation (see [`crate::memo`]).
const BLOCKS_KEPT: usize = 2048;

/// Each block's HTML by [`block_key`].
type Blocks = crate::memo::Memo<Box<str>, std::rc::Rc<str>>;

thread_local! {
    static BLOCKS: std::cell::RefCell<Blocks> = const {
        std::cell::RefCell::new(crate::memo::Memo::new(BLOCKS_KEPT))
    };
}

/// The HTML of one top-level `block` appended to `out` (the block is emptied), from the
/// thread's memory when it depends on nothing around it.
fn block_html<'a>(
    out: &mut String,
    block: &mut Vec<Event<'a>>,
    key: &mut String,
    pending: &mut Option<String>,
) {
    let Some(first) = block.first() else {
        return;
    };
    let alone = !matches!(first, Event::Start(Tag::Heading { .. }))
        && !block
            .iter()
            .any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_)));
    if !alone {
        write_html(out, block.drain(..), pending);
        return;
    }
    block_key(key, block);
    if let Some(html) = BLOCKS.with_borrow_mut(|m| m.find(key.as_str())) {
        out.push_str(&html);
        block.clear();
        return;
    }
    let from = out.len();
    write_html(out, block.drain(..), pending);
    BLOCKS.with_borrow_mut(|m| m.keep(key.as_str(), || out[from..].into()));
}

/// What a block says, as one string that two blocks share only when their events are the
/// same: each event's kind, then the length and text of what it carries. The common
/// structural events have one-letter codes; the rest are written as the parser shows them.
fn block_key(key: &mut String, block: &[Event<'_>]) {
    use std::fmt::Write;
    let text = |key: &mut String, kind: char, carried: &str| {
        let _ = write!(key, "{kind}{}:", carried.len());
        key.push_str(carried);
    };
    key.clear();
    for event in block {
        match event {
            Event::Text(t) => text(key, 't', t),
            Event::Code(t) => text(key, 'c', t),
            Event::InlineMath(t) => text(key, 'm', t),
            Event::DisplayMath(t) => text(key, 'd', t),
            Event::FootnoteReference(t) => text(key, 'f', t),
            Event::Start(Tag::Paragraph) => key.push('P'),
            Event::Start(Tag::Item) => key.push('I'),
            Event::Start(Tag::TableHead) => key.push('H'),
            Event::Start(Tag::TableRow) => key.push('R'),
            Event::Start(Tag::TableCell) => key.push('C'),
            Event::Start(Tag::Strong) => key.push('S'),
            Event::Start(Tag::Emphasis) => key.push('E'),
            Event::Start(Tag::List(None)) => key.push('U'),
            Event::Start(Tag::List(Some(n))) => {
                let _ = write!(key, "O{n};");
            }
            Event::End(TagEnd::Paragraph) => key.push('p'),
            Event::End(TagEnd::Item) => key.push('i'),
            Event::End(TagEnd::TableHead) => key.push('h'),
            Event::End(TagEnd::TableRow) => key.push('r'),
            Event::End(TagEnd::TableCell) => key.push('e'),
            Event::End(TagEnd::Strong) => key.push('s'),
            Event::End(TagEnd::Emphasis) => key.push('_'),
            Event::SoftBreak => key.push('n'),
            Event::HardBreak => key.push('N'),
            other => {
                let _ = write!(key, "{other:?}\0");
            }
        }
    }
}

/// The HTML of `events` appended to `out`: raw HTML shown as text, a clause marker giving
/// the next heading (`pending` carries it from block to block) its anchor and
/// `data-clause`, tables laid out for print.
fn write_html<'a>(
    out: &mut String,
    events: impl Iterator<Item = Event<'a>>,
    pending: &mut Option<String>,
) {
    let events = events.filter_map(|e| match e {
        Event::Html(s) | Event::InlineHtml(s) => match marker_clause(&s) {
            Some(id) => {
                *pending = Some(id.to_string());
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
    html::push_html(out, super::html_table::lay_out(anchor_id_headings(events)));
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
    fn escape_marks_markup_anywhere_and_block_starts_only_at_the_start() {
        for (input, expected) in [
            ("", ""),
            ("  12. 第3条", r"  12\. 第3条"),
            ("3) 1. - + = 4.", r"3\) 1. - + = 4."),
            ("- a - b", r"\- a - b"),
            (" +x", r" \+x"),
            (
                "受注者は*直ちに*通知する。",
                r"受注者は\*直ちに\*通知する。",
            ),
            ("a\nb\r\nc", "a b  c"),
            ("\n- item", r" \- item"),
            (
                "#1 [x](y) <b> a|b ~c~ &d !e `f` _g_ \\h",
                r"\#1 \[x\](y) \<b\> a\|b \~c\~ \&d \!e \`f\` \_g\_ \\h",
            ),
            ("〇〇市 R8-0421 ＃全角", "〇〇市 R8-0421 ＃全角"),
        ] {
            assert_eq!(escape(input), expected, "input {input:?}");
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
    fn a_block_from_memory_reads_as_written_afresh() {
        let doc = |start: u32| {
            format!(
                "本文の段落。\n\n{start}. 一\n2. 二\n\n| 年度 | 金額 |\n|---|--:|\n| 令和8年度 | 1,000,000 |\n\n> 引用\n\n{}\n### 第2条（見出し）\n\n本文の段落。\n",
                clause_marker("SPEC-01")
            )
        };
        let first = to_html(&doc(1));
        // The same blocks again, now from the thread's memory, give the same page; the
        // marker still names the heading after them.
        assert_eq!(to_html(&doc(1)), first);
        assert!(
            first.contains("<h3 id=\"spec-01\" class=\"clause\" data-clause=\"SPEC-01\">"),
            "{first}"
        );
        assert_eq!(first.matches("<p>本文の段落。</p>\n").count(), 2, "{first}");
        // A list that starts elsewhere is another block, not the one remembered.
        let other = to_html(&doc(3));
        assert!(other.contains("<ol start=\"3\">"), "{other}");
        assert!(!first.contains("<ol start="), "{first}");
    }

    #[test]
    fn block_keys_differ_when_the_events_differ() {
        let key = |md: &str| {
            let events: Vec<Event> = events(md).collect();
            let mut key = String::new();
            block_key(&mut key, &events);
            key
        };
        assert_eq!(key("a *b*\n"), key("a *b*\n"));
        for (one, other) in [
            ("a *b*\n", "a **b**\n"),
            ("a `b`\n", "a b\n"),
            ("1. a\n", "2. a\n"),
            ("- a\n", "1. a\n"),
            ("| a |\n|---|\n", "| a |\n|--:|\n"),
            ("a\nb\n", "a\\\nb\n"),
        ] {
            assert_ne!(key(one), key(other), "{one:?} and {other:?}");
        }
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
