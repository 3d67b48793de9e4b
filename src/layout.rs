//! How text sits in a table cell, for every format that lays out tables (HTML, Word, Excel):
//! how wide a text is, where a line may break (Japanese 禁則 included), which runs must
//! never break (clause IDs, amounts, fiscal-year labels, dates), and column widths computed
//! from the content, so that the longest unbreakable run of a column sets its minimum.
//!
//! Widths are in ems of the cell's font: a full-width character is 1 em, Latin letters,
//! digits and punctuation are narrower. The estimates err on the wide side, so a column
//! sized from them holds its runs in any of the fonts the documents name.

/// A cell at most this wide (ems) is kept on one line whole (契約期間, 営業日前, a header).
pub const SHORT_CELL: f64 = 4.0;

/// The width (ems) of a column left blank to be filled in by hand.
pub const WRITE_IN: f64 = 7.0;

/// Kanji runs up to this many characters are taken as one word (脆弱性対応 is two).
const KANJI_WORD: usize = 4;

/// The estimated width of one character, in ems.
pub fn char_width(c: char) -> f64 {
    match c {
        _ if is_wide(c) => 1.0,
        ' ' | '\u{a0}' | ',' | '.' | ':' | ';' | '\'' | '!' | '|' | 'i' | 'l' | 'j' => 0.3,
        '(' | ')' | '[' | ']' | '-' | '/' | '`' | '"' | 'f' | 't' | 'r' => 0.38,
        'A'..='Z' | '%' | '&' | '@' | '#' | 'm' | 'w' | '—' => 0.72,
        '0'..='9' | 'a'..='z' | '_' | '$' | '+' | '=' | '<' | '>' | '?' | '~' | '–' => 0.58,
        _ => 0.6,
    }
}

/// Characters set full-width (CJK ideographs, kana, full-width forms and punctuation).
pub fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// The width of the widest line of `s`, in ems.
/// Where full-width and Latin text meet, Word and LibreOffice add a quarter em (自動スペース,
/// `autoSpaceDE`/`autoSpaceDN`), and so may a browser: counted in.
pub fn width(s: &str) -> f64 {
    s.split('\n').map(line_width).fold(0.0, f64::max)
}

fn line_width(line: &str) -> f64 {
    let mut total = 0.0;
    let mut previous: Option<char> = None;
    for c in line.chars() {
        total += char_width(c);
        if let Some(p) = previous
            && is_wide(p) != is_wide(c)
            && (p.is_alphanumeric() && c.is_alphanumeric())
        {
            total += AUTO_SPACE;
        }
        previous = Some(c);
    }
    total
}

/// The space added between full-width and Latin letters or digits, in ems.
const AUTO_SPACE: f64 = 0.25;

/// A number as tables show amounts and counts: digits with thousands separators, an optional
/// sign, decimals or percent sign (`37,400,000`, `-3`, `15%`).
pub fn is_number(s: &str) -> bool {
    let s = s.trim();
    let s = s.strip_prefix(['-', '+', '−']).unwrap_or(s);
    let s = s.strip_suffix('%').unwrap_or(s);
    let mut parts = s.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let decimals_ok = parts
        .next()
        .is_none_or(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
    whole.starts_with(|c: char| c.is_ascii_digit())
        && whole.bytes().all(|b| b.is_ascii_digit() || b == b',')
        && decimals_ok
}

/// A column is a number column (right-aligned) when every non-empty body cell is a number
/// and at least one is.
pub fn is_number_column<S: AsRef<str>>(body: &[S]) -> bool {
    let mut any = false;
    for cell in body {
        let cell = cell.as_ref().trim();
        if cell.is_empty() {
            continue;
        }
        if !is_number(cell) {
            return false;
        }
        any = true;
    }
    any
}

/// Kanji that end a word rather than start one (脆弱性, 終了時, 担当者).
const KANJI_SUFFIXES: &str = "性化的者時等用費率上中内外後前間度式法型額料書案";

/// Counters that stay with the number before them: 令和10年度, 36か月前, 10営業日, 7日.
const COUNTERS: &[&str] = &[
    "年度",
    "年",
    "か月",
    "ヶ月",
    "カ月",
    "箇月",
    "月",
    "営業日",
    "日",
    "時間",
    "分",
    "秒",
    "円",
    "件",
    "回",
    "条",
    "項",
    "号",
    "版",
];
/// What may follow a counter and stays with it: 36か月前, 12か月以内.
const COUNTER_TAILS: &[&str] = &["前", "以内", "以上", "以下", "後", "間"];
/// Era names that stay with the year after them.
const ERAS: &[&str] = &["令和", "平成", "昭和"];

fn is_katakana(c: char) -> bool {
    matches!(c, '\u{30A1}'..='\u{30FA}' | 'ー' | '\u{30FC}'..='\u{30FF}' | 'ｦ'..='ﾟ')
}

fn is_kanji(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '々' | '〆' | '\u{F900}'..='\u{FAFF}')
}

