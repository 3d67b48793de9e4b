//! Every profile error names the file, line and field, exits 2 and writes nothing.

use crate::common::{BASE, chotatsu, fails, with, write};

/// (what, profile text, the first line of the error)
fn cases() -> Vec<(&'static str, String, &'static str)> {
    vec![
        (
            "missing field",
            with("  title: テスト調達\n", ""),
            "error: p.yaml:5:3: procurement.title: required field is missing",
        ),
        (
            "missing nested field",
            with("integrity: low, ", ""),
            "error: p.yaml:8:35: system.impact.integrity: required field is missing",
        ),
        (
            "unknown field",
            with("  buyer: 発注課\n", "  buyer: 発注課\n  buyr: x\n"),
            "error: p.yaml:5:3: procurement.buyr: unknown field `buyr`, expected one of id, title, buyer, vendor, issued, contract, delivery, language; did you mean `buyer`?",
        ),
        (
            "unknown top-level field",
            BASE.to_string() + "teir: 3\n",
            "error: p.yaml:9:1: teir: unknown field `teir`, expected one of procurement, system, tier, tier_reason, parameters, tailoring, budget_disclosure, budget; did you mean `tier`?",
        ),
        (
            "swapped letters",
            with("  buyer: 発注課\n", "  buyer: 発注課\n  vednor: x\n"),
            "error: p.yaml:5:3: procurement.vednor: unknown field `vednor`, expected one of id, title, buyer, vendor, issued, contract, delivery, language; did you mean `vendor`?",
        ),
        (
            "tab for indentation",
            with("  buyer: 発注課\n", "  buyer: 発注課\n\tvendor: x\n"),
            "error: p.yaml:5:1: procurement.vendor: a tab character: YAML does not allow tabs here, indent with spaces",
        ),
        (
            "bad date",
            with("issued: 2026-04-01", "issued: 2026-04-31"),
            "error: p.yaml:5:11: procurement.issued: invalid date `2026-04-31`: expected YYYY-MM-DD",
        ),
        (
            "date in another shape",
            with("issued: 2026-04-01", "issued: 2026/4/1"),
            "error: p.yaml:5:11: procurement.issued: invalid date `2026/4/1`: expected YYYY-MM-DD",
        ),
        (
            "end before start",
            with("end: 2031-03-31", "end: 2026-06-30"),
            "error: p.yaml:6:58: procurement.contract.end: the contract must end after it starts (2026-06-30 is not after 2026-07-01)",
        ),
        (
            "bad enum value",
            with("integrity: low", "integrity: medium"),
            "error: p.yaml:8:46: system.impact.integrity: unknown variant `medium`, expected one of low, moderate, high",
        ),
        (
            "bad language",
            with("procurement:\n", "procurement:\n  language: fr\n"),
            "error: p.yaml:2:13: procurement.language: unknown variant `fr`, expected one of ja, en",
        ),
        (
            "wrong type",
            BASE.to_string() + "tier: high\n",
            "error: p.yaml:9:7: tier: expected a whole number, found `high`",
        ),
        (
            "tier out of range",
            BASE.to_string() + "tier: 4\n",
            "error: p.yaml:9:7: tier: invalid tier 4: expected 1, 2 or 3",
        ),
        (
            "bad procurement ID",
            with("id: T-1", "id: ../etc"),
            "error: p.yaml:2:7: procurement.id: invalid procurement ID `../etc`: use letters, digits, '.', '_' and '-', starting with a letter or digit",
        ),
        (
            "empty buyer",
            with("buyer: 発注課", "buyer: \"  \""),
            "error: p.yaml:4:10: procurement.buyer: buyer must not be empty",
        ),
        (
            "no contract type",
            with("type: development, ", ""),
            "error: p.yaml:6:22: procurement.contract.type: required field is missing: the contract type, one of development, package, saas, operation (受託開発, パッケージ・ライセンス, クラウドサービス利用, 運用保守)",
        ),
        (
            "unknown contract type",
            with("type: development", "type: lease"),
            "error: p.yaml:6:21: procurement.contract.type: unknown variant `lease`, expected one of development, package, saas, operation",
        ),
        (
            "delivery outside the contract",
            with("  issued:", "  delivery: 2032-01-01\n  issued:"),
            "error: p.yaml:5:13: procurement.delivery: the delivery date 2032-01-01 is outside the contract period (2026-07-01 to 2031-03-31)",
        ),
        (
            "empty buyer entity",
            with(
                "buyer: 発注課",
                "buyer: { entity: \"\", department: 情報政策課 }",
            ),
            "error: p.yaml:4:10: procurement.buyer.entity: entity must not be empty",
        ),
        (
            "a typo in the buyer",
            with(
                "buyer: 発注課",
                "buyer: { entity: 〇〇市, departmant: 情報政策課 }",
            ),
            "error: p.yaml:4:10: procurement.buyer: expected the buyer's name, or a mapping with entity and optionally representative and department",
        ),
        (
            "malformed YAML",
            with(
                "  contract: { type: development, start: 2026-07-01, end: 2031-03-31 }",
                "  contract: { type: development, start: 2026-07-01, end: 2031-03-31",
            ),
            "error: p.yaml:",
        ),
    ]
}

