//! The HTML redline: one self-contained page (inline CSS, no scripts, no external assets),
//! summary first, then the whole NEW text with legal redline colours. The contract's text
//! is always escaped: its own HTML, `<script>` included, shows as text.

use crate::diff::{ClauseStatus, Comparison};
use crate::lang::Lang;

use super::{Labels, Names, Tags, describe, escape_html, redline_markup, summary_cells};

const TAGS: Tags = Tags {
    delete: ("<del>", "</del>"),
    insert: ("<ins>", "</ins>"),
    moved: ("<span class=\"moved-text\">", "</span>"),
};

const STYLE: &str =
    "body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;line-height:1.6}
table.summary{border-collapse:collapse;margin:1em 0}
table.summary th,table.summary td{border:1px solid #999;padding:.2em .6em;text-align:right}
del{color:#c00;text-decoration:line-through}
ins{color:#00c;text-decoration:underline}
.moved-text,.moved .marker{color:#080}
.clause{margin:1em 0}
.clause.moved{border-left:3px solid #080;padding-left:.6em}
.clause .text{white-space:pre-wrap}
.marker{font-weight:bold;font-size:.9em}
.legend span,.legend del,.legend ins{margin-right:1em}
";

pub(crate) fn render(cmp: &Comparison, names: &Names, labels: &Labels) -> String {
    let lang = match cmp.lang {
        Lang::Ja => "ja",
        Lang::En => "en",
    };
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        labels.title, labels.title
    );
    out.push_str(&format!(
        "<p class=\"files\">{}: {} → {}: {}</p>\n",
        labels.old,
        escape_html(&names.old),
        labels.new,
        escape_html(&names.new)
    ));
    let cells = summary_cells(cmp, labels);
    out.push_str("<table class=\"summary\">\n<tr>");
    for (label, _) in &cells {
        out.push_str(&format!("<th>{label}</th>"));
    }
    out.push_str("</tr>\n<tr>");
    for (_, count) in &cells {
        out.push_str(&format!("<td>{count}</td>"));
    }
    out.push_str("</tr>\n</table>\n");
    out.push_str(&format!(
        "<p class=\"legend\"><del>{}</del><ins>{}</ins><span class=\"moved-text\">{}</span></p>\n",
        labels.deleted, labels.inserted, labels.moved
    ));
    for c in &cmp.clauses {
        let status = match c.status {
            ClauseStatus::Unchanged => "unchanged",
            ClauseStatus::Modified => "modified",
            ClauseStatus::Added => "added",
            ClauseStatus::Deleted => "deleted",
        };
        let mut class = format!("clause {status}");
        if c.moved {
            class.push_str(" moved");
        }
        if c.renumbered {
            class.push_str(" renumbered");
        }
        out.push_str(&format!("<div class=\"{class}\">\n"));
        if c.is_change() {
            out.push_str(&format!(
                "<div class=\"marker\">[{}]</div>\n",
                escape_html(&describe(cmp, c, labels))
            ));
        }
        out.push_str(&format!(
            "<div class=\"text\">{}</div>\n</div>\n",
            redline_markup(cmp, c, &TAGS)
        ));
    }
    out.push_str("</body>\n</html>\n");
    out
}
