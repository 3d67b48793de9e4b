//! The clause library as users meet it: `check`, `list`, `show`, `matrix`, and the annex of
//! each example profile (selected clauses pinned, Markdown snapshotted, HTML parsed back).

#[path = "common/clause_sets.rs"]
mod clause_sets;

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn chotatsu() -> Command {
    Command::cargo_bin("chotatsu").expect("binary built")
}

fn stdout(args: &[&str]) -> String {
    let out = chotatsu()
        .args(args)
        .assert()
        .success()
        .get_output()
        .clone();
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn check_reports_counts_per_keyed_requirement_and_tier() {
    let out = stdout(&["check"]);
    assert!(out.contains("40 clauses (40 bundled"), "{out}");
    assert!(out.contains("clauses per keyed requirement and tier (minimum 3):"));
    assert!(
        out.contains("  (2)-3    tier 1: 4, tier 2: 9, tier 3: 10\n"),
        "{out}"
    );
    assert!(
        out.contains("  (6)-2.1  tier 1: 10, tier 2: 15, tier 3: 15\n"),
        "{out}"
    );
    assert!(
        out.contains("  (6)-2.2  tier 1: 5, tier 2: 7, tier 3: 8\n"),
        "{out}"
    );
    assert!(
        out.contains("  (6)-2.4  tier 1: 4, tier 2: 6, tier 3: 7\n"),
        "{out}"
    );
    assert!(out.contains("all known; every clause cites at least one of the 54 references"));
    assert!(out.ends_with("no problems found\n"));
}

#[test]
fn check_rejects_an_overlay_leaving_fewer_clauses_than_the_minimum() {
    chotatsu()
        .args(["check", "--library", &fixture("overlay-too-few")])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "requirement (2)-3: 2 clauses at tier 1 (SUPP-01, NC-01), fewer than the minimum of 3 set in requirements.yaml",
        ))
        // Tiers 2 and 3 still have enough.
        .stderr(predicate::str::contains("at tier 2").not());
}

#[test]
fn check_rejects_a_clause_citing_no_known_reference() {
    chotatsu()
        .args(["check", "--library", &fixture("overlay-no-reference")])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "clause ORG-01: cites no known reference (at least one identifier from references.yaml is required)",
        ));
}

#[test]
fn check_rejects_a_clause_citing_an_unknown_reference() {
    chotatsu()
        .args(["check", "--library", &fixture("overlay-unknown-reference")])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "clause ORG-02: cites unknown reference `iso27001-a9.99` (add it to references.yaml)",
        ))
        .stderr(predicate::str::contains(
            "clause ORG-02: cites no known reference",
        ));
}

#[test]
fn list_filters_by_tier_and_requirement() {
    let out = stdout(&[
        "list",
        "--tier",
        "1",
        "--requirement",
        "(2)-3",
        "--lang",
        "en",
    ]);
    assert_eq!(
        out,
        "SUPP-01  (2)-3  tier 1  Flow-down to subcontractors\n\
         SUPP-03  (2)-3  tier 1  Acceptance of third-party components\n\
         SUPP-04  (2)-3  tier 1  Incident notice from subcontractors\n\
         NC-01    (2)-3  tier 1  Handling non-conformance\n"
    );
    let all = stdout(&["list"]);
    assert_eq!(all.lines().count(), 40);
}

#[test]
fn list_json_has_the_documented_shape() {
    let out = stdout(&["list", "--format", "json", "--requirement", "(6)-2.4"]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let items = v.as_array().expect("array");
    let ids: Vec<&str> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "LIFE-01", "LIFE-02", "LIFE-03", "LIFE-04", "LIFE-05", "LIFE-06", "LIFE-07"
        ]
    );
    assert_eq!(
        items[4],
        serde_json::json!({"id": "LIFE-05", "requirements": ["(6)-2.4"], "min_tier": 3, "title": "リスク対応予備費"})
    );
}

