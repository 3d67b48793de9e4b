//! Segmentation: a contract's text cut into clauses and unnumbered blocks, losslessly.
//!
//! Clause starts are chotatsu clause-ID headings when the document has them; otherwise
//! Markdown headings, Japanese articles (第N条, with their 項 and 号 inside) and numbered
//! paragraphs (`1.`, `1.1`, `(a)`, `(1)`, `①`). Concatenating the segments gives back the input.

use std::ops::Range;

use super::normalize::{BOM, canonical_number, is_kanji_numeral};

/// Whether a segment is a clause (it starts with a number, an ID or a heading) or prose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegmentKind {
    Clause,
    Block,
}

/// One clause or unnumbered block, with its exact text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub kind: SegmentKind,
    /// The chotatsu clause ID (e.g. `SPEC-01`) when the clause's heading starts with one.
    pub id: Option<String>,
    /// The number as written: `第3条の2`, `1.`, `(a)`, `①`, or the clause ID.
    pub number: Option<String>,
    /// The heading as written: `**Introduction**`, `（目的）`, a Markdown heading's title.
    pub heading: Option<String>,
    /// The exact text, including the blank lines that follow it.
    pub text: String,
    /// Where the number sits in `text`, so comparisons can leave it out.
    pub number_span: Option<Range<usize>>,
    /// The divisions that contain it, outermost first, as a path shows them: `附則（平成三〇年法律第三三号）`,
    /// `第二章`, `D`. Empty at the top level.
    pub parents: Vec<String>,
    /// Where it sits in the document: its parents and its own number (`附則（平成三〇年法律第三三号）第三条`,
    /// `第二章第五条`, `D.3`, `D.3(a)`); `None` for text outside every numbered division.
    pub path: Option<String>,
    /// The parents in canonical form (`第2章`), for pairing clauses of the same division.
    pub parent_key: String,
    /// Index of the segment that opens its innermost parent division.
    pub parent: Option<usize>,
    /// It opens a division (編・章・節・款, a 附則, a lettered or numbered section heading)
    /// that later clauses sit in.
    pub container: bool,
}

impl Segment {
    /// The text as shown: without a byte-order mark and without trailing whitespace.
    pub fn display(&self) -> &str {
        self.text.trim_start_matches(BOM).trim_end()
    }

    /// The text before and after the clause number, for comparing content across
    /// renumbering.
    pub fn text_without_number(&self) -> [&str; 2] {
        match &self.number_span {
            Some(r) => [&self.text[..r.start], &self.text[r.end..]],
            None => [&self.text, ""],
        }
    }

    /// A short label for the clause: number and heading, or the first words of a block.
    pub fn label(&self) -> String {
        let mut parts: Vec<&str> = Vec::new();
        if let Some(n) = &self.number {
            parts.push(n);
        }
        if let Some(h) = &self.heading {
            parts.push(h);
        }
        if !parts.is_empty() {
            return parts.join(" ");
        }
        let first_line = self.display().lines().next().unwrap_or("").trim();
        let mut short: String = first_line.chars().take(40).collect();
        if short.len() < first_line.len() {
            short.push('…');
        }
        short
    }
}

/// Which lines start clauses in a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Headings carrying chotatsu clause IDs.
    ClauseIds,
    /// Japanese articles 第N条.
    Articles,
    /// Numbered paragraphs.
    Numbered,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StartKind {
    Heading { level: usize, with_id: bool },
    Article,
    Numbered,
    Block,
}

#[derive(Debug, Clone)]
struct Start {
    kind: StartKind,
    id: Option<String>,
    /// Absolute byte range of the number in the input.
    number: Option<Range<usize>>,
    heading: Option<String>,
    /// Its place in the hierarchy, outermost lowest (see [`rank`]); `None` when it opens no
    /// numbered division and sits in the current one.
    rank: Option<u8>,
    /// What it adds to a path when it is not simply its number (a 附則's identity).
    part: Option<String>,
}

impl Start {
    fn block() -> Self {
        Start {
            kind: StartKind::Block,
            id: None,
            number: None,
            heading: None,
            rank: None,
            part: None,
        }
    }
}

