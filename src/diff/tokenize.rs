//! Tokens for a redline: words by dictionary segmentation (ICU4X), whitespace runs merged.
//!
//! ICU4X's word segmenter finds word boundaries in Japanese (個人|情報|を|暗号|化) as well as
//! in space-separated text, where punctuation becomes its own token (`Party` `,`), so a
//! punctuation-only edit redlines as just that character. A number with its counter
//! (第十号, 三十日, ２年, 第3条の2) is one token, so 第十号 → 第十一号 reads as that and not as
//! 第十[-号-]{+一号+}.

use icu_segmenter::WordSegmenter;
use icu_segmenter::options::WordBreakInvariantOptions;

use super::normalize::is_kanji_numeral;

/// Counters that make one token with the number before them.
const COUNTERS: &[char] = &[
    '号', '条', '項', '年', '月', '日', '章', '節', '款', '編', '目', '回', '週', '人', '円',
];

/// Byte ranges of numbers with their counter: `第`? numerals (`の` numerals)* counter.
fn counted_numbers(text: &str) -> Vec<(usize, usize)> {
    let is_numeral =
        |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c) || is_kanji_numeral(c);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let start = chars[i].0;
        let mut j = i + usize::from(chars[i].1 == '第');
        let digits_from = j;
        while j < chars.len() && is_numeral(chars[j].1) {
            j += 1;
        }
        if j == digits_from {
            i += 1;
            continue;
        }
        if j < chars.len() && COUNTERS.contains(&chars[j].1) {
            j += 1;
            // Branches: 第3条の2.
            while j + 1 < chars.len() && chars[j].1 == 'の' && is_numeral(chars[j + 1].1) {
                j += 1;
                while j < chars.len() && is_numeral(chars[j].1) {
                    j += 1;
                }
            }
            let end = chars.get(j).map_or(text.len(), |(at, _)| *at);
            out.push((start, end));
            i = j;
        } else {
            i = j.max(i + 1);
        }
    }
    out
}

/// For a number with its counter (`第十号`, `三十日`, `第3条の2`): the kind of number it is,
/// `第` and the counter (`第号`, `日`, `第条`), so that 第十号 and 第十一号 line up as one
/// replaced number; `None` for any other token.
pub fn number_kind(token: &str) -> Option<String> {
    match counted_numbers(token).as_slice() {
        [(0, end)] if *end == token.len() => {
            let counter = token.chars().find(|c| COUNTERS.contains(c))?;
            let dai = if token.starts_with('第') { "第" } else { "" };
            Some(format!("{dai}{counter}"))
        }
        _ => None,
    }
}

/// Split `text` into tokens whose concatenation is `text`.
pub fn tokens(text: &str) -> Vec<&str> {
    let segmenter = WordSegmenter::new_auto(WordBreakInvariantOptions::default());
    let spans = counted_numbers(text);
    let mut span = spans.iter().peekable();
    let mut breaks: Vec<usize> = Vec::new();
    for brk in segmenter.segment_str(text) {
        // No break inside a number with its counter; one at each of its ends.
        while span.peek().is_some_and(|(_, end)| *end <= brk) {
            let (start, end) = span.next().copied().unwrap_or_default();
            breaks.push(start);
            breaks.push(end);
        }
        if span.peek().is_some_and(|(start, _)| *start < brk) {
            continue;
        }
        breaks.push(brk);
    }
    breaks.extend(span.flat_map(|(s, e)| [*s, *e]));
    breaks.sort_unstable();
    let mut out: Vec<&str> = Vec::new();
    let mut last = 0;
    for brk in breaks {
        if brk <= last {
            continue;
        }
        let piece = &text[last..brk];
        last = brk;
        // Whitespace runs (spaces, newlines) form one token so that reflowed text compares equal.
        if piece.chars().all(char::is_whitespace)
            && let Some(prev) = out.last_mut()
            && prev.chars().all(char::is_whitespace)
        {
            let start = text.len() - text[offset_of(text, prev)..].len();
            *prev = &text[start..brk];
            continue;
        }
        out.push(piece);
    }
    if last < text.len() {
        out.push(&text[last..]);
    }
    out
}

fn offset_of(outer: &str, inner: &str) -> usize {
    inner.as_ptr() as usize - outer.as_ptr() as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_words() {
        let t = tokens("個人情報を暗号化して保管する。");
        assert!(t.contains(&"情報"), "{t:?}");
        assert_eq!(t.concat(), "個人情報を暗号化して保管する。");
    }

    #[test]
    fn numbers_with_their_counter_are_one_token() {
        let t = tokens("第十号又は第十一号に掲げる日から三十日以内（第3条の2）");
        assert!(t.contains(&"第十号") && t.contains(&"第十一号"), "{t:?}");
        assert!(t.contains(&"三十日") && t.contains(&"第3条の2"), "{t:?}");
        assert_eq!(
            t.concat(),
            "第十号又は第十一号に掲げる日から三十日以内（第3条の2）"
        );
        assert_eq!(tokens("ISO 27001に"), vec!["ISO", " ", "27001", "に"]);
    }

    #[test]
    fn punctuation_is_its_own_token() {
        assert_eq!(tokens("Party, or"), vec!["Party", ",", " ", "or"]);
        assert_eq!(tokens("a \n\n b"), vec!["a", " \n\n ", "b"]);
    }
}
