//! `chotatsu diff`: the binary on real contract revisions and on Japanese fixtures, plus
//! library-level properties (lossless segmentation, every clause accounted for once).

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use chotatsu::diff::redline::EditOp;
use chotatsu::diff::segment::segment;
use chotatsu::diff::{ClauseStatus, compare};
use serde_json::{Value, json};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diff")
        .join(rel)
}

fn read(rel: &str) -> String {
    fs::read_to_string(fixture(rel)).expect("fixture is readable")
}

fn chotatsu() -> Command {
    let mut cmd = assert_cmd::cargo_bin_cmd!("chotatsu");
    cmd.env_remove("NO_COLOR");
    cmd
}

/// Run `chotatsu diff` on two texts written to temporary files; (exit code, stdout).
fn diff_texts(old: &str, new: &str, format: &str) -> (i32, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (o, n) = (dir.path().join("old.md"), dir.path().join("new.md"));
    fs::write(&o, old).expect("write old");
    fs::write(&n, new).expect("write new");
    let out = chotatsu()
        .args(["diff", "--format", format])
        .arg(&o)
        .arg(&n)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("UTF-8 output"),
    )
}

fn diff_json(old: &str, new: &str) -> Value {
    let (_, out) = diff_texts(old, new, "json");
    serde_json::from_str(&out).expect("valid JSON")
}

/// (status, moved, renumbered, old number, new number) of every clause.
fn statuses(v: &Value) -> Vec<(String, bool, bool, Value, Value)> {
    v["clauses"]
        .as_array()
        .expect("clauses")
        .iter()
        .map(|c| {
            (
                c["status"].as_str().unwrap_or_default().to_string(),
                c["moved"].as_bool().unwrap_or_default(),
                c["renumbered"].as_bool().unwrap_or_default(),
                c["old"]["number"].clone(),
                c["new"]["number"].clone(),
            )
        })
        .collect()
}

fn mnda(a: &str, b: &str) -> Value {
    diff_json(
        &read(&format!("mnda/mnda-{a}.md")),
        &read(&format!("mnda/mnda-{b}.md")),
    )
}

