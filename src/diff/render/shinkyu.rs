//! The 新旧対照表 (comparison table of an amendment) as one self-contained HTML page.
//!
//! Columns 改正後 | 改正前 | 備考 (New | Old | Remarks for English documents), one row per
//! changed clause, the changed words underlined on both sides, runs of unchanged clauses
//! folded into one （略） row, and remarks 新設 / 削除 / 変更 / 移動 / 条番号変更.

use crate::diff::redline::EditOp;
use crate::diff::segment::Segment;
use crate::diff::{ClauseDiff, ClauseStatus, Comparison};
use chrono::NaiveDate;

use crate::lang::{Lang, format_date};

use super::{Labels, escape_html};

/// Landscape A4 with page numbers; Mincho text, 禁則 line breaking.
const STYLE: &str = "@page{size:A4 landscape;margin:15mm 15mm 18mm 15mm;@bottom-center{content:counter(page) \" / \" counter(pages);font-size:8.5pt}}
body{font-family:\"Yu Mincho\",\"YuMincho\",\"Hiragino Mincho ProN\",\"Noto Serif CJK JP\",\"MS Mincho\",serif;font-size:10.5pt;line-height:1.6;line-break:strict;overflow-wrap:break-word;margin:0}
h1{font-size:15pt;text-align:center;margin:0 0 .2em}
p.date{text-align:right;margin:0 0 .8em}
table.shinkyu{border-collapse:collapse;width:100%;table-layout:fixed}
thead{display:table-header-group}
table.shinkyu th,table.shinkyu td{border:1px solid #000;padding:.4em .6em;vertical-align:top}
table.shinkyu th{background:#eee}
table.shinkyu td.text{white-space:pre-wrap}
table.shinkyu col.remarks{width:8em}
table.shinkyu tr.omitted td{text-align:center}
u{text-decoration:underline}
";

/// The title of the 新旧対照表 (the contract's name, from the first line of NEW when that
/// is a title rather than a clause, then 新旧対照表) and its date line: `date` in the
/// documents' language, or a blank to fill in.
pub(crate) fn title(
    cmp: &Comparison,
    date: Option<NaiveDate>,
    labels: &Labels,
) -> (String, String) {
    let title = match contract_name(cmp) {
        Some(name) => labels.shinkyu_title_of(&name),
        None => labels.shinkyu_title.to_string(),
    };
    let date = date.map_or_else(
        || labels.date_blank.to_string(),
        |d| format_date(d, cmp.lang),
    );
    (title, date)
}

/// The contract's name: NEW's first line when it opens the document unnumbered (a
/// Markdown heading or a title line such as 業務委託契約書), without its markup.
fn contract_name(cmp: &Comparison) -> Option<String> {
    let first = cmp.new.first()?;
    if first.number.is_some() {
        return None;
    }
    let line = first.display().lines().find(|l| !l.trim().is_empty())?;
    let name = line
        .trim()
        .trim_start_matches('#')
        .trim()
        .trim_matches(|c| c == '*' || c == '_')
        .trim();
    // A title is short; a long first line is a preamble sentence.
    (!name.is_empty() && name.chars().count() <= 60 && !name.ends_with(['。', '.']))
        .then(|| name.to_string())
}

pub(crate) fn render(cmp: &Comparison, date: Option<NaiveDate>, labels: &Labels) -> String {
    let lang = match cmp.lang {
        Lang::Ja => "ja",
        Lang::En => "en",
    };
    let (title, date) = title(cmp, date, labels);
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{t}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<h1>{t}</h1>\n<p class=\"date\">{d}</p>\n",
        t = escape_html(&title),
        d = escape_html(&date)
    );
    out.push_str(
        "<table class=\"shinkyu\">\n<colgroup><col><col><col class=\"remarks\"></colgroup>\n",
    );
    out.push_str(&format!(
        "<thead>\n<tr><th>{}</th><th>{}</th><th>{}</th></tr>\n</thead>\n<tbody>\n",
        labels.new, labels.old, labels.remarks
    ));
    for row in rows(cmp, labels) {
        match row {
            Row::Omitted => out.push_str(&format!(
                "<tr class=\"omitted\"><td>{o}</td><td>{o}</td><td></td></tr>\n",
                o = labels.omitted
            )),
            Row::Changed { new, old, remarks } => out.push_str(&format!(
                "<tr class=\"changed\"><td class=\"text\">{}</td><td class=\"text\">{}</td><td class=\"remarks\">{}</td></tr>\n",
                spans_html(&new),
                spans_html(&old),
                escape_html(&remarks)
            )),
        }
    }
    out.push_str("</tbody>\n</table>\n</body>\n</html>\n");
    out
}

/// A run of a cell's text; `underline` marks what changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Span {
    /// The text, line breaks as LF whatever the input used.
    pub text: String,
    pub underline: bool,
}

impl Span {
    fn new(text: &str, underline: bool) -> Span {
        Span {
            text: text.replace("\r\n", "\n"),
            underline,
        }
    }
}

/// One row of the table body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Row {
    /// A run of unchanged clauses, folded as （略）.
    Omitted,
    /// A changed clause: the 改正後 and 改正前 cells and the remarks.
    Changed {
        new: Vec<Span>,
        old: Vec<Span>,
        remarks: String,
    },
}

