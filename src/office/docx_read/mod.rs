//! Reading a Word document (.docx) as the text a reader sees, for `chotatsu diff`.
//!
//! The file is recognised by its content (a zip holding `word/document.xml`), never trusted:
//! every part is unpacked through a limit (a zip bomb stops at [`MAX_UNPACKED`]), XML with a
//! DTD is refused (no entity tricks), a macro-enabled document (.docm) and an encrypted one (an
//! OLE container) are refused, and a missing part is named.
//!
//! What comes out is plain text in the shape of the Markdown the diff reads best: one
//! paragraph per block separated by blank lines, headings as `#` lines by outline level,
//! **automatic numbering resolved** (`numbering.xml`: 第%1条, （%2）, ア, 1.) to the text Word
//! shows, list levels indented, tables as rows (`| a | b |`), footnotes as `[^1]` with their
//! text at the end, and tracked changes accepted, rejected or refused. Word bookmarks are kept
//! with the offset of the paragraph that holds them (chotatsu's annexes name each article's
//! bookmark by its clause ID).

mod numbering;

use std::collections::HashMap;
use std::io::{Cursor, Read};

use roxmltree::{Document, Node, ParsingOptions};

use numbering::{Counters, Numbering};

/// Everything unpacked from one document may not exceed this many bytes.
pub const MAX_UNPACKED: u64 = 64 * 1024 * 1024;

/// XML nodes allowed in one part: far above any real document, far below a memory problem.
const MAX_XML_NODES: u32 = 4_000_000;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// What to do with tracked changes (revisions) in an input document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tracked {
    /// Read the document as if every change were accepted.
    #[default]
    Accept,
    /// Read it as if every change were rejected (the text before the changes).
    Reject,
    /// Refuse a document that has tracked changes.
    Refuse,
}

/// Why a Word document cannot be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DocxError {
    #[error(
        "an encrypted or password-protected Word document, or an old .doc file (an OLE container, not a .docx); save it from Word as an unprotected .docx"
    )]
    Encrypted,
    #[error("not a readable .docx (a broken zip: {0})")]
    Zip(String),
    #[error("a macro-enabled Word document (.docm); save it as a .docx without macros")]
    MacroEnabled,
    #[error("not a Word document: the part {0} is missing")]
    MissingPart(String),
    #[error(
        "the document unpacks to more than {MAX_UNPACKED} bytes (at the part {0}); refused as a possible zip bomb"
    )]
    TooLarge(String),
    #[error("the part {part} is not valid XML: {message}")]
    Xml { part: String, message: String },
    #[error(
        "the document has tracked changes ({0}); accept or reject them first, or use --tracked accept|reject"
    )]
    TrackedChanges(String),
}

/// A Word document read as text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DocxText {
    pub text: String,
    /// Bookmarks by name, with the byte offset in `text` of the paragraph holding each.
    pub bookmarks: Vec<(String, usize)>,
}

