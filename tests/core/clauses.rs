//! The clause text as a procurement officer and a vendor's counsel read it (issue 11): one
//! test per class of defect found in review, each failing if the defect came back.

use crate::common::{BASE, chotatsu, clause_ids, fails, repo, write};

const KINDS: [&str; 4] = ["development", "package", "saas", "operation"];

/// A profile of `kind` at `tier`, with the system facts given.
fn profile(kind: &str, tier: u8, personal_data: bool, critical: bool) -> String {
    let impact = ["low", "moderate", "high"][usize::from(tier - 1)];
    // Critical infrastructure raises the tier by one: start one lower to land on `tier`.
    let base = if critical && tier > 1 {
        ["low", "moderate", "high"][usize::from(tier - 2)]
    } else {
        impact
    };
    BASE.replacen("type: development", &format!("type: {kind}"), 1)
        .replacen(
            "confidentiality: low",
            &format!("confidentiality: {base}"),
            1,
        )
        + &format!(
            "  critical_infrastructure: {critical}\n  internet_facing: false\n  personal_data: {personal_data}\n"
        )
}

/// The document of `stage` in `lang` for `profile`.
fn document(profile: &str, stage: &str, lang: &str, extra: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p.yaml", profile);
    let mut args = vec![
        "annex", "p.yaml", "--format", "md", "--stage", stage, "--lang", lang,
    ];
    args.extend_from_slice(extra);
    chotatsu(dir.path()).args(&args).assert().success();
    let stem = if stage == "rfp" { "rfp" } else { "annex" };
    std::fs::read_to_string(dir.path().join(format!("out/T-1/{stem}.{lang}.md"))).unwrap()
}

fn annex(kind: &str, tier: u8) -> String {
    document(&profile(kind, tier, true, false), "contract", "ja", &[])
}

/// The article headed `title` (`### 第N条（title）`), up to the next heading.
fn article<'a>(md: &'a str, title: &str) -> &'a str {
    let head = format!("（{title}）\n");
    let start = md
        .find(&head)
        .unwrap_or_else(|| panic!("no article （{title}） in\n{md}"));
    let rest = &md[start..];
    let end = rest[head.len()..]
        .find("\n#")
        .map_or(rest.len(), |e| e + head.len());
    &rest[..end]
}

/// Every document: each contract type and tier, both stages, both languages, with every
/// condition on (personal data, critical infrastructure) so that every clause is read.
fn every_document() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for kind in KINDS {
        for tier in 1..=3 {
            for stage in ["contract", "rfp"] {
                for lang in ["ja", "en"] {
                    let md = document(&profile(kind, tier, true, tier > 1), stage, lang, &[]);
                    out.push((format!("{kind} tier {tier} {stage} {lang}"), md));
                }
            }
        }
    }
    out
}

// 1. Buyer duties a public body cannot take on.
#[test]
fn no_document_puts_a_budget_duty_on_the_buyer_or_a_reserve_fund() {
    for (name, md) in every_document() {
        assert!(!md.contains("予備費"), "{name}: 予備費");
        for sentence in md.split('。') {
            assert!(
                !(sentence.contains("発注者は")
                    && sentence.contains("予算")
                    && (sentence.contains("確保") || sentence.contains("計上"))),
                "{name}: a buyer budget duty: {sentence}"
            );
        }
        let lower = md.to_lowercase();
        assert!(
            !lower
                .split(|c: char| !c.is_ascii_alphabetic())
                .any(|w| w == "reserve" || w == "reserves"),
            "{name}: a reserve"
        );
        assert!(
            !lower.contains("buyer secures") && !lower.contains("buyer shall secure"),
            "{name}: a buyer budget duty"
        );
    }
}

#[test]
fn support_after_the_term_is_a_separate_paid_contract() {
    for kind in ["development", "package"] {
        let md = annex(kind, 1);
        let maint = article(&md, "契約期間の満了後の保守");
        assert!(maint.contains("本契約の範囲に含まれず"), "{maint}");
        assert!(maint.contains("別に締結する保守の契約"), "{maint}");
        assert!(maint.contains("債務負担行為"), "{maint}");
        assert!(maint.contains("有償"), "{maint}");
        let life = article(&md, "サポート期間");
        assert!(life.contains("契約期間中のセキュリティ更新の提供は、契約金額に含まれる"));
    }
    // A subscription ends with its term: no support period runs past it.
    let saas = annex("saas", 3);
    assert!(!saas.contains("（サポート期間）"));
    assert!(!saas.contains("契約期間の満了後の保守"));
}