/// The body rows of the 新旧対照表, shared by the HTML page and the Word table.
pub(crate) fn rows(cmp: &Comparison, labels: &Labels) -> Vec<Row> {
    let mut out = Vec::new();
    let mut folding = false;
    for c in &cmp.clauses {
        if !c.is_change() {
            if !folding {
                out.push(Row::Omitted);
                folding = true;
            }
            continue;
        }
        folding = false;
        let (new, old) = cells(cmp, c, labels);
        out.push(Row::Changed {
            new,
            old,
            remarks: remarks(cmp, c, labels),
        });
    }
    out
}

fn spans_html(spans: &[Span]) -> String {
    spans
        .iter()
        .map(|s| {
            if s.underline {
                format!("<u>{}</u>", escape_html(&s.text))
            } else {
                escape_html(&s.text)
            }
        })
        .collect()
}

/// The remarks: what happened, then the library clause ID when the clause has one (so the
/// buyer sees which requirement the vendor's change touches).
fn remarks(cmp: &Comparison, c: &ClauseDiff, labels: &Labels) -> String {
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
    let mut out = parts.join(labels.remarks_separator);
    if let Some(id) = cmp.clause_id_of(c) {
        out.push_str(&format!(" ({id})"));
    }
    out
}

/// The 改正後 and 改正前 cells of a changed clause.
fn cells(cmp: &Comparison, c: &ClauseDiff, labels: &Labels) -> (Vec<Span>, Vec<Span>) {
    match c.status {
        ClauseStatus::Added | ClauseStatus::Deleted | ClauseStatus::Modified => {
            let mut new_cell = Vec::new();
            let mut old_cell = Vec::new();
            for e in &c.edits {
                match e.op {
                    EditOp::Equal => {
                        new_cell.push(Span::new(&e.text, false));
                        old_cell.push(Span::new(&e.old_text, false));
                    }
                    EditOp::Insert => new_cell.push(Span::new(&e.text, true)),
                    EditOp::Delete => old_cell.push(Span::new(&e.text, true)),
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
fn numbered(seg: &Segment, underline_number: bool, fold: bool, labels: &Labels) -> Vec<Span> {
    let text = seg.display();
    let bom = seg.text.len() - seg.text.trim_start_matches('\u{feff}').len();
    if fold {
        let mut parts: Vec<Span> = Vec::new();
        if let Some(n) = &seg.number {
            parts.push(Span::new(n, underline_number));
            parts.push(Span::new(" ", false));
        }
        if let Some(h) = &seg.heading {
            parts.push(Span::new(h, false));
            parts.push(Span::new(" ", false));
        }
        parts.push(Span::new(labels.omitted, false));
        return parts;
    }
    match &seg.number_span {
        Some(span) if span.start >= bom && span.end - bom <= text.len() => vec![
            Span::new(&text[..span.start - bom], false),
            Span::new(&text[span.start - bom..span.end - bom], underline_number),
            Span::new(&text[span.end - bom..], false),
        ],
        _ => vec![Span::new(text, false)],
    }
}
