//! Tokens for a redline: words by dictionary segmentation (ICU4X), whitespace runs merged.
//!
//! ICU4X's word segmenter finds word boundaries in Japanese (個人|情報|を|暗号|化) as well as
//! in space-separated text, where punctuation becomes its own token (`Party` `,`), so a
//! punctuation-only edit redlines as just that character.

use icu_segmenter::WordSegmenter;
use icu_segmenter::options::WordBreakInvariantOptions;

/// Split `text` into tokens whose concatenation is `text`.
pub fn tokens(text: &str) -> Vec<&str> {
    let segmenter = WordSegmenter::new_auto(WordBreakInvariantOptions::default());
    let mut out: Vec<&str> = Vec::new();
    let mut last = 0;
    for brk in segmenter.segment_str(text) {
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
    fn punctuation_is_its_own_token() {
        assert_eq!(tokens("Party, or"), vec!["Party", ",", " ", "or"]);
        assert_eq!(tokens("a \n\n b"), vec!["a", " \n\n ", "b"]);
    }
}
