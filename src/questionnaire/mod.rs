//! The vendor disclosure questionnaire of requirement (6)-2.2: the library's questions for the
//! procurement's tier, plus one question per selected clause asking whether the vendor
//! accepts it as written, each with the answer expected at that tier. The submodules write
//! it as a workbook, CSV, Markdown/HTML and a YAML response template.

pub mod csv;
pub mod json;
pub mod render;
pub mod xlsx;
pub mod yaml;

use std::borrow::Cow;

use chrono::NaiveDate;

use crate::error::Error;
use crate::lang::Lang;
use crate::library::question::{Accepted, AnswerType, Bound, DateBound, Dependency, Question};
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
    pub fn rows(&self, lang: Lang) -> Vec<Row<'_>> {
        self.questions
            .iter()
            .map(|a| Row {
                asked: a,
                id: &a.question.id,
                requirement: requirement_cell(self.library(), &a.question, lang),
                question: question_cell(self, &a.question, lang),
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
