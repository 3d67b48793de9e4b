//! The JSON report: summary counts, then every clause in NEW's order (deleted clauses at
//! their old position) with its redline. Keys come in a fixed order; see `docs/diff.md`.

use serde::Serialize;

use crate::diff::redline::Edit;
use crate::diff::segment::Segment;
use crate::diff::{ClauseStatus, Comparison, Summary};

#[derive(Serialize)]
struct Report<'a> {
    summary: &'a Summary,
    clauses: Vec<Clause<'a>>,
}

#[derive(Serialize)]
struct Clause<'a> {
    path: Option<&'a str>,
    clause_id: Option<&'a str>,
    status: ClauseStatus,
    moved: bool,
    renumbered: bool,
    old: Option<ClauseRef<'a>>,
    new: Option<ClauseRef<'a>>,
    edits: &'a [Edit],
}

#[derive(Serialize)]
struct ClauseRef<'a> {
    path: Option<&'a str>,
    number: Option<&'a str>,
    heading: Option<&'a str>,
}

impl<'a> ClauseRef<'a> {
    fn of(seg: &'a Segment) -> Self {
        ClauseRef {
            path: seg.path.as_deref(),
            number: seg.number.as_deref(),
            heading: seg.heading.as_deref(),
        }
    }
}

/// Pretty-printed JSON with a final newline.
pub fn render(cmp: &Comparison) -> Result<String, serde_json::Error> {
    let report = Report {
        summary: &cmp.summary,
        clauses: cmp
            .clauses
            .iter()
            .map(|c| Clause {
                path: cmp.path_of(c),
                clause_id: cmp.clause_id_of(c),
                status: c.status,
                moved: c.moved,
                renumbered: c.renumbered,
                old: c.old.map(|o| ClauseRef::of(&cmp.old[o])),
                new: c.new.map(|n| ClauseRef::of(&cmp.new[n])),
                edits: &c.edits,
            })
            .collect(),
    };
    let mut out = serde_json::to_string_pretty(&report)?;
    out.push('\n');
    Ok(out)
}
