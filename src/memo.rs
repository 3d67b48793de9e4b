//! A bounded memory of a pure function's answers, kept per thread by the code that renders:
//! a batch renders the same clause bodies, table cells and runs of text for every package
//! (and a package for each of its documents), and each is worked out once.
//!
//! The memory holds two generations of at most `limit` answers each: when the current one
//! is full it becomes the old one (the one before is dropped), and an answer found in the old
//! generation moves to the current one. Answers still asked for stay; ones no longer asked for
//! (a profile's own title, say) go within two generations, so memory stays flat however many
//! packages a batch builds.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};

/// Answers by key, hashed with [`Fast`]: nothing is ever listed in the map's order, and a
/// long text is read once to be looked up, not compared with a dozen others as in a tree.
type Map<K, V> = HashMap<K, V, BuildHasherDefault<Fast>>;

/// A hash for the keys chotatsu makes itself (clause texts, document blocks, zip pieces), not
/// for keys an attacker chooses: FxHash's step (rotate, xor, multiply) over four lanes of
/// eight bytes, so that a long text is read at several bytes a cycle. SipHash, the standard
/// map's, took a tenth of a batch hashing the same kilobytes of text over and over. Fixed:
/// the same on every run and machine.
#[derive(Default, Clone, Copy)]
pub struct Fast(u64);

const K: u64 = 0x517c_c1b7_2722_0a95;

fn step(h: u64, word: u64) -> u64 {
    (h.rotate_left(5) ^ word).wrapping_mul(K)
}

fn word(bytes: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w[..bytes.len()].copy_from_slice(bytes);
    u64::from_le_bytes(w)
}

impl Hasher for Fast {
    fn write(&mut self, bytes: &[u8]) {
        let mut lanes = [self.0, 1, 2, 3];
        let mut blocks = bytes.chunks_exact(32);
        for block in blocks.by_ref() {
            for (lane, w) in lanes.iter_mut().zip(block.chunks_exact(8)) {
                *lane = step(*lane, word(w));
            }
        }
        let mut h = lanes
            .iter()
            .skip(1)
            .fold(lanes[0], |h, &lane| step(h, lane));
        let mut rest = blocks.remainder().chunks(8);
        for w in rest.by_ref() {
            h = step(h, word(w));
        }
        // The length, so that texts that differ only by trailing zero bytes differ.
        self.0 = step(h, bytes.len() as u64);
    }

