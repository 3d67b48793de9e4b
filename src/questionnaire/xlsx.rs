//! The questionnaire as an Excel workbook: a cover sheet and a questions sheet whose answer
//! cells are the only ones a vendor can edit (sheet protection without a password), with
//! dropdowns for enumerated answers. The creation date is the profile's issue date, so the
//! same inputs give the same bytes.

use chrono::Datelike;
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationRule, DocProperties, ExcelDateTime, Format, FormatAlign,
    FormatBorder, Workbook, Worksheet, XlsxError,
};

use super::{
    COL_ANSWER, COL_COMMENT, COL_EVIDENCE, COLUMNS, Questionnaire, Words, neutralise, pick,
};
use crate::error::Error;
use crate::lang::{Lang, format_date};
use crate::layout;
use crate::library::question::AnswerType;
use crate::render::Templates;
use crate::tier::tier_name;

/// Widths of the [`COLUMNS`], in characters (of the default font's digit width). Their
/// sum keeps the text at 9 pt or more when the sheet is printed fit to the page's width
/// (checked by a test through [`printed_font_size`]).
const WIDTHS: [f64; 7] = [17.0, 13.0, 38.0, 9.0, 17.0, 15.0, 15.0];
/// Widths of the cover sheet's two columns (label, value), in characters.
const COVER_WIDTHS: [f64; 2] = [22.0, 100.0];
/// A4 in Excel's paper codes.
const A4: u8 = 9;
/// The font of every cell: Yu Gothic, with the Japanese character set (128) and the
/// "modern" family Excel writes for its Japanese Gothic fonts, so that where Yu Gothic is
/// missing Excel substitutes MS PGothic and LibreOffice its Japanese Gothic, never Calibri.
pub const FONT: &str = "Yu Gothic";
const FONT_CHARSET: u8 = 128;
const FONT_FAMILY: u8 = 3;
/// Font size (points), and Yu Gothic 11's default row height and column width in pixels as
/// Excel for Windows has them (游ゴシック 11: 18.75 pt rows, 72-pixel columns).
const FONT_SIZE: f64 = 11.0;
const DEFAULT_ROW_PX: u32 = 25;
const DEFAULT_COLUMN_PX: u32 = 72;
/// Pixels per character of column width at that default (the font's digit width) and the
/// padding Excel adds to every column.
const DIGIT_PX: f64 = 8.0;
/// Where Yu Gothic is missing, LibreOffice measures columns with its substitute's wider
/// digits (about 10 px at 11 pt), so the same sheet is wider and prints smaller: the
/// printed size is reckoned with these.
const SUBSTITUTE_DIGIT_PX: f64 = 10.0;
const COLUMN_PADDING_PX: f64 = 5.0;
/// The height of one line of wrapped text in points: Yu Gothic's line (its Windows ascent
/// and descent) is 1.42 em, Noto Sans CJK's (LibreOffice's usual fallback) 1.45 em; and
/// what a row adds above and below its lines.
const LINE_PT: f64 = 16.0;
const ROW_PADDING_PT: f64 = 3.0;
/// Page margins (inches): left and right, top and bottom.
const MARGIN_SIDE: f64 = 0.4;
const MARGIN_TOP: f64 = 0.6;
/// The width of landscape A4 in pixels (96 per inch).
const A4_LANDSCAPE_PX: f64 = 297.0 / 25.4 * 96.0;

/// A new workbook whose default cell format is [`FONT`] at [`FONT_SIZE`].
pub fn workbook() -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    wb.set_zip_compression_level(crate::office::ZIP_LEVEL);
    wb.set_default_format(&font(Format::new()), DEFAULT_ROW_PX, DEFAULT_COLUMN_PX)?;
    Ok(wb)
}

