//! The fiscal-year budget table of (6)-2.4 in the RFP: rows from the contract and support
//! periods, the blank form bidders fill in, the buyer's planned amounts as the profile's
//! `budget_disclosure` chooses, and the errors of `budget:`.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn chotatsu() -> Command {
    Command::cargo_bin("chotatsu").expect("binary built")
}

const HEAD: &str = "procurement:
  id: B-1
  title: 予算表の試験
  buyer: 試験市
  issued: 2026-04-01
  contract: { type: development, start: 2026-07-01, end: 2031-03-31 }
system:
  impact: { confidentiality: low, integrity: low, availability: low }
";

/// Write `yaml` as a profile, render its RFP in `lang`; returns the result and the folder.
fn render(yaml: &str, lang: &str) -> (assert_cmd::assert::Assert, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let profile = dir.path().join("profile.yaml");
    std::fs::write(&profile, yaml).expect("write profile");
    let assert = chotatsu()
        .arg("annex")
        .arg(&profile)
        .args(["--stage", "rfp", "--lang", lang, "--format", "md", "--out"])
        .arg(dir.path().join("out"))
        .assert();
    (assert, dir)
}

fn budget_section(yaml: &str, lang: &str) -> String {
    let (assert, dir) = render(yaml, lang);
    assert.success();
    let md = std::fs::read_to_string(
        Path::new(&dir.path().join("out/B-1")).join(format!("rfp.{lang}.md")),
    )
    .expect("rfp");
    let heading = if lang == "ja" {
        "\n## ライフサイクル費用の年度別内訳\n"
    } else {
        "\n## Lifecycle cost by fiscal year\n"
    };
    md.split(heading)
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("budget section")
        .to_string()
}

/// The fiscal years of the first table (the form bidders fill in).
fn row_labels(section: &str) -> Vec<String> {
    let first_table = section
        .split("\n\n")
        .find(|t| t.starts_with('|'))
        .unwrap_or("");
    first_table
        .lines()
        .filter(|l| l.starts_with("| 令和") || l.starts_with("| FY"))
        .map(|l| {
            l.split(" | ")
                .next()
                .unwrap_or("")
                .trim_start_matches("| ")
                .to_string()
        })
        .collect()
}

#[test]
fn contract_2026_07_to_2031_03_yields_reiwa_8_to_12() {
    // Tier 1: three years of support from the start end before the contract does.
    let s = budget_section(HEAD, "ja");
    assert_eq!(
        row_labels(&s),
        [
            "令和8年度",
            "令和9年度",
            "令和10年度",
            "令和11年度",
            "令和12年度"
        ]
    );
    assert!(s.contains("| 令和12年度 | 契約期間 | | | | | | | |"), "{s}");
    assert!(
        s.contains("| **合計** | | | | | | | | |"),
        "blank totals in the form"
    );
    assert!(s.contains("提案者は、次の表の様式により、費目ごと及び会計年度ごとの費用"));
    // Without `budget:` there are no planned amounts to disclose.
    assert!(!s.contains("発注者が各会計年度に予定する"));
}

#[test]
fn support_years_beyond_the_contract_add_rows() {
    // Tier 2 (five years) runs support to 2031-06-30: one more fiscal year.
    let yaml = format!("{HEAD}tier: 2\n");
    let s = budget_section(&yaml, "ja");
    let rows = row_labels(&s);
    assert_eq!(rows.len(), 6);
    assert_eq!(rows[5], "令和13年度");
    assert!(s.contains("| 令和13年度 | サポート期間 |"));
    assert!(s.contains("令和8年7月1日から令和13年6月30日まで。"), "{s}");
    assert!(s.contains("納入日が定まっていないため、契約期間の初日である令和8年7月1日とみなす"));
    // With a delivery date the support period runs from it, and the text says so.
    let yaml = format!(
        "{}tier: 2\n",
        HEAD.replace("  issued:", "  delivery: 2027-03-31\n  issued:")
    );
    let s = budget_section(&yaml, "ja");
    assert_eq!(
        row_labels(&s).last().map(String::as_str),
        Some("令和13年度")
    );
    assert!(
        s.contains("納入日（令和9年3月31日）から5年を経過する日"),
        "{s}"
    );
    assert!(s.contains("令和8年7月1日から令和14年3月30日まで。"), "{s}");
    // A profile override of support_years_min moves the end.
    let yaml = format!("{HEAD}parameters:\n  support_years_min: 8\n");
    let rows = row_labels(&budget_section(&yaml, "en"));
    assert_eq!(rows.len(), 9);
    assert_eq!(rows[8], "FY2034 (Apr 2034–Mar 2035)");
}

