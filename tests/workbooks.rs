//! Hostile and unlucky workbooks returned by a vendor: each is refused with the file, the
//! cell and the reason, exit 2, before anything is written or any large allocation is made.

use std::io::{Read, Write};
use std::path::Path;

use assert_cmd::Command;
use tempfile::TempDir;

const EXAMPLE: &str = "examples/r8-0421.yaml";
/// The example's questionnaire: 80 questions under the header row, columns A to G.
const RANGE: &str = "A1:G82";

fn chotatsu() -> Command {
    let mut cmd = Command::cargo_bin("chotatsu").expect("binary");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// The example's Japanese questionnaire workbook, as chotatsu writes it.
fn questionnaire() -> Vec<u8> {
    let out = TempDir::new().expect("dir");
    chotatsu()
        .args([
            "questionnaire",
            EXAMPLE,
            "--format",
            "xlsx",
            "--lang",
            "ja",
            "--out",
        ])
        .arg(out.path())
        .assert()
        .success();
    std::fs::read(out.path().join("R8-0421/questionnaire.ja.xlsx")).expect("xlsx")
}

/// The workbook with one part's text changed by `edit`.
fn patched(xlsx: &[u8], part: &str, edit: impl Fn(String) -> String) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).expect("zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("entry");
        let name = entry.name().expect("name").to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("read");
        if name == part {
            bytes = edit(String::from_utf8(bytes).expect("xml")).into_bytes();
        }
        out.start_file(name, options).expect("start");
        out.write_all(&bytes).expect("write");
    }
    out.finish().expect("finish").into_inner()
}

const SHEET: &str = "xl/worksheets/sheet2.xml";

/// The questions sheet with the cell `cell` (an empty answer cell) replaced by `xml`.
fn with_cell(xlsx: &[u8], cell: &str, xml: &str) -> Vec<u8> {
    patched(xlsx, SHEET, |s| {
        let start = s
            .find(&format!("<c r=\"{cell}\""))
            .unwrap_or_else(|| panic!("{cell} in the sheet"));
        let end = start + s[start..].find("/>").expect("empty cell") + 2;
        format!("{}{xml}{}", &s[..start], &s[end..])
    })
}

/// Evaluate `bytes` as the vendor's workbook: the error message (exit 2, nothing written).
fn refused(bytes: &[u8]) -> String {
    let dir = TempDir::new().expect("dir");
    let file = dir.path().join("vendor.xlsx");
    std::fs::write(&file, bytes).expect("write");
    let out = dir.path().join("out");
    let output = chotatsu()
        .args(["evaluate", EXAMPLE])
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .expect("run");
    assert_eq!(
        output.status.code(),
        Some(2),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!Path::new(&out).exists(), "nothing written");
    String::from_utf8(output.stderr)
        .expect("utf-8")
        .trim_end()
        .replace(&file.display().to_string(), "vendor.xlsx")
}

#[test]
fn a_date_cell_with_full_width_digits_is_refused_not_a_panic() {
    let xlsx = with_cell(
        &questionnaire(),
        "D3",
        r#"<c r="D3" t="d"><v>２０２６-０４-０１</v></c>"#,
    );
    assert_eq!(
        refused(&xlsx),
        "error: vendor.xlsx:3:4: 質問!D3: the date cell holds `２０２６-０４-０１`, not a date written as YYYY-MM-DD"
    );
}