#[test]
fn each_profile_error_names_file_line_and_field() {
    for (what, profile, expected) in cases() {
        for command in ["tier", "annex"] {
            let dir = tempfile::tempdir().unwrap();
            write(dir.path(), "p.yaml", &profile);
            let err = fails(chotatsu(dir.path()).args([command, "p.yaml"]));
            let first = err.lines().next().unwrap_or("");
            assert!(
                first.starts_with(expected) && (expected.ends_with(':') || first == expected),
                "{what} ({command}):\n  got:      {first}\n  expected: {expected}\n{err}"
            );
            assert!(!dir.path().join("out").exists(), "{what}: output written");
        }
    }
}

#[test]
fn parse_errors_show_the_source_line() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "p.yaml",
        &with("integrity: low", "integrity: medium"),
    );
    let err = fails(chotatsu(dir.path()).args(["annex", "p.yaml"]));
    assert!(err.contains(" --> p.yaml:8:46\n"), "{err}");
    assert!(
        err.contains(
            "8 |   impact: { confidentiality: low, integrity: medium, availability: low }\n"
        ),
        "{err}"
    );
}

#[test]
fn several_problems_are_reported_together() {
    let dir = tempfile::tempdir().unwrap();
    let profile = with("issued: 2026-04-01", "issued: 2026-13-01")
        .replace("end: 2031-03-31", "end: 2020-01-01");
    write(dir.path(), "p.yaml", &profile);
    let err = fails(chotatsu(dir.path()).args(["annex", "p.yaml"]));
    assert_eq!(
        err,
        "error: p.yaml:5:11: procurement.issued: invalid date `2026-13-01`: expected YYYY-MM-DD\n\
         error: p.yaml:6:58: procurement.contract.end: the contract must end after it starts (2020-01-01 is not after 2026-07-01)\n"
    );
}

#[test]
fn unreadable_and_non_utf8_profiles() {
    let dir = tempfile::tempdir().unwrap();
    let err = fails(chotatsu(dir.path()).args(["annex", "missing.yaml"]));
    assert!(
        err.starts_with("error: cannot read missing.yaml: "),
        "{err}"
    );
    std::fs::write(
        dir.path().join("sjis.yaml"),
        b"procurement:\n  title: \x92\xb2\x92\x42\n",
    )
    .unwrap();
    let err = fails(chotatsu(dir.path()).args(["annex", "sjis.yaml"]));
    assert_eq!(
        err,
        "error: cannot read sjis.yaml: not valid UTF-8 (byte 22); save the file as UTF-8\n"
    );
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    chotatsu(dir.path()).args(["annex"]).assert().code(2);
    chotatsu(dir.path())
        .args(["annex", "p.yaml", "--lang", "fr"])
        .assert()
        .code(2);
    chotatsu(dir.path()).args(["nosuch"]).assert().code(2);
}