/// Characters that may not start a line (行頭禁則): closing brackets, 、。 and their
/// full-width kin, small kana, ー, iteration marks. They stay with the unit before them.
pub fn no_line_start(c: char) -> bool {
    matches!(
        c,
        '、' | '。'
            | '，'
            | '．'
            | '・'
            | '：'
            | '；'
            | '？'
            | '！'
            | '）'
            | '」'
            | '』'
            | '】'
            | '〕'
            | '〉'
            | '》'
            | '］'
            | '｝'
            | '〙'
            | '〗'
            | 'ー'
            | '々'
            | 'ゝ'
            | 'ゞ'
            | 'ヽ'
            | 'ヾ'
            | 'ぁ'
            | 'ぃ'
            | 'ぅ'
            | 'ぇ'
            | 'ぉ'
            | 'っ'
            | 'ゃ'
            | 'ゅ'
            | 'ょ'
            | 'ゎ'
            | 'ァ'
            | 'ィ'
            | 'ゥ'
            | 'ェ'
            | 'ォ'
            | 'ッ'
            | 'ャ'
            | 'ュ'
            | 'ョ'
            | 'ヮ'
            | 'ヵ'
            | 'ヶ'
            | ','
            | '.'
            | ')'
            | ']'
            | '}'
            | ':'
            | ';'
            | '!'
            | '?'
            | '%'
            | '’'
            | '”'
    )
}

/// Characters that may not end a line (行末禁則): opening brackets. They stay with the unit
/// after them.
pub fn no_line_end(c: char) -> bool {
    matches!(
        c,
        '（' | '「'
            | '『'
            | '【'
            | '〔'
            | '〈'
            | '《'
            | '［'
            | '｛'
            | '〘'
            | '〖'
            | '('
            | '['
            | '{'
            | '‘'
            | '“'
    )
}

