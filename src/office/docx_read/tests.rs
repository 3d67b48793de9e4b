use std::io::Write;

use super::*;

const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;
const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

/// A .docx from its parts.
fn docx(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, body) in parts {
        zip.start_file(*name, options).expect("entry");
        zip.write_all(body.as_bytes()).expect("write");
    }
    zip.finish().expect("zip").into_inner()
}

fn body(paragraphs: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document {NS}><w:body>{paragraphs}<w:sectPr/></w:body></w:document>"#
    )
}

fn numbering(levels: &[(&str, &str)]) -> String {
    let lvls: String = levels
        .iter()
        .enumerate()
        .map(|(i, (fmt, text))| {
            format!(r#"<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>"#)
        })
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:numbering {NS}><w:abstractNum w:abstractNumId="7">{lvls}</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="7"/></w:num></w:numbering>"#
    )
}

fn p(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

fn numbered(level: u8, text: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
    )
}

fn read_parts(parts: &[(&str, &str)], tracked: Tracked) -> Result<DocxText, DocxError> {
    read(&docx(parts), tracked)
}

#[test]
fn automatic_article_numbering_is_resolved() {
    let doc = body(
        &[
            numbered(0, "目的"),
            numbered(1, "本契約は…"),
            numbered(1, "乙は…"),
            numbered(2, "記録"),
            numbered(0, "再委託"),
            numbered(1, "乙は…"),
        ]
        .concat(),
    );
    let num = numbering(&[
        ("japaneseCounting", "第%1条"),
        ("decimalFullWidth", "（%2）"),
        ("aiueoFullWidth", "%3"),
    ]);
    let out = read_parts(
        &[
            ("[Content_Types].xml", CONTENT_TYPES),
            ("word/document.xml", &doc),
            ("word/numbering.xml", &num),
        ],
        Tracked::Accept,
    )
    .expect("reads");
    assert_eq!(
        out.text,
        "第一条 目的\n\n    （１） 本契約は…\n\n    （２） 乙は…\n\n        ア 記録\n\n第二条 再委託\n\n    （１） 乙は…\n"
    );
}

#[test]
fn headings_tables_breaks_and_footnotes() {
    let styles = format!(
        r#"<w:styles {NS}><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/></w:style><w:style w:type="paragraph" w:styleId="Mine"><w:basedOn w:val="Heading2"/></w:style></w:styles>"#
    );
    let doc = body(
        r#"<w:p><w:pPr><w:pStyle w:val="Mine"/></w:pPr><w:r><w:t>第1条 目的</w:t></w:r></w:p><w:p><w:r><w:t>一行目</w:t><w:br/><w:t>二行目</w:t><w:footnoteReference w:id="5"/></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>条</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>ID</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:t>第1条</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>SPEC-01</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#,
    );
    let notes = format!(
        r#"<w:footnotes {NS}><w:footnote w:type="separator" w:id="-1"><w:p/></w:footnote><w:footnote w:id="5"><w:p><w:r><w:t>注記の本文</w:t></w:r></w:p></w:footnote></w:footnotes>"#
    );
    let out = read_parts(
        &[
            ("[Content_Types].xml", CONTENT_TYPES),
            ("word/document.xml", &doc),
            ("word/styles.xml", &styles),
            ("word/footnotes.xml", &notes),
        ],
        Tracked::Accept,
    )
    .expect("reads");
    assert_eq!(
        out.text,
        "## 第1条 目的\n\n一行目\n二行目[^1]\n\n| 条 | ID |\n|---|---|\n| 第1条 | SPEC-01 |\n\n[^1]: 注記の本文\n"
    );
}

const TRACKED: &str = r#"<w:p><w:r><w:t xml:space="preserve">再委託は</w:t></w:r><w:del w:author="乙"><w:r><w:delText>30</w:delText></w:r></w:del><w:ins w:author="乙"><w:r><w:t>14</w:t></w:r></w:ins><w:r><w:t>日前に通知する。</w:t></w:r></w:p><w:p><w:pPr><w:rPr><w:del w:author="乙"/></w:rPr></w:pPr><w:del w:author="乙"><w:r><w:delText>削除された条項。</w:delText></w:r></w:del></w:p><w:p><w:r><w:t>最後の条項。</w:t></w:r></w:p>"#;

#[test]
fn tracked_changes_accepted_rejected_or_refused() {
    let doc = body(TRACKED);
    let parts = [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("word/document.xml", doc.as_str()),
    ];
    assert_eq!(
        read_parts(&parts, Tracked::Accept).unwrap().text,
        "再委託は14日前に通知する。\n\n最後の条項。\n"
    );
    assert_eq!(
        read_parts(&parts, Tracked::Reject).unwrap().text,
        "再委託は30日前に通知する。\n\n削除された条項。\n\n最後の条項。\n"
    );
    assert_eq!(
        read_parts(&parts, Tracked::Refuse).unwrap_err(),
        DocxError::TrackedChanges("a deletion by 乙".into())
    );
}

