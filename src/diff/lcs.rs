//! A sequence diff under a deterministic work budget.
//!
//! Myers' O(ND) algorithm in linear space (the "middle snake" bisection), counting its work
//! in operations — one per diagonal examined and one per element compared along a snake —
//! instead of watching the clock. When the budget runs out, the part still to be compared
//! is compared more coarsely: split at the elements found exactly once on each side, in an
//! order both keep (patience anchors), and replaced whole between anchors where none are left
//! — coarser but always correct, and dependent only on the inputs and the budget: the same
//! pair gives the same bytes on an idle machine and on a busy one.

use std::collections::HashMap;
use std::hash::Hash;
use std::ops::Range;

/// What a run of a diff does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    Equal,
    Delete,
    Insert,
}

/// One run: `old` and `new` are the ranges it covers (one of them empty unless `Equal`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub tag: Tag,
    pub old: Range<usize>,
    pub new: Range<usize>,
}

/// Work allowed, in operations. Shared by every diff of one comparison, in a fixed order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    left: u64,
}

impl Budget {
    pub const fn new(ops: u64) -> Self {
        Budget { left: ops }
    }

    /// Operations not spent yet.
    pub fn left(&self) -> u64 {
        self.left
    }

    /// A budget of at most `ops` taken out of this one; give back what it did not spend
    /// with [`Budget::settle`].
    pub fn share(&self, ops: u64) -> Budget {
        Budget::new(self.left.min(ops))
    }

    /// Charge this budget with what `share` (taken from it with `granted` operations) spent.
    pub fn settle(&mut self, granted: u64, share: Budget) {
        self.left = self.left.saturating_sub(granted - share.left);
    }

    fn spend(&mut self, ops: u64) -> bool {
        if self.left >= ops {
            self.left -= ops;
            true
        } else {
            self.left = 0;
            false
        }
    }
}

/// Once the budget is spent, the anchor fallback may read each element this many times over.
const FALLBACK_PASSES: u64 = 8;

/// How deep the anchor fallback may split before replacing what is left.
const FALLBACK_DEPTH: u32 = 48;

/// Work of the coarse comparison after the budget is spent.
struct Fallback {
    left: u64,
}

/// The diff from `old` to `new`: runs in order, a deletion before the insertion next to it.
pub fn diff<T: Hash + Eq>(old: &[T], new: &[T], budget: &mut Budget) -> Vec<Run> {
    let mut out = Vec::new();
    let mut fallback = Fallback {
        left: FALLBACK_PASSES * (old.len() + new.len()) as u64,
    };
    conquer(old, new, 0, 0, budget, &mut fallback, 0, &mut out);
    merge(out)
}

fn push(out: &mut Vec<Run>, tag: Tag, old: Range<usize>, new: Range<usize>) {
    if old.is_empty() && new.is_empty() {
        return;
    }
    out.push(Run { tag, old, new });
}

/// Diff `a` (at `x0` in OLD) against `b` (at `y0` in NEW), appending runs to `out`.
#[allow(clippy::too_many_arguments)]
fn conquer<T: Hash + Eq>(
    a: &[T],
    b: &[T],
    x0: usize,
    y0: usize,
    budget: &mut Budget,
    fallback: &mut Fallback,
    depth: u32,
    out: &mut Vec<Run>,
) {
    // Common prefix and suffix: linear, and taken off even when the budget is spent.
    let prefix = a.iter().zip(b).take_while(|(p, q)| p == q).count();
    let (a_rest, b_rest) = (&a[prefix..], &b[prefix..]);
    let suffix = a_rest
        .iter()
        .rev()
        .zip(b_rest.iter().rev())
        .take_while(|(p, q)| p == q)
        .count();
    let a_mid = &a_rest[..a_rest.len() - suffix];
    let b_mid = &b_rest[..b_rest.len() - suffix];
    push(out, Tag::Equal, x0..x0 + prefix, y0..y0 + prefix);
    let (xm, ym) = (x0 + prefix, y0 + prefix);
    let old_mid = xm..xm + a_mid.len();
    let new_mid = ym..ym + b_mid.len();
    if a_mid.is_empty() || b_mid.is_empty() {
        push(out, Tag::Delete, old_mid.clone(), ym..ym);
        push(out, Tag::Insert, old_mid.end..old_mid.end, new_mid.clone());
    } else {
        match bisect(a_mid, b_mid, budget) {
            Some((x, y)) => {
                conquer(
                    &a_mid[..x],
                    &b_mid[..y],
                    xm,
                    ym,
                    budget,
                    fallback,
                    depth,
                    out,
                );
                conquer(
                    &a_mid[x..],
                    &b_mid[y..],
                    xm + x,
                    ym + y,
                    budget,
                    fallback,
                    depth,
                    out,
                );
            }
            None if budget.left() == 0 => {
                anchored(a_mid, b_mid, xm, ym, budget, fallback, depth, out);
            }
            None => {
                push(out, Tag::Delete, old_mid.clone(), ym..ym);
                push(out, Tag::Insert, old_mid.end..old_mid.end, new_mid.clone());
            }
        }
    }
    let (xs, ys) = (xm + a_mid.len(), ym + b_mid.len());
    push(out, Tag::Equal, xs..xs + suffix, ys..ys + suffix);
}

