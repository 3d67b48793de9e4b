//! The WordprocessingML parts: document body, styles, footer, settings and properties.

use std::fmt::Write;

use super::{Block, Change, Inline, Meta, ParagraphStyle};
use crate::lang::Lang;
use crate::layout;

/// Text for an XML element or attribute: escaped, and without the control characters XML
/// 1.0 forbids (a hostile input must not make Word refuse the file).
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    esc_into(&mut out, s);
    out
}

/// [`esc`] appended to `out`.
fn esc_into(out: &mut String, s: &str) {
    crate::office::xml::escape_into(out, s, crate::office::xml::Breaks::Space);
}

const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

/// Page size and margins in twentieths of a point: A4, 20 mm top and bottom, 18 mm sides.
const A4: (u32, u32) = (11906, 16838);
const SIDE_MARGIN: u32 = 1021;

pub fn document(meta: &Meta, blocks: &[Block]) -> String {
    let mut ids = Ids::default();
    // The blocks' text and about three times as much mark-up, written into a string that
    // seldom grows.
    let text: usize = blocks.iter().map(Block::text_len).sum();
    let mut body = String::with_capacity(4 * text + 4096);
    body.push_str(XML_DECLARATION);
    let _ = write!(body, "<w:document {NS}><w:body>");
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
            Block::Paragraph { .. } | Block::Table { .. } if unmarked(block) => {
                body.push_str(&remembered(block, meta));
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
                body.push_str(SPACER);
            }
        }
    }
    // Word needs a paragraph after a closing table; at the end of the document it is
    // made a hairline, so that it cannot spill onto a page of its own.
    if matches!(blocks.last(), Some(Block::Table { .. })) {
        body.truncate(body.len() - SPACER.len());
        body.push_str(HAIRLINE);
    }
    let (w, h) = if meta.landscape { (A4.1, A4.0) } else { A4 };
    let orient = if meta.landscape {
        r#" w:orient="landscape""#
    } else {
        ""
    };
    let _ = write!(
        body,
        r#"<w:sectPr><w:footerReference w:type="default" r:id="rIdFooter"/><w:pgSz w:w="{w}" w:h="{h}"{orient}/><w:pgMar w:top="1134" w:right="{SIDE_MARGIN}" w:bottom="1134" w:left="{SIDE_MARGIN}" w:header="567" w:footer="567" w:gutter="0"/><w:pgNumType w:start="1"/><w:docGrid w:linePitch="360"/></w:sectPr></w:body></w:document>"#
    );
    body
}

const XML_DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// A block without tracked changes: it numbers nothing, so its XML depends on it alone (and
/// the page's width).
fn unmarked(block: &Block) -> bool {
    let plain = |inlines: &[Inline]| inlines.iter().all(|i| i.change.is_none());
    match block {
        Block::Heading { .. } => false,
        Block::Paragraph { inlines, mark, .. } => mark.is_none() && plain(inlines),
        Block::Table { rows, .. } => rows.iter().flatten().all(|cell| plain(cell)),
    }
}

/// Blocks whose XML is remembered per thread in each generation (see [`crate::memo`]).
const BLOCKS_KEPT: usize = 2048;

/// Each [`unmarked`] block's XML, for portrait and for landscape pages.
type Blocks = crate::memo::Memo<Block, std::rc::Rc<str>>;

thread_local! {
    static BLOCKS: [std::cell::RefCell<Blocks>; 2] = const {
        [
            std::cell::RefCell::new(crate::memo::Memo::new(BLOCKS_KEPT)),
            std::cell::RefCell::new(crate::memo::Memo::new(BLOCKS_KEPT)),
        ]
    };
}

