//! A vendor's returned questionnaire, as read from xlsx, csv or yaml: the procurement ID it
//! claims, and one entry per question row with where it was found. Nothing here is trusted;
//! the evaluation checks every entry against the questionnaire.

mod read;

pub use read::{MAX_BYTES, WorkbookBudget, read, read_bytes};

use chrono::NaiveDate;

use crate::error::SourceError;

#[derive(Debug, Clone)]
pub struct Responses {
    /// The file as the user named it.
    pub file: String,
    /// The procurement ID the file carries, and where.
    pub procurement: Option<(String, Place)>,
    pub entries: Vec<Entry>,
    /// Structural problems of single rows (a row with too few columns, say); reported with
    /// the evaluation's problems.
    pub problems: Vec<SourceError>,
}

/// Where something is in the file: line (or row) and column, 1-based, and a field name
/// (`質問!D5` in a workbook, the column header in a CSV, the YAML path).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Place {
    pub line: u64,
    pub column: u64,
    pub field: String,
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub id: String,
    /// Where the entry starts (its ID cell, or its YAML key).
    pub at: Place,
    /// The question text as returned (xlsx and csv; yaml carries none).
    pub question: Option<(String, Place)>,
    pub answer: Cell,
    pub answer_at: Place,
    pub evidence: String,
    pub comment: String,
}

/// A value as the file holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
    Bool(bool),
}

impl Cell {
    /// The value as text, for messages and free-text answers.
    pub fn as_text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Number(n) => crate::questionnaire::format_number(*n),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
            Cell::Bool(b) => b.to_string(),
        }
    }

    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

impl Responses {
    /// A problem at `place` in this file.
    pub fn error(&self, place: &Place, message: impl Into<String>) -> SourceError {
        SourceError {
            file: self.file.clone(),
            line: place.line,
            column: place.column,
            field: place.field.clone(),
            message: message.into(),
            snippet: None,
        }
    }
}
