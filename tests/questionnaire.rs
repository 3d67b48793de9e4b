//! The disclosure questionnaire and the evaluation of a vendor's answers, driven through the
//! binary: questions per tier, the workbook and CSV read back, answers filled in by program
//! in every response format, every problem a returned file can have, formula neutralising,
//! and byte-identical output.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use calamine::{Data, Reader, Xlsx, open_workbook};
use predicates::prelude::*;
use tempfile::TempDir;

#[path = "common/office.rs"]
mod office;

/// The R8-0421 example as a development contract: every tier-3 question is asked.
const EXAMPLE: &str = "tests/fixtures/questionnaire/r8-0421-development.yaml";
const FIXTURES: &str = "tests/fixtures/questionnaire";
const INJECTION: &str = r#"=HYPERLINK("http://x","y")"#;

fn chotatsu() -> Command {
    Command::cargo_bin("chotatsu").expect("binary built")
}

fn fixture(name: &str) -> String {
    format!("{FIXTURES}/{name}")
}

/// Run `questionnaire` and return the output directory.
fn questionnaire(profile: &str, extra: &[&str]) -> TempDir {
    let out = TempDir::new().expect("temp dir");
    chotatsu()
        .args(["questionnaire", profile, "--out"])
        .arg(out.path())
        .args(extra)
        .assert()
        .success();
    out
}

/// The records of a CSV file written by chotatsu (BOM checked and stripped).
fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).expect("csv written");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "CSV starts with a BOM");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&bytes[3..]);
    reader
        .records()
        .map(|r| r.expect("valid CSV").iter().map(str::to_string).collect())
        .collect()
}

/// The question IDs of a questionnaire CSV, in order.
fn csv_ids(path: &Path) -> Vec<String> {
    read_csv(path)
        .into_iter()
        .skip(2)
        .map(|r| r[0].clone())
        .collect()
}

fn only_dir(path: &Path) -> PathBuf {
    std::fs::read_dir(path)
        .expect("out dir")
        .flatten()
        .next()
        .expect("one procurement dir")
        .path()
}

const TIER1: &[&str] = &[
    "Q-DEFAULT-01",
    "Q-AUTH-01",
    "Q-AUTH-02",
    "Q-SCAN-01",
    "Q-LOG-01",
    "Q-COMP-01",
    "Q-SBOM-01",
    "Q-SBOM-02",
    "Q-SBOM-03",
    "Q-SBOM-04",
    "Q-SUB-01",
    "Q-SUB-02",
    "Q-INTEG-01",
    "Q-DEFAULT-02",
    "Q-ADV-01",
    "Q-PATCH-01",
    "Q-PATCH-02",
    "Q-SDF-01",
    "Q-SDF-02",
    "Q-CERT-01",
    "Q-BUILD-01",
    "Q-BUILD-02",
    "Q-PSIRT-01",
    "Q-PSIRT-02",
    "Q-INC-01",
    "Q-DISC-01",
    "Q-SUPPORT-01",
    "Q-SUPPORT-02",
];

/// Tier 2 with SBOM-01 tailored out: the SBOM questions verifying it are not asked.
const TIER2: &[&str] = &[
    "Q-DESIGN-01",
    "Q-DEFAULT-01",
    "Q-AUTH-01",
    "Q-AUTH-02",
    "Q-BUILD-03",
    "Q-SCAN-01",
    "Q-LOG-01",
    "Q-LOG-02",
    "Q-COMP-01",
    "Q-COMP-02",
    "Q-SUB-01",
    "Q-SUB-02",
    "Q-SUB-03",
    "Q-ATTEST-01",
    "Q-INTEG-01",
    "Q-DEFAULT-02",
    "Q-VEX-01",
    "Q-ADV-01",
    "Q-PATCH-01",
    "Q-PATCH-02",
    "Q-SDF-01",
    "Q-SDF-02",
    "Q-CERT-01",
    "Q-CERT-02",
    "Q-CERT-03",
    "Q-CERT-04",
    "Q-BUILD-01",
    "Q-BUILD-02",
    "Q-BUILD-04",
    "Q-PSIRT-01",
    "Q-PSIRT-03",
    "Q-PSIRT-02",
    "Q-INC-01",
    "Q-INC-02",
    "Q-DISC-01",
    "Q-SUPPORT-01",
    "Q-SUPPORT-02",
];

const TIER3: &[&str] = &[
    "Q-DESIGN-01",
    "Q-DEFAULT-01",
    "Q-AUTH-01",
    "Q-AUTH-02",
    "Q-BUILD-03",
    "Q-BUILD-05",
    "Q-SCAN-01",
    "Q-SCAN-02",
    "Q-LOG-01",
    "Q-LOG-02",
    "Q-COMP-01",
    "Q-COMP-02",
    "Q-SBOM-01",
    "Q-SBOM-02",
    "Q-SBOM-03",
    "Q-SBOM-04",
    "Q-SBOM-05",
    "Q-SUB-01",
    "Q-SUB-02",
    "Q-SUB-03",
    "Q-ATTEST-01",
    "Q-INTEG-01",
    "Q-DEFAULT-02",
    "Q-VEX-01",
    "Q-ADV-01",
    "Q-PATCH-01",
    "Q-PATCH-02",
    "Q-SDF-01",
    "Q-SDF-02",
    "Q-CERT-01",
    "Q-CERT-02",
    "Q-CERT-03",
    "Q-CERT-04",
    "Q-BUILD-01",
    "Q-BUILD-02",
    "Q-BUILD-04",
    "Q-PSIRT-01",
    "Q-PSIRT-03",
    "Q-PSIRT-02",
    "Q-INC-01",
    "Q-INC-02",
    "Q-DISC-01",
    "Q-SUPPORT-01",
    "Q-SUPPORT-02",
];

#[test]
fn the_question_set_follows_the_tier_and_the_tailoring() {
    for (profile, lang, pinned) in [
        (fixture("tier1.yaml"), "en", TIER1),
        (fixture("tier2.yaml"), "ja", TIER2),
        (fixture("tier3.yaml"), "ja", TIER3),
        (EXAMPLE.to_string(), "ja", TIER3),
    ] {
        let out = questionnaire(&profile, &["--format", "csv"]);
        let csv = only_dir(out.path()).join(format!("questionnaire.{lang}.csv"));
        let ids = csv_ids(&csv);
        assert_eq!(ids, pinned, "{profile}");
        // Acceptance of the annex is one pledge in the RFP, not a question per clause.
        assert!(!ids.iter().any(|id| id.starts_with("ACCEPT-")), "{profile}");
    }
}

#[test]
fn all_formats_are_written_and_named_by_language() {
    let out = questionnaire(EXAMPLE, &["--lang", "en"]);
    let dir = out.path().join("R8-0421");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "questionnaire.en.csv",
            "questionnaire.en.html",
            "questionnaire.en.json",
            "questionnaire.en.md",
            "questionnaire.en.xlsx",
            "questionnaire.en.yaml"
        ]
    );
    let md = std::fs::read_to_string(dir.join("questionnaire.en.md")).expect("md");
    assert!(md.starts_with("# Security Practices Disclosure Questionnaire\n"));
    assert!(md.contains("### Q-SBOM-01\n"));
    let html = std::fs::read_to_string(dir.join("questionnaire.en.html")).expect("html");
    assert!(html.contains("<h3 id=\"q-sbom-01\" class=\"clause\">Q-SBOM-01</h3>"));
    let yaml = std::fs::read_to_string(dir.join("questionnaire.en.yaml")).expect("yaml");
    assert!(yaml.contains("procurement: \"R8-0421\"\nanswers:\n"));
    assert!(
        yaml.contains("  Q-SBOM-01:\n    answer: \"\"\n    evidence: \"\"\n    comment: \"\"\n")
    );
}