/// The XML of an [`unmarked`] paragraph or table (a table with the paragraph after it),
/// worked out once per thread: a batch writes the same clauses and tables into every
/// package.
fn remembered(block: &Block, meta: &Meta) -> std::rc::Rc<str> {
    let page = usize::from(meta.landscape);
    if let Some(xml) = BLOCKS.with(|b| b[page].borrow_mut().find(block)) {
        return xml;
    }
    let mut xml = String::new();
    let mut ids = Ids::default();
    match block {
        Block::Paragraph {
            inlines,
            style,
            mark,
        } => paragraph(&mut xml, inlines, style, *mark, &mut ids),
        Block::Table { rows, widths } => {
            table(&mut xml, rows, widths, text_width(meta), &mut ids);
            xml.push_str(SPACER);
        }
        Block::Heading { .. } => {}
    }
    let xml: std::rc::Rc<str> = xml.into();
    BLOCKS.with(|b| b[page].borrow_mut().keep(block, || xml.clone()));
    xml
}

/// The paragraph after a table: half a line of space before what follows.
const SPACER: &str = r#"<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="180" w:lineRule="exact"/></w:pPr></w:p>"#;
/// The last paragraph of a document that ends with a table: 1 pt high.
const HAIRLINE: &str = r#"<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/><w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr></w:pPr></w:p>"#;

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
        ParagraphStyle::Right => props.push_str(r#"<w:jc w:val="right"/>"#),
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
        out.push_str("<w:p><w:pPr>");
        out.push_str(&props);
        out.push_str("</w:pPr>");
    }
    out.push_str(&marker_run);
    runs(out, inlines, ids);
    out.push_str("</w:p>");
}

fn runs(out: &mut String, inlines: &[Inline], ids: &mut Ids) {
    sized_runs(out, inlines, None, ids);
}

