//! The annex as a Word document: opened back (unzip + XML) and converted by LibreOffice.

use std::io::Read;
use std::path::Path;

use crate::common::{chotatsu, repo, with, write};
use crate::office;

/// The parts of a .docx, by name.
fn parts(bytes: &[u8]) -> std::collections::BTreeMap<String, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip file");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut text = String::new();
            f.read_to_string(&mut text).unwrap();
            (f.name().unwrap().to_string(), text)
        })
        .collect()
}

fn xml(text: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(text).expect("well-formed XML part")
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn attr<'a>(n: roxmltree::Node<'a, 'a>, name: &str) -> Option<&'a str> {
    n.attribute((W, name))
}

fn example_docx(dir: &Path, lang: &str) -> Vec<u8> {
    let profile = repo().join("examples/r8-0421.yaml");
    chotatsu(dir)
        .args([
            "annex",
            profile.to_str().unwrap(),
            "--format",
            "docx",
            "--lang",
            lang,
        ])
        .assert()
        .success()
        .stdout(format!("out/R8-0421/annex.{lang}.docx\n"));
    std::fs::read(dir.join(format!("out/R8-0421/annex.{lang}.docx"))).unwrap()
}

/// (style, text) of every paragraph with a heading style.
fn headings(document: &roxmltree::Document) -> Vec<(String, String)> {
    document
        .descendants()
        .filter(|n| n.has_tag_name((W, "p")))
        .filter_map(|p| {
            let style = p
                .descendants()
                .find(|n| n.has_tag_name((W, "pStyle")))
                .and_then(|s| attr(s, "val"))?;
            style.starts_with("Heading").then(|| {
                let text: String = p
                    .descendants()
                    .filter(|n| n.has_tag_name((W, "t")))
                    .filter_map(|n| n.text())
                    .collect();
                (style.to_string(), text)
            })
        })
        .collect()
}

#[test]
fn annex_docx_has_headings_clause_ids_tables_footer_and_language() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = example_docx(dir.path(), "ja");
    let parts = parts(&bytes);
    assert_eq!(
        parts.keys().collect::<Vec<_>>(),
        [
            "[Content_Types].xml",
            "_rels/.rels",
            "docProps/app.xml",
            "docProps/core.xml",
            "word/_rels/document.xml.rels",
            "word/document.xml",
            "word/footer1.xml",
            "word/settings.xml",
            "word/styles.xml"
        ]
    );
    let document = xml(&parts["word/document.xml"]);
    let heads = headings(&document);
    assert_eq!(
        heads[0],
        ("Heading1".to_string(), "別紙 セキュリティ要件".to_string())
    );
    assert_eq!(heads[1], ("Heading2".to_string(), "調達の概要".to_string()));
    let articles: Vec<&str> = heads
        .iter()
        .filter(|(s, _)| s == "Heading3")
        .map(|(_, t)| t.as_str())
        .collect();
    assert_eq!(articles[0], "第1条（定義）");
    assert_eq!(articles[1], "第2条（本別紙の位置付け及び優先順位）");
    // Bookmarks name the clause of each article (the definitions article carries the
    // library's definitions clause); the example, an operation contract for a system holding
    // personal information, excludes LIFE-04.
    let bookmarks: Vec<&str> = document
        .descendants()
        .filter(|n| n.has_tag_name((W, "bookmarkStart")))
        .filter_map(|n| attr(n, "name"))
        .collect();
    let expected: Vec<String> = crate::clause_sets::contract(
        &crate::clause_sets::with_personal_data(crate::clause_sets::OPERATION_TIER3),
    )
    .into_iter()
    .filter(|id| id != "LIFE-04")
    .map(|id| id.replace('-', "_"))
    .collect();
    assert_eq!(bookmarks, expected);
    assert_eq!(bookmarks.len(), articles.len());

    let tables: Vec<_> = document
        .descendants()
        .filter(|n| n.has_tag_name((W, "tbl")))
        .collect();
    assert_eq!(
        tables.len(),
        4,
        "overview, values set by the Buyer, exclusions, traceability"
    );
    for table in &tables {
        let first_row = table
            .children()
            .find(|n| n.has_tag_name((W, "tr")))
            .unwrap();
        assert!(
            first_row
                .descendants()
                .any(|n| n.has_tag_name((W, "tblHeader")))
        );
    }
    let page = document
        .descendants()
        .find(|n| n.has_tag_name((W, "pgSz")))
        .unwrap();
    assert_eq!(
        (attr(page, "w"), attr(page, "h")),
        (Some("11906"), Some("16838"))
    );

    let footer = &parts["word/footer1.xml"];
    assert!(footer.contains("R8-0421 別紙 セキュリティ要件"));
    assert!(footer.contains(" PAGE ") && footer.contains(" NUMPAGES "));

    let styles = xml(&parts["word/styles.xml"]);
    let lang = styles
        .descendants()
        .find(|n| n.has_tag_name((W, "lang")))
        .unwrap();
    assert_eq!(
        (attr(lang, "val"), attr(lang, "eastAsia")),
        (Some("en-US"), Some("ja-JP")),
        "Japanese text is ja-JP, Latin-script text (IDs, amounts, references) en-US"
    );
    let fonts: Vec<(&str, &str)> = styles
        .descendants()
        .filter(|n| n.has_tag_name((W, "rFonts")))
        .filter_map(|n| Some((attr(n, "eastAsia")?, attr(n, "ascii")?)))
        .collect();
    assert_eq!(fonts[0], ("Yu Mincho", "Times New Roman"), "body");
    assert_eq!(fonts[1], ("Yu Gothic", "Arial"), "Heading 1");
    assert!(parts["docProps/core.xml"].contains(
        "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2026-04-01T00:00:00Z</dcterms:created>"
    ));
}

