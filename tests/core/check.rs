//! `chotatsu check` on the bundled library and on overlays: every rejection, and overlays
//! that replace, add and retire clauses.

use crate::common::{BASE, annex_md, chotatsu, clause_ids, fails, write};

const CLAUSE: &str = "  - id: ORG-01
    requirements: [(6)-2.1]
    min_tier: 1
    contract_types: [development, package, saas, operation]
    title: { ja: 組織の追加要件, en: Additional organisational requirement }
    body:
      ja: 受注者は、作業場所を発注者に届け出なければならない。
      en: The Contractor shall notify the Buyer of its work locations.
    references: [ssdf-po.1.2]
";

fn check_overlay(files: &[(&str, &str)]) -> (tempfile::TempDir, assert_cmd::assert::Assert) {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        write(&dir.path().join("overlay"), name, text);
    }
    let assert = chotatsu(dir.path())
        .args(["check", "--library", "overlay"])
        .assert();
    (dir, assert)
}

fn problems(files: &[(&str, &str)]) -> String {
    let (_dir, assert) = check_overlay(files);
    let out = assert.code(2).get_output().clone();
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn bundled_library_passes() {
    let dir = tempfile::tempdir().unwrap();
    chotatsu(dir.path()).arg("check").assert().success().stdout(
        "checked 12 files: 26 requirements (4 keyed), 3 tiers, 84 parameters, 54 references, 81 clauses (81 bundled, 0 replaced and 0 added by the overlay, 0 retired)
clauses per keyed requirement, contract type and tier, for every system (minimum 3):
  (2)-3    development tier 1: 12, tier 2: 18, tier 3: 18
  (2)-3    package     tier 1: 13, tier 2: 19, tier 3: 19
  (2)-3    saas        tier 1: 13, tier 2: 18, tier 3: 18
  (2)-3    operation   tier 1: 11, tier 2: 17, tier 3: 17
  (6)-2.1  development tier 1: 19, tier 2: 23, tier 3: 23
  (6)-2.1  package     tier 1: 19, tier 2: 22, tier 3: 22
  (6)-2.1  saas        tier 1: 18, tier 2: 20, tier 3: 20
  (6)-2.1  operation   tier 1: 14, tier 2: 15, tier 3: 15
  (6)-2.2  development tier 1:  6, tier 2:  8, tier 3:  9
  (6)-2.2  package     tier 1:  6, tier 2:  8, tier 3:  9
  (6)-2.2  saas        tier 1:  7, tier 2:  9, tier 3: 10
  (6)-2.2  operation   tier 1:  4, tier 2:  5, tier 3:  6
  (6)-2.4  development tier 1:  5, tier 2:  7, tier 3:  7
  (6)-2.4  package     tier 1:  5, tier 2:  7, tier 3:  7
  (6)-2.4  saas        tier 1:  5, tier 2:  6, tier 3:  6
  (6)-2.4  operation   tier 1:  4, tier 2:  5, tier 3:  5
  and where system.personal_data is true: PRIV-01, PRIV-02, PRIV-03
  and where system.critical_infrastructure is true: OT-01, OT-02, OT-03, OT-04
clause references: 19, all to known clauses in the same document at every tier, contract type and stage
references: 180 citations, all known; every clause cites at least one of the 54 references
checked 46 disclosure questions
no problems found
",
    );
}

#[test]
fn rejects_duplicate_clause_ids() {
    let text = format!("clauses:\n{CLAUSE}{CLAUSE}");
    assert_eq!(
        problems(&[("clauses/org.yaml", &text)]),
        "error: the clause library has 1 problem:\n  - overlay/clauses/org.yaml: clause ORG-01: duplicate clause ID (also defined in overlay/clauses/org.yaml)\n"
    );
}

#[test]
fn rejects_unknown_requirement() {
    let text = format!("clauses:\n{}", CLAUSE.replace("[(6)-2.1]", "[(6)-2.9]"));
    assert_eq!(
        problems(&[("clauses/org.yaml", &text)]),
        "error: the clause library has 1 problem:\n  - overlay/clauses/org.yaml: clause ORG-01: cites unknown requirement `(6)-2.9`\n"
    );
}

#[test]
fn rejects_missing_language() {
    let text = format!(
        "clauses:\n{}",
        CLAUSE.replace(
            "      en: The Contractor shall notify the Buyer of its work locations.\n",
            ""
        )
    );
    assert_eq!(
        problems(&[("clauses/org.yaml", &text)]),
        "error: the clause library has 1 problem:\n  - overlay/clauses/org.yaml: clause ORG-01: missing en body\n"
    );
}

#[test]
fn rejects_undefined_parameter() {
    let text = format!(
        "clauses:\n{}",
        CLAUSE.replace(
            "届け出なければならない。",
            "{{ report_days }}日以内に届け出なければならない。"
        )
    );
    assert_eq!(
        problems(&[("clauses/org.yaml", &text)]),
        "error: the clause library has 2 problems:\n  - overlay/clauses/org.yaml: clause ORG-01: ja body uses undefined parameter `report_days`\n  - overlay/clauses/org.yaml: clause ORG-01: ja and en use different parameters (ja only: report_days; en only: )\n"
    );
}

#[test]
fn rejects_wrong_parameter_default_type() {
    let params = "parameters:\n  report_days:\n    type: integer\n    label: { ja: 届出期限, en: Deadline to notify }\n    default: { 1: 10, 2: five, 3: 3 }\n";
    assert_eq!(
        problems(&[("parameters.yaml", params)]),
        "error: the clause library has 1 problem:\n  - overlay/parameters.yaml: parameter `report_days`: default for tier 2: expected integer, found string `five`\n"
    );
}

#[test]
fn rejects_a_keyed_requirement_without_clauses_at_a_tier() {
    let retire = |ids: &[&str]| {
        let mut text = "retired:\n".to_string();
        for id in ids {
            text.push_str(&format!("  - {{ clause: {id}, reason: 別規程による }}\n"));
        }
        text
    };
    // The (6)-2.4 clauses of an operation contract at tier 1: retiring all leaves none (and a
    // subscription too few); retiring two leaves an operation contract too few.
    assert_eq!(
        problems(&[(
            "retired.yaml",
            &retire(&["LIFE-02", "LIFE-07", "EOL-02", "HAND-01"])
        )]),
        "error: the clause library has 4 problems:\n  - requirement (6)-2.4: 2 clauses for saas contracts at tier 1 (SAAS-04, SAAS-05), fewer than the minimum of 3 set in requirements.yaml\n  - requirement (6)-2.4: no clause applies to operation contracts at tier 1\n  - requirement (6)-2.4: 1 clause for operation contracts at tier 2 (LIFE-04), fewer than the minimum of 3 set in requirements.yaml\n  - requirement (6)-2.4: 1 clause for operation contracts at tier 3 (LIFE-04), fewer than the minimum of 3 set in requirements.yaml\n"
    );
    assert_eq!(
        problems(&[("retired.yaml", &retire(&["LIFE-07", "EOL-02"]))]),
        "error: the clause library has 1 problem:\n  - requirement (6)-2.4: 2 clauses for operation contracts at tier 1 (LIFE-02, HAND-01), fewer than the minimum of 3 set in requirements.yaml\n"
    );
}

#[test]
fn rejects_unknown_reference_and_bad_template() {
    let text = format!(
        "clauses:\n{}",
        CLAUSE.replace("[ssdf-po.1.2]", "[iso-99999]").replace(
            "届け出なければならない。",
            "{% if tier %}届け出なければならない。"
        )
    );
    let err = problems(&[("clauses/org.yaml", &text)]);
    assert_eq!(
        err,
        "error: the clause library has 3 problems:
  - overlay/clauses/org.yaml: clause ORG-01: cites unknown reference `iso-99999` (add it to references.yaml)
  - overlay/clauses/org.yaml: clause ORG-01: cites no known reference (at least one identifier from references.yaml is required)
  - overlay/clauses/org.yaml: clause ORG-01: ja body is not a valid template: Unexpected end of input
     --> clause.md:1:40
      |
    1 | 受注者は、作業場所を発注者に{% if tier %}届け出なければならない。
      |                                        ^
"
    );
}

#[test]
fn lists_every_problem_including_parse_errors() {
    let bad_yaml = "clauses:\n  - id: ORG-02\n    requirements: [(6)-2.1\n";
    let unknown_field = format!(
        "clauses:\n{}",
        CLAUSE.replace("    min_tier: 1\n", "    min_tier: 1\n    tiers: [1]\n")
    );
    let err = problems(&[
        ("clauses/a.yaml", bad_yaml),
        ("clauses/b.yaml", &unknown_field),
        (
            "retired.yaml",
            "retired:\n  - { clause: NOPE-01, reason: x }\n",
        ),
        ("extra.yaml", "x: 1\n"),
    ]);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines[0], "error: the clause library has 4 problems:");
    assert!(
        lines[1].starts_with("  - overlay/extra.yaml: not part of an overlay"),
        "{err}"
    );
    assert_eq!(
        lines[2],
        "  - overlay/clauses/a.yaml:3:19: clauses[0].requirements: unclosed bracket '['"
    );
    assert!(
        lines[3]
            .starts_with("  - overlay/clauses/b.yaml:5:5: clauses[0].tiers: unknown field `tiers`"),
        "{err}"
    );
    assert_eq!(
        lines[4],
        "  - overlay/retired.yaml: retired clause NOPE-01: no bundled clause has this ID"
    );
}

