//! `chotatsu diff` on real revision pairs that no one here wrote (tests/corpus/diff, sources
//! and licences in its SOURCE.md). The expected status of every article and division that
//! changed was written from the documents themselves (`reference.py` splits each version at
//! its article numbers and compares them literally, which is valid for these pairs since none
//! renumbers; each list was then checked by reading the two versions side by side). Every
//! article not listed is unchanged and must be reported so, with no move and no renumbering.

use std::fs;
use std::path::{Path, PathBuf};

use chotatsu::diff::{ClauseStatus, compare};

fn corpus(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus/diff")
        .join(rel)
}

fn read(rel: &str) -> String {
    fs::read_to_string(corpus(rel)).expect("corpus file")
}

/// chotatsu's report as `status path` lines, for every clause with a path that changed.
fn reported(old: &str, new: &str) -> (Vec<String>, usize) {
    let cmp = compare(&read(old), &read(new));
    let mut out = Vec::new();
    let mut articles = 0;
    for c in &cmp.clauses {
        let Some(path) = cmp.path_of(c) else { continue };
        articles += 1;
        let status = match c.status {
            ClauseStatus::Unchanged => "unchanged",
            ClauseStatus::Modified => "modified",
            ClauseStatus::Added => "added",
            ClauseStatus::Deleted => "deleted",
        };
        if c.status != ClauseStatus::Unchanged {
            out.push(format!("{status} {path}"));
        }
        if c.moved {
            out.push(format!("moved {path}"));
        }
        if c.renumbered {
            out.push(format!("renumbered {path}"));
        }
    }
    (out, articles)
}

fn check(old: &str, new: &str, expected: &str) {
    let expected: Vec<String> = read(expected).lines().map(str::to_string).collect();
    let (got, articles) = reported(old, new);
    let mut wrong: Vec<&String> = got.iter().filter(|l| !expected.contains(l)).collect();
    wrong.extend(expected.iter().filter(|l| !got.contains(l)));
    let path_of = |l: &String| l.split_once(' ').map(|(_, p)| p.to_string());
    let mut wrong_paths: Vec<String> = wrong.iter().filter_map(|l| path_of(l)).collect();
    wrong_paths.sort();
    wrong_paths.dedup();
    assert!(
        wrong.is_empty(),
        "{old} → {new}: {} of {articles} articles wrong ({:.1}% right): {wrong:?}",
        wrong_paths.len(),
        100.0 * (articles - wrong_paths.len()) as f64 / articles as f64
    );
}

#[test]
fn statute_with_new_articles_and_supplementary_provisions() {
    // 原子力基本法, 2015 → 2023: three 条の二〜四 inserted, 附則 articles struck (抄), a new 附則.
    check(
        "egov-genshiryoku-kihonho/2015-08-01.txt",
        "egov-genshiryoku-kihonho/2023-06-07.txt",
        "egov-genshiryoku-kihonho/expected-2015-08-01-2023-06-07.txt",
    );
}

#[test]
fn statute_with_one_branch_article_inserted() {
    check(
        "egov-genshiryoku-kihonho/2023-06-07.txt",
        "egov-genshiryoku-kihonho/2025-06-06.txt",
        "egov-genshiryoku-kihonho/expected-2023-06-07-2025-06-06.txt",
    );
}

#[test]
fn markdown_rules_with_an_inserted_branch_article() {
    check(
        "tuqulore-shugyo-kisoku/2022-10-14-f6691d1.md",
        "tuqulore-shugyo-kisoku/2022-10-14-badf67e.md",
        "tuqulore-shugyo-kisoku/expected-f6691d1-badf67e.txt",
    );
}

#[test]
fn markdown_rules_with_articles_rewritten() {
    // 第58条 loses its second paragraph: still the same article, modified.
    check(
        "tuqulore-shugyo-kisoku/2022-10-17-79c465c.md",
        "tuqulore-shugyo-kisoku/2023-05-10-a84b8b3.md",
        "tuqulore-shugyo-kisoku/expected-79c465c-a84b8b3.txt",
    );
}
