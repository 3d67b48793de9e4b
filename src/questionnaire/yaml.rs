//! The questionnaire as a YAML response template a vendor fills by hand or by program:
//! `procurement: <id>` and `answers: { <question-id>: { answer, evidence, comment } }`,
//! each question shown as a comment above its entry.

use super::{INSTRUCTIONS, Questionnaire, Words, answer_hint};
use crate::error::Error;
use crate::lang::Lang;
use crate::render::Templates;

pub fn write(qn: &Questionnaire<'_>, lang: Lang, t: &Templates) -> Result<String, Error> {
    let words = Words::resolve(t, lang)?;
    let p = &qn.selection.profile.procurement;
    let mut out = String::new();
    let comment = |out: &mut String, indent: &str, text: &str| {
        for line in text.lines() {
            out.push_str(indent);
            out.push_str("# ");
            // A control character is not allowed in YAML, even in a comment: show it.
            out.push_str(&crate::text_safety::visible(line.trim_end()));
            out.push('\n');
        }
    };
    comment(&mut out, "", words.l.q_title);
    comment(
        &mut out,
        "",
        &format!(
            "{} {} {}",
            super::pick(super::PROCUREMENT_LABEL, lang),
            p.id,
            single_line(&p.title)
        ),
    );
    // The instruction on the languages and formats a response may take.
    comment(&mut out, "", words.instructions[INSTRUCTIONS - 1]);
    out.push_str(&format!("procurement: {}\n", quote(&p.id)));
    out.push_str("answers:\n");
    for r in qn.rows(lang, &words.hints) {
        let q = &r.asked.question;
        comment(
            &mut out,
            "  ",
            &format!("{} {}", r.id, q.text.get(lang).trim()),
        );
        let mut hint = answer_hint(q, lang, &words.hints);
        if let Some(dep) = super::question_cell(qn, q, lang, &words.hints)
            .lines()
            .nth(2)
        {
            hint.push(' ');
            hint.push_str(dep);
        }
        comment(&mut out, "  ", &hint);
        if !r.evidence.is_empty() {
            comment(
                &mut out,
                "  ",
                &format!("{}: {}", super::pick(super::COLUMNS[4], lang), r.evidence),
            );
        }
        out.push_str(&format!("  {}:\n", r.id));
        out.push_str("    answer: \"\"\n    evidence: \"\"\n    comment: \"\"\n");
    }
    Ok(out)
}

fn single_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A YAML double-quoted scalar (JSON string syntax is valid YAML).
fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}