/// The first bytes of a zip (every .docx) and of an OLE compound file (an encrypted .docx or
/// an old .doc).
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Whether `bytes` should be read as a Word document: a zip or an OLE container. (A zip that
/// is not a .docx is then refused by name, rather than compared as binary text.)
pub fn looks_like_word(bytes: &[u8]) -> bool {
    bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(OLE_MAGIC)
}

/// Read a .docx from its bytes.
pub fn read(bytes: &[u8], tracked: Tracked) -> Result<DocxText, DocxError> {
    if bytes.starts_with(OLE_MAGIC) {
        return Err(DocxError::Encrypted);
    }
    let mut zip = Unpacker::new(bytes)?;
    let content_types = zip
        .part("[Content_Types].xml")?
        .ok_or_else(|| DocxError::MissingPart("[Content_Types].xml".into()))?;
    if content_types.contains("macroEnabled") || zip.has("word/vbaProject.bin") {
        return Err(DocxError::MacroEnabled);
    }
    let document = zip
        .part("word/document.xml")?
        .ok_or_else(|| DocxError::MissingPart("word/document.xml".into()))?;
    let styles = zip.part("word/styles.xml")?;
    let numbering = zip.part("word/numbering.xml")?;
    let footnotes = zip.part("word/footnotes.xml")?;

    let styles = match &styles {
        Some(xml) => Styles::read(&parse("word/styles.xml", xml)?),
        None => Styles::default(),
    };
    let numbering = match &numbering {
        Some(xml) => Numbering::read(&parse("word/numbering.xml", xml)?),
        None => Numbering::default(),
    };
    let footnote_doc = match &footnotes {
        Some(xml) => Some(parse("word/footnotes.xml", xml)?),
        None => None,
    };
    let doc = parse("word/document.xml", &document)?;
    let body = doc
        .root_element()
        .children()
        .find(|n| is_w(n, "body"))
        .ok_or_else(|| DocxError::MissingPart("word/document.xml (w:body)".into()))?;

    let mut reader = Reader {
        tracked,
        styles: &styles,
        numbering: &numbering,
        counters: Counters::default(),
        out: DocxText::default(),
        footnote_refs: Vec::new(),
        joined: false,
        pending_bookmarks: Vec::new(),
    };
    reader.blocks(body)?;
    if let Some(notes) = &footnote_doc {
        reader.footnotes(notes)?;
    }
    let mut out = reader.out;
    while out.text.ends_with('\n') {
        out.text.pop();
    }
    if !out.text.is_empty() {
        out.text.push('\n');
    }
    Ok(out)
}

/// The zip, unpacked part by part through one shared limit.
struct Unpacker<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    left: u64,
}

impl<'a> Unpacker<'a> {
    fn new(bytes: &'a [u8]) -> Result<Self, DocxError> {
        let zip =
            zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| DocxError::Zip(e.to_string()))?;
        Ok(Unpacker {
            zip,
            left: MAX_UNPACKED,
        })
    }

    fn has(&self, name: &str) -> bool {
        self.zip.index_for_name(name).is_some()
    }

    /// A part as UTF-8 text, `None` when the zip has no such part.
    fn part(&mut self, name: &str) -> Result<Option<String>, DocxError> {
        let Some(index) = self.zip.index_for_name(name) else {
            return Ok(None);
        };
        let entry = self.zip.by_index(index).map_err(|e| match e {
            zip::result::ZipError::UnsupportedArchive(msg) if msg.contains("assword") => {
                DocxError::Encrypted
            }
            other => DocxError::Zip(other.to_string()),
        })?;
        if entry.encrypted() {
            return Err(DocxError::Encrypted);
        }
        let mut bytes = Vec::new();
        // Read through the limit, whatever the zip header claims.
        entry
            .take(self.left + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| DocxError::Zip(format!("{name}: {e}")))?;
        if bytes.len() as u64 > self.left {
            return Err(DocxError::TooLarge(name.to_string()));
        }
        self.left -= bytes.len() as u64;
        let text = String::from_utf8(bytes).map_err(|_| DocxError::Xml {
            part: name.to_string(),
            message: "not UTF-8".into(),
        })?;
        Ok(Some(text))
    }
}

fn parse<'x>(part: &str, xml: &'x str) -> Result<Document<'x>, DocxError> {
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_XML_NODES,
        ..ParsingOptions::default()
    };
    Document::parse_with_options(xml, options).map_err(|e| DocxError::Xml {
        part: part.to_string(),
        message: e.to_string(),
    })
}

fn is_w(node: &Node<'_, '_>, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name && node.tag_name().namespace() == Some(W)
}

fn w_child<'a, 'input>(node: Node<'a, 'input>, name: &str) -> Option<Node<'a, 'input>> {
    node.children().find(|n| is_w(n, name))
}

fn w_attr<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attribute((W, name))
}

/// Paragraph styles: the outline level (headings) and the numbering each one carries.
#[derive(Debug, Default)]
struct Styles {
    by_id: HashMap<String, Style>,
}

#[derive(Debug, Default, Clone)]
struct Style {
    based_on: Option<String>,
    outline: Option<u8>,
    num: Option<(String, u8)>,
}

