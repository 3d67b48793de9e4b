//! What makes the documents issuable: references between clauses that cannot dangle and
//! follow the clause when it moves, two stages with their own wording, and running text free
//! of clause IDs, parameter identifiers and (in the contract) bidding words.

use chotatsu::annex;
use chotatsu::facts::{ContractType, Stage, clause_ids_in, identifiers_in};
use chotatsu::lang::Lang;
use chotatsu::library::Library;
use chotatsu::profile::Profile;
use chotatsu::render::Templates;
use chotatsu::selection::select;

use crate::common::{chotatsu, fails, repo, with, write};

fn profile(kind: ContractType, tier: u8) -> Profile {
    let impact = ["low", "moderate", "high"][usize::from(tier - 1)];
    let text = with(
        "confidentiality: low",
        &format!("confidentiality: {impact}"),
    )
    .replace("type: development", &format!("type: {kind}"));
    Profile::parse("p.yaml", &text).unwrap()
}

/// The running text of a rendered document: everything before the traceability table, less
/// the invisible clause markers.
fn running_text(md: &str) -> String {
    let body = md
        .split("\n## 要求事項対応表\n")
        .next()
        .unwrap()
        .split("\n## Requirements traceability table\n")
        .next()
        .unwrap();
    body.lines()
        .filter(|l| !l.starts_with("<!-- clause: "))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn excluding_a_referenced_clause_fails_naming_its_referrers() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "p.yaml",
        &(with("confidentiality: low", "confidentiality: high")
            + "tailoring:\n  exclude:\n    - { clause: NOTIFY-01, reason: 別契約による }\n"),
    );
    let err = fails(chotatsu(dir.path()).args(["annex", "p.yaml"]));
    assert_eq!(
        err,
        "error: p.yaml:11:17: tailoring.exclude[0].clause: clause NOTIFY-01 cannot be excluded: INTEG-01, SUPP-04 refer to it (exclude them too, or keep NOTIFY-01)\n"
    );
    assert!(!dir.path().join("out").exists(), "nothing written");
}

#[test]
fn references_render_as_the_article_of_the_referenced_clause_and_follow_it() {
    let templates = Templates::bundled().unwrap();
    let profile = profile(ContractType::Development, 3);
    let mut library = Library::load(None).unwrap();
    let render = |library: &Library| {
        let sel = select(library, &profile).unwrap();
        let md = annex::render(&sel, Stage::Contract, Lang::Ja, &templates, |_| false)
            .unwrap()
            .markdown;
        let numbers = annex::articles(&sel, Stage::Contract, Lang::Ja);
        (md, numbers)
    };
    let (md, numbers) = render(&library);
    let notify = &numbers["NOTIFY-01"];
    assert!(md.contains(&format!("### {notify}（インシデントの通知及び報告）")));
    assert!(
        md.contains(&format!("{notify}第1項に定める期限内に")),
        "{md}"
    );
    // Move NOTIFY-01 to the front of the library: it becomes the first article of its
    // chapter (articles stay in the chapter of their requirement), and the references
    // follow it.
    let at = library
        .clauses
        .iter()
        .position(|c| c.id == "NOTIFY-01")
        .unwrap();
    let moved = library.clauses.remove(at);
    library.clauses.insert(0, moved);
    let (md2, numbers2) = render(&library);
    let moved_to = &numbers2["NOTIFY-01"];
    assert_ne!(moved_to, notify, "the article number changed");
    assert!(md2.contains(&format!("### {moved_to}（インシデントの通知及び報告）")));
    assert!(
        md2.contains(&format!("{moved_to}第1項に定める期限内に")),
        "{md2}"
    );
    assert!(!md2.contains(&format!("{notify}第1項に定める期限内に")));
}

#[test]
fn no_document_shows_clause_ids_identifiers_or_tool_words_and_the_contract_no_bidding_words() {
    let library = Library::load(None).unwrap();
    let templates = Templates::bundled().unwrap();
    let parameter_names: Vec<&str> = library.parameters.keys().map(String::as_str).collect();
    for kind in ContractType::ALL {
        for tier in 1..=3 {
            let profile = profile(kind, tier);
            let sel = select(&library, &profile).unwrap();
            for stage in Stage::ALL {
                for lang in Lang::ALL {
                    let md = annex::render(&sel, stage, lang, &templates, |_| false)
                        .unwrap()
                        .markdown;
                    let text = running_text(&md);
                    let at = format!("{kind} tier {tier} {stage} {lang}");
                    let ids: Vec<&str> = clause_ids_in(&text)
                        .into_iter()
                        .filter(|id| library.clause(id).is_some())
                        .collect();
                    assert!(ids.is_empty(), "{at}: clause IDs {ids:?}");
                    let without_code: String =
                        text.split('`').step_by(2).collect::<Vec<_>>().join(" ");
                    assert!(
                        identifiers_in(&without_code).is_empty(),
                        "{at}: identifiers {:?}",
                        identifiers_in(&without_code)
                    );
                    for name in &parameter_names {
                        assert!(!md.contains(name), "{at}: parameter {name}");
                    }
                    for word in [
                        "テーラリング",
                        "プロファイル",
                        "区分の既定値",
                        "tailoring",
                        "profile",
                        "tier default",
                    ] {
                        assert!(!md.contains(word), "{at}: {word}");
                    }
                    if stage == Stage::Contract {
                        for word in ["提案", "入札", "Proposer", "proposal", "bidder"] {
                            assert!(!md.contains(word), "{at}: bidding word {word}");
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn every_example_builds_both_stages_and_the_contract_annexes_have_no_bidding_words() {
    for example in [
        "r8-0105-meeting-rooms.yaml",
        "r8-0312-kosodate-saas.yaml",
        "r8-0421.yaml",
        "r8-0530-water-scada.yaml",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let path = repo().join("examples").join(example);
        chotatsu(dir.path())
            .args(["build", path.to_str().unwrap()])
            .assert()
            .success();
        let package = std::fs::read_dir(dir.path().join("out"))
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        for lang in ["ja", "en"] {
            let annex = std::fs::read_to_string(package.join(format!("annex.{lang}.md"))).unwrap();
            for word in ["提案", "入札", "Proposer", "proposal", "bidder"] {
                assert!(!annex.contains(word), "{example} {lang}: {word}");
            }
            let rfp = std::fs::read_to_string(package.join(format!("rfp.{lang}.md"))).unwrap();
            assert!(rfp.contains("## 提案の評価基準") || rfp.contains("## Evaluation criteria"));
        }
    }
}