/// Ranks in the hierarchy, outermost lowest. A division closes every open division of the
/// same or a higher rank.
mod rank {
    /// 附則: a world of its own, closing everything.
    pub const SUPPLEMENTARY: u8 = 0;
    /// 編, 章, 節, 款, 目 are 1 to 5; Markdown headings with a number use their level (1–6).
    pub const ARTICLE: u8 = 10;
    /// `A.` in running text.
    pub const LETTERED: u8 = 9;
    /// `1.` is 10, `1.2` 11, `1.2.3` 12 …
    pub const DOTTED: u8 = 10;
    /// `(a)`, `(1)`, `（１）`, `①`.
    pub const PAREN: u8 = 20;
    /// An unnumbered heading: it ends every division and opens none.
    pub const RESET: u8 = u8::MAX;
}

struct Line<'a> {
    /// Byte offset of `content` in the input.
    offset: usize,
    /// The line without its terminator (and without a BOM on the first line).
    content: &'a str,
    /// Byte offset where the whole line (with terminator) starts.
    start: usize,
}

fn lines(input: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut pos = 0;
    for raw in input.split_inclusive('\n') {
        let start = pos;
        pos += raw.len();
        let mut content = raw.strip_suffix('\n').unwrap_or(raw);
        content = content.strip_suffix('\r').unwrap_or(content);
        let mut offset = start;
        if start == 0
            && let Some(rest) = content.strip_prefix(BOM)
        {
            offset += BOM.len_utf8();
            content = rest;
        }
        out.push(Line {
            offset,
            content,
            start,
        });
    }
    out
}

/// Cut `input` into segments. Concatenating their `text` gives back `input` exactly.
pub fn segment(input: &str) -> Vec<Segment> {
    let lines = lines(input);
    let mode = detect_mode(&lines);
    let mut starts: Vec<(usize, Start)> = Vec::new();
    let mut current: Option<StartKind> = None;
    let mut id_level: Option<usize> = None;
    let mut saw_blank = false;
    let mut caption_taken = false;
    // A 附則 line before the first article is a table of contents entry.
    let mut seen_article = false;
    for (idx, line) in lines.iter().enumerate() {
        if line.content.trim().is_empty() {
            saw_blank = true;
            continue;
        }
        if caption_taken {
            caption_taken = false;
            saw_blank = false;
            continue;
        }
        let mut start = detect_start(line, mode);
        if let Some(s) = &start
            && s.rank == Some(rank::SUPPLEMENTARY)
            && !seen_article
        {
            start = None;
        }
        if start.is_none()
            && mode == Mode::Articles
            && is_caption(line.content)
            && let Some(next) = lines.get(idx + 1)
            && let Some(mut article) = detect_start(next, mode)
            && article.kind == StartKind::Article
        {
            if article.heading.is_none() {
                article.heading = Some(line.content.trim().to_string());
            }
            caption_taken = true;
            start = Some(article);
        }
        if let (Some(s), Some(level)) = (&start, id_level)
            && let StartKind::Heading {
                level: l,
                with_id: false,
            } = s.kind
            && l > level
        {
            // A sub-heading inside a clause that carries an ID belongs to that clause.
            start = None;
        }
        if let Some(s) = start {
            seen_article |= s.rank == Some(rank::ARTICLE);
            if let StartKind::Heading { level, with_id } = s.kind {
                id_level = with_id.then_some(level);
            }
            current = Some(s.kind);
            starts.push((idx, s));
            saw_blank = false;
            continue;
        }
        let new_block = match current {
            None => true,
            Some(StartKind::Block) => saw_blank,
            Some(StartKind::Numbered) => saw_blank && !is_indented(line.content),
            Some(_) => false,
        };
        if new_block {
            current = Some(StartKind::Block);
            id_level = None;
            starts.push((idx, Start::block()));
        }
        saw_blank = false;
    }
    build(input, &lines, starts)
}