#[test]
fn bookmarks_point_at_their_paragraph() {
    let doc = body(&format!(
        r#"{}<w:p><w:bookmarkStart w:id="1" w:name="SPEC_01"/><w:r><w:t>第2条 仕様</w:t></w:r><w:bookmarkEnd w:id="1"/></w:p><w:p><w:bookmarkStart w:id="2" w:name="_GoBack"/></w:p>"#,
        p("前文")
    ));
    let out = read_parts(
        &[
            ("[Content_Types].xml", CONTENT_TYPES),
            ("word/document.xml", &doc),
        ],
        Tracked::Accept,
    )
    .unwrap();
    assert_eq!(
        out.bookmarks,
        vec![("SPEC_01".to_string(), "前文\n\n".len())]
    );
}

#[test]
fn hostile_files_are_refused() {
    let doc = body(&p("本文"));
    fn ok<'a>(doc: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
        let mut parts = vec![
            ("[Content_Types].xml", CONTENT_TYPES),
            ("word/document.xml", doc),
        ];
        parts.extend_from_slice(extra);
        parts
    }
    // A DTD (the billion laughs and external entities need one).
    let dtd = format!(
        r#"<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><w:document {NS}><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>"#
    );
    let err = read_parts(
        &[
            ("[Content_Types].xml", CONTENT_TYPES),
            ("word/document.xml", &dtd),
        ],
        Tracked::Accept,
    )
    .unwrap_err();
    assert!(
        matches!(&err, DocxError::Xml { part, message } if part == "word/document.xml" && message.contains("DTD")),
        "{err}"
    );
    // Missing parts.
    assert_eq!(
        read_parts(&[("[Content_Types].xml", CONTENT_TYPES)], Tracked::Accept).unwrap_err(),
        DocxError::MissingPart("word/document.xml".into())
    );
    assert_eq!(
        read_parts(&[("word/document.xml", &doc)], Tracked::Accept).unwrap_err(),
        DocxError::MissingPart("[Content_Types].xml".into())
    );
    // A .docm.
    let docm = CONTENT_TYPES.replace(
        "wordprocessingml.document.main+xml",
        "ms-word.document.macroEnabled.main+xml",
    );
    assert_eq!(
        read_parts(
            &[("[Content_Types].xml", &docm), ("word/document.xml", &doc)],
            Tracked::Accept
        )
        .unwrap_err(),
        DocxError::MacroEnabled
    );
    assert_eq!(
        read_parts(&ok(&doc, &[("word/vbaProject.bin", "x")]), Tracked::Accept).unwrap_err(),
        DocxError::MacroEnabled
    );
    // An encrypted document is an OLE container.
    let mut ole = OLE_MAGIC.to_vec();
    ole.extend_from_slice(&[0; 504]);
    assert!(looks_like_word(&ole));
    assert_eq!(
        read(&ole, Tracked::Accept).unwrap_err(),
        DocxError::Encrypted
    );
    // Not a zip at all, after the magic.
    assert!(matches!(
        read(b"PK\x03\x04garbage", Tracked::Accept),
        Err(DocxError::Zip(_))
    ));
    assert!(read_parts(&ok(&doc, &[]), Tracked::Accept).is_ok());
}

#[test]
fn a_zip_bomb_stops_at_the_cap() {
    // 65 MiB of spaces inside a paragraph compresses to about 64 KiB.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("[Content_Types].xml", options).unwrap();
    zip.write_all(CONTENT_TYPES.as_bytes()).unwrap();
    zip.start_file("word/document.xml", options).unwrap();
    zip.write_all(format!("<w:document {NS}><w:body><w:p><w:r><w:t>").as_bytes())
        .unwrap();
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..65 {
        zip.write_all(&chunk).unwrap();
    }
    zip.write_all(b"</w:t></w:r></w:p></w:body></w:document>")
        .unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    assert!(bytes.len() < 1 << 20, "{} bytes", bytes.len());
    assert_eq!(
        read(&bytes, Tracked::Accept).unwrap_err(),
        DocxError::TooLarge("word/document.xml".into())
    );
}

#[test]
fn number_formats() {
    use super::numbering::{format_number, kanji};
    assert_eq!(kanji(1), "一");
    assert_eq!(kanji(10), "十");
    assert_eq!(kanji(21), "二十一");
    assert_eq!(kanji(105), "百五");
    assert_eq!(kanji(2024), "二千二十四");
    assert_eq!(format_number(3, "upperLetter"), "C");
    assert_eq!(format_number(28, "lowerLetter"), "bb");
    assert_eq!(format_number(14, "lowerRoman"), "xiv");
    assert_eq!(format_number(2, "decimalEnclosedCircle"), "②");
    assert_eq!(format_number(12, "decimalFullWidth"), "１２");
    assert_eq!(format_number(3, "aiueoFullWidth"), "ウ");
}
