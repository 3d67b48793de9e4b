//! The contract annex and the RFP: clause selection per contract type and tier, ja and en,
//! legal form, escaping, tailoring, references, HTML, determinism.

use crate::clause_sets::{
    OPERATION_TIER1, OPERATION_TIER2, OPERATION_TIER3, PACKAGE_TIER1, PACKAGE_TIER2, PACKAGE_TIER3,
    SAAS_TIER1, SAAS_TIER2, SAAS_TIER3, TIER1, TIER2, TIER3, contract,
};
use crate::common::{
    BASE, annex_md, chotatsu, clause_ids, fails, files_under, parse_html, repo, with, write,
};

fn at_tier(t: u8) -> String {
    let impact = ["low", "moderate", "high"][usize::from(t - 1)];
    with(
        "confidentiality: low",
        &format!("confidentiality: {impact}"),
    )
}

#[test]
fn clause_set_per_tier() {
    assert_eq!(clause_ids(&annex_md(&at_tier(1), &[])), contract(TIER1));
    assert_eq!(clause_ids(&annex_md(&at_tier(2), &[])), contract(TIER2));
    assert_eq!(clause_ids(&annex_md(&at_tier(3), &[])), contract(TIER3));
    assert_eq!(
        clause_ids(&annex_md(&at_tier(3), &["--stage", "rfp"])),
        TIER3
    );
}

/// One test per contract type: its clause set at each tier, in the RFP and the contract.
fn pins_the_clause_sets(kind: &str, sets: [&[&str]; 3]) {
    for (tier, set) in (1..=3).zip(sets) {
        let profile = at_tier(tier).replace("type: development", &format!("type: {kind}"));
        assert_eq!(
            clause_ids(&annex_md(&profile, &["--stage", "rfp"])),
            set,
            "{kind} tier {tier} rfp"
        );
        assert_eq!(
            clause_ids(&annex_md(&profile, &[])),
            contract(set),
            "{kind} tier {tier} contract"
        );
    }
}

#[test]
fn development_clause_sets() {
    pins_the_clause_sets("development", [TIER1, TIER2, TIER3]);
}

#[test]
fn package_clause_sets() {
    pins_the_clause_sets("package", [PACKAGE_TIER1, PACKAGE_TIER2, PACKAGE_TIER3]);
}

#[test]
fn saas_clause_sets_have_no_delivery_design_or_support_after_the_term() {
    pins_the_clause_sets("saas", [SAAS_TIER1, SAAS_TIER2, SAAS_TIER3]);
    for absent in [
        "SPEC-01", "INTEG-01", "UPD-01", "LIFE-01", "LIFE-06", "EOS-01",
    ] {
        assert!(!SAAS_TIER3.contains(&absent), "{absent}");
    }
}

#[test]
fn operation_clause_sets_have_no_design_phase() {
    pins_the_clause_sets(
        "operation",
        [OPERATION_TIER1, OPERATION_TIER2, OPERATION_TIER3],
    );
    for absent in ["SPEC-01", "RISK-01", "BUILD-01"] {
        assert!(!OPERATION_TIER3.contains(&absent), "{absent}");
    }
    let md = annex_md(
        &at_tier(3).replace("type: development", "type: operation"),
        &[],
    );
    assert!(!md.contains("設計に着手する前に"), "{md}");
}

#[test]
fn parameters_follow_the_tier_and_the_profile() {
    let t1 = annex_md(&at_tier(1), &[]);
    assert!(t1.contains("（１）　緊急　30日"), "{t1}");
    let t3 = annex_md(&at_tier(3), &[]);
    assert!(t3.contains("（１）　緊急　7日"));
    assert!(
        t3.contains("| 深刻度「緊急」の脆弱性の修正の提供期限 | 7日 | 第31条 |"),
        "{t3}"
    );
    let set = annex_md(
        &(at_tier(3) + "parameters: { critical_fix_days: 3 }\n"),
        &[],
    );
    assert!(set.contains("（１）　緊急　3日"));
    assert!(set.contains("| 深刻度「緊急」の脆弱性の修正の提供期限 | 3日 | 第31条 |"));
    assert!(
        !set.contains("critical_fix_days"),
        "no parameter identifier"
    );
}

#[test]
fn tier_text_varies_inside_a_clause() {
    let t1 = annex_md(&at_tier(1), &[]);
    let t3 = annex_md(&at_tier(3), &[]);
    assert!(t1.contains("少なくとも最上位のコンポーネントを対象とする"));
    assert!(!t1.contains("SBOMに電子署名を付し"));
    assert!(t3.contains("推移的な依存関係を含む全てのコンポーネントを対象とし"));
    assert!(t3.contains("SBOMに電子署名を付し"));
}

