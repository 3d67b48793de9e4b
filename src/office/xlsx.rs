//! Excel workbooks written directly as SpreadsheetML: the questionnaire, the evaluation
//! report and the portfolio index. Every workbook has the same fonts and cell styles
//! ([`Style`]), shared strings in the order they are first written, and sheets printed
//! landscape on A4, one page wide, their used range the print area. Nothing depends on the
//! clock: the created date is the one given, so the same inputs give the same bytes.
//!
//! A batch writes two questionnaire workbooks per package; written here they take a few
//! percent of its time, against a third with a general workbook library (which formatted,
//! hashed and sorted every cell's style and started a thread per sheet).

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use std::hash::BuildHasherDefault;
use std::sync::LazyLock;

use chrono::NaiveDate;

use super::xml::{Breaks, escape_into};
use super::zip::{Part, zip};
use crate::layout;
use crate::memo::Fast;

/// The font of every cell: Yu Gothic, with the Japanese character set (128) and the
/// "modern" family Excel writes for its Japanese Gothic fonts, so that where Yu Gothic is
/// missing Excel substitutes MS PGothic and LibreOffice its Japanese Gothic, never Calibri.
pub const FONT: &str = "Yu Gothic";
const FONT_CHARSET: u8 = 128;
const FONT_FAMILY: u8 = 3;
/// Font sizes (points): cells, and a sheet's title.
pub const FONT_SIZE: f64 = 11.0;
const TITLE_SIZE: f64 = 14.0;
/// Yu Gothic 11's default row height in points as Excel for Windows has it (25 pixels).
const DEFAULT_ROW_PT: f64 = 18.75;
/// Pixels per character of column width (the font's digit width at 11 pt) and the padding
/// Excel adds to every column.
const DIGIT_PX: f64 = 8.0;
const COLUMN_PADDING_PX: f64 = 5.0;
/// Where Yu Gothic is missing, LibreOffice measures columns with its substitute's wider
/// digits (about 10 px at 11 pt), so the same sheet is wider and prints smaller: the
/// printed size is reckoned with these.
const SUBSTITUTE_DIGIT_PX: f64 = 10.0;
/// The height of one line of wrapped text in points: Yu Gothic's line (its Windows ascent
/// and descent) is 1.42 em, Noto Sans CJK's (LibreOffice's usual fallback) 1.45 em; and
/// what a row adds above and below its lines.
const LINE_PT: f64 = 16.0;
const ROW_PADDING_PT: f64 = 3.0;
/// A4 in Excel's paper codes.
const A4: u8 = 9;
/// Page margins (inches): left and right, top and bottom, and the header's and footer's.
const MARGIN_SIDE: f64 = 0.4;
const MARGIN_TOP: f64 = 0.6;
const MARGIN_HEADER: f64 = 0.3;
/// The width of landscape A4 in pixels (96 per inch).
const A4_LANDSCAPE_PX: f64 = 297.0 / 25.4 * 96.0;
/// Fills: the cells a vendor answers in, and column headers.
const ANSWER_FILL: &str = "FFFFF2CC";
const HEADER_FILL: &str = "FFD9E1F2";
/// Number formats: dates (a custom format, so its ID is Excel's first free one) and amounts
/// (Excel's built-in `#,##0`).
const DATE_FORMAT: (u16, &str) = (164, "yyyy-mm-dd");
const THOUSANDS_FORMAT: u16 = 3;
/// What Excel holds at most: characters in a cell, in a sheet's name, in a dropdown's list,
/// in an error message and in its title.
const CELL_CHARS: usize = 32_767;
const SHEET_NAME_CHARS: usize = 31;
const LIST_CHARS: usize = 255;
const ERROR_CHARS: usize = 255;
const ERROR_TITLE_CHARS: usize = 32;
/// Excel's day 0 for serial dates after February 1900.
const EPOCH: NaiveDate = NaiveDate::from_ymd_opt(1899, 12, 30).expect("a date");

