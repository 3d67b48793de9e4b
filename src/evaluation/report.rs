//! The evaluation as documents: Markdown/HTML (summary, answers by requirement, findings for
//! the (2)-3 non-conformance and exception record, answers to review), JSON for programs and
//! a workbook. Answers are the vendor's text: neutralised for spreadsheets everywhere, and
//! escaped by the Markdown and HTML templates.

use serde::Serialize;

use super::{Evaluation, Item, Status};
use crate::error::Error;
use crate::lang::Lang;
use crate::office::xlsx::{Style, Workbook, XlsxError, fitted_row_height};
use crate::questionnaire::xlsx::put;
use crate::questionnaire::{Hints, expected_text, pick, requirement_cell};
use crate::render::Templates;
use crate::tier::tier_name;

/// The JSON report: `{"summary": {...}, "items": [{"id", "requirement", "status", "answer"}]}`.
pub fn json(ev: &Evaluation<'_>) -> String {
    #[derive(Serialize)]
    struct JsonItem<'a> {
        id: &'a str,
        requirement: &'a str,
        status: Status,
        answer: &'a str,
    }
    #[derive(Serialize)]
    struct Json<'a> {
        summary: super::Summary,
        items: Vec<JsonItem<'a>>,
    }
    let report = Json {
        summary: ev.summary(),
        items: ev
            .items
            .iter()
            .map(|i| JsonItem {
                id: &i.asked.question.id,
                requirement: i
                    .asked
                    .question
                    .requirements
                    .first()
                    .map_or("", String::as_str),
                status: i.status,
                answer: &i.answer,
            })
            .collect(),
    };
    let mut out = serde_json::to_string_pretty(&report).unwrap_or_default();
    out.push('\n');
    out
}

crate::render::labels! {
    /// The labels the evaluation's documents use outside their templates.
    struct Labels {
        e_title,
        e_summary,
        procurement_title,
        q_tier,
        e_responses,
        e_questions,
        e_meets,
        e_gaps,
        e_unanswered,
        e_review,
        e_score,
        e_by_requirement,
        requirement,
        e_question,
        e_answer,
        e_status,
        e_note,
        e_evidence,
        e_comment,
        e_weight,
        e_finding,
        clauses,
        q_expected,
        e_decision,
        e_due,
        e_findings_sheet,
        e_status_meets,
        e_status_gap,
        e_status_unanswered,
        e_status_review,
    }
}

fn status_label<'a>(status: Status, l: &Labels<'a>) -> &'a str {
    match status {
        Status::Meets => l.e_status_meets,
        Status::Gap => l.e_status_gap,
        Status::Unanswered => l.e_status_unanswered,
        Status::Review => l.e_status_review,
    }
}

#[derive(Serialize)]
struct Data<'a> {
    lang: &'a str,
    l: std::collections::BTreeMap<&'a str, &'a str>,
    id: &'a str,
    title: &'a str,
    buyer: String,
    tier: String,
    file: &'a str,
    summary: super::Summary,
    score: String,
    sections: Vec<Section>,
    findings: Vec<Finding>,
    reviews: Vec<Row>,
    not_asked: Vec<String>,
}

#[derive(Serialize)]
struct Section {
    id: String,
    title: String,
    rows: Vec<Row>,
}

#[derive(Serialize, Clone)]
struct Row {
    id: String,
    status: String,
    answer: String,
    note: String,
    evidence: String,
    comment: String,
}

#[derive(Serialize)]
struct Finding {
    number: String,
    id: String,
    requirements: String,
    clauses: String,
    question: String,
    expected: String,
    answer: String,
    comment: String,
}

fn row(i: &Item<'_>, l: &Labels<'_>) -> Row {
    Row {
        id: i.asked.question.id.clone(),
        status: status_label(i.status, l).to_string(),
        answer: i.answer.clone(),
        note: i.note.clone(),
        evidence: i.evidence.clone(),
        comment: i.comment.clone(),
    }
}

