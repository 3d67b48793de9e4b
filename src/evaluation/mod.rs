//! Evaluating a vendor's answers: every asked question is `meets`, `gap`, `unanswered` or
//! `review` against the answer expected at the procurement's tier. Problems in the returned
//! file (unknown or missing questions, changed question text, answers outside the allowed
//! values, another procurement's file) are errors, all reported at once with their place.

pub mod report;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::{Error, SourceError};
use crate::lang::Lang;
use crate::library::question::{AnswerType, AnswerWords, NA, Question, fold, is_na};
use crate::questionnaire::{
    Asked, Expected, Hints, Questionnaire, expected_text, format_number, neutralise, question_cell,
};
use crate::render::fill;
use crate::responses::{Cell, Entry, Responses};
use crate::text_safety::{first_unsafe, visible};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Meets,
    Gap,
    Unanswered,
    Review,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Meets => "meets",
            Status::Gap => "gap",
            Status::Unanswered => "unanswered",
            Status::Review => "review",
        }
    }
}

/// A parsed answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A canonical yes/no or choice value.
    Option(String),
    NotApplicable,
    Number(f64),
    Date(NaiveDate),
    Text(String),
}

#[derive(Debug, Clone)]
pub struct Item<'a> {
    pub asked: &'a Asked,
    pub status: Status,
    /// The answer as reports show it (labels in the report's language), neutralised.
    pub answer: String,
    pub evidence: String,
    pub comment: String,
    /// Why the status is what it is, in the report's language.
    pub note: String,
}

#[derive(Debug, Clone)]
pub struct Evaluation<'a> {
    pub questionnaire: &'a Questionnaire<'a>,
    pub file: String,
    pub lang: Lang,
    /// In questionnaire order.
    pub items: Vec<Item<'a>>,
    /// Questions whose `depends_on` condition the answers did not meet.
    pub not_asked: Vec<&'a Asked>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub questions: usize,
    pub meets: usize,
    pub gaps: usize,
    pub unanswered: usize,
    pub review: usize,
}

impl Evaluation<'_> {
    pub fn summary(&self) -> Summary {
        let count = |s: Status| self.items.iter().filter(|i| i.status == s).count();
        Summary {
            questions: self.items.len(),
            meets: count(Status::Meets),
            gaps: count(Status::Gap),
            unanswered: count(Status::Unanswered),
            review: count(Status::Review),
        }
    }

    /// Weight of the questions met over the weight of all questions, in percent.
    pub fn score(&self) -> f64 {
        let total: u32 = self.items.iter().map(|i| i.asked.question.weight).sum();
        let met: u32 = self
            .items
            .iter()
            .filter(|i| i.status == Status::Meets)
            .map(|i| i.asked.question.weight)
            .sum();
        if total == 0 {
            0.0
        } else {
            (f64::from(met) * 1000.0 / f64::from(total)).round() / 10.0
        }
    }

    /// The gaps, heaviest first (then in questionnaire order).
    pub fn findings(&self) -> Vec<&Item<'_>> {
        let mut gaps: Vec<&Item> = self
            .items
            .iter()
            .filter(|i| i.status == Status::Gap)
            .collect();
        gaps.sort_by_key(|i| std::cmp::Reverse(i.asked.question.weight));
        gaps
    }
}

crate::render::labels! {
    /// The words of the notes that say why an answer got its status.
    struct Notes {
        e_note_unanswered,
        e_note_na,
        e_note_na_unexpected,
        e_note_text,
        e_note_gap,
        e_note_no_evidence,
        e_note_hidden,
        e_note_field_answer,
        e_note_field_evidence,
        e_note_field_comment,
        e_note_separator,
        e_answer_number,
    }
}