/// The coarse comparison once the budget is spent: split at the elements found exactly once
/// in `a` and once in `b`, keeping the longest run of them in the same order in both, and
/// compare between them; with no such element (or the fallback's own work spent), one
/// replacement.
#[allow(clippy::too_many_arguments)]
fn anchored<T: Hash + Eq>(
    a: &[T],
    b: &[T],
    x0: usize,
    y0: usize,
    budget: &mut Budget,
    fallback: &mut Fallback,
    depth: u32,
    out: &mut Vec<Run>,
) {
    let cost = (a.len() + b.len()) as u64;
    let replace = |out: &mut Vec<Run>| {
        push(out, Tag::Delete, x0..x0 + a.len(), y0..y0);
        push(
            out,
            Tag::Insert,
            x0 + a.len()..x0 + a.len(),
            y0..y0 + b.len(),
        );
    };
    if depth >= FALLBACK_DEPTH || fallback.left < cost {
        replace(out);
        return;
    }
    fallback.left -= cost;
    // (count in a, count in b, position in a, position in b)
    let mut seen: HashMap<&T, (u32, u32, usize, usize)> = HashMap::with_capacity(a.len());
    for (i, t) in a.iter().enumerate() {
        let e = seen.entry(t).or_insert((0, 0, i, 0));
        e.0 += 1;
    }
    for (j, t) in b.iter().enumerate() {
        if let Some(e) = seen.get_mut(t) {
            e.1 += 1;
            e.3 = j;
        }
    }
    let mut pairs: Vec<(usize, usize)> = seen
        .values()
        .filter(|e| e.0 == 1 && e.1 == 1)
        .map(|e| (e.2, e.3))
        .collect();
    pairs.sort_unstable();
    // Longest run increasing in b (patience sorting).
    let mut tails: Vec<usize> = Vec::new();
    let mut prev: Vec<Option<usize>> = vec![None; pairs.len()];
    for (i, &(_, y)) in pairs.iter().enumerate() {
        let at = tails.partition_point(|&t| pairs[t].1 < y);
        if at > 0 {
            prev[i] = Some(tails[at - 1]);
        }
        if at == tails.len() {
            tails.push(i);
        } else {
            tails[at] = i;
        }
    }
    let mut anchors = Vec::with_capacity(tails.len());
    let mut cursor = tails.last().copied();
    while let Some(i) = cursor {
        anchors.push(pairs[i]);
        cursor = prev[i];
    }
    anchors.reverse();
    if anchors.is_empty() {
        replace(out);
        return;
    }
    let (mut x, mut y) = (0, 0);
    for (ax, ay) in anchors {
        conquer(
            &a[x..ax],
            &b[y..ay],
            x0 + x,
            y0 + y,
            budget,
            fallback,
            depth + 1,
            out,
        );
        push(out, Tag::Equal, x0 + ax..x0 + ax + 1, y0 + ay..y0 + ay + 1);
        (x, y) = (ax + 1, ay + 1);
    }
    conquer(
        &a[x..],
        &b[y..],
        x0 + x,
        y0 + y,
        budget,
        fallback,
        depth + 1,
        out,
    );
}