#[test]
fn the_csv_has_a_bom_crlf_and_the_questionnaire_columns() {
    let out = questionnaire(EXAMPLE, &["--format", "csv"]);
    let path = out.path().join("R8-0421/questionnaire.ja.csv");
    let bytes = std::fs::read(&path).expect("csv");
    assert!(
        bytes.starts_with("\u{feff}調達番号,R8-0421,住民記録システム運用保守業務\r\n".as_bytes())
    );
    let records = read_csv(&path);
    assert_eq!(
        records[1],
        [
            "ID",
            "要求事項",
            "質問",
            "回答",
            "求める根拠資料",
            "提出する根拠資料",
            "備考"
        ]
    );
    assert!(records[2..].iter().all(|r| r.len() == 7));
    let sbom = records
        .iter()
        .find(|r| r[0] == "Q-SBOM-01")
        .expect("Q-SBOM-01");
    assert_eq!(
        sbom[1],
        "(2)-2 リリースファイルやデータのセキュアなアーカイブ\n(6)-2.2 セキュリティ慣行の要求開示"
    );
    assert_eq!(
        sbom[2],
        "納入するソフトウェアのSBOM（ソフトウェア部品表）を作成し、発注者に提供できますか。\n（回答：はい／いいえ／一部）"
    );
    assert_eq!(sbom[4], "SBOMのサンプル");
    let dependent = records
        .iter()
        .find(|r| r[0] == "Q-SBOM-02")
        .expect("Q-SBOM-02");
    assert!(dependent[2].ends_with("（Q-SBOM-01 が「はい」又は「一部」の場合に回答）"));

    let out = questionnaire(&fixture("tier1.yaml"), &["--format", "csv"]);
    let records = read_csv(&out.path().join("T1-0001/questionnaire.en.csv"));
    assert_eq!(
        records[1],
        [
            "ID",
            "Requirement",
            "Question",
            "Answer",
            "Evidence requested",
            "Evidence provided",
            "Comment"
        ]
    );
}

/// The named entry of a zip archive (the xlsx), as text.
fn zip_entry(path: &Path, name: &str) -> String {
    let file = std::fs::File::open(path).expect("xlsx");
    let mut archive = zip::ZipArchive::new(file).expect("zip");
    let mut entry = archive.by_name(name).expect("entry");
    let mut s = String::new();
    entry.read_to_string(&mut s).expect("utf-8 xml");
    s
}

fn zip_names(path: &Path) -> Vec<String> {
    let file = std::fs::File::open(path).expect("xlsx");
    let archive = zip::ZipArchive::new(file).expect("zip");
    archive
        .file_names()
        .map(|n| n.expect("entry name").into_owned())
        .collect()
}

fn cell_text(d: Option<&Data>) -> String {
    match d {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

#[test]
fn the_workbook_reads_back_with_dropdowns_protection_and_print_setup() {
    let out = questionnaire(EXAMPLE, &["--format", "xlsx"]);
    let path = out.path().join("R8-0421/questionnaire.ja.xlsx");
    let mut wb: Xlsx<_> = open_workbook(&path).expect("calamine opens it");
    assert_eq!(wb.sheet_names(), ["表紙", "質問"]);
    let cover = wb.worksheet_range("表紙").expect("cover");
    assert_eq!(
        cell_text(cover.get_value((0, 0))),
        "セキュリティ慣行に関する開示質問票"
    );
    assert_eq!(cell_text(cover.get_value((3, 0))), "調達番号");
    assert_eq!(cell_text(cover.get_value((3, 1))), "R8-0421");
    let sheet = wb.worksheet_range("質問").expect("questions");
    assert_eq!(cell_text(sheet.get_value((0, 1))), "R8-0421");
    let header: Vec<String> = (0..7).map(|c| cell_text(sheet.get_value((1, c)))).collect();
    assert_eq!(
        header,
        [
            "ID",
            "要求事項",
            "質問",
            "回答",
            "求める根拠資料",
            "提出する根拠資料",
            "備考"
        ]
    );
    let ids: Vec<String> = (2..=sheet.end().expect("cells").0)
        .map(|r| cell_text(sheet.get_value((r, 0))))
        .collect();
    let csv_out = questionnaire(EXAMPLE, &["--format", "csv"]);
    assert_eq!(
        ids,
        csv_ids(&csv_out.path().join("R8-0421/questionnaire.ja.csv"))
    );

    // Sheet 2 is the questions sheet.
    let xml = zip_entry(&path, "xl/worksheets/sheet2.xml");
    assert!(xml.contains("<sheetProtection sheet=\"1\""), "protected");
    assert!(!xml.contains("password"), "without a password");
    assert!(xml.contains("<dataValidation type=\"list\""));
    assert!(xml.contains("<formula1>\"はい,いいえ,一部\"</formula1>"));
    assert!(
        xml.contains("<formula1>\"SPDX,CycloneDX,その他の形式（表計算ファイル等）\"</formula1>")
    );
    assert!(
        xml.contains("<dataValidation type=\"decimal\""),
        "numbers validated"
    );
    assert!(
        xml.contains("<dataValidation type=\"date\""),
        "dates validated"
    );
    assert!(xml.contains("ySplit=\"2\""), "header rows frozen");
    assert!(xml.contains("orientation=\"landscape\""));
    assert!(xml.contains("fitToHeight=\"0\""), "fit to one page wide");
    assert!(
        xml.contains("<pageSetUpPr fitToPage=\"1\"/>"),
        "fit to page set"
    );
    let workbook = zip_entry(&path, "xl/workbook.xml");
    assert!(
        workbook.contains("_xlnm.Print_Titles"),
        "header row repeated"
    );
    let styles = zip_entry(&path, "xl/styles.xml");
    assert!(
        styles.contains("<protection locked=\"0\"/>"),
        "answer cells unlocked"
    );
    assert!(styles.contains("wrapText=\"1\""));
    let core = zip_entry(&path, "docProps/core.xml");
    assert!(
        core.contains("2026-04-01T00:00:00Z"),
        "creation date pinned to the issue date"
    );
    assert!(zip_names(&path).contains(&"xl/worksheets/sheet1.xml".to_string()));
}

#[test]
fn the_same_profile_gives_byte_identical_files() {
    let a = questionnaire(EXAMPLE, &[]);
    let b = questionnaire(EXAMPLE, &[]);
    let responses = filled_yaml(EXAMPLE, &scenario());
    let dir = TempDir::new().expect("dir");
    let file = dir.path().join("responses.yaml");
    std::fs::write(&file, responses).expect("write");
    for out in [&a, &b] {
        chotatsu()
            .args(["evaluate", EXAMPLE])
            .arg(&file)
            .arg("--out")
            .arg(out.path())
            .assert()
            .success();
    }
    let files = |d: &Path| -> BTreeMap<String, Vec<u8>> {
        std::fs::read_dir(d.join("R8-0421"))
            .expect("dir")
            .flatten()
            .map(|e| {
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).expect("read"),
                )
            })
            .collect()
    };
    let (fa, fb) = (files(a.path()), files(b.path()));
    assert_eq!(fa.len(), 10);
    assert_eq!(fa, fb);
}

