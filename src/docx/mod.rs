//! Word documents (.docx) written from chotatsu's own document model, never by templating
//! inside Word: headings with Word's heading styles (navigation pane, table of contents),
//! tables with repeating header rows, Japanese and Latin fonts, the document language, an A4
//! page with the procurement ID and page numbers in the footer, and tracked changes.
//!
//! Output is deterministic: fixed zip timestamps, sequential IDs, the date the caller gives.

mod markdown;
mod package;
mod xml;

pub use markdown::{from_events, from_markdown};

use chrono::NaiveDate;

use crate::lang::Lang;

/// A run of text and how it looks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Inline {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
    pub code: bool,
    pub underline: bool,
    /// A line break before the text.
    pub line_break: bool,
    pub change: Option<Change>,
}

impl Inline {
    pub fn plain(text: impl Into<String>) -> Inline {
        Inline {
            text: text.into(),
            ..Inline::default()
        }
    }
}

/// A tracked change a reviewer can accept or reject in Word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Change {
    Insert,
    Delete,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Block {
    /// Levels 1..=4 map to Word's Heading 1..4. `bookmark` names the heading (a clause ID).
    Heading {
        level: u8,
        inlines: Vec<Inline>,
        bookmark: Option<String>,
    },
    /// `mark` tracks the paragraph mark itself: a paragraph wholly inserted (rejecting the
    /// change removes it) or wholly deleted (accepting the change removes it).
    Paragraph {
        inlines: Vec<Inline>,
        style: ParagraphStyle,
        mark: Option<Change>,
    },
    /// The first row is the header row, repeated at the top of every page. `widths` are
    /// the columns' relative widths (e.g. `[9, 9, 2]`); empty for equal columns.
    Table {
        rows: Vec<Vec<Vec<Inline>>>,
        widths: Vec<u32>,
    },
}

impl Block {
    /// The length of the text it holds (bytes), for sizing what it is written into.
    pub fn text_len(&self) -> usize {
        let len = |inlines: &[Inline]| inlines.iter().map(|i| i.text.len()).sum::<usize>();
        match self {
            Block::Heading { inlines, .. } | Block::Paragraph { inlines, .. } => len(inlines),
            Block::Table { rows, .. } => rows.iter().flatten().map(|cell| len(cell)).sum(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ParagraphStyle {
    Normal,
    /// A list item at a nesting depth (0-based), with its marker (`1.`, `・`).
    ListItem {
        depth: u8,
        marker: String,
    },
    Quote,
    /// Set flush right (a date under a title).
    Right,
}

/// What the document is, for its properties, page and footer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    pub title: String,
    pub lang: Lang,
    /// Shown in the footer beside the page number (the procurement ID).
    pub footer: String,
    /// The document's creation date in its properties.
    pub date: NaiveDate,
    /// Landscape pages (wide tables such as a 新旧対照表).
    pub landscape: bool,
}

/// The .docx file of `blocks`.
pub fn write(meta: &Meta, blocks: &[Block]) -> Vec<u8> {
    package::pack(meta, blocks)
}
