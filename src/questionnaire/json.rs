//! The questionnaire as JSON for other programs (a bidding portal, the buyer's own scoring):
//! `{"procurement", "tier", "contract_type", "questions": [{"id", "requirement", "clauses",
//! "text", "answer": {"kind", "choices"?, "unit"?}, "expected": {"op", "value", "unit"?,
//! "parameter"?}}]}`. Every expected number, duration or date is the one in force for this
//! procurement, and `parameter` names the clause parameter it comes from.

use serde_json::{Map, Value, json};

use super::{Asked, Expected, Questionnaire};
use crate::lang::Lang;
use crate::library::question::AnswerType;

/// The questionnaire in `lang`, pretty-printed with a final newline.
pub fn write(qn: &Questionnaire<'_>, lang: Lang) -> String {
    let sel = qn.selection;
    let value = json!({
        "procurement": sel.profile.procurement.id,
        "tier": sel.decision.tier,
        "contract_type": sel.contract_type.key(),
        "questions": qn.questions.iter().map(|a| question(a, lang)).collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

fn question(asked: &Asked, lang: Lang) -> Value {
    let q = &asked.question;
    let unit = q.unit.as_ref().map(|u| u.get(lang).to_string());
    let mut answer = Map::new();
    let kind = match q.kind {
        AnswerType::YesNo | AnswerType::Choice => "choice",
        AnswerType::Number => "number",
        AnswerType::Date => "date",
        AnswerType::Text => "text",
    };
    answer.insert("kind".into(), kind.into());
    if kind == "choice" {
        answer.insert("choices".into(), json!(q.values()));
    }
    if let (AnswerType::Number, Some(u)) = (q.kind, &unit) {
        answer.insert("unit".into(), u.clone().into());
    }
    json!({
        "id": q.id,
        "requirement": q.requirements.first(),
        "clauses": q.clauses,
        "text": q.text.get(lang).trim(),
        "answer": answer,
        "expected": expected(asked, unit),
    })
}

fn expected(asked: &Asked, unit: Option<String>) -> Value {
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
    let mut out = Map::new();
    out.insert("op".into(), op.into());
    out.insert("value".into(), value);
    if let (true, Some(u)) = (with_unit, unit) {
        out.insert("unit".into(), u.into());
    }
    if let Some(p) = &asked.parameter {
        out.insert("parameter".into(), p.clone().into());
    }
    Value::Object(out)
}
