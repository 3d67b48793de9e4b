//! Clause-aware comparison of contract versions.
//!
//! The data flows one way: [`segment`] cuts each version into clauses, [`align`] pairs
//! them by content, [`redline`] marks the words changed inside modified clauses, and
//! [`render`] writes the result as text, Markdown, HTML, JSON or a 新旧対照表.

pub mod align;
pub mod clause_ids;
pub mod html_read;
pub mod lcs;
pub mod normalize;
pub mod redline;
pub mod render;
pub mod segment;
pub mod tokenize;

use serde::Serialize;

use crate::lang::Lang;
use lcs::Budget;
use redline::{Edit, EditOp};

/// How much work a comparison may do, in operations of the sequence diff ([`lcs`]), never in
/// time: the output depends only on the inputs, and a pair that exhausts a budget gets a
/// coarser (still correct) redline on every machine alike. The numbers bound any pair within
/// the input size cap to well under 3 s (see docs/diff.md).
pub mod budget {
    /// The clause alignment's diff over clause contents.
    pub const ALIGN: u64 = 20_000_000;
    /// One clause's word diff.
    pub const CLAUSE: u64 = 10_000_000;
    /// All word diffs of one comparison together, taken in NEW's order; a report renders
    /// its own character-level differences under the same total.
    pub const TOTAL: u64 = 100_000_000;
}
use segment::Segment;

/// What happened to a clause between the versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ClauseStatus {
    Unchanged,
    Modified,
    Added,
    Deleted,
}

/// One clause of the comparison: a pair, or a clause found on one side only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClauseDiff {
    pub status: ClauseStatus,
    /// Its position relative to the other matched clauses changed.
    pub moved: bool,
    /// Its number changed (compared in canonical form: 第三条 = 第3条).
    pub renumbered: bool,
    /// Index into [`Comparison::old`].
    pub old: Option<usize>,
    /// Index into [`Comparison::new`].
    pub new: Option<usize>,
    /// The redline: empty for unchanged clauses, one insertion or deletion for added or
    /// deleted ones.
    pub edits: Vec<Edit>,
}

impl ClauseDiff {
    /// Anything to report about this clause.
    pub fn is_change(&self) -> bool {
        self.status != ClauseStatus::Unchanged || self.moved || self.renumbered
    }
}

/// Counts of clauses by status; `moved` and `renumbered` are flags counted on top.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub added: usize,
    pub deleted: usize,
    pub modified: usize,
    pub unchanged: usize,
    pub moved: usize,
    pub renumbered: usize,
}

/// The whole comparison of two versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    pub old: Vec<Segment>,
    pub new: Vec<Segment>,
    /// In NEW's order, deleted clauses at their old position.
    pub clauses: Vec<ClauseDiff>,
    pub summary: Summary,
    /// The language the documents are mostly written in (labels of the 新旧対照表).
    pub lang: Lang,
}

impl Comparison {
    /// The segment of a compared clause: NEW's when it has one, else OLD's.
    pub fn segment_of(&self, c: &ClauseDiff) -> Option<&Segment> {
        c.new
            .map(|n| &self.new[n])
            .or_else(|| c.old.map(|o| &self.old[o]))
    }

    /// Where a compared clause sits: NEW's path, or OLD's for a deleted clause.
    pub fn path_of(&self, c: &ClauseDiff) -> Option<&str> {
        self.segment_of(c).and_then(|s| s.path.as_deref())
    }

    /// The library clause ID of a compared clause, from whichever side names one.
    pub fn clause_id_of(&self, c: &ClauseDiff) -> Option<&str> {
        let new = c.new.and_then(|n| self.new[n].id.as_deref());
        new.or_else(|| c.old.and_then(|o| self.old[o].id.as_deref()))
    }

    /// No clause was added, deleted, modified, moved or renumbered.
    pub fn is_identical(&self) -> bool {
        !self.clauses.iter().any(ClauseDiff::is_change)
    }
}

/// One version as read: its text, and the bookmarks of a Word document (name, byte offset
/// of the paragraph in `text`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Version<'a> {
    pub text: &'a str,
    pub bookmarks: &'a [(String, usize)],
}

/// Compare two versions of a contract.
pub fn compare(old_text: &str, new_text: &str) -> Comparison {
    compare_versions(
        Version {
            text: old_text,
            bookmarks: &[],
        },
        Version {
            text: new_text,
            bookmarks: &[],
        },
    )
}

