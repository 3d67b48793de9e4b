//! Office and browser round trips shared by the test binaries: convert generated Word and
//! Excel files (LibreOffice) and HTML pages (headless Chromium) to PDF, and read the PDF's
//! text and page size back with poppler's pdftotext and pdfinfo.
//!
//! `.ci/run` installs LibreOffice, Chromium and poppler-utils; on a machine without them the
//! tests that use these helpers skip, except in CI (`CI` set), where their absence is a
//! failure.

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

/// Whether headless Chromium and poppler run here; in CI their absence panics.
pub fn chromium_available() -> bool {
    let found = Command::new("chromium").arg("--version").output().is_ok()
        && Command::new("pdfinfo").arg("-v").output().is_ok();
    if !found && std::env::var_os("CI").is_some() {
        panic!("chromium and poppler-utils are required in CI: .ci/run installs them");
    }
    if !found {
        eprintln!("chromium or pdfinfo not found: skipping the browser print");
    }
    found
}

/// Print the HTML page `html` to `pdf` as a user's browser would (A4 unless the page's
/// `@page` says otherwise; no browser header or footer, the page's own margin boxes only).
pub fn print_html(html: &Path, pdf: &Path, dir: &Path) {
    let profile = dir.join(format!(
        "chromium-{}",
        pdf.file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("profile")
    ));
    let output = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .env("HOME", dir)
        .output()
        .expect("chromium runs");
    assert!(
        output.status.success() && pdf.exists(),
        "chromium printed nothing: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Convert `files` to PDF in `dir` with LibreOffice and return the PDFs' paths.
pub fn office_to_pdf(files: &[PathBuf], dir: &Path) -> Vec<PathBuf> {
    office_convert(files, "pdf", dir)
}

/// Convert `files` in `dir` with LibreOffice to `to` (an extension, optionally followed by
/// `:` and a filter, as `--convert-to` takes it) and return the converted files' paths.
pub fn office_convert(files: &[PathBuf], to: &str, dir: &Path) -> Vec<PathBuf> {
    let output = Command::new("soffice")
        .args(["--headless", "--norestore", "--convert-to", to, "--outdir"])
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
    let extension = to.split(':').next().expect("an extension");
    files
        .iter()
        .map(|file| {
            dir.join(
                file.with_extension(extension)
                    .file_name()
                    .expect("a file name"),
            )
        })
        .collect()
}

/// The text of each page of `pdf`, as `pdftotext` lays it out (`-layout`: lines as printed)
/// or in reading order (`-raw`: a table cell's lines one after another).
pub fn pdf_pages(pdf: &Path, mode: &str) -> Vec<String> {
    let text = Command::new("pdftotext")
        .arg(mode)
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    let text = String::from_utf8(text.stdout).expect("pdftotext writes UTF-8");
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// Every word of `pdf` with the height of its box in points (`pdftotext -bbox`): the font
/// size times a constant of the font.
pub fn word_heights(pdf: &Path) -> Vec<(String, f64)> {
    let output = Command::new("pdftotext")
        .arg("-bbox")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    let html = String::from_utf8_lossy(&output.stdout).into_owned();
    let attr = |tag: &str, name: &str| -> f64 {
        let start = tag.find(&format!("{name}=\"")).expect("attribute") + name.len() + 2;
        let end = tag[start..].find('"').expect("closing quote") + start;
        tag[start..end].parse().expect("a number")
    };
    html.split("<word ")
        .skip(1)
        .filter_map(|w| {
            let (tag, rest) = w.split_once('>')?;
            let text = rest.split('<').next()?.to_string();
            Some((text, attr(tag, "yMax") - attr(tag, "yMin")))
        })
        .collect()
}

/// The page size of `pdf` in points (width, height), from `pdfinfo`.
pub fn pdf_page_size(pdf: &Path) -> (f64, f64) {
    let info = Command::new("pdfinfo")
        .arg(pdf)
        .output()
        .expect("pdfinfo (poppler-utils) runs");
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    let line = info
        .lines()
        .find(|l| l.starts_with("Page size:"))
        .expect("pdfinfo gives the page size");
    let numbers: Vec<f64> = line
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    (numbers[0], numbers[1])
}

/// Convert `files` to PDF in `dir` (with a throw-away LibreOffice profile there) and return
/// the text of each PDF, in the same order.
pub fn pdf_texts(files: &[PathBuf], dir: &Path) -> Vec<String> {
    office_to_pdf(files, dir)
        .iter()
        .map(|pdf| {
            let text = Command::new("pdftotext")
                .arg(pdf)
                .arg("-")
                .output()
                .expect("pdftotext (poppler-utils) is installed with LibreOffice by .ci/run");
            String::from_utf8(text.stdout).expect("pdftotext writes UTF-8")
        })
        .collect()
}