#[test]
fn a_date_serial_that_is_not_a_date_is_refused() {
    let base = questionnaire();
    for (value, shown) in [
        ("INF", "inf"),
        ("NaN", "NaN"),
        ("2958466", "2958466"),
        ("-1", "-1"),
    ] {
        let xlsx = with_cell(
            &base,
            "D3",
            &format!(r#"<c r="D3" s="7"><v>{value}</v></c>"#),
        );
        assert_eq!(
            refused(&xlsx),
            format!(
                "error: vendor.xlsx:3:4: 質問!D3: the date serial {shown} is not a date (Excel's dates run from 1900-01-01 to 9999-12-31)"
            ),
            "{value}"
        );
    }
}

#[test]
fn a_cell_far_outside_the_questionnaire_is_refused_without_allocating_its_range() {
    let xlsx = patched(&questionnaire(), SHEET, |s| {
        s.replace(
            "</sheetData>",
            r#"<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>"#,
        )
    });
    assert_eq!(
        refused(&xlsx),
        format!(
            "error: vendor.xlsx:1048576:16384: 質問!XFD1048576: this cell is outside the questionnaire ({RANGE}); answers are read only from the questionnaire's rows and columns"
        )
    );
    // A note typed in the column beside the comments is outside too.
    let xlsx = with_cell(
        &questionnaire(),
        "G3",
        r#"<c r="G3"/><c r="H3" t="inlineStr"><is><t>see attached</t></is></c>"#,
    );
    assert!(refused(&xlsx).starts_with("error: vendor.xlsx:3:8: 質問!H3: this cell is outside"));
}

#[test]
fn a_formula_in_an_answer_cell_is_refused_whatever_it_cached() {
    // Excel shows "No" (the formula's result); the cached value says "Yes".
    let xlsx = with_cell(
        &questionnaire(),
        "D3",
        r#"<c r="D3" t="str"><f>"No"</f><v>Yes</v></c>"#,
    );
    assert_eq!(
        refused(&xlsx),
        "error: vendor.xlsx:3:4: 質問!D3: this cell holds a formula; chotatsu reads what was typed, not what a formula computes (Excel may show another value than the one saved): type the answer itself"
    );
}

#[test]
fn a_shared_strings_bomb_is_refused_by_the_budget() {
    // 2.5 million empty strings: 35 MB unpacked from a few hundred kilobytes.
    let xlsx = patched(&questionnaire(), "xl/sharedStrings.xml", |s| {
        let end = s.find("</sst>").expect("sst");
        format!("{}{}</sst>", &s[..end], "<si><t/></si>".repeat(2_500_000))
    });
    assert!(xlsx.len() < 1024 * 1024, "{} bytes", xlsx.len());
    assert_eq!(
        refused(&xlsx),
        "error: vendor.xlsx: the workbook part xl/sharedStrings.xml unpacks to more than 6291456 bytes, the budget for a questionnaire of 80 questions"
    );
}

/// The example's questionnaire as YAML, with `edit` applied: what a vendor returns.
fn yaml_response(edit: impl Fn(String) -> String) -> (TempDir, std::path::PathBuf) {
    let dir = TempDir::new().expect("dir");
    chotatsu()
        .args([
            "questionnaire",
            EXAMPLE,
            "--format",
            "yaml",
            "--lang",
            "ja",
            "--out",
        ])
        .arg(dir.path())
        .assert()
        .success();
    let file = dir.path().join("R8-0421/questionnaire.ja.yaml");
    let text = std::fs::read_to_string(&file).expect("yaml");
    std::fs::write(&file, edit(text)).expect("write");
    (dir, file)
}

#[test]
fn hidden_characters_in_a_vendors_answer_are_shown_and_flagged() {
    let (dir, file) = yaml_response(|t| {
        t.replacen(
            "  Q-DESIGN-01:\n    answer: \"\"\n    evidence: \"\"\n    comment: \"\"",
            "  Q-DESIGN-01:\n    answer: \"はい\"\n    evidence: \"設計レビュー記録\"\n    comment: \"対策済み\\u202E（未実施）\"",
            1,
        )
    });
    let out = dir.path().join("out");
    chotatsu()
        .args(["evaluate", EXAMPLE])
        .arg(&file)
        .args(["--format", "md", "--lang", "ja", "--out"])
        .arg(&out)
        .assert()
        .success();
    let report = std::fs::read_to_string(out.join("R8-0421/evaluation.ja.md")).expect("md");
    assert!(!report.contains('\u{202E}'));
    let row = report
        .lines()
        .find(|l| l.starts_with("| Q-DESIGN-01 | はい | "))
        .unwrap_or_else(|| panic!("Q-DESIGN-01 among the answers to review:\n{report}"));
    assert_eq!(
        row,
        "| Q-DESIGN-01 | はい | 備考に見えない文字 U+202E が含まれていた（⟨U+202E⟩と表示）。原本を確認すること。 | 設計レビュー記録 | 対策済み⟨U+202E⟩（未実施） |"
    );
}

#[test]
fn nothing_raw_reaches_the_terminal() {
    // An error message quoting a vendor's text with an escape sequence that would hide the
    // rest of the line.
    let (_dir, file) = yaml_response(|t| {
        t.replacen(
            "procurement: \"R8-0421\"",
            "procurement: \"R8-0421\\e[8m\"",
            1,
        )
    });
    let output = chotatsu()
        .args(["evaluate", EXAMPLE])
        .arg(&file)
        .args(["--out", "/nonexistent/never"])
        .output()
        .expect("run");
    let stderr = String::from_utf8(output.stderr).expect("utf-8");
    assert_eq!(output.status.code(), Some(2));
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
    assert!(
        stderr.contains("this file answers procurement `R8-0421⟨U+001B⟩[8m`, not `R8-0421`"),
        "{stderr}"
    );
}