/// How the test vendor answers the example (tier 3): `(answer, evidence, comment)`. Every
/// question not listed is left blank.
fn scenario() -> BTreeMap<&'static str, (&'static str, &'static str, &'static str)> {
    BTreeMap::from([
        ("Q-SDF-01", ("はい", "sdf-mapping.pdf", "")),
        ("Q-SDF-02", ("NIST SP 800-218 (SSDF)", "", "")),
        ("Q-DESIGN-01", ("Yes", "", "")),
        ("Q-BUILD-01", ("いいえ", "", "2027年度に分離予定")),
        (
            "Q-BUILD-02",
            ("Partial", "", "<script>alert(1)</script> | 対応中"),
        ),
        ("Q-SBOM-01", ("No", "", "")),
        ("Q-PATCH-01", ("5", "", "")),
        ("Q-PATCH-02", ("20", "", "")),
        ("Q-INC-01", ("24", "", "")),
        (
            "Q-SUPPORT-01",
            ("2031-03-31", "https://example.jp/lifecycle", ""),
        ),
        ("Q-SUPPORT-02", ("12", "", "")),
        ("Q-SUB-03", (INJECTION, "", INJECTION)),
        ("Q-CERT-03", ("N/A", "", "クラウドサービスを利用しない")),
        ("Q-CERT-01", ("該当なし", "", "")),
        ("Q-LOG-01", ("ｙｅｓ", "", "")),
        ("Q-LOG-02", ("12", "", "")),
    ])
}

fn answer_of<'a>(
    scenario: &'a BTreeMap<&str, (&'a str, &'a str, &'a str)>,
    id: &str,
) -> (&'a str, &'a str, &'a str) {
    match scenario.get(id) {
        Some(a) => *a,
        None => ("", "", ""),
    }
}

fn all_ids(profile: &str) -> Vec<String> {
    let out = questionnaire(profile, &["--format", "csv"]);
    let csv = std::fs::read_dir(only_dir(out.path()))
        .expect("dir")
        .flatten()
        .next()
        .expect("csv")
        .path();
    csv_ids(&csv)
}

fn yaml_string(s: &str) -> String {
    serde_json::to_string(s).expect("string")
}

fn filled_yaml(profile: &str, scenario: &BTreeMap<&str, (&str, &str, &str)>) -> String {
    let mut out = String::from("procurement: R8-0421\nanswers:\n");
    for id in all_ids(profile) {
        let (a, e, c) = answer_of(scenario, &id);
        out.push_str(&format!(
            "  {id}:\n    answer: {}\n    evidence: {}\n    comment: {}\n",
            yaml_string(a),
            yaml_string(e),
            yaml_string(c)
        ));
    }
    out
}

fn filled_csv(questionnaire_csv: &Path, scenario: &BTreeMap<&str, (&str, &str, &str)>) -> Vec<u8> {
    let mut records = read_csv(questionnaire_csv);
    for r in records.iter_mut().skip(2) {
        let (a, e, c) = answer_of(scenario, &r[0]);
        r[3] = a.to_string();
        r[5] = e.to_string();
        r[6] = c.to_string();
    }
    write_csv(&records)
}

fn write_csv(records: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    for r in records {
        w.write_record(r).expect("record");
    }
    w.into_inner().expect("bytes")
}

/// Copy a questionnaire workbook cell by cell, the way a vendor's tool would fill it:
/// numbers and dates typed as such, `edit` applied to each questions row.
fn filled_xlsx(
    src: &Path,
    scenario: &BTreeMap<&str, (&str, &str, &str)>,
    edit: &dyn Fn(u32, &mut Vec<String>),
) -> Vec<u8> {
    let mut wb: Xlsx<_> = open_workbook(src).expect("open");
    let mut out = rust_xlsxwriter::Workbook::new();
    let date_format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).expect("sheet");
        let ws = out.add_worksheet();
        ws.set_name(&name).expect("name");
        let Some((last_row, last_col)) = range.end() else {
            continue;
        };
        for row in 0..=last_row {
            let mut cells: Vec<String> = (0..=last_col.max(6))
                .map(|c| cell_text(range.get_value((row, c))))
                .collect();
            let is_question = name == "質問" && row >= 2;
            if is_question {
                let (a, e, c) = answer_of(scenario, &cells[0]);
                cells[3] = a.to_string();
                cells[5] = e.to_string();
                cells[6] = c.to_string();
                edit(row, &mut cells);
            }
            for (col, text) in cells.iter().enumerate() {
                let col = col as u16;
                if text.is_empty() {
                    continue;
                }
                if is_question && col == 3 {
                    if let Ok(n) = text.parse::<f64>() {
                        ws.write_number(row, col, n).expect("number");
                        continue;
                    }
                    if let Ok(d) = rust_xlsxwriter::ExcelDateTime::parse_from_str(text)
                        && text.len() == 10
                    {
                        ws.write_datetime_with_format(row, col, &d, &date_format)
                            .expect("date");
                        continue;
                    }
                }
                ws.write_string(row, col, text).expect("string");
            }
        }
    }
    out.save_to_buffer().expect("xlsx")
}

fn evaluate(
    profile: &str,
    responses: &Path,
    extra: &[&str],
) -> (TempDir, assert_cmd::assert::Assert) {
    let out = TempDir::new().expect("dir");
    let assert = chotatsu()
        .args(["evaluate", profile])
        .arg(responses)
        .arg("--out")
        .arg(out.path())
        .args(extra)
        .assert();
    (out, assert)
}

fn statuses(json: &serde_json::Value) -> BTreeMap<String, String> {
    json["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            (
                i["id"].as_str().expect("id").to_string(),
                i["status"].as_str().expect("status").to_string(),
            )
        })
        .collect()
}

/// The exact result of [`scenario`] on the example, given how many clauses it selects.
fn assert_scenario_result(json: &serde_json::Value) {
    // 44 library questions at tier 3, less Q-SBOM-02..05 (Q-SBOM-01 was answered No).
    let asked = 40;
    // Q-CERT-03 was answered N/A: allowed there, but never a pass by itself. Q-LOG-02 was
    // answered 12 as if in months: the question asks for days, against the 730 the annex sets.
    // Q-SUPPORT-01 is answered with the contract end: a gap, since the support clause runs
    // support years past it.
    let meets = 5;
    let gaps = 7;
    let review = 4;
    assert_eq!(
        json["summary"],
        serde_json::json!({
            "questions": asked,
            "meets": meets,
            "gaps": gaps,
            "unanswered": asked - meets - gaps - review,
            "review": review,
        })
    );
    let s = statuses(json);
    let expect = [
        ("Q-SDF-01", "meets"),
        ("Q-SDF-02", "meets"),
        ("Q-DESIGN-01", "review"),
        ("Q-BUILD-01", "gap"),
        ("Q-BUILD-02", "gap"),
        ("Q-SBOM-01", "gap"),
        ("Q-PATCH-01", "meets"),
        ("Q-PATCH-02", "gap"),
        ("Q-INC-01", "meets"),
        ("Q-SUPPORT-01", "gap"),
        ("Q-SUPPORT-02", "gap"),
        ("Q-SUB-03", "review"),
        ("Q-CERT-03", "review"),
        ("Q-CERT-01", "review"),
        ("Q-LOG-01", "meets"),
        ("Q-LOG-02", "gap"),
        ("Q-AUTH-01", "unanswered"),
        ("Q-VEX-01", "unanswered"),
    ];
    for (id, status) in expect {
        assert_eq!(s.get(id).map(String::as_str), Some(status), "{id}");
    }
    for id in ["Q-SBOM-02", "Q-SBOM-03", "Q-SBOM-04", "Q-SBOM-05"] {
        assert!(
            !s.contains_key(id),
            "{id} is not asked when Q-SBOM-01 is No"
        );
    }
    let items = json["items"].as_array().expect("items");
    let sub03 = items
        .iter()
        .find(|i| i["id"] == "Q-SUB-03")
        .expect("Q-SUB-03");
    assert_eq!(sub03["answer"], format!("'{INJECTION}"));
    assert_eq!(sub03["requirement"], "(2)-3");
    let patch = items
        .iter()
        .find(|i| i["id"] == "Q-PATCH-01")
        .expect("Q-PATCH-01");
    assert_eq!(patch["answer"], "5日");
}

