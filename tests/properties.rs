//! Properties that must hold for every input, not just the examples: rendering is
//! deterministic, user strings stay text in every format, and escaping is lossless.

use chotatsu::annex;
use chotatsu::facts::Stage;
use chotatsu::lang::Lang;
use chotatsu::library::Library;
use chotatsu::office::xlsx::{Style, Workbook};
use chotatsu::profile::Profile;
use chotatsu::render::{Templates, markdown};
use chotatsu::selection::select;
use proptest::prelude::*;

fn level() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just("low"), Just("moderate"), Just("high")]
}

/// Any single-line text, biased towards characters that mean something to Markdown, HTML,
/// YAML or spreadsheets.
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("<script>".to_string()),
            Just("</p>".to_string()),
            Just("&amp;".to_string()),
            Just("| ".to_string()),
            Just("**".to_string()),
            Just("[x](y)".to_string()),
            Just("# ".to_string()),
            Just("1. ".to_string()),
            Just("=HYPERLINK(\"http://x\")".to_string()),
            Just("〇〇市".to_string()),
            Just("\\".to_string()),
            Just("`".to_string()),
            "[a-zA-Z0-9 ぁ-んァ-ン一-龯]{1,8}",
        ],
        1..6,
    )
    .prop_map(|parts| parts.concat())
    .prop_filter("not blank", |s| !s.trim().is_empty())
}

fn yaml_quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

prop_compose! {
    fn profile()(
        title in text(), buyer in text(), vendor in proptest::option::of(text()),
        c in level(), i in level(), a in level(),
        ci in any::<bool>(), inet in any::<bool>(), pd in any::<bool>(),
        fix in 1i64..=180,
    ) -> String {
        let vendor = vendor.map(|v| format!("  vendor: {}\n", yaml_quote(&v))).unwrap_or_default();
        format!(
            "procurement:\n  id: P-1\n  title: {}\n  buyer: {}\n{vendor}  issued: 2026-04-01\n  contract: {{ type: development, start: 2026-07-01, end: 2027-03-31 }}\nsystem:\n  impact: {{ confidentiality: {c}, integrity: {i}, availability: {a} }}\n  critical_infrastructure: {ci}\n  internet_facing: {inet}\n  personal_data: {pd}\nparameters:\n  critical_fix_days: {fix}\n",
            yaml_quote(&title),
            yaml_quote(&buyer),
        )
    }
}

/// Any text a cell may be given, biased towards what means something to XML or to Excel:
/// markup, quotes, character codes (`_x0041_`), control characters, breaks, and spaces at
/// either end.
fn cell_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("<t>".to_string()),
            Just("&amp;".to_string()),
            Just("\"'".to_string()),
            Just("_x0041_".to_string()),
            Just("_x00".to_string()),
            Just("_".to_string()),
            Just("\r\n".to_string()),
            Just("\n".to_string()),
            Just("\t".to_string()),
            Just(" ".to_string()),
            Just("\u{1}\u{1f}\u{fffe}".to_string()),
            Just("=1+1".to_string()),
            "[a-zA-Z0-9 ぁ-んァ-ン一-龯]{1,8}",
            any::<char>().prop_map(String::from),
        ],
        1..8,
    )
    .prop_map(|parts| parts.concat())
}

/// What a cell shows of `text`: XML 1.0 cannot hold C0 control characters (but tab and line
/// feed) or U+FFFE and U+FFFF, and a carriage return before a line feed is not kept.
fn as_shown(text: &str) -> String {
    text.chars()
        .filter(|&c| (c >= ' ' || c == '\t' || c == '\n') && !matches!(c, '\u{fffe}' | '\u{ffff}'))
        .collect()
}

fn parse_html(html: &str) -> roxmltree::Document<'_> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(html, options).expect("well-formed page")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn rendering_is_deterministic_and_user_text_never_becomes_markup(yaml in profile()) {
        let library = Library::load(None).unwrap();
        let templates = Templates::bundled().unwrap();
        let profile = Profile::parse("p.yaml", &yaml).unwrap();
        let selection = select(&library, &profile).unwrap();
        for (lang, stage) in [Lang::Ja, Lang::En].into_iter().flat_map(|l| Stage::ALL.map(|s| (l, s))) {
            let first = annex::render(&selection, stage, lang, &templates, |_| true).unwrap();
            let second = annex::render(&selection, stage, lang, &templates, |_| true).unwrap();
            prop_assert_eq!(&first, &second);
            let doc = parse_html(first.html.as_deref().expect("rendered"));
            for tag in ["script", "a", "img"] {
                prop_assert!(doc.descendants().all(|n| !n.has_tag_name(tag)), "<{}>", tag);
            }
            // The only bold text is what the template sets: in the RFP, the tier and the total
            // row of the cost form; the contract annex has none.
            let bold = doc.descendants().filter(|n| n.has_tag_name("strong")).count();
            prop_assert_eq!(bold, if stage == Stage::Rfp { 2 } else { 0 });
            let cells: Vec<String> = doc
                .descendants()
                .filter(|n| n.has_tag_name("td"))
                .map(|n| n.descendants().filter(|t| t.is_text()).filter_map(|t| t.text()).collect())
                .collect();
            let title = &profile.procurement.title;
            prop_assert!(cells.iter().any(|c| c == title), "title cell {:?} in {:?}", title, cells);
        }
    }

    #[test]
    fn escaped_text_renders_as_itself(s in text()) {
        let html = markdown::to_html(&format!("x {}", markdown::escape(&s)));
        let doc = parse_html(&html);
        let rendered: String = doc
            .descendants()
            .filter(|n| n.is_text())
            .filter_map(|n| n.text())
            .collect();
        prop_assert_eq!(rendered.trim_end(), format!("x {}", s.trim_end()));
    }

    #[test]
    fn a_cell_reads_back_as_written(texts in prop::collection::vec(cell_text(), 1..6)) {
        let mut wb = Workbook::new("t", None);
        let ws = wb.add_sheet("s").unwrap();
        for (row, text) in texts.iter().enumerate() {
            ws.put(row as u32, 0, text, Style::Text).unwrap();
            ws.put_number(row as u32, 1, row as f64 + 0.5, Style::Amount);
        }
        let bytes = wb.to_bytes();
        prop_assert!(bytes == wb.to_bytes(), "the same bytes again");
        let mut read: calamine::Xlsx<_> =
            calamine::Reader::new(std::io::Cursor::new(bytes)).unwrap();
        let range = calamine::Reader::worksheet_range(&mut read, "s").unwrap();
        for (row, text) in texts.iter().enumerate() {
            let shown = range
                .get_value((row as u32, 0))
                .map(ToString::to_string)
                .unwrap_or_default();
            prop_assert_eq!(shown, as_shown(text));
            prop_assert_eq!(
                range.get_value((row as u32, 1)),
                Some(&calamine::Data::Float(row as f64 + 0.5))
            );
        }
    }
}
