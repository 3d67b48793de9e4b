//! The vendor disclosure questionnaire of requirement (6)-2.2: the library's questions for the
//! procurement's tier, plus one question per selected clause asking whether the vendor
//! accepts it as written, each with the answer expected at that tier. The submodules write
//! it as a workbook, CSV, Markdown/HTML and a YAML response template.

pub mod csv;
pub mod json;
pub mod render;
pub mod schema;
pub mod xlsx;
pub mod yaml;

use std::borrow::Cow;

use crate::error::Error;
use crate::lang::Lang;
use crate::library::Library;
use crate::library::question::{AnswerType, Dependency, Question};

pub use schema::{
    Asked, COL_ANSWER, COL_COMMENT, COL_EVIDENCE, COL_ID, COL_QUESTION, COLUMNS, COVER_SHEET,
    Expected, PROCUREMENT_LABEL, QUESTIONS_SHEET, Questionnaire, Row, pick,
};

crate::render::labels! {
    /// The labels every format of the questionnaire uses, resolved once per document.
    pub struct Labels {
        q_title,
        q_intro,
        procurement_title,
        buyer,
        issued,
        q_tier,
        q_questions,
        q_deadline,
        q_proposer,
        q_instructions,
        q_legend,
        q_invalid_title,
        q_invalid_list,
        q_invalid_number,
        q_invalid_date,
    }
}

/// The questionnaire's words in one language: its labels, its numbered instructions and its
/// answer legend, every one checked to exist before anything is written.
pub struct Words<'a> {
    pub l: Labels<'a>,
    /// `q_instruction_1` … `q_instruction_5`.
    pub instructions: Vec<&'a str>,
    /// [`LEGEND_KEYS`], in order.
    pub legend: Vec<&'a str>,
}

impl<'a> Words<'a> {
    pub fn resolve(t: &'a crate::render::Templates, lang: Lang) -> Result<Words<'a>, Error> {
        Ok(Words {
            l: Labels::resolve(t, lang)?,
            instructions: crate::render::resolve_all(
                t,
                (1..=INSTRUCTIONS).map(|i| format!("q_instruction_{i}")),
                lang,
            )?,
            legend: crate::render::resolve_all(t, LEGEND_KEYS, lang)?,
        })
    }
}

/// The number of instructions (`q_instruction_<n>`); the YAML template repeats the last.
pub const INSTRUCTIONS: usize = 5;

/// The questionnaire's introduction, citing the guideline (and its edition) as the library
/// gives it: the label's `{guideline}` is replaced.
pub fn intro(lib: &Library, l: &Labels<'_>, lang: Lang) -> String {
    l.q_intro
        .replace("{guideline}", &lib.guideline.citation(lang))
}

/// Labels of the answer legend, in the order every format shows them.
pub const LEGEND_KEYS: [&str; 6] = [
    "q_legend_yes",
    "q_legend_no",
    "q_legend_partial",
    "q_legend_na",
    "q_legend_date",
    "q_legend_number",
];

/// The formats a questionnaire is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// An Excel workbook: cover sheet, questions with dropdowns, only answer cells editable.
    Xlsx,
    /// The questions sheet as CSV (UTF-8 with BOM, CRLF).
    Csv,
    /// A printable Markdown version.
    Md,
    /// A printable A4 HTML version.
    Html,
    /// A response template to fill in: {procurement, answers: {ID: {answer, evidence, comment}}}.
    Yaml,
    /// The questions with their answer forms and expected answers, for other programs.
    Json,
}

/// The questionnaire in each format `wanted` accepts, as (file name, bytes), in a fixed
/// order: `questionnaire.<lang>.<ext>`.
pub fn files(
    qn: &Questionnaire<'_>,
    lang: Lang,
    templates: &crate::render::Templates,
    wanted: impl Fn(Format) -> bool,
) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let name = |ext: &str| format!("questionnaire.{lang}.{ext}");
    let mut files = Vec::new();
    if wanted(Format::Xlsx) {
        files.push((name("xlsx"), xlsx::write(qn, lang, templates)?));
    }
    if wanted(Format::Csv) {
        files.push((name("csv"), csv::write(qn, lang)?));
    }
    if wanted(Format::Md) || wanted(Format::Html) {
        let rendered = render::render(qn, lang, templates)?;
        if wanted(Format::Md) {
            files.push((name("md"), rendered.markdown.into_bytes()));
        }
        if wanted(Format::Html) {
            files.push((name("html"), rendered.html.into_bytes()));
        }
    }
    if wanted(Format::Yaml) {
        files.push((name("yaml"), yaml::write(qn, lang, templates)?.into_bytes()));
    }
    if wanted(Format::Json) {
        files.push((name("json"), json::write(qn, lang).into_bytes()));
    }
    Ok(files)
}