/// A workbook that Excel would not open, or would open with a warning, refused before it is
/// written.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum XlsxError {
    #[error(
        "the sheet name `{0}` is not one Excel accepts (1 to {SHEET_NAME_CHARS} characters, none of []:*?/\\, not starting or ending with ', not used twice)"
    )]
    SheetName(String),
    #[error(
        "cell {cell} of sheet `{sheet}` holds {chars} characters; a cell holds at most {CELL_CHARS}"
    )]
    CellTooLong {
        sheet: String,
        cell: String,
        chars: usize,
    },
    #[error(
        "the dropdown of cell {cell} of sheet `{sheet}` lists {chars} characters; Excel takes at most {LIST_CHARS}"
    )]
    ListTooLong {
        sheet: String,
        cell: String,
        chars: usize,
    },
    #[error(
        "the choice `{choice}` in the dropdown of cell {cell} of sheet `{sheet}` holds a comma, which would split it in two"
    )]
    CommaInChoice {
        sheet: String,
        cell: String,
        choice: String,
    },
    #[error(
        "the error message `{text}` of cell {cell} of sheet `{sheet}` is longer than Excel takes ({limit} characters)"
    )]
    ErrorTooLong {
        sheet: String,
        cell: String,
        text: String,
        limit: usize,
    },
}

/// How a cell looks: one of a fixed set, the same in every workbook, so a workbook's styles
/// part is always the same.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Style {
    /// The font and nothing else.
    Plain,
    /// A sheet's title: bold, larger.
    Title,
    /// Running text: wrapped, at the top of its cell.
    Text,
    /// A label beside a value: bold running text.
    Label,
    /// A cell of a table: running text in a thin border.
    Locked,
    /// A cell a vendor fills in on a protected sheet: unlocked, shaded.
    Unlocked,
    /// A column header: bold, shaded, in a border.
    Header,
    /// An unlocked cell that shows a date as YYYY-MM-DD.
    UnlockedDate,
    /// A number with thousands separators (an amount of yen, a count) in a table's cell.
    Amount,
}

/// Each [`Style`]'s cell format, in the order of its index: the number format, font, fill
/// and border it takes from the lists in [`STYLES`], whether its text wraps at the top of
/// the cell, and whether it stays editable on a protected sheet.
struct Xf {
    number: u16,
    font: u8,
    fill: u8,
    border: u8,
    wrap: bool,
    unlocked: bool,
}

impl Style {
    const ALL: [Style; 9] = [
        Style::Plain,
        Style::Title,
        Style::Text,
        Style::Label,
        Style::Locked,
        Style::Unlocked,
        Style::Header,
        Style::UnlockedDate,
        Style::Amount,
    ];

