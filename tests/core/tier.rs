//! The tier rule: every rule and boundary, through `chotatsu tier --format json`.

use serde_json::Value;

use crate::common::{BASE, chotatsu, write};

fn profile(c: &str, i: &str, a: &str, ci: bool, inet: bool, pd: bool, extra: &str) -> String {
    BASE.replace(
        "  impact: { confidentiality: low, integrity: low, availability: low }\n",
        &format!(
            "  impact: {{ confidentiality: {c}, integrity: {i}, availability: {a} }}\n  critical_infrastructure: {ci}\n  internet_facing: {inet}\n  personal_data: {pd}\n"
        ),
    ) + extra
}

fn tier_json(profile: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p.yaml", profile);
    let out = chotatsu(dir.path())
        .args(["tier", "p.yaml", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

#[test]
fn tier_table_covers_every_rule_and_boundary() {
    // (C, I, A, critical infrastructure, internet-facing, personal data) → (tier, derived)
    let table: &[(&str, &str, &str, bool, bool, bool, u64)] = &[
        ("low", "low", "low", false, false, false, 1),
        ("moderate", "low", "low", false, false, false, 2),
        ("low", "moderate", "low", false, false, false, 2),
        ("low", "low", "moderate", false, false, false, 2),
        ("high", "low", "low", false, false, false, 3),
        ("low", "high", "moderate", false, false, false, 3),
        ("low", "low", "high", false, false, false, 3),
        // critical infrastructure raises by one, capped at 3
        ("low", "low", "low", true, false, false, 2),
        ("moderate", "low", "low", true, false, false, 3),
        ("high", "high", "high", true, false, false, 3),
        // internet-facing with personal data: at least 2, never lowers
        ("low", "low", "low", false, true, true, 2),
        ("low", "low", "low", false, true, false, 1),
        ("low", "low", "low", false, false, true, 1),
        ("high", "low", "low", false, true, true, 3),
        // both: raise first (1 → 2), then the minimum changes nothing
        ("low", "low", "low", true, true, true, 2),
    ];
    for &(c, i, a, ci, inet, pd, expected) in table {
        let json = tier_json(&profile(c, i, a, ci, inet, pd, ""));
        assert_eq!(
            (json["tier"].as_u64(), json["derived_tier"].as_u64()),
            (Some(expected), Some(expected)),
            "C={c} I={i} A={a} ci={ci} inet={inet} pd={pd}: {json}"
        );
    }
}

#[test]
fn reasons_name_each_rule_that_applied() {
    let json = tier_json(&profile("low", "moderate", "low", true, true, true, ""));
    assert_eq!(
        json,
        serde_json::json!({
            "tier": 3,
            "derived_tier": 3,
            "reasons": [
                "影響度（機密性：低、完全性：中、可用性：低）の最大値により区分2（標準）",
                "重要インフラに該当するため区分2（標準）から区分3（高）に引き上げ",
                "インターネットに公開され個人情報を扱うため区分2（標準）以上とする（区分3（高）のまま）"
            ]
        })
    );
}

#[test]
fn explicit_tier_above_is_taken() {
    let json = tier_json(&profile(
        "low",
        "low",
        "low",
        false,
        false,
        false,
        "tier: 3\n",
    ));
    assert_eq!(json["tier"], 3);
    assert_eq!(json["derived_tier"], 1);
    assert_eq!(
        json["reasons"][1],
        "発注者の指定により区分1（基本）から区分3（高）に引き上げ"
    );
}

#[test]
fn explicit_tier_below_needs_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "p.yaml",
        &profile("high", "low", "low", false, false, false, "tier: 2\n"),
    );
    let err = crate::common::fails(chotatsu(dir.path()).args(["tier", "p.yaml"]));
    assert_eq!(
        err,
        "error: p.yaml:12:7: tier: tier 2 is below the derived tier 3: add `tier_reason` to justify the deviation\n"
    );

    let json = tier_json(&profile(
        "high",
        "low",
        "low",
        false,
        false,
        false,
        "tier: 2\ntier_reason: 公開情報のみを扱うため\n",
    ));
    assert_eq!(json["tier"], 2);
    assert_eq!(json["derived_tier"], 3);
    assert_eq!(
        json["reasons"][1],
        "発注者の指定により区分3（高）から区分2（標準）に引き下げ（理由：公開情報のみを扱うため）"
    );
}

#[test]
fn text_format_lists_tier_reasons_and_rule() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "p.yaml",
        &profile("moderate", "low", "low", false, false, false, "")
            .replace("procurement:\n", "procurement:\n  language: en\n"),
    );
    let out = chotatsu(dir.path())
        .args(["tier", "p.yaml"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("tier 2 (Standard)"));
    assert_eq!(
        lines.next(),
        Some(
            "  - highest impact rating (confidentiality: moderate, integrity: low, availability: low) gives tier 2 (Standard)"
        )
    );
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("rule: The base tier is the highest of")
    );
}
