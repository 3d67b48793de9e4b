//! `chotatsu diff` on Word documents: .docx made from the Markdown fixtures by pandoc and by
//! LibreOffice (tests/fixtures/diff/docx/make.sh) compare exactly as the Markdown does,
//! including one whose article numbers exist only as Word automatic numbering; chotatsu's own
//! redline (tracked changes) reads back as either version; the clause IDs of an annex are
//! named; hostile files are refused with exit 2.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diff")
        .join(rel)
}

fn chotatsu() -> Command {
    let mut cmd = assert_cmd::cargo_bin_cmd!("chotatsu");
    cmd.env("NO_COLOR", "1");
    cmd
}

fn diff(args: &[&Path], extra: &[&str]) -> (i32, String, String) {
    let out = chotatsu()
        .arg("diff")
        .args(args)
        .args(extra)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("UTF-8"),
        String::from_utf8(out.stderr).expect("UTF-8"),
    )
}

/// What a comparison says about each clause: status, flags, path, clause ID, numbers.
fn outline(old: &Path, new: &Path) -> Vec<String> {
    let (code, json, err) = diff(&[old, new], &["--format", "json"]);
    assert!(code == 0 || code == 1, "{err}");
    let v: Value = serde_json::from_str(&json).expect("JSON");
    let mut out = vec![v["summary"].to_string()];
    for c in v["clauses"].as_array().expect("clauses") {
        out.push(format!(
            "{} moved={} renumbered={} path={} id={} {}→{}",
            c["status"],
            c["moved"],
            c["renumbered"],
            c["path"],
            c["clause_id"],
            c["old"]["number"],
            c["new"]["number"]
        ));
    }
    out
}

#[test]
fn pandoc_word_files_compare_as_their_markdown() {
    let md = outline(&fixture("ja/old.md"), &fixture("ja/new.md"));
    let docx = outline(
        &fixture("docx/ja-old.pandoc.docx"),
        &fixture("docx/ja-new.pandoc.docx"),
    );
    assert_eq!(docx, md);
    assert!(md[0].contains("\"renumbered\":4"), "{md:?}");
}

#[test]
fn libreoffice_word_files_compare_as_their_markdown() {
    let md = outline(&fixture("ja/old.md"), &fixture("ja/new.md"));
    let docx = outline(
        &fixture("docx/ja-old.lo.docx"),
        &fixture("docx/ja-new.lo.docx"),
    );
    assert_eq!(docx, md);
}

#[test]
fn word_automatic_article_numbering_compares_as_written_numbers() {
    // In auto-*.docx the 第N条 are Word numbering (lvlText 第%1条), not text.
    let word = fs::read(fixture("docx/auto-old.docx")).expect("fixture");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(word)).expect("zip");
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .expect("document")
        .read_to_string(&mut xml)
        .expect("read");
    assert!(
        !xml.contains("第1条") && !xml.contains("第3条"),
        "numbers are not text"
    );
    let md = outline(&fixture("docx/auto-old.md"), &fixture("docx/auto-new.md"));
    let docx = outline(
        &fixture("docx/auto-old.docx"),
        &fixture("docx/auto-new.docx"),
    );
    assert_eq!(docx, md);
    assert!(
        md.iter()
            .any(|l| l.contains("\"added\" moved=false renumbered=false path=\"第3条\"")),
        "{md:?}"
    );
    // A Word file against Markdown: the same text, so identical.
    let (code, _, err) = diff(
        &[&fixture("docx/auto-old.docx"), &fixture("docx/auto-old.md")],
        &[],
    );
    assert_eq!(code, 0, "{err}");
}

#[test]
fn chotatsu_redline_reads_back_as_either_version() {
    let dir = tempfile::tempdir().expect("temp");
    let redline = dir.path().join("redline.docx");
    let (old, new) = (fixture("ja/old.md"), fixture("ja/new.md"));
    let (code, _, err) = diff(
        &[&old, &new],
        &["--format", "docx", "--out", redline.to_str().expect("path")],
    );
    assert_eq!(code, 1, "{err}");
    // Tracked changes accepted (the default): the new version.
    let (code, out, err) = diff(&[&redline, &new], &[]);
    assert_eq!(code, 0, "{out}{err}");
    // Rejected: the old version.
    let (code, out, err) = diff(&[&redline, &old], &["--tracked", "reject"]);
    assert_eq!(code, 0, "{out}{err}");
    // Refused: exit 2, naming the file and the first change.
    let (code, out, err) = diff(&[&redline, &new], &["--tracked", "refuse"]);
    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert!(
        err.contains("redline.docx")
            && err.contains("the document has tracked changes (a deletion by chotatsu)"),
        "{err}"
    );
}

