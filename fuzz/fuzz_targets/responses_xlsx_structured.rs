//! Structure-aware fuzzing of the workbook reader: `arbitrary` builds a questions sheet
//! (cells anywhere, shared and inline strings, numbers, dates as serials and ISO text,
//! formulas, odd references) and a shared-strings table, and the target zips them into a
//! real .xlsx. Random bytes almost never make a valid zip; this reaches the cell reader.
#![no_main]

use std::io::Write;

use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Workbook {
    english: bool,
    sheet_name: Option<String>,
    procurement: Text,
    headers_intact: bool,
    strings: Vec<Text>,
    rows: Vec<Row>,
    questions: u8,
    raw_tail: Option<String>,
}

#[derive(Arbitrary, Debug)]
struct Row {
    row: Place,
    cells: Vec<CellSpec>,
}

#[derive(Arbitrary, Debug)]
enum Place {
    Near(u8),
    Far(u32),
    Missing,
}

#[derive(Arbitrary, Debug)]
struct CellSpec {
    col: Place,
    date_style: bool,
    formula: Option<Text>,
    value: Value,
}

#[derive(Arbitrary, Debug)]
enum Value {
    Shared(u16),
    Inline(Text),
    Str(Text),
    Number(f64),
    NumberText(String),
    Bool(u8),
    IsoDate(Text),
    Error(Text),
    Empty,
}

/// Text, sometimes escaped for XML and sometimes not (malformed XML is input too).
#[derive(Arbitrary, Debug)]
struct Text {
    text: String,
    raw: bool,
}

impl Text {
    fn xml(&self) -> String {
        if self.raw {
            self.text.clone()
        } else {
            escape(&self.text)
        }
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn column(mut n: u32) -> String {
    let mut s = Vec::new();
    n += 1;
    while n > 0 {
        s.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

fn place(p: &Place, near_limit: u32) -> Option<u32> {
    match p {
        Place::Near(n) => Some(u32::from(*n) % near_limit),
        Place::Far(n) => Some(*n % 1_048_576),
        Place::Missing => None,
    }
}

const JA: [&str; 7] = ["ID", "要求事項", "質問", "回答", "求める根拠資料", "提出する根拠資料", "備考"];
const EN: [&str; 7] = [
    "ID",
    "Requirement",
    "Question",
    "Answer",
    "Evidence requested",
    "Evidence provided",
    "Comment",
];

fn cell_xml(reference: &str, c: &CellSpec, strings: usize) -> String {
    let style = if c.date_style { " s=\"1\"" } else { "" };
    let formula = c
        .formula
        .as_ref()
        .map(|f| format!("<f>{}</f>", f.xml()))
        .unwrap_or_default();
    match &c.value {
        Value::Shared(i) => {
            let i = if strings == 0 { *i as usize } else { *i as usize % (strings + 2) };
            format!("<c{reference}{style} t=\"s\">{formula}<v>{i}</v></c>")
        }
        Value::Inline(t) => {
            format!("<c{reference}{style} t=\"inlineStr\">{formula}<is><t>{}</t></is></c>", t.xml())
        }
        Value::Str(t) => format!("<c{reference}{style} t=\"str\">{formula}<v>{}</v></c>", t.xml()),
        Value::Number(n) => format!("<c{reference}{style}>{formula}<v>{n}</v></c>"),
        Value::NumberText(s) => format!("<c{reference}{style}>{formula}<v>{}</v></c>", escape(s)),
        Value::Bool(b) => format!("<c{reference}{style} t=\"b\">{formula}<v>{b}</v></c>"),
        Value::IsoDate(t) => format!("<c{reference}{style} t=\"d\">{formula}<v>{}</v></c>", t.xml()),
        Value::Error(t) => format!("<c{reference}{style} t=\"e\">{formula}<v>{}</v></c>", t.xml()),
        Value::Empty => format!("<c{reference}{style}/>"),
    }
}

fn build(wb: &Workbook) -> Vec<u8> {
    let headers = if wb.english { EN } else { JA };
    let sheet = wb
        .sheet_name
        .clone()
        .unwrap_or_else(|| if wb.english { "Questions" } else { "質問" }.to_string());
    let label = if wb.english { "Procurement ID" } else { "調達番号" };
    let mut data = format!(
        "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>{label}</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>{}</t></is></c></row>",
        wb.procurement.xml()
    );
    if wb.headers_intact {
        data.push_str("<row r=\"2\">");
        for (i, h) in headers.iter().enumerate() {
            data.push_str(&format!(
                "<c r=\"{}2\" t=\"inlineStr\"><is><t>{h}</t></is></c>",
                column(i as u32)
            ));
        }
        data.push_str("</row>");
    }
    for row in wb.rows.iter().take(64) {
        let r = place(&row.row, 96).map(|r| r + 3);
        match r {
            Some(r) => data.push_str(&format!("<row r=\"{r}\">")),
            None => data.push_str("<row>"),
        }
        for c in row.cells.iter().take(16) {
            let reference = match (place(&c.col, 10), r) {
                (Some(col), Some(r)) => format!(" r=\"{}{r}\"", column(col % 16_384)),
                _ => String::new(),
            };
            data.push_str(&cell_xml(&reference, c, wb.strings.len()));
        }
        data.push_str("</row>");
    }
    if let Some(tail) = &wb.raw_tail {
        data.push_str(tail);
    }
    let sheet_xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>{data}</sheetData></worksheet>"
    );
    let sst: String = wb
        .strings
        .iter()
        .map(|s| format!("<si><t>{}</t></si>", s.xml()))
        .collect();
    let shared = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"{0}\" uniqueCount=\"{0}\">{sst}</sst>",
        wb.strings.len()
    );
    let parts: [(&str, String); 7] = [
        (
            "[Content_Types].xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/><Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/><Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/></Types>".into(),
        ),
        (
            "_rels/.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>".into(),
        ),
        (
            "xl/workbook.xml",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"{}\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
                escape(&sheet)
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/><Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>".into(),
        ),
        (
            "xl/styles.xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"yyyy-mm-dd\"/></numFmts><cellXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"164\" applyNumberFormat=\"1\"/></cellXfs></styleSheet>".into(),
        ),
        ("xl/sharedStrings.xml", shared),
        ("xl/worksheets/sheet1.xml", sheet_xml),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in parts {
        if zip.start_file(name, options).is_err() || zip.write_all(text.as_bytes()).is_err() {
            return Vec::new();
        }
    }
    zip.finish().map(|c| c.into_inner()).unwrap_or_default()
}

fuzz_target!(|wb: Workbook| {
    let bytes = build(&wb);
    let budget = chotatsu::responses::WorkbookBudget {
        questions: usize::from(wb.questions),
    };
    if let Ok(responses) = chotatsu::responses::read_bytes("fuzz.xlsx", "xlsx", bytes, &budget) {
        // Nothing is read from outside the questionnaire's rows and columns.
        for entry in &responses.entries {
            assert!(entry.at.line <= budget.questions as u64 + 2, "{:?}", entry.at);
        }
    }
});
