//! The WordprocessingML parts: document body, styles, footer, settings and properties.

use std::fmt::Write;

use super::{Block, Change, Inline, Meta, ParagraphStyle};
use crate::lang::Lang;

/// Text for an XML element or attribute: escaped, and without the control characters XML
/// 1.0 forbids (a hostile input must not make Word refuse the file).
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || matches!(c, '\u{fffe}' | '\u{ffff}') => {}
            c => out.push(c),
        }
    }
    out
}

const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

/// Page size and margins in twentieths of a point: A4, 20 mm top and bottom, 18 mm sides.
const A4: (u32, u32) = (11906, 16838);
const SIDE_MARGIN: u32 = 1021;

pub fn document(meta: &Meta, blocks: &[Block]) -> String {
    let mut ids = Ids::default();
    let mut body = String::new();
    for block in blocks {
        match block {
            Block::Heading {
                level,
                inlines,
                bookmark,
            } => {
                let level = (*level).clamp(1, 4);
                let _ = write!(
                    body,
                    r#"<w:p><w:pPr><w:pStyle w:val="Heading{level}"/></w:pPr>"#
                );
                if let Some(name) = bookmark {
                    let id = ids.next();
                    let _ = write!(
                        body,
                        r#"<w:bookmarkStart w:id="{id}" w:name="{}"/>"#,
                        esc(&bookmark_name(name))
                    );
                    runs(&mut body, inlines, &mut ids);
                    let _ = write!(body, r#"<w:bookmarkEnd w:id="{id}"/>"#);
                } else {
                    runs(&mut body, inlines, &mut ids);
                }
                body.push_str("</w:p>");
            }
            Block::Paragraph {
                inlines,
                style,
                mark,
            } => {
                paragraph(&mut body, inlines, style, *mark, &mut ids);
            }
            Block::Table { rows, widths } => {
                table(&mut body, rows, widths, text_width(meta), &mut ids);
            }
        }
    }
    let (w, h) = if meta.landscape { (A4.1, A4.0) } else { A4 };
    let orient = if meta.landscape {
        r#" w:orient="landscape""#
    } else {
        ""
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document {NS}><w:body>{body}<w:sectPr><w:footerReference w:type="default" r:id="rIdFooter"/><w:pgSz w:w="{w}" w:h="{h}"{orient}/><w:pgMar w:top="1134" w:right="{SIDE_MARGIN}" w:bottom="1134" w:left="{SIDE_MARGIN}" w:header="567" w:footer="567" w:gutter="0"/><w:pgNumType w:start="1"/><w:docGrid w:type="lines" w:linePitch="360"/></w:sectPr></w:body></w:document>"#
    )
}

/// Word bookmark names: letters, digits and `_`, starting with a letter, at most 40 chars.
fn bookmark_name(id: &str) -> String {
    let mut name: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name.insert(0, 'C');
    }
    name.truncate(40);
    name
}

#[derive(Default)]
struct Ids(u32);

impl Ids {
    fn next(&mut self) -> u32 {
        self.0 += 1;
        self.0
    }
}