// 2. Drafting.
#[test]
fn drafting_defects_do_not_come_back() {
    for kind in KINDS {
        for tier in 1..=3 {
            let md = annex(kind, tier);
            let name = format!("{kind} tier {tier}");
            for bad in [
                "合意しなければならない",
                "宣誓",
                "役員の署名",
                "重大であると認める",
                "（高度）",
                "本別紙5",
                "本別紙の表",
            ] {
                assert!(!md.contains(bad), "{name}: 「{bad}」");
            }
            // 受注者 is defined once, in the definitions article.
            assert_eq!(md.matches("受注者　").count(), 1, "{name}");
            assert!(!md.contains("以下「受注者」という"), "{name}");
            // Terms are defined before they are used.
            let defs = article(&md, "定義");
            for term in ["営業日", "重大インシデント", "脆弱性", "インシデント"]
            {
                assert!(
                    defs.contains(&format!("{term}　")),
                    "{name}: {term} undefined"
                );
            }
            for grade in ["緊急", "重要", "警告", "注意"] {
                assert!(
                    defs.contains(&format!("{grade}　基本値が")),
                    "{name}: {grade}"
                );
            }
            // Termination for non-conformance only after a demand (催告).
            let nc = article(&md, "要件への不適合");
            assert!(
                nc.contains("相当の期間を定めて是正を催告し"),
                "{name}: {nc}"
            );
            if tier >= 2 {
                let pledge = article(&md, "要件遵守の誓約");
                assert!(pledge.contains("代表者が記名押印"), "{name}: {pledge}");
            }
        }
    }
}

// 3. Obligations a vendor cannot meet.
#[test]
fn obligations_are_ones_a_vendor_can_meet() {
    for kind in KINDS {
        let md = annex(kind, 3);
        let name = format!("{kind} tier 3");
        // No contract term imposed on Microsoft or Oracle: subscribe and assess instead.
        assert!(
            !md.contains("提供元が当該製品の脆弱性を認知した日から"),
            "{name}"
        );
        assert!(
            md.contains("公表の日から3営業日以内に、本件システムへの影響の有無"),
            "{name}"
        );
        // Cloud providers and subcontractors: third-party reports instead of site visits.
        let audit = article(&md, "監査");
        assert!(audit.contains("SOC 2 Type 2報告書"), "{name}: {audit}");
        assert!(audit.contains("ISMAPの監査の結果"), "{name}");
        // SCS ★4: a dated plan, endeavoured; ★3 (or a plan for it) is what is required.
        let scs = article(&md, "取得している認証等");
        assert!(
            scs.contains("★3以上の評価を取得していなければならない"),
            "{name}: {scs}"
        );
        assert!(
            scs.contains("取得するよう努めなければならない"),
            "{name}: {scs}"
        );
        assert!(!scs.contains("★4以上"), "{name}");
        // No independent SSDF assessment: reports the market offers.
        let third = article(&md, "第三者による評価の報告書");
        assert!(!third.contains("SSDF"), "{name}: {third}");
        assert!(third.contains("ISO/IEC 27001"), "{name}");
    }
}