#[test]
fn japanese_cover_block_uses_era_dates_and_leaves_a_blank_for_the_vendor() {
    let md = annex_md(BASE, &[]);
    assert!(md.starts_with("# 別紙 セキュリティ要件\n"));
    assert!(md.contains("| 契約の類型 | 受託開発 |"));
    assert!(md.contains("| 契約期間 | 令和8年7月1日から令和13年3月31日まで |"));
    assert!(md.contains("| 受注者 | ＿＿＿＿＿＿＿＿＿＿＿＿（記入欄） |"));
    let rfp = annex_md(BASE, &["--stage", "rfp"]);
    assert!(rfp.starts_with("# 調達仕様書 別紙 セキュリティ要件（提案依頼）\n"));
    assert!(rfp.contains("| 発行日 | 令和8年4月1日 |"));
    assert!(rfp.contains("本調達のリスク区分は **区分1（基本）** とする。"));
    let vendor = annex_md(
        &with("  issued:", "  vendor: 株式会社サンプル\n  issued:"),
        &[],
    );
    assert!(vendor.contains("| 受注者 | 株式会社サンプル |"));
}

#[test]
fn english_annex_from_lang_flag_and_from_profile() {
    let ascii = with("title: テスト調達", "title: Test procurement")
        .replace("buyer: 発注課", "buyer: Procurement Office");
    let md = annex_md(&ascii, &["--lang", "en"]);
    assert!(md.starts_with("# Annex: Security Requirements\n"));
    assert!(md.contains("| Contract period | 1 July 2026 to 31 March 2031 |"));
    assert!(
        md.contains("### Article 16 Security specification\n"),
        "{md}"
    );
    let rfp = annex_md(&ascii, &["--lang", "en", "--stage", "rfp"]);
    assert!(rfp.contains("| Issued | 1 April 2026 |"));
    assert!(rfp.contains("This procurement is classified as **tier 1 (Basic)**."));
    let japanese = md.chars().find(|c| ('\u{3040}'..='\u{9fff}').contains(c));
    assert_eq!(japanese, None, "Japanese text in the en annex");
    let from_profile = annex_md(
        &ascii.replace("procurement:\n", "procurement:\n  language: en\n"),
        &[],
    );
    assert_eq!(md, from_profile);
}

/// `annex` works out a one-language document from that language's texts alone (which values
/// each clause shows, which clauses it refers to); the package `build` writes works them out
/// from both. The documents are the same, byte for byte, for every example profile, both
/// languages and both stages.
#[test]
fn a_one_language_annex_is_the_package_annex() {
    let dir = tempfile::tempdir().unwrap();
    let examples = repo().join("examples");
    let mut profiles: Vec<_> = std::fs::read_dir(&examples)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    profiles.sort();
    assert_eq!(profiles.len(), 4, "{profiles:?}");
    for profile in &profiles {
        chotatsu(dir.path())
            .args(["build", "--out", "package"])
            .arg(profile)
            .assert()
            .success();
        for lang in ["ja", "en"] {
            for (stage, name) in [("contract", "annex"), ("rfp", "rfp")] {
                chotatsu(dir.path())
                    .args(["annex", "--format", "md", "--out", "one", "--lang", lang])
                    .args(["--stage", stage])
                    .arg(profile)
                    .assert()
                    .success();
                let id = files_under(&dir.path().join("one"))
                    .into_iter()
                    .next()
                    .and_then(|f| f.split('/').next().map(str::to_string))
                    .unwrap();
                let file = format!("{id}/{name}.{lang}.md");
                let one = std::fs::read(dir.path().join("one").join(&file)).unwrap();
                let package = std::fs::read(dir.path().join("package").join(&file)).unwrap();
                assert!(one == package, "{file} of {}", profile.display());
                std::fs::remove_dir_all(dir.path().join("one")).unwrap();
            }
        }
    }
}

#[test]
fn writes_every_format_and_prints_the_paths() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p.yaml", BASE);
    chotatsu(dir.path())
        .args(["annex", "p.yaml", "--out", "docs"])
        .assert()
        .success()
        .stdout("docs/T-1/annex.ja.md\ndocs/T-1/annex.ja.html\ndocs/T-1/annex.ja.docx\n");
    assert_eq!(
        files_under(dir.path()),
        [
            "docs/T-1/annex.ja.docx",
            "docs/T-1/annex.ja.html",
            "docs/T-1/annex.ja.md",
            "p.yaml"
        ]
    );
}