/// The short parts of a Word file are stored, the document and its styles deflated; Word's
/// and LibreOffice's readers take both (the conversion tests open these files).
#[test]
fn short_parts_are_stored_and_the_document_deflated() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = example_docx(dir.path(), "ja");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let methods: Vec<(String, String)> = (0..zip.len())
        .map(|i| {
            let f = zip.by_index(i).unwrap();
            (
                f.name().unwrap().to_string(),
                format!("{:?}", f.compression()),
            )
        })
        .collect();
    let method = |name: &str| {
        methods
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, m)| m.as_str())
            .unwrap()
    };
    assert_eq!(methods.len(), 9, "{methods:?}");
    assert_eq!(method("word/document.xml"), "Deflated");
    assert_eq!(method("word/styles.xml"), "Deflated");
    for name in [
        "[Content_Types].xml",
        "_rels/.rels",
        "docProps/core.xml",
        "docProps/app.xml",
        "word/_rels/document.xml.rels",
        "word/settings.xml",
        "word/footer1.xml",
    ] {
        assert_eq!(method(name), "Stored", "{name}");
    }
}

#[test]
fn english_docx_is_marked_english() {
    let dir = tempfile::tempdir().unwrap();
    let parts = parts(&example_docx(dir.path(), "en"));
    let styles = xml(&parts["word/styles.xml"]);
    let lang = styles
        .descendants()
        .find(|n| n.has_tag_name((W, "lang")))
        .unwrap();
    assert_eq!(attr(lang, "val"), Some("en-GB"));
    assert_eq!(
        headings(&xml(&parts["word/document.xml"]))[0].1,
        "Annex: Security Requirements"
    );
}

#[test]
fn docx_is_byte_identical_across_runs() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    assert_eq!(example_docx(a.path(), "ja"), example_docx(b.path(), "ja"));
}

#[test]
fn hostile_text_keeps_the_docx_valid() {
    let dir = tempfile::tempdir().unwrap();
    // (Control characters never get this far: the profile refuses them, see the catalogue's
    // profile-escape-* cases.)
    let profile = with("title: テスト調達", "title: \"AB <w:t> & ]]> \\uFFFE\"");
    write(dir.path(), "p.yaml", &profile);
    chotatsu(dir.path())
        .args(["annex", "p.yaml", "--format", "docx"])
        .assert()
        .success();
    let parts = parts(&std::fs::read(dir.path().join("out/T-1/annex.ja.docx")).unwrap());
    let document = xml(&parts["word/document.xml"]);
    let text: String = document
        .descendants()
        .filter(|n| n.has_tag_name((W, "t")))
        .filter_map(|n| n.text())
        .collect();
    assert!(text.contains("AB <w:t> & ]]> "), "{text}");
    xml(&parts["docProps/core.xml"]);
}

#[test]
fn libreoffice_converts_the_docx_and_the_pdf_holds_the_japanese_text() {
    if !office::soffice_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    example_docx(dir.path(), "ja");
    let docx = dir.path().join("out/R8-0421/annex.ja.docx");
    let text = office::pdf_texts(&[docx], dir.path()).remove(0);
    assert!(text.contains("別紙 セキュリティ要件"), "{text}");
    // The PDF text puts a space where the font changes for the digits: 第 8 条.
    assert!(
        text.contains("条（再委託の承認及び一括再委託の禁止）"),
        "{text}"
    );
    // The footer is on every page; the annex runs to several pages.
    assert!(
        text.matches("R8-0421 別紙 セキュリティ要件").count() >= 5,
        "footer: {text}"
    );
}
