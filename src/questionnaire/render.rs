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

#[derive(Serialize)]
struct Data<'a> {
    lang: &'a str,
    l: std::collections::BTreeMap<&'a str, &'a str>,
    intro: String,
    id: &'a str,
    title: &'a str,
    buyer: String,
    issued: String,
    tier: String,
    count: usize,
    instructions: Vec<&'a str>,
    legend: Vec<&'a str>,
    sections: Vec<Section>,
}

#[derive(Serialize)]
struct Section {
    id: String,
    title: String,
    questions: Vec<QuestionData>,
}

#[derive(Serialize)]
struct QuestionData {
    id: String,
    text: String,
    hint: String,
    depends: String,
    evidence: String,
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
    let data = Data {
        lang: lang.code(),
        l: t.labels(lang),
        intro: super::intro(sel.library, &words.l, lang),
        id: &p.id,
        title: &p.title,
        buyer: p.buyer.with_department(),
        issued: format_date(p.issued, lang),
        tier: tier_name(sel.library, sel.decision.tier, lang),
        count: qn.questions.len(),
        instructions: words.instructions.clone(),
        legend: words.legend.clone(),
        sections,
    };
    let markdown = t.render_markdown("questionnaire.md", &data)?;
    let title = format!("{} — {} {}", words.l.q_title, p.id, p.title);
    let html = t.html_page(&title, lang, "document.css", &markdown)?;
    Ok(Rendered { markdown, html })
}
