//! Any two texts as contract versions: segmentation must be lossless and the comparison must
//! account for every clause, never panic or hang.
#![no_main]

use chotatsu::diff::{compare, segment::segment};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // Split the input into two versions at the first NUL (or use it against itself edited).
    let (old, new) = text.split_once('\0').unwrap_or((text, ""));
    for side in [old, new] {
        let joined: String = segment(side).iter().map(|s| s.text.as_str()).collect();
        assert_eq!(joined, side, "segmentation is lossless");
    }
    let _ = compare(old, new);
});