/// Where to split `a` and `b` (both non-empty, with no common prefix or suffix) so that an
/// optimal diff passes through the point: the middle snake of Myers' bisection. `None` when
/// the budget runs out, or when they have nothing in common (then the split is pointless).
fn bisect<T: Eq>(a: &[T], b: &[T], budget: &mut Budget) -> Option<(usize, usize)> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max_d = (n + m + 1) / 2;
    let offset = max_d;
    let len = (2 * max_d + 2) as usize;
    let mut v1 = vec![-1isize; len];
    let mut v2 = vec![-1isize; len];
    v1[(offset + 1) as usize] = 0;
    v2[(offset + 1) as usize] = 0;
    let delta = n - m;
    let front = delta % 2 != 0;
    let (mut k1start, mut k1end, mut k2start, mut k2end) = (0isize, 0isize, 0isize, 0isize);
    for d in 0..max_d {
        // Forward paths.
        let mut k1 = -d + k1start;
        while k1 <= d - k1end {
            if !budget.spend(1) {
                return None;
            }
            let i = (offset + k1) as usize;
            let mut x1 = if k1 == -d || (k1 != d && v1[i - 1] < v1[i + 1]) {
                v1[i + 1]
            } else {
                v1[i - 1] + 1
            };
            let mut y1 = x1 - k1;
            let start = x1;
            while x1 < n && y1 < m && a[x1 as usize] == b[y1 as usize] {
                x1 += 1;
                y1 += 1;
            }
            if !budget.spend((x1 - start) as u64) {
                return None;
            }
            v1[i] = x1;
            if x1 > n {
                k1end += 2;
            } else if y1 > m {
                k1start += 2;
            } else if front {
                let j = offset + delta - k1;
                if j >= 0 && (j as usize) < len && v2[j as usize] != -1 && x1 >= n - v2[j as usize]
                {
                    return Some((x1 as usize, y1 as usize));
                }
            }
            k1 += 2;
        }
        // Reverse paths.
        let mut k2 = -d + k2start;
        while k2 <= d - k2end {
            if !budget.spend(1) {
                return None;
            }
            let i = (offset + k2) as usize;
            let mut x2 = if k2 == -d || (k2 != d && v2[i - 1] < v2[i + 1]) {
                v2[i + 1]
            } else {
                v2[i - 1] + 1
            };
            let mut y2 = x2 - k2;
            let start = x2;
            while x2 < n && y2 < m && a[(n - x2 - 1) as usize] == b[(m - y2 - 1) as usize] {
                x2 += 1;
                y2 += 1;
            }
            if !budget.spend((x2 - start) as u64) {
                return None;
            }
            v2[i] = x2;
            if x2 > n {
                k2end += 2;
            } else if y2 > m {
                k2start += 2;
            } else if !front {
                let j = offset + delta - k2;
                if j >= 0 && (j as usize) < len && v1[j as usize] != -1 {
                    let x1 = v1[j as usize];
                    let y1 = offset + x1 - j;
                    if x1 >= n - x2 {
                        return Some((x1 as usize, y1 as usize));
                    }
                }
            }
            k2 += 2;
        }
    }
    None
}