    fn write_u8(&mut self, n: u8) {
        self.0 = step(self.0, u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = step(self.0, u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = step(self.0, n);
    }

    fn write_usize(&mut self, n: usize) {
        self.0 = step(self.0, n as u64);
    }

    /// The multiply leaves the low bits, which pick the bucket, the weakest: they are
    /// rotated up.
    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}

/// [`Fast`] of `bytes` alone.
pub fn fast_hash(bytes: &[u8]) -> u64 {
    let mut h = Fast::default();
    h.write(bytes);
    h.finish()
}

pub struct Memo<K, V> {
    limit: usize,
    current: Map<K, V>,
    old: Map<K, V>,
    /// The hashes of keys asked for once ([`Memo::admits`]), with the package they were
    /// asked for in.
    seen: HashMap<u64, u64, BuildHasherDefault<Fast>>,
}

impl<K: Hash + Eq, V: Clone> Memo<K, V> {
    pub const fn new(limit: usize) -> Memo<K, V> {
        Memo {
            limit,
            current: HashMap::with_hasher(BuildHasherDefault::new()),
            old: HashMap::with_hasher(BuildHasherDefault::new()),
            seen: HashMap::with_hasher(BuildHasherDefault::new()),
        }
    }

    /// The answer remembered for `key`, if any; else the key back.
    pub fn get(&mut self, key: K) -> Result<V, K> {
        self.find(&key).ok_or(key)
    }

    /// The answer remembered for `key`, looked up by a borrowed form of it (no key is built
    /// just to look).
    pub fn find<Q: Hash + Eq + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: std::borrow::Borrow<Q>,
    {
        if let Some(found) = self.current.get(key) {
            return Some(found.clone());
        }
        let (key, found) = self.old.remove_entry(key)?;
        self.insert(key, found.clone());
        Some(found)
    }

    pub fn insert(&mut self, key: K, value: V) {
        if self.current.len() >= self.limit {
            self.old = std::mem::take(&mut self.current);
        }
        self.current.insert(key, value);
    }

    /// Whether an answer worked out for `key` is to be kept: yes the second time it is asked
    /// (its hash was seen before), in a batch only when the first time was for another
    /// package ([`next_package`]). What one package alone says (its title, its ID, a table
    /// with them) is never asked for by the next, and keeping it would push out what every
    /// package asks for and grow the memory with the number of packages. The key is borrowed:
    /// nothing is copied for an answer not kept.
    ///
    /// The first package a thread builds in a batch keeps everything: its memos are empty,
    /// the next package asks for most of it again, and what it kept of its own goes within
    /// two generations, as anything not asked for does (a batch of 50 on one thread took
    /// 3.7 % fewer instructions).
    pub fn admits<Q: Hash + ?Sized>(&mut self, key: &Q) -> bool
    where
        K: std::borrow::Borrow<Q>,
    {
        let hash = std::hash::BuildHasher::hash_one(self.seen.hasher(), key);
        let package = PACKAGE.get();
        if package == 1 {
            return true;
        }
        match self.seen.get(&hash) {
            Some(&first) if first != package || package == 0 => {
                self.seen.remove(&hash);
                true
            }
            Some(_) => false,
            None => {
                if self.seen.len() >= SEEN_PER_KEPT * self.limit {
                    self.seen.clear();
                }
                self.seen.insert(hash, package);
                false
            }
        }
    }

    /// Keep the answer `value` makes for `key` when [`Memo::admits`] says so: the key is
    /// copied, and the answer made, only then.
    pub fn keep<Q>(&mut self, key: &Q, value: impl FnOnce() -> V)
    where
        K: std::borrow::Borrow<Q>,
        Q: Hash + ToOwned + ?Sized,
        Q::Owned: Into<K>,
    {
        if self.admits(key) {
            self.insert(key.to_owned().into(), value());
        }
    }

    /// Forget everything (what the keys refer to changed).
    pub fn clear(&mut self) {
        self.current.clear();
        self.old.clear();
        self.seen.clear();
    }
}

/// How many keys offered once are held, per answer kept, before they are forgotten.
const SEEN_PER_KEPT: usize = 4;

thread_local! {
    /// The package of a batch this thread is building (0 outside a batch).
    static PACKAGE: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// This thread starts on the next package of a batch (see [`Memo::admits`]).
pub fn next_package() {
    PACKAGE.set(PACKAGE.get() + 1);
}

/// The answer of `work` for `key` from the thread's `memo`, worked out if it is not there
/// yet, and remembered when it is asked for a second time ([`Memo::admits`]).
pub fn remembered<K: Hash + Eq + 'static, V: Clone + 'static>(
    memo: &'static std::thread::LocalKey<std::cell::RefCell<Memo<K, V>>>,
    key: K,
    work: impl FnOnce() -> V,
) -> V {
    let key = match memo.with_borrow_mut(|m| m.get(key)) {
        Ok(found) => return found,
        Err(key) => key,
    };
    let fresh = work();
    memo.with_borrow_mut(|m| {
        if m.admits(&key) {
            m.insert(key, fresh.clone());
        }
    });
    fresh
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_in_use_survive_and_the_rest_go_within_two_generations() {
        let mut memo = Memo::new(2);
        memo.insert("a", 1);
        memo.insert("b", 2);
        // Full: "a" and "b" become the old generation.
        memo.insert("c", 3);
        assert_eq!(memo.get("a"), Ok(1));
        // "a" moved to the current generation, which is full again: "b" is dropped.
        memo.insert("d", 4);
        assert_eq!(memo.get("b"), Err("b"));
        assert_eq!(memo.get("a"), Ok(1));
        assert_eq!(memo.get("c"), Ok(3));
    }

    /// What the memos do with an answer worked out: keep it if admitted.
    fn offer<K: Hash + Eq + Clone, V: Clone>(memo: &mut Memo<K, V>, key: K, value: V) {
        memo.keep(&key, || value);
    }

    #[test]
    fn an_answer_offered_once_is_not_kept() {
        let mut memo = Memo::new(4);
        offer(&mut memo, "title of one package", 1);
        assert_eq!(
            memo.get("title of one package"),
            Err("title of one package")
        );
        offer(&mut memo, "a clause every package has", 2);
        offer(&mut memo, "a clause every package has", 2);
        assert_eq!(memo.get("a clause every package has"), Ok(2));
        // In a batch, twice in one package is not enough: the next must ask for it too.
        std::thread::spawn(|| {
            let mut memo = Memo::new(4);
            // The thread's first package of a batch keeps what it is offered.
            next_package();
            offer(&mut memo, "the first package's title", 0);
            assert_eq!(memo.get("the first package's title"), Ok(0));
            next_package();
            offer(&mut memo, "the title, in the annex and the RFP", 1);
            offer(&mut memo, "the title, in the annex and the RFP", 1);
            assert!(memo.get("the title, in the annex and the RFP").is_err());
            offer(&mut memo, "a clause", 2);
            next_package();
            offer(&mut memo, "a clause", 2);
            assert_eq!(memo.get("a clause"), Ok(2));
        })
        .join()
        .unwrap();
    }

    #[test]
    fn the_hash_reads_every_byte_and_the_length() {
        let text = "受注者は、本件業務を誠実に行う。".repeat(5);
        let base = fast_hash(text.as_bytes());
        assert_eq!(base, fast_hash(text.as_bytes()));
        let mut bytes = text.into_bytes();
        for at in [0, 7, 31, 32, 40, bytes.len() - 1] {
            bytes[at] ^= 1;
            assert_ne!(fast_hash(&bytes), base, "byte {at}");
            bytes[at] ^= 1;
        }
        assert_ne!(fast_hash(b"ab"), fast_hash(b"ab\0"));
        assert_ne!(fast_hash(b""), fast_hash(b"\0"));
    }
}
