//! The legal form of an article's body. Clause bodies are written as Markdown: numbered
//! paragraphs (`1. …`, `2. …`) and items under them (`    - …`). A Japanese contract writes
//! the first paragraph (項) without a number, the following ones as ２, ３ and the items (号)
//! as （１）, （２）; English keeps the Markdown as written.

use crate::lang::{Lang, item_number, paragraph_number};

/// The body in the legal form of `lang`.
pub fn legal_form(body: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return body.to_string();
    }
    let mut paragraphs: Vec<(String, Vec<String>)> = Vec::new();
    let mut after_blank = true;
    for line in body.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            after_blank = true;
            continue;
        }
        let indented = line.starts_with(' ') || line.starts_with('\t');
        if let Some(item) = trimmed
            .strip_prefix("- ")
            .or_else(|| trimmed.strip_prefix("* "))
        {
            match paragraphs.last_mut() {
                Some((_, items)) => items.push(item.trim().to_string()),
                None => paragraphs.push((String::new(), vec![item.trim().to_string()])),
            }
        } else if let Some(text) = numbered(trimmed).filter(|_| !indented) {
            paragraphs.push((text.to_string(), Vec::new()));
        } else if after_blank || paragraphs.is_empty() {
            paragraphs.push((trimmed.to_string(), Vec::new()));
        } else if let Some((text, items)) = paragraphs.last_mut() {
            match items.last_mut() {
                Some(item) => item.push_str(trimmed),
                None => text.push_str(trimmed),
            }
        }
        after_blank = false;
    }
    let mut out: Vec<String> = Vec::new();
    for (i, (text, items)) in paragraphs.iter().enumerate() {
        if i == 0 {
            out.push(text.clone());
        } else {
            out.push(format!("{}　{text}", paragraph_number(i + 1)));
        }
        for (j, item) in items.iter().enumerate() {
            out.push(format!("{}　{item}", item_number(j + 1)));
        }
    }
    out.retain(|p| !p.is_empty());
    out.join("\n\n")
}

/// The text of a `1. text` line.
fn numbered(line: &str) -> Option<&str> {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    line[digits..].strip_prefix(". ").map(str::trim)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_items_take_the_japanese_numbering() {
        let body = "1. 受注者は、次の事項を記載しなければならない。\n    - 保守\n    - 移行\n2. 発注者は、確認する。\n";
        assert_eq!(
            legal_form(body, Lang::Ja),
            "受注者は、次の事項を記載しなければならない。\n\n（１）　保守\n\n（２）　移行\n\n２　発注者は、確認する。"
        );
        assert_eq!(
            legal_form("受注者は、通知する。", Lang::Ja),
            "受注者は、通知する。"
        );
        assert_eq!(legal_form(body, Lang::En), body);
    }
}