/// `s` cut into the pieces a line may break between (whitespace is a piece of its own).
/// Concatenated, the pieces give `s` back. A piece is never broken: a run of Latin letters,
/// digits and punctuation (a clause ID, an amount, `snake_case`), a number with its counter
/// and era (令和10年度, 令和8年7月1日, 36か月前), a short word with the number after it
/// (`Apr 2026`), a katakana word, a kanji word of up to four characters; closing
/// punctuation stays with what it closes, opening brackets with what they open.
pub fn units(s: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    let mut i = 0;
    // Opening brackets wait for the unit after them.
    let mut open_from: Option<usize> = None;
    while i < s.len() {
        let rest = &s[i..];
        let c = rest.chars().next().unwrap_or(' ');
        let start = open_from.unwrap_or(i);
        let end = if c.is_whitespace() {
            i + rest
                .find(|ch: char| !ch.is_whitespace())
                .unwrap_or(rest.len())
        } else if no_line_end(c) {
            open_from.get_or_insert(i);
            i += c.len_utf8();
            continue;
        } else if let Some(len) = token(rest) {
            i + len
        } else if is_katakana(c) {
            i + rest.find(|ch: char| !is_katakana(ch)).unwrap_or(rest.len())
        } else if is_kanji(c) {
            let run = rest.find(|ch: char| !is_kanji(ch)).unwrap_or(rest.len());
            let chars = rest[..run].chars().count();
            // Longer runs are compounds of two-character words; a suffix such as 性 or 時
            // stays with the word before it (脆弱性|対応, 事前|通知|期間).
            let take = if chars <= KANJI_WORD {
                chars
            } else if rest[..run]
                .chars()
                .nth(2)
                .is_some_and(|c| KANJI_SUFFIXES.contains(c))
            {
                3
            } else {
                2
            };
            i + rest[..run]
                .char_indices()
                .nth(take)
                .map_or(run, |(at, _)| at)
        } else {
            i + c.len_utf8()
        };
        // Closing punctuation, small kana and ー stay with the unit before them.
        let tail = s[end..]
            .find(|ch: char| !no_line_start(ch))
            .unwrap_or(s.len() - end);
        let end = if c.is_whitespace() { end } else { end + tail };
        if c.is_whitespace() && open_from.is_some() {
            // "（ " is rare; keep the bracket as its own unit rather than lose it.
            out.push(&s[start..i]);
            out.push(&s[i..end]);
        } else {
            out.push(&s[start..end]);
        }
        open_from = None;
        i = end;
    }
    if let Some(start) = open_from {
        out.push(&s[start..]);
    }
    out
}

/// Where `s` holds a hyphen no line may break after: one inside a unit (SHA-256,
/// SP 800-218, BUILD-01), as byte offsets. Word and LibreOffice break running text after
/// any hyphen, so the Word writer turns these into non-breaking hyphens; a hyphen ending a
/// unit (End-|of-|support) stays a place to break.
pub fn fixed_hyphens(s: &str) -> Vec<usize> {
    if !s.contains('-') {
        return Vec::new();
    }
    crate::memo::remembered(&HYPHENS, (s.into(), 0), || hyphens_in_units(s))
}

fn hyphens_in_units(s: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut at = 0;
    for unit in units(s) {
        out.extend(
            unit.match_indices('-')
                .map(|(i, _)| i)
                .filter(|&i| i > 0 && i + 1 < unit.len())
                .map(|i| at + i),
        );
        at += unit.len();
    }
    out
}

/// The length of an unbreakable token at the start of `s`: Latin letters, digits and
/// punctuation (but not brackets that open), optionally an era before a number and the
/// counters after it, repeated (令和8年7月1日).
fn token(s: &str) -> Option<usize> {
    let mut i = 0;
    if let Some(era) = ERAS.iter().find(|e| s.starts_with(**e))
        && s[era.len()..].starts_with(|c: char| c.is_ascii_digit() || is_full_digit(c))
    {
        i = era.len();
    }
    loop {
        let run = latin_run(&s[i..]);
        if run == 0 {
            break;
        }
        i += run;
        // A short word and the number after it stay together (Apr 2026, SP 800-218, No. 5).
        let word = &s[..i];
        if word.len() <= 5
            && word.chars().all(|c| c.is_ascii_alphabetic() || c == '.')
            && s[i..].starts_with(' ')
            && s[i + 1..].starts_with(|c: char| c.is_ascii_digit())
        {
            i += 1;
            continue;
        }
        let ends_in_digit = s[..i]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_digit() || is_full_digit(c));
        if !ends_in_digit {
            break;
        }
        let Some(counter) = COUNTERS.iter().find(|k| s[i..].starts_with(**k)) else {
            break;
        };
        i += counter.len();
        if let Some(t) = COUNTER_TAILS.iter().find(|k| s[i..].starts_with(**k)) {
            i += t.len();
        }
        if !s[i..].starts_with(|c: char| c.is_ascii_digit() || is_full_digit(c)) {
            break;
        }
    }
    (i > 0).then_some(i)
}

