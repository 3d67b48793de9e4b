//! The bad-input catalogue: every folder under `tests/bad-inputs/` is one case with the
//! command-line arguments (`args`), its input files, and the error it must give
//! (`expected`: the message lines, without the source snippet that follows them). Each run must exit 2, print that line, never panic and write
//! nothing. Set `BLESS=1` to write the `expected` files from the current output.

use std::fs;
use std::path::Path;

use crate::common::{chotatsu, files_under, repo};

fn copy_case(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).unwrap().flatten() {
        let name = entry.file_name();
        if name == "args" || name == "expected" {
            continue;
        }
        let target = to.join(&name);
        if entry.path().is_dir() {
            fs::create_dir_all(&target).unwrap();
            copy_case(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn every_bad_input_gives_its_error_and_writes_nothing() {
    let catalogue = repo().join("tests/bad-inputs");
    let mut cases: Vec<_> = fs::read_dir(&catalogue)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 40, "the catalogue has {} cases", cases.len());
    let bless = std::env::var_os("BLESS").is_some();
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let dir = tempfile::tempdir().unwrap();
        copy_case(case, dir.path());
        let before = files_under(dir.path());
        let args = fs::read_to_string(case.join("args")).unwrap();
        let output = chotatsu(dir.path())
            .args(args.split_whitespace())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr
            .lines()
            .take_while(|l| !l.starts_with(" --> "))
            .collect::<Vec<_>>()
            .join("\n");
        if bless {
            fs::write(case.join("expected"), format!("{first}\n")).unwrap();
        }
        let expected = fs::read_to_string(case.join("expected")).unwrap_or_default();
        let mut problems = Vec::new();
        if output.status.code() != Some(2) {
            problems.push(format!("exit {:?}", output.status.code()));
        }
        if stderr.contains("panicked") {
            problems.push("panicked".to_string());
        }
        if first != expected.trim_end() {
            problems.push(format!("got `{first}`, expected `{}`", expected.trim_end()));
        }
        if files_under(dir.path()) != before {
            problems.push("wrote files".to_string());
        }
        if !problems.is_empty() {
            failures.push(format!("{name}: {}", problems.join("; ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