#[test]
fn overlay_replaces_adds_and_retires() {
    let replaced = "clauses:\n  - id: SPEC-01\n    requirements: [(6)-2.1]\n    min_tier: 1\n    contract_types: [development, package]\n    title: { ja: 当市のセキュリティ仕様, en: Our security specification }\n    body:\n      ja: 受注者は、当市の様式によりセキュリティ仕様を提出しなければならない。\n      en: The Contractor shall submit its security specification on the City's form.\n    references: [ipa-model-contract-art50]\n";
    let files = [
        ("clauses/a-replace.yaml", replaced),
        ("clauses/b-add.yaml", &format!("clauses:\n{CLAUSE}")),
        (
            "retired.yaml",
            "retired:\n  - { clause: EOS-01, reason: 当市の標準契約書第12条による }\n",
        ),
    ];
    let (dir, assert) = check_overlay(&files);
    assert.success().stdout(predicates::str::starts_with(
        "checked 15 files: 26 requirements (4 keyed), 3 tiers, 84 parameters, 54 references, 81 clauses (79 bundled, 1 replaced and 1 added by the overlay, 1 retired)\n",
    ));
    write(dir.path(), "p.yaml", BASE);
    chotatsu(dir.path())
        .args(["annex", "p.yaml", "--library", "overlay", "--format", "md"])
        .assert()
        .success();
    let md = std::fs::read_to_string(dir.path().join("out/T-1/annex.ja.md")).unwrap();
    let ids = clause_ids(&md);
    // Tier 1 less the retired EOS-01, with ORG-01 last in its requirement's chapter.
    let mut expected: Vec<String> = crate::clause_sets::contract(crate::clause_sets::TIER1)
        .into_iter()
        .filter(|id| id != "EOS-01")
        .collect();
    let after = expected.iter().position(|id| id == "WARR-01").unwrap();
    expected.insert(after + 1, "ORG-01".to_string());
    assert_eq!(ids, expected);
    assert!(md.contains("### 第16条（当市のセキュリティ仕様）\n\n受注者は、当市の様式によりセキュリティ仕様を提出しなければならない。\n"), "{md}");
    assert!(
        md.contains("| 発注者の定めにより不使用 | EOS-01 |  |  |\n"),
        "{md}"
    );
    // Without the overlay the bundled text is back.
    assert!(annex_md(BASE, &[]).contains("### 第16条（セキュリティ仕様書）"));
}

