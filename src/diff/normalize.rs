//! Comparison keys: what two pieces of text must share to count as "the same".
//!
//! NFKC folds full-width and half-width forms (ＩＳＯ = ISO), whitespace runs fold to one
//! space, and clause numbers get a canonical form (第三条 = 第3条 = 第３条). Keys are only
//! ever compared; the real text is what every output shows.

use unicode_normalization::UnicodeNormalization;

/// The byte-order mark, which belongs to the file and never to the text.
pub const BOM: char = '\u{feff}';

/// NFKC, BOM removed, whitespace runs folded to one space, trimmed.
pub fn key(text: &str) -> String {
    key_of_parts(&[text])
}

/// [`key`] of the concatenation of `parts`, without building it.
pub fn key_of_parts(parts: &[&str]) -> String {
    let mut folder = Folder {
        out: String::with_capacity(parts.iter().map(|p| p.len()).sum()),
        pending_space: false,
    };
    for part in parts {
        fold_part(part, &mut folder);
    }
    folder.out
}

/// Most contract text (ASCII, kana, kanji) is already NFKC: runs of it are copied as they
/// are, and only the runs that may change are normalised, each with the character before
/// it, which a combining mark may join. Normalising everything costs several times more.
fn fold_part(text: &str, folder: &mut Folder) {
    let mut verbatim_from = 0;
    let mut prev: Option<usize> = None;
    let mut skip_to = 0;
    for (i, c) in text.char_indices() {
        if i < skip_to {
            continue;
        }
        let stable = nfkc_stable(c);
        if stable && !c.is_whitespace() {
            prev = Some(i);
            continue;
        }
        // Full-width ASCII (（）２Ａ…) is the commonest unstable text in Japanese contracts;
        // NFKC maps it to ASCII one for one, so skip the normaliser unless a combining
        // character follows.
        if let Some(ascii) = fullwidth_ascii(c) {
            let next = text[i + c.len_utf8()..].chars().next();
            if next.is_none_or(nfkc_stable) {
                folder.push_str(&text[verbatim_from..i]);
                folder.push(ascii);
                verbatim_from = i + c.len_utf8();
                prev = None;
                continue;
            }
        }
        if stable {
            folder.push_str(&text[verbatim_from..i]);
            folder.space();
            verbatim_from = i + c.len_utf8();
            prev = None;
            continue;
        }
        let from = prev.filter(|&p| p >= verbatim_from).unwrap_or(i);
        folder.push_str(&text[verbatim_from..from]);
        let end = text[i..].find(nfkc_stable).map_or(text.len(), |e| i + e);
        text[from..end].nfkc().for_each(|n| folder.push(n));
        verbatim_from = end;
        skip_to = end;
        prev = None;
    }
    folder.push_str(&text[verbatim_from..]);
}

/// U+FF01..=U+FF5E are full-width forms of U+0021..=U+007E: their NFKC is that character.
fn fullwidth_ascii(c: char) -> Option<char> {
    let u = c as u32;
    (0xFF01..=0xFF5E)
        .contains(&u)
        .then(|| char::from_u32(u - 0xFEE0))
        .flatten()
}

/// Characters that NFKC leaves alone and that never combine with a preceding character.
fn nfkc_stable(c: char) -> bool {
    matches!(c as u32,
        0x09 | 0x0A | 0x0D | 0x20..=0x7E
        | 0x3000..=0x3002    // ideographic space (folded like any space), 、。
        | 0x300C..=0x300F    // 「」『』
        | 0x3041..=0x3096    // hiragana
        | 0x30A1..=0x30FA    // katakana
        | 0x30FC             // ー
        | 0x4E00..=0x9FFF) // CJK unified ideographs
}

struct Folder {
    out: String,
    pending_space: bool,
}

impl Folder {
    /// Text with no whitespace in it.
    fn push_str(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        if self.pending_space {
            self.out.push(' ');
            self.pending_space = false;
        }
        self.out.push_str(text);
    }

    fn space(&mut self) {
        self.pending_space = !self.out.is_empty();
    }

    fn push(&mut self, c: char) {
        if c == BOM {
            return;
        }
        if c.is_whitespace() {
            self.pending_space = !self.out.is_empty();
            return;
        }
        if self.pending_space {
            self.out.push(' ');
            self.pending_space = false;
        }
        self.out.push(c);
    }
}

/// Key of a single token: NFKC, any whitespace token becomes one space.
pub fn token_key(token: &str) -> String {
    if token.chars().all(char::is_whitespace) {
        return " ".to_string();
    }
    token.nfkc().filter(|&c| c != BOM).collect()
}

