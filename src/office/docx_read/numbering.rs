//! Word's automatic numbering (`word/numbering.xml`) resolved to the text it shows: each list
//! (`w:num`) keeps a counter per level; a paragraph at level N counts up there and restarts the
//! levels below, and the level's `w:lvlText` (`第%1条`, `（%2）`, `%1.%2`) is filled in with each
//! level's counter in its format (decimal, full-width, 一二三, ア イ ウ, ①, a b c, i ii iii).

use std::collections::HashMap;

use roxmltree::{Document, Node};

use super::{W, is_w, w_attr, w_child};

#[derive(Debug, Clone, Default)]
struct Level {
    start: u32,
    format: String,
    text: String,
    /// What follows the number: a tab (the default), a space or nothing.
    suffix: String,
}

#[derive(Debug, Default)]
pub(super) struct Numbering {
    /// Abstract definitions: levels 0–8.
    abstracts: HashMap<String, Vec<Level>>,
    /// List instance → (abstract ID, start overrides by level).
    nums: HashMap<String, (String, HashMap<u8, u32>)>,
}

fn levels(node: Node<'_, '_>) -> Vec<(u8, Level)> {
    node.children()
        .filter(|n| is_w(n, "lvl"))
        .filter_map(|lvl| {
            let ilvl: u8 = lvl.attribute((W, "ilvl"))?.parse().ok()?;
            let val = |name: &str| w_child(lvl, name).and_then(|n| w_attr(n, "val"));
            Some((
                ilvl.min(8),
                Level {
                    start: val("start").and_then(|v| v.parse().ok()).unwrap_or(1),
                    format: val("numFmt").unwrap_or("decimal").to_string(),
                    text: val("lvlText").unwrap_or("").to_string(),
                    suffix: match val("suff") {
                        Some("space") => " ".to_string(),
                        Some("nothing") => String::new(),
                        _ => "\t".to_string(),
                    },
                },
            ))
        })
        .collect()
}

impl Numbering {
    pub(super) fn read(doc: &Document<'_>) -> Self {
        let mut out = Numbering::default();
        let root = doc.root_element();
        for abs in root.children().filter(|n| is_w(n, "abstractNum")) {
            let Some(id) = w_attr(abs, "abstractNumId") else {
                continue;
            };
            let mut lv = vec![Level::default(); 9];
            for (i, level) in levels(abs) {
                lv[usize::from(i)] = level;
            }
            out.abstracts.insert(id.to_string(), lv);
        }
        for num in root.children().filter(|n| is_w(n, "num")) {
            let (Some(id), Some(abs)) = (
                w_attr(num, "numId"),
                w_child(num, "abstractNumId").and_then(|n| w_attr(n, "val")),
            ) else {
                continue;
            };
            let mut overrides = HashMap::new();
            for ov in num.children().filter(|n| is_w(n, "lvlOverride")) {
                let Some(ilvl) = w_attr(ov, "ilvl").and_then(|v| v.parse::<u8>().ok()) else {
                    continue;
                };
                if let Some(start) = w_child(ov, "startOverride")
                    .and_then(|n| w_attr(n, "val"))
                    .and_then(|v| v.parse().ok())
                {
                    overrides.insert(ilvl.min(8), start);
                }
            }
            out.nums
                .insert(id.to_string(), (abs.to_string(), overrides));
        }
        out
    }

    fn level(&self, num: &str, level: u8) -> Option<(&str, &Level, Option<u32>)> {
        let (abs, overrides) = self.nums.get(num)?;
        let levels = self.abstracts.get(abs)?;
        Some((
            abs.as_str(),
            levels.get(usize::from(level))?,
            overrides.get(&level).copied(),
        ))
    }
}

/// The counters of every list so far.
#[derive(Debug, Default)]
pub(super) struct Counters {
    /// Keyed by list instance; levels 0–8 (`None`: not used yet since its parent moved on).
    by_num: HashMap<String, [Option<u32>; 9]>,
}

