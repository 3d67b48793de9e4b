//! Tables in the HTML documents laid out for print (and, in running text, clause IDs, amounts
//! and dates kept whole): column widths from the content (a
//! `<colgroup>` with the widths [`layout::column_widths`] computes, so the browser never
//! squeezes a column to one character; a table too wide for the body size is set smaller,
//! inside `<div class="dense">`), and the runs that must not break (clause IDs,
//! amounts, fiscal-year labels, short cells, header words) wrapped in `<span class="nb">`.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use crate::layout;

/// The width tables are laid out for, in ems of the table font (9.5 pt on the 174 mm
/// between the A4 margins of `document.css`).
const AVAILABLE: f64 = 51.0;
/// The same for a table whose minimum widths do not fit at 9.5 pt: set at 8 pt inside
/// `<div class="dense">`.
const DENSE_AVAILABLE: f64 = 61.0;
/// A cell up to this wide (ems) keeps each of its words whole; in longer text only Latin
/// runs, numbers and katakana words are kept whole, and the browser breaks the rest.
const WORDY_CELL: f64 = 12.0;
/// Padding and border of a cell, in ems (left and right together).
const CELL_PADDING: f64 = 0.75;

/// The page a table is printed on: its room is [`AVAILABLE`] (or [`DENSE_AVAILABLE`])
/// times this.
#[derive(Clone, Copy)]
pub enum Page {
    /// A4 upright, as every document is.
    Portrait,
    /// A4 across (the portfolio index, `index.css`): 261 mm between the margins.
    Landscape,
}

impl Page {
    fn room(self) -> f64 {
        match self {
            Page::Portrait => 1.0,
            Page::Landscape => 261.0 / 174.0,
        }
    }
}

/// Rewrite every table in `events`: a `<colgroup>` after its start, unbreakable runs of its
/// cells' text marked. Events are passed on as they come; only one table at a time is held
/// (its column widths need all its cells), so a long document is never held whole. (The
/// portfolio index, one table of hundreds of rows, is written by [`table_html`].)
pub fn lay_out<'a>(events: impl Iterator<Item = Event<'a>>) -> impl Iterator<Item = Event<'a>> {
    let mut rest = events;
    // Code blocks stay as written; a heading starts with its ID, where it cannot break.
    let mut verbatim = false;
    let mut table_out = Vec::new().into_iter();
    std::iter::from_fn(move || {
        if let Some(e) = table_out.next() {
            return Some(e);
        }
        let event = rest.next()?;
        match &event {
            Event::Start(Tag::CodeBlock(_)) | Event::Start(Tag::Heading { .. }) => verbatim = true,
            Event::End(TagEnd::CodeBlock) | Event::End(TagEnd::Heading(_)) => verbatim = false,
            _ => {}
        }
        if !matches!(event, Event::Start(Tag::Table(_))) {
            // Running text: IDs, amounts and dates do not break either.
            return Some(match event {
                Event::Text(t) if !verbatim => match remembered(Kind::Running, &t) {
                    Some(html) => Event::InlineHtml(CowStr::from(html)),
                    None => Event::Text(t),
                },
                other => other,
            });
        }
        let mut table = vec![event];
        for e in rest.by_ref() {
            let end = matches!(e, Event::End(TagEnd::Table));
            table.push(e);
            if end {
                break;
            }
        }
        table_out = table_events(table).into_iter();
        table_out.next()
    })
}

fn table_events(table: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let Layout { dense, colgroup } = Layout::of(&cell_texts(&table), Page::Portrait);
    let mut out = Vec::with_capacity(table.len() + 1);
    let mut in_head = false;
    let mut iter = table.into_iter();
    if let Some(start) = iter.next() {
        if dense {
            out.push(Event::Html(CowStr::from("<div class=\"dense\">\n")));
        }
        out.push(start);
        out.push(Event::Html(CowStr::from(colgroup)));
    }
    for e in iter {
        match e {
            Event::Start(Tag::TableHead) => {
                in_head = true;
                out.push(e);
            }
            Event::End(TagEnd::TableHead) => {
                in_head = false;
                out.push(e);
            }
            Event::Text(t) => {
                let kind = if in_head { Kind::Header } else { Kind::Cell };
                let html = remembered(kind, &t).unwrap_or_default();
                out.push(Event::InlineHtml(CowStr::from(html)));
            }
            Event::End(TagEnd::Table) if dense => {
                out.push(e);
                out.push(Event::Html(CowStr::from("</div>\n")));
            }
            other => out.push(other),
        }
    }
    out
}

