//! Whether a clause's Japanese and English texts say the same thing: the same numbers, the
//! same number of paragraphs (項) and items (号). `check` compares the two languages of each
//! clause as rendered for every situation it is used in, so an English text that drops a
//! deadline, adds a paragraph or keeps an old number cannot pass unnoticed.

use std::collections::BTreeMap;

/// What the comparison looks at in one rendered body.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Shape {
    /// Every number in the running text (list markers excluded), with how often it occurs.
    pub numbers: BTreeMap<String, usize>,
    /// Numbered paragraphs (`1. …`); a body without numbering is one paragraph.
    pub paragraphs: usize,
    /// Items under the paragraphs (`- …`).
    pub items: usize,
}

/// The shape of a rendered body written as the library writes it: paragraphs `1. …` at the
/// start of a line and items `- …` under them.
pub fn shape(text: &str) -> Shape {
    let mut shape = Shape::default();
    let mut prose = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            continue;
        }
        let indented = trimmed.len() != line.len();
        let rest = if let Some(item) = trimmed
            .strip_prefix("- ")
            .or_else(|| trimmed.strip_prefix("* "))
        {
            shape.items += 1;
            item
        } else if let Some(para) = list_number(trimmed).filter(|_| !indented) {
            shape.paragraphs += 1;
            para
        } else {
            prose = true;
            trimmed
        };
        for n in numbers_in(rest) {
            *shape.numbers.entry(n).or_default() += 1;
        }
    }
    if shape.paragraphs == 0 && prose {
        shape.paragraphs = 1;
    }
    shape
}

/// How the Japanese and the English body differ, in words; empty when they agree.
pub fn differences(ja: &str, en: &str) -> Vec<String> {
    let (j, e) = (shape(ja), shape(en));
    let mut out = Vec::new();
    if j.paragraphs != e.paragraphs {
        out.push(format!(
            "{} paragraph(s) in ja but {} in en",
            j.paragraphs, e.paragraphs
        ));
    }
    if j.items != e.items {
        out.push(format!("{} item(s) in ja but {} in en", j.items, e.items));
    }
    let only = |a: &Shape, b: &Shape| -> Vec<String> {
        a.numbers
            .iter()
            .filter(|(n, count)| b.numbers.get(*n).copied().unwrap_or(0) < **count)
            .map(|(n, _)| n.clone())
            .collect()
    };
    let (ja_only, en_only) = (only(&j, &e), only(&e, &j));
    if !ja_only.is_empty() || !en_only.is_empty() {
        let list = |v: &[String]| {
            if v.is_empty() {
                "-".to_string()
            } else {
                v.join(", ")
            }
        };
        out.push(format!(
            "numbers differ (ja only: {}; en only: {})",
            list(&ja_only),
            list(&en_only)
        ));
    }
    out
}

/// The text after a `1. ` list marker.
fn list_number(line: &str) -> Option<&str> {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    line[digits..].strip_prefix(". ")
}

/// The numbers in a text: runs of digits (full-width ones read as ASCII), with a decimal
/// point between digits kept (`9.0`, `TLS 1.2`).
fn numbers_in(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().map(ascii_digit).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let mut n = String::new();
        while i < chars.len() {
            let c = chars[i];
            let decimal_point =
                c == '.' && !n.is_empty() && chars.get(i + 1).is_some_and(char::is_ascii_digit);
            if !c.is_ascii_digit() && !decimal_point {
                break;
            }
            n.push(c);
            i += 1;
        }
        out.push(n);
    }
    out
}

fn ascii_digit(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_text_in_two_languages_agrees() {
        let ja = "1. 受注者は、14日以内に通知しなければならない。\n1. 受注者は、次に掲げる事項を記載する。\n    - CVSS 3.1\n    - 基本値9.0以上\n";
        let en = "1. The Contractor shall give notice within 14 days.\n2. The Contractor shall state:\n    - CVSS 3.1;\n    - a base score of 9.0 or higher.\n";
        assert_eq!(differences(ja, en), Vec::<String>::new());
    }

    #[test]
    fn a_number_that_differs_is_named() {
        let diff = differences(
            "受注者は、14日以内に通知する。",
            "The Contractor gives notice within 30 days.",
        );
        assert_eq!(diff, vec!["numbers differ (ja only: 14; en only: 30)"]);
    }

    #[test]
    fn a_number_missing_from_one_side_is_named() {
        let diff = differences(
            "第1項及び第2項の規定は、適用しない。",
            "The preceding paragraphs do not apply.",
        );
        assert_eq!(diff, vec!["numbers differ (ja only: 1, 2; en only: -)"]);
    }

    #[test]
    fn paragraph_and_item_counts_are_compared() {
        let diff = differences("1. 甲\n1. 乙\n    - 丙\n", "1. A\n    - C\n    - D\n");
        assert_eq!(
            diff,
            vec![
                "2 paragraph(s) in ja but 1 in en",
                "1 item(s) in ja but 2 in en"
            ]
        );
    }

    #[test]
    fn full_width_digits_and_list_markers() {
        let s = shape("1. 第２条の規定による。\n2. 10.5%\n");
        assert_eq!(s.paragraphs, 2);
        assert_eq!(
            s.numbers,
            BTreeMap::from([("2".to_string(), 1), ("10.5".to_string(), 1)])
        );
    }
}