/// Adjacent runs of one kind joined; within a change, the deletion first.
fn merge(runs: Vec<Run>) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::with_capacity(runs.len());
    // A change being gathered: where it starts, and how far it reaches on each side.
    let mut change: Option<(usize, usize, usize, usize)> = None;
    let flush = |out: &mut Vec<Run>, change: &mut Option<(usize, usize, usize, usize)>| {
        if let Some((x, y, x_end, y_end)) = change.take() {
            push(out, Tag::Delete, x..x_end, y..y);
            push(out, Tag::Insert, x_end..x_end, y..y_end);
        }
    };
    for run in runs {
        if run.tag == Tag::Equal {
            flush(&mut out, &mut change);
            match out.last_mut() {
                Some(last) if last.tag == Tag::Equal && last.old.end == run.old.start => {
                    last.old.end = run.old.end;
                    last.new.end = run.new.end;
                }
                _ => out.push(run),
            }
        } else {
            let (x, y, _, _) = *change.get_or_insert((run.old.start, run.new.start, 0, 0));
            change = Some((x, y, run.old.end, run.new.end));
        }
    }
    flush(&mut out, &mut change);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(a: &str, b: &str, ops: u64) -> String {
        let (x, y): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        let mut budget = Budget::new(ops);
        diff(&x, &y, &mut budget)
            .iter()
            .map(|r| {
                let old: String = x[r.old.clone()].iter().collect();
                let new: String = y[r.new.clone()].iter().collect();
                match r.tag {
                    Tag::Equal => new,
                    Tag::Delete => format!("[-{old}-]"),
                    Tag::Insert => format!("{{+{new}+}}"),
                }
            })
            .collect()
    }

    /// Every run in order covers both sequences exactly, and equal runs are equal.
    fn check(a: &[u8], b: &[u8], ops: u64) -> usize {
        let mut budget = Budget::new(ops);
        let runs = diff(a, b, &mut budget);
        let (mut x, mut y) = (0, 0);
        let mut edits = 0;
        for r in &runs {
            assert_eq!(r.old.start, x);
            assert_eq!(r.new.start, y);
            if r.tag == Tag::Equal {
                assert_eq!(a[r.old.clone()], b[r.new.clone()]);
            } else {
                edits += r.old.len() + r.new.len();
            }
            x = r.old.end;
            y = r.new.end;
        }
        assert_eq!((x, y), (a.len(), b.len()));
        edits
    }

    #[test]
    fn minimal_diffs() {
        assert_eq!(
            show("abcabba", "cbabac", u64::MAX),
            "[-a-]{+c+}b[-c-]ab[-b-]a{+c+}"
        );
        assert_eq!(
            show("kitten", "sitting", u64::MAX),
            "[-k-]{+s+}itt[-e-]{+i+}n{+g+}"
        );
        assert_eq!(show("", "abc", u64::MAX), "{+abc+}");
        assert_eq!(show("same", "same", 0), "same");
    }

    #[test]
    fn a_spent_budget_gives_a_coarser_but_correct_diff() {
        assert_eq!(show("xaby", "xbay", 0), "x[-a-]b{+a+}y");
        assert_eq!(show("xaby", "xcdy", 0), "x[-ab-]{+cd+}y");
        let a: Vec<u8> = (0..2000u32).map(|i| (i * 7 % 13) as u8).collect();
        let b: Vec<u8> = (0..2100u32).map(|i| (i * 5 % 11) as u8).collect();
        let full = check(&a, &b, u64::MAX);
        let coarse = check(&a, &b, 1000);
        assert!(coarse >= full, "{coarse} < {full}");
        // Same inputs and budget, same result.
        let mut b1 = Budget::new(5000);
        let mut b2 = Budget::new(5000);
        assert_eq!(diff(&a, &b, &mut b1), diff(&a, &b, &mut b2));
        assert_eq!(b1, b2);
    }

    #[test]
    fn optimal_on_random_pairs() {
        // Against a quadratic LCS on small random pairs.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..300 {
            let la = (next() % 30) as usize;
            let lb = (next() % 30) as usize;
            let a: Vec<u8> = (0..la).map(|_| (next() % 4) as u8).collect();
            let b: Vec<u8> = (0..lb).map(|_| (next() % 4) as u8).collect();
            let mut lcs = vec![vec![0usize; lb + 1]; la + 1];
            for i in (0..la).rev() {
                for j in (0..lb).rev() {
                    lcs[i][j] = if a[i] == b[j] {
                        lcs[i + 1][j + 1] + 1
                    } else {
                        lcs[i + 1][j].max(lcs[i][j + 1])
                    };
                }
            }
            assert_eq!(
                check(&a, &b, u64::MAX),
                la + lb - 2 * lcs[0][0],
                "{a:?} {b:?}"
            );
        }
    }
}