fn findings(ev: &Evaluation<'_>, lang: Lang, hints: &Hints<'_>) -> Vec<Finding> {
    let lib = ev.questionnaire.library();
    ev.findings()
        .iter()
        .enumerate()
        .map(|(n, i)| {
            let q = &i.asked.question;
            Finding {
                number: format!("F-{:02}", n + 1),
                id: q.id.clone(),
                requirements: requirement_cell(lib, q, lang).replace('\n', "; "),
                clauses: q.clauses.join(", "),
                question: q.text.get(lang).trim().to_string(),
                expected: expected_text(i.asked, lang, hints),
                answer: i.answer.clone(),
                comment: i.comment.clone(),
            }
        })
        .collect()
}

pub struct Rendered {
    pub markdown: String,
    pub html: String,
}

pub fn document(ev: &Evaluation<'_>, t: &Templates) -> Result<Rendered, Error> {
    let lang = ev.lang;
    let l = Labels::resolve(t, lang)?;
    let sel = ev.questionnaire.selection;
    let p = &sel.profile.procurement;
    let mut sections: Vec<Section> = Vec::new();
    for i in &ev.items {
        let req = i
            .asked
            .question
            .requirements
            .first()
            .cloned()
            .unwrap_or_default();
        if sections.last().is_none_or(|s| s.id != req) {
            sections.push(Section {
                title: sel
                    .library
                    .requirement(&req)
                    .map_or_else(String::new, |r| r.title.get(lang).to_string()),
                id: req,
                rows: Vec::new(),
            });
        }
        if let Some(s) = sections.last_mut() {
            s.rows.push(row(i, &l));
        }
    }
    let data = Data {
        lang: lang.code(),
        l: t.labels(lang),
        id: &p.id,
        title: &p.title,
        buyer: p.buyer.with_department(),
        tier: tier_name(sel.library, sel.decision.tier, lang),
        file: &ev.file,
        summary: ev.summary(),
        score: format!("{}%", ev.score()),
        sections,
        findings: findings(ev, lang, &Hints::resolve(t)?),
        reviews: ev
            .items
            .iter()
            .filter(|i| i.status == Status::Review)
            .map(|i| row(i, &l))
            .collect(),
        not_asked: ev.not_asked.iter().map(|a| a.question.id.clone()).collect(),
    };
    let markdown = t.render_markdown("evaluation.md", &data)?;
    let title = format!("{} — {} {}", l.e_title, p.id, p.title);
    let html = t.html_page(&title, lang, "document.css", &markdown)?;
    Ok(Rendered { markdown, html })
}

/// Column widths (characters) of the answers sheet: ID, requirement, question, answer,
/// status, note, evidence, comment, weight. Like every sheet's, they print at 9 pt or more
/// fit to the width of landscape A4; the ID column holds the bundled library's longest
/// question ID (12 characters), the requirement column "countermeasures" and the status
/// column "unanswered" on one line.
const BY_REQUIREMENT_WIDTHS: [f64; 9] = [14.0, 15.0, 29.0, 9.0, 10.0, 15.0, 12.0, 12.0, 7.0];
/// The findings sheet's: number, ID, requirement, clauses, question, expected, answer,
/// comment, and the two the buyer fills in, decision (対応方針) and due date.
const FINDINGS_WIDTHS: [f64; 10] = [5.0, 14.0, 15.0, 9.0, 24.0, 11.0, 9.0, 11.0, 14.0, 10.0];
/// The summary sheet's two columns.
const SUMMARY_WIDTHS: [f64; 2] = [28.0, 60.0];

pub fn xlsx(ev: &Evaluation<'_>, t: &Templates) -> Result<Vec<u8>, Error> {
    let l = Labels::resolve(t, ev.lang)?;
    let hints = Hints::resolve(t)?;
    build_xlsx(ev, &l, &hints).map_err(|e| Error::Workbook {
        name: format!("evaluation.{}.xlsx", ev.lang),
        message: e.to_string(),
    })
}