/// How a table is set: smaller (`dense`) when its columns' minimum widths do not fit the
/// body, and the `<colgroup>` that gives each column its share.
struct Layout {
    dense: bool,
    colgroup: String,
}

impl Layout {
    /// The layout of a table whose cells (header row first) hold `rows`' plain texts, on
    /// `page`.
    fn of(rows: &[Vec<String>], page: Page) -> Layout {
        let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
        let padding = CELL_PADDING * columns as f64;
        let min = layout::column_bounds(rows).min;
        let dense = min.iter().sum::<f64>() + padding > AVAILABLE * page.room();
        let available = if dense { DENSE_AVAILABLE } else { AVAILABLE } * page.room() - padding;
        let widths = layout::column_widths(rows, available.max(columns as f64));
        // A column's share of the table is its text's width and its own padding: a narrow
        // column must not lose part of its padding to the wide ones.
        let total: f64 = widths.iter().map(|w| w + CELL_PADDING).sum();
        let mut colgroup = String::from("<colgroup>");
        for w in &widths {
            colgroup.push_str(&format!(
                "<col style=\"width:{:.1}%\" />",
                100.0 * (w + CELL_PADDING) / total.max(1.0)
            ));
        }
        colgroup.push_str("</colgroup>\n");
        Layout { dense, colgroup }
    }
}

/// Where a digest in a table may break: after every this many characters (a SHA-256's 64
/// hex digits in four lines of 16, when its column is narrow).
const DIGEST_RUN: usize = 16;

/// The HTML of a table built in code, its header row first, laid out as [`lay_out`] lays
/// out a Markdown table with the same cells (the same bytes, for cells whose Markdown has no
/// escapes): for the portfolio index, whose hundreds of rows the Markdown path held three
/// times over as events, parsed, laid out and rendered (13 MB for 800 packages). A cell's
/// text is read as Markdown would leave it: a line break is a space, and the ends are
/// trimmed.
///
/// The body cells of the columns in `digests` hold a hex digest, which would not fit a
/// printed page kept on one line: it may break after every [`DIGEST_RUN`] characters
/// (`<wbr>`, which adds nothing to the text a reader copies), and its column is measured so.
/// The table is laid out for `page`.
pub fn table_html(rows: &[Vec<String>], digests: &[usize], page: Page) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|cell| cell.replace(['\n', '\r'], " ").trim().to_string())
                .collect()
        })
        .collect();
    let is_digest = |r: usize, c: usize| r > 0 && digests.contains(&c);
    // Measured as the runs it may break into.
    let measured: Vec<Vec<String>> = rows
        .iter()
        .enumerate()
        .map(|(r, row)| {
            row.iter()
                .enumerate()
                .map(|(c, cell)| {
                    if is_digest(r, c) {
                        digest_runs(cell).collect::<Vec<_>>().join(" ")
                    } else {
                        cell.clone()
                    }
                })
                .collect()
        })
        .collect();
    let Layout { dense, colgroup } = Layout::of(&measured, page);
    let mut out = String::with_capacity(rows.iter().flatten().map(|c| c.len() * 2 + 40).sum());
    if dense {
        out.push_str("<div class=\"dense\">\n");
    }
    out.push_str("<table>");
    out.push_str(&colgroup);
    for (r, row) in rows.iter().enumerate() {
        let (kind, tag) = if r == 0 {
            out.push_str("<thead><tr>");
            (Kind::Header, "th")
        } else {
            out.push_str("<tr>");
            (Kind::Cell, "td")
        };
        for (c, cell) in row.iter().enumerate() {
            out.push_str(&format!("<{tag}>"));
            if is_digest(r, c) {
                let runs: Vec<String> = digest_runs(cell).map(escape).collect();
                out.push_str(&runs.join("<wbr>"));
            } else if !cell.is_empty() {
                out.push_str(&remembered(kind, cell).unwrap_or_default());
            }
            out.push_str(&format!("</{tag}>"));
        }
        out.push_str(if r == 0 {
            "</tr></thead><tbody>\n"
        } else {
            "</tr>\n"
        });
    }
    out.push_str("</tbody></table>\n");
    if dense {
        out.push_str("</div>\n");
    }
    out
}

/// `digest` in runs of [`DIGEST_RUN`] characters.
fn digest_runs(digest: &str) -> impl Iterator<Item = &str> {
    let mut rest = digest;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let at = rest
            .char_indices()
            .nth(DIGEST_RUN)
            .map_or(rest.len(), |(at, _)| at);
        let (run, after) = rest.split_at(at);
        rest = after;
        Some(run)
    })
}

