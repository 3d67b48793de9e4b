//! The Word reader of `chotatsu diff` on hostile documents: the input is cut at NUL bytes into
//! the XML parts of a .docx (document, numbering, styles, footnotes), zipped here so that the
//! reader's XML handling is reached at all; an input starting with a zip or OLE signature is
//! also read as it is. The reader must return text or an error, never panic, hang or balloon.
#![no_main]

use std::io::Write;

use chotatsu::office::docx_read::{Tracked, read};
use libfuzzer_sys::fuzz_target;

const CONTENT_TYPES: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#;
const PARTS: [&str; 4] = [
    "word/document.xml",
    "word/numbering.xml",
    "word/styles.xml",
    "word/footnotes.xml",
];

fuzz_target!(|data: &[u8]| {
    if data.starts_with(b"PK") || data.starts_with(&[0xD0, 0xCF]) {
        for tracked in [Tracked::Accept, Tracked::Reject, Tracked::Refuse] {
            let _ = read(data, tracked);
        }
        return;
    }
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored);
    zip.start_file("[Content_Types].xml", options).unwrap();
    zip.write_all(CONTENT_TYPES).unwrap();
    for (name, part) in PARTS.iter().zip(data.split(|&b| b == 0)) {
        zip.start_file(*name, options).unwrap();
        zip.write_all(part).unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    for tracked in [Tracked::Accept, Tracked::Reject] {
        if let Ok(doc) = read(&bytes, tracked) {
            // Every bookmark points inside the text.
            for (_, at) in &doc.bookmarks {
                assert!(*at <= doc.text.len());
            }
            let _ = chotatsu::diff::compare(&doc.text, "");
        }
    }
});