fn build_xlsx(
    ev: &Evaluation<'_>,
    l: &Labels<'_>,
    hints: &Hints<'_>,
) -> Result<Vec<u8>, XlsxError> {
    let lang = ev.lang;
    let sel = ev.questionnaire.selection;
    let p = &sel.profile.procurement;
    let lib = sel.library;
    let mut wb = Workbook::new(format!("{} {}", l.e_title, p.id), Some(p.issued));

    let s = ev.summary();
    let ws = wb.add_sheet(l.e_summary)?;
    ws.set_widths(&SUMMARY_WIDTHS);
    put(ws, 0, 0, l.e_title, Style::Title)?;
    let facts = [
        (
            pick(crate::questionnaire::PROCUREMENT_LABEL, lang).to_string(),
            p.id.clone(),
        ),
        (l.procurement_title.into(), p.title.clone()),
        (l.q_tier.into(), tier_name(lib, sel.decision.tier, lang)),
        (l.e_responses.into(), ev.file.clone()),
        (l.e_questions.into(), s.questions.to_string()),
        (l.e_meets.into(), s.meets.to_string()),
        (l.e_gaps.into(), s.gaps.to_string()),
        (l.e_unanswered.into(), s.unanswered.to_string()),
        (l.e_review.into(), s.review.to_string()),
        (l.e_score.into(), format!("{}%", ev.score())),
    ];
    for (r, (label, value)) in facts.iter().enumerate() {
        put(ws, r as u32 + 2, 0, label, Style::Label)?;
        put(ws, r as u32 + 2, 1, value, Style::Locked)?;
        ws.set_height(
            r as u32 + 2,
            fitted_row_height(&[label.as_str(), value.as_str()], &SUMMARY_WIDTHS),
        );
    }

    let ws = wb.add_sheet(&l.e_by_requirement.chars().take(31).collect::<String>())?;
    let headers = [
        "ID",
        l.requirement,
        l.e_question,
        l.e_answer,
        l.e_status,
        l.e_note,
        l.e_evidence,
        l.e_comment,
        l.e_weight,
    ];
    let widths = BY_REQUIREMENT_WIDTHS;
    ws.set_widths(&widths);
    for (c, h) in headers.iter().enumerate() {
        put(ws, 0, c as u16, h, Style::Header)?;
    }
    ws.set_height(0, fitted_row_height(&headers, &widths));
    for (r, i) in ev.items.iter().enumerate() {
        let q = &i.asked.question;
        let cells = [
            q.id.clone(),
            requirement_cell(lib, q, lang),
            q.text.get(lang).trim().to_string(),
            i.answer.clone(),
            status_label(i.status, l).to_string(),
            i.note.clone(),
            i.evidence.clone(),
            i.comment.clone(),
            q.weight.to_string(),
        ];
        for (c, text) in cells.iter().enumerate() {
            put(ws, r as u32 + 1, c as u16, text, Style::Locked)?;
        }
        ws.set_height(r as u32 + 1, fitted_row_height(&cells, &widths));
    }
    ws.freeze(1, 0);
    ws.repeat_rows(0, 0);

    let ws = wb.add_sheet(l.e_findings_sheet)?;
    let headers = [
        l.e_finding,
        "ID",
        l.requirement,
        l.clauses,
        l.e_question,
        l.q_expected,
        l.e_answer,
        l.e_comment,
        l.e_decision,
        l.e_due,
    ];
    let widths = FINDINGS_WIDTHS;
    ws.set_widths(&widths);
    for (c, h) in headers.iter().enumerate() {
        put(ws, 0, c as u16, h, Style::Header)?;
    }
    ws.set_height(0, fitted_row_height(&headers, &widths));
    let findings = findings(ev, lang, hints);
    for (r, x) in findings.iter().enumerate() {
        let cells = [
            &x.number,
            &x.id,
            &x.requirements,
            &x.clauses,
            &x.question,
            &x.expected,
            &x.answer,
            &x.comment,
            "",
            "",
        ];
        for (c, text) in cells.iter().enumerate() {
            let style = if c >= 8 {
                Style::Unlocked
            } else {
                Style::Locked
            };
            put(ws, r as u32 + 1, c as u16, text, style)?;
        }
        ws.set_height(r as u32 + 1, fitted_row_height(&cells, &widths));
    }
    ws.freeze(1, 0);
    ws.repeat_rows(0, 0);

    Ok(wb.to_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::office::xlsx::printed_font_size;

    #[test]
    fn sheets_print_at_nine_points_or_more() {
        for widths in [
            &BY_REQUIREMENT_WIDTHS[..],
            &FINDINGS_WIDTHS[..],
            &SUMMARY_WIDTHS[..],
        ] {
            let size = printed_font_size(widths);
            assert!(size >= 9.0, "{widths:?} print at {size:.2} pt");
        }
    }
}