/// Check the responses against the questionnaire and evaluate every asked question, with
/// notes in `lang` worded by the `templates`' labels.
pub fn evaluate<'a>(
    qn: &'a Questionnaire<'a>,
    responses: &Responses,
    lang: Lang,
    templates: &crate::render::Templates,
) -> Result<Evaluation<'a>, Error> {
    let notes = Notes::resolve(templates, lang)?;
    templates.pattern("e_answer_number", lang, &["number", "unit"])?;
    let hints = Hints::resolve(templates)?;
    let mut problems: Vec<SourceError> = responses.problems.clone();
    let expected_id = &qn.selection.profile.procurement.id;
    match &responses.procurement {
        Some((id, at)) if id != expected_id => problems.push(responses.error(
            at,
            format!("this file answers procurement `{id}`, not `{expected_id}`"),
        )),
        Some(_) => {}
        None => problems.push(responses.error(
            &Default::default(),
            format!("the file does not name its procurement (expected `{expected_id}`)"),
        )),
    }

    let mut by_id: BTreeMap<&str, &Entry> = BTreeMap::new();
    for entry in &responses.entries {
        if entry.id.is_empty() {
            problems.push(responses.error(&entry.at, "a row without a question ID"));
            continue;
        }
        if let Some(first) = by_id.get(entry.id.as_str()) {
            problems.push(responses.error(
                &entry.at,
                format!(
                    "question {} appears twice (first at line {})",
                    entry.id, first.at.line
                ),
            ));
            continue;
        }
        if qn.find(&entry.id).is_none() {
            problems.push(responses.error(
                &entry.at,
                format!(
                    "unknown question ID `{}`: not in the questionnaire of {expected_id}",
                    entry.id
                ),
            ));
        }
        by_id.insert(&entry.id, entry);
    }

    let mut values: BTreeMap<&str, Option<Value>> = BTreeMap::new();
    for asked in &qn.questions {
        let q = &asked.question;
        let Some(entry) = by_id.get(q.id.as_str()) else {
            problems.push(responses.error(
                &Default::default(),
                format!("question {} is missing from the file", q.id),
            ));
            continue;
        };
        if let Some((text, at)) = &entry.question {
            let same = Lang::ALL.iter().any(|&l| {
                normalise(text) == normalise(&neutralise(&question_cell(qn, q, l, &hints)))
            });
            if !same {
                problems.push(
                    responses.error(at, format!("the text of question {} was changed", q.id)),
                );
            }
        }
        match parse_answer(q, &hints.answers, &entry.answer) {
            Ok(v) => {
                values.insert(&q.id, v);
            }
            Err(message) => problems.push(responses.error(&entry.answer_at, message)),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Sources(problems));
    }

    let mut items = Vec::new();
    let mut not_asked = Vec::new();
    for asked in &qn.questions {
        let q = &asked.question;
        if !is_asked(q, &values, qn) {
            not_asked.push(asked);
            continue;
        }
        let Some(entry) = by_id.get(q.id.as_str()) else {
            continue;
        };
        let value = values.get(q.id.as_str()).cloned().flatten();
        let (mut status, mut note) = judge(asked, value.as_ref(), entry, &notes, &hints, lang);
        if let Some(flag) = hidden_characters(entry, &notes) {
            if status != Status::Gap {
                status = Status::Review;
            }
            note = [note, flag]
                .into_iter()
                .filter(|n| !n.is_empty())
                .collect::<Vec<_>>()
                .join(notes.e_note_separator);
        }
        let shown = |s: &str| visible(&neutralise(s)).into_owned();
        items.push(Item {
            asked,
            status,
            answer: shown(&display(q, value.as_ref(), lang, &hints.answers, &notes)),
            evidence: shown(&entry.evidence),
            comment: shown(&entry.comment),
            note,
        });
    }
    Ok(Evaluation {
        questionnaire: qn,
        // The name only: where the buyer keeps the file is not part of the report.
        file: std::path::Path::new(&responses.file)
            .file_name()
            .map_or_else(
                || responses.file.clone(),
                |n| n.to_string_lossy().into_owned(),
            ),
        lang,
        items,
        not_asked,
    })
}

/// A note when the vendor's answer, evidence or comment holds a character that changes how
/// text reads without being seen (a bidi override, a zero-width space, a control): the report
/// shows it as `⟨U+202E⟩` and the answer is to be reviewed against the original.
fn hidden_characters(entry: &Entry, notes: &Notes<'_>) -> Option<String> {
    let answer = entry.answer.as_text();
    let (field, found) = [
        (notes.e_note_field_answer, answer.as_str()),
        (notes.e_note_field_evidence, entry.evidence.as_str()),
        (notes.e_note_field_comment, entry.comment.as_str()),
    ]
    .into_iter()
    .find_map(|(field, text)| first_unsafe(text).map(|u| (field, u)))?;
    Some(
        notes
            .e_note_hidden
            .replace("{field}", field)
            .replace("{code}", &found.code()),
    )
}

