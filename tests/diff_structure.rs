//! `chotatsu diff` on the structure of real documents: the failure classes of issue 12, each
//! with a made-up example shaped like the real documents that failed (statutes with 附則,
//! Markdown 規程, lettered sections, moves, numbers with their counters).

use chotatsu::diff::redline::EditOp;
use chotatsu::diff::{ClauseStatus, Comparison, compare};

/// Every clause as `status path` with ` moved` / ` renumbered(old→new)` when flagged; the
/// path is NEW's, or OLD's for a deleted clause.
fn outline(cmp: &Comparison) -> Vec<String> {
    cmp.clauses
        .iter()
        .map(|c| {
            let status = match c.status {
                ClauseStatus::Unchanged => "unchanged",
                ClauseStatus::Modified => "modified",
                ClauseStatus::Added => "added",
                ClauseStatus::Deleted => "deleted",
            };
            let mut line = format!("{status} {}", cmp.path_of(c).unwrap_or("-"));
            if c.moved {
                line.push_str(" moved");
            }
            if c.renumbered {
                let old = c
                    .old
                    .and_then(|o| cmp.old[o].path.clone())
                    .unwrap_or_default();
                line.push_str(&format!(" renumbered({old})"));
            }
            line
        })
        .collect()
}

/// Only the clauses something happened to.
fn changes(cmp: &Comparison) -> Vec<String> {
    outline(cmp)
        .into_iter()
        .filter(|l| !l.starts_with("unchanged") || l.contains(" moved") || l.contains("renumbered"))
        .collect()
}

fn redline(cmp: &Comparison, path: &str) -> String {
    let c = cmp
        .clauses
        .iter()
        .find(|c| cmp.path_of(c) == Some(path))
        .unwrap_or_else(|| panic!("no clause {path}: {:?}", outline(cmp)));
    c.edits
        .iter()
        .map(|e| match e.op {
            EditOp::Equal => e.text.clone(),
            EditOp::Delete => format!("[-{}-]", e.text),
            EditOp::Insert => format!("{{+{}+}}", e.text),
        })
        .collect()
}

const STATUTE_OLD: &str = "\
情報処理促進法

      第一章　総則

  （目的）
第一条　この法律は、情報処理の促進に関する施策を定めることを目的とする。

  （定義）
第二条　この法律において「情報処理」とは、電子計算機を使用して行う処理をいう。

      第二章　基本方針

第三条　経済産業大臣は、情報処理の促進に関する基本方針を定めなければならない。
２　基本方針は、次に掲げる事項について定めるものとする。
  一　情報処理の高度化に関する事項
  二　情報処理に関する人材の育成に関する事項

   附　則

この法律は、公布の日から施行する。

   附　則　（平成三〇年六月一三日法律第三三号）　抄

  （施行期日）
第一条　この法律は、公布の日から起算して六月を超えない範囲内において政令で定める日から施行する。

  （経過措置）
第二条　この法律の施行前にした行為に対する罰則の適用については、なお従前の例による。
";

#[test]
fn a_new_supplementary_provision_is_its_own_division() {
    // Class 1: a 附則 with a law number and 抄 closes the main body; its 第一条 is its own.
    let new = format!(
        "{STATUTE_OLD}\n   附　則　（令和七年六月一三日法律第五四号）　抄\n\n  （施行期日）\n第一条　この法律は、公布の日から起算して一年を超えない範囲内において政令で定める日から施行する。\n"
    );
    let cmp = compare(STATUTE_OLD, &new);
    assert_eq!(
        changes(&cmp),
        [
            "added 附則（令和七年六月一三日法律第五四号）",
            "added 附則（令和七年六月一三日法律第五四号）第一条",
        ]
    );
    assert_eq!(cmp.summary.modified, 0);
}

#[test]
fn a_deleted_supplementary_article_pairs_with_nothing_of_another_one() {
    // Class 1 and 2: the two 附則 each have a 第一条; deleting one 附則's 第二条 must not pair it
    // with the 第一条 of another 附則 that reads alike.
    let old = format!(
        "{STATUTE_OLD}\n   附　則　（令和二年六月一日法律第一号）\n\n  （経過措置）\n第一条　この法律の施行前にした行為に対する罰則の適用については、なお従前の例による。\n"
    );
    let new = STATUTE_OLD.replace(
        "\n  （経過措置）\n第二条　この法律の施行前にした行為に対する罰則の適用については、なお従前の例による。\n",
        "",
    );
    let cmp = compare(&old, &new);
    assert_eq!(
        changes(&cmp),
        [
            "deleted 附則（平成三〇年六月一三日法律第三三号）第二条",
            "deleted 附則（令和二年六月一日法律第一号）",
            "deleted 附則（令和二年六月一日法律第一号）第一条",
        ]
    );
}

