//! HTML pages as contract versions: the text a reader sees, shaped like the Markdown the diff
//! reads best, and each element's `data-clause` (chotatsu's annex HTML carries the clause ID
//! on every article heading) as a bookmark on the block that holds it.
//!
//! Only a page is read this way (one that opens with `<!DOCTYPE html>` or `<html>`): Markdown
//! with some inline HTML stays Markdown. The reader never fails: markup it does not know is
//! left out and its text kept, as a browser shows it.

/// Elements whose content is not contract text.
const HIDDEN: [&str; 5] = ["head", "script", "style", "template", "title"];

/// Elements that start and end a block of their own (a paragraph of the text).
const BLOCKS: [&str; 28] = [
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "ul",
];

/// Is `text` an HTML page (after a byte-order mark and white space)?
pub fn looks_like_html(text: &str) -> bool {
    let start = text.trim_start_matches('\u{feff}').trim_start();
    let head: String = start.chars().take(15).collect::<String>().to_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html")
}

/// A version given as text: an HTML page read as its text and `data-clause` bookmarks
/// ([`read`]), anything else as it is, without bookmarks.
pub fn version_of(text: String) -> (String, Vec<(String, usize)>) {
    if looks_like_html(&text) {
        read(&text)
    } else {
        (text, Vec::new())
    }
}

/// The page's text (headings as `#` lines, paragraphs separated by blank lines, table rows as
/// `| a | b |` with a `|---|` line after the first) and its `data-clause` values with the
/// byte offset in that text of the block holding each.
pub fn read(html: &str) -> (String, Vec<(String, usize)>) {
    let mut w = Writer::default();
    let mut rest = html.trim_start_matches('\u{feff}');
    while !rest.is_empty() {
        let Some(open) = rest.find('<') else {
            w.text(rest);
            break;
        };
        w.text(&rest[..open]);
        rest = &rest[open..];
        rest = match tag(rest) {
            Some((Tag::Start { name, clause }, after)) => {
                if HIDDEN.contains(&name.as_str()) {
                    skip_element(after, &name)
                } else {
                    w.start(&name, clause);
                    after
                }
            }
            Some((Tag::End(name), after)) => {
                w.end(&name);
                after
            }
            Some((Tag::Other, after)) => after,
            None => {
                w.text("<");
                &rest[1..]
            }
        };
    }
    w.finish()
}

enum Tag {
    Start {
        name: String,
        clause: Option<String>,
    },
    End(String),
    /// A comment, the doctype, a processing instruction.
    Other,
}

/// The tag at the start of `s` (which starts with `<`) and the text after it; `None` when the
/// `<` starts no tag (it is text).
fn tag(s: &str) -> Option<(Tag, &str)> {
    let inner = &s[1..];
    if let Some(comment) = inner.strip_prefix("!--") {
        let end = comment.find("-->").map_or(comment.len(), |e| e + 3);
        return Some((Tag::Other, &comment[end..]));
    }
    if inner.starts_with(['!', '?']) {
        let end = inner.find('>').map_or(inner.len(), |e| e + 1);
        return Some((Tag::Other, &inner[end..]));
    }
    let (closing, body) = match inner.strip_prefix('/') {
        Some(b) => (true, b),
        None => (false, inner),
    };
    if !body.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let name_len = body
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(body.len());
    let name = body[..name_len].to_ascii_lowercase();
    let (attributes, after) = attributes(&body[name_len..]);
    if closing {
        return Some((Tag::End(name), after));
    }
    let clause = attributes
        .into_iter()
        .find(|(key, _)| key == "data-clause")
        .map(|(_, value)| value.trim().to_string())
        .filter(|v| !v.is_empty());
    Some((Tag::Start { name, clause }, after))
}