/// Runs at a given size (half-points) or the style's.
fn sized_runs(out: &mut String, inlines: &[Inline], size: Option<u32>, ids: &mut Ids) {
    for inline in inlines {
        let tag = match inline.change {
            Some(Change::Delete) => TextTag::DELETED,
            _ => TextTag::TEXT,
        };
        match inline.change {
            None => {}
            Some(Change::Insert) => {
                let _ = write!(out, r#"<w:ins w:id="{}" w:author="chotatsu">"#, ids.next());
            }
            Some(Change::Delete) => {
                let _ = write!(out, r#"<w:del w:id="{}" w:author="chotatsu">"#, ids.next());
            }
        }
        out.push_str("<w:r>");
        // Run properties in the order the schema requires: style, bold, italic, underline.
        let props = inline.code || inline.bold || inline.italic || inline.underline;
        if props || size.is_some() {
            out.push_str("<w:rPr>");
            if inline.code {
                out.push_str(r#"<w:rStyle w:val="CodeChar"/>"#);
            }
            if inline.bold {
                out.push_str("<w:b/>");
            }
            if inline.italic {
                out.push_str("<w:i/>");
            }
            if let Some(size) = size {
                let _ = write!(out, r#"<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>"#);
            }
            if inline.underline {
                out.push_str(r#"<w:u w:val="single"/>"#);
            }
            out.push_str("</w:rPr>");
        }
        if inline.line_break {
            out.push_str("<w:br/>");
        }
        out.push_str(tag.open);
        fixed_hyphens(out, &inline.text, tag);
        out.push_str(tag.close);
        out.push_str("</w:r>");
        match inline.change {
            None => {}
            Some(Change::Insert) => out.push_str("</w:ins>"),
            Some(Change::Delete) => out.push_str("</w:del>"),
        }
    }
}

/// The element a run's text is written in: `w:t`, or `w:delText` for deleted text.
#[derive(Clone, Copy)]
struct TextTag {
    open: &'static str,
    close: &'static str,
}

impl TextTag {
    const TEXT: TextTag = TextTag {
        open: r#"<w:t xml:space="preserve">"#,
        close: "</w:t>",
    };
    const DELETED: TextTag = TextTag {
        open: r#"<w:delText xml:space="preserve">"#,
        close: "</w:delText>",
    };
}

/// `text` escaped for a `w:t` (or `w:delText`, `tag`) element, the hyphens no line may break
/// after ([`layout::fixed_hyphens`]: SHA-256, BUILD-01) written as Word's non-breaking
/// hyphen, which Word and LibreOffice show as a hyphen and never break after.
fn fixed_hyphens(out: &mut String, text: &str, tag: TextTag) {
    let mut from = 0;
    for at in layout::fixed_hyphens(text) {
        esc_into(out, &text[from..at]);
        out.push_str(tag.close);
        out.push_str("<w:noBreakHyphen/>");
        out.push_str(tag.open);
        from = at + 1;
    }
    esc_into(out, &text[from..]);
}

/// The width between the side margins, in twentieths of a point.
fn text_width(meta: &Meta) -> u32 {
    let page = if meta.landscape { A4.1 } else { A4.0 };
    page - 2 * SIDE_MARGIN
}

/// Table text size in half-points (9 pt), and what one em of it is in twentieths of a point.
const TABLE_SIZE: u32 = 18;
const TABLE_EM: f64 = 180.0;
/// The same for a table whose unbreakable runs do not fit side by side at 9 pt (8 pt).
const DENSE_SIZE: u32 = 16;
const DENSE_EM: f64 = 160.0;
/// Left plus right cell margin (the `TableGrid` style's 85 each), in twentieths of a point.
const CELL_MARGINS: u32 = 170;
/// Lines are broken a little short of the column's width: the width estimates are for the
/// widest of the fonts the document names, and a line Word breaks again would look torn.
const WRAP_SLACK: f64 = 0.97;
/// A cell more than this many lines long is running text, broken by Word.
const RUNNING_TEXT_LINES: f64 = 3.0;

/// Column widths in twentieths of a point: `weights` shared out over `total` when given,
/// else computed from the cells' text ([`layout::column_widths`]) so that no ID, amount or
/// fiscal-year label has to break; equal columns when the weights are too few or zero.
fn column_widths(rows: &[Vec<String>], weights: &[u32], total: u32, em: f64) -> Vec<u32> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0).max(1);
    let count = u32::try_from(columns).unwrap_or(u32::MAX);
    if weights.is_empty() {
        let available = f64::from(total.saturating_sub(count * CELL_MARGINS)) / em;
        let ems = layout::column_widths(rows, available);
        if ems.len() == columns {
            let mut widths: Vec<u32> = ems
                .iter()
                .map(|w| (w * em).ceil() as u32 + CELL_MARGINS)
                .collect();
            // Rounding leaves a few twips over or short: the widest column takes them.
            let used: u32 = widths.iter().sum();
            let widest = (0..columns).max_by_key(|&c| widths[c]).unwrap_or(0);
            widths[widest] = (widths[widest] + total).saturating_sub(used);
            return widths;
        }
    }
    let weights: Vec<u64> = (0..columns)
        .map(|c| u64::from(weights.get(c).copied().unwrap_or(0)))
        .collect();
    let sum: u64 = weights.iter().sum();
    if sum == 0 || weights.contains(&0) {
        return vec![total / count.max(1); columns];
    }
    weights
        .iter()
        .map(|w| u32::try_from(u64::from(total) * w / sum).unwrap_or(total))
        .collect()
}

/// The plain text of a cell.
fn cell_text(cell: &[Inline]) -> String {
    cell.iter()
        .map(|i| {
            if i.line_break {
                format!("\n{}", i.text)
            } else {
                i.text.clone()
            }
        })
        .collect()
}

/// A cell's inlines with line breaks where [`layout::wrap`] puts them for a column `width`
/// twips wide, so that Word never breaks a short cell or a header inside a word, ID, amount
/// or date, and 禁則 holds.
fn wrapped(cell: &[Inline], width: u32, em: f64) -> Vec<Inline> {
    let text = cell_text(cell);
    let limit = f64::from(width.saturating_sub(CELL_MARGINS)) / em * WRAP_SLACK;
    let wide = layout::width(&text);
    // Running text (several lines' worth) is left to Word's line breaking, which keeps
    // `EVID-01` whole in Latin text marked en-US; short cells and headers are broken here.
    if wide <= limit || wide > RUNNING_TEXT_LINES * limit || text.contains('\n') {
        return cell.to_vec();
    }
    // Where each wrapped line starts in `text`.
    let mut starts = Vec::new();
    let mut from = 0;
    for (n, line) in layout::wrap(&text, limit).iter().enumerate() {
        if let Some(at) = text[from..].find(line.as_str()) {
            if n > 0 {
                starts.push(from + at);
            }
            from += at + line.len();
        }
    }
    let mut out = Vec::new();
    let mut offset = 0;
    for inline in cell {
        let end = offset + inline.text.len();
        // A piece starts a line when it starts a wrapped line or a line of the original.
        let at_start = offset > 0 && starts.contains(&offset);
        let breaks = |from: usize| {
            if from == 0 {
                inline.line_break || at_start
            } else {
                true
            }
        };
        let mut piece_from = 0;
        for &at in starts.iter().filter(|&&at| at > offset && at < end) {
            let cut = at - offset;
            out.push(Inline {
                text: inline.text[piece_from..cut].trim_end().to_string(),
                line_break: breaks(piece_from),
                ..inline.clone()
            });
            piece_from = cut;
        }
        out.push(Inline {
            text: inline.text[piece_from..].to_string(),
            line_break: breaks(piece_from),
            ..inline.clone()
        });
        offset = end;
    }
    out
}

fn table(out: &mut String, rows: &[Vec<Vec<Inline>>], weights: &[u32], total: u32, ids: &mut Ids) {
    let texts: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|c| cell_text(c)).collect())
        .collect();
    // 9 pt, or 8 pt when the columns' unbreakable runs would not fit side by side at 9.
    let min = layout::column_bounds(&texts).min;
    let margins = CELL_MARGINS * u32::try_from(min.len()).unwrap_or(u32::MAX);
    let fits = min.iter().sum::<f64>() * TABLE_EM <= f64::from(total.saturating_sub(margins));
    let (size, em) = if fits || !weights.is_empty() {
        (TABLE_SIZE, TABLE_EM)
    } else {
        (DENSE_SIZE, DENSE_EM)
    };
    let widths = column_widths(&texts, weights, total, em);
    // Amount and count columns are right-aligned, header included.
    let numeric: Vec<bool> = (0..widths.len())
        .map(|c| {
            let body: Vec<&str> = texts
                .iter()
                .skip(1)
                .map(|r| r.get(c).map_or("", String::as_str))
                .collect();
            layout::is_number_column(&body)
        })
        .collect();
    let table_width: u32 = widths.iter().sum();
    let _ = write!(
        out,
        r#"<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{table_width}" w:type="dxa"/><w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>"#
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
            let jc = if numeric[c] {
                r#"<w:pPr><w:jc w:val="right"/></w:pPr>"#
            } else {
                ""
            };
            let _ = write!(
                out,
                r#"<w:tc><w:tcPr><w:tcW w:w="{column_width}" w:type="dxa"/>{shade}</w:tcPr><w:p>{jc}"#
            );
            if let Some(cell) = row.get(c) {
                // Content-sized tables are broken by chotatsu; a table with given widths
                // (running text, as a 新旧対照表) is left to Word.
                let cell = if weights.is_empty() {
                    wrapped(cell, *column_width, em)
                } else {
                    cell.clone()
                };
                let cell: Vec<Inline> = cell
                    .into_iter()
                    .map(|x| Inline {
                        bold: x.bold || i == 0,
                        ..x
                    })
                    .collect();
                sized_runs(out, &cell, Some(size), ids);
            }
            out.push_str("</w:p></w:tc>");
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
}

/// Fonts: Mincho for body text, Gothic for headings, with Latin fallbacks.
const BODY_EA: &str = "Yu Mincho";
const BODY_LATIN: &str = "Times New Roman";
const HEAD_EA: &str = "Yu Gothic";
const HEAD_LATIN: &str = "Arial";

pub fn styles(lang: Lang) -> String {
    let val = match lang {
        // Latin-script text in a Japanese document is English (as Word writes it): marked
        // Japanese, LibreOffice would break IDs and amounts anywhere.
        Lang::Ja => "en-US",
        Lang::En => "en-GB",
    };
    let mut s = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles {NS}><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="{BODY_LATIN}" w:hAnsi="{BODY_LATIN}" w:eastAsia="{BODY_EA}" w:cs="{BODY_LATIN}"/><w:sz w:val="21"/><w:szCs w:val="21"/><w:lang w:val="{val}" w:eastAsia="ja-JP" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="80" w:line="240" w:lineRule="auto"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>"#
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

    fn table_xml(out: &mut String, rows: &[Vec<Vec<Inline>>], widths: &[u32], total: u32) {
        table(out, rows, widths, total, &mut Ids::default());
    }

    #[test]
    fn a_block_from_memory_is_the_block_written_afresh_for_its_page() {
        let cell = |t: &str| vec![Inline::plain(t)];
        let table = Block::Table {
            rows: vec![
                vec![cell("年度"), cell("区分"), cell("金額")],
                vec![cell("令和8年度"), cell("保守"), cell("1,000,000")],
            ],
            widths: Vec::new(),
        };
        let meta = |landscape| Meta {
            title: "t".into(),
            lang: Lang::Ja,
            footer: "f".into(),
            date: chrono::NaiveDate::default(),
            landscape,
        };
        let fresh = |landscape| {
            let Block::Table { rows, widths } = &table else {
                unreachable!()
            };
            let mut xml = String::new();
            table_xml(&mut xml, rows, widths, text_width(&meta(landscape)));
            xml
        };
        for landscape in [false, true, false] {
            assert_eq!(
                *remembered(&table, &meta(landscape)),
                fresh(landscape) + SPACER
            );
        }
        assert_ne!(
            fresh(false),
            fresh(true),
            "the page's width sets the columns"
        );
        // A tracked change numbers its marks: never taken from memory.
        let changed = Block::Paragraph {
            inlines: vec![Inline {
                change: Some(Change::Insert),
                ..Inline::plain("追加")
            }],
            style: ParagraphStyle::Normal,
            mark: None,
        };
        assert!(!unmarked(&changed));
        assert!(unmarked(&table));
    }

    #[test]
    fn text_is_escaped_and_characters_xml_cannot_hold_are_left_out() {
        assert_eq!(
            esc("第5条 a&b<c>\"d'\te\nf\u{1}\u{fffe}\u{ffff}g"),
            "第5条 a&amp;b&lt;c&gt;&quot;d&apos; e fg"
        );
        assert_eq!(esc("令和8年度"), "令和8年度");
        assert_eq!(esc(""), "");
    }

    #[test]
    fn column_widths_share_the_width_by_weight_or_from_the_content() {
        let row = |cells: &[&str]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        let three = vec![row(&["a", "b", "c"])];
        assert_eq!(
            column_widths(&three, &[10, 10, 3], 2300, TABLE_EM),
            [1000, 1000, 300]
        );
        // Too few weights, or a zero weight: equal columns rather than a vanished one.
        assert_eq!(
            column_widths(&three, &[1, 2], 900, TABLE_EM),
            [300, 300, 300]
        );
        assert_eq!(
            column_widths(&three, &[0, 5, 1], 900, TABLE_EM),
            [300, 300, 300]
        );
        // No weights: each column at least as wide as its longest unbreakable run.
        let rows = vec![
            row(&["年度", "内容", "合計"]),
            row(&["令和10年度", &"長い説明文".repeat(20), "37,400,000"]),
        ];
        let widths = column_widths(&rows, &[], 9864, TABLE_EM);
        assert_eq!(widths.iter().sum::<u32>(), 9864);
        for (w, text) in widths.iter().zip(["令和10年度", "長い", "37,400,000"]) {
            let needed = layout::width(text) * TABLE_EM + f64::from(CELL_MARGINS);
            assert!(f64::from(*w) >= needed, "{widths:?} for {text}");
        }
    }

    #[test]
    fn short_cells_break_between_words_only() {
        let cell = [Inline::plain("サポート終了時の移行")];
        // A column five ems wide (and its margins).
        let lines: Vec<(String, bool)> = wrapped(&cell, 5 * 180 + CELL_MARGINS, TABLE_EM)
            .into_iter()
            .map(|i| (i.text, i.line_break))
            .collect();
        assert_eq!(
            lines,
            [
                ("サポート".to_string(), false),
                ("終了時の".to_string(), true),
                ("移行".to_string(), true)
            ]
        );
        // Text that fits is left alone.
        assert_eq!(wrapped(&cell, 9864, TABLE_EM), cell);
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