// 4. Internal contradictions.
#[test]
fn no_internal_contradictions() {
    let md = annex("development", 3);
    assert!(!md.contains("インターネットから分離"));
    assert!(!md.contains("レベル3以上") && !md.contains("L3以上"));
    let build = article(&md, "開発環境及びビルドの保護");
    assert!(
        build.contains("SLSA BuildトラックのレベルL3の要件"),
        "{build}"
    );
    // Deleting the buyer's data leaves what this annex must keep.
    let data = article(&md, "発注者の情報の返却及び消去");
    assert!(
        data.contains("本別紙の規定により保存期間が定められた記録"),
        "{data}"
    );
    // An SBOM is kept for one period, set in one article.
    let kept: Vec<&str> = md
        .split("\n### ")
        .filter(|a| a.contains("SBOM") && a.contains("年間"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:#?}");
}

// 5. Vulnerability handling.
#[test]
fn severities_are_graded_by_a_named_cvss_version_and_each_has_a_deadline() {
    let md = annex("development", 3);
    assert!(md.contains("共通脆弱性評価システムCVSS v3.1の基本評価基準"));
    let fix = article(&md, "脆弱性の修正の提供");
    for grade in ["緊急　", "重要　", "警告　", "注意　"] {
        let line = fix
            .lines()
            .find(|l| l.contains(grade))
            .unwrap_or_else(|| panic!("no deadline for {grade}: {fix}"));
        assert!(line.contains("日"), "{line}");
    }
    let vex = article(&md, "VEXの提供");
    assert!(vex.contains("3営業日以内"), "{vex}");
    let v4 = document(
        &(profile("development", 3, false, false) + "parameters: { cvss_version: v4.0 }\n"),
        "contract",
        "ja",
        &[],
    );
    assert!(v4.contains("CVSS v4.0の基本評価基準"));
    // An operation contract applies fixes, not only provides them.
    let op = annex("operation", 1);
    let apply = article(&op, "脆弱性の修正の適用");
    assert!(
        apply.contains("修正プログラムを本件システムに適用し"),
        "{apply}"
    );
    assert!(!op.contains("（脆弱性の修正の提供）"));
}

// 6. and 11. Clauses a Japanese public contract needs, and what the outsourcing rules ask.
#[test]
fn the_clauses_a_public_contract_needs_are_there() {
    let every_type = [
        "定義",
        "本別紙の位置付け及び優先順位",
        "契約終了後の効力",
        "目的外利用の禁止及び秘密の保持",
        "損害賠償",
        "発注者の情報セキュリティポリシーの遵守",
        "履行状況の定期報告",
        "従事者の教育",
        "情報の持出し及び記録媒体の持込みの制限",
        "業務継続計画",
        "再委託の承認及び一括再委託の禁止",
        "個人情報の取扱い",
        "特定個人情報の取扱い",
        "個人情報の漏えい等の報告への協力",
        "資本関係、役員、実施場所及び従事者に関する情報",
        "SBOM及びVEXの権利及び取扱い",
        "発注者の情報の返却及び消去",
    ];
    for kind in KINDS {
        let md = annex(kind, 1);
        for title in every_type {
            assert!(
                md.contains(&format!("（{title}）\n")),
                "{kind}: no （{title}）"
            );
        }
    }
    let dev = annex("development", 3);
    for title in [
        "検査の条件",
        "契約不適合責任",
        "意図せざる変更及び仕様外の機能の排除",
        "リモート保守",
    ] {
        assert!(
            dev.contains(&format!("（{title}）\n")),
            "development: no （{title}）"
        );
    }
    let inspection = article(&dev, "検査の条件");
    assert!(inspection.contains("SBOM") && inspection.contains("脆弱性診断報告書"));
    let warranty = article(&dev, "契約不適合責任");
    assert!(warranty.contains("引渡しの時までに公表されていた緊急又は重要の脆弱性"));
    let privacy = article(&dev, "特定個人情報の取扱い");
    assert!(privacy.contains("番号法第10条第1項"));
    assert!(article(&dev, "個人情報の漏えい等の報告への協力").contains("個人情報保護委員会"));
    let foi = article(&dev, "SBOM及びVEXの権利及び取扱い");
    assert!(foi.contains("情報公開に関する法令又は条例"));
    // Without personal data, no personal-data articles.
    let none = document(
        &profile("development", 1, false, false),
        "contract",
        "ja",
        &[],
    );
    assert!(!none.contains("（特定個人情報の取扱い）"));
}

// 7. By contract type.
#[test]
fn each_contract_type_gets_its_own_obligations() {
    let saas = annex("saas", 3);
    let location = article(&saas, "データの保管場所、準拠法及び管轄");
    assert!(
        location.contains("日本国内に所在するデータセンターにおいてのみ保管"),
        "{location}"
    );
    assert!(location.contains("準拠法は日本法"));
    assert!(article(&saas, "ISMAPへの登録").contains("ISMAPクラウドサービスリストに登録された"));
    assert!(!article(&saas, "ISMAPへの登録").contains("ISMAP-LIU"));
    assert!(article(&saas, "サービスレベル").contains("分を超えない"));
    assert!(article(&saas, "利用の終了に伴うデータの取出し").contains("取り出す"));
    assert!(article(&saas, "クラウドサービスに係る責任分界").contains("責任分界表"));
    let ids = clause_ids(&saas);
    for absent in [
        "INSP-01", "WARR-01", "SBOM-01", "UPD-01", "LIFE-01", "CHG-01",
    ] {
        assert!(!ids.iter().any(|i| i == absent), "saas has {absent}");
    }
    let op = annex("operation", 3);
    for title in [
        "変更の管理",
        "業務の引継ぎ",
        "運用におけるセキュリティ手順書",
        "脆弱性の修正の適用",
    ] {
        assert!(
            op.contains(&format!("（{title}）\n")),
            "operation: no （{title}）"
        );
    }
    assert!(!op.contains("設計に着手する前に"));
    for kind in ["development", "package"] {
        let md = annex(kind, 2);
        for title in [
            "検査の条件",
            "契約不適合責任",
            "SBOMの提出",
            "セキュリティ更新の提供の方法",
        ] {
            assert!(
                md.contains(&format!("（{title}）\n")),
                "{kind}: no （{title}）"
            );
        }
    }
}

// 8. Critical infrastructure.
#[test]
fn critical_infrastructure_keeps_operators_safe_and_notices_in_order() {
    let ci = document(
        &profile("development", 3, false, true),
        "contract",
        "ja",
        &[],
    );
    let safety = article(&ci, "制御システムにおける運転の安全");
    assert!(safety.contains("自動的な画面のロック"), "{safety}");
    assert!(safety.contains("適用しないものとする"));
    let tests = article(&ci, "制御システムに対する診断の安全");
    assert!(tests.contains("検証の環境"));
    assert!(tests.contains("運転員の立会いの下"));
    assert!(
        article(&ci, "特定重要設備の導入等計画書への協力")
            .contains("経済施策を一体的に講ずることによる安全保障の確保の推進に関する法律")
    );
    let plain = annex("development", 3);
    assert!(!plain.contains("（制御システムにおける運転の安全）"));

    // A subcontractor's notice must leave the Contractor time.
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "p.yaml",
        &(profile("development", 3, false, true)
            + "parameters:\n  incident_notice_hours: 12\n  subcontractor_incident_notice_hours: 12\n"),
    );
    let err = fails(chotatsu(dir.path()).args(["annex", "p.yaml"]));
    assert!(
        err.contains("parameters.subcontractor_incident_notice_hours: `subcontractor_incident_notice_hours` (12) must be less than `incident_notice_hours` (12)"),
        "{err}"
    );
    assert!(!dir.path().join("out").exists());
}

// 9. The questionnaire asks no per-clause acceptance; the RFP asks for one pledge.
#[test]
fn acceptance_is_one_pledge_in_the_rfp_not_a_question_per_clause() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "p.yaml",
        &profile("development", 3, true, false),
    );
    chotatsu(dir.path())
        .args(["questionnaire", "p.yaml", "--format", "md", "--lang", "ja"])
        .assert()
        .success();
    let q = std::fs::read_to_string(dir.path().join("out/T-1/questionnaire.ja.md")).unwrap();
    assert!(!q.contains("ACCEPT-"));
    assert!(!q.contains("受け入れますか"));
    let rfp = document(&profile("development", 1, false, false), "rfp", "ja", &[]);
    assert!(rfp.contains("要件の修正を条件とする提案は、無効とする"));
    assert!(rfp.contains("代表者が記名押印したもの"));
    let annex = annex("development", 1);
    assert!(!annex.contains("要件の修正を条件とする提案"));
}

