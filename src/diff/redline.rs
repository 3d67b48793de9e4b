//! The redline inside a modified clause: a word diff joined into readable replacements.
//!
//! Tokens come from [`super::tokenize`]; they are compared by NFKC key, so width changes
//! are not edits. Adjacent changes are joined (情報→データ is one deletion and one insertion,
//! not one mark per character), and every diff runs under a work budget (see [`super::lcs`]).

use std::collections::HashMap;

use serde::Serialize;

use super::lcs::{self, Budget, Tag};
use super::normalize::token_key;
use super::tokenize::{number_kind, tokens};

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

/// The redline from `old` to `new`, spending at most [`super::budget::CLAUSE`] operations of
/// `budget` on the word diff.
pub fn redline(old: &str, new: &str, budget: &mut Budget) -> Vec<Edit> {
    let old_tokens = tokens(old);
    let new_tokens = tokens(new);
    // Tokens compared by NFKC key, each key numbered once: the diff compares integers. A
    // number with its counter is compared by its kind first (第十号 lines up with 第十一号),
    // then by value, so a changed number is one replaced token and not a shifted one.
    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut id_of = |key: String| -> u32 {
        let next = ids.len() as u32;
        *ids.entry(key).or_insert(next)
    };
    let mut keys = |tokens: &[&str]| -> (Vec<u32>, Vec<u32>) {
        tokens
            .iter()
            .map(|t| {
                let exact = id_of(token_key(t));
                let aligned = number_kind(t).map_or(exact, |kind| id_of(format!("\u{0}{kind}")));
                (aligned, exact)
            })
            .unzip()
    };
    let (old_keys, old_exact) = keys(&old_tokens);
    let (new_keys, new_exact) = keys(&new_tokens);
    let mut share = budget.share(super::budget::CLAUSE);
    let granted = share.left();
    let ops = split_changed_numbers(
        lcs::diff(&old_keys, &new_keys, &mut share),
        &old_exact,
        &new_exact,
    );
    budget.settle(granted, share);

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
    for run in ops {
        let old_text = old_tokens[run.old].concat();
        let new_text = new_tokens[run.new].concat();
        match run.tag {
            Tag::Equal => push(EditOp::Equal, &new_text, &old_text),
            Tag::Delete => push(EditOp::Delete, &old_text, ""),
            Tag::Insert => push(EditOp::Insert, &new_text, ""),
        }
    }
    whole_sentences(join_changes(pieces))
}

/// Where sentences end in an equal run: after `。`, `．`, a line break, or `.`, `;`, `:`
/// followed by whitespace. Byte offsets just past each end.
fn sentence_ends(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let end = i + c.len_utf8();
        let next_space = iter.peek().is_some_and(|(_, n)| n.is_whitespace());
        if matches!(c, '。' | '．' | '\n') || (matches!(c, '.' | ';' | ':') && next_space) {
            out.push(end);
        }
    }
    out
}

/// Changes in one sentence from which, when they also outweigh its unchanged text, the
/// sentence is shown replaced whole.
const MANY_CHANGES: usize = 3;

/// Within a sentence that mostly changed, alternating fragments (`[-a-]{+b+}c[-d-]{+e+}`)
/// become the old sentence replaced by the new one.
fn whole_sentences(edits: Vec<Edit>) -> Vec<Edit> {
    // Cut equal runs at sentence ends (only where both versions are written alike, so the
    // cut falls at the same place in each).
    let mut pieces: Vec<(Edit, bool)> = Vec::with_capacity(edits.len());
    for e in edits {
        if e.op != EditOp::Equal || e.old_text != e.text {
            pieces.push((e, false));
            continue;
        }
        let mut from = 0;
        for end in sentence_ends(&e.text) {
            pieces.push((Edit::new(EditOp::Equal, &e.text[from..end]), true));
            from = end;
        }
        if from < e.text.len() {
            pieces.push((Edit::new(EditOp::Equal, &e.text[from..]), false));
        }
    }
    let mut out = Vec::with_capacity(pieces.len());
    let mut sentence: Vec<Edit> = Vec::new();
    let flush = |sentence: &mut Vec<Edit>, out: &mut Vec<Edit>| {
        let changes = sentence
            .windows(2)
            .filter(|w| w[0].op == EditOp::Equal && w[1].op != EditOp::Equal)
            .count()
            + usize::from(sentence.first().is_some_and(|e| e.op != EditOp::Equal));
        let count = |op: EditOp| -> usize {
            sentence
                .iter()
                .filter(|e| e.op == op)
                .map(|e| e.text.chars().filter(|c| !c.is_whitespace()).count())
                .sum()
        };
        let (equal, deleted, inserted) = (
            count(EditOp::Equal),
            count(EditOp::Delete),
            count(EditOp::Insert),
        );
        if changes >= MANY_CHANGES && equal < deleted.max(inserted) {
            let old = old_side(sentence);
            let new = new_side(sentence);
            out.push(Edit::new(EditOp::Delete, old));
            out.push(Edit::new(EditOp::Insert, new));
        } else {
            out.append(sentence);
        }
        sentence.clear();
    };
    for (piece, ends_sentence) in pieces {
        sentence.push(piece);
        if ends_sentence {
            flush(&mut sentence, &mut out);
        }
    }
    flush(&mut sentence, &mut out);
    // Neighbouring runs of one kind are one run.
    let mut merged: Vec<Edit> = Vec::with_capacity(out.len());
    for e in out {
        match merged.last_mut() {
            Some(last) if last.op == e.op => {
                last.text.push_str(&e.text);
                last.old_text.push_str(&e.old_text);
            }
            _ => merged.push(e),
        }
    }
    merged
}

