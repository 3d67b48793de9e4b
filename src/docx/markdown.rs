//! Rendered Markdown (an annex, a report) to Word blocks, so the .docx says exactly what the
//! Markdown and HTML say. Raw HTML is kept as text, as in the HTML output.

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use super::{Block, Inline, ParagraphStyle};
use crate::lang::Lang;
use crate::render::markdown::marker_clause;

#[derive(Default)]
struct Style {
    bold: u32,
    italic: u32,
}

/// A list being read: ordered lists count from their start number.
struct List {
    next: Option<u64>,
}

pub fn from_markdown(md: &str, lang: Lang) -> Vec<Block> {
    from_events(crate::render::markdown::events(md), lang)
}

/// [`from_markdown`] of a document already parsed ([`crate::render::markdown::events`]).
pub fn from_events<'a>(events: impl IntoIterator<Item = Event<'a>>, lang: Lang) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut inlines: Vec<Inline> = Vec::new();
    let mut style = Style::default();
    let mut lists: Vec<List> = Vec::new();
    let mut marker: Option<String> = None;
    let mut quote = 0u32;
    let mut pending_break = false;
    let mut table: Option<Vec<Vec<Vec<Inline>>>> = None;
    let mut heading: Option<u8> = None;
    let mut bookmark: Option<String> = None;

    let flush = |inlines: &mut Vec<Inline>,
                 blocks: &mut Vec<Block>,
                 lists: &[List],
                 marker: &mut Option<String>,
                 quote: u32| {
        if inlines.is_empty() && marker.is_none() {
            return;
        }
        let style = match marker.take() {
            Some(m) => ParagraphStyle::ListItem {
                depth: u8::try_from(lists.len().saturating_sub(1)).unwrap_or(u8::MAX),
                marker: m,
            },
            None if lists.is_empty() && quote > 0 => ParagraphStyle::Quote,
            None if !lists.is_empty() => ParagraphStyle::ListItem {
                depth: u8::try_from(lists.len().saturating_sub(1)).unwrap_or(u8::MAX),
                marker: String::new(),
            },
            None => ParagraphStyle::Normal,
        };
        blocks.push(Block::Paragraph {
            inlines: std::mem::take(inlines),
            style,
            mark: None,
        });
    };

    for event in events {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some(match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    _ => 4,
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                blocks.push(Block::Heading {
                    level: heading.take().unwrap_or(1),
                    inlines: std::mem::take(&mut inlines),
                    bookmark: bookmark.take(),
                });
            }
            Event::Html(ref s) | Event::InlineHtml(ref s) if marker_clause(s).is_some() => {
                bookmark = marker_clause(s).map(str::to_string);
            }
            Event::Start(Tag::List(start)) => {
                // A nested list starts: what the item said so far is its own paragraph.
                flush(&mut inlines, &mut blocks, &lists, &mut marker, quote);
                lists.push(List { next: start });
            }
            Event::End(TagEnd::List(_)) => {
                flush(&mut inlines, &mut blocks, &lists, &mut marker, quote);
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                let bullet = match lang {
                    Lang::Ja => "・",
                    Lang::En => "•",
                };
                marker = Some(match lists.last_mut().and_then(|l| l.next.as_mut()) {
                    Some(n) => {
                        let m = format!("{n}.");
                        *n += 1;
                        m
                    }
                    None => bullet.to_string(),
                });
            }
            Event::End(TagEnd::Item) | Event::End(TagEnd::Paragraph) if table.is_none() => {
                flush(&mut inlines, &mut blocks, &lists, &mut marker, quote);
            }
            Event::Start(Tag::BlockQuote(_)) => quote += 1,
            Event::End(TagEnd::BlockQuote(_)) => quote = quote.saturating_sub(1),
            Event::Start(Tag::Table(_)) => table = Some(Vec::new()),
            Event::End(TagEnd::Table) => {
                if let Some(rows) = table.take() {
                    blocks.push(Block::Table {
                        rows,
                        widths: Vec::new(),
                    });
                }
            }
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => {
                if let Some(rows) = table.as_mut() {
                    rows.push(Vec::new());
                }
            }
            Event::End(TagEnd::TableCell) => {
                if let Some(row) = table.as_mut().and_then(|rows| rows.last_mut()) {
                    row.push(std::mem::take(&mut inlines));
                }
            }
            Event::Start(Tag::Strong) => style.bold += 1,
            Event::End(TagEnd::Strong) => style.bold = style.bold.saturating_sub(1),
            Event::Start(Tag::Emphasis) => style.italic += 1,
            Event::End(TagEnd::Emphasis) => style.italic = style.italic.saturating_sub(1),
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => {
                inlines.push(Inline {
                    text: t.into_string(),
                    bold: style.bold > 0,
                    // Japanese has no italics: emphasis stays upright, as in the HTML.
                    italic: style.italic > 0 && lang == Lang::En,
                    line_break: std::mem::take(&mut pending_break),
                    ..Inline::default()
                });
            }
            Event::Code(t) => inlines.push(Inline {
                text: t.into_string(),
                code: true,
                line_break: std::mem::take(&mut pending_break),
                ..Inline::default()
            }),
            // Japanese lines join without a space; English ones with one.
            Event::SoftBreak if lang == Lang::En => inlines.push(Inline::plain(" ")),
            // A line break in justified text would stretch the line before it: outside tables
            // it starts a new paragraph instead.
            Event::HardBreak if table.is_none() && heading.is_none() => {
                flush(&mut inlines, &mut blocks, &lists, &mut marker, quote);
            }
            Event::HardBreak => pending_break = true,
            _ => {}
        }
    }
    flush(&mut inlines, &mut blocks, &lists, &mut marker, quote);
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(b: &Block) -> String {
        match b {
            Block::Heading { inlines, .. } | Block::Paragraph { inlines, .. } => {
                inlines.iter().map(|i| i.text.as_str()).collect()
            }
            Block::Table { rows, .. } => format!("table {}x{}", rows.len(), rows[0].len()),
        }
    }

    #[test]
    fn headings_lists_and_tables() {
        let md = "# Title\n\n<!-- clause: SPEC-01 -->\n#### Article 2 Spec\n\n1. one\n2. two\n    - sub\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n*note*\\\n*more*\n";
        let blocks = from_markdown(md, Lang::En);
        let shown: Vec<String> = blocks.iter().map(texts).collect();
        assert_eq!(
            shown,
            [
                "Title",
                "Article 2 Spec",
                "one",
                "two",
                "sub",
                "table 2x2",
                "note",
                "more"
            ]
        );
        assert!(
            matches!(&blocks[1], Block::Heading { level: 4, bookmark: Some(b), .. } if b == "SPEC-01")
        );
        assert!(
            matches!(&blocks[3], Block::Paragraph { style: ParagraphStyle::ListItem { depth: 0, marker }, .. } if marker == "2.")
        );
        assert!(
            matches!(&blocks[4], Block::Paragraph { style: ParagraphStyle::ListItem { depth: 1, marker }, .. } if marker == "•")
        );
        let Block::Paragraph { inlines, .. } = &blocks[6] else {
            panic!()
        };
        assert!(inlines[0].italic);
    }
}
