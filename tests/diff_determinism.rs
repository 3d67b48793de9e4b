//! The same diff inputs give the same bytes, whatever else the machine is doing: the redline's
//! fineness is bounded by a work budget counted in operations, never by the clock (issue 16).
//! A pair large enough to exhaust the budgets is compared repeatedly while other threads burn
//! every core, and every report (JSON, 新旧対照表, the Word redline) must be byte-identical.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use chotatsu::diff::lcs::Budget;
use chotatsu::diff::redline::redline;
use chotatsu::diff::render::{self, Format, Names, Options};
use chotatsu::diff::{Comparison, compare};
use chotatsu::render::Templates;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// A long clause of pseudo-random words: `seed` decides which.
fn clause(seed: u64, words: usize) -> String {
    let mut rng = Rng(seed | 1);
    let mut out = String::new();
    for i in 0..words {
        out.push_str(&format!("w{} ", rng.next() % 400));
        if i % 17 == 16 {
            out.push_str(".\n");
        }
    }
    out
}

/// A pair that exhausts the per-clause budget: one 30,000-word clause with a third of its
/// words changed here and there, beside ordinary clauses with small edits.
fn large_pair() -> (String, String) {
    let big_old = clause(7, 30_000);
    let mut rng = Rng(99);
    let big_new: String = big_old
        .split(' ')
        .map(|w| {
            if rng.next().is_multiple_of(3) {
                format!("x{}", rng.next() % 400)
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    let mut old = format!("1. {big_old}\n\n");
    let mut new = format!("1. {big_new}\n\n");
    for i in 2..200u64 {
        let text = clause(i, 40);
        old.push_str(&format!("{i}. {text}\n\n"));
        new.push_str(&format!("{i}. {}\n\n", text.replacen("w1", "w2", 1)));
    }
    (old, new)
}

fn reports(cmp: &Comparison) -> Vec<Vec<u8>> {
    let options = Options {
        names: Names {
            old: "old.md".to_string(),
            new: "new.md".to_string(),
        },
        ..Options::default()
    };
    let templates = Templates::bundled().expect("templates");
    [
        Format::Json,
        Format::Shinkyu,
        Format::Docx,
        Format::ShinkyuDocx,
    ]
    .into_iter()
    .map(|format| render::report(cmp, format, &options, &templates).expect("report"))
    .collect()
}

#[test]
fn large_pair_gives_identical_bytes_on_a_busy_machine() {
    let (old, new) = large_pair();
    let quiet = reports(&compare(&old, &new));

    // Burn every core (twice over) while comparing again.
    let stop = Arc::new(AtomicBool::new(false));
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    let burners: Vec<_> = (0..cores * 2)
        .map(|i| {
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                let mut x = i as u64 + 1;
                while !stop.load(Ordering::Relaxed) {
                    for _ in 0..10_000 {
                        x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
                    }
                    std::hint::black_box(x);
                }
            })
        })
        .collect();
    let busy: Vec<Vec<Vec<u8>>> = (0..2).map(|_| reports(&compare(&old, &new))).collect();
    stop.store(true, Ordering::Relaxed);
    for b in burners {
        b.join().expect("burner");
    }
    for run in &busy {
        for (i, (a, b)) in quiet.iter().zip(run).enumerate() {
            assert!(a == b, "report {i} differs between runs");
        }
    }
}

#[test]
fn the_budget_is_what_bounds_the_large_clause() {
    // The pair above must really exhaust the per-clause budget, or the test above would pass
    // with a clock-based deadline too: the big clause's word diff spends all of it, and what
    // the report shows is exactly that budgeted redline.
    let (old, new) = large_pair();
    let cmp = compare(&old, &new);
    let big = &cmp.clauses[0];
    let mut budget = Budget::new(chotatsu::diff::budget::CLAUSE);
    let edits = redline(cmp.old[0].display(), cmp.new[0].display(), &mut budget);
    assert_eq!(budget.left(), 0, "the big clause must exhaust its budget");
    assert_eq!(edits, big.edits);
}
