//! The annex: clause selection per tier, ja and en, escaping, tailoring, HTML, determinism.

use crate::clause_sets::{TIER1, TIER2, TIER3};
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
    assert_eq!(clause_ids(&annex_md(&at_tier(1), &[])), TIER1);
    assert_eq!(clause_ids(&annex_md(&at_tier(2), &[])), TIER2);
    assert_eq!(clause_ids(&annex_md(&at_tier(3), &[])), TIER3);
}

#[test]
fn parameters_follow_the_tier_and_the_profile() {
    let t1 = annex_md(&at_tier(1), &[]);
    assert!(t1.contains("認知した日から30日以内に"), "{t1}");
    let t3 = annex_md(&at_tier(3), &[]);
    assert!(t3.contains("認知した日から7日以内に"));
    assert!(t3.contains("| 緊急度「緊急」の脆弱性の修正期限 (`critical_fix_days`) | 7 | 日 | 7日 | 区分の既定値 | VULN-01 |"));
    let set = annex_md(
        &(at_tier(3) + "parameters: { critical_fix_days: 3 }\n"),
        &[],
    );
    assert!(set.contains("認知した日から3日以内に"));
    assert!(set.contains("| 緊急度「緊急」の脆弱性の修正期限 (`critical_fix_days`) | 3 | 日 | 7日 | 発注者による指定（既定値を変更） | VULN-01 |"));
}

#[test]
fn tier_text_varies_inside_a_clause() {
    let t1 = annex_md(&at_tier(1), &[]);
    let t3 = annex_md(&at_tier(3), &[]);
    assert!(t1.contains("少なくとも最上位のコンポーネントを対象とし"));
    assert!(!t1.contains("SBOMに電子署名を付し"));
    assert!(t3.contains("推移的な依存関係を含む全てのコンポーネントを対象とし"));
    assert!(t3.contains("SBOMに電子署名を付し"));
}

#[test]
fn japanese_cover_block_uses_era_dates_and_leaves_a_blank_for_the_vendor() {
    let md = annex_md(BASE, &[]);
    assert!(md.starts_with("# 別紙 セキュリティ要件\n"));
    assert!(md.contains("| 発行日 | 令和8年4月1日 |"));
    assert!(md.contains("| 契約期間 | 令和8年7月1日から令和13年3月31日まで |"));
    assert!(md.contains("| 受注者 | ＿＿＿＿＿＿＿＿＿＿＿＿（記入欄） |"));
    assert!(md.contains("本調達のリスク区分は **区分1（基本）** とする。"));
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
    assert!(md.contains("| Issued | 1 April 2026 |"));
    assert!(md.contains("| Contract period | 1 July 2026 to 31 March 2031 |"));
    assert!(md.contains("This procurement is classified as **tier 1 (Basic)**."));
    assert!(md.contains("#### SPEC-01 Security specification agreed before design"));
    let japanese = md.chars().find(|c| ('\u{3040}'..='\u{9fff}').contains(c));
    assert_eq!(japanese, None, "Japanese text in the en annex");
    let from_profile = annex_md(
        &ascii.replace("procurement:\n", "procurement:\n  language: en\n"),
        &[],
    );
    assert_eq!(md, from_profile);
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
    assert_eq!(
        strong,
        ["区分1（基本）", "合計"],
        "the tier and the budget total only"
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
        .filter(|n| n.has_tag_name("h4") && n.attribute("class") == Some("clause"))
        .map(|n| n.attribute("id").unwrap())
        .collect();
    let expected: Vec<String> = TIER2.iter().map(|id| id.to_ascii_lowercase()).collect();
    assert_eq!(clause_headings, expected);
    let tables = doc
        .descendants()
        .filter(|n| n.has_tag_name("table"))
        .count();
    assert_eq!(tables, 4, "cover, parameters, budget, traceability");
}

#[test]
fn tailoring_excludes_clauses_and_records_why() {
    let profile = at_tier(2)
        + "tailoring:\n  exclude:\n    - { clause: LIFE-04, reason: 別契約の単価による }\n    - clause: NC-02\n      reason: \"例外は <認めない>\"\n";
    let md = annex_md(&profile, &[]);
    let ids = clause_ids(&md);
    assert!(!ids.contains(&"LIFE-04".to_string()) && !ids.contains(&"NC-02".to_string()));
    assert_eq!(ids.len(), TIER2.len() - 2);
    assert!(md.contains("### 適用除外とした条項\n\n| 条項 | 理由 |\n|---|---|\n| NC-02 例外登録簿 | 例外は \\<認めない\\> |\n| LIFE-04 緊急セキュリティ作業の単価 | 別契約の単価による |\n"));
    assert!(md.contains("| (2)-3 関係者間のセキュリティ要件の確立 | SUPP-01、SUPP-02、SUPP-03、SUPP-04、CLOUD-01、NC-01、ATTEST-01、EVID-01 |"));
}

#[test]
fn tier_deviation_is_recorded() {
    let profile = at_tier(3) + "tier: 1\ntier_reason: 試行導入で実データを扱わない\n";
    let md = annex_md(&profile, &[]);
    assert_eq!(clause_ids(&md), TIER1);
    assert!(md.contains("### 6.1 リスク区分の変更\n\n判定基準による区分は 区分3（高度） であるが、発注者は次の理由により 区分1（基本） を適用する。\n\n> 試行導入で実データを扱わない\n"));
}

#[test]
fn no_tailoring_says_so() {
    let md = annex_md(BASE, &[]);
    assert!(md.contains("## 6. テーラリング記録\n\n区分の変更及び条項の適用除外はない。\n"));
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
    assert!(
        md.contains("within 1 day of becoming aware of it for a critical vulnerability"),
        "{md}"
    );
    assert!(md.contains("within 1 business day"), "{md}");
    assert!(
        !md.contains(" 1 days") && !md.contains(" 1 business days"),
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