/// Kanji numeral digits and multipliers used in article numbers.
fn kanji_digit(c: char) -> Option<u64> {
    Some(match c {
        '〇' | '零' => 0,
        '一' => 1,
        '二' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn kanji_unit(c: char) -> Option<u64> {
    Some(match c {
        '十' => 10,
        '百' => 100,
        '千' => 1000,
        _ => return None,
    })
}

pub fn is_kanji_numeral(c: char) -> bool {
    kanji_digit(c).is_some() || kanji_unit(c).is_some()
}

/// The value of a kanji numeral such as 十二, 百三, 二千十五 or 一〇五; `None` if not one.
pub fn parse_kanji_number(s: &str) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    let mut total = 0u64;
    let mut current: Option<u64> = None;
    let mut positional = 0u64;
    let has_unit = s.chars().any(|c| kanji_unit(c).is_some());
    for c in s.chars() {
        if let Some(d) = kanji_digit(c) {
            if has_unit {
                if current.is_some() {
                    return None;
                }
                current = Some(d);
            } else {
                positional = positional.checked_mul(10)?.checked_add(d)?;
            }
        } else if let Some(u) = kanji_unit(c) {
            total = total.checked_add(current.unwrap_or(1).checked_mul(u)?)?;
            current = None;
        } else {
            return None;
        }
    }
    Some(if has_unit {
        total + current.unwrap_or(0)
    } else {
        positional
    })
}

/// A clause number in canonical form, for telling whether a clause was renumbered:
/// NFKC, kanji numerals as ASCII digits, spaces and a trailing full stop dropped.
pub fn canonical_number(number: &str) -> String {
    // `key` is NFKC by a fast path (most numbers are ASCII or already NFKC).
    let nfkc: String = key(number).replace(' ', "");
    let mut out = String::with_capacity(nfkc.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if !run.is_empty() {
            match parse_kanji_number(run) {
                Some(n) => out.push_str(&n.to_string()),
                None => out.push_str(run),
            }
            run.clear();
        }
    };
    for c in nfkc.chars() {
        if is_kanji_numeral(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    let trimmed = out.trim_end_matches('.');
    trimmed.to_string()
}

/// Hiragana, katakana, CJK ideographs and their punctuation: text with no spaces between words.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x30FF      // CJK punctuation, hiragana, katakana
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xF900..=0xFAFF    // compatibility ideographs
        | 0xFF01..=0xFF60    // full-width forms
        | 0xFF61..=0xFF9F    // half-width katakana
        | 0x20000..=0x2FA1F) // supplementary ideographs
}

/// How many characters of each text `mostly_japanese` looks at: the language of a contract
/// shows in its first pages, and reading all of a large one costs a tenth of the diff.
const LANGUAGE_SAMPLE_CHARS: usize = 32 * 1024;

/// True when the two texts are mostly Japanese (CJK characters outweigh half the Latin
/// letters), judged on the first `LANGUAGE_SAMPLE_CHARS` characters of each.
pub fn mostly_japanese(texts: &[&str]) -> bool {
    let (mut cjk, mut latin) = (0usize, 0usize);
    for t in texts {
        for c in t.chars().take(LANGUAGE_SAMPLE_CHARS) {
            if is_cjk(c) {
                cjk += 1;
            } else if c.is_alphabetic() {
                latin += 1;
            }
        }
    }
    cjk > 0 && cjk * 2 >= latin
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fullwidth_ascii_is_what_nfkc_gives() {
        for u in 0xFF01..=0xFF5E {
            let c = char::from_u32(u).unwrap();
            let nfkc: String = c.to_string().nfkc().collect();
            assert_eq!(
                fullwidth_ascii(c).map(String::from),
                Some(nfkc),
                "U+{u:04X}"
            );
        }
        assert_eq!(key("（目的）第２条"), "(目的)第2条");
        assert_eq!(key("Ａ\u{0301}"), "Á");
    }

    #[test]
    fn key_folds_width_and_whitespace() {
        assert_eq!(key("ＩＳＯ／ＩＥＣ　２７００１"), "ISO/IEC 27001");
        assert_eq!(key("\u{feff}  a \r\n\t b  "), "a b");
    }

    #[test]
    fn key_matches_full_nfkc() {
        for text in [
            "か\u{3099}ｶﾞ e\u{301} Å ＡＢＣ（１）①㍻ ﬁ 第１２条　個人情報",
            "\u{301}leading mark",
            "Ａ\u{301} ＡＢ\u{feff}C\u{3000}\u{3000}x\ty\r\n",
            "\u{feff}\u{feff}",
            "ASCII only",
            "",
        ] {
            let full: String = text.nfkc().collect();
            assert_eq!(key(text), key_of_normalised(&full), "{text:?}");
        }
    }

    fn key_of_normalised(text: &str) -> String {
        text.replace(BOM, "")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn kanji_numbers() {
        assert_eq!(parse_kanji_number("十二"), Some(12));
        assert_eq!(parse_kanji_number("二十"), Some(20));
        assert_eq!(parse_kanji_number("百三"), Some(103));
        assert_eq!(parse_kanji_number("一〇五"), Some(105));
        assert_eq!(parse_kanji_number("三"), Some(3));
        assert_eq!(parse_kanji_number("二千十五"), Some(2015));
        assert_eq!(parse_kanji_number("x"), None);
    }

    #[test]
    fn canonical_numbers_agree_across_scripts() {
        assert_eq!(canonical_number("第十二条"), canonical_number("第12条"));
        assert_eq!(canonical_number("第１２条"), canonical_number("第12条"));
        assert_eq!(canonical_number("第三条の二"), "第3条の2");
        assert_eq!(canonical_number("1."), "1");
        assert_ne!(canonical_number("第3条"), canonical_number("第4条"));
    }

    #[test]
    fn language_guess() {
        assert!(mostly_japanese(&[
            "第1条（目的）本契約は、ISO 27001に基づく。"
        ]));
        assert!(!mostly_japanese(&["1. **Introduction**. This agreement"]));
    }
}