impl Counters {
    /// Count a paragraph of list `num` at `level`; its label as Word shows it (with the
    /// separator that follows), or `None` when the list is undefined or shows no number.
    pub(super) fn next(&mut self, numbering: &Numbering, num: &str, level: u8) -> Option<String> {
        let (_, lvl, start_override) = numbering.level(num, level)?;
        let counters = self.by_num.entry(num.to_string()).or_insert([None; 9]);
        let l = usize::from(level);
        let start = start_override.unwrap_or(lvl.start);
        counters[l] = Some(counters[l].map_or(start, |c| c.saturating_add(1)));
        for deeper in counters.iter_mut().skip(l + 1) {
            *deeper = None;
        }
        let counters = *counters;
        if lvl.format == "none" {
            return (!lvl.text.is_empty()).then(|| format!("{}{}", lvl.text, lvl.suffix));
        }
        if lvl.format == "bullet" {
            return Some("- ".to_string());
        }
        // Fill %1…%9 with each level's counter in that level's format.
        let mut label = String::new();
        let mut chars = lvl.text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '%'
                && let Some(d) = chars.peek().and_then(|d| d.to_digit(10))
                && (1..=9).contains(&d)
            {
                chars.next();
                let i = (d - 1) as u8;
                let value = counters[usize::from(i)].unwrap_or_else(|| {
                    numbering
                        .level(num, i)
                        .map_or(1, |(_, l, o)| o.unwrap_or(l.start))
                });
                let format = numbering
                    .level(num, i)
                    .map_or("decimal", |(_, l, _)| l.format.as_str());
                label.push_str(&format_number(value, format));
            } else {
                label.push(c);
            }
        }
        // Markdown needs a space after `1.`; Word's tab reads as one.
        let suffix = if lvl.suffix == "\t" { " " } else { &lvl.suffix };
        Some(format!("{label}{suffix}"))
    }
}

const AIUEO: &str =
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン";
const IROHA: &str = "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス";

/// One counter value in a Word number format.
pub(super) fn format_number(n: u32, format: &str) -> String {
    match format {
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c))
            .collect(),
        "decimalZero" if n < 10 => format!("0{n}"),
        "upperLetter" => letters(n, b'A'),
        "lowerLetter" => letters(n, b'a'),
        "upperRoman" => roman(n),
        "lowerRoman" => roman(n).to_lowercase(),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32(0x2460 + n - 1).map_or_else(|| n.to_string(), String::from)
        }
        "aiueoFullWidth" | "aiueo" => cycle(AIUEO, n),
        "iroha" | "irohaFullWidth" => cycle(IROHA, n),
        "japaneseCounting"
        | "ideographTraditional"
        | "chineseCounting"
        | "japaneseLegal"
        | "chineseCountingThousand"
        | "ideographDigital"
        | "japaneseDigitalTenThousand" => kanji(n),
        _ => n.to_string(),
    }
}

/// a … z, aa … zz (Word repeats the letter).
fn letters(n: u32, base: u8) -> String {
    if n == 0 {
        return "0".into();
    }
    let letter = (base + ((n - 1) % 26) as u8) as char;
    letter.to_string().repeat(((n - 1) / 26 + 1) as usize)
}

fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    if n == 0 || n > 3999 {
        return n.to_string();
    }
    let mut out = String::new();
    for (value, numeral) in TABLE {
        while n >= value {
            out.push_str(numeral);
            n -= value;
        }
    }
    out
}

fn cycle(set: &str, n: u32) -> String {
    let chars: Vec<char> = set.chars().collect();
    if n == 0 {
        return "0".into();
    }
    chars[((n - 1) as usize) % chars.len()].to_string()
}

/// 1 → 一, 10 → 十, 21 → 二十一, 105 → 百五, 2024 → 二千二十四.
pub(super) fn kanji(n: u32) -> String {
    const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    if n == 0 {
        return "〇".into();
    }
    if n >= 10_000 {
        return n.to_string();
    }
    let mut out = String::new();
    for (unit, mark) in [(1000, '千'), (100, '百'), (10, '十')] {
        let d = n / unit % 10;
        if d > 0 {
            if d > 1 {
                out.push(DIGITS[d as usize]);
            }
            out.push(mark);
        }
    }
    if !n.is_multiple_of(10) {
        out.push(DIGITS[(n % 10) as usize]);
    }
    out
}
