//! Reading a returned questionnaire. A file that cannot be read as a questionnaire at all
//! (too big, not a workbook, no questions sheet, headers changed, malformed YAML) is an
//! error; problems of single rows are collected for the evaluation to report.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_saphyr::Spanned;

use super::{Cell, Entry, Place, Responses};
use crate::error::{Error, SourceError};
use crate::lang::Lang;
use crate::questionnaire::{
    COL_ANSWER, COL_COMMENT, COL_EVIDENCE, COL_ID, COL_QUESTION, COLUMNS, PROCUREMENT_LABEL,
    QUESTIONS_SHEET, pick,
};
use crate::yaml;

/// The largest response file read: a filled questionnaire is a few hundred kilobytes.
pub const MAX_BYTES: u64 = 20 * 1024 * 1024;

/// Read the response file at `path`, choosing the reader by its extension.
pub fn read(path: &Path) -> Result<Responses, Error> {
    let file = path.display().to_string();
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if !["xlsx", "csv", "yaml", "yml"].contains(&ext.as_str()) {
        return Err(whole(
            &file,
            "unsupported response file: expected .xlsx, .csv, .yaml or .yml",
        ));
    }
    let meta = std::fs::metadata(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    if meta.len() > MAX_BYTES {
        return Err(whole(
            &file,
            format!(
                "the file is {} bytes, over the limit of {MAX_BYTES} bytes for a response file",
                meta.len()
            ),
        ));
    }
    let bytes = std::fs::read(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    read_bytes(&file, &ext, bytes)
}

/// Read a response file's contents; `ext` (`xlsx`, `csv`, `yaml`) says which reader.
pub fn read_bytes(file: &str, ext: &str, bytes: Vec<u8>) -> Result<Responses, Error> {
    let file = file.to_string();
    match ext {
        "xlsx" => read_xlsx(&file, bytes),
        "csv" => read_csv(&file, &bytes),
        _ => {
            let text = String::from_utf8(bytes)
                .map_err(|_| whole(&file, "not valid UTF-8 text; save the file as UTF-8"))?;
            read_yaml(&file, &text)
        }
    }
}

fn whole(file: &str, message: impl Into<String>) -> Error {
    Error::Source(SourceError {
        file: file.to_string(),
        line: 0,
        column: 0,
        field: String::new(),
        message: message.into(),
        snippet: None,
    })
}

fn at(file: &str, place: &Place, message: impl Into<String>) -> Error {
    Error::Source(SourceError {
        file: file.to_string(),
        line: place.line,
        column: place.column,
        field: place.field.clone(),
        message: message.into(),
        snippet: None,
    })
}

/// The language whose column headers `headers` are, if they are the questionnaire's.
fn header_language(headers: &[String]) -> Option<Lang> {
    Lang::ALL.into_iter().find(|&lang| {
        headers.len() >= COLUMNS.len()
            && COLUMNS
                .iter()
                .zip(headers)
                .all(|(c, h)| h.trim() == pick(*c, lang))
            && headers[COLUMNS.len()..].iter().all(|h| h.trim().is_empty())
    })
}

fn expected_headers() -> String {
    Lang::ALL
        .iter()
        .map(|&l| {
            COLUMNS
                .iter()
                .map(|c| pick(*c, l))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .collect::<Vec<_>>()
        .join(" or ")
}

/// A row of cells after the header: the entry it describes.
fn entry_from_row(cells: &[Cell], places: &dyn Fn(usize) -> Place) -> Entry {
    let text = |i: usize| cells.get(i).map(Cell::as_text).unwrap_or_default();
    Entry {
        id: text(COL_ID).trim().to_string(),
        at: places(COL_ID),
        question: Some((text(COL_QUESTION), places(COL_QUESTION))),
        answer: cells.get(COL_ANSWER).cloned().unwrap_or(Cell::Empty),
        answer_at: places(COL_ANSWER),
        evidence: text(COL_EVIDENCE).trim().to_string(),
        comment: text(COL_COMMENT).trim().to_string(),
    }
}

fn read_xlsx(file: &str, bytes: Vec<u8>) -> Result<Responses, Error> {
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e| whole(file, format!("not a readable .xlsx workbook: {e}")))?;
    let names = wb.sheet_names();
    let sheet = Lang::ALL
        .iter()
        .map(|&l| pick(QUESTIONS_SHEET, l))
        .find(|n| names.iter().any(|x| x == n))
        .ok_or_else(|| {
            whole(
                file,
                format!(
                    "no sheet named {} or {} (sheets: {})",
                    QUESTIONS_SHEET.0,
                    QUESTIONS_SHEET.1,
                    names.join(", ")
                ),
            )
        })?
        .to_string();
    let range = wb
        .worksheet_range(&sheet)
        .map_err(|e| whole(file, format!("cannot read sheet {sheet}: {e}")))?;
    let (last_row, last_col) = range.end().unwrap_or((0, 0));
    let cell = |row: u32, col: u32| -> Cell {
        match range.get_value((row, col)) {
            None | Some(Data::Empty) => Cell::Empty,
            Some(Data::String(s)) => Cell::Text(s.clone()),
            Some(Data::Int(n)) => Cell::Number(*n as f64),
            Some(Data::Float(n)) => Cell::Number(*n),
            Some(Data::Bool(b)) => Cell::Bool(*b),
            Some(Data::DateTime(d)) => {
                let (y, m, day, ..) = d.to_ymd_hms_milli();
                NaiveDate::from_ymd_opt(y.into(), m.into(), day.into())
                    .map_or_else(|| Cell::Text(d.to_string()), Cell::Date)
            }
            Some(Data::DateTimeIso(s)) => {
                NaiveDate::parse_from_str(&s[..s.len().min(10)], "%Y-%m-%d")
                    .map_or_else(|_| Cell::Text(s.clone()), Cell::Date)
            }
            Some(Data::DurationIso(s)) => Cell::Text(s.clone()),
            Some(Data::Error(e)) => Cell::Text(format!("#{e:?}")),
        }
    };
    let place = |row: u32, col: u32| Place {
        line: u64::from(row) + 1,
        column: u64::from(col) + 1,
        field: format!("{sheet}!{}{}", column_letter(col), row + 1),
    };

    let label = cell(0, 0).as_text();
    let procurement = Lang::ALL
        .iter()
        .any(|&l| label.trim() == pick(PROCUREMENT_LABEL, l))
        .then(|| (cell(0, 1).as_text().trim().to_string(), place(0, 1)));
    let header_row = 1;
    let width = (last_col + 1).max(COLUMNS.len() as u32);
    let headers: Vec<String> = (0..width).map(|c| cell(header_row, c).as_text()).collect();
    if header_language(&headers).is_none() {
        return Err(at(
            file,
            &place(header_row, 0),
            format!(
                "the header row is not the questionnaire's; expected {}",
                expected_headers()
            ),
        ));
    }
    let mut entries = Vec::new();
    for row in header_row + 1..=last_row {
        let cells: Vec<Cell> = (0..width).map(|c| cell(row, c)).collect();
        if cells.iter().all(Cell::is_blank) {
            continue;
        }
        entries.push(entry_from_row(&cells, &|c| place(row, c as u32)));
    }
    Ok(Responses {
        file: file.to_string(),
        procurement,
        entries,
        problems: Vec::new(),
    })
}

/// `A`, `B`, … `Z`, `AA`, …
fn column_letter(col: u32) -> String {
    let mut n = col + 1;
    let mut s = Vec::new();
    while n > 0 {
        let r = ((n - 1) % 26) as u8;
        s.push((b'A' + r) as char);
        n = (n - 1) / 26;
    }
    s.iter().rev().collect()
}

/// The 1-based line, as an editor numbers it, of the record the CSV reader places at
/// `offset`: counted from the line feeds before it, so that CRLF (chotatsu's and Excel's
/// CSV) and LF files give the same numbers (the reader's own count is one low after CRLF).
fn line_at(bytes: &[u8], offset: u64) -> u64 {
    let mut end = usize::try_from(offset).map_or(bytes.len(), |o| o.min(bytes.len()));
    // After a CRLF the reader's position is the LF (it ends the record at the CR): the
    // record starts after the line ends.
    while end < bytes.len() && matches!(bytes[end], b'\r' | b'\n') {
        end += 1;
    }
    bytes[..end].iter().filter(|&&b| b == b'\n').count() as u64 + 1
}

fn read_csv(file: &str, bytes: &[u8]) -> Result<Responses, Error> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    if let Err(e) = std::str::from_utf8(bytes) {
        return Err(whole(
            file,
            format!(
                "not valid UTF-8 (byte {}); save the file as \"CSV UTF-8\"",
                e.valid_up_to()
            ),
        ));
    }
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records: Vec<(u64, Vec<String>)> = Vec::new();
    for result in reader.records() {
        let record = result.map_err(|e| {
            let line = e.position().map_or(0, |p| line_at(bytes, p.byte()));
            at(
                file,
                &Place {
                    line,
                    column: 0,
                    field: String::new(),
                },
                format!("malformed CSV: {e}"),
            )
        })?;
        let line = record.position().map_or(0, |p| line_at(bytes, p.byte()));
        records.push((line, record.iter().map(str::to_string).collect()));
    }
    let line_of = |i: usize| records.get(i).map_or(i as u64 + 1, |r| r.0);
    let field_place = |line: u64, col: usize, lang: Lang| Place {
        line,
        column: col as u64 + 1,
        field: COLUMNS
            .get(col)
            .map_or_else(String::new, |c| pick(*c, lang).to_string()),
    };
    let procurement = records.first().and_then(|(line, r)| {
        let label = r.first()?;
        Lang::ALL
            .iter()
            .any(|&l| label.trim() == pick(PROCUREMENT_LABEL, l))
            .then(|| {
                let id = r.get(1).cloned().unwrap_or_default().trim().to_string();
                (
                    id,
                    Place {
                        line: *line,
                        column: 2,
                        field: String::new(),
                    },
                )
            })
    });
    let headers = records.get(1).map(|r| r.1.clone()).unwrap_or_default();
    let Some(lang) = header_language(&headers) else {
        return Err(at(
            file,
            &Place {
                line: line_of(1),
                column: 1,
                field: String::new(),
            },
            format!(
                "the header row is not the questionnaire's; expected {}",
                expected_headers()
            ),
        ));
    };
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    for (line, fields) in records.iter().skip(2) {
        if fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if fields.len() != COLUMNS.len() {
            problems.push(SourceError {
                file: file.to_string(),
                line: *line,
                column: 1,
                field: String::new(),
                message: format!("expected {} columns, found {}", COLUMNS.len(), fields.len()),
                snippet: None,
            });
        }
        let cells: Vec<Cell> = fields
            .iter()
            .map(|f| {
                if f.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(f.clone())
                }
            })
            .collect();
        entries.push(entry_from_row(&cells, &|c| field_place(*line, c, lang)));
    }
    Ok(Responses {
        file: file.to_string(),
        procurement,
        entries,
        problems,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawResponses {
    procurement: Spanned<Scalar>,
    #[serde(default)]
    answers: OrderedAnswers,
}

/// The `answers` mapping in file order, duplicate keys kept (the evaluation reports them).
#[derive(Default)]
struct OrderedAnswers(Vec<(Spanned<String>, Spanned<Option<RawEntry>>)>);

impl<'de> Deserialize<'de> for OrderedAnswers {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = OrderedAnswers;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a mapping from question IDs to answers")
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(OrderedAnswers::default())
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    out.push((key, map.next_value()?));
                }
                Ok(OrderedAnswers(out))
            }
        }
        d.deserialize_map(Visitor)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    #[serde(default)]
    answer: Option<Spanned<Scalar>>,
    #[serde(default)]
    evidence: Option<Scalar>,
    #[serde(default)]
    comment: Option<Scalar>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Scalar {
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
}

impl Scalar {
    fn cell(&self) -> Cell {
        match self {
            Scalar::Bool(b) => Cell::Bool(*b),
            Scalar::Int(n) => Cell::Number(*n as f64),
            Scalar::Float(n) => Cell::Number(*n),
            Scalar::Text(s) if s.is_empty() => Cell::Empty,
            Scalar::Text(s) => Cell::Text(s.clone()),
        }
    }
}

fn read_yaml(file: &str, text: &str) -> Result<Responses, Error> {
    let raw: RawResponses = yaml::parse(file, text)?;
    let place = |loc: &serde_saphyr::Location| Place {
        line: loc.line(),
        column: loc.column(),
        field: yaml::field_path_at(text, loc.line(), loc.column()),
    };
    let procurement = Some((
        raw.procurement.value.cell().as_text().trim().to_string(),
        place(&raw.procurement.referenced),
    ));
    let entries = raw
        .answers
        .0
        .into_iter()
        .map(|(id, entry)| {
            let key_at = place(&id.referenced);
            let entry_value = entry.value;
            let (answer, answer_at) = match entry_value.as_ref().and_then(|e| e.answer.as_ref()) {
                Some(a) => (a.value.cell(), place(&a.referenced)),
                None => (Cell::Empty, key_at.clone()),
            };
            let text_of = |s: Option<&Scalar>| s.map(|s| s.cell().as_text()).unwrap_or_default();
            Entry {
                id: id.value.trim().to_string(),
                at: key_at,
                question: None,
                answer,
                answer_at,
                evidence: text_of(entry_value.as_ref().and_then(|e| e.evidence.as_ref()))
                    .trim()
                    .to_string(),
                comment: text_of(entry_value.as_ref().and_then(|e| e.comment.as_ref()))
                    .trim()
                    .to_string(),
            }
        })
        .collect();
    Ok(Responses {
        file: file.to_string(),
        procurement,
        entries,
        problems: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(3), "D");
        assert_eq!(column_letter(26), "AA");
    }

    #[test]
    fn record_lines_are_an_editors_with_crlf_and_multi_line_cells() {
        let csv = b"a,b\r\nQ-1,\"two\r\nlines\"\r\nQ-2,x\r\n";
        let mut reader = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&csv[..]);
        let lines: Vec<u64> = reader
            .records()
            .map(|r| line_at(csv, r.unwrap().position().unwrap().byte()))
            .collect();
        assert_eq!(lines, [1, 2, 4]);
        // Line feeds inside a quoted cell, as Excel writes them.
        let csv = b"a,b\r\nQ-1,\"two\nlines\"\r\nQ-2,x\r\nQ-3,y\r\n";
        let mut reader = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&csv[..]);
        let lines: Vec<u64> = reader
            .records()
            .map(|r| line_at(csv, r.unwrap().position().unwrap().byte()))
            .collect();
        assert_eq!(lines, [1, 2, 4, 5]);
    }
}