/// The length of the run of Latin token characters at the start of `s`, ending where a
/// line may break (End-of-|support, 2026–|Mar); never inside BUILD-01 or SHA-256.
fn latin_run(s: &str) -> usize {
    let mut chars = s.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if !(is_latin_token_char(c) || is_full_digit(c)) {
            return at;
        }
        // A line may break after a dash before a word, and after a hyphen before a
        // lower-case word (End-of-support), never inside an upper-case ID (ACCEPT-SUPPLY-01).
        let breaks_after = match c {
            '–' | '—' => chars.peek().is_some_and(|(_, n)| n.is_ascii_alphabetic()),
            '-' => chars.peek().is_some_and(|(_, n)| n.is_ascii_lowercase()),
            _ => false,
        };
        if breaks_after && at > 0 {
            return at + c.len_utf8();
        }
    }
    s.len()
}

fn is_full_digit(c: char) -> bool {
    ('０'..='９').contains(&c)
}

fn is_latin_token_char(c: char) -> bool {
    (c.is_ascii_graphic() && !no_line_end(c)) || matches!(c, '–' | '—' | '’' | '·')
}

/// The narrowest a cell can be without breaking a unit: the whole text when it is short
/// ([`SHORT_CELL`]), else its widest unit.
pub fn min_width(s: &str) -> f64 {
    min_width_of(s, width(s))
}

/// [`min_width`] of `s` when its [`width`] (`whole`) is already known.
fn min_width_of(s: &str, whole: f64) -> f64 {
    if whole <= SHORT_CELL {
        return whole;
    }
    units(s).iter().map(|u| width(u.trim())).fold(0.0, f64::max)
}

/// The narrowest a header can be and still take at most two lines (three when it is
/// long), broken between words (期待する|回答, not 期待/す/る/回答).
pub fn header_width(s: &str) -> f64 {
    header_width_of(s, width(s), min_width(s))
}

/// Each paragraph of `s` as its units' widths, each marked whether it is only space: what
/// [`line_count`] counts lines from.
fn measured_paragraphs(s: &str) -> Vec<Vec<(f64, bool)>> {
    s.split('\n')
        .map(|p| {
            units(p)
                .into_iter()
                .map(|u| (width(u), u.trim().is_empty()))
                .collect()
        })
        .collect()
}

/// [`header_width`] of `s` from its [`width`] and [`min_width`]. The units are measured once
/// and the lines counted as [`wrap`] breaks them, without building the lines.
fn header_width_of(s: &str, whole: f64, min: f64) -> f64 {
    let lines = if whole <= 12.0 { 2 } else { 3 };
    let paragraphs = measured_paragraphs(s);
    let mut w = min;
    while line_count(&paragraphs, w) > lines {
        w += 0.5;
    }
    w
}

/// How many lines [`wrap`] makes of paragraphs given as their units' widths and whether
/// each unit is blank, for a `limit` ems wide; the same sums in the same order as `wrap`.
fn line_count(paragraphs: &[Vec<(f64, bool)>], limit: f64) -> usize {
    let mut lines = 0;
    for paragraph in paragraphs {
        // Whether the line holds anything, and anything but whitespace.
        let (mut filled, mut inked) = (false, false);
        let mut line_width = 0.0;
        for &(w, blank) in paragraph {
            if line_width + w > limit && inked && !blank {
                lines += 1;
                (filled, inked) = (false, false);
                line_width = 0.0;
            }
            if !filled && blank {
                continue;
            }
            filled = true;
            inked |= !blank;
            line_width += w;
        }
        lines += 1;
    }
    lines
}

/// What [`column_bounds`] needs of a cell's text, measured once per thread for each
/// distinct text: the same cells come back in HTML and Word, in both languages and in
/// every package of a batch.
#[derive(Clone, Copy)]
struct Measure {
    width: f64,
    min: f64,
    header: Option<f64>,
}

/// Distinct texts remembered per thread in each of the cache's two generations (see
/// [`crate::memo`]): a package measures a few thousand, most of them the same in every
/// package; a profile's own (its title, its dates) go within two generations, so memory stays
/// flat in the number of packages.
const MEASURES_KEPT: usize = 8192;