impl Styles {
    fn read(doc: &Document<'_>) -> Self {
        let mut by_id = HashMap::new();
        for style in doc.root_element().children().filter(|n| is_w(n, "style")) {
            let Some(id) = w_attr(style, "styleId") else {
                continue;
            };
            let name = w_child(style, "name")
                .and_then(|n| w_attr(n, "val"))
                .unwrap_or("")
                .to_ascii_lowercase();
            let ppr = w_child(style, "pPr");
            let outline = ppr
                .and_then(|p| w_child(p, "outlineLvl"))
                .and_then(|o| w_attr(o, "val"))
                .and_then(|v| v.parse::<u8>().ok())
                .or_else(|| {
                    name.strip_prefix("heading ")
                        .and_then(|n| n.trim().parse::<u8>().ok())
                        .map(|n| n.saturating_sub(1))
                })
                .filter(|&l| l < 9);
            let num = ppr.and_then(|p| w_child(p, "numPr")).and_then(num_pr);
            by_id.insert(
                id.to_string(),
                Style {
                    based_on: w_child(style, "basedOn")
                        .and_then(|b| w_attr(b, "val"))
                        .map(str::to_string),
                    outline,
                    num,
                },
            );
        }
        Styles { by_id }
    }

    /// A property of a style or the nearest style it is based on.
    fn lookup<T>(&self, id: &str, get: impl Fn(&Style) -> Option<T>) -> Option<T> {
        let mut current = Some(id);
        for _ in 0..16 {
            let style = self.by_id.get(current?)?;
            if let Some(v) = get(style) {
                return Some(v);
            }
            current = style.based_on.as_deref();
        }
        None
    }
}

/// `<w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr>` → ("3", 0).
fn num_pr(node: Node<'_, '_>) -> Option<(String, u8)> {
    let id = w_child(node, "numId").and_then(|n| w_attr(n, "val"))?;
    let level = w_child(node, "ilvl")
        .and_then(|n| w_attr(n, "val"))
        .and_then(|v| v.parse::<u8>().ok())
        .unwrap_or(0)
        .min(8);
    Some((id.to_string(), level))
}

struct Reader<'s> {
    tracked: Tracked,
    styles: &'s Styles,
    numbering: &'s Numbering,
    counters: Counters,
    out: DocxText,
    /// Footnote IDs in the order the text refers to them (their number is the position).
    footnote_refs: Vec<String>,
    /// The last paragraph's mark was removed by a tracked change: the next one continues it.
    joined: bool,
    /// Bookmarks started between paragraphs: they name the next one.
    pending_bookmarks: Vec<String>,
}

