//! Writing a [`Comparison`](super::Comparison): terminal text, Markdown and HTML redlines,
//! JSON, the 新旧対照表, and both as Word documents. Every format escapes the contract's text; none reads the clock.

pub mod docx;
pub mod html;
pub mod json;
pub mod markdown;
pub mod shinkyu;
pub mod text;

use super::{ClauseDiff, Comparison};
use crate::lang::Lang;

/// Names shown for the two versions (file names, never full paths, so output is stable).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names {
    pub old: String,
    pub new: String,
}

/// Words of the reports, in the documents' language.
pub(crate) struct Labels {
    pub title: &'static str,
    pub added: &'static str,
    pub deleted: &'static str,
    pub modified: &'static str,
    pub unchanged: &'static str,
    pub moved: &'static str,
    pub renumbered: &'static str,
    pub new: &'static str,
    pub old: &'static str,
    pub remarks: &'static str,
    pub omitted: &'static str,
    pub shinkyu_title: &'static str,
    /// The 新旧対照表's date line when no `--date` is given: a blank to fill in.
    pub date_blank: &'static str,
    pub inserted: &'static str,
}

impl Labels {
    pub fn of(lang: Lang) -> &'static Labels {
        match lang {
            Lang::Ja => &JA,
            Lang::En => &EN,
        }
    }
}

static JA: Labels = Labels {
    title: "契約書の比較",
    added: "新設",
    deleted: "削除",
    modified: "変更",
    unchanged: "変更なし",
    moved: "移動",
    renumbered: "条番号変更",
    new: "改正後",
    old: "改正前",
    remarks: "備考",
    omitted: "（略）",
    shinkyu_title: "新旧対照表",
    date_blank: "令和　　年　　月　　日",
    inserted: "挿入",
};

static EN: Labels = Labels {
    title: "Contract comparison",
    added: "Added",
    deleted: "Deleted",
    modified: "Modified",
    unchanged: "Unchanged",
    moved: "Moved",
    renumbered: "Renumbered",
    new: "New",
    old: "Old",
    remarks: "Remarks",
    omitted: "(unchanged)",
    shinkyu_title: "Comparison table",
    date_blank: "Date: ____________________",
    inserted: "Inserted",
};

/// Escape text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\u{feff}' => {}
            _ => out.push(c),
        }
    }
    out
}

/// The label of a clause, from NEW when it exists: its path when it sits in a division
/// (`附則（平成三〇年法律第三三号）第三条`), else its number; its heading (or its first words); and
/// the library clause ID when it has one that is not already its number.
pub(crate) fn clause_label(cmp: &Comparison, c: &ClauseDiff) -> String {
    let Some(seg) = cmp.segment_of(c) else {
        return String::new();
    };
    let mut label = seg.label();
    if let (Some(path), Some(number)) = (&seg.path, &seg.number)
        && path.trim_end_matches('.') != number.trim_end_matches('.')
    {
        label = format!("{path} {}", seg.heading.as_deref().unwrap_or(""))
            .trim_end()
            .to_string();
    }
    if let Some(id) = cmp.clause_id_of(c)
        && seg.number.as_deref() != Some(id)
    {
        label.push_str(&format!(" [{id}]"));
    }
    label
}

/// The flags of a changed clause in words, e.g. `Modified · Moved · Renumbered (3. → 4.)`.
pub(crate) fn describe(cmp: &Comparison, c: &ClauseDiff, labels: &Labels) -> String {
    use super::ClauseStatus::*;
    let mut parts: Vec<String> = Vec::new();
    match c.status {
        Added => parts.push(labels.added.to_string()),
        Deleted => parts.push(labels.deleted.to_string()),
        Modified => parts.push(labels.modified.to_string()),
        Unchanged => {}
    }
    if c.moved {
        parts.push(labels.moved.to_string());
    }
    if c.renumbered {
        let old = c
            .old
            .and_then(|o| cmp.old[o].number.clone())
            .unwrap_or_default();
        let new = c
            .new
            .and_then(|n| cmp.new[n].number.clone())
            .unwrap_or_default();
        parts.push(format!("{} ({old} → {new})", labels.renumbered));
    }
    parts.join(" · ")
}

/// Wrap each line of `text` in `open`…`close`, so no tag spans a line break.
pub(crate) fn wrap_lines(out: &mut String, text: &str, open: &str, close: &str) {
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        // Output lines end in LF whatever the input used.
        let body = line.strip_suffix('\r').unwrap_or(line);
        if !body.is_empty() {
            out.push_str(open);
            out.push_str(&escape_html(body));
            out.push_str(close);
        }
    }
}

/// Opening and closing markup for each kind of run in a redline.
pub(crate) struct Tags {
    pub delete: (&'static str, &'static str),
    pub insert: (&'static str, &'static str),
    pub moved: (&'static str, &'static str),
}

/// A clause's text as escaped markup: its redline, or its plain text when unchanged.
pub(crate) fn redline_markup(cmp: &Comparison, c: &ClauseDiff, tags: &Tags) -> String {
    let mut out = String::new();
    let equal = if c.moved { tags.moved } else { ("", "") };
    if c.status == super::ClauseStatus::Unchanged {
        if let Some(n) = c.new {
            wrap_lines(&mut out, cmp.new[n].display(), equal.0, equal.1);
        }
        return out;
    }
    for e in &c.edits {
        let (open, close) = match e.op {
            super::redline::EditOp::Equal => equal,
            super::redline::EditOp::Delete => tags.delete,
            super::redline::EditOp::Insert => tags.insert,
        };
        wrap_lines(&mut out, &e.text, open, close);
    }
    out
}

/// The summary as (label, count) pairs, in the JSON order.
pub(crate) fn summary_cells(cmp: &Comparison, labels: &Labels) -> [(&'static str, usize); 6] {
    let s = &cmp.summary;
    [
        (labels.added, s.added),
        (labels.deleted, s.deleted),
        (labels.modified, s.modified),
        (labels.unchanged, s.unchanged),
        (labels.moved, s.moved),
        (labels.renumbered, s.renumbered),
    ]
}