thread_local! {
    static MEASURES: std::cell::RefCell<crate::memo::Memo<Box<str>, Measure>> =
        const { std::cell::RefCell::new(crate::memo::Memo::new(MEASURES_KEPT)) };
}

/// The [`Measure`] of `s`, with its header width when `header`.
fn measure(s: &str, header: bool) -> Measure {
    MEASURES.with_borrow_mut(|cache| {
        let mut m = match cache.find(s) {
            Some(m) if !header || m.header.is_some() => return m,
            Some(m) => m,
            None => {
                let width = width(s);
                Measure {
                    width,
                    min: min_width_of(s, width),
                    header: None,
                }
            }
        };
        if header {
            m.header = Some(header_width_of(s, m.width, m.min));
        }
        cache.insert(s.into(), m);
        m
    })
}

/// Column widths (ems, without cell padding) that share `available` out over the columns
/// of `rows` (the first row the header) as a browser's automatic table layout does: every
/// column gets at least its minimum, the rest goes to the columns whose text would
/// otherwise wrap, in proportion to how much they need. When the minimums do not fit, the
/// soft parts give first (a header taking more lines, a blank column narrower), and only
/// then the unbreakable runs, all scaled down together.
pub fn column_widths<S: AsRef<str>>(rows: &[Vec<S>], available: f64) -> Vec<f64> {
    let Bounds { hard, min, max } = column_bounds(rows);
    let sum_hard: f64 = hard.iter().sum();
    let sum_min: f64 = min.iter().sum();
    let sum_max: f64 = max.iter().sum();
    if sum_max <= available {
        let extra = available - sum_max;
        return max.iter().map(|m| m + extra * m / sum_max).collect();
    }
    if sum_min <= available {
        let spare = available - sum_min;
        let want = sum_max - sum_min;
        return min
            .iter()
            .zip(&max)
            .map(|(lo, hi)| lo + spare * (hi - lo) / want)
            .collect();
    }
    if sum_hard <= available && sum_min > sum_hard {
        let spare = available - sum_hard;
        let want = sum_min - sum_hard;
        return hard
            .iter()
            .zip(&min)
            .map(|(lo, hi)| lo + spare * (hi - lo) / want)
            .collect();
    }
    hard.iter().map(|m| m * available / sum_hard).collect()
}

/// What a table's columns need, in ems.
pub struct Bounds {
    /// The widest unbreakable run of each column (at least 1 em).
    pub hard: Vec<f64>,
    /// What each column should have: its header on at most two lines (three when long), a
    /// blank column room to write in ([`WRITE_IN`]), never less than `hard`.
    pub min: Vec<f64>,
    /// The width the column's widest cell takes on one line.
    pub max: Vec<f64>,
}

/// The [`Bounds`] of the columns of `rows`, the first row the header.
pub fn column_bounds<S: AsRef<str>>(rows: &[Vec<S>]) -> Bounds {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut hard = vec![1.0f64; columns];
    let mut min = vec![1.0f64; columns];
    let mut max = vec![0.0f64; columns];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let m = measure(cell.as_ref(), r == 0);
            let unbreakable = m.min;
            hard[c] = hard[c].max(unbreakable);
            let soft = m.header.unwrap_or(unbreakable);
            min[c] = min[c].max(soft);
            max[c] = max[c].max(m.width);
        }
    }
    // A column with a header but no text below it is there to be written in by hand (対応
    // 方針, 期限): it gets room for that.
    for c in 0..columns {
        let blank = rows.len() > 1
            && rows[1..]
                .iter()
                .all(|r| r.get(c).is_none_or(|t| t.as_ref().trim().is_empty()));
        if blank {
            min[c] = min[c].max(WRITE_IN);
        }
        max[c] = max[c].max(min[c]);
    }
    Bounds { hard, min, max }
}

