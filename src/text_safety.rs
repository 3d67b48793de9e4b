//! Text that lies: characters that change what a reader sees without being seen themselves.
//!
//! C0 and C1 control characters (ESC starts a terminal escape sequence that can hide or
//! rewrite what follows; BEL, backspace and a lone carriage return overwrite), bidirectional
//! controls (U+202E turns the text after it around: the "Trojan Source" trick) and
//! zero-width characters (two IDs that look the same and are not). Tab and line feed are
//! ordinary text, and so is a carriage return that ends a line (CR LF).
//!
//! The one place these are defined: profile validation refuses them ([`first_unsafe`]),
//! vendor answers and diff inputs show them visibly ([`visible`]), and everything chotatsu
//! prints to a terminal goes through [`visible`].

use std::borrow::Cow;

/// A character that must not pass unseen, where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unsafe {
    pub ch: char,
    /// Byte offset in the string.
    pub offset: usize,
}

impl Unsafe {
    /// `U+202E`.
    pub fn code(&self) -> String {
        code(self.ch)
    }

    /// What kind of character it is, for messages: `a bidirectional control character`.
    pub fn kind(&self) -> &'static str {
        kind(self.ch).unwrap_or("a character")
    }
}

impl std::fmt::Display for Unsafe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.code(), self.kind())
    }
}

/// `U+202E` for `'\u{202E}'`.
pub fn code(ch: char) -> String {
    format!("U+{:04X}", u32::from(ch))
}

fn kind(ch: char) -> Option<&'static str> {
    match ch {
        '\t' | '\n' => None,
        '\u{0}'..='\u{1F}' | '\u{7F}' => Some("a control character"),
        '\u{80}'..='\u{9F}' => Some("a C1 control character"),
        '\u{61C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
            Some("a bidirectional control character")
        }
        '\u{200B}'..='\u{200D}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{180E}' => {
            Some("a zero-width character")
        }
        _ => None,
    }
}

/// Whether `ch` at byte `offset` of `s` is one of the characters this module is about (a CR
/// directly before an LF is a line ending, not a control).
fn is_unsafe_at(s: &str, offset: usize, ch: char) -> bool {
    kind(ch).is_some() && !(ch == '\r' && s.as_bytes().get(offset + 1) == Some(&b'\n'))
}

/// The first character of `s` that would lie to a reader, if any.
pub fn first_unsafe(s: &str) -> Option<Unsafe> {
    s.char_indices()
        .find(|&(offset, ch)| is_unsafe_at(s, offset, ch))
        .map(|(offset, ch)| Unsafe { ch, offset })
}

/// `s` with every such character replaced by its code in brackets, `⟨U+202E⟩`, so that it is
/// seen and does nothing. Borrowed when there is nothing to replace.
pub fn visible(s: &str) -> Cow<'_, str> {
    if first_unsafe(s).is_none() {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for (offset, ch) in s.char_indices() {
        if is_unsafe_at(s, offset, ch) {
            out.push('⟨');
            out.push_str(&code(ch));
            out.push('⟩');
        } else {
            out.push(ch);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_bidi_and_zero_width_are_found_and_shown() {
        assert_eq!(first_unsafe("普通の文\tです\r\n次の行"), None);
        let found = first_unsafe("title\u{1b}[8m").unwrap();
        assert_eq!((found.code(), found.offset), ("U+001B".to_string(), 5));
        assert_eq!(
            found.to_string(),
            "U+001B (a control character)".to_string()
        );
        assert_eq!(
            first_unsafe("abc\u{202E}fed").unwrap().to_string(),
            "U+202E (a bidirectional control character)"
        );
        assert_eq!(
            first_unsafe("ID\u{200B}").unwrap().kind(),
            "a zero-width character"
        );
        assert_eq!(first_unsafe("a\rb").unwrap().code(), "U+000D");
        assert_eq!(first_unsafe("\u{9B}31m").unwrap().code(), "U+009B");
        assert_eq!(
            visible("有\u{202E}効\u{2066}x\u{7}"),
            "有⟨U+202E⟩効⟨U+2066⟩x⟨U+0007⟩"
        );
        assert!(matches!(visible("plain\n"), Cow::Borrowed(_)));
    }
}