impl Reader<'_> {
    /// Block-level content: paragraphs, tables, content controls.
    fn blocks(&mut self, parent: Node<'_, '_>) -> Result<(), DocxError> {
        for node in parent.children().filter(Node::is_element) {
            if is_w(&node, "p") {
                self.paragraph(node)?;
            } else if is_w(&node, "tbl") {
                self.table(node)?;
            } else if is_w(&node, "sdt") {
                if let Some(content) = w_child(node, "sdtContent") {
                    self.blocks(content)?;
                }
            } else if self.revision(&node)? {
                // A tracked change around whole paragraphs or tables.
                self.blocks(node)?;
            } else if is_w(&node, "customXml") || is_w(&node, "smartTag") {
                self.blocks(node)?;
            } else if is_w(&node, "bookmarkStart")
                && let Some(name) = w_attr(node, "name")
                && !name.starts_with('_')
            {
                self.pending_bookmarks.push(name.to_string());
            }
        }
        Ok(())
    }

    /// For `w:ins`, `w:del`, `w:moveFrom`, `w:moveTo`: whether their content is read (true),
    /// skipped (false), or refused. Any other node: false.
    fn revision(&self, node: &Node<'_, '_>) -> Result<bool, DocxError> {
        let kind = if is_w(node, "ins") || is_w(node, "moveTo") {
            true
        } else if is_w(node, "del") || is_w(node, "moveFrom") {
            false
        } else {
            return Ok(false);
        };
        match self.tracked {
            Tracked::Refuse => Err(DocxError::TrackedChanges(revision_label(node))),
            Tracked::Accept => Ok(kind),
            Tracked::Reject => Ok(!kind),
        }
    }

    fn is_revision(node: &Node<'_, '_>) -> bool {
        is_w(node, "ins") || is_w(node, "del") || is_w(node, "moveTo") || is_w(node, "moveFrom")
    }

    fn paragraph(&mut self, p: Node<'_, '_>) -> Result<(), DocxError> {
        let ppr = w_child(p, "pPr");
        let style = ppr
            .and_then(|n| w_child(n, "pStyle"))
            .and_then(|n| w_attr(n, "val"));
        // The paragraph mark itself may be a tracked insertion or deletion.
        let mark = ppr
            .and_then(|n| w_child(n, "rPr"))
            .and_then(|r| r.children().find(Self::is_revision));
        let mark_kept = match mark {
            Some(m) => self.revision(&m)?,
            None => true,
        };
        let mut text = String::new();
        let mut bookmarks = std::mem::take(&mut self.pending_bookmarks);
        self.inline(p, &mut text, &mut bookmarks)?;
        let outline = ppr
            .and_then(|n| w_child(n, "outlineLvl"))
            .and_then(|o| w_attr(o, "val"))
            .and_then(|v| v.parse::<u8>().ok())
            .or_else(|| style.and_then(|s| self.styles.lookup(s, |st| st.outline)))
            .filter(|&l| l < 6);
        let num = ppr
            .and_then(|n| w_child(n, "numPr"))
            .and_then(num_pr)
            .or_else(|| style.and_then(|s| self.styles.lookup(s, |st| st.num.clone())))
            .filter(|(id, _)| id != "0");

        // A paragraph whose every character and mark were deleted is not there at all.
        let vanished = !mark_kept && text.is_empty();
        let mut prefix = String::new();
        if !self.joined && !vanished {
            if let Some(level) = outline {
                prefix.push_str(&"#".repeat(usize::from(level) + 1));
                prefix.push(' ');
            }
            if let Some((id, level)) = &num
                && let Some(label) = self.counters.next(self.numbering, id, *level)
            {
                if outline.is_none() {
                    prefix.push_str(&"    ".repeat(usize::from(*level)));
                }
                prefix.push_str(&label);
            }
        }
        if vanished {
            return Ok(());
        }
        if !self.joined && !self.out.text.is_empty() {
            self.out.text.push_str("\n\n");
        }
        let at = self.out.text.len();
        self.out
            .bookmarks
            .extend(bookmarks.into_iter().map(|name| (name, at)));
        self.out.text.push_str(&prefix);
        self.out.text.push_str(&text);
        self.joined = !mark_kept;
        Ok(())
    }

    /// The text of a paragraph's runs, in order.
    fn inline(
        &mut self,
        node: Node<'_, '_>,
        text: &mut String,
        bookmarks: &mut Vec<String>,
    ) -> Result<(), DocxError> {
        for child in node.children() {
            if !child.is_element() {
                continue;
            }
            let name = child.tag_name().name();
            if child.tag_name().namespace() != Some(W) {
                // Drawings, text boxes and alternate content hold no contract text we show.
                continue;
            }
            match name {
                "t" => text.push_str(child.text().unwrap_or("")),
                "delText" => {
                    // Only reached inside a deletion being read (rejected changes).
                    text.push_str(child.text().unwrap_or(""));
                }
                "tab" | "ptab" => text.push('\t'),
                "br" | "cr" => text.push('\n'),
                "noBreakHyphen" => text.push('\u{2011}'),
                "softHyphen" => {}
                "footnoteReference" => {
                    if let Some(id) = w_attr(child, "id") {
                        self.footnote_refs.push(id.to_string());
                        text.push_str(&format!("[^{}]", self.footnote_refs.len()));
                    }
                }
                "bookmarkStart" => {
                    if let Some(name) = w_attr(child, "name")
                        && !name.starts_with('_')
                    {
                        bookmarks.push(name.to_string());
                    }
                }
                "pPr" | "rPr" | "instrText" | "delInstrText" | "drawing" | "pict" | "object"
                | "fldChar" | "commentReference" | "endnoteReference" => {}
                "ins" | "del" | "moveTo" | "moveFrom" => {
                    if self.revision(&child)? {
                        self.inline(child, text, bookmarks)?;
                    }
                }
                // Runs, hyperlinks, simple fields, smart tags, content controls and the like:
                // their text is what shows.
                _ => self.inline(child, text, bookmarks)?,
            }
        }
        Ok(())
    }

    /// A table as rows: `| a | b |`, a `|---|---|` line after the first (as in Markdown).
    fn table(&mut self, tbl: Node<'_, '_>) -> Result<(), DocxError> {
        let mut rows: Vec<String> = Vec::new();
        let mut bookmarks = Vec::new();
        for tr in tbl.children().filter(|n| is_w(n, "tr")) {
            if let Some(mark) =
                w_child(tr, "trPr").and_then(|r| r.children().find(Self::is_revision))
                && !self.revision(&mark)?
            {
                continue;
            }
            let mut cells: Vec<String> = Vec::new();
            for tc in tr.children().filter(|n| is_w(n, "tc") || is_w(n, "sdt")) {
                let mut cell = String::new();
                for p in tc.descendants().filter(|n| is_w(n, "p")) {
                    let mut text = String::new();
                    self.inline(p, &mut text, &mut bookmarks)?;
                    let text = text.replace(['\n', '|'], " ");
                    if !text.trim().is_empty() {
                        if !cell.is_empty() {
                            cell.push(' ');
                        }
                        cell.push_str(text.trim());
                    }
                }
                cells.push(cell);
            }
            if cells.is_empty() {
                continue;
            }
            rows.push(format!("| {} |", cells.join(" | ")));
            if rows.len() == 1 {
                rows.push(format!("|{}|", vec!["---"; cells.len()].join("|")));
            }
        }
        if rows.is_empty() {
            return Ok(());
        }
        if !self.out.text.is_empty() {
            self.out.text.push_str("\n\n");
        }
        let at = self.out.text.len();
        self.out
            .bookmarks
            .extend(bookmarks.into_iter().map(|name| (name, at)));
        self.out.text.push_str(&rows.join("\n"));
        self.joined = false;
        Ok(())
    }

    /// The footnotes referred to, in order, as `[^n]: text` paragraphs at the end.
    fn footnotes(&mut self, doc: &Document<'_>) -> Result<(), DocxError> {
        let refs = std::mem::take(&mut self.footnote_refs);
        let notes: HashMap<&str, Node<'_, '_>> = doc
            .root_element()
            .children()
            .filter(|n| is_w(n, "footnote"))
            .filter_map(|n| w_attr(n, "id").map(|id| (id, n)))
            .collect();
        for (i, id) in refs.iter().enumerate() {
            let Some(note) = notes.get(id.as_str()) else {
                continue;
            };
            let mut text = String::new();
            let mut bookmarks = Vec::new();
            for p in note.children().filter(|n| is_w(n, "p")) {
                let mut para = String::new();
                self.inline(p, &mut para, &mut bookmarks)?;
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(para.trim());
            }
            if !self.out.text.is_empty() {
                self.out.text.push_str("\n\n");
            }
            self.out
                .text
                .push_str(&format!("[^{}]: {}", i + 1, text.trim()));
        }
        Ok(())
    }
}

fn revision_label(node: &Node<'_, '_>) -> String {
    let what = match node.tag_name().name() {
        "ins" => "an insertion",
        "del" => "a deletion",
        "moveTo" | "moveFrom" => "a move",
        _ => "a change",
    };
    match w_attr(*node, "author") {
        Some(author) => format!("{what} by {author}"),
        None => what.to_string(),
    }
}

#[cfg(test)]
mod tests;
