//! The terminal report: a summary line, then each changed clause with its redline.
//!
//! With colour, deletions are red and struck through, insertions blue and underlined, moved
//! clauses green; without colour the markers are wdiff's `[-deleted-]` and `{+inserted+}`.

use crate::diff::redline::EditOp;
use crate::diff::{ClauseStatus, Comparison};

use super::{Labels, clause_label, describe};

const RED_STRIKE: &str = "\x1b[31;9m";
const BLUE_UNDERLINE: &str = "\x1b[34;4m";
const GREEN: &str = "\x1b[32m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// The report for a terminal; `color` adds ANSI colours.
pub(crate) fn render(cmp: &Comparison, color: bool, labels: &Labels) -> String {
    let mut out = labels.summary_line(cmp);
    out.push('\n');
    for c in cmp.clauses.iter().filter(|c| c.is_change()) {
        let sigil = match c.status {
            ClauseStatus::Added => '+',
            ClauseStatus::Deleted => '-',
            ClauseStatus::Modified => '~',
            ClauseStatus::Unchanged => '=',
        };
        let header = format!(
            "{sigil} {} [{}]",
            clause_label(cmp, c),
            describe(cmp, c, labels)
        );
        out.push('\n');
        if color {
            let tint = if c.moved { GREEN } else { BOLD };
            out.push_str(&format!("{tint}{header}{RESET}\n"));
        } else {
            out.push_str(&header);
            out.push('\n');
        }
        if c.status == ClauseStatus::Unchanged {
            continue;
        }
        let mut body = String::new();
        for e in &c.edits {
            let (open, close) = match (e.op, color, c.status) {
                (EditOp::Equal, _, _) => ("", ""),
                (EditOp::Delete, true, _) => (RED_STRIKE, RESET),
                (EditOp::Insert, true, _) => (BLUE_UNDERLINE, RESET),
                (_, false, ClauseStatus::Added | ClauseStatus::Deleted) => ("", ""),
                (EditOp::Delete, false, _) => ("[-", "-]"),
                (EditOp::Insert, false, _) => ("{+", "+}"),
            };
            for (i, line) in e.text.split('\n').enumerate() {
                if i > 0 {
                    body.push('\n');
                }
                let line = line.strip_suffix('\r').unwrap_or(line);
                if !line.is_empty() {
                    body.push_str(open);
                    body.push_str(&terminal_safe(line));
                    body.push_str(close);
                }
            }
        }
        for line in body.lines() {
            if line.is_empty() {
                out.push('\n');
            } else {
                out.push_str("    ");
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

/// The contract's text with control characters (an escape sequence hidden in a contract
/// could rewrite the terminal) shown as U+FFFD; tabs and line breaks stay.
fn terminal_safe(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\t' && c != '\n' {
                char::REPLACEMENT_CHARACTER
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_in_the_contract_do_not_reach_the_terminal() {
        let cmp = crate::diff::compare("1. a\n", "1. a \u{1b}[2Jb\n");
        let templates = crate::render::Templates::bundled().unwrap();
        let labels = Labels::load(&templates, crate::lang::Lang::En).unwrap();
        let out = render(&cmp, false, &labels);
        assert!(!out.contains('\u{1b}'), "{out:?}");
        assert!(out.contains("\u{fffd}[2J"));
    }
}
