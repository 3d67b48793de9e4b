//! The questionnaire as an Excel workbook: a cover sheet and a questions sheet whose answer
//! cells are the only ones a vendor can edit (sheet protection without a password), with
//! dropdowns for enumerated answers. The creation date is the profile's issue date, so the
//! same inputs give the same bytes.

use chrono::Datelike;
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationRule, DocProperties, ExcelDateTime, Format, FormatAlign,
    FormatBorder, Workbook, Worksheet, XlsxError,
};

use super::{COL_ANSWER, COL_COMMENT, COL_EVIDENCE, COLUMNS, Questionnaire, neutralise, pick};
use crate::error::Error;
use crate::lang::{Lang, format_date};
use crate::library::question::AnswerType;
use crate::render::Templates;
use crate::tier::tier_name;

/// Widths of the [`COLUMNS`], in characters.
const WIDTHS: [f64; 7] = [16.0, 26.0, 62.0, 16.0, 30.0, 30.0, 34.0];
/// A4 in Excel's paper codes.
const A4: u8 = 9;
/// The row of the column headers on the questions sheet (0-based); row 0 holds the
/// procurement ID.
pub const HEADER_ROW: u32 = 1;

pub fn write(qn: &Questionnaire<'_>, lang: Lang, templates: &Templates) -> Result<Vec<u8>, Error> {
    build(qn, lang, templates).map_err(|e| Error::Workbook {
        name: format!("questionnaire.{lang}.xlsx"),
        message: e.to_string(),
    })
}

/// The creation date every workbook of this procurement carries.
pub fn pinned_date(date: chrono::NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    let year = u16::try_from(date.year()).unwrap_or(1900);
    // Months and days always fit in a u8.
    ExcelDateTime::from_ymd(year, date.month() as u8, date.day() as u8)
}

/// Formats shared by the questionnaire and the evaluation workbooks.
pub struct Formats {
    pub title: Format,
    pub label: Format,
    pub header: Format,
    pub locked: Format,
    pub unlocked: Format,
    pub unlocked_date: Format,
    pub text: Format,
}

impl Formats {
    pub fn new() -> Formats {
        let cell = Format::new()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_border(FormatBorder::Thin);
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            label: Format::new().set_bold().set_align(FormatAlign::Top),
            header: cell
                .clone()
                .set_bold()
                .set_background_color(Color::RGB(0xD9E1F2)),
            locked: cell.clone(),
            unlocked: cell
                .clone()
                .set_unlocked()
                .set_background_color(Color::RGB(0xFFF2CC)),
            unlocked_date: cell
                .clone()
                .set_unlocked()
                .set_background_color(Color::RGB(0xFFF2CC))
                .set_num_format("yyyy-mm-dd"),
            text: Format::new().set_text_wrap().set_align(FormatAlign::Top),
        }
    }
}

impl Default for Formats {
    fn default() -> Self {
        Formats::new()
    }
}

/// The height (points) a row needs so that its wrapped cells show whole. Excel and
/// LibreOffice do not fit row heights to wrapped text when they open a file, so a generated
/// sheet sets them: lines per cell from its text's display width (East Asian wide characters
/// count two) over the column width, 15 points a line at the default 11-point font.
pub fn fitted_row_height<S: AsRef<str>>(cells: &[S], widths: &[f64]) -> f64 {
    let lines = cells
        .iter()
        .zip(widths)
        .map(|(text, width)| {
            let usable = (width - 1.0).max(1.0);
            text.as_ref()
                .split('\n')
                .map(|line| {
                    let w: f64 = line
                        .chars()
                        .map(|c| if is_wide(c) { 2.0 } else { 1.0 })
                        .sum();
                    (w / usable).ceil().max(1.0)
                })
                .sum::<f64>()
        })
        .fold(1.0, f64::max);
    lines * 15.0
}

/// Characters that take two columns in a fixed-pitch rendering (CJK, kana, full-width forms).
fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// Write a string cell, neutralised.
pub fn put(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    if text.is_empty() {
        ws.write_blank(row, col, format)?;
    } else {
        ws.write_string_with_format(row, col, neutralise(text).as_ref(), format)?;
    }
    Ok(())
}