/// Line ends and surrounding space do not count as a change.
fn normalise(s: &str) -> String {
    s.replace("\r\n", "\n")
        .lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

/// Asked unless its `depends_on` condition is not met (or the question it depends on was
/// itself not asked).
fn is_asked(q: &Question, values: &BTreeMap<&str, Option<Value>>, qn: &Questionnaire<'_>) -> bool {
    let Some(dep) = &q.depends_on else {
        return true;
    };
    let Some(parent) = qn.find(&dep.question) else {
        return false;
    };
    if !is_asked(&parent.question, values, qn) {
        return false;
    }
    match values.get(dep.question.as_str()) {
        Some(Some(Value::Option(v))) => dep.answers.contains(v),
        Some(Some(Value::NotApplicable)) => dep.answers.iter().any(|a| a == NA),
        _ => false,
    }
}

/// The answer in the question's terms: `Ok(None)` when blank, `Err` with a message when the
/// value is not one the question allows.
pub fn parse_answer(
    q: &Question,
    words: &AnswerWords<'_>,
    cell: &Cell,
) -> Result<Option<Value>, String> {
    if cell.is_blank() {
        return Ok(None);
    }
    let raw = cell.as_text();
    let folded = fold(&raw);
    if is_na(&folded, words) {
        return Ok(Some(Value::NotApplicable));
    }
    match q.kind {
        AnswerType::YesNo | AnswerType::Choice => {
            let value = match (cell, q.kind) {
                (Cell::Bool(true), AnswerType::YesNo) => Some("yes"),
                (Cell::Bool(false), AnswerType::YesNo) => Some("no"),
                _ => q.parse_value(&raw, words),
            };
            value
                .map(|v| Some(Value::Option(v.to_string())))
                .ok_or_else(|| {
                    let allowed = |lang| q.labels(lang, words).join(", ");
                    format!(
                        "answer `{}` to question {} is not one of: {} (or {})",
                        raw.trim(),
                        q.id,
                        allowed(Lang::En),
                        allowed(Lang::Ja)
                    )
                })
        }
        AnswerType::Number => match cell {
            Cell::Number(n) => Ok(Some(Value::Number(*n))),
            _ => folded
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .map(|n| Some(Value::Number(n)))
                .ok_or_else(|| {
                    format!(
                        "answer `{}` to question {} is not a number",
                        raw.trim(),
                        q.id
                    )
                }),
        },
        AnswerType::Date => match cell {
            Cell::Date(d) => Ok(Some(Value::Date(*d))),
            _ => ["%Y-%m-%d", "%Y/%m/%d"]
                .iter()
                .find_map(|f| NaiveDate::parse_from_str(&folded, f).ok())
                .map(|d| Some(Value::Date(d)))
                .ok_or_else(|| {
                    format!(
                        "answer `{}` to question {} is not a date (YYYY-MM-DD)",
                        raw.trim(),
                        q.id
                    )
                }),
        },
        AnswerType::Text => Ok(Some(Value::Text(raw.trim().to_string()))),
    }
}

fn judge(
    asked: &Asked,
    value: Option<&Value>,
    entry: &Entry,
    notes: &Notes<'_>,
    hints: &Hints<'_>,
    lang: Lang,
) -> (Status, String) {
    let q = &asked.question;
    let Some(value) = value else {
        return (Status::Unanswered, notes.e_note_unanswered.into());
    };
    let meets = match (value, &asked.expected) {
        // N/A is never a pass by itself: where the question allows it, its reason is read;
        // where it does not, the question was meant to apply.
        (Value::NotApplicable, _) => {
            let note = if q.allow_na {
                notes.e_note_na
            } else {
                notes.e_note_na_unexpected
            };
            return (Status::Review, note.into());
        }
        (Value::Text(_), _) => return (Status::Review, notes.e_note_text.into()),
        (Value::Option(v), Some(Expected::AnyOf(ok))) => ok.contains(v),
        (Value::Number(n), Some(Expected::Range { min, max })) => {
            min.is_none_or(|m| *n >= m) && max.is_none_or(|m| *n <= m)
        }
        (Value::Date(d), Some(Expected::NotBefore(min))) => d >= min,
        _ => false,
    };
    let expected = expected_text(asked, lang, hints);
    if !meets {
        return (
            Status::Gap,
            notes.e_note_gap.replace("{expected}", &expected),
        );
    }
    if q.evidence.is_some() && entry.evidence.trim().is_empty() {
        return (Status::Review, notes.e_note_no_evidence.into());
    }
    (Status::Meets, String::new())
}

/// The answer in the report's language.
fn display(
    q: &Question,
    value: Option<&Value>,
    lang: Lang,
    words: &AnswerWords<'_>,
    notes: &Notes<'_>,
) -> String {
    match value {
        None => String::new(),
        Some(Value::Option(v)) => q.label(v, lang, words).unwrap_or_else(|| v.clone()),
        Some(Value::NotApplicable) => words.na(lang).to_string(),
        Some(Value::Number(n)) => {
            let unit = q.unit.as_ref().map_or("", |u| u.get(lang));
            // Trimmed: a number without a unit has no space after it.
            fill(
                notes.e_answer_number,
                &[("number", &format_number(*n)), ("unit", unit)],
            )
            .trim()
            .to_string()
        }
        Some(Value::Date(d)) => d.format("%Y-%m-%d").to_string(),
        Some(Value::Text(s)) => s.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Text;
    use crate::library::question::Choice;

    fn question(kind: AnswerType) -> Question {
        Question {
            id: "Q-T-01".into(),
            requirements: vec!["(6)-2.2".into()],
            clauses: Vec::new(),
            min_tier: 1,
            text: Text::new("質問", "Question"),
            kind,
            choices: vec![
                Choice {
                    value: "spdx".into(),
                    label: Text::new("SPDX形式", "SPDX"),
                },
                Choice {
                    value: "other".into(),
                    label: Text::new("その他", "Other"),
                },
            ]
            .into_iter()
            .filter(|_| kind == AnswerType::Choice)
            .collect(),
            unit: None,
            allow_na: false,
            evidence: None,
            expected: None,
            weight: 1,
            depends_on: None,
            file: String::new(),
        }
    }

    fn text(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    #[test]
    fn yes_no_answers_are_read_in_either_language_and_width() {
        let t = crate::render::Templates::bundled().unwrap();
        let w = t.answer_words().unwrap();
        let q = question(AnswerType::YesNo);
        for (raw, value) in [
            ("Yes", "yes"),
            ("はい", "yes"),
            ("ＹＥＳ", "yes"),
            (" no ", "no"),
            ("いいえ", "no"),
            ("Partial", "partial"),
            ("一部", "partial"),
        ] {
            assert_eq!(
                parse_answer(&q, &w, &text(raw)),
                Ok(Some(Value::Option(value.into())))
            );
        }
        for raw in ["N/A", "該当なし", "na"] {
            assert_eq!(
                parse_answer(&q, &w, &text(raw)),
                Ok(Some(Value::NotApplicable))
            );
        }
        assert_eq!(
            parse_answer(&q, &w, &Cell::Bool(true)),
            Ok(Some(Value::Option("yes".into())))
        );
        assert_eq!(parse_answer(&q, &w, &text("  ")), Ok(None));
        assert!(parse_answer(&q, &w, &text("Y")).is_err());
    }

    #[test]
    fn choices_match_value_or_label() {
        let t = crate::render::Templates::bundled().unwrap();
        let w = t.answer_words().unwrap();
        let q = question(AnswerType::Choice);
        for raw in ["spdx", "SPDX", "SPDX形式"] {
            assert_eq!(
                parse_answer(&q, &w, &text(raw)),
                Ok(Some(Value::Option("spdx".into())))
            );
        }
        assert!(parse_answer(&q, &w, &text("CycloneDX")).is_err());
    }

    #[test]
    fn numbers_and_dates_accept_text_and_typed_cells() {
        let t = crate::render::Templates::bundled().unwrap();
        let w = t.answer_words().unwrap();
        let n = question(AnswerType::Number);
        assert_eq!(
            parse_answer(&n, &w, &text("１４")),
            Ok(Some(Value::Number(14.0)))
        );
        assert_eq!(
            parse_answer(&n, &w, &Cell::Number(7.5)),
            Ok(Some(Value::Number(7.5)))
        );
        assert!(parse_answer(&n, &w, &text("two weeks")).is_err());
        let d = question(AnswerType::Date);
        let day = NaiveDate::from_ymd_opt(2031, 3, 31);
        assert_eq!(
            parse_answer(&d, &w, &text("2031/03/31")),
            Ok(day.map(Value::Date))
        );
        assert_eq!(
            parse_answer(&d, &w, &Cell::Date(day.unwrap_or_default())),
            Ok(day.map(Value::Date))
        );
        assert!(parse_answer(&d, &w, &text("31.3.2031")).is_err());
    }

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(neutralise("=1+1"), "'=1+1");
        for s in ["+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(neutralise(s).starts_with('\''), "{s:?}");
        }
        assert_eq!(neutralise("はい"), "はい");
        assert_eq!(neutralise(""), "");
    }
}