/// Clauses of a MNDA comparison as (number or heading, status).
fn mnda_statuses(v: &Value) -> Vec<(String, String)> {
    v["clauses"]
        .as_array()
        .expect("clauses")
        .iter()
        .map(|c| {
            let side = if c["new"].is_null() {
                &c["old"]
            } else {
                &c["new"]
            };
            let name = side["number"]
                .as_str()
                .or(side["heading"].as_str())
                .unwrap_or("(block)")
                .to_string();
            (name, c["status"].as_str().unwrap_or_default().to_string())
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn mnda_first_revision_statuses() {
    // Read from the texts: 07-19 edits clauses 1, 2, 3, 5, 6, 9, 11 and the version line.
    let v = mnda("2021-07-12", "2021-07-19");
    assert_eq!(
        v["summary"],
        json!({"added": 0, "deleted": 0, "modified": 8, "unchanged": 5, "moved": 0, "renumbered": 0})
    );
    assert_eq!(
        mnda_statuses(&v),
        pairs(&[
            ("Standard Terms", "unchanged"),
            ("1.", "modified"),
            ("2.", "modified"),
            ("3.", "modified"),
            ("4.", "unchanged"),
            ("5.", "modified"),
            ("6.", "modified"),
            ("7.", "unchanged"),
            ("8.", "unchanged"),
            ("9.", "modified"),
            ("10.", "unchanged"),
            ("11.", "modified"),
            ("(block)", "modified"),
        ])
    );
}

#[test]
fn mnda_second_revision_statuses() {
    // 2022-06-07 renames the span class coversheet_link → coverpage_link in 1, 2, 5 and 9.
    let v = mnda("2021-07-19", "2022-06-07");
    assert_eq!(
        v["summary"],
        json!({"added": 0, "deleted": 0, "modified": 4, "unchanged": 9, "moved": 0, "renumbered": 0})
    );
    let modified: Vec<String> = mnda_statuses(&v)
        .into_iter()
        .filter(|(_, s)| s == "modified")
        .map(|(n, _)| n)
        .collect();
    assert_eq!(modified, vec!["1.", "2.", "5.", "9."]);
}

#[test]
fn mnda_punctuation_only_edit_redlines_just_the_punctuation() {
    let v = mnda("2021-07-12", "2021-07-19");
    let clause3 = &v["clauses"][3];
    assert_eq!(clause3["new"]["number"], "3.");
    let changes: Vec<(String, String)> = clause3["edits"]
        .as_array()
        .expect("edits")
        .iter()
        .filter(|e| e["op"] != "equal")
        .map(|e| {
            (
                e["op"].as_str().unwrap_or_default().to_string(),
                e["text"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    // Three ", " → "; " edits: Party, restrictions, restrictions.
    let expected: Vec<(String, String)> = (0..3)
        .flat_map(|_| [("delete".into(), ",".into()), ("insert".into(), ";".into())])
        .collect();
    assert_eq!(changes, expected);
}

#[test]
fn mnda_identical_versions_exit_zero() {
    let path = fixture("mnda/mnda-2022-06-07.md");
    chotatsu()
        .args(["diff", "--format", "json"])
        .arg(&path)
        .arg(&path)
        .assert()
        .code(0);
}

#[test]
fn corpus_segmentation_is_lossless() {
    for name in [
        "mnda-2021-07-12.md",
        "mnda-2021-07-19.md",
        "mnda-2022-06-07.md",
        "mnda-coverpage-2022-06-07.md",
    ] {
        let text = read(&format!("mnda/{name}"));
        let joined: String = segment(&text).iter().map(|s| s.text.as_str()).collect();
        assert_eq!(joined, text, "{name}");
    }
    let numbers: Vec<Option<String>> = segment(&read("mnda/mnda-2022-06-07.md"))
        .into_iter()
        .map(|s| s.number)
        .collect();
    let mut expected = vec![None];
    expected.extend((1..=11).map(|n| Some(format!("{n}."))));
    expected.push(None);
    assert_eq!(numbers, expected);
}

#[test]
fn tricky_inputs_segment_losslessly() {
    for text in [
        "",
        "\n",
        "\u{feff}",
        "\u{feff}第1条 a\r\n第2条 b",
        "第一条\r\n\r\n\r\n",
        "no newline at all",
        "# h\r\n1. a\r\n\r\ntrailer\r\n",
        "（目的）\n",
        "（目的）\n第1条の2\n２　項\n一　号\n",
        "#### SPEC-01 x\n##### sub\n#### SPEC-02\n",
        "1.\n(a)\n①\n（１）全角\n",
        "\n\n  \n\t\n",
    ] {
        let joined: String = segment(text).iter().map(|s| s.text.as_str()).collect();
        assert_eq!(joined, text, "{text:?}");
    }
}

#[test]
fn japanese_articles_segment_exactly() {
    let text = "（目的）\n第一条　目的を定める。\n２　前項の規定\n一　号\n第3条の2（定義）定義する。\n第１２条 全角\n## 第13条 見出し\n本文\n";
    let segs = segment(text);
    let got: Vec<(Option<&str>, Option<&str>)> = segs
        .iter()
        .map(|s| (s.number.as_deref(), s.heading.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            (Some("第一条"), Some("（目的）")),
            (Some("第3条の2"), Some("（定義）")),
            (Some("第１２条"), None),
            (Some("第13条"), Some("見出し")),
        ]
    );
    assert_eq!(
        segs[0].text,
        "（目的）\n第一条　目的を定める。\n２　前項の規定\n一　号\n"
    );
}

#[test]
fn japanese_fixture_exact_json() {
    let (code, out) = diff_texts(&read("ja/old.md"), &read("ja/new.md"), "json");
    assert_eq!(code, 1);
    assert_eq!(out, read("ja/expected.json"));
    let v: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(
        v["summary"],
        json!({"added": 1, "deleted": 1, "modified": 2, "unchanged": 7, "moved": 1, "renumbered": 4})
    );
    assert_eq!(
        statuses(&v)[3..],
        [
            (
                "modified".into(),
                false,
                false,
                json!("第2条"),
                json!("第2条")
            ),
            ("added".into(), false, false, Value::Null, json!("第3条")),
            (
                "modified".into(),
                false,
                true,
                json!("第3条"),
                json!("第4条")
            ),
            ("deleted".into(), false, false, json!("第4条"), Value::Null),
            (
                "unchanged".into(),
                false,
                false,
                json!("第5条"),
                json!("第5条")
            ),
            (
                "unchanged".into(),
                false,
                true,
                json!("第7条"),
                json!("第6条")
            ),
            (
                "unchanged".into(),
                false,
                true,
                json!("第8条"),
                json!("第7条")
            ),
            (
                "unchanged".into(),
                true,
                true,
                json!("第6条"),
                json!("第8条")
            ),
        ]
    );
}

fn articles(n: usize, extra_at: Option<usize>) -> String {
    let mut out = String::from("業務委託契約書\n\n");
    let mut number = 0;
    for i in 0..n {
        if extra_at == Some(i) {
            number += 1;
            out.push_str(&format!(
                "（新設）\n第{number}条　乙は、クラウドサービスの利用状況を記録する。\n\n"
            ));
        }
        number += 1;
        out.push_str(&format!(
            "（条項{i}）\n第{number}条　乙は、第{i}号様式による手順{i}を遵守し、記録{i}を保存する。\n\n"
        ));
    }
    out
}

#[test]
fn inserted_article_renumbers_the_rest_without_modifying_them() {
    let v = diff_json(&articles(10, None), &articles(10, Some(3)));
    assert_eq!(
        v["summary"],
        json!({"added": 1, "deleted": 0, "modified": 0, "unchanged": 11, "moved": 0, "renumbered": 7})
    );
    let got = statuses(&v);
    assert_eq!(got[4].0, "added");
    assert_eq!(got[4].4, json!("第4条"));
    assert_eq!(
        got[5],
        (
            "unchanged".into(),
            false,
            true,
            json!("第4条"),
            json!("第5条")
        )
    );
}

#[test]
fn moved_clause_is_flagged_moved_not_added_and_deleted() {
    let old = "1. **Scope**. The supplier provides hosting.\n\n2. **Fees**. The buyer pays monthly.\n\n3. **Audit**. The buyer may audit once a year.\n\n4. **Term**. This agreement lasts two years.\n";
    let new = "1. **Scope**. The supplier provides hosting.\n\n2. **Audit**. The buyer may audit once a year.\n\n3. **Fees**. The buyer pays monthly.\n\n4. **Term**. This agreement lasts two years.\n";
    let v = diff_json(old, new);
    assert_eq!(
        v["summary"],
        json!({"added": 0, "deleted": 0, "modified": 0, "unchanged": 4, "moved": 1, "renumbered": 2})
    );
    let got = statuses(&v);
    assert_eq!(
        got[1],
        ("unchanged".into(), true, true, json!("3."), json!("2."))
    );
    assert_eq!(
        got[2],
        ("unchanged".into(), false, true, json!("2."), json!("3."))
    );
}

#[test]
fn japanese_redline_joins_a_word_replacement() {
    let v = diff_json(
        "第1条　乙は、個人情報を暗号化して保管する。\n",
        "第1条　乙は、個人データを暗号化して保管する。\n",
    );
    assert_eq!(
        v["clauses"][0]["edits"],
        json!([
            {"op": "equal", "text": "第1条　乙は、個人"},
            {"op": "delete", "text": "情報"},
            {"op": "insert", "text": "データ"},
            {"op": "equal", "text": "を暗号化して保管する。"},
        ])
    );
}

#[test]
fn full_width_and_half_width_compare_equal() {
    let (code, out) = diff_texts(
        "第１条　乙はＩＳＯ／ＩＥＣ　２７００１を遵守する。\n",
        "第1条　乙はISO/IEC 27001を遵守する。\n",
        "text",
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("0 added, 0 deleted, 0 modified, 1 unchanged, 0 moved, 0 renumbered"));
}

#[test]
fn small_case_exact_json() {
    let (code, out) = diff_texts(
        "1. Alpha beta.\n\n2. Gamma.\n",
        "1. Alpha delta.\n\n2. Gamma.\n",
        "json",
    );
    assert_eq!(code, 1);
    let expected = r#"{
  "summary": {
    "added": 0,
    "deleted": 0,
    "modified": 1,
    "unchanged": 1,
    "moved": 0,
    "renumbered": 0
  },
  "clauses": [
    {
      "path": "1",
      "clause_id": null,
      "status": "modified",
      "moved": false,
      "renumbered": false,
      "old": {
        "path": "1",
        "number": "1.",
        "heading": null
      },
      "new": {
        "path": "1",
        "number": "1.",
        "heading": null
      },
      "edits": [
        {
          "op": "equal",
          "text": "1. Alpha "
        },
        {
          "op": "delete",
          "text": "beta"
        },
        {
          "op": "insert",
          "text": "delta"
        },
        {
          "op": "equal",
          "text": "."
        }
      ]
    },
    {
      "path": "2",
      "clause_id": null,
      "status": "unchanged",
      "moved": false,
      "renumbered": false,
      "old": {
        "path": "2",
        "number": "2.",
        "heading": null
      },
      "new": {
        "path": "2",
        "number": "2.",
        "heading": null
      },
      "edits": []
    }
  ]
}
"#;
    assert_eq!(out, expected);
}

/// The rows of the 新旧対照表 as (class, cells as plain text).
fn table_rows(html: &str) -> Vec<(String, Vec<String>)> {
    let body = &html[html.find("<tbody>").expect("tbody")..];
    body.split("<tr")
        .skip(1)
        .map(|row| {
            let class = row
                .split("class=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .unwrap_or_default()
                .to_string();
            let cells = row
                .split("<td")
                .skip(1)
                .map(|cell| {
                    let inner = &cell[cell.find('>').map_or(0, |i| i + 1)..];
                    let inner = &inner[..inner.find("</td>").unwrap_or(inner.len())];
                    strip_tags(inner)
                })
                .collect();
            (class, cells)
        })
        .collect()
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[test]
fn shinkyu_table_reads_back() {
    let (code, html) = diff_texts(&read("ja/old.md"), &read("ja/new.md"), "shinkyu");
    assert_eq!(code, 1);
    assert!(html.contains("<th>改正後</th><th>改正前</th><th>備考</th>"));
    let rows = table_rows(&html);
    let summary: Vec<(&str, &str)> = rows
        .iter()
        .map(|(class, cells)| (class.as_str(), cells[2].as_str()))
        .collect();
    assert_eq!(
        summary,
        vec![
            ("omitted", ""),
            ("changed", "変更"),
            ("changed", "新設"),
            ("changed", "変更・条番号変更"),
            ("changed", "削除"),
            ("omitted", ""),
            ("changed", "条番号変更"),
            ("changed", "条番号変更"),
            ("changed", "移動・条番号変更"),
        ]
    );
    assert_eq!(rows[0].1[0], "（略）");
    assert_eq!(rows[0].1[1], "（略）");
    // Changed words underlined on both sides.
    assert!(html.contains("個人<u>データ</u>を"));
    assert!(html.contains("個人<u>情報</u>を"));
    // A renumbered clause: number underlined, body folded.
    assert!(html.contains("<u>第6条</u> （準拠規格） （略）"));
    assert_eq!(rows[2].1[1], "");
}

#[test]
fn shinkyu_uses_english_labels_for_english_documents() {
    let (_, html) = diff_texts("1. Alpha.\n", "1. Beta.\n", "shinkyu");
    assert!(html.contains("<th>New</th><th>Old</th><th>Remarks</th>"));
}

#[test]
fn html_markdown_and_shinkyu_escape_the_contract_text() {
    let old = "1. Plain clause.\n";
    let new = "1. Plain clause <script>alert(1)</script> & \"more\".\n";
    for format in ["html", "md", "shinkyu"] {
        let (code, out) = diff_texts(old, new, format);
        assert_eq!(code, 1);
        assert!(!out.contains("<script>"), "{format}: {out}");
        assert!(out.contains("&lt;script&gt;"), "{format}");
    }
    let (_, html) = diff_texts(old, new, "html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("src="), "self-contained");
}

#[test]
fn exit_codes_follow_diff() {
    let same = fixture("ja/old.md");
    chotatsu()
        .arg("diff")
        .arg(&same)
        .arg(&same)
        .assert()
        .code(0);
    chotatsu()
        .arg("diff")
        .arg(&same)
        .arg(fixture("ja/new.md"))
        .assert()
        .code(1);
    chotatsu()
        .arg("diff")
        .arg(&same)
        .arg(fixture("ja/missing.md"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cannot read"));
    let dir = tempfile::tempdir().expect("temp dir");
    let latin1 = dir.path().join("latin1.txt");
    fs::write(&latin1, b"1. caf\xe9\n").expect("write");
    chotatsu()
        .arg("diff")
        .arg(&same)
        .arg(&latin1)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not valid UTF-8"));
}

#[test]
fn crlf_and_bom_input_equals_lf_input() {
    let lf = read("ja/old.md");
    let crlf = format!("\u{feff}{}", lf.replace('\n', "\r\n"));
    let (code, out) = diff_texts(&crlf, &lf, "text");
    assert_eq!(code, 0, "{out}");
    let joined: String = segment(&crlf).iter().map(|s| s.text.as_str()).collect();
    assert_eq!(joined, crlf);
}

#[test]
fn out_writes_the_report_to_a_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("report.json");
    chotatsu()
        .arg("diff")
        .arg(fixture("ja/old.md"))
        .arg(fixture("ja/new.md"))
        .args(["--format", "json", "--out"])
        .arg(&out)
        .assert()
        .code(1)
        .stdout("");
    assert_eq!(
        fs::read_to_string(&out).expect("written"),
        read("ja/expected.json")
    );
}

#[test]
fn text_colour_only_when_asked_and_never_with_no_color() {
    let args = |c: &mut Command| {
        c.arg("diff")
            .arg(fixture("ja/old.md"))
            .arg(fixture("ja/new.md"));
    };
    let mut plain = chotatsu();
    args(&mut plain);
    let out = plain.output().expect("runs");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(!text.contains('\u{1b}'), "not a terminal: no colour");
    assert!(text.contains("個人[-情報-]{+データ+}を"));

    let mut forced = chotatsu();
    args(&mut forced);
    forced.arg("--color=always");
    let text = String::from_utf8(forced.output().expect("runs").stdout).expect("UTF-8");
    assert!(text.contains("\u{1b}[31;9m情報\u{1b}[0m"));
}

#[test]
fn clause_ids_align_exactly_even_when_rewritten_and_reordered() {
    let old = "# 別紙\n\n#### SPEC-01 セキュリティ仕様の事前合意\n設計前に合意する。\n\n#### SPEC-02 ログ\nログを一年保存する。\n";
    let new = "# 別紙\n\n#### SPEC-02 ログの保存\n監査ログを五年間保存し、改ざんを防止する。\n\n#### SPEC-01 セキュリティ仕様の事前合意\n設計前に合意する。\n";
    let v = diff_json(old, new);
    let got = statuses(&v);
    // The two swapped clauses: one of them is the one that moved.
    assert_eq!(
        got[1],
        (
            "modified".into(),
            true,
            false,
            json!("SPEC-02"),
            json!("SPEC-02")
        )
    );
    assert_eq!(
        got[2],
        (
            "unchanged".into(),
            false,
            false,
            json!("SPEC-01"),
            json!("SPEC-01")
        )
    );
}

#[test]
fn pathological_inputs_finish() {
    // Everything rewritten.
    let old: String = (0..2000)
        .map(|i| format!("{i}. alpha{i} beta{} gamma{}\n\n", i * 7, i * 13))
        .collect();
    let new: String = (0..2000)
        .map(|i| format!("{i}. delta{i} epsilon{} zeta{}\n\n", i * 11, i * 17))
        .collect();
    let cmp = compare(&old, &new);
    assert_eq!(cmp.summary.added + cmp.summary.modified, 2000);
    // Thousands of identical clauses, one removed.
    let same: String = (0..3000)
        .map(|i| format!("{i}. 同一の条項本文。\n"))
        .collect();
    let fewer: String = (0..2999)
        .map(|i| format!("{i}. 同一の条項本文。\n"))
        .collect();
    let cmp = compare(&same, &fewer);
    assert_eq!(cmp.summary.deleted, 1);
    // One enormous Japanese clause with a word changed in every sentence.
    let big_old: String = "第1条　".to_string() + &"情報を暗号化する。".repeat(5000);
    let big_new: String = "第1条　".to_string() + &"データを暗号化する。".repeat(5000);
    let cmp = compare(&big_old, &big_new);
    assert_eq!(cmp.summary.modified, 1);
}

/// A small deterministic generator (xorshift), so the property test needs no extra crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const WORDS: [&str; 12] = [
    "乙は",
    "甲に",
    "個人情報を",
    "暗号化して",
    "保管する。",
    "the supplier",
    "shall",
    "notify",
    "ＩＳＯ",
    "27001",
    "（目的）",
    "監査",
];

fn random_clause(rng: &mut Rng) -> String {
    let n = 1 + rng.below(8);
    (0..n)
        .map(|_| WORDS[rng.below(WORDS.len())])
        .collect::<Vec<_>>()
        .join(" ")
}

fn render_doc(rng: &mut Rng, clauses: &[String], japanese: bool) -> String {
    let newline = if rng.below(4) == 0 { "\r\n" } else { "\n" };
    let mut out = String::new();
    if rng.below(5) == 0 {
        out.push('\u{feff}');
    }
    if rng.below(3) == 0 {
        out.push_str(&format!("前文{newline}{newline}"));
    }
    for (i, c) in clauses.iter().enumerate() {
        if japanese {
            out.push_str(&format!("第{}条　{c}{newline}", i + 1));
        } else {
            out.push_str(&format!("{}. {c}{newline}{newline}", i + 1));
        }
    }
    if rng.below(2) == 0 {
        out.truncate(out.trim_end().len());
    }
    out
}

#[test]
fn property_lossless_and_every_clause_accounted_for_once() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..300 {
        let japanese = rng.below(2) == 0;
        let old_clauses: Vec<String> = (0..rng.below(12))
            .map(|_| random_clause(&mut rng))
            .collect();
        let mut new_clauses = old_clauses.clone();
        for _ in 0..rng.below(5) {
            match rng.below(4) {
                0 if !new_clauses.is_empty() => {
                    let i = rng.below(new_clauses.len());
                    new_clauses.remove(i);
                }
                1 => {
                    let i = rng.below(new_clauses.len() + 1);
                    new_clauses.insert(i, random_clause(&mut rng));
                }
                2 if !new_clauses.is_empty() => {
                    let i = rng.below(new_clauses.len());
                    new_clauses[i].push_str(" 追記");
                }
                _ if new_clauses.len() > 1 => {
                    let (i, j) = (rng.below(new_clauses.len()), rng.below(new_clauses.len()));
                    new_clauses.swap(i, j);
                }
                _ => {}
            }
        }
        let old = render_doc(&mut rng, &old_clauses, japanese);
        let new = render_doc(&mut rng, &new_clauses, japanese);
        for text in [&old, &new] {
            let joined: String = segment(text).iter().map(|s| s.text.as_str()).collect();
            assert_eq!(&joined, text);
        }
        let cmp = compare(&old, &new);
        let mut seen_old = vec![0; cmp.old.len()];
        let mut seen_new = vec![0; cmp.new.len()];
        for c in &cmp.clauses {
            match c.status {
                ClauseStatus::Added => assert!(c.old.is_none() && c.new.is_some()),
                ClauseStatus::Deleted => assert!(c.old.is_some() && c.new.is_none()),
                _ => assert!(c.old.is_some() && c.new.is_some()),
            }
            if let Some(o) = c.old {
                seen_old[o] += 1;
            }
            if let Some(n) = c.new {
                seen_new[n] += 1;
            }
            // The redline gives back both sides' text (up to width and spacing).
            if c.status == ClauseStatus::Modified {
                let new_text: String = c
                    .edits
                    .iter()
                    .filter(|e| e.op != EditOp::Delete)
                    .map(|e| e.text.as_str())
                    .collect();
                assert_eq!(new_text, cmp.new[c.new.unwrap_or_default()].display());
            }
        }
        assert!(seen_old.iter().all(|&n| n == 1), "{old:?} → {new:?}");
        assert!(seen_new.iter().all(|&n| n == 1), "{old:?} → {new:?}");
        let s = cmp.summary;
        assert_eq!(
            s.added + s.deleted + s.modified + s.unchanged,
            cmp.clauses.len()
        );
    }
}

#[test]
fn snapshots_of_the_japanese_case() {
    let old = "（目的）\n第1条　乙は、個人情報を暗号化して保管する。\n\n（報告）\n第2条　乙は、毎月報告する。\n\n（監査）\n第3条　甲は監査できる。\n";
    let new = "（目的）\n第1条　乙は、個人データを暗号化して保管する。\n\n（通知）\n第2条　乙は、事故を直ちに通知する。\n\n（報告）\n第3条　乙は、毎月報告する。\n\n（監査）\n第4条　甲は監査できる。\n";
    for format in ["md", "html", "shinkyu"] {
        let (code, out) = diff_texts(old, new, format);
        assert_eq!(code, 1);
        insta::assert_snapshot!(format!("japanese_{format}"), out);
    }
}

#[test]
fn text_that_lies_in_an_input_is_shown_and_noted() {
    // A right-to-left override slipped into the new version: the report shows it as a
    // visible insertion, never raw, and stderr names the file and line.
    let dir = tempfile::tempdir().expect("temp dir");
    let (o, n) = (dir.path().join("old.md"), dir.path().join("new.md"));
    fs::write(&o, "前文\n\n第1条　乙は、30日以内に通知する。\n").expect("write old");
    fs::write(&n, "前文\n\n第1条　乙は、\u{202E}30日以内に通知する。\n").expect("write new");
    let out = chotatsu()
        .args(["diff", "--format", "json"])
        .arg(&o)
        .arg(&n)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(!stdout.contains('\u{202E}'));
    let v: Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(
        v["clauses"][1]["edits"][1],
        json!({"op": "insert", "text": "⟨U+202E⟩"})
    );
    let stderr = String::from_utf8(out.stderr).expect("UTF-8");
    assert_eq!(
        stderr,
        format!(
            "note: {} line 3: U+202E (a bidirectional control character), shown in the comparison as ⟨U+202E⟩\n",
            n.display()
        )
    );
}

/// Write the contract annex of `profile` in `format` into `dir` and return its path.
fn annex_of(profile: &Path, format: &str, dir: &Path) -> PathBuf {
    chotatsu()
        .arg("annex")
        .arg(profile)
        .args(["--format", format, "--out"])
        .arg(dir)
        .assert()
        .success();
    dir.join(format!("R8-0421/annex.ja.{format}"))
}

/// (path, clause ID, status) of every clause of a JSON report.
fn clause_ids(json: &str) -> Vec<(Value, Value, Value)> {
    let v: Value = serde_json::from_str(json).expect("JSON");
    v["clauses"]
        .as_array()
        .expect("clauses")
        .iter()
        .map(|c| {
            (
                c["path"].clone(),
                c["clause_id"].clone(),
                c["status"].clone(),
            )
        })
        .collect()
}

/// The example profile, and a copy in `dir` whose buyer shortens the lead time for
/// subcontracting (SUPP-01) from the tier default of 30 days to 14.
fn example_and_subcontracting_in_14_days(dir: &Path) -> (PathBuf, PathBuf) {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/r8-0421.yaml");
    let profile = fs::read_to_string(&example).expect("example profile");
    let edited = dir.join("r8-0421-v2.yaml");
    fs::write(
        &edited,
        profile.replace(
            "  critical_apply_days: 5\n",
            "  critical_apply_days: 5\n  subcontract_request_days: 14\n",
        ),
    )
    .expect("write the second profile");
    (example, edited)
}

#[test]
fn html_annexes_name_their_clause_ids_from_data_clause() {
    // Two versions of chotatsu's annex as HTML: the buyer shortens the lead time for
    // subcontracting (SUPP-01, 第8条) from the tier default of 30 days to 14.
    let dir = tempfile::tempdir().expect("temp dir");
    let (example, edited) = example_and_subcontracting_in_14_days(dir.path());
    let (old, new) = (dir.path().join("old"), dir.path().join("new"));
    let diff = |a: &Path, b: &Path, format: &str| {
        let out = chotatsu()
            .args(["diff", "--format", format])
            .arg(a)
            .arg(b)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        String::from_utf8(out.stdout).expect("UTF-8")
    };
    let (old_html, new_html) = (
        annex_of(&example, "html", &old),
        annex_of(&edited, "html", &new),
    );
    let html = clause_ids(&diff(&old_html, &new_html, "json"));
    let changed: Vec<_> = html.iter().filter(|c| c.2 != "unchanged").collect();
    assert_eq!(
        changed,
        [
            &(json!("第2章第8条"), json!("SUPP-01"), json!("modified")),
            // 発注者が定める値, the table of the values the buyer sets.
            &(Value::Null, Value::Null, json!("modified")),
        ]
    );
    // Every article, 第1条（定義） too, is a library clause, as in the Markdown annex: the same
    // clauses, paths, IDs and statuses.
    let with_id = html.iter().filter(|c| c.1.is_string()).count();
    assert_eq!(with_id, 43);
    let (old_md, new_md) = (
        annex_of(&example, "md", &old),
        annex_of(&edited, "md", &new),
    );
    assert_eq!(html, clause_ids(&diff(&old_md, &new_md, "json")));
    assert!(
        diff(&old_html, &new_html, "text")
            .contains("\n~ 第2章第8条 （再委託の承認及び一括再委託の禁止） [SUPP-01] [Modified]\n")
    );

    // The IDs come from `data-clause` alone: without the 要求事項対応表 they are still there.
    let cut = |path: &Path| {
        let page = fs::read_to_string(path).expect("annex HTML");
        let at = page
            .find("<h2>要求事項対応表</h2>")
            .expect("the traceability table");
        let short = path.with_extension("cut.html");
        fs::write(
            &short,
            format!("{}</main>\n</body>\n</html>\n", &page[..at]),
        )
        .expect("write");
        short
    };
    let without_table = clause_ids(&diff(&cut(&old_html), &cut(&new_html), "json"));
    assert_eq!(
        without_table
            .iter()
            .filter(|c| c.2 != "unchanged")
            .collect::<Vec<_>>(),
        changed
    );
    assert_eq!(without_table.iter().filter(|c| c.1.is_string()).count(), 43);
}

/// An English annex (`### Article 8 …` with paragraphs `1.`, `2.`): the paragraphs belong to
/// their article, so a changed deadline is reported against the article and its clause ID,
/// not as a numbered paragraph of its own.
#[test]
fn english_annexes_keep_paragraphs_inside_their_article() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (example, edited) = example_and_subcontracting_in_14_days(dir.path());
    let annex = |profile: &Path, out: &str| {
        let out = dir.path().join(out);
        chotatsu()
            .arg("annex")
            .arg(profile)
            .args(["--lang", "en", "--format", "md", "--out"])
            .arg(&out)
            .assert()
            .success();
        out.join("R8-0421/annex.en.md")
    };
    let (old, new) = (annex(&example, "old"), annex(&edited, "new"));
    let out = chotatsu()
        .args(["diff", "--format", "json"])
        .arg(&old)
        .arg(&new)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let clauses = clause_ids(&String::from_utf8(out.stdout).expect("UTF-8"));
    let changed: Vec<_> = clauses.iter().filter(|c| c.2 != "unchanged").collect();
    assert_eq!(
        changed,
        [
            &(json!("Article 8"), json!("SUPP-01"), json!("modified")),
            // Values set by the Buyer.
            &(Value::Null, Value::Null, json!("modified")),
        ]
    );
    // As many clauses as the Japanese annex: the title, the overview, 5 chapters, 43
    // articles (each with its ID) and the 3 closing sections; no paragraph on its own.
    assert_eq!(clauses.iter().filter(|c| c.1.is_string()).count(), 43);
    assert_eq!(clauses.len(), 53);
}