/// The attributes of a tag (names lower-cased, values with their entities decoded) up to its
/// `>`, and the text after it.
fn attributes(s: &str) -> (Vec<(String, String)>, &str) {
    let mut out = Vec::new();
    let mut rest = s;
    loop {
        rest = rest.trim_start_matches(is_space).trim_start_matches('/');
        if rest.is_empty() {
            return (out, rest);
        }
        if let Some(after) = rest.strip_prefix('>') {
            return (out, after);
        }
        let name_len = rest
            .find(|c: char| is_space(c) || c == '=' || c == '>' || c == '/')
            .unwrap_or(rest.len())
            .max(1);
        let name = rest[..name_len].to_ascii_lowercase();
        rest = rest[name_len..].trim_start_matches(is_space);
        let mut value = String::new();
        if let Some(v) = rest.strip_prefix('=') {
            let v = v.trim_start_matches(is_space);
            let (raw, after) = match v.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &v[1..];
                    let end = body.find(q).unwrap_or(body.len());
                    (&body[..end], body.get(end + 1..).unwrap_or(""))
                }
                _ => {
                    let end = v.find(|c: char| is_space(c) || c == '>').unwrap_or(v.len());
                    (&v[..end], &v[end..])
                }
            };
            value = decode_entities(raw);
            rest = after;
        }
        out.push((name, value));
    }
}

/// The text after the end tag of a `name` element whose content is hidden (all of it when
/// the element is never closed).
fn skip_element<'a>(s: &'a str, name: &str) -> &'a str {
    for (at, _) in s.match_indices("</") {
        let after = &s[at + 2..];
        if after
            .get(..name.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
            && !after[name.len()..].starts_with(|c: char| c.is_ascii_alphanumeric())
        {
            let after = &after[name.len()..];
            return after.find('>').map_or("", |e| &after[e + 1..]);
        }
    }
    ""
}

/// HTML's white space (not U+3000, which is text in Japanese documents).
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}')
}

