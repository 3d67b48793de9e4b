//! Any bytes as an overlay clause file: loading and checking the library must report
//! problems, never panic or hang.
#![no_main]

use chotatsu::library::Library;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let clauses = dir.path().join("clauses");
    std::fs::create_dir(&clauses).expect("clauses dir");
    std::fs::write(clauses.join("fuzz.yaml"), text).expect("write");
    let _ = Library::load(Some(dir.path()));
});