fn font(format: Format) -> Format {
    format
        .set_font_name(FONT)
        .set_font_size(FONT_SIZE)
        .set_font_charset(FONT_CHARSET)
        .set_font_family(FONT_FAMILY)
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

/// Print setup shared by every sheet: landscape A4, narrow margins, one page wide, and the
/// print area the sheet's `rows` × `columns`.
pub fn print_setup(ws: &mut Worksheet, rows: u32, columns: u16) -> Result<(), XlsxError> {
    ws.set_landscape();
    ws.set_paper_size(A4);
    ws.set_margins(MARGIN_SIDE, MARGIN_SIDE, MARGIN_TOP, MARGIN_TOP, 0.3, 0.3);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_area(0, 0, rows.saturating_sub(1), columns.saturating_sub(1))?;
    Ok(())
}
/// The row of the column headers on the questions sheet (0-based); row 0 holds the
/// procurement ID.
pub const HEADER_ROW: u32 = 1;

pub fn write(qn: &Questionnaire<'_>, lang: Lang, templates: &Templates) -> Result<Vec<u8>, Error> {
    let words = Words::resolve(templates, lang)?;
    build(qn, lang, &words).map_err(|e| Error::Workbook {
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
        let cell = font(Format::new())
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_border(FormatBorder::Thin);
        Formats {
            title: font(Format::new()).set_bold().set_font_size(14),
            label: font(Format::new())
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top),
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
            text: font(Format::new())
                .set_text_wrap()
                .set_align(FormatAlign::Top),
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

fn build(qn: &Questionnaire<'_>, lang: Lang, words: &Words<'_>) -> Result<Vec<u8>, XlsxError> {
    let l = &words.l;
    let sel = qn.selection;
    let p = &sel.profile.procurement;
    let f = Formats::new();
    let mut wb = workbook()?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("{} {}", l.q_title, p.id))
            .set_author("chotatsu")
            .set_creation_datetime(&pinned_date(p.issued)?),
    );

    // Cover sheet.
    let cover = wb.add_worksheet();
    cover.set_name(pick(super::COVER_SHEET, lang))?;
    let cover_widths = COVER_WIDTHS;
    cover.set_column_width(0, cover_widths[0])?;
    cover.set_column_width(1, cover_widths[1])?;
    put(cover, 0, 0, l.q_title, &f.title)?;
    cover.set_row_height(0, 24)?;
    let intro_text = super::intro(sel.library, l, lang);
    let intro = neutralise(&intro_text);
    cover.merge_range(1, 0, 1, 1, &intro, &f.text)?;
    cover.set_row_height(
        1,
        fitted_row_height(&[intro.as_ref()], &[cover_widths[0] + cover_widths[1]]),
    )?;
    let facts = [
        (
            pick(super::PROCUREMENT_LABEL, lang).to_string(),
            p.id.clone(),
        ),
        (l.procurement_title.into(), p.title.clone()),
        (l.buyer.into(), p.buyer.with_department()),
        (
            l.q_tier.into(),
            tier_name(sel.library, sel.decision.tier, lang),
        ),
        (l.issued.into(), format_date(p.issued, lang)),
        (l.q_questions.into(), qn.questions.len().to_string()),
    ];
    // Every row of the cover is as high as its text needs.
    let mut row = 3;
    let cover_row = |cover: &mut Worksheet,
                     row: &mut u32,
                     label: &str,
                     value: &str,
                     format: &Format|
     -> Result<(), XlsxError> {
        put(cover, *row, 0, label, &f.label)?;
        put(cover, *row, 1, value, format)?;
        cover.set_row_height(*row, fitted_row_height(&[label, value], &cover_widths))?;
        *row += 1;
        Ok(())
    };
    for (label, value) in &facts {
        cover_row(cover, &mut row, label, value, &f.locked)?;
    }
    for label in [l.q_deadline, l.q_proposer] {
        cover_row(cover, &mut row, label, "", &f.unlocked)?;
    }
    row += 1;
    for (i, instruction) in words.instructions.iter().enumerate() {
        let label = if i == 0 { l.q_instructions } else { "" };
        let text = format!("{}. {instruction}", i + 1);
        cover_row(cover, &mut row, label, &text, &f.text)?;
    }
    row += 1;
    for (i, legend) in words.legend.iter().enumerate() {
        let label = if i == 0 { l.q_legend } else { "" };
        cover_row(cover, &mut row, label, legend, &f.text)?;
    }
    print_setup(cover, row, 2)?;
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
    let headers: Vec<&str> = COLUMNS.iter().map(|h| pick(*h, lang)).collect();
    for (col, header) in headers.iter().enumerate() {
        put(ws, HEADER_ROW, col as u16, header, &f.header)?;
    }
    ws.set_row_height(HEADER_ROW, fitted_row_height(&headers, &WIDTHS))?;
    let invalid_title = l.q_invalid_title;
    let rows = qn.rows(lang, &words.hints);
    for (i, r) in rows.iter().enumerate() {
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
                    .allow_list_strings(&q.labels(lang, &words.hints.answers))?
                    .set_error_message(l.q_invalid_list)?,
            ),
            AnswerType::Number => Some(
                DataValidation::new()
                    .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
                    .set_error_message(l.q_invalid_number)?,
            ),
            AnswerType::Date => Some(
                DataValidation::new()
                    .allow_date(DataValidationRule::Between(
                        ExcelDateTime::from_ymd(1990, 1, 1)?,
                        ExcelDateTime::from_ymd(2199, 12, 31)?,
                    ))
                    .set_error_message(l.q_invalid_date)?,
            ),
            AnswerType::Text => None,
        };
        if let Some(v) = validation {
            let v = v.set_error_title(invalid_title)?;
            ws.add_data_validation(row, COL_ANSWER as u16, row, COL_ANSWER as u16, &v)?;
        }
    }
    ws.set_freeze_panes(HEADER_ROW + 1, 0)?;
    print_setup(ws, HEADER_ROW + 1 + rows.len() as u32, COLUMNS.len() as u16)?;
    ws.set_repeat_rows(0, HEADER_ROW)?;
    ws.protect();
    ws.set_active(true);

    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_heights_fit_wrapped_text() {
        let widths = [10.0, 21.0];
        let one = fitted_row_height(&["ID", "short"], &widths);
        assert_eq!(one, (LINE_PT + ROW_PADDING_PT).ceil());
        // 21 characters are 173 px; less padding about 11 full-width characters a line.
        let kanji = fitted_row_height(&["ID", &"漢".repeat(25)], &widths);
        assert_eq!(kanji, (3.0 * LINE_PT + ROW_PADDING_PT).ceil());
        assert_eq!(
            fitted_row_height(&["a\nb\nc", ""], &widths),
            (3.0 * LINE_PT + ROW_PADDING_PT).ceil()
        );
        // An ID never breaks: a column too narrow for it gives it a line of its own.
        assert_eq!(fitted_row_height(&["ACCEPT-SUPPLY-01"], &[8.0]), one);
    }

    #[test]
    fn sheets_print_at_nine_points_or_more() {
        for widths in [&WIDTHS[..], &COVER_WIDTHS[..]] {
            let size = printed_font_size(widths);
            assert!(size >= 9.0, "{widths:?} print at {size:.2} pt");
        }
        // Too wide a sheet would not.
        assert!(printed_font_size(&[60.0; 4]) < 9.0);
    }
}