/// `(6)-2.2 セキュリティ慣行の要求開示`, one line per requirement.
pub fn requirement_cell(lib: &Library, q: &Question, lang: Lang) -> String {
    q.requirements
        .iter()
        .map(|r| match lib.requirement(r) {
            Some(req) => format!("{} {}", req.id, req.title.get(lang)),
            None => r.clone(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The question text, then how to answer it and when it is asked. Responses must return
/// this cell unchanged (in either language).
pub fn question_cell(qn: &Questionnaire<'_>, q: &Question, lang: Lang) -> String {
    let mut out = q.text.get(lang).trim().to_string();
    out.push('\n');
    out.push_str(&answer_hint(q, lang));
    if let Some(dep) = &q.depends_on {
        out.push('\n');
        out.push_str(&dependency_hint(qn, dep, lang));
    }
    out
}

/// `（回答：はい／いいえ／一部／該当なし）`.
pub fn answer_hint(q: &Question, lang: Lang) -> String {
    let (sep, open, close, label) = match lang {
        Lang::Ja => ("／", "（", "）", "回答："),
        Lang::En => (" / ", "(", ")", "Answer: "),
    };
    let form: Cow<str> = match (q.kind, lang) {
        (AnswerType::YesNo | AnswerType::Choice, _) => q.labels(lang).join(sep).into(),
        (AnswerType::Date, Lang::Ja) => "日付（YYYY-MM-DD）".into(),
        (AnswerType::Date, Lang::En) => "a date (YYYY-MM-DD)".into(),
        (AnswerType::Number, _) => {
            let unit = q.unit.as_ref().map_or("", |u| u.get(lang));
            match lang {
                Lang::Ja => format!("数値（{unit}）").into(),
                Lang::En => format!("a number ({unit})").into(),
            }
        }
        (AnswerType::Text, Lang::Ja) => "自由記述".into(),
        (AnswerType::Text, Lang::En) => "free text".into(),
    };
    format!("{open}{label}{form}{close}")
}

/// `（Q-SBOM-01 が「はい」又は「一部」の場合に回答）`.
fn dependency_hint(qn: &Questionnaire<'_>, dep: &Dependency, lang: Lang) -> String {
    let labels: Vec<String> = dep
        .answers
        .iter()
        .map(|a| {
            qn.find(&dep.question)
                .and_then(|t| t.question.label(a, lang))
                .unwrap_or_else(|| a.clone())
        })
        .collect();
    match lang {
        Lang::Ja => {
            let quoted: Vec<String> = labels.iter().map(|l| format!("「{l}」")).collect();
            format!("（{} が{}の場合に回答）", dep.question, quoted.join("又は"))
        }
        Lang::En => {
            let quoted: Vec<String> = labels.iter().map(|l| format!("\"{l}\"")).collect();
            format!(
                "(Answer only if {} is {})",
                dep.question,
                quoted.join(" or ")
            )
        }
    }
}

/// The expected answer in words, for reports.
pub fn expected_text(asked: &Asked, lang: Lang) -> String {
    let q = &asked.question;
    let Some(e) = &asked.expected else {
        return String::new();
    };
    let unit = q.unit.as_ref().map_or("", |u| u.get(lang));
    let num = |n: f64| format_number(n);
    match (e, lang) {
        (Expected::AnyOf(v), _) => v
            .iter()
            .map(|x| q.label(x, lang).unwrap_or_else(|| x.clone()))
            .collect::<Vec<_>>()
            .join(if lang == Lang::Ja { "／" } else { " / " }),
        (Expected::Range { min, max }, Lang::Ja) => match (min, max) {
            (Some(a), Some(b)) => format!("{}{unit}以上{}{unit}以下", num(*a), num(*b)),
            (Some(a), None) => format!("{}{unit}以上", num(*a)),
            (None, Some(b)) => format!("{}{unit}以内", num(*b)),
            (None, None) => String::new(),
        },
        (Expected::Range { min, max }, Lang::En) => match (min, max) {
            (Some(a), Some(b)) => format!("{} to {} {unit}", num(*a), num(*b)),
            (Some(a), None) => format!("at least {} {unit}", num(*a)),
            (None, Some(b)) => format!("at most {} {unit}", num(*b)),
            (None, None) => String::new(),
        },
        (Expected::NotBefore(d), Lang::Ja) => {
            format!("{}以降", crate::lang::format_date(*d, lang))
        }
        (Expected::NotBefore(d), Lang::En) => {
            format!("on or after {}", crate::lang::format_date(*d, lang))
        }
    }
}

/// `7`, `7.5`: no trailing `.0`.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A cell value a spreadsheet program would read as a formula (or that hides a control
/// character at its start) gets a leading `'`, so it stays text: `=HYPERLINK(…)` becomes
/// `'=HYPERLINK(…)`. Every string chotatsu writes to a workbook or CSV goes through this.
pub fn neutralise(s: &str) -> Cow<'_, str> {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{s}")),
        _ => Cow::Borrowed(s),
    }
}
