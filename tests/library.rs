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
    assert!(out.contains("clauses per keyed requirement, contract type and tier (minimum 3):"));
    assert!(
        out.contains("  (2)-3    development tier 1:  4, tier 2:  9, tier 3: 10\n"),
        "{out}"
    );
    assert!(
        out.contains("  (6)-2.1  saas        tier 1:  7, tier 2: 10, tier 3: 10\n"),
        "{out}"
    );
    assert!(
        out.contains("  (6)-2.1  operation   tier 1:  9, tier 2: 12, tier 3: 12\n"),
        "{out}"
    );
    assert!(
        out.contains("  (6)-2.2  package     tier 1:  5, tier 2:  7, tier 3:  8\n"),
        "{out}"
    );
    assert!(
        out.contains("  (6)-2.4  saas        tier 1:  3, tier 2:  4, tier 3:  5\n"),
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
            "requirement (2)-3: 2 clauses for development contracts at tier 1 (SUPP-01, NC-01), fewer than the minimum of 3 set in requirements.yaml",
        ))
        .stderr(predicate::str::contains(
            "requirement (2)-3: 2 clauses for saas contracts at tier 1 (SUPP-01, NC-01), fewer than the minimum of 3 set in requirements.yaml",
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
        "SUPP-01  (2)-3  development,package,saas,operation  tier 1  Flow-down to subcontractors\n\
         SUPP-03  (2)-3  development,package,saas,operation  tier 1  Acceptance of third-party components\n\
         SUPP-04  (2)-3  development,package,saas,operation  tier 1  Incident notice from subcontractors\n\
         NC-01    (2)-3  development,package,saas,operation  tier 1  Handling non-conformance\n"
    );
    let all = stdout(&["list"]);
    assert_eq!(all.lines().count(), 40);
    // --type narrows to the clauses of a contract type.
    let saas = stdout(&["list", "--type", "saas", "--requirement", "(6)-2.4"]);
    let ids: Vec<&str> = saas.lines().map(|l| l.split(' ').next().unwrap()).collect();
    assert_eq!(ids, ["LIFE-02", "LIFE-03", "LIFE-04", "LIFE-05", "LIFE-07"]);
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
        serde_json::json!({
            "id": "LIFE-05",
            "requirements": ["(6)-2.4"],
            "contract_types": ["development", "package", "saas", "operation"],
            "min_tier": 3,
            "title": "リスク対応予備費",
            "cites": ["LIFE-02", "LIFE-04"]
        })
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
    let lines: Vec<&str> = out.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "requirement,keyed,contract_type,tier_1,tier_2,tier_3"
    );
    assert_eq!(
        lines.len(),
        1 + 4 * 4 + 1,
        "a row per requirement and type, and the end"
    );
    assert_eq!(
        lines[1],
        "(2)-3,true,development,SUPP-01 SUPP-03 SUPP-04 NC-01,SUPP-01 SUPP-02 SUPP-03 SUPP-04 CLOUD-01 NC-01 NC-02 ATTEST-01 EVID-01,SUPP-01 SUPP-02 SUPP-03 SUPP-04 CLOUD-01 NC-01 NC-02 ATTEST-01 EVID-01 AUDIT-01"
    );
    assert_eq!(
        lines[5],
        "(6)-2.1,true,development,SPEC-01 CONF-01 AUTH-01 TEST-01 SBOM-01 INTEG-01 VULN-01 NOTIFY-01 EOS-01 DATA-01,SPEC-01 RISK-01 CONF-01 AUTH-01 LOG-01 TEST-01 SBOM-01 VEX-01 INTEG-01 VULN-01 NOTIFY-01 EOS-01 UPD-01 BUILD-01 DATA-01,SPEC-01 RISK-01 CONF-01 AUTH-01 LOG-01 TEST-01 SBOM-01 VEX-01 INTEG-01 VULN-01 NOTIFY-01 EOS-01 UPD-01 BUILD-01 DATA-01"
    );
    assert_eq!(
        lines[7],
        "(6)-2.1,true,saas,CONF-01 AUTH-01 TEST-01 SBOM-01 VULN-01 NOTIFY-01 DATA-01,CONF-01 AUTH-01 LOG-01 TEST-01 SBOM-01 VEX-01 VULN-01 NOTIFY-01 BUILD-01 DATA-01,CONF-01 AUTH-01 LOG-01 TEST-01 SBOM-01 VEX-01 VULN-01 NOTIFY-01 BUILD-01 DATA-01"
    );
    assert_eq!(
        lines[8],
        "(6)-2.1,true,operation,CONF-01 AUTH-01 TEST-01 SBOM-01 INTEG-01 VULN-01 NOTIFY-01 EOS-01 DATA-01,CONF-01 AUTH-01 LOG-01 TEST-01 SBOM-01 VEX-01 INTEG-01 VULN-01 NOTIFY-01 EOS-01 UPD-01 DATA-01,CONF-01 AUTH-01 LOG-01 TEST-01 SBOM-01 VEX-01 INTEG-01 VULN-01 NOTIFY-01 EOS-01 UPD-01 DATA-01"
    );
    assert_eq!(
        lines[15],
        "(6)-2.4,true,saas,LIFE-02 LIFE-03 LIFE-07,LIFE-02 LIFE-03 LIFE-04 LIFE-07,LIFE-02 LIFE-03 LIFE-04 LIFE-05 LIFE-07"
    );
    assert_eq!(lines[16].split(',').nth(2), Some("operation"));
}