#[test]
fn every_clause_carries_its_path() {
    // Class 2: paths name the division; the two 第一条 are told apart.
    let cmp = compare(STATUTE_OLD, STATUTE_OLD);
    let paths: Vec<String> = outline(&cmp);
    assert_eq!(
        paths,
        [
            "unchanged -",
            "unchanged 第一章",
            "unchanged 第一章第一条",
            "unchanged 第一章第二条",
            "unchanged 第二章",
            "unchanged 第二章第三条",
            "unchanged 附則",
            "unchanged 附則（平成三〇年六月一三日法律第三三号）",
            "unchanged 附則（平成三〇年六月一三日法律第三三号）第一条",
            "unchanged 附則（平成三〇年六月一三日法律第三三号）第二条",
        ]
    );
    assert!(cmp.is_identical());
}

#[test]
fn an_edit_in_the_main_body_names_chapter_and_article() {
    let new = STATUTE_OLD.replace("人材の育成", "人材の育成及び確保");
    let cmp = compare(STATUTE_OLD, &new);
    assert_eq!(changes(&cmp), ["modified 第二章第三条"]);
    assert!(redline(&cmp, "第二章第三条").contains("人材の育成{+及び確保+}に関する事項"));
}

#[test]
fn a_table_of_contents_is_not_the_chapter_it_names() {
    let toc = "目次\n  第一章　総則（第一条・第二条）\n  第二章　基本方針（第三条）\n  附則\n\n";
    let old = STATUTE_OLD.replacen("\n\n", &format!("\n{toc}"), 1);
    let new = old.replace("第三条　経済産業大臣", "第三条　主務大臣");
    let cmp = compare(&old, &new);
    assert_eq!(changes(&cmp), ["modified 第二章第三条"]);
    assert_eq!(cmp.new[0].path, None, "the title and 目次 are one block");
}

const RULES_OLD: &str = "\
# 就業規則

## 第1章　総則

### 第1条　目的

1. この規則は、会社の社員の就業に関する事項を定めるものである。
2. この規則に定めた事項のほか、就業に関する事項については、労基法その他の法令の定めによる。

### 第2条　適用範囲

1. この規則は、会社の全社員に適用する。

## 第2章　採用

### 第3条　採用時の提出書類

1. 社員として採用された者は、採用された日から2週間以内に次の書類を提出しなければならない。
    1. 住民票記載事項証明書
    2. その他会社が指定するもの
2. 前項の書類の記載事項に変更を生じたときは、速やかに会社に届け出なければならない。

### 第4条　試用期間

1. 新たに採用した者については、採用した日から6か月間を試用期間とする。
";

#[test]
fn markdown_rules_articles_hold_their_numbered_paragraphs() {
    // Class 3: the change is reported on 第3条, not on an anonymous `1.`.
    let new = RULES_OLD.replace("2週間以内", "1週間以内");
    let cmp = compare(RULES_OLD, &new);
    assert_eq!(changes(&cmp), ["modified 第2章第3条"]);
    let c = cmp
        .clauses
        .iter()
        .find(|c| c.status == ClauseStatus::Modified)
        .unwrap();
    let seg = &cmp.new[c.new.unwrap()];
    assert_eq!(seg.number.as_deref(), Some("第3条"));
    assert_eq!(seg.heading.as_deref(), Some("採用時の提出書類"));
    assert_eq!(cmp.summary.unchanged, outline(&cmp).len() - 1);
}

#[test]
fn markdown_rules_inserted_article_renumbers_the_rest() {
    let new = RULES_OLD
        .replace(
            "### 第4条　試用期間",
            "### 第4条　労働条件の明示\n\n1. 会社は、社員を採用するとき、労働条件を明示する。\n\n### 第5条　試用期間",
        );
    let cmp = compare(RULES_OLD, &new);
    assert_eq!(
        changes(&cmp),
        [
            "added 第2章第4条",
            "unchanged 第2章第5条 renumbered(第2章第4条)",
        ]
    );
}

const TERMS_OLD: &str = "\
# Subscription Terms

### F. Definitions

1. \"Customer Data\" means data that Customer submits to the Service.

### G. Fees

1. Customer will pay the fees within thirty days of the invoice date.
2. Late payments bear interest at one percent per month.

### H. Subscription Licenses

1. Provider grants Customer a non-exclusive right to use the Service during the Term.
2. Customer may not resell the Service or make it available to any third party.
";

