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
use crate::library::question::{AnswerType, AnswerWords, Dependency, Question};
use crate::render::fill;

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
    pub hints: Hints<'a>,
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
            hints: Hints::resolve(t)?,
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
        files.push((name("csv"), csv::write(qn, lang, templates)?));
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

crate::render::labels! {
    /// The words of the answer hints and of the expected answers, in one language.
    pub struct HintLabels {
        q_hint,
        q_hint_or,
        q_hint_date,
        q_hint_number,
        q_hint_text,
        q_hint_depends,
        q_hint_answer,
        q_hint_answers_or,
        q_expected_between,
        q_expected_at_least,
        q_expected_at_most,
        q_expected_not_before,
    }
}

/// The patterns among [`HintLabels`] and the fields each may use.
const HINT_PATTERNS: [(&str, &[&str]); 8] = [
    ("q_hint", &["form"]),
    ("q_hint_number", &["unit"]),
    ("q_hint_depends", &["question", "answers"]),
    ("q_hint_answer", &["answer"]),
    ("q_expected_between", &["min", "max", "unit"]),
    ("q_expected_at_least", &["min", "unit"]),
    ("q_expected_at_most", &["max", "unit"]),
    ("q_expected_not_before", &["date"]),
];

/// How a question is answered and what answer is expected, in both languages: a question
/// cell is read back in either, so both are resolved (and checked) before anything is written.
pub struct Hints<'a> {
    pub answers: AnswerWords<'a>,
    ja: HintLabels<'a>,
    en: HintLabels<'a>,
}

impl<'a> Hints<'a> {
    pub fn resolve(t: &'a crate::render::Templates) -> Result<Hints<'a>, Error> {
        for lang in Lang::ALL {
            for (key, fields) in HINT_PATTERNS {
                t.pattern(key, lang, fields)?;
            }
        }
        Ok(Hints {
            answers: t.answer_words()?,
            ja: HintLabels::resolve(t, Lang::Ja)?,
            en: HintLabels::resolve(t, Lang::En)?,
        })
    }

    pub fn get(&self, lang: Lang) -> &HintLabels<'a> {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }
}

/// The question text, then how to answer it and when it is asked. Responses must return
/// this cell unchanged (in either language).
pub fn question_cell(qn: &Questionnaire<'_>, q: &Question, lang: Lang, hints: &Hints) -> String {
    let mut out = q.text.get(lang).trim().to_string();
    out.push('\n');
    out.push_str(&answer_hint(q, lang, hints));
    if let Some(dep) = &q.depends_on {
        out.push('\n');
        out.push_str(&dependency_hint(qn, dep, lang, hints));
    }
    out
}

/// `（回答：はい／いいえ／一部／該当なし）`.
pub fn answer_hint(q: &Question, lang: Lang, hints: &Hints) -> String {
    let h = hints.get(lang);
    let form: Cow<str> = match q.kind {
        AnswerType::YesNo | AnswerType::Choice => {
            q.labels(lang, &hints.answers).join(h.q_hint_or).into()
        }
        AnswerType::Date => h.q_hint_date.into(),
        AnswerType::Number => {
            let unit = q.unit.as_ref().map_or("", |u| u.get(lang));
            fill(h.q_hint_number, &[("unit", unit)]).into()
        }
        AnswerType::Text => h.q_hint_text.into(),
    };
    fill(h.q_hint, &[("form", &form)])
}

/// `（Q-SBOM-01 が「はい」又は「一部」の場合に回答）`.
fn dependency_hint(qn: &Questionnaire<'_>, dep: &Dependency, lang: Lang, hints: &Hints) -> String {
    let h = hints.get(lang);
    let answers: Vec<String> = dep
        .answers
        .iter()
        .map(|a| {
            let label = qn
                .find(&dep.question)
                .and_then(|t| t.question.label(a, lang, &hints.answers))
                .unwrap_or_else(|| a.clone());
            fill(h.q_hint_answer, &[("answer", &label)])
        })
        .collect();
    fill(
        h.q_hint_depends,
        &[
            ("question", &dep.question),
            ("answers", &answers.join(h.q_hint_answers_or)),
        ],
    )
}

/// The expected answer in words, for reports.
pub fn expected_text(asked: &Asked, lang: Lang, hints: &Hints) -> String {
    let q = &asked.question;
    let Some(e) = &asked.expected else {
        return String::new();
    };
    let h = hints.get(lang);
    let unit = q.unit.as_ref().map_or("", |u| u.get(lang));
    match e {
        Expected::AnyOf(v) => v
            .iter()
            .map(|x| {
                q.label(x, lang, &hints.answers)
                    .unwrap_or_else(|| x.clone())
            })
            .collect::<Vec<_>>()
            .join(h.q_hint_or),
        Expected::Range { min, max } => {
            let (min, max) = (min.map(format_number), max.map(format_number));
            let pattern = match (&min, &max) {
                (Some(_), Some(_)) => h.q_expected_between,
                (Some(_), None) => h.q_expected_at_least,
                (None, Some(_)) => h.q_expected_at_most,
                (None, None) => return String::new(),
            };
            fill(
                pattern,
                &[
                    ("min", min.as_deref().unwrap_or("")),
                    ("max", max.as_deref().unwrap_or("")),
                    ("unit", unit),
                ],
            )
        }
        Expected::NotBefore(d) => fill(
            h.q_expected_not_before,
            &[("date", &crate::lang::format_date(*d, lang))],
        ),
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