/// `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&nbsp;` and numeric references decoded;
/// anything else kept as written.
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        // An entity is short: look for its `;` within a few bytes only.
        let end = rest.bytes().take(12).position(|b| b == b';');
        let decoded = end.and_then(|end| {
            let c = match &rest[1..end] {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                n => n
                    .strip_prefix("#x")
                    .or_else(|| n.strip_prefix("#X"))
                    .map(|hex| u32::from_str_radix(hex, 16))
                    .or_else(|| n.strip_prefix('#').map(str::parse::<u32>))
                    .and_then(Result::ok)
                    .and_then(char::from_u32),
            }?;
            Some((c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A table being read: the cells of its first row, to write the `|---|` line after it.
#[derive(Default)]
struct Table {
    rows: usize,
    cells: usize,
    in_row: bool,
}

/// Builds the text block by block.
#[derive(Default)]
struct Writer {
    out: String,
    bookmarks: Vec<(String, usize)>,
    /// Clause IDs of elements opened since the last text: they name the next block.
    pending: Vec<String>,
    /// A blank line is due before the next text.
    block_break: bool,
    /// A line break is due before the next text (inside a block: `<br>`, a table row).
    line_break: bool,
    /// A space is due before the next text (collapsed white space).
    space: bool,
    /// What starts the next block (`### `, `- `, `1. `).
    prefix: String,
    pre: usize,
    tables: Vec<Table>,
    /// Open list elements: `None` for `ul`, the next number for `ol`; and the items so far.
    lists: Vec<(Option<usize>, usize)>,
}

impl Writer {
    fn in_cell(&self) -> bool {
        self.tables.last().is_some_and(|t| t.in_row)
    }

    fn start(&mut self, name: &str, clause: Option<String>) {
        if let Some(id) = clause {
            self.pending.push(id);
        }
        match name {
            "br" => self.line_break = true,
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" if !self.in_cell() => {
                self.block_break = true;
                let level = usize::from(name.as_bytes()[1] - b'0');
                self.prefix = format!("{} ", "#".repeat(level));
            }
            "table" => {
                self.block_break = true;
                self.tables.push(Table::default());
            }
            "tr" => match self.tables.last_mut() {
                Some(t) if t.in_row => {
                    // A row left open ends where the next begins.
                    self.end_row();
                    self.line_break = true;
                    if let Some(t) = self.tables.last_mut() {
                        t.in_row = true;
                        t.cells = 0;
                    }
                }
                Some(t) => {
                    if t.rows > 0 {
                        self.line_break = true;
                    }
                    t.in_row = true;
                    t.cells = 0;
                }
                // Outside a table, rows and cells are blocks.
                None => self.block(),
            },
            "td" | "th" => match self.tables.last_mut() {
                Some(t) => {
                    t.cells += 1;
                    self.space = t.cells > 1;
                    self.emit("| ");
                }
                None => self.block(),
            },
            "ul" => {
                self.block_break = true;
                self.lists.push((None, 0));
            }
            "ol" => {
                self.block_break = true;
                self.lists.push((Some(1), 0));
            }
            "li" => {
                // Items of one list on consecutive lines, as Markdown writes a list.
                let (number, first) = match self.lists.last_mut() {
                    Some((next, items)) => {
                        *items += 1;
                        let number = *next;
                        if let Some(k) = next {
                            *k += 1;
                        }
                        (number, *items == 1)
                    }
                    None => (None, true),
                };
                if first {
                    self.block_break = true;
                } else {
                    self.line_break = true;
                }
                self.prefix = number.map_or_else(|| "- ".to_string(), |k| format!("{k}. "));
            }
            "pre" => {
                self.block_break = true;
                self.pre += 1;
            }
            _ if BLOCKS.contains(&name) => self.block(),
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        match name {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.prefix.clear();
                self.block();
            }
            "li" => self.prefix.clear(),
            "table" => {
                self.end_row();
                self.tables.pop();
                self.block_break = true;
            }
            "tr" => self.end_row(),
            "ul" | "ol" => {
                self.lists.pop();
                self.block_break = true;
            }
            "pre" => {
                self.pre = self.pre.saturating_sub(1);
                self.block_break = true;
            }
            _ if BLOCKS.contains(&name) => self.block(),
            _ => {}
        }
    }

    /// The end of the open table row, if any: ` |`, and after the first row the `|---|` line.
    fn end_row(&mut self) {
        let first = self.tables.last_mut().filter(|t| t.in_row).map(|t| {
            t.in_row = false;
            t.rows += 1;
            (t.rows == 1).then_some(t.cells)
        });
        if let Some(first) = first {
            self.space = false;
            self.emit(if self.out.ends_with(' ') { "|" } else { " |" });
            if let Some(cells) = first {
                self.out.push('\n');
                self.out.push('|');
                self.out.push_str(&"---|".repeat(cells.max(1)));
            }
        }
    }

    /// A block boundary: a blank line, or a space inside a table cell.
    fn block(&mut self) {
        if self.in_cell() {
            self.space = true;
        } else {
            self.block_break = true;
        }
    }

    /// Text content: entities decoded, white space collapsed (kept inside `<pre>`).
    fn text(&mut self, raw: &str) {
        let text = decode_entities(raw);
        if self.pre > 0 {
            for (i, line) in text.split('\n').enumerate() {
                if i > 0 {
                    self.line_break = true;
                }
                if !line.is_empty() {
                    self.emit(line.strip_suffix('\r').unwrap_or(line));
                }
            }
            return;
        }
        for (i, word) in text.split(is_space).enumerate() {
            if i > 0 {
                self.space = true;
            }
            if !word.is_empty() {
                self.emit(word);
            }
        }
    }

    /// Write `s`, after the break, prefix or space that is due.
    fn emit(&mut self, s: &str) {
        let starts_block = self.block_break || self.out.is_empty();
        if self.block_break && !self.out.is_empty() {
            self.out.push_str("\n\n");
        } else if self.line_break && !self.out.is_empty() && !self.block_break {
            self.out.push('\n');
        } else if self.space && !self.out.ends_with(['\n', ' ']) && !self.out.is_empty() {
            self.out.push(' ');
        }
        let at = self.out.len();
        self.bookmarks
            .extend(self.pending.drain(..).map(|id| (id, at)));
        if starts_block || self.line_break {
            let prefix = std::mem::take(&mut self.prefix);
            self.out.push_str(&prefix);
        }
        self.block_break = false;
        self.line_break = false;
        self.space = false;
        self.out.push_str(s);
    }

    fn finish(mut self) -> (String, Vec<(String, usize)>) {
        let at = self.out.len();
        self.bookmarks
            .extend(self.pending.drain(..).map(|id| (id, at)));
        if !self.out.is_empty() {
            self.out.push('\n');
        }
        (self.out, self.bookmarks)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_reads_as_markdown_with_its_clause_ids() {
        let html = "<!DOCTYPE html>\n<html lang=\"ja\"><head><title>別紙</title><style>h1{x:1}</style></head>\n<body>\n<main>\n<h1>別紙 セキュリティ要件</h1>\n<h2>第1章 総則</h2>\n<h3 id=\"supp-01\" class=\"clause\" data-clause=\"SUPP-01\">第2条（再委託）</h3>\n<p>受注者は、<span class=\"nb\">30日</span>前までに&amp;通知する。</p>\n<p>２　受注者は、\n  再委託先に遵守させる。</p>\n<table><thead><tr><th>条</th><th>条項ID</th></tr></thead><tbody>\n<tr><td>第2条</td><td><span>SUPP-01</span></td></tr>\n</tbody></table>\n<!-- a <p>comment</p> -->\n<p>a &lt; b &#x3042; &#12354; &unknown; x < y</p>\n</main>\n</body>\n</html>\n";
        assert!(looks_like_html(html));
        let (text, bookmarks) = read(html);
        assert_eq!(
            text,
            "# 別紙 セキュリティ要件\n\n## 第1章 総則\n\n### 第2条（再委託）\n\n受注者は、30日前までに&通知する。\n\n２　受注者は、 再委託先に遵守させる。\n\n| 条 | 条項ID |\n|---|---|\n| 第2条 | SUPP-01 |\n\na < b あ あ &unknown; x < y\n"
        );
        let at = text.find("### 第2条").unwrap();
        assert_eq!(bookmarks, vec![("SUPP-01".to_string(), at)]);
    }

    #[test]
    fn broken_markup_is_read_as_a_browser_shows_it_without_panicking() {
        for (html, text) in [
            ("<html><p>a <b", "a\n"),
            ("<html><p>条<ア>文</p>", "条<ア>文\n"),
            (
                "<html><p>x <a =y>z</a> &#xZZ; &#1114112; &amp",
                "x z &#xZZ; &#1114112; &amp\n",
            ),
            ("<html><p>一</p><!-- never closed", "一\n"),
            (
                "<html><script>if (a</b) {}</SCRIPT ><p>本文</p></",
                "本文\n\n</\n",
            ),
            ("<html><p data-clause='A-1' data-clause>語</p><p>", "語\n"),
            ("<html><pre>  1. a\r\n  2. b</pre>", "  1. a\n  2. b\n"),
            (
                "<html><ol><li>a<li>b</ol><ul><li>c</ul>",
                "1. a\n2. b\n\n- c\n",
            ),
            ("<html><td>外</td><tr><td>x", "外\n\nx\n"),
            (
                "<html><table><tr><td>a<p>b</p><td></table>c",
                "| a b | |\n|---|---|\n\nc\n",
            ),
        ] {
            assert_eq!(read(html).0, text, "{html:?}");
        }
        assert_eq!(
            read("<html><p data-clause='A-1' data-clause>語</p>").1,
            vec![("A-1".to_string(), 0)]
        );
    }

    #[test]
    fn only_a_page_is_read_as_html() {
        assert!(looks_like_html("\u{feff}  <!doctype HTML><p>x"));
        assert!(looks_like_html("<html><body>x"));
        assert!(!looks_like_html("# 契約書\n\n<p>x</p>\n"));
        assert!(!looks_like_html("<p>x</p>"));
    }
}
