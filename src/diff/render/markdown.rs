//! The Markdown redline: summary table first, then the whole NEW text with deletions red and
//! struck through, insertions blue and underlined, moved clauses green (inline HTML with
//! styles, since Markdown has no colour). The contract's own HTML is escaped, never passed on.

use crate::diff::Comparison;

use super::{Labels, Names, Tags, describe, escape_html, redline_markup, summary_cells};

const TAGS: Tags = Tags {
    delete: (
        "<del style=\"color:#c00;text-decoration:line-through\">",
        "</del>",
    ),
    insert: (
        "<ins style=\"color:#00c;text-decoration:underline\">",
        "</ins>",
    ),
    moved: ("<span style=\"color:#080\">", "</span>"),
};

pub(crate) fn render(cmp: &Comparison, names: &Names, labels: &Labels) -> String {
    let mut out = format!("# {}\n\n", labels.title);
    out.push_str(&format!(
        "{}: {} → {}: {}\n\n",
        labels.old,
        escape_html(&names.old),
        labels.new,
        escape_html(&names.new)
    ));
    let cells = summary_cells(cmp, labels);
    out.push_str(&format!(
        "| {} |\n",
        cells.iter().map(|c| c.0).collect::<Vec<_>>().join(" | ")
    ));
    out.push_str(&format!("|{}\n", " ---: |".repeat(cells.len())));
    out.push_str(&format!(
        "| {} |\n\n",
        cells
            .iter()
            .map(|c| c.1.to_string())
            .collect::<Vec<_>>()
            .join(" | ")
    ));
    out.push_str(&format!(
        "{}{}{} · {}{}{} · {}{}{}\n\n---\n\n",
        TAGS.delete.0,
        labels.deleted,
        TAGS.delete.1,
        TAGS.insert.0,
        labels.inserted,
        TAGS.insert.1,
        TAGS.moved.0,
        labels.moved,
        TAGS.moved.1
    ));
    for c in &cmp.clauses {
        if c.is_change() {
            let (open, close) = if c.moved { TAGS.moved } else { ("", "") };
            out.push_str(&format!(
                "{open}**\\[{}\\]**{close}\n\n",
                escape_html(&describe(cmp, c, labels))
            ));
        }
        out.push_str(&redline_markup(cmp, c, &TAGS));
        out.push_str("\n\n");
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('\n');
    out
}