fn paragraph(
    out: &mut String,
    inlines: &[Inline],
    style: &ParagraphStyle,
    mark: Option<Change>,
    ids: &mut Ids,
) {
    // Paragraph properties in the schema's order: style, indentation, the mark's run
    // properties (where a tracked change of the paragraph mark lives).
    let mut props = String::new();
    let mut marker_run = String::new();
    match style {
        ParagraphStyle::Normal => {}
        ParagraphStyle::Quote => props.push_str(r#"<w:pStyle w:val="Quote"/>"#),
        ParagraphStyle::ListItem { depth, marker } => {
            // A hanging indent per depth: the marker sits in the hang, text aligns after it.
            let left = 420 + u32::from(*depth) * 420;
            let _ = write!(
                props,
                r#"<w:pStyle w:val="ListParagraph"/><w:ind w:left="{left}" w:hanging="420"/>"#
            );
            let _ = write!(
                marker_run,
                r#"<w:r><w:t xml:space="preserve">{}</w:t><w:tab/></w:r>"#,
                esc(marker)
            );
        }
    }
    match mark {
        None => {}
        Some(Change::Insert) => {
            let _ = write!(
                props,
                r#"<w:rPr><w:ins w:id="{}" w:author="chotatsu"/></w:rPr>"#,
                ids.next()
            );
        }
        Some(Change::Delete) => {
            let _ = write!(
                props,
                r#"<w:rPr><w:del w:id="{}" w:author="chotatsu"/></w:rPr>"#,
                ids.next()
            );
        }
    }
    if props.is_empty() {
        out.push_str("<w:p>");
    } else {
        let _ = write!(out, "<w:p><w:pPr>{props}</w:pPr>");
    }
    out.push_str(&marker_run);
    runs(out, inlines, ids);
    out.push_str("</w:p>");
}

fn runs(out: &mut String, inlines: &[Inline], ids: &mut Ids) {
    for inline in inlines {
        // Run properties in the order the schema requires: style, bold, italic, underline.
        let mut props = String::new();
        if inline.code {
            props.push_str(r#"<w:rStyle w:val="CodeChar"/>"#);
        }
        if inline.bold {
            props.push_str("<w:b/>");
        }
        if inline.italic {
            props.push_str("<w:i/>");
        }
        if inline.underline {
            props.push_str(r#"<w:u w:val="single"/>"#);
        }
        let props = if props.is_empty() {
            props
        } else {
            format!("<w:rPr>{props}</w:rPr>")
        };
        let br = if inline.line_break { "<w:br/>" } else { "" };
        let text = esc(&inline.text);
        match inline.change {
            None => {
                let _ = write!(
                    out,
                    r#"<w:r>{props}{br}<w:t xml:space="preserve">{text}</w:t></w:r>"#
                );
            }
            Some(Change::Insert) => {
                let id = ids.next();
                let _ = write!(
                    out,
                    r#"<w:ins w:id="{id}" w:author="chotatsu"><w:r>{props}{br}<w:t xml:space="preserve">{text}</w:t></w:r></w:ins>"#
                );
            }
            Some(Change::Delete) => {
                let id = ids.next();
                let _ = write!(
                    out,
                    r#"<w:del w:id="{id}" w:author="chotatsu"><w:r>{props}{br}<w:delText xml:space="preserve">{text}</w:delText></w:r></w:del>"#
                );
            }
        }
    }
}

/// The width between the side margins, in twentieths of a point.
fn text_width(meta: &Meta) -> u32 {
    let page = if meta.landscape { A4.1 } else { A4.0 };
    page - 2 * SIDE_MARGIN
}

/// Column widths in twentieths of a point: `weights` shared out over `total`, equal columns
/// when there are no (or too few, or only zero) weights.
fn column_widths(columns: usize, weights: &[u32], total: u32) -> Vec<u32> {
    let weights: Vec<u64> = (0..columns)
        .map(|c| u64::from(weights.get(c).copied().unwrap_or(0)))
        .collect();
    let sum: u64 = weights.iter().sum();
    if weights.len() != columns || sum == 0 || weights.contains(&0) {
        let each = total / u32::try_from(columns).unwrap_or(u32::MAX).max(1);
        return vec![each; columns];
    }
    weights
        .iter()
        .map(|w| u32::try_from(u64::from(total) * w / sum).unwrap_or(total))
        .collect()
}

fn table(out: &mut String, rows: &[Vec<Vec<Inline>>], weights: &[u32], total: u32, ids: &mut Ids) {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0).max(1);
    let widths = column_widths(columns, weights, total);
    let fixed = if weights.is_empty() {
        ""
    } else {
        r#"<w:tblLayout w:type="fixed"/>"#
    };
    let _ = write!(
        out,
        r#"<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="5000" w:type="pct"/>{fixed}<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>"#
    );
    for w in &widths {
        let _ = write!(out, r#"<w:gridCol w:w="{w}"/>"#);
    }
    out.push_str("</w:tblGrid>");
    for (i, row) in rows.iter().enumerate() {
        out.push_str("<w:tr>");
        if i == 0 {
            out.push_str("<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
        } else {
            out.push_str("<w:trPr><w:cantSplit/></w:trPr>");
        }
        for (c, column_width) in widths.iter().enumerate() {
            let shade = if i == 0 {
                r#"<w:shd w:val="clear" w:color="auto" w:fill="E7E6E6"/>"#
            } else {
                ""
            };
            let width = if weights.is_empty() {
                String::new()
            } else {
                format!(r#"<w:tcW w:w="{column_width}" w:type="dxa"/>"#)
            };
            let _ = write!(out, r#"<w:tc><w:tcPr>{width}{shade}</w:tcPr><w:p>"#);
            if let Some(cell) = row.get(c) {
                if i == 0 {
                    let bold: Vec<Inline> = cell
                        .iter()
                        .map(|x| Inline {
                            bold: true,
                            ..x.clone()
                        })
                        .collect();
                    runs(out, &bold, ids);
                } else {
                    runs(out, cell, ids);
                }
            }
            out.push_str("</w:p></w:tc>");
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl><w:p/>");
}

/// Fonts: Mincho for body text, Gothic for headings, with Latin fallbacks.
const BODY_EA: &str = "Yu Mincho";
const BODY_LATIN: &str = "Times New Roman";
const HEAD_EA: &str = "Yu Gothic";
const HEAD_LATIN: &str = "Arial";

pub fn styles(lang: Lang) -> String {
    let val = match lang {
        Lang::Ja => "ja-JP",
        Lang::En => "en-GB",
    };
    let mut s = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles {NS}><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="{BODY_LATIN}" w:hAnsi="{BODY_LATIN}" w:eastAsia="{BODY_EA}" w:cs="{BODY_LATIN}"/><w:sz w:val="21"/><w:szCs w:val="21"/><w:lang w:val="{val}" w:eastAsia="ja-JP" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="300" w:lineRule="auto"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>"#
    );
    s.push_str(r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>"#);
    for (level, size) in [(1, 32), (2, 26), (3, 23), (4, 21)] {
        let _ = write!(
            s,
            r#"<w:style w:type="paragraph" w:styleId="Heading{level}"><w:name w:val="heading {level}"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="240" w:after="120"/><w:jc w:val="left"/><w:outlineLvl w:val="{}"/></w:pPr><w:rPr><w:rFonts w:ascii="{HEAD_LATIN}" w:hAnsi="{HEAD_LATIN}" w:eastAsia="{HEAD_EA}" w:cs="{HEAD_LATIN}"/><w:b/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr></w:style>"#,
            level - 1
        );
    }
    s.push_str(r#"<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="34"/><w:qFormat/><w:pPr><w:spacing w:after="60"/></w:pPr></w:style>"#);
    s.push_str(r#"<w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:left="567" w:right="567"/></w:pPr></w:style>"#);
    let _ = write!(
        s,
        r#"<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:rFonts w:ascii="{HEAD_LATIN}" w:hAnsi="{HEAD_LATIN}" w:eastAsia="{HEAD_EA}"/><w:sz w:val="18"/></w:rPr></w:style>"#
    );
    s.push_str(r#"<w:style w:type="character" w:styleId="CodeChar"><w:name w:val="Code Char"/><w:rPr><w:rFonts w:ascii="Consolas" w:hAnsi="Consolas"/><w:sz w:val="19"/></w:rPr></w:style>"#);
    s.push_str(r#"<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="666666"/><w:left w:val="single" w:sz="4" w:space="0" w:color="666666"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="666666"/><w:right w:val="single" w:sz="4" w:space="0" w:color="666666"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="666666"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="666666"/></w:tblBorders><w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr><w:pPr><w:spacing w:after="0"/><w:jc w:val="left"/></w:pPr></w:style>"#);
    s.push_str("</w:styles>");
    s
}

pub fn footer(meta: &Meta) -> String {
    let sep = match meta.lang {
        Lang::Ja => "　",
        Lang::En => " — ",
    };
    let page = r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>"#;
    let pages = r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> NUMPAGES </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>"#;
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr {NS}><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr><w:r><w:t xml:space="preserve">{}{sep}</w:t></w:r>{page}<w:r><w:t xml:space="preserve"> / </w:t></w:r>{pages}</w:p></w:ftr>"#,
        esc(&meta.footer)
    )
}

pub fn settings(lang: Lang) -> String {
    let theme = match lang {
        Lang::Ja => "ja-JP",
        Lang::En => "en-GB",
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings {NS}><w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/><w:compat><w:doNotExpandShiftReturn/><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat><w:themeFontLang w:val="{theme}" w:eastAsia="ja-JP"/></w:settings>"#
    )
}

pub fn core_properties(meta: &Meta) -> String {
    let date = meta.date.format("%Y-%m-%dT00:00:00Z");
    let lang = match meta.lang {
        Lang::Ja => "ja-JP",
        Lang::En => "en-GB",
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{}</dc:title><dc:creator>chotatsu</dc:creator><cp:lastModifiedBy>chotatsu</cp:lastModifiedBy><dc:language>{lang}</dc:language><dcterms:created xsi:type="dcterms:W3CDTF">{date}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{date}</dcterms:modified></cp:coreProperties>"#,
        esc(&meta.title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_widths_share_the_width_by_weight_or_equally() {
        assert_eq!(column_widths(3, &[10, 10, 3], 2300), [1000, 1000, 300]);
        assert_eq!(column_widths(2, &[], 1000), [500, 500]);
        // Too few weights, or a zero weight: equal columns rather than a vanished one.
        assert_eq!(column_widths(3, &[1, 2], 900), [300, 300, 300]);
        assert_eq!(column_widths(2, &[0, 5], 1000), [500, 500]);
    }

    #[test]
    fn a_tracked_paragraph_mark_sits_in_the_paragraph_properties() {
        let mut out = String::new();
        let mut ids = Ids::default();
        let inlines = [Inline {
            change: Some(Change::Insert),
            ..Inline::plain("新設")
        }];
        paragraph(
            &mut out,
            &inlines,
            &ParagraphStyle::Normal,
            Some(Change::Insert),
            &mut ids,
        );
        assert_eq!(
            out,
            r#"<w:p><w:pPr><w:rPr><w:ins w:id="1" w:author="chotatsu"/></w:rPr></w:pPr><w:ins w:id="2" w:author="chotatsu"><w:r><w:t xml:space="preserve">新設</w:t></w:r></w:ins></w:p>"#
        );
    }
}
