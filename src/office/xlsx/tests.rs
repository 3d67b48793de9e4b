use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx};

use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

/// A workbook with a cover and a protected table, as the questionnaire has them.
fn sample() -> Workbook {
    let mut wb = Workbook::new("質問票 R8-0421", Some(date(2026, 4, 1)));
    let cover = wb.add_sheet("表紙").unwrap();
    cover.set_widths(&[22.0, 100.0]);
    cover.put(0, 0, "質問票", Style::Title).unwrap();
    cover.merge(1, 0, 1, "一行目\n二行目", Style::Text).unwrap();
    cover.set_height(1, 35.0);
    let table = wb.add_sheet("Questions & answers").unwrap();
    table.put(1, 0, "ID", Style::Header).unwrap();
    table.put(1, 1, "Budget", Style::Header).unwrap();
    table.put(2, 0, "ACCEPT-01", Style::Locked).unwrap();
    table.put_number(2, 1, 1_250_000.0, Style::Amount);
    table.put(2, 2, "", Style::Unlocked).unwrap();
    table
        .validate(
            2,
            2,
            Rule::List(vec!["Yes".into(), "No \"really\"".into()]),
            "Invalid",
            "Pick one <of the list>.",
        )
        .unwrap();
    table
        .validate(3, 2, Rule::AtLeast(0.0), "Invalid", "A number.")
        .unwrap();
    table
        .validate(
            4,
            2,
            Rule::DatesBetween(date(1990, 1, 1), date(2199, 12, 31)),
            "Invalid",
            "A date.",
        )
        .unwrap();
    table.freeze(2, 0);
    table.repeat_rows(0, 1);
    table.protect();
    wb.activate_last();
    wb
}

fn part(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut text = String::new();
    archive
        .by_name(name)
        .expect(name)
        .read_to_string(&mut text)
        .expect("utf-8");
    text
}

#[test]
fn cells_are_named_by_column_letters_and_row_numbers() {
    assert_eq!(cell_name(0, 0), "A1");
    assert_eq!(cell_name(9, 25), "Z10");
    assert_eq!(cell_name(0, 26), "AA1");
    assert_eq!(cell_name(0, 701), "ZZ1");
    assert_eq!(cell_name(1_048_575, 16_383), "XFD1048576");
}

#[test]
fn every_style_has_its_own_cell_format_in_order() {
    for (i, style) in Style::ALL.iter().enumerate() {
        assert_eq!(style.index(), i, "{style:?}");
    }
    let count = format!("<cellXfs count=\"{}\">", Style::ALL.len());
    assert!(STYLES.contains(&count), "{}", *STYLES);
    assert_eq!(STYLES.matches("<xf ").count(), Style::ALL.len() + 1);
}

#[test]
fn a_workbook_reads_back_with_its_sheets_cells_and_numbers() {
    let bytes = sample().to_bytes();
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).expect("calamine opens it");
    assert_eq!(wb.sheet_names(), ["表紙", "Questions & answers"]);
    let cover = wb.worksheet_range("表紙").expect("cover");
    assert_eq!(
        cover.get_value((0, 0)),
        Some(&Data::String("質問票".into()))
    );
    assert_eq!(
        cover.get_value((1, 0)),
        Some(&Data::String("一行目\n二行目".into()))
    );
    let table = wb.worksheet_range("Questions & answers").expect("table");
    assert_eq!(
        table.get_value((2, 0)),
        Some(&Data::String("ACCEPT-01".into()))
    );
    assert_eq!(table.get_value((2, 1)), Some(&Data::Float(1_250_000.0)));
    // The same workbook twice is the same bytes.
    assert!(bytes == sample().to_bytes());
}