fn read_json(out: &TempDir, lang: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(out.path().join(format!("R8-0421/evaluation.{lang}.json")))
        .expect("json written");
    serde_json::from_str(&text).expect("valid JSON")
}

#[test]
fn yaml_responses_are_evaluated() {
    let dir = TempDir::new().expect("dir");
    let file = dir.path().join("vendor.yaml");
    std::fs::write(&file, filled_yaml(EXAMPLE, &scenario())).expect("write");
    let (out, assert) = evaluate(EXAMPLE, &file, &[]);
    assert.success();
    assert_scenario_result(&read_json(&out, "ja"));
    assert_neutralised(&out.path().join("R8-0421"));
    let html =
        std::fs::read_to_string(out.path().join("R8-0421/evaluation.ja.html")).expect("html");
    assert!(
        !html.contains("<script>alert"),
        "HTML escapes the vendor's text"
    );
    // The cell's text, without the spans that keep its runs unbroken.
    let text = html
        .replace("<span class=\"nb\">", "")
        .replace("</span>", "");
    assert!(text.contains("&lt;script&gt;alert(1)&lt;/script&gt; | 対応中"));
}

#[test]
fn csv_responses_are_evaluated() {
    let q = questionnaire(EXAMPLE, &["--format", "csv", "--lang", "en"]);
    let dir = TempDir::new().expect("dir");
    let file = dir.path().join("vendor.csv");
    std::fs::write(
        &file,
        filled_csv(&q.path().join("R8-0421/questionnaire.en.csv"), &scenario()),
    )
    .expect("write");
    let (out, assert) = evaluate(EXAMPLE, &file, &["--format", "json"]);
    assert.success();
    assert_scenario_result(&read_json(&out, "ja"));
}

#[test]
fn xlsx_responses_are_evaluated() {
    let q = questionnaire(EXAMPLE, &["--format", "xlsx"]);
    let dir = TempDir::new().expect("dir");
    let file = dir.path().join("vendor.xlsx");
    std::fs::write(
        &file,
        filled_xlsx(
            &q.path().join("R8-0421/questionnaire.ja.xlsx"),
            &scenario(),
            &|_, _| {},
        ),
    )
    .expect("write");
    let (out, assert) = evaluate(EXAMPLE, &file, &[]);
    assert.success();
    assert_scenario_result(&read_json(&out, "ja"));
    assert_neutralised(&out.path().join("R8-0421"));

    // The English report reads the same answers.
    let (out, assert) = evaluate(EXAMPLE, &file, &["--lang", "en", "--format", "md"]);
    assert.success();
    let md = std::fs::read_to_string(out.path().join("R8-0421/evaluation.en.md")).expect("md");
    assert!(md.contains("## 2. Findings for the non-conformance and exception record\n"));
    assert!(
        md.contains("| F-01 | Q-SBOM-01 |"),
        "heaviest gap first:\n{md}"
    );
    assert!(md.contains("| Q-PATCH-02 | 20 days | gap | Expected: at most 14 days |"));
}

/// Every occurrence of the injected formula in every file of `dir` is neutralised.
fn assert_neutralised(dir: &Path) {
    for entry in std::fs::read_dir(dir).expect("dir").flatten() {
        let path = entry.path();
        let name = path.display().to_string();
        let texts: Vec<String> = if name.ends_with(".xlsx") {
            let names = zip_names(&path);
            assert!(
                names.iter().all(|n| !n.contains("calcChain")),
                "{name}: no formulas"
            );
            names
                .iter()
                .filter(|n| n.ends_with(".xml"))
                .map(|n| zip_entry(&path, n))
                .collect()
        } else {
            vec![String::from_utf8_lossy(&std::fs::read(&path).expect("read")).into_owned()]
        };
        let mut seen = false;
        for text in texts {
            assert!(!text.contains("<f>"), "{name}: a formula cell");
            for (i, _) in text.match_indices("HYPERLINK") {
                seen = true;
                let before = &text[..i];
                assert!(
                    before.ends_with("'=")
                        || before.ends_with("&#x27;=")
                        || before.ends_with("&#39;="),
                    "{name}: not neutralised: …{}",
                    &text[i.saturating_sub(20)..(i + 20).min(text.len())]
                );
            }
        }
        assert!(seen, "{name} shows the answer");
    }
}

#[test]
fn profile_text_starting_with_a_formula_is_neutralised_in_the_questionnaire() {
    let out = questionnaire(&fixture("tier1.yaml"), &["--format", "csv"]);
    let records = read_csv(&out.path().join("T1-0001/questionnaire.en.csv"));
    assert_eq!(records[0][2], format!("'{INJECTION} 庁内掲示板の保守"));
    let out = questionnaire(&fixture("tier1.yaml"), &["--format", "xlsx"]);
    let path = out.path().join("T1-0001/questionnaire.en.xlsx");
    let shared = zip_entry(&path, "xl/sharedStrings.xml");
    assert!(shared.contains("<t>'=HYPERLINK(\"http://x\",\"y\") 庁内掲示板の保守</t>"));
    assert!(!shared.contains(">=HYPERLINK"));
}

// ---- problems in a returned file ----

fn error_of(profile: &str, name: &str, contents: &[u8]) -> (String, String) {
    let dir = TempDir::new().expect("dir");
    let file = dir.path().join(name);
    std::fs::write(&file, contents).expect("write");
    let (out, assert) = evaluate(profile, &file, &[]);
    let output = assert.code(2).get_output().clone();
    assert!(
        std::fs::read_dir(out.path()).expect("out").next().is_none(),
        "nothing written on error"
    );
    (
        String::from_utf8(output.stderr).expect("utf-8"),
        file.display().to_string(),
    )
}

#[test]
fn every_problem_in_a_yaml_response_is_reported() {
    let mut yaml = filled_yaml(EXAMPLE, &scenario())
        .replace("procurement: R8-0421", "procurement: R8-9999")
        .replace(
            "  Q-AUTH-01:\n    answer: \"\"\n    evidence: \"\"\n    comment: \"\"\n",
            "",
        )
        .replace("answer: \"Partial\"", "answer: \"Maybe\"")
        .replace("answer: \"24\"", "answer: \"soon\"")
        .replace("answer: \"2031-03-31\"", "answer: \"next year\"");
    yaml.push_str("  Q-NOPE-01:\n    answer: \"はい\"\n");
    let (stderr, file) = error_of(EXAMPLE, "vendor.yaml", yaml.as_bytes());
    let lines: Vec<&str> = stderr.lines().collect();
    let line_of = |needle: &str| {
        yaml.lines()
            .position(|l| l.contains(needle))
            .map(|i| i + 1)
            .expect("needle")
    };
    let expected = [
        format!(
            "error: {file}:1:14: procurement: this file answers procurement `R8-9999`, not `R8-0421`"
        ),
        format!(
            "error: {file}:{}:3: answers.Q-NOPE-01: unknown question ID `Q-NOPE-01`: not in the questionnaire of R8-0421",
            line_of("Q-NOPE-01")
        ),
        format!(
            "error: {file}:{}:13: answers.Q-BUILD-02.answer: answer `Maybe` to question Q-BUILD-02 is not one of: Yes, No, Partial (or はい, いいえ, 一部)",
            line_of("\"Maybe\"")
        ),
        format!("error: {file}: question Q-AUTH-01 is missing from the file"),
        format!(
            "error: {file}:{}:13: answers.Q-INC-01.answer: answer `soon` to question Q-INC-01 is not a number",
            line_of("\"soon\"")
        ),
        format!(
            "error: {file}:{}:13: answers.Q-SUPPORT-01.answer: answer `next year` to question Q-SUPPORT-01 is not a date (YYYY-MM-DD)",
            line_of("\"next year\"")
        ),
    ];
    for e in &expected {
        assert!(
            lines.contains(&e.as_str()),
            "missing {e}\n--- stderr:\n{stderr}"
        );
    }
    assert_eq!(lines.len(), expected.len(), "{stderr}");
}