fn build(input: &str, lines: &[Line<'_>], mut starts: Vec<(usize, Start)>) -> Vec<Segment> {
    if starts.is_empty() {
        if input.is_empty() {
            return Vec::new();
        }
        starts.push((0, Start::block()));
    }
    // Blank lines before the first segment belong to it.
    starts[0].0 = 0;
    let mut out: Vec<Segment> = Vec::with_capacity(starts.len());
    // Open divisions: (rank, path part, canonical part, index of the segment opening it).
    let mut open: Vec<(u8, String, String, usize)> = Vec::new();
    for (i, (line_idx, start)) in starts.iter().enumerate() {
        let from = lines[*line_idx].start;
        let to = starts
            .get(i + 1)
            .map_or(input.len(), |(next, _)| lines[*next].start);
        let number_span = start
            .number
            .as_ref()
            .map(|r| (r.start - from)..(r.end - from));
        let number = start.number.as_ref().map(|r| input[r.clone()].to_string());
        let own_part = start.part.clone().or_else(|| {
            number
                .as_deref()
                .map(|n| n.trim_end_matches('.').to_string())
        });
        if let Some(r) = start.rank {
            if r == rank::RESET {
                open.clear();
            }
            while open.last().is_some_and(|(top, ..)| *top >= r) {
                open.pop();
            }
        }
        // A dotted number (`2.1`, `B.1`) already holds the divisions it is numbered under.
        let own_canonical = own_part.as_deref().map(canonical_number);
        let within = |canonical: &str| {
            own_canonical.as_deref().is_some_and(|own| {
                own.strip_prefix(canonical)
                    .is_some_and(|r| r.starts_with('.'))
            })
        };
        // An article (第N条, Article N) is numbered through the whole document: only the
        // statute's own divisions (編・章・節・款・目, 附則) belong in its path, not the
        // numbered sections of the Markdown around it.
        let article = start.rank == Some(rank::ARTICLE) && start.kind != StartKind::Numbered;
        let parents: Vec<&(u8, String, String, usize)> = open
            .iter()
            .filter(|(_, part, c, _)| {
                !within(c) && (!article || part.starts_with('第') || part.starts_with("附則"))
            })
            .collect();
        let mut path = String::new();
        for (_, part, _, _) in &parents {
            join_path(&mut path, part);
        }
        if let Some(part) = &own_part {
            join_path(&mut path, part);
        }
        let segment = Segment {
            kind: if start.kind == StartKind::Block {
                SegmentKind::Block
            } else {
                SegmentKind::Clause
            },
            id: start.id.clone(),
            number,
            heading: start.heading.clone(),
            text: input[from..to].to_string(),
            number_span,
            parents: parents.iter().map(|(_, p, _, _)| p.clone()).collect(),
            path: (!path.is_empty()).then_some(path),
            parent_key: parents
                .iter()
                .map(|(_, _, c, _)| c.as_str())
                .collect::<Vec<_>>()
                .join("/"),
            parent: parents.last().map(|(.., at)| *at),
            container: false,
        };
        if let (Some(r), Some(part), Some(canonical)) = (start.rank, own_part, own_canonical)
            && r != rank::RESET
        {
            open.push((r, part, canonical, i));
        }
        out.push(segment);
    }
    // A segment opens a division when a later one sits in it.
    for i in 0..out.len() {
        if let Some(p) = out[i].parent {
            out[p].container = true;
        }
    }
    out
}

/// Append a part to a path: `D` + `3` = `D.3`, `D.3` + `(a)` = `D.3(a)`, `第二章` + `第五条` = `第二章第五条`.
fn join_path(path: &mut String, part: &str) {
    let dot = path.ends_with(|c: char| c.is_ascii_alphanumeric())
        && part.starts_with(|c: char| c.is_ascii_alphanumeric());
    if dot {
        path.push('.');
    }
    path.push_str(part);
}

fn detect_mode(lines: &[Line<'_>]) -> Mode {
    let mut articles = false;
    for line in lines {
        let heading = parse_heading(line.content);
        if let Some((_, title)) = heading
            && parse_clause_id(title).is_some()
        {
            return Mode::ClauseIds;
        }
        // `### 第1条 目的` (a Markdown 規程) as much as a bare `第一条　…` line, and an
        // English `### Article 5 (Security specification)`: its numbered paragraphs are
        // inside the article, not clauses of their own.
        let body = heading.map_or(line.content.trim_start(), |(_, title)| title);
        let article_heading = heading.is_some_and(|(_, title)| parse_article_word(title).is_some());
        if !articles && (parse_dai(strip_bold(body), &['条']).is_some() || article_heading) {
            articles = true;
        }
    }
    if articles {
        Mode::Articles
    } else {
        Mode::Numbered
    }
}

fn detect_start(line: &Line<'_>, mode: Mode) -> Option<Start> {
    let content = line.content;
    if let Some((level, title)) = parse_heading(content) {
        let title_offset = line.offset + offset_in(content, title);
        return Some(heading_start(level, title, title_offset));
    }
    let trimmed = content.trim_start();
    let lead = line.offset + offset_in(content, trimmed);
    match mode {
        Mode::ClauseIds => None,
        Mode::Articles => {
            let body = strip_bold(trimmed);
            let body_offset = lead + offset_in(trimmed, body);
            if let Some(end) = parse_dai(body, &DIVISIONS) {
                let rest = &body[end..];
                if is_toc_entry(rest) {
                    return None;
                }
                return Some(Start {
                    kind: StartKind::Article,
                    id: None,
                    number: Some(body_offset..body_offset + end),
                    heading: parenthesised(rest.trim_start()),
                    rank: Some(dai_rank(&body[..end])),
                    part: None,
                });
            }
            if let Some(identity) = parse_supplementary(body) {
                return Some(Start {
                    kind: StartKind::Article,
                    id: None,
                    number: None,
                    heading: Some(body.trim_end().trim_end_matches("**").to_string()),
                    rank: Some(rank::SUPPLEMENTARY),
                    part: Some(identity),
                });
            }
            None
        }
        Mode::Numbered => {
            let end = parse_numbered(trimmed)?;
            let rest = trimmed[end..].trim_start();
            Some(Start {
                kind: StartKind::Numbered,
                id: None,
                number: Some(lead..lead + end),
                heading: bold_or_parenthesised(rest),
                rank: Some(numbered_rank(&trimmed[..end])),
                part: None,
            })
        }
    }
}

/// The suffixes of 第N… that open a division or an article.
const DIVISIONS: [char; 6] = ['条', '章', '節', '款', '編', '目'];

/// The rank of `第N章` and the like, by its suffix.
fn dai_rank(number: &str) -> u8 {
    let suffix = number
        .trim_start_matches('第')
        .trim_start_matches(is_number_char)
        .chars()
        .next();
    match suffix {
        Some('編') => 1,
        Some('章') => 2,
        Some('節') => 3,
        Some('款') => 4,
        Some('目') => 5,
        _ => rank::ARTICLE,
    }
}

/// The rank of a numbered paragraph's marker: `A.` outside `1.` outside `1.2` outside `(a)`.
fn numbered_rank(marker: &str) -> u8 {
    let first = marker.chars().next().unwrap_or(' ');
    if !first.is_ascii_alphanumeric() {
        return rank::PAREN;
    }
    let groups = marker
        .trim_end_matches('.')
        .split('.')
        .filter(|g| !g.is_empty())
        .count() as u8;
    if first.is_ascii_uppercase() && groups == 1 {
        return rank::LETTERED;
    }
    rank::DOTTED + groups.saturating_sub(1).min(8)
}

/// A table of contents line: `第一章　総則（第一条―第五条）` names the articles it spans.
fn is_toc_entry(rest: &str) -> bool {
    let rest = rest.trim_end();
    let Some(inner) = rest
        .strip_suffix('）')
        .and_then(|r| r.rfind('（').map(|at| &r[at + '（'.len_utf8()..]))
    else {
        return false;
    };
    inner.starts_with('第') && inner.contains('条') && !inner.contains('。')
}

fn heading_start(level: usize, title: &str, title_offset: usize) -> Start {
    let level_rank = level.min(6) as u8;
    let with_number = |end: usize, kind_with_id: bool, id: Option<String>, rank: u8| {
        let rest = title[end..].trim();
        Start {
            kind: StartKind::Heading {
                level,
                with_id: kind_with_id,
            },
            id,
            number: Some(title_offset..title_offset + end),
            heading: (!rest.is_empty()).then(|| rest.to_string()),
            rank: Some(rank),
            part: None,
        }
    };
    if let Some(end) = parse_clause_id(title) {
        return with_number(end, true, Some(title[..end].to_string()), rank::RESET);
    }
    if let Some(end) = parse_dai(title, &DIVISIONS) {
        return with_number(end, false, None, dai_rank(&title[..end]));
    }
    if let Some(end) = parse_article_word(title) {
        return with_number(end, false, None, rank::ARTICLE);
    }
    if let Some(end) = parse_numbered(title) {
        return with_number(end, false, None, level_rank);
    }
    if let Some(identity) = parse_supplementary(title) {
        return Start {
            kind: StartKind::Heading {
                level,
                with_id: false,
            },
            id: None,
            number: None,
            heading: Some(title.to_string()),
            rank: Some(rank::SUPPLEMENTARY),
            part: Some(identity),
        };
    }
    Start {
        kind: StartKind::Heading {
            level,
            with_id: false,
        },
        id: None,
        number: None,
        heading: Some(title.to_string()),
        rank: Some(rank::RESET),
        part: None,
    }
}

/// Byte offset of `inner` (a subslice) within `outer`.
fn offset_in(outer: &str, inner: &str) -> usize {
    inner.as_ptr() as usize - outer.as_ptr() as usize
}

/// `## Title ##` → (2, "Title"). Up to three leading spaces, as CommonMark allows.
fn parse_heading(content: &str) -> Option<(usize, &str)> {
    let indent = content.len() - content.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &content[indent..];
    let level = rest.len() - rest.trim_start_matches('#').len();
    if !(1..=6).contains(&level) {
        return None;
    }
    let after = &rest[level..];
    if !after.is_empty() && !after.starts_with([' ', '\t']) {
        return None;
    }
    let mut title = after.trim();
    let closed = title.trim_end_matches('#');
    if closed.len() < title.len() && (closed.is_empty() || closed.ends_with([' ', '\t'])) {
        title = closed.trim_end();
    }
    Some((level, title))
}

/// A chotatsu clause ID `[A-Z][A-Z0-9]*(-[A-Z0-9]+)+` as the first token: its byte length.
pub fn parse_clause_id(title: &str) -> Option<usize> {
    let bytes = title.as_bytes();
    let mut i = 0;
    if !bytes.first()?.is_ascii_uppercase() {
        return None;
    }
    i += 1;
    while i < bytes.len() && (bytes[i].is_ascii_uppercase() || bytes[i].is_ascii_digit()) {
        i += 1;
    }
    let mut groups = 0;
    while i < bytes.len() && bytes[i] == b'-' {
        let group_start = i + 1;
        let mut j = group_start;
        while j < bytes.len() && (bytes[j].is_ascii_uppercase() || bytes[j].is_ascii_digit()) {
            j += 1;
        }
        if j == group_start {
            return None;
        }
        groups += 1;
        i = j;
    }
    let ends_token = i == bytes.len() || title[i..].starts_with(char::is_whitespace);
    (groups > 0 && ends_token).then_some(i)
}

fn is_number_char(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c) || is_kanji_numeral(c)
}

/// `第N条` (or 章, 節, …) with `のM` branches: the byte length of the number.
fn parse_dai(s: &str, suffixes: &[char]) -> Option<usize> {
    let rest = s.strip_prefix('第')?;
    let digits = rest.len() - rest.trim_start_matches(is_number_char).len();
    if digits == 0 {
        return None;
    }
    let after = &rest[digits..];
    let suffix = after.chars().next().filter(|c| suffixes.contains(c))?;
    let mut end = '第'.len_utf8() + digits + suffix.len_utf8();
    while let Some(branch) = s[end..].strip_prefix('の') {
        let n = branch.len() - branch.trim_start_matches(is_number_char).len();
        if n == 0 {
            break;
        }
        end += 'の'.len_utf8() + n;
    }
    Some(end)
}

/// Numbered paragraph markers: `1.`, `1.1`, `1.1.`, `(a)`, `(iv)`, `(1)`, `（１）`, `①`.
/// Returns the marker's byte length; it must be followed by whitespace or end the line.
fn parse_numbered(s: &str) -> Option<usize> {
    let end = parse_dotted(s)
        .or_else(|| parse_lettered(s))
        .or_else(|| parse_paren(s, '(', ')'))
        .or_else(|| parse_paren(s, '（', '）'))
        .or_else(|| {
            let c = s.chars().next()?;
            let circled = matches!(c as u32, 0x2460..=0x2473 | 0x3251..=0x325F | 0x32B1..=0x32BF);
            circled.then(|| c.len_utf8())
        })?;
    let rest = &s[end..];
    let followed = rest.is_empty()
        || rest.starts_with(char::is_whitespace)
        || s[..end].chars().next().is_some_and(|c| !c.is_ascii());
    followed.then_some(end)
}

fn parse_dotted(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut dots = 0;
    loop {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == start || i - start > 5 {
            return None;
        }
        if i < bytes.len() && bytes[i] == b'.' {
            dots += 1;
            i += 1;
            if i < bytes.len() && bytes[i].is_ascii_digit() {
                continue;
            }
        }
        break;
    }
    (dots > 0).then_some(i)
}

/// `Article 3` (an English annex's article heading): the byte length of the number.
fn parse_article_word(s: &str) -> Option<usize> {
    let rest = s.strip_prefix("Article ")?;
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let end = "Article ".len() + digits;
    (digits > 0 && s[end..].chars().next().is_none_or(|c| !c.is_alphanumeric())).then_some(end)
}

/// A lettered section: `A.`, `H.`, `B.1`, `B.1.2` (one capital letter, then a full stop).
fn parse_lettered(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    if bytes.len() < 2 || !bytes[0].is_ascii_uppercase() || bytes[1] != b'.' {
        return None;
    }
    match parse_dotted(&s[2..]) {
        Some(n) => Some(2 + n),
        None => {
            // `B.1` without a final full stop.
            let digits = s[2..].len()
                - s[2..]
                    .trim_start_matches(|c: char| c.is_ascii_digit())
                    .len();
            Some(2 + digits)
        }
    }
}

fn parse_paren(s: &str, open: char, close: char) -> Option<usize> {
    let inner = s.strip_prefix(open)?;
    let len = inner.find(close)?;
    let label = &inner[..len];
    let ok = match label.chars().count() {
        0 => false,
        1 => label
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || is_number_char(c)),
        2..=3 => {
            label.chars().all(is_number_char)
                || label.chars().all(|c| "ivxlc".contains(c))
                || label.chars().all(|c| "IVXLC".contains(c))
        }
        4..=5 => label.chars().all(|c| "ivxlc".contains(c)),
        _ => false,
    };
    ok.then(|| open.len_utf8() + len + close.len_utf8())
}