#[test]
fn broken_overlay_stops_other_commands_too() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "overlay/retired.yaml",
        "retired:\n  - { clause: NOPE-01, reason: x }\n",
    );
    write(dir.path(), "p.yaml", BASE);
    let err = fails(chotatsu(dir.path()).args(["annex", "p.yaml", "--library", "overlay"]));
    assert_eq!(
        err,
        "error: the clause library has 1 problem:\n  - overlay/retired.yaml: retired clause NOPE-01: no bundled clause has this ID\n"
    );
    let err = fails(chotatsu(dir.path()).args(["check", "--library", "nowhere"]));
    assert!(err.starts_with("error: cannot read nowhere: "), "{err}");
}

#[test]
fn rejects_japanese_and_english_that_say_different_things() {
    let clause = |ja: &str, en: &str| {
        format!(
            "clauses:\n{}",
            CLAUSE
                .replace(
                    "ja: 受注者は、作業場所を発注者に届け出なければならない。",
                    &format!("ja: |\n        {}", ja.replace('\n', "\n        "))
                )
                .replace(
                    "en: The Contractor shall notify the Buyer of its work locations.",
                    &format!("en: |\n        {}", en.replace('\n', "\n        "))
                )
        )
    };
    // A number that differs.
    let text = clause(
        "受注者は、14日以内に作業場所を発注者に届け出なければならない。",
        "The Contractor shall notify the Buyer of its work locations within 30 days.",
    );
    let out = problems(&[("clauses/org.yaml", &text)]);
    assert!(
        out.contains("overlay/clauses/org.yaml: clause ORG-01: ja and en differ at tier 1 (development, rfp): numbers differ (ja only: 14; en only: 30)"),
        "{out}"
    );
    // A paragraph or an item missing from one language.
    let text = clause(
        "1. 受注者は、作業場所を届け出なければならない。\n1. 受注者は、次に掲げる事項を記録しなければならない。\n    - 日時\n    - 作業者",
        "1. The Contractor shall notify its work locations.\n1. The Contractor shall record:\n    - the time.",
    );
    let out = problems(&[("clauses/org.yaml", &text)]);
    assert!(
        out.contains("ja and en differ at tier 1 (development, rfp): 2 item(s) in ja but 1 in en"),
        "{out}"
    );
    // A clause reference or a parameter in one language only.
    let text = clause(
        "受注者は、{{ article(id=\"NOTIFY-01\") }}により届け出なければならない。",
        "The Contractor shall notify the Buyer.",
    );
    let out = problems(&[("clauses/org.yaml", &text)]);
    assert!(
        out.contains("clause references differ (ja: NOTIFY-01; en: )"),
        "{out}"
    );
    let text = clause(
        "受注者は、{{ subcontract_request_days }}日前までに届け出なければならない。",
        "The Contractor shall notify the Buyer in advance.",
    );
    let out = problems(&[("clauses/org.yaml", &text)]);
    assert!(
        out.contains(
            "ja and en use different parameters (ja only: subcontract_request_days; en only: )"
        ),
        "{out}"
    );
    // The same parameter, shown in one language only: a one-language annex lists in its
    // table of values what its own text shows, so the two must agree.
    let text = clause(
        "受注者は、{{ subcontract_request_days }}日前までに届け出なければならない。",
        "The Contractor shall notify the Buyer{% if subcontract_request_days > 1000 %} {{ subcontract_request_days }} days{% endif %} in advance.",
    );
    let out = problems(&[("clauses/org.yaml", &text)]);
    assert!(
        out.contains("ja and en differ at tier 1 (development, rfp): the values shown differ (ja: subcontract_request_days; en: )"),
        "{out}"
    );
}

