//! Alignment: which clause of OLD became which clause of NEW, by content and not by number.
//!
//! Clause IDs pair first (when both versions carry them); then identical content, in order
//! (a diff over content keys) and out of order; then similar content, best pairs first.
//! Pairs out of their relative order (off the longest increasing run) are flagged moved.

use super::lcs::{self, Budget, Tag};
use super::normalize::{canonical_number, is_cjk};
use super::segment::Segment;
use std::collections::{HashMap, VecDeque};
use std::hash::{Hash, Hasher};

/// Two clauses of the same division whose content features agree at least this much (Dice)
/// are one modified clause.
pub const SIMILARITY_THRESHOLD: f64 = 0.5;

/// Across divisions (a clause moved to another chapter or 附則) the bar is higher: most of the
/// words must be the same.
pub const MOVE_THRESHOLD: f64 = 0.6;

/// A pairing across divisions must beat every other candidate of either clause by this much,
/// so boilerplate that merely looks alike (「省令への委任」 in each chapter) is never a move.
const MOVE_MARGIN: f64 = 0.1;

/// An article left unpaired on both sides under the same number in the same division is one
/// article rewritten (a paragraph struck, another reworded) when its content agrees at least
/// this much.
const SAME_NUMBER_THRESHOLD: f64 = 0.25;

/// Clauses with fewer content features than this pair across divisions only when identical.
const MOVE_MIN_FEATURES: usize = 12;

/// Feature comparisons allowed for finding lookalikes (each check compares one clause with
/// every clause of its version); once spent, no further pairing across divisions is made.
const LOOKALIKE_BUDGET: u64 = 20_000_000;

/// Candidate NEW clauses examined per unmatched OLD clause.
const CANDIDATES: usize = 10;
/// Rarest features of a clause used to find candidates.
const PROBE_FEATURES: usize = 24;
/// Postings examined per feature (nearest to the clause's expected position).
const POSTINGS_WINDOW: usize = 64;
/// Work allowed for finding similar clauses, in postings visited and features compared: once
/// spent, the clauses not yet searched stay unpaired (added and deleted). Only a pair with
/// tens of thousands of clauses all rewritten comes near it.
const SIMILAR_BUDGET: u64 = 16_000_000;

/// The result of aligning two segment lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alignment {
    pub old_to_new: Vec<Option<usize>>,
    pub new_to_old: Vec<Option<usize>>,
    /// Indexed by NEW position: the pair is out of its relative order.
    pub moved: Vec<bool>,
}