#[test]
fn matrix_md_and_json_agree_with_csv() {
    let md = stdout(&["matrix"]);
    assert!(md.starts_with(
        "| requirement | contract type | tier 1 | tier 2 | tier 3 |\n|---|---|---|---|---|\n"
    ));
    assert!(
        md.contains("| **(6)-2.4** | development | 4: LIFE-01, LIFE-02, LIFE-03, LIFE-07 | 6: ")
    );
    assert!(md.contains("| **(6)-2.4** | saas | 3: LIFE-02, LIFE-03, LIFE-07 | 4: "));
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&["matrix", "--format", "json"])).expect("JSON");
    let rows = json.as_array().expect("array");
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[2]["requirement"], "(6)-2.2");
    let saas = &rows[3]["contract_types"][2];
    assert_eq!(saas["contract_type"], "saas");
    assert_eq!(saas["tiers"][2]["tier"], 3);
    assert_eq!(saas["tiers"][2]["clauses"].as_array().unwrap().len(), 5);
}

/// Render an example's document of `stage` in `lang` into a temporary folder; returns
/// (markdown, html).
fn document(example: &str, id: &str, lang: &str, stage: &str) -> (String, String) {
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
            "--stage",
            stage,
            "--out",
        ])
        .arg(dir.path())
        .assert()
        .success();
    let stem = if stage == "rfp" { "rfp" } else { "annex" };
    let read = |ext: &str| {
        std::fs::read_to_string(dir.path().join(id).join(format!("{stem}.{lang}.{ext}")))
            .expect("document written")
    };
    (read("md"), read("html"))
}

/// The contract annex.
fn annex(example: &str, id: &str, lang: &str) -> (String, String) {
    document(example, id, lang, "contract")
}

/// The RFP.
fn rfp(example: &str, id: &str, lang: &str) -> (String, String) {
    document(example, id, lang, "rfp")
}

/// The clause IDs of a document, from the invisible marker before each article heading.
fn clause_ids(markdown: &str) -> Vec<&str> {
    markdown
        .lines()
        .filter_map(|l| l.strip_prefix("<!-- clause: "))
        .map(|l| l.trim_end_matches(" -->"))
        .collect()
}

/// The fiscal years of the RFP's cost form.
fn fiscal_year_rows(markdown: &str) -> Vec<&str> {
    let section = markdown
        .split("\n## ライフサイクル費用の年度別内訳\n")
        .nth(1)
        .or_else(|| {
            markdown
                .split("\n## Lifecycle cost by fiscal year\n")
                .nth(1)
        })
        .and_then(|s| s.split("\n## ").next())
        .expect("budget section");
    let form = section
        .split("\n\n")
        .find(|t| t.starts_with('|'))
        .expect("the form");
    form.lines()
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

/// Checks a document's HTML is a whole page with the sections and tables the Markdown has.
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
        html.matches("data-clause=").count(),
        clause_ids(markdown).len(),
        "every article heading carries its clause"
    );
}

