//! The questionnaire as JSON for other programs (a bidding portal, the buyer's own scoring):
//! `{"procurement", "tier", "contract_type", "questions": [{"id", "requirement", "clauses",
//! "text", "answer": {"kind", "choices"?, "unit"?}, "expected": {"op", "value", "unit"?,
//! "parameter"?}}]}`. Every expected number, duration or date is the one in force for this
//! procurement, and `parameter` names the clause parameter it comes from.

use serde::Serialize;
use serde_json::{Value, json};

use super::{Asked, Expected, Questionnaire};
use crate::lang::Lang;
use crate::library::question::AnswerType;

// The fields of each object in the order of their names, as readers have always seen them
// (the file was first written from sorted maps).

#[derive(Serialize)]
struct Document<'a> {
    contract_type: &'a str,
    procurement: &'a str,
    questions: Vec<QuestionOut<'a>>,
    tier: u8,
}

#[derive(Serialize)]
struct QuestionOut<'a> {
    answer: Answer<'a>,
    clauses: &'a [String],
    expected: ExpectedOut<'a>,
    id: &'a str,
    requirement: Option<&'a String>,
    text: &'a str,
}

#[derive(Serialize)]
struct Answer<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    choices: Option<Vec<&'a str>>,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<&'a str>,
}

#[derive(Serialize)]
struct ExpectedOut<'a> {
    op: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    parameter: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<&'a str>,
    value: Value,
}

/// The questionnaire in `lang`, pretty-printed with a final newline.
pub fn write(qn: &Questionnaire<'_>, lang: Lang) -> String {
    let sel = qn.selection;
    let document = Document {
        contract_type: sel.contract_type.key(),
        procurement: &sel.profile.procurement.id,
        questions: qn.questions.iter().map(|a| question(a, lang)).collect(),
        tier: sel.decision.tier,
    };
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

fn question<'a>(asked: &'a Asked, lang: Lang) -> QuestionOut<'a> {
    let q = &asked.question;
    let unit = q.unit.as_ref().map(|u| u.get(lang));
    let kind = match q.kind {
        AnswerType::YesNo | AnswerType::Choice => "choice",
        AnswerType::Number => "number",
        AnswerType::Date => "date",
        AnswerType::Text => "text",
    };
    QuestionOut {
        answer: Answer {
            choices: (kind == "choice").then(|| q.values()),
            kind,
            unit: unit.filter(|_| q.kind == AnswerType::Number),
        },
        clauses: &q.clauses,
        expected: expected(asked, unit),
        id: &q.id,
        requirement: q.requirements.first(),
        text: q.text.get(lang).trim(),
    }
}

fn expected<'a>(asked: &'a Asked, unit: Option<&'a str>) -> ExpectedOut<'a> {
    let number = |n: f64| -> Value {
        if n.fract() == 0.0 && n.abs() < 1e15 {
            json!(n as i64)
        } else {
            json!(n)
        }
    };
    let (op, value, with_unit) = match &asked.expected {
        None => ("any", Value::Null, false),
        Some(Expected::AnyOf(values)) if values.len() == 1 => ("eq", json!(values[0]), false),
        Some(Expected::AnyOf(values)) => ("in", json!(values), false),
        Some(Expected::Range {
            min: Some(min),
            max: None,
        }) => ("ge", number(*min), true),
        Some(Expected::Range {
            min: None,
            max: Some(max),
        }) => ("le", number(*max), true),
        // Both bounds: the values from the lower to the upper, inclusive.
        Some(Expected::Range { min, max }) => {
            ("in", json!([min.map(number), max.map(number)]), true)
        }
        Some(Expected::NotBefore(date)) => ("ge", json!(date.to_string()), false),
    };
    ExpectedOut {
        op,
        parameter: asked.parameter.as_deref(),
        unit: unit.filter(|_| with_unit),
        value,
    }
}