fn strip_bold(s: &str) -> &str {
    s.strip_prefix("**").unwrap_or(s)
}

fn is_indented(content: &str) -> bool {
    content.starts_with([' ', '\t', '\u{3000}'])
}

fn is_caption(content: &str) -> bool {
    let t = content.trim();
    t.starts_with('（') && t.ends_with('）') && t.chars().count() <= 40
}

/// A 附則 heading: `附則`, `附　則　（令和七年六月一三日法律第五四号）　抄`, `**附則**`. Returns its
/// identity in a path: `附則` and the law number that enacted it, `附則（令和七年六月一三日法律第五四号）`.
fn parse_supplementary(s: &str) -> Option<String> {
    // Called on every line: look at the first characters before building anything.
    let mut chars = s.chars().filter(|c| !c.is_whitespace() && *c != '*');
    if chars.next() != Some('附') || chars.next() != Some('則') {
        return None;
    }
    let squeezed: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .replace("**", "");
    let rest = squeezed.strip_prefix("附則")?;
    let (law, after) = match rest.strip_prefix('（') {
        Some(inner) => {
            let close = inner.find('）')?;
            (&inner[..close], &inner[close + '）'.len_utf8()..])
        }
        None => ("", rest),
    };
    if !(after.is_empty() || after == "抄") {
        return None;
    }
    Some(if law.is_empty() {
        "附則".to_string()
    } else {
        format!("附則（{law}）")
    })
}