fn without(set: &[&str], excluded: &str) -> Vec<String> {
    clause_sets::contract(set)
        .into_iter()
        .filter(|id| id != excluded)
        .collect()
}

#[test]
fn tier1_package_internal_tool() {
    for lang in ["ja", "en"] {
        let (md, html) = annex("r8-0105-meeting-rooms.yaml", "R8-0105", lang);
        assert_eq!(
            clause_ids(&md),
            clause_sets::contract(clause_sets::PACKAGE_TIER1)
        );
        assert_html_matches(&md, &html);
        insta::assert_snapshot!(format!("r8_0105_{lang}"), md);
        let (rfp_md, html) = rfp("r8-0105-meeting-rooms.yaml", "R8-0105", lang);
        assert_eq!(clause_ids(&rfp_md), clause_sets::PACKAGE_TIER1);
        assert_html_matches(&rfp_md, &html);
        insta::assert_snapshot!(format!("rfp_r8_0105_{lang}"), rfp_md);
    }
    let (md, _) = annex("r8-0105-meeting-rooms.yaml", "R8-0105", "ja");
    // Regression: a parameter used only in a branch of a higher tier (the penetration-test
    // interval of TEST-01) is not in force at tier 1 and stays out of the values table.
    assert!(!md.contains("侵入テスト"));
    assert!(
        md.contains("| セキュリティテスト報告書の提出期限（テスト完了から） | 14日 | 第9条 |"),
        "{md}"
    );
    // The delivery date is given: the support period runs from it, and the annex says so.
    assert!(
        md.contains("（４）　納入日　令和8年6月30日をいう。"),
        "{md}"
    );
    assert!(md.contains("その末日は令和11年6月29日とする。\n"), "{md}");
    // Support 3 years from delivery on 2026-06-30 runs past the contract (to 2029-03-31).
    let (rfp_md, _) = rfp("r8-0105-meeting-rooms.yaml", "R8-0105", "ja");
    assert_eq!(
        fiscal_year_rows(&rfp_md),
        ["令和8年度", "令和9年度", "令和10年度", "令和11年度"]
    );
}

#[test]
fn tier2_saas_with_itemised_budget() {
    let (md, html) = annex("r8-0312-kosodate-saas.yaml", "R8-0312", "ja");
    assert_eq!(
        clause_ids(&md),
        clause_sets::contract(clause_sets::SAAS_TIER2)
    );
    // The override is in the values the buyer sets; no parameter name, no default.
    assert!(
        md.contains("| セキュリティログの保存期間 | 400日 |"),
        "{md}"
    );
    // A subscription has no support period after the contract.
    assert!(!md.contains("サポート期間　"), "{md}");
    assert!(
        !md.contains("37,400,000") && !md.contains("3,600,000"),
        "no amounts"
    );
    assert_html_matches(&md, &html);
    insta::assert_snapshot!("r8_0312_ja", md);
    let (rfp_md, html) = rfp("r8-0312-kosodate-saas.yaml", "R8-0312", "ja");
    assert_eq!(
        fiscal_year_rows(&rfp_md),
        ["令和8年度", "令和9年度", "令和10年度", "令和11年度"]
    );
    assert!(rfp_md.contains(
        "| 令和11年度 | 契約期間 | 3,600,000 | 600,000 | 240,000 | 300,000 | 500,000 | 2,000,000 | 7,240,000 |"
    ), "{rfp_md}");
    assert!(
        rfp_md.contains("| **合計** | | **21,600,000** |"),
        "{rfp_md}"
    );
    assert_html_matches(&rfp_md, &html);
    insta::assert_snapshot!("rfp_r8_0312_ja", rfp_md);
    let (en, html) = annex("r8-0312-kosodate-saas.yaml", "R8-0312", "en");
    assert_html_matches(&en, &html);
    insta::assert_snapshot!("r8_0312_en", en);
    let (rfp_en, _) = rfp("r8-0312-kosodate-saas.yaml", "R8-0312", "en");
    assert_eq!(fiscal_year_rows(&rfp_en)[0], "FY2026 (Apr 2026–Mar 2027)");
    insta::assert_snapshot!("rfp_r8_0312_en", rfp_en);
}