#[test]
fn list_rejects_an_unknown_requirement() {
    chotatsu()
        .args(["list", "--requirement", "(9)-9"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown requirement `(9)-9`"));
}

#[test]
fn show_renders_the_clause_at_the_tier_with_defaults() {
    let t1 = stdout(&["show", "SBOM-01", "--lang", "en"]);
    assert!(t1.starts_with("SBOM-01 Software bill of materials (SBOM)\n"));
    assert!(t1.contains("at least the top-level components"));
    assert!(!t1.contains("sign the SBOM"));
    assert!(t1.contains("  sbom_request_days = 14 days"));
    assert!(t1.contains("  ntia-sbom-minimum-elements  NTIA Minimum Elements for an SBOM (2021)"));

    let t3 = stdout(&["show", "SBOM-01", "--tier", "3", "--lang", "en"]);
    assert!(t3.contains("every component, including transitive dependencies"));
    assert!(t3.contains("sign the SBOM digitally"));
    assert!(t3.contains("  sbom_request_days = 5 days"));

    let ja = stdout(&["show", "AUTH-01", "--tier", "3"]);
    assert!(ja.contains("管理者以外の全ての利用者にも多要素認証を適用しなければならない。"));
    assert!(ja.contains("15分間操作のないセッション"));
}

#[test]
fn show_rejects_unknown_ids_and_tiers_below_the_clause() {
    chotatsu()
        .args(["show", "SBOM-99"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown clause `SBOM-99`; similar IDs: SBOM-01",
        ));
    chotatsu()
        .args(["show", "life-05"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean LIFE-05?"));
    chotatsu()
        .args(["show", "AUDIT-01", "--tier", "2"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("applies from tier 3"));
}

#[test]
fn matrix_csv_pins_the_coverage() {
    let out = stdout(&["matrix", "--format", "csv"]);
    let expected = [
        "requirement,keyed,tier_1,tier_2,tier_3",
        "(2)-3,true,SUPP-01 SUPP-03 SUPP-04 NC-01,SUPP-01 SUPP-02 SUPP-03 SUPP-04 CLOUD-01 NC-01 NC-02 ATTEST-01 EVID-01,SUPP-01 SUPP-02 SUPP-03 SUPP-04 CLOUD-01 NC-01 NC-02 ATTEST-01 EVID-01 AUDIT-01",
        "(6)-2.1,true,SPEC-01 CONF-01 AUTH-01 TEST-01 SBOM-01 INTEG-01 VULN-01 NOTIFY-01 EOS-01 DATA-01,SPEC-01 RISK-01 CONF-01 AUTH-01 LOG-01 TEST-01 SBOM-01 VEX-01 INTEG-01 VULN-01 NOTIFY-01 EOS-01 UPD-01 BUILD-01 DATA-01,SPEC-01 RISK-01 CONF-01 AUTH-01 LOG-01 TEST-01 SBOM-01 VEX-01 INTEG-01 VULN-01 NOTIFY-01 EOS-01 UPD-01 BUILD-01 DATA-01",
        "(6)-2.2,true,DISC-01 DISC-02 DISC-03 DISC-04 DISC-08,DISC-01 DISC-02 DISC-03 DISC-04 DISC-05 DISC-06 DISC-08,DISC-01 DISC-02 DISC-03 DISC-04 DISC-05 DISC-06 DISC-07 DISC-08",
        "(6)-2.4,true,LIFE-01 LIFE-02 LIFE-03 LIFE-07,LIFE-01 LIFE-02 LIFE-03 LIFE-04 LIFE-06 LIFE-07,LIFE-01 LIFE-02 LIFE-03 LIFE-04 LIFE-05 LIFE-06 LIFE-07",
    ];
    assert_eq!(out, expected.join("\r\n") + "\r\n");
}

#[test]
fn matrix_md_and_json_agree_with_csv() {
    let md = stdout(&["matrix"]);
    assert!(md.starts_with("| requirement | tier 1 | tier 2 | tier 3 |\n|---|---|---|---|\n"));
    assert!(md.contains("| **(6)-2.4** | 4: LIFE-01, LIFE-02, LIFE-03, LIFE-07 | 6: "));
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&["matrix", "--format", "json"])).expect("JSON");
    let rows = json.as_array().expect("array");
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[2]["requirement"], "(6)-2.2");
    assert_eq!(rows[2]["tiers"][2]["tier"], 3);
    assert_eq!(rows[2]["tiers"][2]["clauses"].as_array().unwrap().len(), 8);
}

/// Render an example's annex in `lang` into a temporary folder; returns (markdown, html).
fn annex(example: &str, id: &str, lang: &str) -> (String, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let profile = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(example);
    chotatsu()
        .args([
            "annex",
            &profile.display().to_string(),
            "--lang",
            lang,
            "--out",
        ])
        .arg(dir.path())
        .assert()
        .success();
    let read = |ext: &str| {
        std::fs::read_to_string(dir.path().join(id).join(format!("annex.{lang}.{ext}")))
            .expect("annex written")
    };
    (read("md"), read("html"))
}

fn clause_ids(markdown: &str) -> Vec<&str> {
    markdown
        .lines()
        .filter_map(|l| l.strip_prefix("#### "))
        .filter_map(|l| l.split_whitespace().next())
        .collect()
}

fn fiscal_year_rows(markdown: &str) -> Vec<&str> {
    let section = markdown
        .split("\n## 5. ")
        .nth(1)
        .and_then(|s| s.split("\n## 6. ").next())
        .expect("budget section");
    section
        .lines()
        .filter(|l| {
            l.starts_with("| ")
                && !l.starts_with("| **")
                && !l.starts_with("| 年度")
                && !l.starts_with("| Fiscal year")
        })
        .filter_map(|l| l.split(" | ").next())
        .map(|c| c.trim_start_matches("| "))
        .collect()
}

/// Checks an annex's HTML is a whole page with the sections and tables the Markdown has.
fn assert_html_matches(markdown: &str, html: &str) {
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    let md_tables = markdown.lines().filter(|l| l.starts_with("|---")).count();
    assert_eq!(html.matches("<table>").count(), md_tables);
    assert_eq!(
        html.matches("<table>").count(),
        html.matches("</table>").count()
    );
    let md_h2 = markdown.lines().filter(|l| l.starts_with("## ")).count();
    assert_eq!(html.matches("<h2>").count(), md_h2);
    assert_eq!(
        html.matches("<h4 id=").count(),
        clause_ids(markdown).len(),
        "every clause heading has an anchor"
    );
}

/// Every bundled clause, in library order: a tier-3 annex selects all but its exclusions.
use clause_sets::TIER3 as ALL;

fn all_but(excluded: &str) -> Vec<&'static str> {
    ALL.iter().copied().filter(|id| *id != excluded).collect()
}

use clause_sets::TIER1;

#[test]
fn tier1_internal_tool() {
    for lang in ["ja", "en"] {
        let (md, html) = annex("r8-0105-meeting-rooms.yaml", "R8-0105", lang);
        assert_eq!(clause_ids(&md), TIER1);
        assert_html_matches(&md, &html);
        insta::assert_snapshot!(format!("r8_0105_{lang}"), md);
    }
    let (md, _) = annex("r8-0105-meeting-rooms.yaml", "R8-0105", "ja");
    // Regression: a parameter used only in a branch of a higher tier (the penetration-test
    // interval of TEST-01) is not in force at tier 1 and stays out of the parameters table.
    assert!(!md.contains("pentest_interval_months"));
    assert!(md.contains("(`test_report_days`) | 14 | 日 | 14日 | 区分の既定値 | TEST-01 |"));
    // Support 3 years from 2026-04-01 ends with the contract on 2029-03-31.
    assert_eq!(
        fiscal_year_rows(&md),
        ["令和8年度", "令和9年度", "令和10年度"]
    );
}

#[test]
fn tier2_municipal_saas_with_budget() {
    let (md, html) = annex("r8-0312-kosodate-saas.yaml", "R8-0312", "ja");
    assert_eq!(clause_ids(&md), clause_sets::TIER2);
    assert_eq!(
        fiscal_year_rows(&md),
        [
            "令和8年度",
            "令和9年度",
            "令和10年度",
            "令和11年度",
            "令和12年度",
            "令和13年度"
        ]
    );
    assert!(md.contains(
        "| 令和11年度 | 契約期間・サポート期間 | 3,600,000 | 1,200,000 | 480,000 | 600,000 | 500,000 | 2,000,000 | 8,380,000 |"
    ));
    assert!(md.contains(
        "| **合計** | | **21,600,000** | **6,000,000** | **2,400,000** | **2,400,000** | **1,500,000** | **3,500,000** | **37,400,000** |"
    ));
    // The override is marked as such, with the tier default beside it.
    assert!(md.contains(
        "| セキュリティログの保存期間 (`log_retention_days`) | 400 | 日 | 365日 | 発注者による指定（既定値を変更） | LOG-01 |"
    ));
    assert!(md.contains(
        "| 最低サポート期間 (`support_years_min`) | 5 | 年 | 5年 | 区分の既定値 | LIFE-01 |"
    ));
    assert_html_matches(&md, &html);
    insta::assert_snapshot!("r8_0312_ja", md);
    let (en, html) = annex("r8-0312-kosodate-saas.yaml", "R8-0312", "en");
    assert_eq!(fiscal_year_rows(&en)[0], "FY2026 (Apr 2026–Mar 2027)");
    assert_html_matches(&en, &html);
    insta::assert_snapshot!("r8_0312_en", en);
}

#[test]
fn tier3_critical_infrastructure_in_english() {
    let (en, html) = annex("r8-0530-water-scada.yaml", "R8-0530", "en");
    let ids = clause_ids(&en);
    assert_eq!(ids, all_but("CLOUD-01"));
    // Ten years of support from 2026-09-01: FY2026 to FY2036.
    let rows = fiscal_year_rows(&en);
    assert_eq!(rows.len(), 11);
    assert_eq!(rows[0], "FY2026 (Apr 2026–Mar 2027)");
    assert_eq!(rows[10], "FY2036 (Apr 2036–Mar 2037)");
    assert!(en.contains("| FY2028 (Apr 2028–Mar 2029) | contract |"));
    assert!(en.contains("| FY2029 (Apr 2029–Mar 2030) | support |"));
    assert_html_matches(&en, &html);
    insta::assert_snapshot!("r8_0530_en", en);
    let (ja, html) = annex("r8-0530-water-scada.yaml", "R8-0530", "ja");
    assert_eq!(clause_ids(&ja), ids);
    assert_eq!(rows.len(), fiscal_year_rows(&ja).len());
    assert_html_matches(&ja, &html);
    insta::assert_snapshot!("r8_0530_ja", ja);
}

#[test]
fn tier3_resident_records() {
    let (ja, html) = annex("r8-0421.yaml", "R8-0421", "ja");
    assert_eq!(clause_ids(&ja), all_but("LIFE-04"));
    // The contract 2026-07-01..2031-03-31 gives 令和8年度..令和12年度; seven years of support
    // from the start run to 2033-06-30, adding 令和13年度..令和15年度.
    assert_eq!(
        fiscal_year_rows(&ja),
        [
            "令和8年度",
            "令和9年度",
            "令和10年度",
            "令和11年度",
            "令和12年度",
            "令和13年度",
            "令和14年度",
            "令和15年度",
        ]
    );
    assert_html_matches(&ja, &html);
    insta::assert_snapshot!("r8_0421_ja", ja);
    let (en, html) = annex("r8-0421.yaml", "R8-0421", "en");
    assert_html_matches(&en, &html);
    insta::assert_snapshot!("r8_0421_en", en);
}

/// Every clause of a tier-3 annex states a number: a deadline, period or count.
#[test]
fn every_tier3_clause_is_concrete() {
    let (ja, _) = annex("r8-0421.yaml", "R8-0421", "ja");
    for block in ja.split("\n#### ").skip(1) {
        let body = block.split("\n*").next().unwrap_or(block);
        let id = body.split_whitespace().next().unwrap_or("");
        let text: String = body.lines().skip(1).collect::<Vec<_>>().join("\n");
        // List numbering does not count: look for a digit inside the sentences.
        let has_number = text
            .lines()
            .map(|l| {
                l.trim_start()
                    .trim_start_matches(|c: char| c.is_ascii_digit())
                    .trim_start_matches(". ")
            })
            .any(|l| l.chars().any(|c| c.is_ascii_digit()));
        assert!(has_number, "{id} states no number:\n{text}");
        assert!(
            !text.contains("適切な措置"),
            "{id} only says 'appropriate measures'"
        );
    }
}
