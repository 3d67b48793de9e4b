//! SHA-256 digests as lower-case hex, for manifests and library fingerprints.

use sha2::{Digest, Sha256};

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push(char::from_digit(u32::from(b >> 4), 16).unwrap_or('0'));
        out.push(char::from_digit(u32::from(b & 0xf), 16).unwrap_or('0'));
    }
    out
}

/// Digests remembered per thread in each generation (see [`crate::memo`]).
const REPEATED_KEPT: usize = 1024;

thread_local! {
    static REPEATED: std::cell::RefCell<crate::memo::Memo<Box<str>, String>> = const {
        std::cell::RefCell::new(crate::memo::Memo::new(REPEATED_KEPT))
    };
}

/// [`sha256_hex`] of a text that a batch digests again and again (an article's title and
/// body, the same in every package that selects the clause with the same values), remembered
/// per thread: finding it again reads the text twice (hash and compare), far quicker than
/// SHA-256 reads it once.
pub fn sha256_hex_repeated(text: &str) -> String {
    if let Some(found) = REPEATED.with_borrow_mut(|m| m.find(text)) {
        return found;
    }
    let digest = sha256_hex(text.as_bytes());
    REPEATED.with_borrow_mut(|m| m.keep(text, || digest.clone()));
    digest
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_vector() {
        assert_eq!(
            super::sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_remembered_digest_is_the_digest() {
        // Asked four times: worked out, kept the second time, then found.
        for _ in 0..4 {
            assert_eq!(
                super::sha256_hex_repeated("abc"),
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
            );
            assert_eq!(
                super::sha256_hex_repeated("第2条\n受注者は、"),
                super::sha256_hex("第2条\n受注者は、".as_bytes())
            );
        }
    }
}