/// Align `old` and `new`, whose comparison keys are `old_keys` and `new_keys`.
pub fn align(
    old: &[Segment],
    new: &[Segment],
    old_keys: &[String],
    new_keys: &[String],
) -> Alignment {
    let mut old_to_new: Vec<Option<usize>> = vec![None; old.len()];
    let mut new_to_old: Vec<Option<usize>> = vec![None; new.len()];
    let pair = |o: usize, n: usize, o2n: &mut Vec<Option<usize>>, n2o: &mut Vec<Option<usize>>| {
        o2n[o] = Some(n);
        n2o[n] = Some(o);
    };

    // 1. Clause IDs, when both versions use them, pair exactly and only by ID.
    let by_id = old.iter().any(|s| s.id.is_some()) && new.iter().any(|s| s.id.is_some());
    let eligible_old: Vec<bool> = old.iter().map(|s| !(by_id && s.id.is_some())).collect();
    let eligible_new: Vec<bool> = new.iter().map(|s| !(by_id && s.id.is_some())).collect();
    if by_id {
        let mut new_ids: HashMap<&str, usize> = HashMap::new();
        for (n, seg) in new.iter().enumerate() {
            if let Some(id) = &seg.id {
                new_ids.entry(id.as_str()).or_insert(n);
            }
        }
        for (o, seg) in old.iter().enumerate() {
            if let Some(n) = seg.id.as_deref().and_then(|id| new_ids.get(id).copied())
                && new_to_old[n].is_none()
            {
                pair(o, n, &mut old_to_new, &mut new_to_old);
            }
        }
    }

    // 2. Identical content in order: a diff over content keys.
    let hashed = |keys: &[String], eligible: &[bool], side: u8| -> Vec<(u8, u64)> {
        keys.iter()
            .enumerate()
            .map(|(i, k)| {
                if eligible[i] {
                    (0, stable_hash(k))
                } else {
                    (side, i as u64)
                }
            })
            .collect()
    };
    let old_hashes = hashed(old_keys, &eligible_old, 1);
    let new_hashes = hashed(new_keys, &eligible_new, 2);
    let mut budget = Budget::new(super::budget::ALIGN);
    for run in lcs::diff(&old_hashes, &new_hashes, &mut budget) {
        if run.tag != Tag::Equal {
            continue;
        }
        for (o, n) in run.old.zip(run.new) {
            if eligible_old[o] && eligible_new[n] && old_keys[o] == new_keys[n] {
                pair(o, n, &mut old_to_new, &mut new_to_old);
            }
        }
    }

    // 3. Identical content out of order (moved clauses), first come first paired.
    // Same division first: two 附則 each with 第一条「公布の日から施行する」 keep their own.
    let mut waiting: HashMap<&str, VecDeque<usize>> = HashMap::new();
    for (n, key) in new_keys.iter().enumerate() {
        if eligible_new[n] && new_to_old[n].is_none() {
            waiting.entry(key.as_str()).or_default().push_back(n);
        }
    }
    for (o, key) in old_keys.iter().enumerate() {
        if !eligible_old[o] || old_to_new[o].is_some() {
            continue;
        }
        let Some(queue) = waiting.get_mut(key.as_str()) else {
            continue;
        };
        let at = queue
            .iter()
            .position(|&n| same_division(old, new, &old_to_new, o, n))
            .unwrap_or(0);
        if let Some(n) = queue.remove(at) {
            pair(o, n, &mut old_to_new, &mut new_to_old);
        }
    }

    // 4. Similar content: the best-scoring pairs first, within a division, then across.
    let left_old: Vec<usize> = (0..old.len())
        .filter(|&o| eligible_old[o] && old_to_new[o].is_none())
        .collect();
    let left_new: Vec<usize> = (0..new.len())
        .filter(|&n| eligible_new[n] && new_to_old[n].is_none())
        .collect();
    let candidates = similar_pairs(
        &left_old,
        &left_new,
        old_keys,
        new_keys,
        old.len(),
        new.len(),
    );
    for c in &candidates {
        if old_to_new[c.old].is_none()
            && new_to_old[c.new].is_none()
            && same_division(old, new, &old_to_new, c.old, c.new)
        {
            pair(c.old, c.new, &mut old_to_new, &mut new_to_old);
        }
    }
    let fixed = |x: f64| (x * 1_000_000.0).round() as u32;
    // The two best candidates of each clause, to tell an unambiguous move from lookalikes.
    let mut best_of_old: HashMap<usize, Vec<(u32, usize)>> = HashMap::new();
    let mut best_of_new: HashMap<usize, Vec<(u32, usize)>> = HashMap::new();
    for c in &candidates {
        for (map, key, other) in [
            (&mut best_of_old, c.old, c.new),
            (&mut best_of_new, c.new, c.old),
        ] {
            let top = map.entry(key).or_default();
            if top.len() < 2 {
                top.push((c.score, other));
            }
        }
    }
    let runner_up = |top: Option<&Vec<(u32, usize)>>, other: usize| -> u32 {
        top.into_iter()
            .flatten()
            .find(|(_, o)| *o != other)
            .map_or(0, |(score, _)| *score)
    };
    let mut lookalike_budget = LOOKALIKE_BUDGET;
    let mut old_features: Vec<Option<Vec<u64>>> = vec![None; old.len()];
    let mut new_features: Vec<Option<Vec<u64>>> = vec![None; new.len()];
    for c in &candidates {
        if old_to_new[c.old].is_some()
            || new_to_old[c.new].is_some()
            || c.score < fixed(MOVE_THRESHOLD)
            || c.features < MOVE_MIN_FEATURES
        {
            continue;
        }
        // Unambiguous: no other candidate of either clause comes close, and neither clause is
        // boilerplate with a lookalike elsewhere in its own version.
        let rival = runner_up(best_of_old.get(&c.old), c.new)
            .max(runner_up(best_of_new.get(&c.new), c.old))
            + fixed(MOVE_MARGIN)
            > c.score;
        if rival {
            continue;
        }
        let rival = has_lookalike(old_keys, c.old, &mut old_features, &mut lookalike_budget)
            || has_lookalike(new_keys, c.new, &mut new_features, &mut lookalike_budget);
        if !rival {
            pair(c.old, c.new, &mut old_to_new, &mut new_to_old);
        }
    }

    // 5. The same number in the same division, both sides still unpaired: one article
    // rewritten, when their contents still agree somewhat.
    let numbered = |seg: &Segment| -> Option<(String, String)> {
        let number = seg.number.as_deref()?;
        Some((seg.parent_key.clone(), canonical_number(number)))
    };
    let mut waiting_by_number: HashMap<(String, String), usize> = HashMap::new();
    for n in 0..new.len() {
        if eligible_new[n]
            && new_to_old[n].is_none()
            && let Some(key) = numbered(&new[n])
        {
            waiting_by_number.entry(key).or_insert(n);
        }
    }
    for o in 0..old.len() {
        if !eligible_old[o] || old_to_new[o].is_some() {
            continue;
        }
        let Some(n) = numbered(&old[o]).and_then(|k| waiting_by_number.get(&k).copied()) else {
            continue;
        };
        if new_to_old[n].is_none()
            && dice(&features(&old_keys[o]), &features(&new_keys[n])) >= SAME_NUMBER_THRESHOLD
        {
            pair(o, n, &mut old_to_new, &mut new_to_old);
        }
    }

    let moved = moved_flags(&new_to_old);
    Alignment {
        old_to_new,
        new_to_old,
        moved,
    }
}

