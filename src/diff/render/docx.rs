//! Word documents of a comparison: the redline as tracked changes, and the 新旧対照表 as a
//! Word table. Both go through [`crate::docx`], chotatsu's own .docx writer.
//!
//! The redline is the contract itself, one paragraph per clause or unnumbered block (lines
//! inside it as line breaks), with the changes as Word revisions by author `chotatsu`:
//! accepting every change gives NEW's text, rejecting every change gives OLD's. To keep that
//! exact, the document holds nothing else (no title or summary that would end up in the
//! contract); the title is in the document properties, the file names in the footer.
//!
//! - A modified clause carries its word-level redline as `w:del`/`w:ins` runs.
//! - An added clause is a wholly inserted paragraph, a deleted one a wholly deleted one
//!   (paragraph mark included, so accepting or rejecting leaves no empty paragraph).
//! - A moved clause is deleted at its old place and inserted at its new place.
//! - A clause only renumbered, or differing only in character width or spacing, shows that
//!   difference as a change too, so rejecting gives OLD's text byte for byte.
//!
//! Neither document reads the clock: the creation date in the properties is fixed
//! ([`DOCUMENT_DATE`]), so the same inputs give the same bytes.

use chrono::NaiveDate;

use crate::diff::lcs::{self, Budget, Tag};
use crate::diff::redline::{Edit, EditOp, redline};
use crate::diff::{ClauseDiff, Comparison};
use crate::docx::{self, Block, Change, Inline, Meta, ParagraphStyle};

use super::shinkyu::{Row, Span, rows};
use super::{Labels, Names};

/// The creation date written in the documents' properties: the DOS epoch, the same as the
/// zip entries' timestamps. A comparison has no date of its own (no profile), and the clock
/// would make every run's bytes differ.
pub const DOCUMENT_DATE: NaiveDate = match NaiveDate::from_ymd_opt(1980, 1, 1) {
    Some(d) => d,
    None => panic!("1980-01-01 is a date"),
};

fn meta(cmp: &Comparison, names: &Names, title: &str, labels: &Labels, landscape: bool) -> Meta {
    Meta {
        title: title.to_string(),
        lang: cmp.lang,
        footer: labels.footer(title, names),
        date: DOCUMENT_DATE,
        landscape,
    }
}

/// The redline as a .docx with tracked changes.
pub(crate) fn redline_docx(cmp: &Comparison, names: &Names, labels: &Labels) -> Vec<u8> {
    docx::write(
        &meta(cmp, names, labels.title, labels, false),
        &redline_blocks(cmp),
    )
}

/// What one paragraph of the redline holds.
enum Piece<'a> {
    /// A clause in both versions that kept its place.
    Both(&'a ClauseDiff),
    /// A clause of OLD only here: deleted, or moved away from here.
    Old(usize),
    /// A clause of NEW only here: added, or moved here.
    New(usize),
}

/// The paragraphs in an order that reads as both versions: the clauses that kept their place
/// (in both orders), and between each two of them first what OLD had there, then what NEW
/// has there.
fn pieces(cmp: &Comparison) -> Vec<Piece<'_>> {
    // Anchors: paired clauses not moved, kept only while OLD indices increase, so they are in
    // the same order on both sides.
    let mut old_anchor = vec![false; cmp.old.len()];
    let mut new_anchor: Vec<Option<&ClauseDiff>> = vec![None; cmp.new.len()];
    let mut last_old: Option<usize> = None;
    for c in &cmp.clauses {
        if let (Some(o), Some(n), false) = (c.old, c.new, c.moved)
            && last_old.is_none_or(|l| o > l)
        {
            old_anchor[o] = true;
            new_anchor[n] = Some(c);
            last_old = Some(o);
        }
    }
    let anchors = new_anchor.iter().flatten().count();
    let mut gaps: Vec<(Vec<usize>, Vec<usize>)> = vec![(Vec::new(), Vec::new()); anchors + 1];
    let mut gap = 0;
    for (o, anchor) in old_anchor.iter().enumerate() {
        if *anchor {
            gap += 1;
        } else {
            gaps[gap].0.push(o);
        }
    }
    let mut gap = 0;
    let mut both: Vec<&ClauseDiff> = Vec::with_capacity(anchors);
    for (n, anchor) in new_anchor.iter().enumerate() {
        match anchor {
            Some(c) => {
                both.push(c);
                gap += 1;
            }
            None => gaps[gap].1.push(n),
        }
    }
    let mut out = Vec::with_capacity(cmp.old.len() + cmp.new.len());
    for (k, (olds, news)) in gaps.into_iter().enumerate() {
        out.extend(olds.into_iter().map(Piece::Old));
        out.extend(news.into_iter().map(Piece::New));
        if let Some(c) = both.get(k) {
            out.push(Piece::Both(c));
        }
    }
    out
}

fn redline_blocks(cmp: &Comparison) -> Vec<Block> {
    let mut blocks = Vec::new();
    // The character-level differences of this report get a budget of their own.
    let mut budget = Budget::new(crate::diff::budget::TOTAL);
    for piece in pieces(cmp) {
        let (inlines, mark) = match piece {
            Piece::Old(o) => (
                runs(cmp.old[o].display(), Some(Change::Delete)),
                Some(Change::Delete),
            ),
            Piece::New(n) => (
                runs(cmp.new[n].display(), Some(Change::Insert)),
                Some(Change::Insert),
            ),
            Piece::Both(c) => (both_runs(cmp, c, &mut budget), None),
        };
        if inlines.is_empty() {
            continue;
        }
        blocks.push(Block::Paragraph {
            inlines,
            style: ParagraphStyle::Normal,
            mark,
        });
    }
    blocks
}

