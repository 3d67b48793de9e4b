//! The questionnaire's schema: the questions a procurement asks with the answer expected
//! at its tier (parameters resolved), and the columns and sheets of the questions table that
//! every writer (xlsx, csv, md, yaml, json) shows and the response reader reads back by.

use chrono::NaiveDate;

use super::{Hints, question_cell, requirement_cell};
use crate::lang::Lang;
use crate::library::question::{Accepted, AnswerType, Bound, DateBound, Question};
use crate::library::{Library, ParamValue};
use crate::selection::Selection;

/// The columns of the questions sheet and the CSV, `(ja, en)`. Fixed: responses are read
/// back by these headers.
pub const COLUMNS: [(&str, &str); 7] = [
    ("ID", "ID"),
    ("要求事項", "Requirement"),
    ("質問", "Question"),
    ("回答", "Answer"),
    ("求める根拠資料", "Evidence requested"),
    ("提出する根拠資料", "Evidence provided"),
    ("備考", "Comment"),
];
/// Column indexes into [`COLUMNS`].
pub const COL_ID: usize = 0;
pub const COL_QUESTION: usize = 2;
pub const COL_ANSWER: usize = 3;
pub const COL_EVIDENCE: usize = 5;
pub const COL_COMMENT: usize = 6;

/// The label of the first row, which carries the procurement ID, `(ja, en)`.
pub const PROCUREMENT_LABEL: (&str, &str) = ("調達番号", "Procurement ID");
/// Sheet names, `(ja, en)`.
pub const QUESTIONS_SHEET: (&str, &str) = ("質問", "Questions");
pub const COVER_SHEET: (&str, &str) = ("表紙", "Cover");

/// The half of a `(ja, en)` pair in `lang`.
pub fn pick<'a>(pair: (&'a str, &'a str), lang: Lang) -> &'a str {
    match lang {
        Lang::Ja => pair.0,
        Lang::En => pair.1,
    }
}

/// The questionnaire of one procurement.
#[derive(Debug, Clone)]
pub struct Questionnaire<'a> {
    pub selection: &'a Selection<'a>,
    /// Grouped by their first requirement (in the guideline's order); within a requirement,
    /// library questions in library order. Acceptance of the annex is not asked clause by clause: the
    /// RFP asks for one pledge accepting every requirement (a conditional bid is invalid).
    pub questions: Vec<Asked>,
}

/// A question as this procurement asks it.
#[derive(Debug, Clone)]
pub struct Asked {
    pub question: Question,
    /// The answer expected at the procurement's tier, parameters resolved; `None` for text.
    pub expected: Option<Expected>,
    /// The clause parameter the expectation comes from, when it does.
    pub parameter: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expected {
    AnyOf(Vec<String>),
    Range { min: Option<f64>, max: Option<f64> },
    NotBefore(NaiveDate),
}

impl<'a> Questionnaire<'a> {
    pub fn build(selection: &'a Selection<'a>) -> Questionnaire<'a> {
        let lib = selection.library;
        let tier = selection.decision.tier;
        let selected: Vec<&str> = selection
            .clauses
            .iter()
            .map(|c| c.clause.id.as_str())
            .collect();
        let mut questions: Vec<Question> = lib
            .questions
            .iter()
            .filter(|q| q.min_tier <= tier)
            .filter(|q| {
                q.clauses.is_empty() || q.clauses.iter().any(|c| selected.contains(&c.as_str()))
            })
            .cloned()
            .collect();
        // A question that depends on one not asked is not asked either.
        loop {
            let ids: Vec<String> = questions.iter().map(|q| q.id.clone()).collect();
            let before = questions.len();
            questions.retain(|q| {
                q.depends_on
                    .as_ref()
                    .is_none_or(|d| ids.contains(&d.question))
            });
            if questions.len() == before {
                break;
            }
        }
        let order = |q: &Question| {
            q.requirements
                .first()
                .and_then(|r| lib.requirements.iter().position(|x| &x.id == r))
                .unwrap_or(usize::MAX)
        };
        questions.sort_by_key(order);
        let questions = questions
            .into_iter()
            .map(|question| {
                let (expected, parameter) = match resolve(&question, selection) {
                    Some((e, p)) => (Some(e), p),
                    None => (None, None),
                };
                Asked {
                    expected,
                    parameter,
                    question,
                }
            })
            .collect();
        Questionnaire {
            selection,
            questions,
        }
    }

    pub fn library(&self) -> &'a Library {
        self.selection.library
    }

    pub fn find(&self, id: &str) -> Option<&Asked> {
        self.questions.iter().find(|a| a.question.id == id)
    }

    /// The cells of each question's row, in [`COLUMNS`] order (answer columns empty).
    pub fn rows(&self, lang: Lang, hints: &Hints) -> Vec<Row<'_>> {
        self.questions
            .iter()
            .map(|a| Row {
                asked: a,
                id: &a.question.id,
                requirement: requirement_cell(self.library(), &a.question, lang),
                question: question_cell(self, &a.question, lang, hints),
                evidence: a
                    .question
                    .evidence
                    .as_ref()
                    .map_or_else(String::new, |e| e.get(lang).to_string()),
            })
            .collect()
    }
}

/// One row of the questions sheet.
#[derive(Debug, Clone)]
pub struct Row<'a> {
    pub asked: &'a Asked,
    pub id: &'a str,
    pub requirement: String,
    pub question: String,
    pub evidence: String,
}

/// The expected answer at the selection's tier, and the parameter it comes from.
fn resolve(q: &Question, sel: &Selection<'_>) -> Option<(Expected, Option<String>)> {
    let tier = sel.decision.tier;
    let e = q.expected.as_ref()?.for_tier(tier)?;
    let value_of = |parameter: &str| sel.parameter(parameter);
    let bound = |b: &Option<Bound>| -> Option<f64> {
        match b.as_ref()? {
            Bound::Number(n) => Some(*n),
            Bound::Parameter { parameter } => match value_of(parameter)? {
                ParamValue::Integer(n) => Some(n as f64),
                _ => None,
            },
        }
    };
    let from_parameter = |b: &Option<Bound>| match b {
        Some(Bound::Parameter { parameter }) => Some(parameter.clone()),
        _ => None,
    };
    Some(match q.kind {
        AnswerType::YesNo | AnswerType::Choice => match &e.any_of {
            Accepted::Values(values) => (Expected::AnyOf(values.clone()), None),
            Accepted::Parameter { parameter } => match value_of(parameter)? {
                ParamValue::Set(values) => (Expected::AnyOf(values), Some(parameter.clone())),
                _ => return None,
            },
        },
        AnswerType::Number => (
            Expected::Range {
                min: bound(&e.min),
                max: bound(&e.max),
            },
            from_parameter(&e.min).or_else(|| from_parameter(&e.max)),
        ),
        AnswerType::Date => match e.not_before? {
            DateBound::ContractStart => (
                Expected::NotBefore(sel.profile.procurement.contract_start),
                None,
            ),
            DateBound::ContractEnd => (
                Expected::NotBefore(sel.profile.procurement.contract_end),
                None,
            ),
            DateBound::SupportEnd => (
                Expected::NotBefore(sel.budget.support_end),
                sel.budget
                    .support_years
                    .map(|_| crate::budget::SUPPORT_YEARS.to_string()),
            ),
        },
        AnswerType::Text => return None,
    })
}