#[test]
fn tier3_development_critical_infrastructure_in_english() {
    let (en, html) = annex("r8-0530-water-scada.yaml", "R8-0530", "en");
    let ids = clause_ids(&en);
    assert_eq!(ids, without(clause_sets::TIER3, "CLOUD-01"));
    assert_html_matches(&en, &html);
    insta::assert_snapshot!("r8_0530_en", en);
    // Ten years of support from delivery on 2028-03-31: FY2026 to FY2037.
    let (rfp_en, html) = rfp("r8-0530-water-scada.yaml", "R8-0530", "en");
    let rows = fiscal_year_rows(&rfp_en);
    assert_eq!(rows.len(), 12);
    assert_eq!(rows[0], "FY2026 (Apr 2026–Mar 2027)");
    assert_eq!(rows[11], "FY2037 (Apr 2037–Mar 2038)");
    assert!(rfp_en.contains("| FY2028 (Apr 2028–Mar 2029) | contract |"));
    assert!(rfp_en.contains("| FY2029 (Apr 2029–Mar 2030) | support |"));
    assert_html_matches(&rfp_en, &html);
    insta::assert_snapshot!("rfp_r8_0530_en", rfp_en);
    let (ja, html) = annex("r8-0530-water-scada.yaml", "R8-0530", "ja");
    assert_eq!(clause_ids(&ja), ids);
    assert_html_matches(&ja, &html);
    insta::assert_snapshot!("r8_0530_ja", ja);
}

#[test]
fn tier3_operation_resident_records() {
    let (ja, html) = annex("r8-0421.yaml", "R8-0421", "ja");
    assert_eq!(
        clause_ids(&ja),
        without(clause_sets::OPERATION_TIER3, "LIFE-05")
    );
    assert_html_matches(&ja, &html);
    insta::assert_snapshot!("r8_0421_ja", ja);
    // The contract 2026-07-01..2031-03-31 gives 令和8年度..令和12年度; seven years of support
    // from the start (no delivery date) run to 2033-06-30, adding 令和13年度..令和15年度.
    let (rfp_ja, html) = rfp("r8-0421.yaml", "R8-0421", "ja");
    assert_eq!(
        fiscal_year_rows(&rfp_ja),
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
    assert_html_matches(&rfp_ja, &html);
    insta::assert_snapshot!("rfp_r8_0421_ja", rfp_ja);
    let (en, html) = annex("r8-0421.yaml", "R8-0421", "en");
    assert_html_matches(&en, &html);
    insta::assert_snapshot!("r8_0421_en", en);
}

#[test]
fn the_annexes_differ_where_the_contract_type_makes_a_difference() {
    let (development, _) = annex("r8-0530-water-scada.yaml", "R8-0530", "ja");
    let (operation, _) = annex("r8-0421.yaml", "R8-0421", "ja");
    let (saas, _) = annex("r8-0312-kosodate-saas.yaml", "R8-0312", "ja");
    assert!(development.contains("設計に着手する前に"));
    assert!(!operation.contains("設計に着手する前に"));
    assert!(!operation.contains("出荷"));
    // No shipping, no rollback of delivered updates, no hashes of delivered files.
    for shipped in [
        "出荷",
        "ロールバック",
        "納入するソフトウェア、更新プログラム及びSBOM",
    ] {
        assert!(!saas.contains(shipped), "SaaS annex says {shipped}");
    }
}

/// Every article of a tier-3 annex states a number: a deadline, period or count.
#[test]
fn every_tier3_clause_is_concrete() {
    let (ja, _) = annex("r8-0421.yaml", "R8-0421", "ja");
    let articles = ja.split("\n## 発注者が定める値").next().unwrap();
    for block in articles.split("\n<!-- clause: ").skip(1) {
        let id = block.split(' ').next().unwrap_or("");
        let text: String = block
            .lines()
            .skip(2)
            .take_while(|l| !l.starts_with("## "))
            .collect::<Vec<_>>()
            .join("\n");
        // Paragraph and item numbers are full-width: any ASCII digit is in a sentence.
        let has_number = text.chars().any(|c| c.is_ascii_digit());
        assert!(has_number, "{id} states no number:\n{text}");
        assert!(
            !text.contains("適切な措置"),
            "{id} only says 'appropriate measures'"
        );
    }
}