#[test]
fn user_strings_are_escaped_in_markdown_and_html() {
    let hostile = with(
        "buyer: 発注課",
        "buyer: \"<script>alert(1)</script> | **x** [a](javascript:b)\"",
    )
    .replace("title: テスト調達", "title: \"# <img src=x onerror=y>\"");
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p.yaml", &hostile);
    chotatsu(dir.path())
        .args(["annex", "p.yaml"])
        .assert()
        .success();
    let md = std::fs::read_to_string(dir.path().join("out/T-1/annex.ja.md")).unwrap();
    assert!(md.contains(
        "| 発注者 | \\<script\\>alert(1)\\</script\\> \\| \\*\\*x\\*\\* \\[a\\](javascript:b) |"
    ));
    let html = std::fs::read_to_string(dir.path().join("out/T-1/annex.ja.html")).unwrap();
    let doc = parse_html(&html);
    for tag in ["script", "img", "a"] {
        assert!(
            doc.descendants().all(|n| !n.has_tag_name(tag)),
            "<{tag}> in the page"
        );
    }
    // A node's whole text (table cells wrap their unbreakable runs in spans).
    let text_of = |n: roxmltree::Node| -> String {
        n.descendants()
            .filter(|d| d.is_text())
            .filter_map(|d| d.text())
            .collect()
    };
    let strong: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("strong"))
        .map(text_of)
        .collect();
    assert!(
        strong.is_empty(),
        "no bold text in the contract annex: {strong:?}"
    );
    let buyer_cell = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "td")
        .map(text_of)
        .find(|t| t.starts_with("<script>"))
        .expect("buyer cell");
    assert_eq!(
        buyer_cell,
        "<script>alert(1)</script> | **x** [a](javascript:b)"
    );
    let title = doc.descendants().find(|n| n.has_tag_name("title")).unwrap();
    assert_eq!(
        title.text(),
        Some("別紙 セキュリティ要件 — T-1 # <img src=x onerror=y>")
    );
}

#[test]
fn html_is_a_self_contained_print_page() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p.yaml", &at_tier(2));
    chotatsu(dir.path())
        .args(["annex", "p.yaml", "--lang", "en", "--format", "html"])
        .assert()
        .success()
        .stdout("out/T-1/annex.en.html\n");
    let html = std::fs::read_to_string(dir.path().join("out/T-1/annex.en.html")).unwrap();
    let doc = parse_html(&html);
    let root = doc.root_element();
    assert_eq!(root.attribute("lang"), Some("en"));
    let style = doc.descendants().find(|n| n.has_tag_name("style")).unwrap();
    assert!(style.text().unwrap().contains("@page { size: A4;"));
    assert!(
        !html.contains("<link") && !html.contains("src="),
        "no outside resources"
    );
    let clause_headings: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("h3") && n.attribute("class") == Some("clause"))
        .map(|n| n.attribute("data-clause").unwrap())
        .collect();
    assert_eq!(clause_headings, contract(TIER2));
    let tables = doc
        .descendants()
        .filter(|n| n.has_tag_name("table"))
        .count();
    assert_eq!(tables, 3, "overview, values set by the Buyer, traceability");
}

#[test]
fn tailoring_excludes_clauses_and_records_why() {
    let profile = at_tier(3)
        + "tailoring:\n  exclude:\n    - { clause: LIFE-04, reason: 別の保守契約による }\n    - clause: NC-02\n      reason: \"例外は <認めない>\"\n";
    let md = annex_md(&profile, &[]);
    let ids = clause_ids(&md);
    assert!(!ids.contains(&"LIFE-04".to_string()) && !ids.contains(&"NC-02".to_string()));
    assert_eq!(ids.len(), contract(TIER3).len() - 2);
    assert!(md.contains("## 適用除外\n\n発注者は、本調達について、次の要件を適用しない。\n\n| 見出し | 理由 |\n|---|---|\n| 要件の例外 | 例外は \\<認めない\\> |\n| 緊急のセキュリティ作業 | 別の保守契約による |\n"), "{md}");
    assert!(
        md.contains("| 適用除外 | NC-02 | 要件の例外 | (2)-3 関係者間のセキュリティ要件の確立 |")
    );
    assert!(!md.contains("テーラリング"));
}

#[test]
fn tier_deviation_is_recorded() {
    let profile = at_tier(3) + "tier: 1\ntier_reason: 試行導入で実データを扱わない\n";
    let md = annex_md(&profile, &[]);
    assert_eq!(clause_ids(&md), contract(TIER1));
    let rfp = annex_md(&profile, &["--stage", "rfp"]);
    assert!(rfp.contains("判定基準による区分は 区分3（高） であるが、発注者は次の理由により 区分1（基本） を適用する。\n\n> 試行導入で実データを扱わない\n"));
}

#[test]
fn no_tailoring_leaves_out_the_exclusions_section() {
    let md = annex_md(BASE, &[]);
    assert!(!md.contains("## 適用除外"));
}