/// `s` broken into lines no wider than `limit` ems, only between [`units`]; whitespace at
/// a break is dropped. A unit wider than the limit gets a line of its own.
pub fn wrap(s: &str, limit: f64) -> Vec<String> {
    crate::memo::remembered(&WRAPPED, (s.into(), limit.to_bits()), || {
        wrap_units(s, limit)
    })
}

/// Texts already cut on this thread, by text (and width, as bits, for [`wrap`]): the same
/// cells and runs come back in both languages' Word documents and workbooks, and in every
/// package of a batch, and cutting them into units is most of what laying them out costs.
type Cut<T> = std::cell::RefCell<crate::memo::Memo<(Box<str>, u64), T>>;

/// Texts remembered per thread in each generation of those.
const CUTS_KEPT: usize = 2048;

thread_local! {
    static WRAPPED: Cut<Vec<String>> = const {
        std::cell::RefCell::new(crate::memo::Memo::new(CUTS_KEPT))
    };
    static HYPHENS: Cut<Vec<usize>> = const {
        std::cell::RefCell::new(crate::memo::Memo::new(CUTS_KEPT))
    };
}

fn wrap_units(s: &str, limit: f64) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in s.split('\n') {
        let mut line = String::new();
        let mut line_width = 0.0;
        for unit in units(paragraph) {
            let w = width(unit);
            if line_width + w > limit && !line.trim().is_empty() && !unit.trim().is_empty() {
                lines.push(line.trim_end().to_string());
                line = String::new();
                line_width = 0.0;
            }
            if line.is_empty() && unit.trim().is_empty() {
                continue;
            }
            line.push_str(unit);
            line_width += w;
        }
        lines.push(line.trim_end().to_string());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_amounts_and_fiscal_years_are_single_units() {
        assert_eq!(units("BUILD-01"), ["BUILD-01"]);
        assert_eq!(units("ACCEPT-SUPPLY-01"), ["ACCEPT-SUPPLY-01"]);
        assert_eq!(units("DISC-02、DISC-08"), ["DISC-02、", "DISC-08"]);
        assert_eq!(units("37,400,000"), ["37,400,000"]);
        assert_eq!(units("令和10年度"), ["令和10年度"]);
        assert_eq!(units("令和8年7月1日から"), ["令和8年7月1日", "か", "ら"]);
        assert_eq!(units("36か月前"), ["36か月前"]);
        assert_eq!(
            units("FY2026 (Apr 2026–Mar 2027)"),
            ["FY2026", " ", "(Apr 2026–", "Mar 2027)"]
        );
        assert_eq!(units("End-of-support"), ["End-", "of-", "support"]);
        assert_eq!(
            units("NIST SP 800-218 SHA-256"),
            ["NIST", " ", "SP 800-218", " ", "SHA-256"]
        );
        assert_eq!(
            units("監査の事前通知期間 (`audit_notice_days`)"),
            [
                "監査",
                "の",
                "事前",
                "通知期間",
                " ",
                "(`audit_notice_days`)"
            ]
        );
    }

    #[test]
    fn hyphens_inside_a_unit_are_fixed() {
        let s = "the file's SHA-256 (NIST SP 800-218), End-of-support, BUILD-01-";
        let fixed: Vec<&str> = fixed_hyphens(s).iter().map(|&i| &s[i - 3..i + 4]).collect();
        assert_eq!(fixed, ["SHA-256", "800-218", "ILD-01-"]);
        assert!(fixed_hyphens("End-of-support - x").is_empty());
    }

    #[test]
    fn kinsoku_keeps_closing_marks_and_long_vowels_with_the_unit_before() {
        assert_eq!(units("サポート期間"), ["サポート", "期間"]);
        assert_eq!(units("脆弱性対応"), ["脆弱性", "対応"]);
        assert_eq!(units("事前通知期間"), ["事前", "通知期間"]);
        assert_eq!(units("（評価完了から）"), ["（評価完了", "か", "ら）"]);
        assert_eq!(units("対応する。"), ["対応", "す", "る。"]);
        assert_eq!(units("ちょっと"), ["ちょっ", "と"]);
        for s in ["サポート終了時の移行、", "（注）インシデント対応。"] {
            assert_eq!(units(s).concat(), s);
            for u in units(s).iter().skip(1) {
                let first = u.chars().next().unwrap();
                assert!(!no_line_start(first), "{u:?} starts a line in {s:?}");
            }
        }
    }

    #[test]
    fn numbers_and_number_columns() {
        assert!(is_number("37,400,000"));
        assert!(is_number("15%"));
        assert!(is_number("0"));
        assert!(!is_number("SHA-256"));
        assert!(!is_number("令和8年度"));
        assert!(!is_number(""));
        assert!(is_number_column(&["1,000", "", "20"]));
        assert!(!is_number_column(&["1,000", "x"]));
        assert!(!is_number_column(&["", ""]));
    }

    #[test]
    fn columns_get_their_longest_unit_and_share_the_rest() {
        let rows = vec![
            vec!["年度", "保守・運用に要する費用の見込み額"],
            vec!["令和10年度", "37,400,000"],
        ];
        let w = column_widths(&rows, 16.0);
        assert!(w[0] >= width("令和10年度"), "{w:?}");
        assert!(w[1] >= width("37,400,000"), "{w:?}");
        assert!((w.iter().sum::<f64>() - 16.0).abs() < 1e-9);
        // Room for everything: each column as wide as its text, the rest shared out.
        let w = column_widths(&[vec!["a", "bb"]], 100.0);
        assert!((w.iter().sum::<f64>() - 100.0).abs() < 1e-9);
    }

    #[test]
    fn headers_take_at_most_two_lines() {
        let w = header_width("期待する回答");
        assert_eq!(wrap("期待する回答", w).len(), 2);
        assert!(w < width("期待する回答"));
        assert_eq!(header_width("ID"), width("ID"));
    }

    /// The header width as first written: `wrap` tried again at every half em.
    fn header_width_by_wrapping(s: &str) -> f64 {
        let lines = if width(s) <= 12.0 { 2 } else { 3 };
        let mut w = min_width(s);
        while wrap(s, w).len() > lines {
            w += 0.5;
        }
        w
    }

    #[test]
    fn counted_lines_and_header_widths_agree_with_wrap() {
        let texts = [
            "期待する回答",
            "保守・運用に要する費用の見込み額",
            "監査の事前通知期間 (`audit_notice_days`)",
            "FY2026 (Apr 2026–Mar 2027)",
            "  leading and trailing  ",
            "二行の\n見出し  with spaces",
            "（ 括弧の後に空白）",
            "",
            "\n",
            "NIST SP 800-218 SHA-256 End-of-support",
        ];
        for s in texts {
            let paragraphs = measured_paragraphs(s);
            for tenths in 0..200 {
                let limit = f64::from(tenths) / 10.0;
                assert_eq!(
                    line_count(&paragraphs, limit),
                    wrap(s, limit).len(),
                    "{s:?} at {limit}"
                );
            }
            assert_eq!(header_width(s), header_width_by_wrapping(s), "{s:?}");
            let m = measure(s, true);
            assert_eq!(
                (m.width, m.min, m.header),
                (width(s), min_width(s), Some(header_width(s)))
            );
        }
    }

    #[test]
    fn blank_columns_leave_room_to_write_in() {
        let rows = vec![vec!["ID", "対応方針"], vec!["Q-1", ""], vec!["Q-2", " "]];
        assert_eq!(column_bounds(&rows).min[1], WRITE_IN);
        // A table of headers only has no column to write in.
        assert!(column_bounds(&rows[..1]).min[1] < WRITE_IN);
    }

    #[test]
    fn wrapping_breaks_only_between_units() {
        assert_eq!(wrap("DISC-02、DISC-08", 5.0), ["DISC-02、", "DISC-08"]);
        assert_eq!(
            wrap("サポート終了時の移行", 5.0),
            ["サポート", "終了時の", "移行"]
        );
        assert_eq!(wrap("short", 10.0), ["short"]);
    }
}