/// Whether clause `o` of OLD and `n` of NEW sit in the same division: both at the top level,
/// in divisions of the same canonical path, or in divisions already paired with each other.
fn same_division(
    old: &[Segment],
    new: &[Segment],
    old_to_new: &[Option<usize>],
    o: usize,
    n: usize,
) -> bool {
    old[o].parent_key == new[n].parent_key
        || old[o]
            .parent
            .is_some_and(|po| old_to_new[po].is_some() && old_to_new[po] == new[n].parent)
}

/// Whether another clause of the same version reads like clause `i` (Dice ≥
/// [`MOVE_THRESHOLD`]): boilerplate such as 「省令への委任」 repeated in each chapter. Each
/// comparison spends its features from `budget`; with the budget spent, the answer is yes
/// (no move is claimed that was not checked).
fn has_lookalike(
    keys: &[String],
    i: usize,
    cache: &mut [Option<Vec<u64>>],
    budget: &mut u64,
) -> bool {
    let own = cache[i].get_or_insert_with(|| features(&keys[i])).clone();
    for j in 0..keys.len() {
        // Dice ≥ 0.6 needs the smaller side to be at least 3/7 of the larger.
        let (a, b) = (keys[i].len(), keys[j].len());
        if j == i || 7 * a.min(b) < 3 * a.max(b) {
            continue;
        }
        let cost = (own.len() + keys[j].len()) as u64;
        if *budget < cost {
            *budget = 0;
            return true;
        }
        *budget -= cost;
        let other = cache[j].get_or_insert_with(|| features(&keys[j]));
        if dice(&own, other) >= MOVE_THRESHOLD {
            return true;
        }
    }
    false
}

/// A possible pairing of similar clauses.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    /// Dice coefficient × 10⁶, compared as an integer: exact, and ties fall to position.
    score: u32,
    old: usize,
    new: usize,
    /// Content features of the smaller clause.
    features: usize,
}

/// Candidate pairs scoring at least [`SIMILARITY_THRESHOLD`], best first, ties broken by
/// closeness of position and then by index, so the result never depends on hash order.
fn similar_pairs(
    left_old: &[usize],
    left_new: &[usize],
    old_keys: &[String],
    new_keys: &[String],
    old_len: usize,
    new_len: usize,
) -> Vec<Candidate> {
    if left_old.is_empty() || left_new.is_empty() {
        return Vec::new();
    }
    let new_features: Vec<Vec<u64>> = left_new.iter().map(|&n| features(&new_keys[n])).collect();
    let mut postings: HashMap<u64, Vec<usize>> = HashMap::new();
    for (slot, f) in new_features.iter().enumerate() {
        let mut distinct = f.clone();
        distinct.dedup();
        for feature in distinct {
            postings.entry(feature).or_default().push(slot);
        }
    }
    let expected = |o: usize| -> usize { o * new_len / old_len.max(1) };

    let mut scored: Vec<(u32, usize, usize, usize, usize)> = Vec::new();
    let mut budget = SIMILAR_BUDGET;
    for &o in left_old {
        if budget == 0 {
            break;
        }
        let of = features(&old_keys[o]);
        let mut distinct = of.clone();
        distinct.dedup();
        let mut probes: Vec<(usize, u64)> = distinct
            .iter()
            .filter_map(|f| postings.get(f).map(|p| (p.len(), *f)))
            .collect();
        probes.sort_unstable();
        probes.truncate(PROBE_FEATURES);
        let target = expected(o);
        let mut hits: HashMap<usize, u32> = HashMap::new();
        for (_, f) in &probes {
            let list = &postings[f];
            let window = if list.len() <= POSTINGS_WINDOW {
                list.as_slice()
            } else {
                let at = list.partition_point(|&slot| left_new[slot] < target);
                let from = at
                    .saturating_sub(POSTINGS_WINDOW / 2)
                    .min(list.len() - POSTINGS_WINDOW);
                &list[from..from + POSTINGS_WINDOW]
            };
            budget = budget.saturating_sub(window.len() as u64);
            for &slot in window {
                *hits.entry(slot).or_default() += 1;
            }
        }
        let mut candidates: Vec<(u32, usize, usize)> = hits
            .into_iter()
            .map(|(slot, h)| (h, left_new[slot].abs_diff(target), slot))
            .collect();
        candidates.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        candidates.truncate(CANDIDATES);
        for (_, distance, slot) in candidates {
            budget = budget.saturating_sub((of.len() + new_features[slot].len()) as u64);
            let score = dice(&of, &new_features[slot]);
            if score >= SIMILARITY_THRESHOLD {
                // Scores compared as integers: exact, and ties fall to position and index.
                let fixed = (score * 1_000_000.0).round() as u32;
                let features = of.len().min(new_features[slot].len());
                scored.push((fixed, distance, o, left_new[slot], features));
            }
        }
    }
    scored.sort_unstable_by(|a, b| {
        b.0.cmp(&a.0)
            .then(a.1.cmp(&b.1))
            .then(a.2.cmp(&b.2))
            .then(a.3.cmp(&b.3))
    });
    scored
        .into_iter()
        .map(|(score, _, old, new, features)| Candidate {
            score,
            old,
            new,
            features,
        })
        .collect()
}

