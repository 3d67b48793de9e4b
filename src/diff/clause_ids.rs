//! Clause IDs of an annex chotatsu wrote, found in the document itself (CONVENTIONS item 2):
//! the closing 「要求事項対応表」 ("Requirements traceability table") maps each article
//! (第N条 / Article N) to its clause ID, and in Word each article heading carries a bookmark
//! named by the clause ID (`SPEC_01` for `SPEC-01`, Word allowing no hyphen).

use std::collections::HashMap;

use super::normalize::canonical_number;
use super::segment::{Segment, parse_clause_id};

/// Headings of the traceability table, in each language the annex is written in.
const TABLE_HEADINGS: [&str; 2] = ["要求事項対応表", "requirements traceability table"];

/// Give each article named in the traceability table, or holding a clause-ID bookmark, its
/// clause ID. `bookmarks` are (name, byte offset in the text the segments were cut from).
pub fn assign(segments: &mut [Segment], bookmarks: &[(String, usize)]) {
    let table = traceability_table(segments);
    if !table.is_empty() {
        for seg in segments.iter_mut() {
            if seg.id.is_none()
                && let Some(number) = &seg.number
                && let Some(id) = table.get(&canonical_number(number))
            {
                seg.id = Some(id.clone());
            }
        }
    }
    if bookmarks.is_empty() {
        return;
    }
    let mut starts = Vec::with_capacity(segments.len());
    let mut at = 0;
    for seg in segments.iter() {
        starts.push(at);
        at += seg.text.len();
    }
    for (name, offset) in bookmarks {
        let id = name.replace('_', "-");
        if parse_clause_id(&id) != Some(id.len()) {
            continue;
        }
        let i = starts.partition_point(|&s| s <= *offset).saturating_sub(1);
        if let Some(seg) = segments.get_mut(i)
            && seg.id.is_none()
        {
            seg.id = Some(id);
        }
    }
}

/// Canonical article number → clause ID, from the rows after the table's heading.
fn traceability_table(segments: &[Segment]) -> HashMap<String, String> {
    let mut map = HashMap::new();
    let Some(start) = segments.iter().position(|s| {
        let first = s.display().lines().next().unwrap_or("").to_lowercase();
        TABLE_HEADINGS.iter().any(|h| first.contains(h))
    }) else {
        return map;
    };
    for seg in &segments[start..] {
        for line in seg.display().lines() {
            let cells: Vec<&str> = line
                .trim()
                .trim_matches('|')
                .split('|')
                .map(str::trim)
                .collect();
            let [article, id, ..] = cells.as_slice() else {
                continue;
            };
            let article = article.trim_matches('*');
            let id = id.trim_matches('*').trim_matches('`');
            if parse_clause_id(id) == Some(id.len()) && is_article(article) {
                map.entry(canonical_number(article))
                    .or_insert_with(|| id.to_string());
            }
        }
    }
    map
}

/// `第3条`, `第三条の2`, `Article 3`.
fn is_article(cell: &str) -> bool {
    (cell.starts_with('第') && cell.contains('条'))
        || cell
            .strip_prefix("Article ")
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::segment::segment;

    fn ids(text: &str, bookmarks: &[(String, usize)]) -> Vec<(Option<String>, Option<String>)> {
        let mut segs = segment(text);
        assign(&mut segs, bookmarks);
        segs.into_iter().map(|s| (s.number, s.id)).collect()
    }

    #[test]
    fn english_annex_table() {
        let text = "# Annex\n\n### Article 1 Purpose\n\nText.\n\n### Article 2 Subcontracting\n\nNotify 30 days ahead.\n\n## Requirements traceability table\n\n| Article | Requirement |\n|---|---|\n| Article 1 | SPEC-01 |\n| **Article 2** | `SUPP-01` |\n";
        assert_eq!(
            ids(text, &[]),
            vec![
                (None, None),
                (Some("Article 1".into()), Some("SPEC-01".into())),
                (Some("Article 2".into()), Some("SUPP-01".into())),
                (None, None),
            ]
        );
    }

    #[test]
    fn bookmarks_name_the_clause_they_sit_in() {
        let text = "前文\n\n第1条　目的\n\n第2条　再委託\n";
        let at = text.find("第2条").unwrap();
        assert_eq!(
            ids(text, &[("SUPP_01".into(), at), ("_Toc1".into(), 0)]),
            vec![
                (None, None),
                (Some("第1条".into()), None),
                (Some("第2条".into()), Some("SUPP-01".into())),
            ]
        );
    }
}