#[test]
fn sheets_are_protected_frozen_validated_and_set_up_for_printing() {
    let bytes = sample().to_bytes();
    let sheet = part(&bytes, "xl/worksheets/sheet2.xml");
    for want in [
        "<dimension ref=\"A1:C3\"/>",
        "<sheetView tabSelected=\"1\" workbookViewId=\"0\"><pane ySplit=\"2\" topLeftCell=\"A3\" activePane=\"bottomLeft\" state=\"frozen\"/><selection pane=\"bottomLeft\"/></sheetView>",
        "<c r=\"B3\" s=\"8\"><v>1250000</v></c><c r=\"C3\" s=\"5\"/>",
        "<sheetProtection sheet=\"1\" objects=\"1\" scenarios=\"1\"/>",
        "<dataValidation type=\"list\" allowBlank=\"1\" showInputMessage=\"1\" showErrorMessage=\"1\" errorTitle=\"Invalid\" error=\"Pick one &lt;of the list&gt;.\" sqref=\"C3\"><formula1>\"Yes,No &quot;&quot;really&quot;&quot;\"</formula1></dataValidation>",
        "<dataValidation type=\"decimal\" operator=\"greaterThanOrEqual\" allowBlank=\"1\" showInputMessage=\"1\" showErrorMessage=\"1\" errorTitle=\"Invalid\" error=\"A number.\" sqref=\"C4\"><formula1>0</formula1></dataValidation>",
        "sqref=\"C5\"><formula1>32874</formula1><formula2>109574</formula2></dataValidation>",
        "<pageSetup paperSize=\"9\" fitToHeight=\"0\" orientation=\"landscape\"/>",
        "<pageSetUpPr fitToPage=\"1\"/>",
    ] {
        assert!(sheet.contains(want), "{want}\n{sheet}");
    }
    let cover = part(&bytes, "xl/worksheets/sheet1.xml");
    for want in [
        "<sheetView workbookViewId=\"0\"/>",
        "<col min=\"1\" max=\"1\" width=\"22.625\" customWidth=\"1\"/>",
        "<row r=\"2\" ht=\"35\" customHeight=\"1\"><c r=\"A2\" s=\"2\" t=\"s\"><v>1</v></c><c r=\"B2\" s=\"2\"/></row>",
        "<mergeCells count=\"1\"><mergeCell ref=\"A2:B2\"/></mergeCells>",
    ] {
        assert!(cover.contains(want), "{want}\n{cover}");
    }
    assert!(!cover.contains("sheetProtection"));
    let workbook = part(&bytes, "xl/workbook.xml");
    for want in [
        "activeTab=\"1\"",
        "<definedName name=\"_xlnm.Print_Area\" localSheetId=\"0\">'表紙'!$A$1:$B$2</definedName>",
        "<definedName name=\"_xlnm.Print_Area\" localSheetId=\"1\">'Questions &amp; answers'!$A$1:$C$3</definedName>",
        "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"1\">'Questions &amp; answers'!$1:$2</definedName>",
    ] {
        assert!(workbook.contains(want), "{want}\n{workbook}");
    }
    let core = part(&bytes, "docProps/core.xml");
    assert!(core.contains("<dc:title>質問票 R8-0421</dc:title>"));
    assert!(core.contains("<dcterms:created xsi:type=\"dcterms:W3CDTF\">2026-04-01T00:00:00Z"));
    // Without a date, none is made up.
    let undated = Workbook::new("索引", None).to_bytes();
    assert!(!part(&undated, "docProps/core.xml").contains("dcterms:created"));
}

#[test]
fn text_that_excel_would_read_as_a_character_code_stays_as_written() {
    let mut wb = Workbook::new("t", None);
    let ws = wb.add_sheet("s").unwrap();
    for (row, text) in ["_x0041_", "a_x00e9_b _x12_", " padded ", "a\u{1}b\r\nc"]
        .iter()
        .enumerate()
    {
        ws.put(row as u32, 0, text, Style::Plain).unwrap();
    }
    let bytes = wb.to_bytes();
    let strings = part(&bytes, "xl/sharedStrings.xml");
    assert!(strings.contains("<t>_x005F_x0041_</t>"), "{strings}");
    assert!(
        strings.contains("<t>a_x005F_x00e9_b _x12_</t>"),
        "{strings}"
    );
    assert!(strings.contains("<t xml:space=\"preserve\"> padded </t>"));
    let mut read: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("calamine opens it");
    let range = read.worksheet_range("s").expect("sheet");
    let texts: Vec<String> = (0..4)
        .map(|r| {
            range
                .get_value((r, 0))
                .map(ToString::to_string)
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(texts, ["_x0041_", "a_x00e9_b _x12_", " padded ", "ab\nc"]);
}

#[test]
fn what_excel_would_refuse_is_refused_with_the_cell() {
    let mut wb = Workbook::new("t", None);
    for bad in ["", "Sheet[1]", "a/b", "'quoted'", &"長".repeat(32)] {
        assert_eq!(
            wb.add_sheet(bad).err(),
            Some(XlsxError::SheetName(bad.to_string())),
            "{bad}"
        );
    }
    wb.add_sheet("質問").unwrap();
    assert!(wb.add_sheet("質問").is_err(), "a name used twice");
    let ws = wb.add_sheet("s").unwrap();
    let err = ws
        .validate(2, 3, Rule::List(vec!["A, B".into()]), "t", "m")
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the choice `A, B` in the dropdown of cell D3 of sheet `s` holds a comma, which would split it in two"
    );
    let long = vec!["選択肢".repeat(20); 5];
    let err = ws.validate(0, 0, Rule::List(long), "t", "m").unwrap_err();
    assert_eq!(
        err.to_string(),
        "the dropdown of cell A1 of sheet `s` lists 304 characters; Excel takes at most 255"
    );
    let err = ws
        .validate(0, 0, Rule::AtLeast(0.0), &"題".repeat(33), "m")
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("longer than Excel takes (32 characters)")
    );
    let err = ws.put(0, 0, &"a".repeat(32_768), Style::Plain).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cell A1 of sheet `s` holds 32768 characters; a cell holds at most 32767"
    );
}

#[test]
fn row_heights_fit_wrapped_text() {
    let widths = [10.0, 21.0];
    let one = fitted_row_height(&["ID", "short"], &widths);
    assert_eq!(one, (LINE_PT + ROW_PADDING_PT).ceil());
    // 21 characters are 173 px; less padding about 11 full-width characters a line.
    let kanji = fitted_row_height(&["ID", &"漢".repeat(25)], &widths);
    assert_eq!(kanji, (3.0 * LINE_PT + ROW_PADDING_PT).ceil());
    assert_eq!(
        fitted_row_height(&["a\nb\nc", ""], &widths),
        (3.0 * LINE_PT + ROW_PADDING_PT).ceil()
    );
    // An ID never breaks: a column too narrow for it gives it a line of its own.
    assert_eq!(fitted_row_height(&["ACCEPT-SUPPLY-01"], &[8.0]), one);
}
