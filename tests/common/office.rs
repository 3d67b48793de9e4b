//! LibreOffice round trips shared by the test binaries: convert generated Word files to PDF
//! headless and read the PDF's text back with pdftotext.
//!
//! `.ci/run` installs LibreOffice and poppler-utils; on a machine without them the tests that
//! use these helpers skip, except in CI (`CI` set), where their absence is a failure.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Whether `soffice` runs here; in CI its absence panics.
pub fn soffice_available() -> bool {
    let found = Command::new("soffice").arg("--version").output().is_ok();
    if !found && std::env::var_os("CI").is_some() {
        panic!("LibreOffice (soffice) is required in CI: .ci/run installs it");
    }
    if !found {
        eprintln!("soffice not found: skipping the LibreOffice conversion");
    }
    found
}

/// Convert `files` to PDF in `dir` (with a throw-away LibreOffice profile there) and return
/// the text of each PDF, in the same order.
pub fn pdf_texts(files: &[PathBuf], dir: &Path) -> Vec<String> {
    let output = Command::new("soffice")
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(dir)
        .args(files)
        .env("HOME", dir)
        .arg(format!("-env:UserInstallation=file://{}/lo", dir.display()))
        .output()
        .expect("soffice runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    files
        .iter()
        .map(|file| {
            let pdf = dir.join(file.with_extension("pdf").file_name().expect("a file name"));
            let text = Command::new("pdftotext")
                .arg(&pdf)
                .arg("-")
                .output()
                .expect("pdftotext (poppler-utils) is installed with LibreOffice by .ci/run");
            String::from_utf8(text.stdout).expect("pdftotext writes UTF-8")
        })
        .collect()
}