/// References between clauses go through `article`, stay inside the document, and the text a
/// reader sees carries no clause ID, no identifier and, in the contract, no bidding word.
#[test]
fn rejects_dangling_references_ids_in_text_and_bidding_words_in_the_contract() {
    let clause = |body: &str| {
        format!(
            "clauses:\n{}",
            CLAUSE.replace(
                "      ja: 受注者は、作業場所を発注者に届け出なければならない。\n",
                &format!("      ja: \"{body}\"\n"),
            )
        )
    };
    let cases = [
        (
            "{{ article(id='NOPE-01') }}の定めによる。",
            "overlay/clauses/org.yaml: clause ORG-01: ja body refers to unknown clause NOPE-01 (article(id=\\\"NOPE-01\\\"))",
        ),
        (
            "{{ article(id='AUDIT-01') }}の監査に協力する。",
            "overlay/clauses/org.yaml: clause ORG-01: ja body refers to clause AUDIT-01, which is not in the rfp document for development contracts at tier 1",
        ),
        (
            "VULN-01の期限を守る。",
            "overlay/clauses/org.yaml: clause ORG-01: ja body names clause VULN-01 in its text; refer to it with {{ article(id=\\\"VULN-01\\\") }}",
        ),
        (
            "提案書のとおり作業する。",
            "overlay/clauses/org.yaml: clause ORG-01: ja contract text uses the bidding word 「提案」; word it for the RFP only ({% if stage == \\\"rfp\\\" %}) or for the contract",
        ),
        (
            "critical_fix_daysを守る。",
            "overlay/clauses/org.yaml: clause ORG-01: ja body shows the identifier `critical_fix_days` to the reader (a technical value may be written as `code`)",
        ),
    ];
    for (body, expected) in cases {
        let text = clause(body);
        let err = problems(&[("clauses/org.yaml", &text)]);
        let expected = expected.replace("\\\"", "\"");
        assert!(err.contains(&format!("  - {expected}")), "{body}:\n{err}");
    }
    let err = problems(&[(
        "clauses/org.yaml",
        &format!(
            "clauses:\n{}",
            CLAUSE.replace(
                "    contract_types: [development, package, saas, operation]\n",
                "    contract_types: []\n"
            )
        ),
    )]);
    assert!(
        err.contains("clause ORG-01: applies to no contract type (contract_types: one or more of development, package, saas, operation)"),
        "{err}"
    );
}