#[test]
fn tailoring_errors_name_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "tailoring:\n  exclude:\n    - { clause: NOPE-01, reason: x }\n",
            "error: p.yaml:11:17: tailoring.exclude[0].clause: unknown clause `NOPE-01` in tailoring.exclude; `chotatsu list` shows every clause\n",
        ),
        (
            "tailoring:\n  exclude:\n    - clause: NC-02\n      reason: y\n",
            "error: p.yaml:11:15: tailoring.exclude[0].clause: clause NC-02 is not selected at tier 1 (it applies from tier 2), so it cannot be excluded\n",
        ),
        (
            "tailoring:\n  exclude:\n    - { clause: SPEC-01, reason: \"\" }\n",
            "error: p.yaml:11:34: tailoring.exclude[0].reason: a reason is required to exclude clause SPEC-01\n",
        ),
        (
            "parameters:\n  critical_fix_days: \"seven\"\n",
            "error: p.yaml:10:22: parameters.critical_fix_days: parameter `critical_fix_days`: expected integer, found string `seven`\n",
        ),
        (
            "parameters:\n  critical_fix_days: 0\n",
            "error: p.yaml:10:22: parameters.critical_fix_days: parameter `critical_fix_days`: 0 is below the minimum 1\n",
        ),
    ];
    for (extra, expected) in cases {
        write(dir.path(), "p.yaml", &(BASE.to_string() + extra));
        let err = fails(chotatsu(dir.path()).args(["annex", "p.yaml"]));
        assert_eq!(err, expected, "for {extra:?}");
        assert!(!dir.path().join("out").exists(), "nothing written");
    }
}

#[test]
fn unknown_parameter_suggests_the_nearest() {
    let dir = tempfile::tempdir().unwrap();
    for (given, expected) in [
        (
            "critical_fix_dayz",
            "error: p.yaml:10:22: parameters.critical_fix_dayz: unknown parameter `critical_fix_dayz`; did you mean `critical_fix_days`?\n",
        ),
        (
            "critical_fix",
            "error: p.yaml:10:17: parameters.critical_fix: unknown parameter `critical_fix`; did you mean `critical_fix_days`?\n",
        ),
        (
            "zzz",
            "error: p.yaml:10:8: parameters.zzz: unknown parameter `zzz`; `chotatsu show CLAUSE-ID` lists the parameters of a clause\n",
        ),
    ] {
        write(
            dir.path(),
            "p.yaml",
            &format!("{BASE}parameters:\n  {given}: 3\n"),
        );
        assert_eq!(
            fails(chotatsu(dir.path()).args(["annex", "p.yaml"])),
            expected
        );
    }
}

#[test]
fn two_runs_give_byte_identical_files() {
    let profile = repo().join("examples/r8-0421.yaml");
    let run = || {
        let dir = tempfile::tempdir().unwrap();
        chotatsu(dir.path())
            .args(["annex", profile.to_str().unwrap()])
            .assert()
            .success();
        let out = dir.path().join("out/R8-0421");
        (
            std::fs::read(out.join("annex.ja.md")).unwrap(),
            std::fs::read(out.join("annex.ja.html")).unwrap(),
        )
    };
    assert_eq!(run(), run());
}

/// The Markdown of every example is snapshotted in `tests/library.rs`; this pins the HTML page.
#[test]
fn example_annex_html_snapshots() {
    let profile = repo().join("examples/r8-0421.yaml");
    for lang in ["ja", "en"] {
        let dir = tempfile::tempdir().unwrap();
        chotatsu(dir.path())
            .args(["annex", profile.to_str().unwrap(), "--lang", lang])
            .assert()
            .success();
        let html =
            std::fs::read_to_string(dir.path().join(format!("out/R8-0421/annex.{lang}.html")))
                .unwrap();
        parse_html(&html);
        insta::assert_snapshot!(format!("annex_r8_0421_{lang}_html"), html);
    }
}

#[test]
fn english_units_are_singular_for_one() {
    let profile =
        at_tier(3) + "parameters: { critical_fix_days: 1, nonconformance_notice_days: 1 }\n";
    let md = annex_md(&profile, &["--lang", "en"]);
    assert!(md.contains("Critical, 1 day;"), "{md}");
    assert!(md.contains("within 1 Business Day"), "{md}");
    assert!(
        !md.contains(" 1 days") && !md.contains(" 1 Business Days"),
        "{md}"
    );
}

#[test]
fn a_parameter_no_selected_clause_uses_is_noted_not_refused() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "p.yaml",
        &(BASE.to_string() + "parameters: { pentest_interval_months: 6, critical_fix_days: 20 }\n"),
    );
    chotatsu(dir.path())
        .args(["annex", "p.yaml", "--format", "md"])
        .assert()
        .success()
        .stdout("out/T-1/annex.ja.md\n")
        .stderr(
            "note: p.yaml:9:40: parameters.pentest_interval_months: no clause selected at tier 1 uses parameter `pentest_interval_months`; the value has no effect\n",
        );
}