#[test]
fn the_vendors_change_names_the_clause_id_from_the_traceability_table() {
    for (old, new) in [
        ("docx/annex-old.md", "docx/annex-vendor.md"),
        ("docx/annex-old.docx", "docx/annex-vendor.docx"),
        // Bookmarks named by clause ID on the article headings, no table.
        ("docx/annex-ids-old.docx", "docx/annex-ids-vendor.docx"),
    ] {
        let (code, json, err) = diff(&[&fixture(old), &fixture(new)], &["--format", "json"]);
        assert_eq!(code, 1, "{err}");
        let v: Value = serde_json::from_str(&json).expect("JSON");
        let changed: Vec<(String, String)> = v["clauses"]
            .as_array()
            .expect("clauses")
            .iter()
            .filter(|c| c["status"] != "unchanged")
            .map(|c| (c["path"].to_string(), c["clause_id"].to_string()))
            .collect();
        assert_eq!(
            changed,
            [("\"第2条\"".to_string(), "\"SUPP-01\"".to_string())],
            "{old}"
        );
        let (_, text, _) = diff(&[&fixture(old), &fixture(new)], &[]);
        assert!(
            text.contains("第2条 （再委託） [SUPP-01]")
                || text.contains("第2条（再委託） [SUPP-01]"),
            "{old}: {text}"
        );
        assert!(text.contains("[-30日-]{+14日+}"), "{text}");
    }
}

#[test]
fn a_number_changed_in_chotatsus_own_annex_docx_names_its_clause() {
    let dir = tempfile::tempdir().expect("temp");
    let profile = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/r8-0312-kosodate-saas.yaml");
    chotatsu()
        .arg("annex")
        .arg(&profile)
        .arg("--out")
        .arg(dir.path())
        .assert()
        .success();
    let annex = walk(dir.path())
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "docx"))
        .expect("an annex .docx");
    // The vendor changes one number inside one clause.
    let bytes = fs::read(&annex).expect("annex");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let edited = dir.path().join("vendor.docx");
    let mut out = zip::ZipWriter::new(fs::File::create(&edited).expect("create"));
    let mut changed = None;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("entry");
        let name = entry.name().expect("name").to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).expect("read");
        if name == "word/document.xml" {
            let xml = String::from_utf8(data).expect("UTF-8");
            // The first 30-day period of a clause ("30日以内") becomes 14 days.
            let at = xml.find("30日以内").expect("a 30-day period in the annex");
            changed = Some(at);
            data = format!("{}14日以内{}", &xml[..at], &xml[at + "30日以内".len()..]).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("start");
        out.write_all(&data).expect("write");
    }
    out.finish().expect("finish");
    assert!(changed.is_some());
    let (code, json, err) = diff(&[&annex, &edited], &["--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let v: Value = serde_json::from_str(&json).expect("JSON");
    let changed: Vec<&Value> = v["clauses"]
        .as_array()
        .expect("clauses")
        .iter()
        .filter(|c| c["status"] != "unchanged")
        .collect();
    assert_eq!(changed.len(), 1, "{json}");
    let id = changed[0]["clause_id"].as_str().expect("a clause ID");
    assert!(
        chotatsu::diff::segment::parse_clause_id(id) == Some(id.len()),
        "{id}"
    );
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).expect("dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, body) in parts {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .expect("entry");
        zip.write_all(body).expect("write");
    }
    zip.finish().expect("zip").into_inner()
}

#[test]
fn hostile_word_files_are_refused_with_exit_2() {
    let dir = tempfile::tempdir().expect("temp");
    let good = fixture("docx/auto-old.docx");
    let content_types = br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>"#;
    let doc = br#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>"#;
    let dtd = br#"<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>"#;
    let plain_types = br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#;
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.resize(4096, 0);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "macro.docx",
            zip_of(&[
                ("[Content_Types].xml", content_types),
                ("word/document.xml", doc),
            ]),
            "a macro-enabled Word document (.docm); save it as a .docx without macros",
        ),
        (
            "entities.docx",
            zip_of(&[
                ("[Content_Types].xml", plain_types),
                ("word/document.xml", dtd),
            ]),
            "the part word/document.xml is not valid XML",
        ),
        (
            "parts.docx",
            zip_of(&[("[Content_Types].xml", plain_types)]),
            "not a Word document: the part word/document.xml is missing",
        ),
        (
            "protected.docx",
            ole,
            "an encrypted or password-protected Word document, or an old .doc file",
        ),
    ];
    for (name, bytes, message) in cases {
        let path = dir.path().join(name);
        fs::write(&path, bytes).expect("write");
        let (code, out, err) = diff(&[&path, &good], &[]);
        assert_eq!(code, 2, "{name}: {err}");
        assert_eq!(out, "", "{name}");
        assert!(err.contains(name) && err.contains(message), "{name}: {err}");
    }
}