/// The 1-based line (as an editor numbers them) of the record the CSV reader places at
/// `offset` (after a CRLF, at the LF before the record).
fn line_of_byte(bytes: &[u8], offset: u64) -> u64 {
    let start = offset as usize
        + bytes[offset as usize..]
            .iter()
            .take_while(|&&b| b == b'\r' || b == b'\n')
            .count();
    bytes[..start].iter().filter(|&&b| b == b'\n').count() as u64 + 1
}

#[test]
fn csv_line_numbers_are_an_editors_with_crlf_line_ends() {
    // The questionnaire's own CSV (CRLF, as chotatsu and Excel save it), one answer
    // changed in place: the error names the line an editor shows for that row.
    let q = questionnaire(EXAMPLE, &["--format", "csv"]);
    let text = std::fs::read_to_string(q.path().join("R8-0421/questionnaire.ja.csv")).expect("csv");
    assert!(text.contains("\r\n"), "CRLF line ends");
    let editor_line = text
        .split('\n')
        .position(|l| l.starts_with("Q-AUTH-02,"))
        .expect("row of Q-AUTH-02") as u64
        + 1;
    // Rewrite that one record (CRLF-terminated, as Excel saves it), the rest byte for byte.
    let bytes = text.as_bytes();
    let body = &bytes[3..];
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body);
    let records: Vec<(usize, Vec<String>)> = reader
        .records()
        .map(|r| {
            let r = r.expect("record");
            let at = r.position().expect("position").byte() as usize;
            (at, r.iter().map(str::to_string).collect())
        })
        .collect();
    let i = records
        .iter()
        .position(|(_, r)| r[0] == "Q-AUTH-02")
        .expect("Q-AUTH-02");
    let mut record = records[i].1.clone();
    record[3] = "たぶん".into();
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(&record).expect("record");
    let row = w.into_inner().expect("bytes");
    // The reader places a record after CRLF at the LF: splice from where its text starts.
    let text_start = |at: usize| {
        at + body[at..]
            .iter()
            .take_while(|&&b| b == b'\r' || b == b'\n')
            .count()
    };
    let (start, end) = (text_start(records[i].0), text_start(records[i + 1].0));
    let bytes = [&bytes[..3], &body[..start], &row, &body[end..]].concat();
    let (stderr, file) = error_of(EXAMPLE, "vendor.csv", &bytes);
    assert!(
        stderr.contains(&format!(
            "error: {file}:{editor_line}:4: 回答: answer `たぶん`"
        )),
        "expected line {editor_line}:\n{stderr}"
    );
}

#[test]
fn every_problem_in_a_csv_response_is_reported() {
    let q = questionnaire(EXAMPLE, &["--format", "csv"]);
    let mut records = read_csv(&q.path().join("R8-0421/questionnaire.ja.csv"));
    let answers = scenario();
    for r in records.iter_mut().skip(2) {
        let (a, e, c) = answer_of(&answers, &r[0]);
        r[3] = a.to_string();
        r[5] = e.to_string();
        r[6] = c.to_string();
    }
    let row_of =
        |records: &[Vec<String>], id: &str| records.iter().position(|r| r[0] == id).expect("row");
    let removed = row_of(&records, "Q-VEX-01");
    records.remove(removed);
    let changed = row_of(&records, "Q-SDF-01");
    records[changed][2] = "貴社は、何らかの枠組みを適用していますか。".into();
    let bad = row_of(&records, "Q-AUTH-02");
    records[bad][3] = "たぶん".into();
    records.push(vec![
        "Q-EXTRA-01".into(),
        String::new(),
        String::new(),
        "はい".into(),
        String::new(),
        String::new(),
        String::new(),
    ]);
    let bytes = write_csv(&records);
    let (stderr, file) = error_of(EXAMPLE, "vendor.csv", &bytes);
    // Lines of the CSV: questions have two-line cells, so find the record lines by parsing.
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&bytes[3..]);
    let lines: Vec<u64> = reader
        .records()
        .map(|r| {
            line_of_byte(
                &bytes[3..],
                r.expect("record").position().expect("position").byte(),
            )
        })
        .collect();
    let expected = [
        format!(
            "error: {file}:{}:3: 質問: the text of question Q-SDF-01 was changed",
            lines[changed]
        ),
        format!(
            "error: {file}:{}:4: 回答: answer `たぶん` to question Q-AUTH-02 is not one of: Yes, No, Partial (or はい, いいえ, 一部)",
            lines[bad]
        ),
        format!(
            "error: {file}:{}:1: ID: unknown question ID `Q-EXTRA-01`: not in the questionnaire of R8-0421",
            lines[lines.len() - 1]
        ),
        format!("error: {file}: question Q-VEX-01 is missing from the file"),
    ];
    let got: Vec<&str> = stderr.lines().collect();
    for e in &expected {
        assert!(
            got.contains(&e.as_str()),
            "missing {e}\n--- stderr:\n{stderr}"
        );
    }
    assert_eq!(got.len(), expected.len(), "{stderr}");
}

#[test]
fn an_altered_question_and_another_procurement_in_a_workbook_are_reported() {
    let q = questionnaire(EXAMPLE, &["--format", "xlsx"]);
    let bytes = filled_xlsx(
        &q.path().join("R8-0421/questionnaire.ja.xlsx"),
        &scenario(),
        &|row, cells| {
            if row == 2 {
                cells[2] = "書き換えた質問".into();
            }
            if row == 3 {
                cells[3] = "Perhaps".into();
            }
        },
    );
    // Procurement ID on the questions sheet (B1) changed too.
    let dir = TempDir::new().expect("dir");
    let src = dir.path().join("filled.xlsx");
    std::fs::write(&src, &bytes).expect("write");
    let (stderr, file) = error_of(EXAMPLE, "vendor.xlsx", &rewrite_b1(&src, "R7-0001"));
    let expected = [
        format!(
            "error: {file}:1:2: 質問!B1: this file answers procurement `R7-0001`, not `R8-0421`"
        ),
        format!("error: {file}:3:3: 質問!C3: the text of question Q-DESIGN-01 was changed"),
        format!(
            "error: {file}:4:4: 質問!D4: answer `Perhaps` to question Q-DEFAULT-01 is not one of: Yes, No, Partial (or はい, いいえ, 一部)"
        ),
    ];
    let got: Vec<&str> = stderr.lines().collect();
    for e in &expected {
        assert!(
            got.contains(&e.as_str()),
            "missing {e}\n--- stderr:\n{stderr}"
        );
    }
    assert_eq!(got.len(), expected.len(), "{stderr}");
}

/// A copy of workbook `src` with B1 of the questions sheet set to `id`, everything else
/// (answers included) as it is.
fn rewrite_b1(src: &Path, id: &str) -> Vec<u8> {
    let mut wb: Xlsx<_> = open_workbook(src).expect("open");
    let mut out = rust_xlsxwriter::Workbook::new();
    let date_format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).expect("sheet");
        let ws = out.add_worksheet();
        ws.set_name(&name).expect("name");
        for (row, col, value) in range.used_cells() {
            let (row, col) = (row as u32 + range.start().expect("start").0, col as u16);
            let text = if name == "質問" && row == 0 && col == 1 {
                id.to_string()
            } else {
                cell_text(Some(value))
            };
            match value {
                Data::DateTime(d) => ws
                    .write_number_with_format(row, col, d.as_f64(), &date_format)
                    .map(|_| ()),
                Data::Float(n) => ws.write_number(row, col, *n).map(|_| ()),
                Data::Int(n) => ws.write_number(row, col, *n as f64).map(|_| ()),
                _ => ws.write_string(row, col, &text).map(|_| ()),
            }
            .expect("write");
        }
    }
    out.save_to_buffer().expect("xlsx")
}