/// The runs of a clause found in both versions at the same place.
fn both_runs(cmp: &Comparison, c: &ClauseDiff, budget: &mut Budget) -> Vec<Inline> {
    let (Some(o), Some(n)) = (c.old, c.new) else {
        return Vec::new();
    };
    let (old, new) = (cmp.old[o].display(), cmp.new[n].display());
    let computed;
    let edits: &[Edit] = if !c.edits.is_empty() {
        &c.edits
    } else if old == new {
        return runs(new, None);
    } else {
        // Unchanged in content, but renumbered or written in another width.
        computed = redline(old, new, budget);
        &computed
    };
    let mut out = Vec::new();
    for e in edits {
        match e.op {
            EditOp::Equal if e.old_text == e.text => out.extend(runs(&e.text, None)),
            // Equal once normalised, different as written (width, spacing): the characters
            // that differ, so both versions stay exact.
            EditOp::Equal => out.extend(written_difference(&e.old_text, &e.text, budget)),
            EditOp::Delete => out.extend(runs(&e.text, Some(Change::Delete))),
            EditOp::Insert => out.extend(runs(&e.text, Some(Change::Insert))),
        }
    }
    out
}

/// The character-level difference of two texts equal once normalised.
fn written_difference(old: &str, new: &str, budget: &mut Budget) -> Vec<Inline> {
    let old_chars: Vec<char> = old.chars().collect();
    let new_chars: Vec<char> = new.chars().collect();
    let mut share = budget.share(crate::diff::budget::CLAUSE);
    let granted = share.left();
    let diff = lcs::diff(&old_chars, &new_chars, &mut share);
    budget.settle(granted, share);
    let mut out = Vec::new();
    let (mut deleted, mut inserted) = (String::new(), String::new());
    let flush = |out: &mut Vec<Inline>, deleted: &mut String, inserted: &mut String| {
        out.extend(runs(deleted, Some(Change::Delete)));
        out.extend(runs(inserted, Some(Change::Insert)));
        deleted.clear();
        inserted.clear();
    };
    for run in diff {
        match run.tag {
            Tag::Equal => {
                flush(&mut out, &mut deleted, &mut inserted);
                let text: String = new_chars[run.new].iter().collect();
                out.extend(runs(&text, None));
            }
            Tag::Delete => deleted.extend(&old_chars[run.old]),
            Tag::Insert => inserted.extend(&new_chars[run.new]),
        }
    }
    flush(&mut out, &mut deleted, &mut inserted);
    out
}

/// `text` as runs, one per line (a line break before each but the first).
fn runs(text: &str, change: Option<Change>) -> Vec<Inline> {
    spans(text, false, change)
}

fn spans(text: &str, underline: bool, change: Option<Change>) -> Vec<Inline> {
    text.split('\n')
        .enumerate()
        .filter_map(|(i, line)| {
            let line = line.strip_suffix('\r').unwrap_or(line);
            (i > 0 || !line.is_empty()).then(|| Inline {
                text: line.to_string(),
                underline,
                line_break: i > 0,
                change,
                ..Inline::default()
            })
        })
        .collect()
}

/// The 新旧対照表 as a .docx: a landscape page with a title and one table of columns
/// 改正後 | 改正前 | 備考 (New | Old | Remarks), the same rows as the HTML table.
pub(crate) fn shinkyu_docx(
    cmp: &Comparison,
    names: &Names,
    date: Option<NaiveDate>,
    labels: &Labels,
) -> Vec<u8> {
    let cell = |spans_of: &[Span]| -> Vec<Inline> {
        spans_of
            .iter()
            .flat_map(|s| spans(&s.text, s.underline, None))
            .collect()
    };
    let mut table = vec![vec![
        vec![Inline::plain(labels.new)],
        vec![Inline::plain(labels.old)],
        vec![Inline::plain(labels.remarks)],
    ]];
    for row in rows(cmp, labels) {
        table.push(match row {
            Row::Omitted => vec![
                vec![Inline::plain(labels.omitted)],
                vec![Inline::plain(labels.omitted)],
                Vec::new(),
            ],
            Row::Changed { new, old, remarks } => {
                vec![cell(&new), cell(&old), vec![Inline::plain(remarks)]]
            }
        });
    }
    let (title, date_line) = super::shinkyu::title(cmp, date, labels);
    let blocks = [
        Block::Heading {
            level: 1,
            inlines: vec![Inline::plain(title)],
            bookmark: None,
        },
        Block::Paragraph {
            inlines: vec![Inline::plain(date_line)],
            style: ParagraphStyle::Right,
            mark: None,
        },
        Block::Table {
            rows: table,
            widths: vec![10, 10, 3],
        },
    ];
    let mut meta = meta(cmp, names, labels.shinkyu_title, labels, true);
    if let Some(d) = date {
        meta.date = d;
    }
    docx::write(&meta, &blocks)
}