// 10. The guideline is cited with its edition, from one place.
#[test]
fn the_guideline_is_cited_with_its_edition_from_the_library_only() {
    let edition = "（案、令和7年10月30日公表）";
    let rfp = document(&profile("saas", 2, false, false), "rfp", "ja", &[]);
    assert!(rfp.contains(&format!(
        "「サイバーインフラ事業者に求められる役割等に関するガイドライン」{edition}"
    )));
    let annex = annex("saas", 2);
    assert!(annex.contains(edition));
    let en = document(&profile("saas", 2, false, false), "rfp", "en", &[]);
    assert!(en.contains("(draft published on 30 October 2025)"));
    // Nowhere else: a new edition is one change in requirements.yaml.
    let mut found = Vec::new();
    for dir in ["templates", "src"] {
        for entry in walk(&repo().join(dir)) {
            let text = std::fs::read_to_string(&entry).unwrap_or_default();
            if text.contains("令和7年10月30日") || text.contains("役割等に関するガイドライン")
            {
                found.push(entry.display().to_string());
            }
        }
    }
    assert!(
        found.is_empty(),
        "the guideline is cited outside requirements.yaml: {found:?}"
    );
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

// 12. The English is a contract text: paragraphs numbered, every article a sentence.
#[test]
fn english_articles_are_numbered_contract_sentences() {
    let en = document(
        &profile("development", 3, false, false),
        "contract",
        "en",
        &[],
    );
    let nc = en
        .split("\n### ")
        .find(|a| a.contains("Non-conformance\n"))
        .expect("non-conformance article");
    for n in 1..=5 {
        assert!(nc.contains(&format!("\n{n}. ")), "paragraph {n}: {nc}");
    }
    assert!(!en.contains("The strictest requirements, for systems"));
}
