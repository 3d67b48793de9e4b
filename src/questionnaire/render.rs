//! The questionnaire as a printable document (Markdown, and HTML from it): cover block,
//! instructions, answer legend, then the questions by requirement with blanks to fill.

use serde::Serialize;

use super::{Questionnaire, answer_hint};
use crate::error::Error;
use crate::lang::{Lang, format_date};
use crate::render::Templates;
use crate::tier::tier_name;

pub struct Rendered {
    pub markdown: String,
    pub html: String,
}

/// The cover of the document: what this procurement alone says.
#[derive(Serialize)]
struct Cover<'a> {
    lang: &'a str,
    l: &'a std::collections::BTreeMap<&'a str, &'a str>,
    intro: String,
    id: &'a str,
    title: &'a str,
    buyer: String,
    issued: String,
    tier: String,
    count: usize,
}

/// The rest of the document: instructions, legend and questions, the same for every
/// procurement that asks the same questions in the same language (the labels, instructions
/// and legend are the bundled templates' for the language).
#[derive(PartialEq, Eq, Hash)]
struct Questions {
    lang: Lang,
    sections: Vec<Section>,
}

/// [`Questions`] with the labels, as the template reads them.
#[derive(Serialize)]
struct QuestionsData<'a> {
    lang: &'a str,
    l: &'a std::collections::BTreeMap<&'a str, &'a str>,
    instructions: &'a [&'a str],
    legend: &'a [&'a str],
    sections: &'a [Section],
}

#[derive(Serialize, PartialEq, Eq, Hash)]
struct Section {
    id: String,
    title: String,
    questions: Vec<QuestionData>,
}

#[derive(Serialize, PartialEq, Eq, Hash)]
struct QuestionData {
    id: String,
    text: String,
    hint: String,
    depends: String,
    evidence: String,
}

/// Questions parts remembered per thread in each generation (see [`crate::memo`]).
const QUESTIONS_KEPT: usize = 64;

thread_local! {
    /// The Markdown of each [`Questions`]: a batch renders the same questions for every
    /// package of the same tier and selection.
    static QUESTIONS: std::cell::RefCell<crate::memo::Memo<Questions, std::rc::Rc<str>>> = const {
        std::cell::RefCell::new(crate::memo::Memo::new(QUESTIONS_KEPT))
    };
}

pub fn render(qn: &Questionnaire<'_>, lang: Lang, t: &Templates) -> Result<Rendered, Error> {
    let words = super::Words::resolve(t, lang)?;
    let sel = qn.selection;
    let p = &sel.profile.procurement;
    let mut sections: Vec<Section> = Vec::new();
    for r in qn.rows(lang, &words.hints) {
        let q = &r.asked.question;
        let req = q.requirements.first().cloned().unwrap_or_default();
        if sections.last().is_none_or(|s| s.id != req) {
            sections.push(Section {
                title: sel
                    .library
                    .requirement(&req)
                    .map_or_else(String::new, |x| x.title.get(lang).to_string()),
                id: req,
                questions: Vec::new(),
            });
        }
        let depends = r.question.lines().nth(2).unwrap_or("").to_string();
        if let Some(section) = sections.last_mut() {
            section.questions.push(QuestionData {
                id: r.id.to_string(),
                text: q.text.get(lang).trim().to_string(),
                hint: answer_hint(q, lang, &words.hints),
                depends,
                evidence: r.evidence.clone(),
            });
        }
    }
    let labels = t.labels(lang);
    let cover = Cover {
        lang: lang.code(),
        l: &labels,
        intro: super::intro(sel.library, &words.l, lang),
        id: &p.id,
        title: &p.title,
        buyer: p.buyer.with_department(),
        issued: format_date(p.issued, lang),
        tier: tier_name(sel.library, sel.decision.tier, lang),
        count: qn.questions.len(),
    };
    let mut markdown = t.render_markdown("questionnaire.md", &cover)?;
    let questions = Questions { lang, sections };
    match QUESTIONS.with_borrow_mut(|m| m.find(&questions)) {
        Some(rest) => markdown.push_str(&rest),
        None => {
            let rest = t.render_markdown(
                "questionnaire.questions.md",
                &QuestionsData {
                    lang: lang.code(),
                    l: &labels,
                    instructions: &words.instructions,
                    legend: &words.legend,
                    sections: &questions.sections,
                },
            )?;
            markdown.push_str(&rest);
            QUESTIONS.with_borrow_mut(|m| {
                if m.admits(&questions) {
                    m.insert(questions, rest.into());
                }
            });
        }
    }
    let title = format!("{} — {} {}", words.l.q_title, p.id, p.title);
    let html = t.html_page(&title, lang, "document.css", &markdown)?;
    Ok(Rendered { markdown, html })
}