/// The plain text of every cell, row by row.
fn cell_texts(table: &[Event<'_>]) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut cell: Option<String> = None;
    for e in table {
        match e {
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => rows.push(Vec::new()),
            Event::Start(Tag::TableCell) => cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => {
                if let (Some(row), Some(text)) = (rows.last_mut(), cell.take()) {
                    row.push(text);
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(c) = cell.as_mut() {
                    c.push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(c) = cell.as_mut() {
                    c.push('\n');
                }
            }
            _ => {}
        }
    }
    rows
}

/// Where a text stands: what [`remembered`] makes of it.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Kind {
    /// Running text: [`protected`].
    Running,
    /// A table cell: [`marked`].
    Cell,
    /// A header cell: [`marked`] as a header.
    Header,
}

/// Texts remembered per thread in each generation (see [`crate::memo`]).
const TEXTS_KEPT: usize = 2048;

/// Each text's HTML, `None` for running text that needs no mark-up.
type Texts = crate::memo::Memo<(Kind, Box<str>), Option<String>>;

thread_local! {
    static TEXTS: std::cell::RefCell<Texts> = const {
        std::cell::RefCell::new(crate::memo::Memo::new(TEXTS_KEPT))
    };
}

/// [`protected`] (running text) or [`marked`] (a cell), each text worked out once per
/// thread: the same texts come back in both documents, and in every package of a batch, and
/// cutting them into units is most of what laying out the HTML costs.
fn remembered(kind: Kind, text: &str) -> Option<String> {
    if kind == Kind::Running && !needs_protection(text) {
        return None;
    }
    crate::memo::remembered(&TEXTS, (kind, text.into()), || match kind {
        Kind::Running => protected(text),
        Kind::Cell => Some(marked(text, false)),
        Kind::Header => Some(marked(text, true)),
    })
}

/// A cell's text as HTML: escaped, its unbreakable runs in `<span class="nb">`. A short text
/// is one run; in a header every word is one.
fn marked(text: &str, header: bool) -> String {
    let width = layout::width(text);
    if width <= layout::SHORT_CELL && !text.trim().is_empty() {
        return format!("<span class=\"nb\">{}</span>", escape(text));
    }
    let mut out = String::with_capacity(text.len() + 32);
    let wordy = header || width <= WORDY_CELL;
    for unit in layout::units(text) {
        let keep = unit.trim().chars().count() > 1
            && (wordy
                || unit.chars().any(|c| {
                    c.is_ascii_alphanumeric()
                        || ('０'..='９').contains(&c)
                        || ('\u{30A1}'..='\u{30FA}').contains(&c)
                }));
        if keep {
            out.push_str("<span class=\"nb\">");
            out.push_str(&escape(unit));
            out.push_str("</span>");
        } else {
            out.push_str(&escape(unit));
        }
    }
    out
}

/// Running text with its clause IDs, amounts, dates and fiscal years in
/// `<span class="nb">` (a browser breaks `NOTIFY-01` after the hyphen); `None` when it has
/// none.
fn protected(text: &str) -> Option<String> {
    let keep = |unit: &str| {
        let digit = unit.chars().any(|c| c.is_ascii_digit());
        digit && (unit.contains(['-', ',']) || unit.starts_with(['令', '平']))
    };
    if !needs_protection(text) {
        return None;
    }
    let units = layout::units(text);
    if !units.iter().any(|u| keep(u)) {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 64);
    for unit in units {
        if keep(unit) {
            out.push_str("<span class=\"nb\">");
            out.push_str(&escape(unit));
            out.push_str("</span>");
        } else {
            out.push_str(&escape(unit));
        }
    }
    Some(out)
}

/// Only a unit with a digit and a hyphen or comma, or an era, is kept (see [`protected`]):
/// text without both needs no cutting into units.
fn needs_protection(text: &str) -> bool {
    text.bytes().any(|b| b.is_ascii_digit()) && text.contains(['-', ',', '令', '平'])
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // Runs of characters that need nothing are copied whole.
    let mut from = 0;
    for (at, b) in s.bytes().enumerate() {
        let instead = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => continue,
        };
        out.push_str(&s[from..at]);
        out.push_str(instead);
        from = at + 1;
    }
    out.push_str(&s[from..]);
    out
}

#[cfg(test)]
mod tests {
    use super::super::markdown::to_html;

    #[test]
    fn running_text_is_cut_into_units_only_where_one_may_be_kept() {
        assert!(!super::needs_protection(
            "受注者は、14日以内に届け出なければならない。"
        ));
        assert!(!super::needs_protection("SP 800 第3版"));
        assert!(super::needs_protection("BUILD-01 に定める"));
        assert!(super::needs_protection("37,400,000円"));
        assert!(super::needs_protection("令和8年7月1日から"));
        assert_eq!(super::protected("受注者は、14日以内に届け出る。"), None);
        assert_eq!(
            super::protected("令和8年7月1日から").as_deref(),
            Some("<span class=\"nb\">令和8年7月1日</span>から")
        );
    }

    #[test]
    fn cell_text_is_escaped() {
        assert_eq!(
            super::escape("第5条 <a href=\"x\">&</a>"),
            "第5条 &lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
        );
        assert_eq!(super::escape("令和8年度"), "令和8年度");
    }

    #[test]
    fn tables_get_column_widths_and_unbreakable_runs() {
        let html = to_html(
            "| 年度 | 期間 | 合計 |\n|---|---|--:|\n| 令和10年度 | サポート期間 | 37,400,000 |\n",
        );
        assert!(
            html.starts_with("<table><colgroup><col style=\"width:"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"nb\">令和10年度</span>"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"nb\">37,400,000</span>"),
            "{html}"
        );
        // Long text: only the runs that must not break are marked.
        let html = to_html("| a |\n|---|\n| 条項 BUILD-01 及び DISC-02 に定める期間 |\n| <x> |\n");
        assert!(
            html.contains("条項 <span class=\"nb\">BUILD-01</span> 及び <span class=\"nb\">DISC-02</span> に定める期間"),
            "{html}"
        );
        // Raw HTML stays text.
        assert!(
            html.contains("<span class=\"nb\">&lt;x&gt;</span>"),
            "{html}"
        );
    }

    #[test]
    fn a_table_written_from_its_cells_is_the_table_laid_out_from_markdown() {
        let cells = |rows: &[&[&str]]| -> Vec<Vec<String>> {
            rows.iter()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect()
        };
        let markdown = |rows: &[&[&str]]| -> String {
            let line = |r: &[&str]| format!("| {} |\n", r.join(" | "));
            let mut md = line(rows[0]);
            md.push_str(&line(&vec!["---"; rows[0].len()]));
            for r in &rows[1..] {
                md.push_str(&line(r));
            }
            md
        };
        let narrow: &[&[&str]] = &[
            &["調達番号", "件名", "予算額（円） 令和8年度"],
            &["R8-0421", "住民記録システム運用保守業務", "37,400,000"],
            &["R8-0105", "", "1,000"],
        ];
        let sha = "3f85d53f01703c632fe483a7d5689c1eadb1fd7d072d4b5d3ddba521eaa62212";
        let wide: &[&[&str]] = &[
            &[
                "調達番号",
                "区分の理由",
                "manifest.json の SHA-256",
                "前回の SHA-256",
            ],
            &[
                "R8-0312",
                "影響度（機密性：中、完全性：中、可用性：低）の最大値により区分2（標準）",
                sha,
                sha,
            ],
        ];
        for rows in [narrow, wide] {
            assert_eq!(
                super::table_html(&cells(rows), &[], super::Page::Portrait),
                to_html(&markdown(rows)),
                "{rows:?}"
            );
        }
        // The wide one is set smaller, as the Markdown one is.
        assert!(
            super::table_html(&cells(wide), &[], super::Page::Portrait)
                .starts_with("<div class=\"dense\">\n<table>")
        );
        // A digest may break after every 16 characters, and its column is measured so: it
        // no longer makes the table dense. Its header is marked as any header is.
        let digest: &[&[&str]] = &[&["SHA-256", "SHA-256"], &[sha, sha]];
        let html = super::table_html(&cells(digest), &[0, 1], super::Page::Portrait);
        let runs = format!(
            "<td>{}<wbr>{}<wbr>{}<wbr>{}</td>",
            &sha[..16],
            &sha[16..32],
            &sha[32..48],
            &sha[48..]
        );
        assert_eq!(html.matches(&runs).count(), 2, "{html}");
        assert!(html.starts_with("<table>"), "{html}");
        assert!(
            html.contains("<th><span class=\"nb\">SHA-256</span></th>"),
            "{html}"
        );
        // A line break in a cell is a space, its ends trimmed, as in a Markdown cell.
        assert_eq!(
            super::table_html(&cells(&[&["a"], &[" x\ny "]]), &[], super::Page::Portrait),
            to_html("| a |\n|---|\n| x y |\n")
        );
    }
}