/// Equal runs of the kind-level diff split where a number's value changed.
fn split_changed_numbers(runs: Vec<lcs::Run>, old: &[u32], new: &[u32]) -> Vec<lcs::Run> {
    let mut out = Vec::with_capacity(runs.len());
    for run in runs {
        if run.tag != Tag::Equal || old[run.old.clone()] == new[run.new.clone()] {
            out.push(run);
            continue;
        }
        let (mut x, mut y) = (run.old.start, run.new.start);
        let mut from = (x, y);
        while x < run.old.end {
            if old[x] != new[y] {
                out.push(lcs::Run {
                    tag: Tag::Equal,
                    old: from.0..x,
                    new: from.1..y,
                });
                out.push(lcs::Run {
                    tag: Tag::Delete,
                    old: x..x + 1,
                    new: y..y,
                });
                out.push(lcs::Run {
                    tag: Tag::Insert,
                    old: x + 1..x + 1,
                    new: y..y + 1,
                });
                from = (x + 1, y + 1);
            }
            x += 1;
            y += 1;
        }
        out.push(lcs::Run {
            tag: Tag::Equal,
            old: from.0..x,
            new: from.1..y,
        });
    }
    out
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

    fn unlimited() -> Budget {
        Budget::new(u64::MAX)
    }

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
        let edits = redline(old, new, &mut unlimited());
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
            &mut unlimited(),
        );
        assert_eq!(show(&edits), "the Receiving Party[-,-]{+;+} (b)");
    }

    #[test]
    fn changes_across_a_space_are_joined() {
        let edits = redline(
            "sign a Cover Page incorporating",
            "sign a cover page incorporating",
            &mut unlimited(),
        );
        assert_eq!(
            show(&edits),
            "sign a [-Cover Page-]{+cover page+} incorporating"
        );
    }

    #[test]
    fn a_mostly_rewritten_sentence_is_replaced_whole() {
        let old = "第3条　乙は、毎月、本業務の状況を甲に報告する。乙は記録を保存する。";
        let new = "第3条　受託者は、四半期ごとに、運用の結果を委託者に書面で届け出る。乙は記録を保存する。";
        assert_eq!(
            show(&redline(old, new, &mut unlimited())),
            "[-第3条　乙は、毎月、本業務の状況を甲に報告する。-]{+第3条　受託者は、四半期ごとに、運用の結果を委託者に書面で届け出る。+}乙は記録を保存する。"
        );
        // A sentence with one change keeps its word-level redline.
        let edits = redline(
            "前項第十号又は第十一号に掲げる者は、届け出なければならない。",
            "前項第十一号又は第十二号に掲げる者は、届け出なければならない。",
            &mut unlimited(),
        );
        assert_eq!(
            show(&edits),
            "前項[-第十号-]{+第十一号+}又は[-第十一号-]{+第十二号+}に掲げる者は、届け出なければならない。"
        );
    }

    #[test]
    fn width_differences_are_not_edits() {
        let edits = redline("ＩＳＯ　27001に準拠", "ISO 27001に準拠", &mut unlimited());
        assert!(edits.iter().all(|e| e.op == EditOp::Equal), "{edits:?}");
        assert_eq!(old_side(&edits), "ＩＳＯ　27001に準拠");
    }
}