/// Compare two versions, with what a Word document adds (bookmarks naming clause IDs).
pub fn compare_versions(old_version: Version<'_>, new_version: Version<'_>) -> Comparison {
    let (old_text, new_text) = (old_version.text, new_version.text);
    let prepare = |version: Version<'_>| -> (Vec<Segment>, Vec<String>) {
        let mut segments = segment::segment(version.text);
        clause_ids::assign(&mut segments, version.bookmarks);
        let keys = segments
            .iter()
            .map(|s| normalize::key_of_parts(&s.text_without_number()))
            .collect();
        (segments, keys)
    };
    // The two versions are independent: prepare them side by side.
    let ((old, old_keys), (new, new_keys)) = std::thread::scope(|scope| {
        let old_side = scope.spawn(|| prepare(old_version));
        let new_side = prepare(new_version);
        let old_side = old_side
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (old_side, new_side)
    });
    let alignment = align::align(&old, &new, &old_keys, &new_keys);

    let mut budget = Budget::new(budget::TOTAL);
    let mut paired = |o: usize, n: usize, moved: bool| -> ClauseDiff {
        let unchanged = old_keys[o] == new_keys[n];
        let renumbered = old[o].number.as_deref().map(normalize::canonical_number)
            != new[n].number.as_deref().map(normalize::canonical_number);
        ClauseDiff {
            status: if unchanged {
                ClauseStatus::Unchanged
            } else {
                ClauseStatus::Modified
            },
            moved,
            renumbered,
            old: Some(o),
            new: Some(n),
            edits: if unchanged {
                Vec::new()
            } else {
                redline::redline(old[o].display(), new[n].display(), &mut budget)
            },
        }
    };
    let added = |n: usize| ClauseDiff {
        status: ClauseStatus::Added,
        moved: false,
        renumbered: false,
        old: None,
        new: Some(n),
        edits: vec![Edit::new(EditOp::Insert, new[n].display())],
    };
    let deleted = |o: usize| ClauseDiff {
        status: ClauseStatus::Deleted,
        moved: false,
        renumbered: false,
        old: Some(o),
        new: None,
        edits: vec![Edit::new(EditOp::Delete, old[o].display())],
    };

    // Deleted clauses go after the NEW position of the nearest earlier OLD clause that
    // kept its place (slot 0: before everything).
    let mut deleted_after: Vec<Vec<usize>> = vec![Vec::new(); new.len() + 1];
    let mut anchor_slot = 0;
    for (o, matched) in alignment.old_to_new.iter().enumerate() {
        match matched {
            Some(n) if !alignment.moved[*n] => anchor_slot = n + 1,
            Some(_) => {}
            None => deleted_after[anchor_slot].push(o),
        }
    }

    let mut clauses = Vec::with_capacity(old.len().max(new.len()));
    clauses.extend(deleted_after[0].iter().map(|&o| deleted(o)));
    for n in 0..new.len() {
        clauses.push(match alignment.new_to_old[n] {
            Some(o) => paired(o, n, alignment.moved[n]),
            None => added(n),
        });
        clauses.extend(deleted_after[n + 1].iter().map(|&o| deleted(o)));
    }

    let mut summary = Summary::default();
    for c in &clauses {
        match c.status {
            ClauseStatus::Unchanged => summary.unchanged += 1,
            ClauseStatus::Modified => summary.modified += 1,
            ClauseStatus::Added => summary.added += 1,
            ClauseStatus::Deleted => summary.deleted += 1,
        }
        summary.moved += usize::from(c.moved);
        summary.renumbered += usize::from(c.renumbered);
    }
    let lang = if normalize::mostly_japanese(&[old_text, new_text]) {
        Lang::Ja
    } else {
        Lang::En
    };
    Comparison {
        old,
        new,
        clauses,
        summary,
        lang,
    }
}

/// Characters that would lie to a reader (controls, bidi overrides, zero-width; see
/// `text_safety`) are shown in the comparison as `⟨U+202E⟩`, so the report shows them as text
/// and a hidden insertion is a visible change. Returns, for a version that has them, a note
/// naming `file` and its first one's line (made visible too).
pub fn make_visible(
    file: &str,
    version: &mut crate::office::docx_read::DocxText,
) -> Option<String> {
    let bom = normalize::BOM;
    let body = version.text.strip_prefix(bom).unwrap_or(&version.text);
    let found = crate::text_safety::first_unsafe(body)?;
    let line = body[..found.offset].matches('\n').count() + 1;
    let note = format!(
        "{file} line {line}: {found}, shown in the comparison as ⟨{}⟩",
        found.code()
    );
    let prefix = if version.text.starts_with(bom) {
        "\u{feff}"
    } else {
        ""
    };
    let shown = format!("{prefix}{}", crate::text_safety::visible(body));
    // Bookmarks point at paragraphs: shift them by what was inserted before each.
    for (_, at) in &mut version.bookmarks {
        let before = &version.text[..*at];
        let body_before = before.strip_prefix(bom).unwrap_or(before);
        *at += crate::text_safety::visible(body_before).len() - body_before.len();
    }
    version.text = shown;
    Some(crate::text_safety::visible(&note).into_owned())
}