#[test]
fn unusable_files_are_rejected_with_a_clear_error() {
    let cases: Vec<(&str, Vec<u8>, String)> = vec![
        (
            "vendor.xlsx",
            b"this is not a zip file".to_vec(),
            "not a readable .xlsx workbook".into(),
        ),
        (
            "vendor.yaml",
            b"procurement: R8-0421\nanswers: [1, 2\n".to_vec(),
            ":2:".into(),
        ),
        (
            "vendor.csv",
            "\u{feff}調達番号,R8-0421\nID,Question\n".as_bytes().to_vec(),
            ":2:1: the header row is not the questionnaire's; expected ID, 要求事項, 質問, 回答, 求める根拠資料, 提出する根拠資料, 備考 or ID, Requirement, Question, Answer, Evidence requested, Evidence provided, Comment".into(),
        ),
        (
            "vendor.csv",
            b"\xff\xfe\x00broken".to_vec(),
            ": not valid UTF-8 (byte 0); save the file as \"CSV UTF-8\"".into(),
        ),
        (
            "vendor.txt",
            b"hello".to_vec(),
            ": unsupported response file: expected .xlsx, .csv, .yaml or .yml".into(),
        ),
        (
            "vendor.csv",
            vec![b'a'; 20 * 1024 * 1024 + 1],
            ": the file is 20971521 bytes, over the limit of 20971520 bytes for a response file".into(),
        ),
    ];
    for (name, bytes, message) in cases {
        let (stderr, file) = error_of(EXAMPLE, name, &bytes);
        assert!(
            stderr.starts_with(&format!("error: {file}")) && stderr.contains(&message),
            "{name}: expected {message:?}\n--- stderr:\n{stderr}"
        );
    }
    // A workbook without a questions sheet.
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().set_name("Sheet1").expect("name");
    let (stderr, file) = error_of(EXAMPLE, "other.xlsx", &wb.save_to_buffer().expect("xlsx"));
    assert_eq!(
        stderr.trim_end(),
        format!("error: {file}: no sheet named 質問 or Questions (sheets: Sheet1)")
    );
}

// ---- the library's questions ----

#[test]
fn check_counts_the_questions() {
    chotatsu()
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "checked 46 disclosure questions\n",
        ));
}

#[test]
fn check_reports_every_problem_in_overlay_questions() {
    let overlay = fixture("bad-questions");
    let output = chotatsu()
        .args(["check", "--library", &overlay])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stderr = String::from_utf8(output.stderr).expect("utf-8");
    let file = format!("{overlay}/questions/bad.yaml");
    for expected in [
        format!("{file}: question Q-BAD-01: cites unknown requirement `(9)-9`"),
        format!("{file}: question Q-BAD-01: verifies unknown clause `NOPE-01`"),
        format!("{file}: question Q-BAD-01: missing en text"),
        format!(
            "{file}: question Q-BAD-01: expected: `maybe` is not an answer of this yes_no question (answers: yes, no, partial)"
        ),
        format!("{file}: question Q-BAD-02: duplicate question ID (also defined in {file})"),
        format!("{file}: question Q-BAD-02: depends_on unknown question `Q-GONE-01`"),
        format!("{file}: question Q-BAD-03: depends_on cycle: Q-BAD-03 → Q-BAD-04 → Q-BAD-03"),
        format!("{file}: question Q-BAD-05: expected: a number question needs `min` or `max`"),
        format!(
            "{file}: question Q-BAD-06: a text question has no expected answer (its answers always need review)"
        ),
        // Every number lives once: no literal where the clause has a parameter.
        format!(
            "{file}: question Q-BAD-07: expected: a number written as a literal where the clauses set it through a parameter; write `{{ parameter: NAME }}` (one of critical_fix_days, high_fix_days, low_fix_days, medium_fix_days)"
        ),
        format!(
            "{file}: question Q-BAD-08: expected: a number written as a literal: name the clause the question checks (`clauses`) and take the bound from its parameter"
        ),
        format!(
            "{file}: question Q-BAD-09: expected: the clause sets a support period beyond the contract: write `not_before: support_end`"
        ),
        // A set of accepted answers lives once as well.
        format!(
            "{file}: question Q-BAD-10: expected: answers listed where the clauses take them from a parameter; write `any_of: {{ parameter: NAME }}` (one of accepted_cloud_lists)"
        ),
        format!(
            "{file}: question Q-BAD-11: expected: `any_of` parameter `accepted_cloud_lists` may hold `ismap_liu`, which is not an answer of this choice question (answers: ismap)"
        ),
        format!(
            "{file}: question Q-BAD-12: expected: `any_of` uses parameter `critical_fix_days` of type integer, not set"
        ),
    ] {
        assert!(
            stderr.contains(&format!("  - {expected}\n"))
                || stderr.ends_with(&format!("  - {expected}")),
            "missing {expected}\n--- stderr:\n{stderr}"
        );
    }
}

#[test]
fn overlay_questions_replace_and_add() {
    let out = questionnaire(
        EXAMPLE,
        &["--format", "csv", "--library", &fixture("overlay")],
    );
    let records = read_csv(&out.path().join("R8-0421/questionnaire.ja.csv"));
    let sdf = records
        .iter()
        .find(|r| r[0] == "Q-SDF-01")
        .expect("replaced");
    assert!(sdf[2].starts_with("本市の開発基準に基づく"));
    assert!(records.iter().any(|r| r[0] == "Q-ORG-01"), "added");
}

// ---- LibreOffice ----

/// `workbook` converted by LibreOffice to `to` (see [`office::office_convert`]), in a new
/// folder, and the converted file's path.
fn soffice_convert(workbook: &Path, to: &str) -> (TempDir, PathBuf) {
    let converted = TempDir::new().expect("dir");
    let path = office::office_convert(&[workbook.to_path_buf()], to, converted.path()).remove(0);
    (converted, path)
}

#[test]
fn libreoffice_opens_the_workbooks() {
    if !office::soffice_available() {
        return;
    }
    let q = questionnaire(EXAMPLE, &["--format", "xlsx"]);
    let src = q.path().join("R8-0421/questionnaire.ja.xlsx");
    let dir = TempDir::new().expect("dir");
    let responses = dir.path().join("vendor.yaml");
    std::fs::write(&responses, filled_yaml(EXAMPLE, &scenario())).expect("write");
    let (ev, assert) = evaluate(EXAMPLE, &responses, &["--format", "xlsx"]);
    assert.success();
    let evaluation = ev.path().join("R8-0421/evaluation.ja.xlsx");
    for (workbook, first_cell) in [
        (&src, "セキュリティ慣行に関する開示質問票"),
        (&evaluation, "開示質問票 回答評価書"),
    ] {
        let (_dir, csv) = soffice_convert(workbook, "csv:Text - txt - csv (StarCalc):44,34,76");
        let csv = std::fs::read_to_string(csv).expect("LibreOffice wrote the first sheet as CSV");
        assert!(csv.starts_with(first_cell), "{}: {csv}", workbook.display());
    }
}