    fn xf(self) -> Xf {
        // Fonts: 0 regular, 1 title, 2 bold. Fills: 0 and 1 are the two Excel requires,
        // 2 answers, 3 headers. Borders: 0 none, 1 thin.
        let (number, font, fill, border, wrap, unlocked) = match self {
            Style::Plain => (0, 0, 0, 0, false, false),
            Style::Title => (0, 1, 0, 0, false, false),
            Style::Text => (0, 0, 0, 0, true, false),
            Style::Label => (0, 2, 0, 0, true, false),
            Style::Locked => (0, 0, 0, 1, true, false),
            Style::Unlocked => (0, 0, 2, 1, true, true),
            Style::Header => (0, 2, 3, 1, true, false),
            Style::UnlockedDate => (DATE_FORMAT.0, 0, 2, 1, true, true),
            Style::Amount => (THOUSANDS_FORMAT, 0, 0, 1, true, false),
        };
        Xf {
            number,
            font,
            fill,
            border,
            wrap,
            unlocked,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The styles part, the same for every workbook.
static STYLES: LazyLock<String> = LazyLock::new(|| {
    let font = |bold: bool, size: f64| {
        format!(
            "<font>{}<sz val=\"{size}\"/><name val=\"{FONT}\"/><family val=\"{FONT_FAMILY}\"/><charset val=\"{FONT_CHARSET}\"/></font>",
            if bold { "<b/>" } else { "" }
        )
    };
    let solid = |rgb: &str| {
        format!(
            "<fill><patternFill patternType=\"solid\"><fgColor rgb=\"{rgb}\"/><bgColor indexed=\"64\"/></patternFill></fill>"
        )
    };
    let thin: String = ["left", "right", "top", "bottom"]
        .iter()
        .map(|side| format!("<{side} style=\"thin\"><color auto=\"1\"/></{side}>"))
        .collect();
    let mut out = format!(
        "{DECLARATION}<styleSheet xmlns=\"{MAIN}\"><numFmts count=\"1\"><numFmt numFmtId=\"{}\" formatCode=\"{}\"/></numFmts><fonts count=\"3\">{}{}{}</fonts><fills count=\"4\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill>{}{}</fills><borders count=\"2\"><border><left/><right/><top/><bottom/><diagonal/></border><border>{thin}<diagonal/></border></borders><cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs><cellXfs count=\"{}\">",
        DATE_FORMAT.0,
        DATE_FORMAT.1,
        font(false, FONT_SIZE),
        font(true, TITLE_SIZE),
        font(true, FONT_SIZE),
        solid(ANSWER_FILL),
        solid(HEADER_FILL),
        Style::ALL.len(),
    );
    for style in Style::ALL {
        let x = style.xf();
        let _ = write!(
            out,
            "<xf numFmtId=\"{}\" fontId=\"{}\" fillId=\"{}\" borderId=\"{}\" xfId=\"0\"",
            x.number, x.font, x.fill, x.border
        );
        for (applies, what) in [
            (x.number != 0, "NumberFormat"),
            (x.font != 0, "Font"),
            (x.fill != 0, "Fill"),
            (x.border != 0, "Border"),
            (x.wrap, "Alignment"),
            (x.unlocked, "Protection"),
        ] {
            if applies {
                let _ = write!(out, " apply{what}=\"1\"");
            }
        }
        if !x.wrap && !x.unlocked {
            out.push_str("/>");
            continue;
        }
        out.push('>');
        if x.wrap {
            out.push_str("<alignment vertical=\"top\" wrapText=\"1\"/>");
        }
        if x.unlocked {
            out.push_str("<protection locked=\"0\"/>");
        }
        out.push_str("</xf>");
    }
    out.push_str("</cellXfs><cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles><dxfs count=\"0\"/></styleSheet>");
    out
});

const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const RELATIONSHIPS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PACKAGE_RELATIONSHIPS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const CONTENT: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml";

const ROOT_RELS: &str = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/><Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/></Relationships>";

const APP: &str = "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>chotatsu</Application></Properties>";

/// Where a sheet part and the shared strings may be cut into pieces for the zip.
const ROW: &[u8] = b"<row ";
const STRING_ITEM: &[u8] = b"<si>";

/// The height (points) a row needs so that its wrapped cells show whole. Excel and
/// LibreOffice do not fit row heights to wrapped text when they open a file, so a generated
/// sheet sets them: each cell's text broken into lines as [`layout::wrap`] breaks it (never
/// inside a word, ID or amount) at the column's width in [`FONT`], [`LINE_PT`] a line.
pub fn fitted_row_height<S: AsRef<str>>(cells: &[S], widths: &[f64]) -> f64 {
    let em_px = FONT_SIZE * 96.0 / 72.0;
    let lines = cells
        .iter()
        .zip(widths)
        .map(|(text, width)| {
            // The cell's inner width: the column less the padding on both sides.
            let inner = width * DIGIT_PX + COLUMN_PADDING_PX - 2.0 * COLUMN_PADDING_PX;
            let limit = inner / em_px;
            layout::wrap(text.as_ref(), limit).len() as f64
        })
        .fold(1.0, f64::max);
    (lines * LINE_PT + ROW_PADDING_PT).ceil()
}

/// The size the text prints at when a sheet with columns `widths` is printed landscape on
/// A4, fit to the page's width, in Excel or in LibreOffice without Yu Gothic (the smaller).
pub fn printed_font_size(widths: &[f64]) -> f64 {
    let sheet: f64 = widths
        .iter()
        .map(|w| w * SUBSTITUTE_DIGIT_PX + COLUMN_PADDING_PX)
        .sum();
    let page = A4_LANDSCAPE_PX - 2.0 * MARGIN_SIDE * 96.0;
    FONT_SIZE * (page / sheet).min(1.0)
}

/// A cell's reference: `A1`, `AA10`. `row` and `col` count from 0.
pub fn cell_name(row: u32, col: u16) -> String {
    let mut out = String::new();
    push_cell_name(&mut out, row, col);
    out
}

fn push_column(out: &mut String, col: u16) {
    let mut letters = [0u8; 3];
    let mut n = u32::from(col) + 1;
    let mut at = letters.len();
    while n > 0 {
        at -= 1;
        letters[at] = b'A' + ((n - 1) % 26) as u8;
        n = (n - 1) / 26;
    }
    letters[at..]
        .iter()
        .for_each(|&letter| out.push(char::from(letter)));
}

fn push_cell_name(out: &mut String, row: u32, col: u16) {
    push_column(out, col);
    let _ = write!(out, "{}", row + 1);
}

/// A workbook being written: its sheets in order, its title and the date it was made.
pub struct Workbook {
    title: String,
    created: Option<NaiveDate>,
    sheets: Vec<Sheet>,
    active: usize,
}

/// One sheet: column widths, rows of cells, and how it is viewed, protected and printed.
pub struct Sheet {
    name: String,
    widths: Vec<f64>,
    rows: BTreeMap<u32, Row>,
    merges: Vec<(u32, u16, u16)>,
    validations: Vec<Validation>,
    freeze: Option<(u32, u16)>,
    repeat_rows: Option<(u32, u32)>,
    protected: bool,
}

#[derive(Default)]
struct Row {
    height: Option<f64>,
    cells: BTreeMap<u16, Cell>,
}

struct Cell {
    value: Value,
    style: Style,
}

enum Value {
    Blank,
    Text(String),
    Number(f64),
}

/// What a dropdown or check on an answer cell admits.
pub enum Rule {
    /// One of these choices.
    List(Vec<String>),
    /// A number no smaller than this.
    AtLeast(f64),
    /// A date from the first to the second.
    DatesBetween(NaiveDate, NaiveDate),
}

struct Validation {
    row: u32,
    col: u16,
    rule: Rule,
    title: String,
    message: String,
}

impl Workbook {
    /// An empty workbook whose properties give `title`, and `created` as the date it was
    /// made and last changed (none when not given).
    pub fn new(title: impl Into<String>, created: Option<NaiveDate>) -> Workbook {
        Workbook {
            title: title.into(),
            created,
            sheets: Vec::new(),
            active: 0,
        }
    }

    /// A new sheet named `name`, after the others.
    pub fn add_sheet(&mut self, name: &str) -> Result<&mut Sheet, XlsxError> {
        let chars = name.chars().count();
        let refused = chars == 0
            || chars > SHEET_NAME_CHARS
            || name.contains(['[', ']', ':', '*', '?', '/', '\\'])
            || name.starts_with('\'')
            || name.ends_with('\'')
            || self
                .sheets
                .iter()
                .any(|s| s.name.to_lowercase() == name.to_lowercase());
        if refused {
            return Err(XlsxError::SheetName(name.to_string()));
        }
        self.sheets.push(Sheet {
            name: name.to_string(),
            widths: Vec::new(),
            rows: BTreeMap::new(),
            merges: Vec::new(),
            validations: Vec::new(),
            freeze: None,
            repeat_rows: None,
            protected: false,
        });
        Ok(self.sheets.last_mut().expect("the sheet just added"))
    }

    /// The sheet shown when the workbook opens: the last one added.
    pub fn activate_last(&mut self) {
        self.active = self.sheets.len().saturating_sub(1);
    }

    /// The workbook as an .xlsx file.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut strings = SharedStrings::default();
        let sheets: Vec<String> = self
            .sheets
            .iter()
            .enumerate()
            .map(|(i, sheet)| sheet.xml(i == self.active, &mut strings))
            .collect();
        let names: Vec<String> = (1..=sheets.len())
            .map(|n| format!("xl/worksheets/sheet{n}.xml"))
            .collect();
        // A part with no rows (all but the sheets and the strings) is one piece.
        let fixed: [(&str, Cow<'_, str>, &[u8]); 8] = [
            ("[Content_Types].xml", self.content_types().into(), ROW),
            (
                "_rels/.rels",
                format!("{DECLARATION}{ROOT_RELS}").into(),
                ROW,
            ),
            (
                "docProps/app.xml",
                format!("{DECLARATION}{APP}").into(),
                ROW,
            ),
            ("docProps/core.xml", self.core().into(), ROW),
            ("xl/workbook.xml", self.workbook_xml().into(), ROW),
            (
                "xl/_rels/workbook.xml.rels",
                self.workbook_rels().into(),
                ROW,
            ),
            ("xl/styles.xml", STYLES.as_str().into(), ROW),
            ("xl/sharedStrings.xml", strings.xml().into(), STRING_ITEM),
        ];
        let sheets = names.iter().zip(&sheets).map(|(name, text)| Part {
            name,
            data: text.as_bytes(),
            unit: ROW,
        });
        zip(fixed
            .iter()
            .map(|(name, text, unit)| Part {
                name,
                data: text.as_bytes(),
                unit,
            })
            .chain(sheets))
    }

    fn content_types(&self) -> String {
        let mut out = format!(
            "{DECLARATION}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/><Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"{CONTENT}.sheet.main+xml\"/><Override PartName=\"/xl/styles.xml\" ContentType=\"{CONTENT}.styles+xml\"/><Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"{CONTENT}.sharedStrings+xml\"/>"
        );
        for n in 1..=self.sheets.len() {
            let _ = write!(
                out,
                "<Override PartName=\"/xl/worksheets/sheet{n}.xml\" ContentType=\"{CONTENT}.worksheet+xml\"/>"
            );
        }
        out.push_str("</Types>");
        out
    }

    fn core(&self) -> String {
        let mut out = format!(
            "{DECLARATION}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>"
        );
        escape_into(&mut out, &self.title, Breaks::Space);
        out.push_str("</dc:title><dc:creator>chotatsu</dc:creator><cp:lastModifiedBy>chotatsu</cp:lastModifiedBy>");
        if let Some(date) = self.created {
            let date = date.format("%Y-%m-%dT00:00:00Z");
            let _ = write!(
                out,
                "<dcterms:created xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:modified>"
            );
        }
        out.push_str("</cp:coreProperties>");
        out
    }

    fn workbook_xml(&self) -> String {
        let mut out = format!(
            "{DECLARATION}<workbook xmlns=\"{MAIN}\" xmlns:r=\"{RELATIONSHIPS}\"><bookViews><workbookView xWindow=\"240\" yWindow=\"15\" windowWidth=\"16095\" windowHeight=\"9660\" activeTab=\"{}\"/></bookViews><sheets>",
            self.active
        );
        for (i, sheet) in self.sheets.iter().enumerate() {
            out.push_str("<sheet name=\"");
            escape_into(&mut out, &sheet.name, Breaks::Space);
            let _ = write!(out, "\" sheetId=\"{}\" r:id=\"rId{}\"/>", i + 1, i + 1);
        }
        out.push_str("</sheets><definedNames>");
        // Print areas, then print titles: Excel's own order (by name, then sheet).
        for (i, sheet) in self.sheets.iter().enumerate() {
            let (rows, cols) = sheet.extent();
            let _ = write!(
                out,
                "<definedName name=\"_xlnm.Print_Area\" localSheetId=\"{i}\">"
            );
            sheet.push_quoted_name(&mut out);
            out.push_str("!$A$1:$");
            push_column(&mut out, cols.saturating_sub(1));
            let _ = write!(out, "${}</definedName>", rows.max(1));
        }
        for (i, sheet) in self.sheets.iter().enumerate() {
            if let Some((first, last)) = sheet.repeat_rows {
                let _ = write!(
                    out,
                    "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"{i}\">"
                );
                sheet.push_quoted_name(&mut out);
                let _ = write!(out, "!${}:${}</definedName>", first + 1, last + 1);
            }
        }
        out.push_str("</definedNames></workbook>");
        out
    }

    fn workbook_rels(&self) -> String {
        let mut out = format!("{DECLARATION}<Relationships xmlns=\"{PACKAGE_RELATIONSHIPS}\">");
        let n = self.sheets.len();
        for i in 1..=n {
            let _ = write!(
                out,
                "<Relationship Id=\"rId{i}\" Type=\"{RELATIONSHIPS}/worksheet\" Target=\"worksheets/sheet{i}.xml\"/>"
            );
        }
        let _ = write!(
            out,
            "<Relationship Id=\"rId{}\" Type=\"{RELATIONSHIPS}/styles\" Target=\"styles.xml\"/><Relationship Id=\"rId{}\" Type=\"{RELATIONSHIPS}/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>",
            n + 1,
            n + 2
        );
        out
    }
}

impl Sheet {
    /// Column widths in characters (of the font's digit width), from column A.
    pub fn set_widths(&mut self, widths: &[f64]) {
        self.widths = widths.to_vec();
    }

    /// Text in a cell; empty text leaves the cell blank, in its style.
    pub fn put(&mut self, row: u32, col: u16, text: &str, style: Style) -> Result<(), XlsxError> {
        let chars = text.chars().count();
        if chars > CELL_CHARS {
            return Err(XlsxError::CellTooLong {
                sheet: self.name.clone(),
                cell: cell_name(row, col),
                chars,
            });
        }
        let value = if text.is_empty() {
            Value::Blank
        } else {
            Value::Text(text.to_string())
        };
        self.cell(row, col, value, style);
        Ok(())
    }

    /// A number in a cell.
    pub fn put_number(&mut self, row: u32, col: u16, n: f64, style: Style) {
        self.cell(row, col, Value::Number(n), style);
    }

    /// Text across the cells of `row` from `first` to `last`, merged into one.
    pub fn merge(
        &mut self,
        row: u32,
        first: u16,
        last: u16,
        text: &str,
        style: Style,
    ) -> Result<(), XlsxError> {
        self.put(row, first, text, style)?;
        for col in first + 1..=last {
            self.cell(row, col, Value::Blank, style);
        }
        self.merges.push((row, first, last));
        Ok(())
    }

    fn cell(&mut self, row: u32, col: u16, value: Value, style: Style) {
        let cells = &mut self.rows.entry(row).or_default().cells;
        cells.insert(col, Cell { value, style });
    }

    /// A row's height in points.
    pub fn set_height(&mut self, row: u32, points: f64) {
        self.rows.entry(row).or_default().height = Some(points);
    }

    /// A dropdown or check on the cell at `row`, `col`: what it admits, and the title and
    /// message of the error Excel shows for anything else.
    pub fn validate(
        &mut self,
        row: u32,
        col: u16,
        rule: Rule,
        title: &str,
        message: &str,
    ) -> Result<(), XlsxError> {
        let cell = || cell_name(row, col);
        for (text, limit) in [(title, ERROR_TITLE_CHARS), (message, ERROR_CHARS)] {
            if text.chars().count() > limit {
                return Err(XlsxError::ErrorTooLong {
                    sheet: self.name.clone(),
                    cell: cell(),
                    text: text.to_string(),
                    limit,
                });
            }
        }
        if let Rule::List(choices) = &rule {
            if let Some(choice) = choices.iter().find(|c| c.contains(',')) {
                return Err(XlsxError::CommaInChoice {
                    sheet: self.name.clone(),
                    cell: cell(),
                    choice: choice.clone(),
                });
            }
            let chars = choices.iter().map(|c| c.chars().count()).sum::<usize>()
                + choices.len().saturating_sub(1);
            if chars > LIST_CHARS {
                return Err(XlsxError::ListTooLong {
                    sheet: self.name.clone(),
                    cell: cell(),
                    chars,
                });
            }
        }
        self.validations.push(Validation {
            row,
            col,
            rule,
            title: title.to_string(),
            message: message.to_string(),
        });
        Ok(())
    }

    /// Keep the first `rows` rows and `cols` columns in view when scrolling.
    pub fn freeze(&mut self, rows: u32, cols: u16) {
        self.freeze = Some((rows, cols));
    }

    /// Print the rows from `first` to `last` at the top of every page.
    pub fn repeat_rows(&mut self, first: u32, last: u32) {
        self.repeat_rows = Some((first, last));
    }

    /// Protect the sheet (without a password): only unlocked cells can be changed.
    pub fn protect(&mut self) {
        self.protected = true;
    }

    /// The rows and columns in use, counted from A1.
    fn extent(&self) -> (u32, u16) {
        let rows = self
            .rows
            .iter()
            .rev()
            .find(|(_, r)| !r.cells.is_empty())
            .map_or(0, |(&r, _)| r + 1);
        let cols = self
            .rows
            .values()
            .filter_map(|r| r.cells.keys().next_back())
            .max()
            .map_or(0, |&c| c + 1);
        (rows, cols)
    }

    /// The name as a formula gives it: in quotes, a quote in it doubled.
    fn push_quoted_name(&self, out: &mut String) {
        out.push('\'');
        escape_into(out, &self.name.replace('\'', "''"), Breaks::Space);
        out.push('\'');
    }

    fn xml(&self, active: bool, strings: &mut SharedStrings) -> String {
        let mut out = String::with_capacity(4096 + 256 * self.rows.len());
        let (rows, cols) = self.extent();
        let _ = write!(
            out,
            "{DECLARATION}<worksheet xmlns=\"{MAIN}\" xmlns:r=\"{RELATIONSHIPS}\"><sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr><dimension ref=\"A1"
        );
        if rows > 1 || cols > 1 {
            out.push(':');
            push_cell_name(&mut out, rows.max(1) - 1, cols.max(1) - 1);
        }
        out.push_str("\"/><sheetViews><sheetView");
        if active {
            out.push_str(" tabSelected=\"1\"");
        }
        out.push_str(" workbookViewId=\"0\"");
        match self.freeze {
            Some((rows, cols)) if rows > 0 || cols > 0 => {
                out.push('>');
                self.push_pane(&mut out, rows, cols);
                out.push_str("</sheetView>");
            }
            _ => out.push_str("/>"),
        }
        let _ = write!(
            out,
            "</sheetViews><sheetFormatPr defaultRowHeight=\"{DEFAULT_ROW_PT}\"/>"
        );
        if !self.widths.is_empty() {
            out.push_str("<cols>");
            for (i, width) in self.widths.iter().enumerate() {
                let _ = write!(
                    out,
                    "<col min=\"{n}\" max=\"{n}\" width=\"{}\" customWidth=\"1\"/>",
                    width + COLUMN_PADDING_PX / DIGIT_PX,
                    n = i + 1
                );
            }
            out.push_str("</cols>");
        }
        out.push_str("<sheetData>");
        for (&r, row) in &self.rows {
            let _ = write!(out, "<row r=\"{}\"", r + 1);
            if let Some(height) = row.height {
                let _ = write!(out, " ht=\"{height}\" customHeight=\"1\"");
            }
            out.push('>');
            for (&c, cell) in &row.cells {
                out.push_str("<c r=\"");
                push_cell_name(&mut out, r, c);
                out.push('"');
                if cell.style != Style::Plain {
                    let _ = write!(out, " s=\"{}\"", cell.style.index());
                }
                match &cell.value {
                    Value::Blank => out.push_str("/>"),
                    Value::Text(text) => {
                        let _ = write!(out, " t=\"s\"><v>{}</v></c>", strings.index(text));
                    }
                    Value::Number(n) => {
                        let _ = write!(out, "><v>{n}</v></c>");
                    }
                }
            }
            out.push_str("</row>");
        }
        out.push_str("</sheetData>");
        if self.protected {
            out.push_str("<sheetProtection sheet=\"1\" objects=\"1\" scenarios=\"1\"/>");
        }
        if !self.merges.is_empty() {
            let _ = write!(out, "<mergeCells count=\"{}\">", self.merges.len());
            for &(row, first, last) in &self.merges {
                out.push_str("<mergeCell ref=\"");
                push_cell_name(&mut out, row, first);
                out.push(':');
                push_cell_name(&mut out, row, last);
                out.push_str("\"/>");
            }
            out.push_str("</mergeCells>");
        }
        if !self.validations.is_empty() {
            let _ = write!(
                out,
                "<dataValidations count=\"{}\">",
                self.validations.len()
            );
            for v in &self.validations {
                v.push_xml(&mut out);
            }
            out.push_str("</dataValidations>");
        }
        let _ = write!(
            out,
            "<pageMargins left=\"{MARGIN_SIDE}\" right=\"{MARGIN_SIDE}\" top=\"{MARGIN_TOP}\" bottom=\"{MARGIN_TOP}\" header=\"{MARGIN_HEADER}\" footer=\"{MARGIN_HEADER}\"/><pageSetup paperSize=\"{A4}\" fitToHeight=\"0\" orientation=\"landscape\"/></worksheet>"
        );
        out
    }

    /// The frozen pane below `rows` and right of `cols`, and a selection in each part.
    fn push_pane(&self, out: &mut String, rows: u32, cols: u16) {
        let pane = match (rows > 0, cols > 0) {
            (true, true) => "bottomRight",
            (true, false) => "bottomLeft",
            _ => "topRight",
        };
        out.push_str("<pane");
        if cols > 0 {
            let _ = write!(out, " xSplit=\"{cols}\"");
        }
        if rows > 0 {
            let _ = write!(out, " ySplit=\"{rows}\"");
        }
        out.push_str(" topLeftCell=\"");
        push_cell_name(out, rows, cols);
        let _ = write!(out, "\" activePane=\"{pane}\" state=\"frozen\"/>");
        let parts: &[&str] = match pane {
            "bottomRight" => &["topRight", "bottomLeft", "bottomRight"],
            other => &[other][..],
        };
        for part in parts {
            let _ = write!(out, "<selection pane=\"{part}\"/>");
        }
    }
}

impl Validation {
    fn push_xml(&self, out: &mut String) {
        let (kind, operator) = match self.rule {
            Rule::List(_) => ("list", None),
            Rule::AtLeast(_) => ("decimal", Some("greaterThanOrEqual")),
            Rule::DatesBetween(..) => ("date", None),
        };
        let _ = write!(out, "<dataValidation type=\"{kind}\"");
        if let Some(operator) = operator {
            let _ = write!(out, " operator=\"{operator}\"");
        }
        out.push_str(
            " allowBlank=\"1\" showInputMessage=\"1\" showErrorMessage=\"1\" errorTitle=\"",
        );
        escape_into(out, &self.title, Breaks::Space);
        out.push_str("\" error=\"");
        escape_into(out, &self.message, Breaks::Space);
        out.push_str("\" sqref=\"");
        push_cell_name(out, self.row, self.col);
        out.push_str("\"><formula1>");
        match &self.rule {
            Rule::List(choices) => {
                let list = choices.join(",").replace('"', "\"\"");
                out.push('"');
                escape_into(out, &list, Breaks::Space);
                out.push('"');
            }
            Rule::AtLeast(n) => {
                let _ = write!(out, "{n}");
            }
            Rule::DatesBetween(from, to) => {
                let _ = write!(out, "{}</formula1><formula2>{}", serial(*from), serial(*to));
            }
        }
        let close = match self.rule {
            Rule::DatesBetween(..) => "</formula2>",
            _ => "</formula1>",
        };
        let _ = write!(out, "{close}</dataValidation>");
    }
}

/// A date as Excel's serial number.
fn serial(date: NaiveDate) -> i64 {
    (date - EPOCH).num_days()
}

/// The workbook's strings, each once, numbered in the order they are first written.
#[derive(Default)]
struct SharedStrings {
    index: HashMap<String, usize, BuildHasherDefault<Fast>>,
    order: Vec<String>,
    count: usize,
}

impl SharedStrings {
    fn index(&mut self, text: &str) -> usize {
        self.count += 1;
        if let Some(&i) = self.index.get(text) {
            return i;
        }
        let i = self.order.len();
        self.index.insert(text.to_string(), i);
        self.order.push(text.to_string());
        i
    }

    fn xml(&self) -> String {
        let size: usize = self.order.iter().map(|s| s.len() + 32).sum();
        let mut out = String::with_capacity(size + 256);
        let _ = write!(
            out,
            "{DECLARATION}<sst xmlns=\"{MAIN}\" count=\"{}\" uniqueCount=\"{}\">",
            self.count,
            self.order.len()
        );
        let mut escaped = String::new();
        for text in &self.order {
            escaped.clear();
            push_cell_text(&mut escaped, text);
            // Spaces and breaks at either end (of what is written) are the text's own.
            if escaped.starts_with(char::is_whitespace) || escaped.ends_with(char::is_whitespace) {
                out.push_str("<si><t xml:space=\"preserve\">");
            } else {
                out.push_str("<si><t>");
            }
            out.push_str(&escaped);
            out.push_str("</t></si>");
        }
        out.push_str("</sst>");
        out
    }
}

/// A cell's text: escaped, with its breaks, and with `_` escaped where Excel would read
/// what follows as a character code (`_x0041_` would show as `A`).
fn push_cell_text(out: &mut String, text: &str) {
    let mut from = 0;
    for (at, _) in text.match_indices("_x") {
        let code = text.as_bytes().get(at + 2..at + 7);
        let is_code =
            code.is_some_and(|c| c[..4].iter().all(u8::is_ascii_hexdigit) && c[4] == b'_');
        if is_code {
            escape_into(out, &text[from..at], Breaks::Keep);
            out.push_str("_x005F_");
            from = at + 1;
        }
    }
    escape_into(out, &text[from..], Breaks::Keep);
}

#[cfg(test)]
mod tests;
