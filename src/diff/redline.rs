//! The redline inside a modified clause: a word diff joined into readable replacements.
//!
//! Tokens come from [`super::tokenize`]; they are compared by NFKC key, so width changes
//! are not edits. Adjacent changes are joined (情報→データ is one deletion and one insertion,
//! not one mark per character), and every diff runs under a deadline.

use std::time::{Duration, Instant};

use serde::Serialize;
use similar::{Algorithm, DiffTag, capture_diff_slices_deadline};

use super::normalize::token_key;
use super::tokenize::tokens;

/// What an edit does to the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EditOp {
    Equal,
    Delete,
    Insert,
}

/// One run of a redline. In JSON: `{"op": "equal|delete|insert", "text": "..."}`.
///
/// `text` is the new version's text for `equal` and `insert`, the old version's for `delete`.
/// A deletion always comes before the insertion that replaces it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub op: EditOp,
    pub text: String,
    /// For `equal` runs: the old version's text, which may differ in width or spacing.
    #[serde(skip)]
    pub old_text: String,
}

impl Edit {
    pub fn new(op: EditOp, text: impl Into<String>) -> Self {
        let text = text.into();
        let old_text = if op == EditOp::Equal {
            text.clone()
        } else {
            String::new()
        };
        Edit { op, text, old_text }
    }
}

/// How long one clause's word diff may take before similar settles for a coarser result.
pub const REDLINE_BUDGET: Duration = Duration::from_millis(250);

/// The redline from `old` to `new`.
pub fn redline(old: &str, new: &str, budget: Duration) -> Vec<Edit> {
    let old_tokens = tokens(old);
    let new_tokens = tokens(new);
    let old_keys: Vec<String> = old_tokens.iter().map(|t| token_key(t)).collect();
    let new_keys: Vec<String> = new_tokens.iter().map(|t| token_key(t)).collect();
    let deadline = Instant::now() + budget;
    let ops = capture_diff_slices_deadline(Algorithm::Myers, &old_keys, &new_keys, Some(deadline));

    let mut pieces: Vec<Edit> = Vec::new();
    let mut push = |op: EditOp, text: &str, old_text: &str| {
        if text.is_empty() && old_text.is_empty() {
            return;
        }
        match pieces.last_mut() {
            Some(last) if last.op == op => {
                last.text.push_str(text);
                last.old_text.push_str(old_text);
            }
            _ => pieces.push(Edit {
                op,
                text: text.to_string(),
                old_text: old_text.to_string(),
            }),
        }
    };
    for op in &ops {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        let old_text = old_tokens[old_range].concat();
        let new_text = new_tokens[new_range].concat();
        match tag {
            DiffTag::Equal => push(EditOp::Equal, &new_text, &old_text),
            DiffTag::Delete => push(EditOp::Delete, &old_text, ""),
            DiffTag::Insert => push(EditOp::Insert, &new_text, ""),
            DiffTag::Replace => {
                push(EditOp::Delete, &old_text, "");
                push(EditOp::Insert, &new_text, "");
            }
        }
    }
    join_changes(pieces)
}

/// Join changes separated only by spaces into one deletion and one insertion.
fn join_changes(pieces: Vec<Edit>) -> Vec<Edit> {
    let mut out = Vec::with_capacity(pieces.len());
    let mut i = 0;
    while i < pieces.len() {
        if pieces[i].op == EditOp::Equal {
            out.push(pieces[i].clone());
            i += 1;
            continue;
        }
        let mut deleted = String::new();
        let mut inserted = String::new();
        while i < pieces.len() {
            let piece = &pieces[i];
            match piece.op {
                EditOp::Delete => deleted.push_str(&piece.text),
                EditOp::Insert => inserted.push_str(&piece.text),
                EditOp::Equal => {
                    let next_is_change = pieces.get(i + 1).is_some_and(|p| p.op != EditOp::Equal);
                    let joinable =
                        !piece.text.contains('\n') && piece.text.chars().all(char::is_whitespace);
                    if !(next_is_change && joinable) {
                        break;
                    }
                    deleted.push_str(&piece.old_text);
                    inserted.push_str(&piece.text);
                }
            }
            i += 1;
        }
        if !deleted.is_empty() {
            out.push(Edit::new(EditOp::Delete, deleted));
        }
        if !inserted.is_empty() {
            out.push(Edit::new(EditOp::Insert, inserted));
        }
    }
    out
}

/// The old version's text of a redline.
pub fn old_side(edits: &[Edit]) -> String {
    edits
        .iter()
        .filter_map(|e| match e.op {
            EditOp::Equal => Some(e.old_text.as_str()),
            EditOp::Delete => Some(e.text.as_str()),
            EditOp::Insert => None,
        })
        .collect()
}

/// The new version's text of a redline.
pub fn new_side(edits: &[Edit]) -> String {
    edits
        .iter()
        .filter(|e| e.op != EditOp::Delete)
        .map(|e| e.text.as_str())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(edits: &[Edit]) -> String {
        edits
            .iter()
            .map(|e| match e.op {
                EditOp::Equal => e.text.clone(),
                EditOp::Delete => format!("[-{}-]", e.text),
                EditOp::Insert => format!("{{+{}+}}", e.text),
            })
            .collect()
    }

    #[test]
    fn japanese_word_replacement_is_one_mark() {
        let old = "乙は、個人情報を暗号化して保管する。";
        let new = "乙は、個人データを暗号化して保管する。";
        let edits = redline(old, new, REDLINE_BUDGET);
        assert_eq!(
            show(&edits),
            "乙は、個人[-情報-]{+データ+}を暗号化して保管する。"
        );
        assert_eq!(old_side(&edits), old);
        assert_eq!(new_side(&edits), new);
    }

    #[test]
    fn punctuation_only_edit() {
        let edits = redline(
            "the Receiving Party, (b)",
            "the Receiving Party; (b)",
            REDLINE_BUDGET,
        );
        assert_eq!(show(&edits), "the Receiving Party[-,-]{+;+} (b)");
    }

    #[test]
    fn changes_across_a_space_are_joined() {
        let edits = redline(
            "sign a Cover Page incorporating",
            "sign a cover page incorporating",
            REDLINE_BUDGET,
        );
        assert_eq!(
            show(&edits),
            "sign a [-Cover Page-]{+cover page+} incorporating"
        );
    }

    #[test]
    fn width_differences_are_not_edits() {
        let edits = redline("ＩＳＯ　27001に準拠", "ISO 27001に準拠", REDLINE_BUDGET);
        assert!(edits.iter().all(|e| e.op == EditOp::Equal), "{edits:?}");
        assert_eq!(old_side(&edits), "ＩＳＯ　27001に準拠");
    }
}
