//! The questionnaire as an Excel workbook: a cover sheet and a questions sheet whose answer
//! cells are the only ones a vendor can edit (sheet protection without a password), with
//! dropdowns for enumerated answers. The creation date is the profile's issue date, so the
//! same inputs give the same bytes.

use super::{
    COL_ANSWER, COL_COMMENT, COL_EVIDENCE, COLUMNS, Questionnaire, Words, neutralise, pick,
};
use crate::error::Error;
use crate::lang::{Lang, format_date};
use crate::library::question::AnswerType;
use crate::office::xlsx::{Rule, Sheet, Style, Workbook, XlsxError, fitted_row_height};
use crate::render::Templates;
use crate::tier::tier_name;

/// Widths of the [`COLUMNS`], in characters (of the default font's digit width). Their
/// sum keeps the text at 9 pt or more when the sheet is printed fit to the page's width
/// (checked by a test through [`printed_font_size`](crate::office::xlsx::printed_font_size)),
/// and the requirement column holds the longest English word of a requirement's name
/// ("countermeasures") on one line in LibreOffice's substitute font.
const WIDTHS: [f64; 7] = [17.0, 15.0, 36.0, 9.0, 17.0, 15.0, 15.0];
/// Widths of the cover sheet's two columns (label, value), in characters.
const COVER_WIDTHS: [f64; 2] = [22.0, 100.0];
/// The height (points) of the cover's title row.
const TITLE_ROW_PT: f64 = 24.0;
/// The dates an answer cell admits.
const FIRST_DATE: (i32, u32, u32) = (1990, 1, 1);
const LAST_DATE: (i32, u32, u32) = (2199, 12, 31);

/// The row of the column headers on the questions sheet (0-based); row 0 holds the
/// procurement ID.
pub const HEADER_ROW: u32 = 1;

pub fn write(qn: &Questionnaire<'_>, lang: Lang, templates: &Templates) -> Result<Vec<u8>, Error> {
    let words = Words::resolve(templates, lang)?;
    let workbook = build(qn, lang, &words).map_err(|e| Error::Workbook {
        name: format!("questionnaire.{lang}.xlsx"),
        message: e.to_string(),
    })?;
    Ok(workbook.to_bytes())
}

/// Write a string cell, neutralised.
pub fn put(ws: &mut Sheet, row: u32, col: u16, text: &str, style: Style) -> Result<(), XlsxError> {
    ws.put(row, col, &neutralise(text), style)
}

fn build(qn: &Questionnaire<'_>, lang: Lang, words: &Words<'_>) -> Result<Workbook, XlsxError> {
    let l = &words.l;
    let sel = qn.selection;
    let p = &sel.profile.procurement;
    let mut wb = Workbook::new(format!("{} {}", l.q_title, p.id), Some(p.issued));

    // Cover sheet.
    let cover = wb.add_sheet(pick(super::COVER_SHEET, lang))?;
    cover.set_widths(&COVER_WIDTHS);
    put(cover, 0, 0, l.q_title, Style::Title)?;
    cover.set_height(0, TITLE_ROW_PT);
    let intro_text = super::intro(sel.library, l, lang);
    let intro = neutralise(&intro_text);
    cover.merge(1, 0, 1, &intro, Style::Text)?;
    cover.set_height(
        1,
        fitted_row_height(&[intro.as_ref()], &[COVER_WIDTHS[0] + COVER_WIDTHS[1]]),
    );
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
    let cover_row = |cover: &mut Sheet,
                     row: &mut u32,
                     label: &str,
                     value: &str,
                     style: Style|
     -> Result<(), XlsxError> {
        put(cover, *row, 0, label, Style::Label)?;
        put(cover, *row, 1, value, style)?;
        cover.set_height(*row, fitted_row_height(&[label, value], &COVER_WIDTHS));
        *row += 1;
        Ok(())
    };
    for (label, value) in &facts {
        cover_row(cover, &mut row, label, value, Style::Locked)?;
    }
    for label in [l.q_deadline, l.q_proposer] {
        cover_row(cover, &mut row, label, "", Style::Unlocked)?;
    }
    row += 1;
    for (i, instruction) in words.instructions.iter().enumerate() {
        let label = if i == 0 { l.q_instructions } else { "" };
        let text = format!("{}. {instruction}", i + 1);
        cover_row(cover, &mut row, label, &text, Style::Text)?;
    }
    row += 1;
    for (i, legend) in words.legend.iter().enumerate() {
        let label = if i == 0 { l.q_legend } else { "" };
        cover_row(cover, &mut row, label, legend, Style::Text)?;
    }
    cover.protect();

    // Questions sheet.
    let ws = wb.add_sheet(pick(super::QUESTIONS_SHEET, lang))?;
    ws.set_widths(&WIDTHS);
    let procurement = [pick(super::PROCUREMENT_LABEL, lang), &p.id, &p.title];
    for (col, text) in procurement.iter().enumerate() {
        put(ws, 0, col as u16, text, Style::Label)?;
    }
    // A long title wraps in the question column: the row is as high as it needs.
    ws.set_height(0, fitted_row_height(&procurement, &WIDTHS));
    let headers: Vec<&str> = COLUMNS.iter().map(|h| pick(*h, lang)).collect();
    for (col, header) in headers.iter().enumerate() {
        put(ws, HEADER_ROW, col as u16, header, Style::Header)?;
    }
    ws.set_height(HEADER_ROW, fitted_row_height(&headers, &WIDTHS));
    let date = |(y, m, d)| chrono::NaiveDate::from_ymd_opt(y, m, d).expect("a date");
    let rows = qn.rows(lang, &words.hints);
    for (i, r) in rows.iter().enumerate() {
        let row = HEADER_ROW + 1 + i as u32;
        let q = &r.asked.question;
        let cells = [r.id, &r.requirement, &r.question, "", &r.evidence, "", ""];
        for (col, text) in cells.iter().enumerate() {
            let editable = [COL_ANSWER, COL_EVIDENCE, COL_COMMENT].contains(&col);
            let style = match (editable, col == COL_ANSWER && q.kind == AnswerType::Date) {
                (true, true) => Style::UnlockedDate,
                (true, false) => Style::Unlocked,
                (false, _) => Style::Locked,
            };
            put(ws, row, col as u16, text, style)?;
        }
        ws.set_height(row, fitted_row_height(&cells, &WIDTHS));
        let validation = match q.kind {
            AnswerType::YesNo | AnswerType::Choice => Some((
                Rule::List(q.labels(lang, &words.hints.answers)),
                l.q_invalid_list,
            )),
            AnswerType::Number => Some((Rule::AtLeast(0.0), l.q_invalid_number)),
            AnswerType::Date => Some((
                Rule::DatesBetween(date(FIRST_DATE), date(LAST_DATE)),
                l.q_invalid_date,
            )),
            AnswerType::Text => None,
        };
        if let Some((rule, message)) = validation {
            ws.validate(row, COL_ANSWER as u16, rule, l.q_invalid_title, message)?;
        }
    }
    ws.freeze(HEADER_ROW + 1, 0);
    ws.repeat_rows(0, HEADER_ROW);
    ws.protect();
    wb.activate_last();
    Ok(wb)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::office::xlsx::printed_font_size;

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