#[test]
fn a_relettered_section_is_renumbered_not_modified() {
    // Class 4: a new section E shifts F, G, H to G, H, I.
    let new = TERMS_OLD
        .replace(
            "### F. Definitions",
            "### E. Scope\n\n1. These terms govern every order form.\n\n### G. Definitions",
        )
        .replace("### G. Fees", "### H. Fees")
        .replace("### H. Subscription", "### I. Subscription");
    let cmp = compare(TERMS_OLD, &new);
    assert_eq!(
        changes(&cmp),
        [
            "added E",
            "added E.1",
            "unchanged G renumbered(F)",
            "unchanged H renumbered(G)",
            "unchanged I renumbered(H)",
        ]
    );
    assert_eq!(cmp.summary.modified, 0);
}

#[test]
fn swapped_and_edited_sections_are_moves() {
    // Class 5: G and H change places (keeping their letters), and one sentence of the moved
    // text is edited.
    let g = TERMS_OLD.find("### G.").unwrap();
    let h = TERMS_OLD.find("### H.").unwrap();
    let g_text = &TERMS_OLD[g..h];
    let h_text = &TERMS_OLD[h..];
    let new = format!(
        "{}{}\n{}",
        &TERMS_OLD[..g],
        h_text
            .replace("### H.", "### G.")
            .replace("during the Term", "during the Subscription Term"),
        g_text.replace("### G.", "### H.").trim_end()
    ) + "\n";
    let cmp = compare(TERMS_OLD, &new);
    let moved: Vec<String> = changes(&cmp)
        .into_iter()
        .filter(|l| l.contains("moved"))
        .collect();
    assert!(!moved.is_empty(), "{:?}", outline(&cmp));
    assert_eq!(cmp.summary.added, 0, "{:?}", outline(&cmp));
    assert_eq!(cmp.summary.deleted, 0, "{:?}", outline(&cmp));
}

#[test]
fn lookalike_boilerplate_of_another_chapter_is_not_a_move() {
    // Class 5: chapter 2 and its 「省令への委任」 are deleted and a new chapter 4 gets its own:
    // they read alike (as chapter 3's does) but one did not move to the other.
    let old = "\
      第一章　総則

第一条　この法律は、情報処理の促進を目的とする。

      第二章　登録

第二条　事業者は、経済産業大臣の登録を受けなければならない。

  （省令への委任）
第三条　この章に定めるもののほか、登録に関し必要な事項は、経済産業省令で定める。

      第三章　監督

第四条　経済産業大臣は、事業者に報告を求めることができる。

  （省令への委任）
第五条　この章に定めるもののほか、監督に関し必要な事項は、経済産業省令で定める。
";
    let start = old.find("      第二章").unwrap();
    let end = old.find("      第三章").unwrap();
    let new = format!(
        "{}{}\n      第四章　指定\n\n第六条　経済産業大臣は、指定試験機関を指定することができる。\n\n  （省令への委任）\n第七条　この章に定めるもののほか、指定に関し必要な事項は、経済産業省令で定める。\n",
        &old[..start],
        &old[end..]
    );
    let cmp = compare(old, &new);
    assert_eq!(
        changes(&cmp),
        [
            "deleted 第二章",
            "deleted 第二章第二条",
            "deleted 第二章第三条",
            "added 第四章",
            "added 第四章第六条",
            "added 第四章第七条",
        ]
    );
}

#[test]
fn a_section_moved_to_another_division_and_edited_is_one_move() {
    // Class 5: the same text moved from 第二章 to 第三章 with one word changed is a move.
    let old = "\
      第一章　総則

第一条　この法律は、情報処理の促進を目的とする。

      第二章　登録

第二条　事業者は、経済産業大臣の登録を受けなければならない。

第三条　経済産業大臣は、登録の申請があったときは、申請者の氏名、住所及び事業の内容を登録簿に記載し、その旨を申請者に通知しなければならない。

      第三章　監督

第四条　経済産業大臣は、事業者に報告を求めることができる。
";
    let art3 = "第三条　経済産業大臣は、登録の申請があったときは、申請者の氏名、住所及び事業の内容を登録簿に記載し、その旨を申請者に通知しなければならない。\n\n";
    let new = old.replace(art3, "").replace(
        "第四条　経済産業大臣は、事業者に報告を求めることができる。\n",
        "第四条　経済産業大臣は、事業者に報告を求めることができる。\n\n第五条　経済産業大臣は、登録の申請があったときは、申請者の氏名、住所及び事業の内容を登録簿に記載し、その旨を申請者に遅滞なく通知しなければならない。\n",
    );
    let cmp = compare(old, &new);
    assert_eq!(
        changes(&cmp),
        ["modified 第三章第五条 moved renumbered(第二章第三条)"],
        "{:?}",
        outline(&cmp)
    );
}