fn build(qn: &Questionnaire<'_>, lang: Lang, t: &Templates) -> Result<Vec<u8>, XlsxError> {
    let sel = qn.selection;
    let p = &sel.profile.procurement;
    let f = Formats::new();
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("{} {}", t.label("q_title", lang), p.id))
            .set_author("chotatsu")
            .set_creation_datetime(&pinned_date(p.issued)?),
    );

    // Cover sheet.
    let cover = wb.add_worksheet();
    cover.set_name(pick(super::COVER_SHEET, lang))?;
    cover.set_column_width(0, 22)?;
    cover.set_column_width(1, 90)?;
    put(cover, 0, 0, t.label("q_title", lang), &f.title)?;
    cover.merge_range(
        1,
        0,
        1,
        1,
        &neutralise(&super::intro(sel.library, t, lang)),
        &f.text,
    )?;
    cover.set_row_height(1, 64)?;
    let facts = [
        (
            pick(super::PROCUREMENT_LABEL, lang).to_string(),
            p.id.clone(),
        ),
        (t.label("procurement_title", lang).into(), p.title.clone()),
        (t.label("buyer", lang).into(), p.buyer.with_department()),
        (
            t.label("q_tier", lang).into(),
            tier_name(sel.library, sel.decision.tier, lang),
        ),
        (t.label("issued", lang).into(), format_date(p.issued, lang)),
        (
            t.label("q_questions", lang).into(),
            qn.questions.len().to_string(),
        ),
    ];
    let mut row = 3;
    for (label, value) in &facts {
        put(cover, row, 0, label, &f.label)?;
        put(cover, row, 1, value, &f.locked)?;
        row += 1;
    }
    for key in ["q_deadline", "q_proposer"] {
        put(cover, row, 0, t.label(key, lang), &f.label)?;
        put(cover, row, 1, "", &f.unlocked)?;
        row += 1;
    }
    row += 1;
    put(cover, row, 0, t.label("q_instructions", lang), &f.label)?;
    for (i, key) in (1..=5).map(|i| (i, format!("q_instruction_{i}"))) {
        put(
            cover,
            row,
            1,
            &format!("{i}. {}", t.label(&key, lang)),
            &f.text,
        )?;
        row += 1;
    }
    row += 1;
    put(cover, row, 0, t.label("q_legend", lang), &f.label)?;
    for key in super::LEGEND_KEYS {
        put(cover, row, 1, t.label(key, lang), &f.text)?;
        row += 1;
    }
    cover.set_landscape();
    cover.set_paper_size(A4);
    cover.set_print_fit_to_pages(1, 0);
    cover.protect();

    // Questions sheet.
    let ws = wb.add_worksheet();
    ws.set_name(pick(super::QUESTIONS_SHEET, lang))?;
    for (col, width) in WIDTHS.iter().enumerate() {
        ws.set_column_width(col as u16, *width)?;
    }
    put(ws, 0, 0, pick(super::PROCUREMENT_LABEL, lang), &f.label)?;
    put(ws, 0, 1, &p.id, &f.label)?;
    put(ws, 0, 2, &p.title, &f.label)?;
    for (col, header) in COLUMNS.iter().enumerate() {
        put(ws, HEADER_ROW, col as u16, pick(*header, lang), &f.header)?;
    }
    let invalid_title = t.label("q_invalid_title", lang);
    for (i, r) in qn.rows(lang).iter().enumerate() {
        let row = HEADER_ROW + 1 + i as u32;
        let q = &r.asked.question;
        let cells = [r.id, &r.requirement, &r.question, "", &r.evidence, "", ""];
        for (col, text) in cells.iter().enumerate() {
            let editable = [COL_ANSWER, COL_EVIDENCE, COL_COMMENT].contains(&col);
            let format = match (editable, col == COL_ANSWER && q.kind == AnswerType::Date) {
                (true, true) => &f.unlocked_date,
                (true, false) => &f.unlocked,
                (false, _) => &f.locked,
            };
            put(ws, row, col as u16, text, format)?;
        }
        ws.set_row_height(row, fitted_row_height(&cells, &WIDTHS))?;
        let validation = match q.kind {
            AnswerType::YesNo | AnswerType::Choice => Some(
                DataValidation::new()
                    .allow_list_strings(&q.labels(lang))?
                    .set_error_message(t.label("q_invalid_list", lang))?,
            ),
            AnswerType::Number => Some(
                DataValidation::new()
                    .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
                    .set_error_message(t.label("q_invalid_number", lang))?,
            ),
            AnswerType::Date => Some(
                DataValidation::new()
                    .allow_date(DataValidationRule::Between(
                        ExcelDateTime::from_ymd(1990, 1, 1)?,
                        ExcelDateTime::from_ymd(2199, 12, 31)?,
                    ))
                    .set_error_message(t.label("q_invalid_date", lang))?,
            ),
            AnswerType::Text => None,
        };
        if let Some(v) = validation {
            let v = v.set_error_title(invalid_title)?;
            ws.add_data_validation(row, COL_ANSWER as u16, row, COL_ANSWER as u16, &v)?;
        }
    }
    ws.set_freeze_panes(HEADER_ROW + 1, 0)?;
    ws.set_landscape();
    ws.set_paper_size(A4);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, HEADER_ROW)?;
    ws.protect();
    ws.set_active(true);

    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::fitted_row_height;

    #[test]
    fn row_heights_fit_wrapped_text() {
        let widths = [10.0, 21.0];
        assert_eq!(fitted_row_height(&["ID", "short"], &widths), 15.0);
        // 25 kanji are 50 columns: three lines in a 20-column cell.
        assert_eq!(fitted_row_height(&["ID", &"漢".repeat(25)], &widths), 45.0);
        assert_eq!(fitted_row_height(&["a\nb\nc", ""], &widths), 45.0);
    }
}
