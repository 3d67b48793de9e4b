//! Reading a returned questionnaire. A file that cannot be read as a questionnaire at all
//! (too big, not a workbook, no questions sheet, headers changed, malformed YAML) is an
//! error; problems of single rows are collected for the evaluation to report.

use std::io::Cursor;
use std::path::Path;

use calamine::{DataRef, Reader, Xlsx, open_workbook_from_rs};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_saphyr::Spanned;

use super::{Cell, Entry, Place, Responses};
use crate::error::{Error, SourceError};
use crate::lang::Lang;
use crate::questionnaire::{
    COL_ANSWER, COL_COMMENT, COL_EVIDENCE, COL_ID, COL_QUESTION, COLUMNS, PROCUREMENT_LABEL,
    QUESTIONS_SHEET, pick, xlsx::HEADER_ROW,
};
use crate::yaml;

/// The largest response file read: a filled questionnaire is a few hundred kilobytes.
pub const MAX_BYTES: u64 = 20 * 1024 * 1024;

/// Read the response file at `path`, choosing the reader by its extension; a workbook is
/// read within `budget`.
pub fn read(path: &Path, budget: &WorkbookBudget) -> Result<Responses, Error> {
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
    use crate::output::{ReadFailure, read_bounded};
    let bytes = read_bounded(path, MAX_BYTES).map_err(|failure| match failure {
        ReadFailure::Io(source) => Error::Read {
            path: path.to_path_buf(),
            source,
        },
        ReadFailure::Folder => whole(&file, "it is a folder, not a response file"),
        ReadFailure::NotRegular(kind) => whole(&file, format!("it is {kind}, not a response file")),
        ReadFailure::TooLarge { size } => whole(
            &file,
            format!(
                "the file is {size} bytes, over the limit of {MAX_BYTES} bytes for a response file"
            ),
        ),
    })?;
    read_bytes(&file, &ext, bytes, budget)
}

/// Read a response file's contents; `ext` (`xlsx`, `csv`, `yaml`) says which reader.
pub fn read_bytes(
    file: &str,
    ext: &str,
    bytes: Vec<u8>,
    budget: &WorkbookBudget,
) -> Result<Responses, Error> {
    let file = file.to_string();
    match ext {
        "xlsx" => read_xlsx(&file, bytes, budget),
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

/// What the reader may spend on a workbook, derived from the questionnaire it answers: a
/// workbook for `n` questions is read only where the questionnaire put them, and no part of
/// it may unpack to more than [`WorkbookBudget::part_bytes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkbookBudget {
    /// The number of questions: the question rows follow the header row.
    pub questions: usize,
}

/// The unpacked size any workbook part may have whatever the questionnaire: the fixed parts
/// (styles, theme, workbook, cover sheet) of a workbook saved by Excel or LibreOffice.
const PART_BASE_BYTES: u64 = 1024 * 1024;
/// What each question row may add to a part: the question, an answer, the evidence and a
/// comment of a few thousand characters each in UTF-8 XML (chotatsu's own row is about 1 KB).
const PART_BYTES_PER_QUESTION: u64 = 64 * 1024;
/// All parts together may unpack to this many times one part's budget.
const PARTS_TOTAL_FACTOR: u64 = 4;
/// Entries in the zip: a workbook has a dozen; Excel may add printer settings and thumbnails.
const MAX_ZIP_ENTRIES: usize = 256;

impl WorkbookBudget {
    pub fn part_bytes(&self) -> u64 {
        PART_BASE_BYTES
            .saturating_add(PART_BYTES_PER_QUESTION.saturating_mul(self.questions as u64))
    }

    /// The last row (0-based) that may hold anything: the header row, then one per question.
    fn last_row(&self) -> u32 {
        u32::try_from(self.questions)
            .unwrap_or(u32::MAX)
            .saturating_add(HEADER_ROW)
    }
}

/// Unpack every part of the workbook through a limit before anything parses it: a part
/// that claims or turns out to be larger than the budget (a shared-strings bomb, a sheet of
/// a million empty cells) is refused without being held in memory.
fn check_zip_budget(file: &str, bytes: &[u8], budget: &WorkbookBudget) -> Result<(), Error> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| whole(file, format!("not a readable .xlsx workbook: {e}")))?;
    if zip.len() > MAX_ZIP_ENTRIES {
        return Err(whole(
            file,
            format!(
                "the workbook has {} parts, more than the {MAX_ZIP_ENTRIES} a questionnaire can have",
                zip.len()
            ),
        ));
    }
    let part_limit = budget.part_bytes();
    let mut total: u64 = 0;
    let mut sink = [0u8; 64 * 1024];
    for i in 0..zip.len() {
        let mut part = zip
            .by_index(i)
            .map_err(|e| whole(file, format!("not a readable .xlsx workbook: {e}")))?;
        let name = crate::text_safety::visible(&part.name().unwrap_or_default()).into_owned();
        let too_big = || {
            whole(
                file,
                format!(
                    "the workbook part {name} unpacks to more than {part_limit} bytes, the budget for a questionnaire of {} questions",
                    budget.questions
                ),
            )
        };
        if part.size() > part_limit {
            return Err(too_big());
        }
        let mut size: u64 = 0;
        loop {
            let n = part
                .read(&mut sink)
                .map_err(|e| whole(file, format!("not a readable .xlsx workbook: {name}: {e}")))?;
            if n == 0 {
                break;
            }
            size += n as u64;
            if size > part_limit {
                return Err(too_big());
            }
        }
        total += size;
        if total > part_limit.saturating_mul(PARTS_TOTAL_FACTOR) {
            return Err(whole(
                file,
                format!(
                    "the workbook unpacks to more than {} bytes, the budget for a questionnaire of {} questions",
                    part_limit.saturating_mul(PARTS_TOTAL_FACTOR),
                    budget.questions
                ),
            ));
        }
    }
    Ok(())
}