#[test]
fn a_questionnaire_saved_again_by_libreoffice_keeps_its_forms_and_is_read_back() {
    if !office::soffice_available() {
        return;
    }
    // What a vendor does who opens the workbook in LibreOffice and saves it.
    let q = questionnaire(EXAMPLE, &["--format", "xlsx"]);
    let src = q.path().join("R8-0421/questionnaire.ja.xlsx");
    let (_saved, path) = soffice_convert(&src, "xlsx:Calc MS Excel 2007 XML");
    let ours = zip_entry(&src, "xl/worksheets/sheet2.xml");
    let theirs = zip_entry(&path, "xl/worksheets/sheet2.xml");
    let count = |xml: &str, what: &str| xml.matches(what).count();
    assert!(count(&ours, "<dataValidation ") > 10);
    for what in [
        "<dataValidation ",
        "type=\"list\"",
        "type=\"decimal\"",
        "type=\"date\"",
        "<sheetProtection ",
    ] {
        assert_eq!(count(&theirs, what), count(&ours, what), "{what}");
    }
    let workbook = zip_entry(&path, "xl/workbook.xml");
    assert!(workbook.contains("_xlnm.Print_Titles"), "{workbook}");
    // chotatsu reads the saved file as it reads its own: the same evaluation, every question
    // unanswered.
    let read = |workbook: &Path| {
        let (ev, assert) = evaluate(EXAMPLE, workbook, &["--format", "json"]);
        assert.success();
        std::fs::read_to_string(ev.path().join("R8-0421/evaluation.ja.json")).expect("json")
    };
    let json = read(&path);
    assert_eq!(json, read(&src));
    assert!(json.contains("\"meets\": 0,"), "{json}");
    assert!(json.contains("\"gaps\": 0,"), "{json}");
    assert!(!json.contains("\"status\": \"meets\""), "{json}");
}

/// The names the instructions (記入要領) give in 「…」欄 / "the … column".
fn named_columns(md: &str, lang: &str) -> Vec<String> {
    let heading = if lang == "ja" {
        "## 記入要領\n"
    } else {
        "## Instructions\n"
    };
    let start = md.find(heading).expect("instructions") + heading.len();
    let section = &md[start..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    let mut names = Vec::new();
    if lang == "ja" {
        for part in section.split('「').skip(1) {
            if let Some((name, rest)) = part.split_once('」')
                && rest.starts_with('欄')
            {
                names.push(name.to_string());
            }
        }
    } else {
        for part in section.split("the ").skip(1) {
            if let Some((name, _)) = part.split_once(" column")
                && name.chars().next().is_some_and(char::is_uppercase)
            {
                names.push(name.to_string());
            }
        }
    }
    names
}

#[test]
fn the_instructions_name_the_columns_the_forms_have() {
    for lang in ["ja", "en"] {
        let out = questionnaire(EXAMPLE, &["--lang", lang]);
        let dir = out.path().join("R8-0421");
        let md = std::fs::read_to_string(dir.join(format!("questionnaire.{lang}.md"))).expect("md");
        let names = named_columns(&md, lang);
        assert!(names.len() >= 3, "{lang}: {names:?}");
        let header = &read_csv(&dir.join(format!("questionnaire.{lang}.csv")))[1];
        for name in &names {
            assert!(
                md.contains(&format!("\n| {name} | ")),
                "{lang}: the instructions name 「{name}」, which no question table of the md has"
            );
            assert!(
                header.contains(name),
                "{lang}: the instructions name 「{name}」, which the CSV and workbook headers lack: {header:?}"
            );
        }
    }
}

#[test]
fn not_applicable_is_offered_only_where_allowed_and_never_passes() {
    let out = questionnaire(EXAMPLE, &["--format", "md"]);
    let md = std::fs::read_to_string(out.path().join("R8-0421/questionnaire.ja.md")).expect("md");
    // Q-SBOM-01 must apply; Q-CERT-03 allows N/A (no cloud service used).
    let block = |id: &str| {
        let start = md.find(&format!("### {id}\n")).expect(id);
        md[start..]
            .split("\n### ")
            .next()
            .unwrap_or_default()
            .to_string()
    };
    assert!(!block("Q-SBOM-01").contains("該当なし"));
    assert!(block("Q-CERT-03").contains("該当なし"));

    let dir = TempDir::new().expect("temp dir");
    let answers = dir.path().join("answers.yaml");
    let scenario = BTreeMap::from([
        ("Q-SBOM-01", ("該当なし", "", "")),
        ("Q-CERT-03", ("N/A", "", "クラウドサービスを利用しない")),
    ]);
    std::fs::write(&answers, filled_yaml(EXAMPLE, &scenario)).expect("write");
    let (out, assert) = evaluate(EXAMPLE, &answers, &[]);
    assert.success();
    let s = statuses(&read_json(&out, "ja"));
    assert_eq!(s.get("Q-SBOM-01").map(String::as_str), Some("review"));
    assert_eq!(s.get("Q-CERT-03").map(String::as_str), Some("review"));
}

/// The status `evaluate` gives question `id` of the package `pkg` built from `profile` when
/// the package's response template is returned with `answer` for it and nothing else.
fn status_of_one_answer(dir: &Path, profile: &str, pkg: &Path, id: &str, answer: &str) -> String {
    let template = std::fs::read_to_string(pkg.join("questionnaire.ja.yaml")).expect("template");
    let responses = template.replacen(
        &format!("  {id}:\n    answer: \"\""),
        &format!("  {id}:\n    answer: \"{answer}\""),
        1,
    );
    assert_ne!(responses, template);
    let answers = dir.join("answers.yaml");
    std::fs::write(&answers, responses).expect("answers");
    let out = dir.join("eval");
    chotatsu()
        .args(["evaluate", profile])
        .arg(&answers)
        .args(["--format", "json", "--lang", "ja", "--out"])
        .arg(&out)
        .assert()
        .success();
    let name = pkg.file_name().expect("package folder");
    let report: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join(name).join("evaluation.ja.json")).expect("report"),
    )
    .expect("json");
    let item = report["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("{id}"));
    item["status"].as_str().expect("status").to_string()
}

/// One number, one place: a profile's override of a clause parameter reaches the contract
/// annex, the RFP's evaluation criteria, the questionnaire JSON's expected value and the
/// verdict of `evaluate`, together.
#[test]
fn a_parameter_override_reaches_annex_rfp_json_and_evaluation() {
    let base = std::fs::read_to_string(EXAMPLE).expect("example");
    assert!(base.contains("  critical_fix_days: 5\n"));
    for (days, verdict) in [(5, "gap"), (7, "meets")] {
        let dir = TempDir::new().expect("dir");
        let profile = dir.path().join("p.yaml");
        std::fs::write(
            &profile,
            base.replace(
                "  critical_fix_days: 5\n",
                &format!("  critical_fix_days: {days}\n"),
            ),
        )
        .expect("profile");
        let profile = profile.display().to_string();
        chotatsu()
            .args(["build", &profile, "--lang", "ja", "--out"])
            .arg(dir.path().join("out"))
            .assert()
            .success();
        let pkg = dir.path().join("out/R8-0421");
        let read = |name: &str| std::fs::read_to_string(pkg.join(name)).expect(name);
        let annex = read("annex.ja.md");
        assert!(
            annex.contains(&format!("\n（１）　緊急　{days}日\n")),
            "{annex}"
        );
        assert!(annex.contains(&format!(
            "| 深刻度「緊急」の脆弱性の修正の提供期限 | {days}日 |"
        )));
        let rfp = read("rfp.ja.md");
        assert!(
            rfp.lines().any(
                |l| l.starts_with("| Q-PATCH-01 |") && l.contains(&format!("| {days}日以内 |"))
            ),
            "{rfp}"
        );
        let json: serde_json::Value =
            serde_json::from_str(&read("questionnaire.ja.json")).expect("json");
        let patch = json["questions"]
            .as_array()
            .expect("questions")
            .iter()
            .find(|q| q["id"] == "Q-PATCH-01")
            .expect("Q-PATCH-01");
        assert_eq!(
            patch["expected"],
            serde_json::json!({"op": "le", "value": days, "unit": "日", "parameter": "critical_fix_days"})
        );
        // The vendor fixes critical vulnerabilities in 6 days: a gap against 5, meets 7.
        let status = status_of_one_answer(dir.path(), &profile, &pkg, "Q-PATCH-01", "6");
        assert_eq!(status, verdict, "critical_fix_days {days}");
    }
}