#[test]
fn amounts_give_row_and_column_totals_with_separators() {
    let yaml = format!(
        "{HEAD}budget_disclosure: itemised\nbudget:
  - {{ fiscal_year: 2026, maintenance: 1000000, vulnerability_response: 250000, sbom: 50000 }}
  - {{ fiscal_year: 2027, maintenance: 2000000, incident_response: 1234567, audit: 300000 }}
  - {{ fiscal_year: 2030, migration: 4500000 }}
"
    );
    let s = budget_section(&yaml, "en");
    assert!(s.contains(
        "| FY2026 (Apr 2026–Mar 2027) | contract | 1,000,000 | 250,000 | 50,000 |  |  |  | 1,300,000 |"
    ), "{s}");
    assert!(s.contains(
        "| FY2027 (Apr 2027–Mar 2028) | contract | 2,000,000 |  |  | 1,234,567 | 300,000 |  | 3,534,567 |"
    ));
    // A year the profile leaves out is blank, with a zero total.
    assert!(s.contains("| FY2028 (Apr 2028–Mar 2029) | contract |  |  |  |  |  |  | 0 |"));
    assert!(s.contains(
        "| FY2030 (Apr 2030–Mar 2031) | contract |  |  |  |  |  | 4,500,000 | 4,500,000 |"
    ));
    assert!(s.contains(
        "| **Total** | | **3,000,000** | **250,000** | **50,000** | **1,234,567** | **300,000** | **4,500,000** | **9,334,567** |"
    ));
    assert!(s.contains("The amounts the Buyer plans"));
}

#[test]
fn the_profile_chooses_how_much_of_the_budget_the_rfp_discloses() {
    let budget = "budget:\n  - { fiscal_year: 2026, maintenance: 1000000, sbom: 50000 }\n  - { fiscal_year: 2027, audit: 300000 }\n";
    // The default: the total of each fiscal year, no categories.
    let s = budget_section(&format!("{HEAD}{budget}"), "ja");
    assert!(s.contains("発注者が各会計年度に予定する金額の合計は次のとおりである"));
    assert!(s.contains("| 令和8年度 | 契約期間 | 1,050,000 |"), "{s}");
    assert!(s.contains("| **合計** | | **1,350,000** |"), "{s}");
    assert!(!s.contains("| 1,000,000 |"), "no category amounts: {s}");
    // None: the amounts stay with the buyer.
    let s = budget_section(&format!("{HEAD}budget_disclosure: none\n{budget}"), "ja");
    assert!(!s.contains("1,050,000") && !s.contains("発注者が各会計年度に予定する"));
    // The contract annex never shows the buyer's amounts.
    let yaml = format!("{HEAD}budget_disclosure: itemised\n{budget}");
    let dir = tempfile::tempdir().expect("temp dir");
    let profile = dir.path().join("profile.yaml");
    std::fs::write(&profile, yaml).expect("write profile");
    chotatsu()
        .arg("annex")
        .arg(&profile)
        .args(["--format", "md", "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .success();
    let annex = std::fs::read_to_string(dir.path().join("out/B-1/annex.ja.md")).expect("annex");
    assert!(!annex.contains("1,000,000") && !annex.contains("予定する"));
}

#[test]
fn unknown_category_is_an_error_at_its_line() {
    let yaml = format!("{HEAD}budget:\n  - fiscal_year: 2026\n    licences: 100\n");
    let (assert, _dir) = render(&yaml, "ja");
    assert
        .code(2)
        .stderr(predicate::str::contains("profile.yaml:11:"))
        .stderr(predicate::str::contains("budget[0].licences"))
        .stderr(predicate::str::contains("unknown field `licences`"));
}

#[test]
fn fiscal_year_outside_the_periods_is_an_error_at_its_line() {
    let yaml = format!(
        "{HEAD}budget:\n  - {{ fiscal_year: 2026, maintenance: 1 }}\n  - {{ fiscal_year: 2035, maintenance: 1 }}\n"
    );
    let (assert, _dir) = render(&yaml, "ja");
    assert
        .code(2)
        .stderr(predicate::str::contains("profile.yaml:11:"))
        .stderr(predicate::str::contains(
            "fiscal year 2035 is outside the contract and support period (2026-07-01 to 2031-03-31, FY2026 to FY2030)",
        ));
}

#[test]
fn duplicate_and_negative_entries_are_errors() {
    let yaml = format!(
        "{HEAD}budget:\n  - {{ fiscal_year: 2026, sbom: 1 }}\n  - {{ fiscal_year: 2026, sbom: 2 }}\n"
    );
    let (assert, _dir) = render(&yaml, "ja");
    assert
        .code(2)
        .stderr(predicate::str::contains("profile.yaml:11:"))
        .stderr(predicate::str::contains(
            "fiscal year 2026 appears twice in budget",
        ));
    let yaml = format!("{HEAD}budget:\n  - {{ fiscal_year: 2026, sbom: -5 }}\n");
    let (assert, _dir) = render(&yaml, "ja");
    assert
        .code(2)
        .stderr(predicate::str::contains("profile.yaml:10:"));
    let yaml = format!("{HEAD}budget:\n  - {{ fiscal_year: 26, sbom: 5 }}\n");
    let (assert, _dir) = render(&yaml, "ja");
    assert
        .code(2)
        .stderr(predicate::str::contains("e.g. 2026 for 令和8年度"));
}
