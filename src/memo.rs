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
use std::hash::{BuildHasherDefault, DefaultHasher, Hash};

/// Answers by key. Hashed with fixed keys: nothing is ever listed in the map's order, and a
/// long text is read once to be looked up, not compared with a dozen others as in a tree.
type Map<K, V> = HashMap<K, V, BuildHasherDefault<DefaultHasher>>;

pub struct Memo<K, V> {
    limit: usize,
    current: Map<K, V>,
    old: Map<K, V>,
}

impl<K: Hash + Eq, V: Clone> Memo<K, V> {
    pub const fn new(limit: usize) -> Memo<K, V> {
        Memo {
            limit,
            current: HashMap::with_hasher(BuildHasherDefault::new()),
            old: HashMap::with_hasher(BuildHasherDefault::new()),
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

    /// Forget everything (what the keys refer to changed).
    pub fn clear(&mut self) {
        self.current.clear();
        self.old.clear();
    }
}

/// The answer of `work` for `key` from the thread's `memo`, worked out and remembered if it
/// is not there yet.
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
    memo.with_borrow_mut(|m| m.insert(key, fresh.clone()));
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
}
