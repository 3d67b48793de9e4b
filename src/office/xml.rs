//! Text for the XML of the Office files chotatsu writes.

/// What becomes of a tab or line break: a space (Word, where a break in a run would be
/// lost anyway and paragraphs are elements; and any attribute), or itself (a spreadsheet
/// cell's text, which keeps its lines). `Keep` is for an element's text only: quotes stay
/// as they are there, as Excel writes them.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Breaks {
    Space,
    Keep,
}

/// `s` appended to `out` for an XML element or attribute: escaped, and without the control
/// characters XML 1.0 forbids (a hostile input must not make Word or Excel refuse the file).
/// A carriage return is dropped where breaks are kept: the line feed after it is the break.
pub fn escape_into(out: &mut String, s: &str, breaks: Breaks) {
    // Runs of characters that need nothing are copied whole.
    let mut from = 0;
    for (at, c) in s.char_indices() {
        let instead = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' | '\'' | '\t' | '\n' if breaks == Breaks::Keep => continue,
            '"' => "&quot;",
            '\'' => "&apos;",
            '\r' if breaks == Breaks::Keep => "",
            '\t' | '\n' | '\r' => " ",
            c if (c as u32) < 0x20 || matches!(c, '\u{fffe}' | '\u{ffff}') => "",
            _ => continue,
        };
        out.push_str(&s[from..at]);
        out.push_str(instead);
        from = at + c.len_utf8();
    }
    out.push_str(&s[from..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(s: &str, breaks: Breaks) -> String {
        let mut out = String::new();
        escape_into(&mut out, s, breaks);
        out
    }

    #[test]
    fn markup_is_escaped_and_forbidden_characters_dropped() {
        let s = "a<b & \"c\" 'd'>\u{1}\u{ffff}e";
        assert_eq!(
            escaped(s, Breaks::Space),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;e"
        );
        assert_eq!(escaped(s, Breaks::Keep), "a&lt;b &amp; \"c\" 'd'&gt;e");
    }

    #[test]
    fn breaks_become_spaces_in_word_and_stay_in_a_cell() {
        assert_eq!(escaped("一\r\n二\t三", Breaks::Space), "一  二 三");
        assert_eq!(escaped("一\r\n二\t三", Breaks::Keep), "一\n二\t三");
    }
}