/// Content features, sorted: lower-cased words of alphabetic text and character bigrams
/// of Japanese text (which has no spaces to split words at).
pub fn features(key: &str) -> Vec<u64> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut prev_cjk: Option<char> = None;
    let flush = |word: &mut String, out: &mut Vec<u64>| {
        if !word.is_empty() {
            out.push(stable_hash(&(0u8, word.as_str())));
            word.clear();
        }
    };
    for c in key.chars() {
        if c.is_alphanumeric() && is_cjk(c) {
            flush(&mut word, &mut out);
            if let Some(p) = prev_cjk {
                out.push(stable_hash(&(1u8, p, c)));
            }
            prev_cjk = Some(c);
        } else if c.is_alphanumeric() {
            prev_cjk = None;
            word.extend(c.to_lowercase());
        } else {
            flush(&mut word, &mut out);
            prev_cjk = None;
        }
    }
    flush(&mut word, &mut out);
    out.sort_unstable();
    out
}

/// Dice coefficient of two sorted feature multisets.
pub fn dice(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    (2 * common) as f64 / (a.len() + b.len()) as f64
}

/// A word-at-a-time multiplicative hash (as rustc's FxHash): the same on every run, machine
/// and Rust release, so output never depends on it, and fast on megabytes of clause text.
struct StableHasher(u64);

impl StableHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for StableHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let mut tail = [0u8; 8];
        let rest = chunks.remainder();
        tail[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(tail) ^ ((rest.len() as u64) << 56));
    }
}

fn stable_hash<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut h = StableHasher(0);
    value.hash(&mut h);
    h.finish()
}

/// Pairs off the longest run that keeps OLD's order (taken in NEW's order) are moved.
fn moved_flags(new_to_old: &[Option<usize>]) -> Vec<bool> {
    let pairs: Vec<(usize, usize)> = new_to_old
        .iter()
        .enumerate()
        .filter_map(|(n, o)| o.map(|o| (n, o)))
        .collect();
    // Longest increasing subsequence of old positions (patience sorting).
    let mut tails: Vec<usize> = Vec::new(); // indices into `pairs`
    let mut prev: Vec<Option<usize>> = vec![None; pairs.len()];
    for (i, &(_, o)) in pairs.iter().enumerate() {
        let at = tails.partition_point(|&t| pairs[t].1 < o);
        if at > 0 {
            prev[i] = Some(tails[at - 1]);
        }
        if at == tails.len() {
            tails.push(i);
        } else {
            tails[at] = i;
        }
    }
    let mut in_order = vec![false; pairs.len()];
    let mut cursor = tails.last().copied();
    while let Some(i) = cursor {
        in_order[i] = true;
        cursor = prev[i];
    }
    let mut moved = vec![false; new_to_old.len()];
    for (i, &(n, _)) in pairs.iter().enumerate() {
        moved[n] = !in_order[i];
    }
    moved
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_run_stays_put() {
        // NEW order holds OLD clauses 0, 3, 1, 2: clause 3 moved up.
        let flags = moved_flags(&[Some(0), Some(3), Some(1), Some(2), None]);
        assert_eq!(flags, vec![false, true, false, false, false]);
    }

    #[test]
    fn similarity_of_japanese_and_english() {
        let a = features("乙は、個人情報を暗号化して保管する。");
        let b = features("乙は、個人データを暗号化して保管する。");
        assert!(dice(&a, &b) > 0.6);
        let c = features("The Receiving Party shall protect Confidential Information.");
        let d = features("Either party may terminate this agreement on notice.");
        assert!(dice(&c, &d) < SIMILARITY_THRESHOLD);
    }
}