fn read_xlsx(file: &str, bytes: Vec<u8>, budget: &WorkbookBudget) -> Result<Responses, Error> {
    check_zip_budget(file, &bytes, budget)?;
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
                    names
                        .iter()
                        .map(|n| crate::text_safety::visible(n).into_owned())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?
        .to_string();
    let place = |row: u32, col: u32| Place {
        line: u64::from(row) + 1,
        column: u64::from(col) + 1,
        field: format!("{sheet}!{}{}", column_letter(col), u64::from(row) + 1),
    };
    let width = COLUMNS.len() as u32;
    let last_row = budget.last_row();
    // The questionnaire's range, row by row; nothing outside it is kept.
    let mut grid: Vec<Vec<Cell>> = Vec::new();
    {
        let mut cells = wb
            .worksheet_cells_reader(&sheet)
            .map_err(|e| whole(file, format!("cannot read sheet {sheet}: {e}")))?;
        while let Some(c) = cells
            .next_cell_with_formula_metadata()
            .map_err(|e| whole(file, format!("cannot read sheet {sheet}: {e}")))?
        {
            let (row, col) = c.pos;
            let has_formula = c.formula.is_some();
            if c.value == DataRef::Empty && !has_formula {
                continue;
            }
            let at = place(row, col);
            if row > last_row || col >= width {
                return Err(self::at(
                    file,
                    &at,
                    format!(
                        "this cell is outside the questionnaire (A1:{}{}); answers are read only from the questionnaire's rows and columns",
                        column_letter(width - 1),
                        u64::from(last_row) + 1
                    ),
                ));
            }
            if has_formula {
                return Err(self::at(
                    file,
                    &at,
                    "this cell holds a formula; chotatsu reads what was typed, not what a formula computes (Excel may show another value than the one saved): type the answer itself",
                ));
            }
            let value = cell_value(&c.value).map_err(|reason| self::at(file, &at, reason))?;
            let row = row as usize;
            if grid.len() <= row {
                grid.resize_with(row + 1, Vec::new);
            }
            let cells = &mut grid[row];
            if cells.len() <= col as usize {
                cells.resize(col as usize + 1, Cell::Empty);
            }
            cells[col as usize] = value;
        }
    }
    let cell = |row: u32, col: u32| -> Cell {
        grid.get(row as usize)
            .and_then(|r| r.get(col as usize))
            .cloned()
            .unwrap_or(Cell::Empty)
    };

    let label = cell(0, 0).as_text();
    let procurement = Lang::ALL
        .iter()
        .any(|&l| label.trim() == pick(PROCUREMENT_LABEL, l))
        .then(|| (cell(0, 1).as_text().trim().to_string(), place(0, 1)));
    let header_row = HEADER_ROW;
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
    for row in header_row + 1..grid.len() as u32 {
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

/// Excel's dates run from serial 1 (1900-01-01) to 2958465 (9999-12-31).
const EXCEL_LAST_DATE_SERIAL: f64 = 2_958_465.0;

/// A cell's value, or why it cannot be one.
fn cell_value(value: &DataRef<'_>) -> Result<Cell, String> {
    Ok(match value {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::SharedString(s) => Cell::Text((*s).to_string()),
        DataRef::Int(n) => Cell::Number(*n as f64),
        DataRef::Float(n) if n.is_finite() => Cell::Number(*n),
        DataRef::Float(n) => return Err(format!("the number {n} is not a finite number")),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(d) if d.is_duration() => Cell::Text(d.to_string()),
        DataRef::DateTime(d) => {
            let serial = d.as_f64();
            if !serial.is_finite() || !(1.0..EXCEL_LAST_DATE_SERIAL + 1.0).contains(&serial) {
                return Err(format!(
                    "the date serial {serial} is not a date (Excel's dates run from 1900-01-01 to 9999-12-31)"
                ));
            }
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            NaiveDate::from_ymd_opt(y.into(), m.into(), day.into())
                .map_or_else(|| Cell::Text(d.to_string()), Cell::Date)
        }
        DataRef::DateTimeIso(s) => s
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .map(Cell::Date)
            .ok_or_else(|| {
                format!(
                    "the date cell holds `{}`, not a date written as YYYY-MM-DD",
                    crate::text_safety::visible(s)
                )
            })?,
        DataRef::DurationIso(s) => Cell::Text(s.clone()),
        DataRef::Error(e) => Cell::Text(format!("#{e:?}")),
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
    let paths = yaml::FieldPaths::new(text);
    let place = |loc: &serde_saphyr::Location| Place {
        line: loc.line(),
        column: loc.column(),
        field: paths.at(loc.line(), loc.column()),
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
        let lines = |csv: &[u8]| -> Vec<u64> {
            ::csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(csv)
                .records()
                .map(|r| line_at(csv, r.unwrap().position().unwrap().byte()))
                .collect()
        };
        assert_eq!(
            lines(b"a,b\r\nQ-1,\"two\r\nlines\"\r\nQ-2,x\r\n"),
            [1, 2, 4]
        );
        // Line feeds inside a quoted cell, as Excel writes them.
        assert_eq!(
            lines(b"a,b\r\nQ-1,\"two\nlines\"\r\nQ-2,x\r\nQ-3,y\r\n"),
            [1, 2, 4, 5]
        );
        assert_eq!(lines(b"a,b\nQ-1,x\n"), [1, 2]);
    }
}