/// A set of accepted values lives once too: the cloud service lists a tier-2 subscription
/// must be registered on (ISMAP only by default) reach the clause, the table of values, the
/// RFP's criteria, the questionnaire JSON and `evaluate` when the profile accepts ISMAP-LIU.
#[test]
fn a_set_parameter_override_reaches_annex_rfp_json_and_evaluation() {
    let base = std::fs::read_to_string("examples/r8-0312-kosodate-saas.yaml").expect("example");
    let marker = "parameters:\n";
    assert!(base.contains(marker));
    let both = "ISMAPクラウドサービスリスト又はISMAP-LIUクラウドサービスリスト";
    for (lists, shown, value, verdict) in [
        (
            None,
            "ISMAPクラウドサービスリスト",
            serde_json::json!("ismap"),
            "gap",
        ),
        (
            Some("[ismap, ismap_liu]"),
            both,
            serde_json::json!(["ismap", "ismap_liu"]),
            "meets",
        ),
    ] {
        let dir = TempDir::new().expect("dir");
        let profile = dir.path().join("p.yaml");
        let text = match lists {
            Some(l) => base.replace(marker, &format!("{marker}  accepted_cloud_lists: {l}\n")),
            None => base.clone(),
        };
        std::fs::write(&profile, text).expect("profile");
        let profile = profile.display().to_string();
        chotatsu()
            .args(["build", &profile, "--lang", "ja", "--out"])
            .arg(dir.path().join("out"))
            .assert()
            .success();
        let pkg = dir.path().join("out/R8-0312");
        let read = |name: &str| std::fs::read_to_string(pkg.join(name)).expect(name);
        let annex = read("annex.ja.md");
        assert!(
            annex.contains(&format!(
                "本件システムを、{shown}に登録されたクラウドサービスとして提供しなければならない。"
            )),
            "{annex}"
        );
        assert!(
            annex.contains(&format!(
                "| 登録を求めるクラウドサービスリスト | {shown} | 第"
            )),
            "{annex}"
        );
        let rfp = read("rfp.ja.md");
        let accepted = match lists {
            Some(_) => {
                "ISMAPクラウドサービスリストに登録されている／ISMAP-LIUクラウドサービスリストに登録されている"
            }
            None => "ISMAPクラウドサービスリストに登録されている",
        };
        assert!(
            rfp.lines()
                .any(|l| l.starts_with("| Q-CERT-03 |") && l.contains(&format!("| {accepted} |"))),
            "{rfp}"
        );
        let json: serde_json::Value =
            serde_json::from_str(&read("questionnaire.ja.json")).expect("json");
        let cert = json["questions"]
            .as_array()
            .expect("questions")
            .iter()
            .find(|q| q["id"] == "Q-CERT-03")
            .expect("Q-CERT-03");
        let op = if lists.is_some() { "in" } else { "eq" };
        assert_eq!(
            cert["expected"],
            serde_json::json!({"op": op, "value": value, "parameter": "accepted_cloud_lists"})
        );
        // The service is on the ISMAP-LIU list only.
        let status = status_of_one_answer(
            dir.path(),
            &profile,
            &pkg,
            "Q-CERT-03",
            "ISMAP-LIUクラウドサービスリストに登録されている",
        );
        assert_eq!(status, verdict, "{lists:?}");
    }
}

/// A set parameter takes only its declared values, once each; the error names the file,
/// line and field, and nothing is written.
#[test]
fn a_set_parameter_refuses_unknown_and_repeated_values() {
    let base = std::fs::read_to_string("examples/r8-0312-kosodate-saas.yaml").expect("example");
    let line = base
        .lines()
        .position(|l| l == "parameters:")
        .expect("parameters")
        + 2;
    for (value, message) in [
        (
            "[ismap, soc2]",
            "parameter `accepted_cloud_lists`: `soc2` is not one of ismap, ismap_liu",
        ),
        (
            "[ismap, ismap]",
            "parameter `accepted_cloud_lists`: `ismap` is listed twice",
        ),
        (
            "[]",
            "parameter `accepted_cloud_lists`: name at least one of ismap, ismap_liu",
        ),
        (
            "ismap",
            "parameter `accepted_cloud_lists`: expected set, found string `ismap`",
        ),
    ] {
        let dir = TempDir::new().expect("dir");
        let profile = dir.path().join("p.yaml");
        std::fs::write(
            &profile,
            base.replace(
                "parameters:\n",
                &format!("parameters:\n  accepted_cloud_lists: {value}\n"),
            ),
        )
        .expect("profile");
        let out = dir.path().join("out");
        let assert = chotatsu()
            .arg("build")
            .arg(&profile)
            .arg("--out")
            .arg(&out)
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
        assert!(
            stderr.contains(&format!("p.yaml:{line}:")) && stderr.contains(message),
            "{value}: {stderr}"
        );
        assert!(!out.exists(), "{value}: nothing is written");
    }
}

/// The questionnaire JSON has exactly the documented shape.
#[test]
fn the_questionnaire_json_has_the_documented_shape() {
    let out = questionnaire("examples/r8-0530-water-scada.yaml", &["--format", "json"]);
    let text = std::fs::read_to_string(out.path().join("R8-0530/questionnaire.en.json"))
        .expect("json written");
    let json: serde_json::Value = serde_json::from_str(&text).expect("json");
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["contract_type", "procurement", "questions", "tier"]);
    assert_eq!(json["procurement"], "R8-0530");
    assert_eq!(json["tier"], 3);
    assert_eq!(json["contract_type"], "development");
    let questions = json["questions"].as_array().unwrap();
    let find = |id: &str| questions.iter().find(|q| q["id"] == id).expect(id).clone();
    assert_eq!(
        find("Q-SUPPORT-01"),
        serde_json::json!({
            "id": "Q-SUPPORT-01",
            "requirement": "(6)-2.4",
            "clauses": ["LIFE-01"],
            "text": "On what date is the Proposer to stop providing security updates for the software version proposed (YYYY-MM-DD)?",
            "answer": {"kind": "date"},
            // Ten years after delivery on 2028-03-31, the profile's support_years_min.
            "expected": {"op": "ge", "value": "2038-03-30", "parameter": "support_years_min"}
        })
    );
    let sbom = find("Q-SBOM-03");
    assert_eq!(sbom["answer"]["kind"], "choice");
    assert_eq!(
        sbom["expected"],
        serde_json::json!({"op": "eq", "value": "transitive"})
    );
    for q in questions {
        let op = q["expected"]["op"].as_str().unwrap();
        assert!(["eq", "ge", "le", "in", "any"].contains(&op), "{q}");
        let kind = q["answer"]["kind"].as_str().unwrap();
        assert!(["choice", "number", "date", "text"].contains(&kind), "{q}");
    }
}

#[test]
fn a_long_title_above_the_questions_gets_a_row_as_high_as_it_wraps() {
    // "Renewal of the Water Distribution Monitoring and Control System" takes two lines in
    // the question column; a short title one.
    for (profile, id, height) in [
        ("examples/r8-0530-water-scada.yaml", "R8-0530", "35"),
        (EXAMPLE, "R8-0421", "19"),
    ] {
        let out = questionnaire(profile, &["--format", "xlsx", "--lang", "ja"]);
        let sheet = zip_entry(
            &out.path().join(format!("{id}/questionnaire.ja.xlsx")),
            "xl/worksheets/sheet2.xml",
        );
        let row = format!("<row r=\"1\" ht=\"{height}\" customHeight=\"1\">");
        assert!(sheet.contains(&row), "{id}: {row}");
    }
}