/// `（目的）…` → `（目的）`.
fn parenthesised(s: &str) -> Option<String> {
    let s = s.strip_prefix("**").unwrap_or(s);
    if s.starts_with('（') {
        let end = s.find('）')? + '）'.len_utf8();
        return Some(s[..end].to_string());
    }
    None
}

/// `**Introduction**. …` → `**Introduction**`; `（目的）…` → `（目的）`.
fn bold_or_parenthesised(s: &str) -> Option<String> {
    if let Some(inner) = s.strip_prefix("**") {
        let end = inner.find("**")?;
        if end == 0 {
            return None;
        }
        return Some(s[..end + 4].to_string());
    }
    parenthesised(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(input: &str) -> Vec<(SegmentKind, Option<String>, Option<String>)> {
        let segs = segment(input);
        let joined: String = segs.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(joined, input, "lossless");
        segs.into_iter()
            .map(|s| (s.kind, s.number, s.heading))
            .collect()
    }

    fn c(n: Option<&str>, h: Option<&str>) -> (SegmentKind, Option<String>, Option<String>) {
        (
            SegmentKind::Clause,
            n.map(str::to_string),
            h.map(str::to_string),
        )
    }

    const BLOCK: (SegmentKind, Option<String>, Option<String>) = (SegmentKind::Block, None, None);

    #[test]
    fn japanese_articles_with_branches_and_captions() {
        let input = "業務委託契約書\n\n甲と乙は次のとおり契約する。\n\n（目的）\n第一条　本契約は…\n２　乙は…\n一　前号\n\n第3条の2（秘密保持）乙は…\n\n第１２条 甲は…\n附　則\nこの契約は…\n";
        assert_eq!(
            summary(input),
            vec![
                BLOCK,
                BLOCK,
                c(Some("第一条"), Some("（目的）")),
                c(Some("第3条の2"), Some("（秘密保持）")),
                c(Some("第１２条"), None),
                c(None, Some("附　則")),
            ]
        );
    }

    #[test]
    fn numbered_paragraphs_and_headings() {
        let input = "# Standard Terms\n\n1. **Introduction**. Text (a) inline.\n\n1.1 Sub\n(a) item\n(iv) roman\n① circled\n\nTrailer paragraph.\n";
        assert_eq!(
            summary(input),
            vec![
                c(None, Some("Standard Terms")),
                c(Some("1."), Some("**Introduction**")),
                c(Some("1.1"), None),
                c(Some("(a)"), None),
                c(Some("(iv)"), None),
                c(Some("①"), None),
                BLOCK,
            ]
        );
    }

    #[test]
    fn clause_id_headings_keep_sub_headings() {
        let input = "# 別紙\n\n#### SPEC-01 セキュリティ仕様の事前合意\n本文\n##### 詳細\n1. 項目\n#### SPEC-02 Logging\ntext\n";
        let segs = segment(input);
        assert_eq!(segs.len(), 3);
        assert_eq!(segs[1].id.as_deref(), Some("SPEC-01"));
        assert_eq!(
            segs[1].heading.as_deref(),
            Some("セキュリティ仕様の事前合意")
        );
        assert!(segs[1].text.contains("##### 詳細\n1. 項目"));
        assert_eq!(segs[2].number.as_deref(), Some("SPEC-02"));
    }

    #[test]
    fn clause_ids() {
        assert_eq!(parse_clause_id("SPEC-01 x"), Some(7));
        assert_eq!(parse_clause_id("A1-B-C2"), Some(7));
        assert_eq!(parse_clause_id("SPEC x"), None);
        assert_eq!(parse_clause_id("SPEC-"), None);
        assert_eq!(parse_clause_id("Spec-01"), None);
    }

    #[test]
    fn crlf_bom_and_no_trailing_newline() {
        let input = "\u{feff}第1条（目的）\r\n本文\r\n\r\n第2条\r\n本文";
        let segs = segment(input);
        assert_eq!(segs.len(), 2);
        assert_eq!(segs[0].number.as_deref(), Some("第1条"));
        assert_eq!(segs[0].display(), "第1条（目的）\r\n本文");
        assert_eq!(&segs[0].text[segs[0].number_span.clone().unwrap()], "第1条");
        assert_eq!(segs[1].text, "第2条\r\n本文");
    }

    #[test]
    fn leading_blank_lines_join_the_first_segment() {
        let segs = segment("\n\n1. a\n");
        assert_eq!(segs.len(), 1);
        assert_eq!(segs[0].number.as_deref(), Some("1."));
        assert!(segment("").is_empty());
        assert_eq!(segment("\n \n").len(), 1);
    }

    fn paths(input: &str) -> Vec<(Option<String>, Option<String>)> {
        segment(input)
            .into_iter()
            .map(|s| (s.number, s.path))
            .collect()
    }

    fn p(n: Option<&str>, path: Option<&str>) -> (Option<String>, Option<String>) {
        (n.map(str::to_string), path.map(str::to_string))
    }

    #[test]
    fn statute_chapters_supplementary_provisions_and_table_of_contents() {
        let input = "原子力基本法\n目次\n  第一章　総則（第一条―第三条）\n  附則\n\n      第一章　総則\n\n  （目的）\n第一条　目的を定める。\n\n      第二章　委員会\n\n第五条　委員会を置く。\n２　委員は…\n\n      附　則\n\nこの法律は、公布の日から施行する。\n\n      附　則　（平成三〇年六月一三日法律第三三号）　抄\n\n  （施行期日）\n第一条　この法律は、公布の日から施行する。\n\n第三条　経過措置は、政令で定める。\n";
        assert_eq!(
            paths(input),
            vec![
                p(None, None),
                p(Some("第一章"), Some("第一章")),
                p(Some("第一条"), Some("第一章第一条")),
                p(Some("第二章"), Some("第二章")),
                p(Some("第五条"), Some("第二章第五条")),
                p(None, Some("附則")),
                p(None, Some("附則（平成三〇年六月一三日法律第三三号）")),
                p(
                    Some("第一条"),
                    Some("附則（平成三〇年六月一三日法律第三三号）第一条")
                ),
                p(
                    Some("第三条"),
                    Some("附則（平成三〇年六月一三日法律第三三号）第三条")
                ),
            ]
        );
        let segs = segment(input);
        // The table of contents stays in the title's block; the 附則 line without articles
        // keeps its paragraph.
        assert!(segs[0].text.contains("第一章　総則（第一条―第三条）"));
        assert!(segs[5].text.contains("公布の日から施行する"));
        assert_eq!(segs[8].parent, Some(6));
        assert!(segs[6].container && !segs[8].container);
        assert_eq!(segs[8].parent_key, "附則(平成30年6月13日法律第33号)");
    }

    #[test]
    fn markdown_rules_keep_their_numbered_paragraphs() {
        let input = "# 就業規則\n\n## 第1章　総則\n\n### 第1条　目的\n\n1. この規則は…\n2. この規則に定めた事項のほか…\n\n### 第2条　適用範囲\n\n1. この規則は、全社員に適用する。\n    - 正社員\n";
        let segs = segment(input);
        let got: Vec<_> = segs
            .iter()
            .map(|s| (s.number.as_deref(), s.heading.as_deref(), s.path.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                (None, Some("就業規則"), None),
                (Some("第1章"), Some("総則"), Some("第1章")),
                (Some("第1条"), Some("目的"), Some("第1章第1条")),
                (Some("第2条"), Some("適用範囲"), Some("第1章第2条")),
            ]
        );
        assert!(segs[2].text.contains("2. この規則に定めた事項のほか"));
    }

    #[test]
    fn lettered_and_dotted_sections() {
        let input = "# Terms\n\n### H. Subscription Licenses\n\n1. Grant.\n\n(a) scope\n\n2. Limits.\n\n### I. Fees\n\nB.1 Invoices.\n\n## 3. Term\n\n3.1 Renewal.\n";
        assert_eq!(
            paths(input),
            vec![
                p(None, None),
                p(Some("H."), Some("H")),
                p(Some("1."), Some("H.1")),
                p(Some("(a)"), Some("H.1(a)")),
                p(Some("2."), Some("H.2")),
                p(Some("I."), Some("I")),
                p(Some("B.1"), Some("I.B.1")),
                p(Some("3."), Some("3")),
                p(Some("3.1"), Some("3.1")),
            ]
        );
    }

    #[test]
    fn supplementary_headings() {
        assert_eq!(parse_supplementary("附則").as_deref(), Some("附則"));
        assert_eq!(parse_supplementary("**附　則**").as_deref(), Some("附則"));
        assert_eq!(
            parse_supplementary("附　則　（令和七年六月一三日法律第五四号）　抄").as_deref(),
            Some("附則（令和七年六月一三日法律第五四号）")
        );
        assert_eq!(parse_supplementary("附則第三条の規定により"), None);
    }
}
