//! The 新旧対照表 (comparison table of an amendment) as one self-contained HTML page.
//!
//! Columns 改正後 | 改正前 | 備考 (New | Old | Remarks for English documents), one row per
//! changed clause, the changed words underlined on both sides, runs of unchanged clauses
//! folded into one （略） row, and remarks 新設 / 削除 / 変更 / 移動 / 条番号変更.

use crate::diff::redline::EditOp;
use crate::diff::segment::Segment;
use crate::diff::{ClauseDiff, ClauseStatus, Comparison};
use crate::lang::Lang;

use super::{Labels, escape_html};

const STYLE: &str = "body{font-family:serif;margin:2em}
table.shinkyu{border-collapse:collapse;width:100%;table-layout:fixed}
table.shinkyu th,table.shinkyu td{border:1px solid #000;padding:.4em .6em;vertical-align:top}
table.shinkyu th{background:#eee}
table.shinkyu td.text{white-space:pre-wrap}
table.shinkyu col.remarks{width:8em}
table.shinkyu tr.omitted td{text-align:center}
u{text-decoration:underline}
";

pub fn render(cmp: &Comparison) -> String {
    let labels = Labels::of(cmp.lang);
    let lang = match cmp.lang {
        Lang::Ja => "ja",
        Lang::En => "en",
    };
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{t}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<h1>{t}</h1>\n",
        t = labels.shinkyu_title
    );
    out.push_str(
        "<table class=\"shinkyu\">\n<colgroup><col><col><col class=\"remarks\"></colgroup>\n",
    );
    out.push_str(&format!(
        "<thead>\n<tr><th>{}</th><th>{}</th><th>{}</th></tr>\n</thead>\n<tbody>\n",
        labels.new, labels.old, labels.remarks
    ));
    let mut folding = false;
    for c in &cmp.clauses {
        if !c.is_change() {
            if !folding {
                out.push_str(&format!(
                    "<tr class=\"omitted\"><td>{o}</td><td>{o}</td><td></td></tr>\n",
                    o = labels.omitted
                ));
                folding = true;
            }
            continue;
        }
        folding = false;
        let (new_cell, old_cell) = cells(cmp, c, labels);
        out.push_str(&format!(
            "<tr class=\"changed\"><td class=\"text\">{new_cell}</td><td class=\"text\">{old_cell}</td><td class=\"remarks\">{}</td></tr>\n",
            remarks(c, labels)
        ));
    }
    out.push_str("</tbody>\n</table>\n</body>\n</html>\n");
    out
}

fn remarks(c: &ClauseDiff, labels: &Labels) -> String {
    let mut parts: Vec<&str> = Vec::new();
    match c.status {
        ClauseStatus::Added => parts.push(labels.added),
        ClauseStatus::Deleted => parts.push(labels.deleted),
        ClauseStatus::Modified => parts.push(labels.modified),
        ClauseStatus::Unchanged => {}
    }
    if c.moved {
        parts.push(labels.moved);
    }
    if c.renumbered {
        parts.push(labels.renumbered);
    }
    let sep = if labels.omitted == "（略）" {
        "・"
    } else {
        ", "
    };
    parts.join(sep)
}

/// The 改正後 and 改正前 cells of a changed clause.
fn cells(cmp: &Comparison, c: &ClauseDiff, labels: &Labels) -> (String, String) {
    let underline = |text: &str| format!("<u>{}</u>", escape(text));
    match c.status {
        ClauseStatus::Added | ClauseStatus::Deleted | ClauseStatus::Modified => {
            let mut new_cell = String::new();
            let mut old_cell = String::new();
            for e in &c.edits {
                match e.op {
                    EditOp::Equal => {
                        new_cell.push_str(&escape(&e.text));
                        old_cell.push_str(&escape(&e.old_text));
                    }
                    EditOp::Insert => new_cell.push_str(&underline(&e.text)),
                    EditOp::Delete => old_cell.push_str(&underline(&e.text)),
                }
            }
            (new_cell, old_cell)
        }
        ClauseStatus::Unchanged => {
            // Moved or renumbered only: the number (underlined when it changed); the whole
            // text when the clause moved, so the reader sees what moved.
            let side = |seg: Option<&Segment>| {
                seg.map(|s| numbered(s, c.renumbered, !c.moved, labels))
                    .unwrap_or_default()
            };
            (
                side(c.new.map(|n| &cmp.new[n])),
                side(c.old.map(|o| &cmp.old[o])),
            )
        }
    }
}

/// A clause with its number underlined; with `fold`, only number, heading and （略）.
fn numbered(seg: &Segment, underline_number: bool, fold: bool, labels: &Labels) -> String {
    let text = seg.display();
    let bom = seg.text.len() - seg.text.trim_start_matches('\u{feff}').len();
    let number = |n: &str| {
        if underline_number {
            format!("<u>{}</u>", escape(n))
        } else {
            escape(n)
        }
    };
    if fold {
        let mut parts: Vec<String> = Vec::new();
        if let Some(n) = &seg.number {
            parts.push(number(n));
        }
        if let Some(h) = &seg.heading {
            parts.push(escape(h));
        }
        parts.push(labels.omitted.to_string());
        return parts.join(" ");
    }
    match &seg.number_span {
        Some(span) if span.start >= bom && span.end - bom <= text.len() => format!(
            "{}{}{}",
            escape(&text[..span.start - bom]),
            number(&text[span.start - bom..span.end - bom]),
            escape(&text[span.end - bom..])
        ),
        _ => escape(text),
    }
}

fn escape(text: &str) -> String {
    escape_html(&text.replace("\r\n", "\n"))
}
