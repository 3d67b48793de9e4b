//! `chotatsu diff --format docx | shinkyu-docx`: the redline as Word tracked changes and the
//! 新旧対照表 as a Word table, opened back (unzip + XML), with every change accepted and
//! rejected, and converted to PDF by LibreOffice.

#[path = "common/office.rs"]
mod office;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use chotatsu::diff::segment::segment;
use roxmltree::{Document, Node};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diff")
        .join(rel)
}

fn read(rel: &str) -> String {
    fs::read_to_string(fixture(rel)).expect("fixture is readable")
}

fn chotatsu() -> Command {
    assert_cmd::cargo_bin_cmd!("chotatsu")
}

/// `chotatsu diff --format FORMAT OLD NEW --out DIR/name`: (exit code, the file's bytes).
fn diff_file(old: &Path, new: &Path, format: &str, dir: &Path) -> (i32, Vec<u8>) {
    let out = dir.join(format!("{format}.docx"));
    let run = chotatsu()
        .args(["diff", "--format", format])
        .arg(old)
        .arg(new)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("runs");
    assert!(
        run.stdout.is_empty(),
        "nothing on stdout with --out: {:?}",
        run.stdout
    );
    (
        run.status.code().unwrap_or(-1),
        fs::read(&out).expect("the .docx was written"),
    )
}

/// The same for two texts written to `old.md` and `new.md` in a temporary folder.
fn diff_texts(old: &str, new: &str, format: &str) -> (i32, Vec<u8>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (o, n) = (dir.path().join("old.md"), dir.path().join("new.md"));
    fs::write(&o, old).expect("write old");
    fs::write(&n, new).expect("write new");
    diff_file(&o, &n, format, dir.path())
}

/// The parts of a .docx, by name.
fn parts(bytes: &[u8]) -> std::collections::BTreeMap<String, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip file");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).expect("zip entry");
            let mut text = String::new();
            f.read_to_string(&mut text).expect("UTF-8 part");
            (f.name().expect("entry name").to_string(), text)
        })
        .collect()
}

fn document_xml(bytes: &[u8]) -> String {
    parts(bytes)
        .remove("word/document.xml")
        .expect("word/document.xml")
}

fn xml(text: &str) -> Document<'_> {
    Document::parse(text).expect("well-formed XML part")
}

fn is(n: Node, name: &str) -> bool {
    n.has_tag_name((W, name))
}

/// Which tracked changes a reviewer applies to the whole document.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Review {
    AcceptAll,
    RejectAll,
}

/// The text of `node` after the review: dropped revisions skipped, kept ones unwrapped,
/// `w:delText` read as text once its deletion is rejected, a line break as `\n`.
fn reviewed_text(node: Node, review: Review, out: &mut String) {
    for child in node.children().filter(Node::is_element) {
        let dropped = match review {
            Review::AcceptAll => is(child, "del"),
            Review::RejectAll => is(child, "ins"),
        };
        if dropped || is(child, "pPr") || is(child, "rPr") {
            continue;
        }
        if is(child, "t") || is(child, "delText") {
            out.push_str(child.text().unwrap_or_default());
        } else if is(child, "noBreakHyphen") {
            out.push('-');
        } else if is(child, "br") {
            out.push('\n');
        } else {
            reviewed_text(child, review, out);
        }
    }
}

/// A tracked change of the paragraph mark itself (`w:pPr/w:rPr/w:ins|w:del`).
fn mark_change(p: Node) -> Option<&'static str> {
    let rpr = p
        .children()
        .find(|n| is(*n, "pPr"))?
        .children()
        .find(|n| is(*n, "rPr"))?;
    rpr.children().find_map(|n| {
        if is(n, "ins") {
            Some("ins")
        } else if is(n, "del") {
            Some("del")
        } else {
            None
        }
    })
}

/// The body's paragraphs after accepting or rejecting every change. A paragraph whose mark
/// goes away joins the next one, as in Word.
fn review(document: &Document, review: Review) -> Vec<String> {
    let body = document
        .root_element()
        .children()
        .find(|n| is(*n, "body"))
        .expect("w:body");
    let gone = match review {
        Review::AcceptAll => "del",
        Review::RejectAll => "ins",
    };
    let mut out = Vec::new();
    let mut carry = String::new();
    for p in body.children().filter(|n| is(*n, "p")) {
        let mut text = std::mem::take(&mut carry);
        reviewed_text(p, review, &mut text);
        if mark_change(p) == Some(gone) {
            carry = text;
        } else {
            out.push(text);
        }
    }
    if !carry.is_empty() {
        out.push(carry);
    }
    out
}

fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A version's clauses and blocks as paragraphs, whitespace normalised.
fn expected_paragraphs(text: &str) -> Vec<String> {
    segment(text)
        .iter()
        .map(|s| normalise(s.display()))
        .filter(|p| !p.is_empty())
        .collect()
}

/// Accepting every change gives NEW, rejecting every change gives OLD, paragraph by
/// paragraph and as a whole.
fn assert_review_gives_both_versions(old: &str, new: &str, bytes: &[u8]) {
    let text = document_xml(bytes);
    let document = xml(&text);
    for (mode, version) in [(Review::AcceptAll, new), (Review::RejectAll, old)] {
        let got: Vec<String> = review(&document, mode)
            .iter()
            .map(|p| normalise(p))
            .collect();
        assert_eq!(got, expected_paragraphs(version), "{mode:?}");
        assert_eq!(got.join(" "), normalise(version), "{mode:?}, whole text");
    }
}

/// The text under `node` with every change shown, a line break as `\n`.
fn shown_text(node: Node) -> String {
    node.descendants()
        .filter_map(|t| {
            if is(t, "t") || is(t, "delText") {
                Some(t.text().unwrap_or_default())
            } else if is(t, "noBreakHyphen") {
                Some("-")
            } else if is(t, "br") {
                Some("\n")
            } else {
                None
            }
        })
        .collect()
}

/// (kind, text) of every tracked run under `node`, in order: `ins` or `del`.
fn tracked_runs(node: Node) -> Vec<(String, String)> {
    node.descendants()
        .filter(|n| (is(*n, "ins") || is(*n, "del")) && !is(n.parent().unwrap(), "rPr"))
        .map(|n| (n.tag_name().name().to_string(), shown_text(n)))
        .collect()
}

/// Body paragraphs as (mark change, text with every change shown).
fn paragraphs(document: &Document) -> Vec<(Option<&'static str>, String)> {
    document
        .descendants()
        .filter(|n| is(*n, "p") && is(n.parent().unwrap(), "body"))
        .map(|p| (mark_change(p), shown_text(p)))
        .collect()
}

#[test]
fn japanese_redline_accepts_to_new_and_rejects_to_old() {
    let (old, new) = (read("ja/old.md"), read("ja/new.md"));
    let (code, bytes) = diff_file(
        &fixture("ja/old.md"),
        &fixture("ja/new.md"),
        "docx",
        tempfile::tempdir().unwrap().path(),
    );
    assert_eq!(code, 1, "different versions exit 1");
    assert_review_gives_both_versions(&old, &new, &bytes);

    let text = document_xml(&bytes);
    let document = xml(&text);
    let runs = tracked_runs(document.root());
    // A one-word edit is one replacement.
    let i = runs
        .iter()
        .position(|r| r == &("del".to_string(), "情報".to_string()))
        .expect("情報 deleted");
    assert_eq!(runs[i + 1], ("ins".to_string(), "データ".to_string()));
    // Every revision is by chotatsu, undated, with a unique id.
    let revisions: Vec<Node> = document
        .descendants()
        .filter(|n| is(*n, "ins") || is(*n, "del"))
        .collect();
    let mut ids: Vec<&str> = revisions
        .iter()
        .map(|n| {
            assert_eq!(n.attribute((W, "author")), Some("chotatsu"));
            assert_eq!(n.attribute((W, "date")), None);
            n.attribute((W, "id")).expect("w:id")
        })
        .collect();
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), count, "revision ids are unique");

    let paras = paragraphs(&document);
    // Clause headings and numbers are kept.
    assert!(paras.iter().any(|(mark, t)| mark.is_none()
        && t.starts_with("（秘密保持）\n第2条　乙は、本業務で知り得た情報")));
    // The added article is wholly inserted, the deleted one wholly deleted.
    let added = paras
        .iter()
        .find(|(_, t)| t.starts_with("（脆弱性対応）"))
        .expect("added clause");
    assert_eq!(added.0, Some("ins"));
    assert!(runs.contains(&(
        "ins".to_string(),
        "\n第3条　乙は、重大な脆弱性を知ったときは、直ちに甲に通知する。".to_string()
    )));
    let deleted = paras
        .iter()
        .find(|(_, t)| t.starts_with("（監査）"))
        .expect("deleted clause");
    assert_eq!(deleted.0, Some("del"));
    for p in document.descendants().filter(|n| is(*n, "p")) {
        let whole = mark_change(p);
        if whole.is_some() {
            // Every run of a wholly inserted or deleted paragraph is in that revision.
            for r in p.descendants().filter(|n| is(*n, "r")) {
                assert_eq!(Some(r.parent().unwrap().tag_name().name()), whole);
            }
        }
    }
    // The moved article (損害賠償, 第6条 → 第8条): deleted where it was, inserted where it is.
    let moved: Vec<_> = paras
        .iter()
        .filter(|(_, t)| t.starts_with("（損害賠償）"))
        .collect();
    assert_eq!(moved.len(), 2);
    assert_eq!(moved[0].0, Some("del"));
    assert!(moved[0].1.contains("第6条"));
    assert_eq!(moved[1].0, Some("ins"));
    assert!(moved[1].1.contains("第8条"));
    // A renumbered article shows the number's change; the full-width text its width change.
    assert!(runs.contains(&("del".to_string(), "ＩＳＯ／ＩＥＣ　２７００１".to_string())));
    assert!(runs.contains(&("ins".to_string(), "ISO/IEC 27001".to_string())));
}

#[test]
fn mnda_revisions_accept_to_new_and_reject_to_old() {
    for (a, b) in [
        ("2021-07-12", "2021-07-19"),
        ("2021-07-19", "2022-06-07"),
        ("2021-07-12", "2022-06-07"),
        ("2022-06-07", "2021-07-12"),
    ] {
        let (old_path, new_path) = (
            fixture(&format!("mnda/mnda-{a}.md")),
            fixture(&format!("mnda/mnda-{b}.md")),
        );
        let (code, bytes) = diff_file(
            &old_path,
            &new_path,
            "docx",
            tempfile::tempdir().unwrap().path(),
        );
        assert_eq!(code, 1, "{a} → {b}");
        assert_review_gives_both_versions(
            &read(&format!("mnda/mnda-{a}.md")),
            &read(&format!("mnda/mnda-{b}.md")),
            &bytes,
        );
    }
}

#[test]
fn mnda_punctuation_only_edit_is_just_the_punctuation() {
    let (_, bytes) = diff_file(
        &fixture("mnda/mnda-2021-07-12.md"),
        &fixture("mnda/mnda-2021-07-19.md"),
        "docx",
        tempfile::tempdir().unwrap().path(),
    );
    let text = document_xml(&bytes);
    let document = xml(&text);
    let clause3 = document
        .descendants()
        .filter(|n| is(*n, "p"))
        .find(|p| {
            let first = p.descendants().find(|t| is(*t, "t") || is(*t, "delText"));
            first
                .and_then(|t| t.text())
                .is_some_and(|t| t.starts_with("3. "))
        })
        .expect("clause 3");
    let changes = tracked_runs(clause3);
    let expected: Vec<(String, String)> = (0..3)
        .flat_map(|_| [("del".into(), ",".into()), ("ins".into(), ";".into())])
        .collect();
    assert_eq!(changes, expected);
}

#[test]
fn identical_versions_exit_zero_with_no_tracked_changes() {
    let path = fixture("ja/old.md");
    let (code, bytes) = diff_file(&path, &path, "docx", tempfile::tempdir().unwrap().path());
    assert_eq!(code, 0);
    let text = document_xml(&bytes);
    assert!(!text.contains("<w:ins") && !text.contains("<w:del"));
    assert_review_gives_both_versions(&read("ja/old.md"), &read("ja/old.md"), &bytes);
    let (code, _) = diff_file(
        &path,
        &path,
        "shinkyu-docx",
        tempfile::tempdir().unwrap().path(),
    );
    assert_eq!(code, 0);
}

#[test]
fn crlf_bom_and_hostile_text_keep_the_redline_exact_and_valid() {
    let old = "\u{feff}1. Plain clause.\r\n\r\n2. Second \u{1}clause.\r\n";
    let new = "1. Plain clause <w:t> & ]]> \"more\".\n\n3. Second clause.\n\n4. Added.\n";
    let (code, bytes) = diff_texts(old, new, "docx");
    assert_eq!(code, 1);
    let text = document_xml(&bytes);
    let document = xml(&text);
    // The control character of an input is shown as ⟨U+0001⟩ (text that lies is made visible).
    let strip = |s: &str| s.replace('\u{feff}', "").replace('\u{1}', "⟨U+0001⟩");
    assert_eq!(
        review(&document, Review::AcceptAll)
            .iter()
            .map(|p| normalise(p))
            .collect::<Vec<_>>(),
        expected_paragraphs(new)
    );
    assert_eq!(
        review(&document, Review::RejectAll)
            .iter()
            .map(|p| normalise(p))
            .collect::<Vec<_>>(),
        expected_paragraphs(&strip(old))
            .iter()
            .map(|p| strip(p))
            .collect::<Vec<_>>()
    );
}

/// The rows of the only table: per cell, its text with underlined runs as `<u>…</u>` and line
/// breaks as `\n`.
fn table_rows(document: &Document) -> Vec<Vec<String>> {
    let table = document
        .descendants()
        .find(|n| is(*n, "tbl"))
        .expect("a table");
    table
        .children()
        .filter(|n| is(*n, "tr"))
        .map(|tr| {
            tr.children()
                .filter(|n| is(*n, "tc"))
                .map(|tc| {
                    let mut cell = String::new();
                    for r in tc.descendants().filter(|n| is(*n, "r")) {
                        let underlined = r.descendants().any(|n| is(n, "u"));
                        let mut text = String::new();
                        for t in r.children() {
                            if is(t, "br") {
                                text.push('\n');
                            } else if is(t, "t") {
                                text.push_str(t.text().unwrap_or_default());
                            }
                        }
                        if underlined {
                            // Adjacent underlined runs read as one underline.
                            if let Some(open) = cell.strip_suffix("</u>") {
                                cell = format!("{open}{text}</u>");
                            } else {
                                cell.push_str(&format!("<u>{text}</u>"));
                            }
                        } else {
                            cell.push_str(&text);
                        }
                    }
                    cell
                })
                .collect()
        })
        .collect()
}

/// The body rows of the HTML 新旧対照表: cells as text, `<u>` kept, other tags dropped.
fn html_rows(html: &str) -> Vec<Vec<String>> {
    let body = &html[html.find("<tbody>").expect("tbody")..];
    body.split("<tr")
        .skip(1)
        .map(|row| {
            row.split("<td")
                .skip(1)
                .map(|cell| {
                    let inner = &cell[cell.find('>').map_or(0, |i| i + 1)..];
                    let inner = &inner[..inner.find("</td>").unwrap_or(inner.len())];
                    inner
                        .replace("&lt;", "<")
                        .replace("&gt;", ">")
                        .replace("&quot;", "\"")
                        .replace("&#39;", "'")
                        .replace("&amp;", "&")
                })
                .collect()
        })
        .collect()
}

#[test]
fn shinkyu_docx_is_the_comparison_table() {
    let (code, bytes) = diff_texts(&read("ja/old.md"), &read("ja/new.md"), "shinkyu-docx");
    assert_eq!(code, 1);
    let text = document_xml(&bytes);
    let document = xml(&text);
    let rows = table_rows(&document);
    assert_eq!(rows[0], ["改正後", "改正前", "備考"]);
    let header = document
        .descendants()
        .find(|n| is(*n, "tr"))
        .expect("header row");
    assert!(header.descendants().any(|n| is(n, "tblHeader")));
    let remarks: Vec<&str> = rows[1..].iter().map(|r| r[2].as_str()).collect();
    assert_eq!(
        remarks,
        [
            "",
            "変更",
            "新設",
            "変更・条番号変更",
            "削除",
            "",
            "条番号変更",
            "条番号変更",
            "移動・条番号変更"
        ]
    );
    assert_eq!(rows[1][..2], ["（略）", "（略）"]);
    // Changed text underlined on both sides.
    assert!(rows[2][0].contains("個人<u>データ</u>を"), "{:?}", rows[2]);
    assert!(rows[2][1].contains("個人<u>情報</u>を"), "{:?}", rows[2]);
    assert!(rows[2][0].starts_with("（秘密保持）\n第2条"));
    assert_eq!(rows[3][1], "", "an added clause has no old text");
    assert!(rows[3][0].starts_with("<u>（脆弱性対応）\n第3条"));
    assert_eq!(rows[7][0], "<u>第6条</u> （準拠規格） （略）");
    // Cell for cell the same table as the HTML 新旧対照表.
    let dir = tempfile::tempdir().unwrap();
    let html = chotatsu()
        .args(["diff", "--format", "shinkyu"])
        .arg(fixture("ja/old.md"))
        .arg(fixture("ja/new.md"))
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        rows[1..],
        html_rows(&String::from_utf8(html.stdout).unwrap())[..]
    );
    // A landscape page, the title as Heading 1, a narrow remarks column.
    let page = document
        .descendants()
        .find(|n| is(*n, "pgSz"))
        .expect("pgSz");
    assert_eq!(page.attribute((W, "orient")), Some("landscape"));
    assert_eq!(page.attribute((W, "w")), Some("16838"));
    let widths: Vec<u32> = document
        .descendants()
        .filter(|n| is(*n, "gridCol"))
        .map(|n| n.attribute((W, "w")).unwrap().parse().unwrap())
        .collect();
    assert_eq!(widths.len(), 3);
    assert_eq!(widths[0], widths[1]);
    assert!(widths[2] * 3 < widths[0]);
    assert!(text.contains(
        r#"<w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t xml:space="preserve">業務委託契約書　新旧対照表</w:t>"#
    ));
}

#[test]
fn shinkyu_docx_uses_english_labels_for_english_documents() {
    let (_, bytes) = diff_texts(
        "1. The supplier keeps the data in Japan.\n\n2. Same.\n",
        "1. The supplier keeps the data in the EU.\n\n2. Same.\n",
        "shinkyu-docx",
    );
    let text = document_xml(&bytes);
    let rows = table_rows(&xml(&text));
    assert_eq!(rows[0], ["New", "Old", "Remarks"]);
    assert_eq!(
        rows[1],
        [
            "1. The supplier keeps the data in <u>the EU</u>.",
            "1. The supplier keeps the data in <u>Japan</u>.",
            "Modified"
        ]
    );
    assert_eq!(rows[2], ["(unchanged)", "(unchanged)", ""]);
    assert!(parts(&bytes)["word/styles.xml"].contains(r#"w:val="en-GB""#));
}

#[test]
fn both_formats_are_byte_identical_across_runs() {
    for format in ["docx", "shinkyu-docx"] {
        let a = diff_texts(&read("ja/old.md"), &read("ja/new.md"), format);
        let b = diff_texts(&read("ja/old.md"), &read("ja/new.md"), format);
        assert_eq!(a, b, "{format}");
        let core = &parts(&a.1)["docProps/core.xml"];
        assert!(
            core.contains(">1980-01-01T00:00:00Z</dcterms:created>"),
            "{core}"
        );
    }
}

#[test]
fn docx_goes_to_standard_output_when_it_is_not_a_terminal() {
    let run = chotatsu()
        .args(["diff", "--format", "docx"])
        .arg(fixture("ja/old.md"))
        .arg(fixture("ja/new.md"))
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    assert!(run.stdout.starts_with(b"PK\x03\x04"), "a zip file");
    let (_, file) = diff_file(
        &fixture("ja/old.md"),
        &fixture("ja/new.md"),
        "docx",
        tempfile::tempdir().unwrap().path(),
    );
    assert_eq!(run.stdout, file);
}

#[test]
fn docx_is_refused_on_a_terminal() {
    // `script` gives the command a terminal; where it is missing the check is skipped.
    let command = format!(
        "'{}' diff --format shinkyu-docx '{}' '{}'; echo \"exit=$?\"",
        env!("CARGO_BIN_EXE_chotatsu"),
        fixture("ja/old.md").display(),
        fixture("ja/new.md").display()
    );
    let Ok(out) = Process::new("script")
        .args(["-qec", &command, "/dev/null"])
        .output()
    else {
        eprintln!("script (util-linux) not found: skipping the terminal check");
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    if !text.contains("exit=") {
        eprintln!("script did not run the command (a different `script`?): skipping: {text}");
        return;
    }
    assert!(text.contains("give --out FILE"), "{text}");
    assert!(text.contains("exit=2"), "{text}");
    assert!(!text.contains("PK"), "{text}");
}

#[test]
fn a_missing_input_is_an_error_with_status_2() {
    let dir = tempfile::tempdir().unwrap();
    chotatsu()
        .args(["diff", "--format", "docx", "missing.md"])
        .arg(fixture("ja/new.md"))
        .arg("--out")
        .arg(dir.path().join("r.docx"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("missing.md"));
    assert!(!dir.path().join("r.docx").exists());
}

#[test]
fn libreoffice_converts_both_and_the_pdfs_hold_the_japanese_text() {
    if !office::soffice_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for format in ["docx", "shinkyu-docx"] {
        diff_file(
            &fixture("ja/old.md"),
            &fixture("ja/new.md"),
            format,
            dir.path(),
        );
    }
    let files = [
        dir.path().join("docx.docx"),
        dir.path().join("shinkyu-docx.docx"),
    ];
    // Table cells wrap lines anywhere in Japanese: compare without whitespace.
    let texts: Vec<String> = office::pdf_texts(&files, dir.path())
        .iter()
        .map(|t| t.split_whitespace().collect())
        .collect();
    let (redline, table) = (&texts[0], &texts[1]);
    for expected in ["（秘密保持）", "脆弱性", "データ", "甲乙協議して定める"]
    {
        assert!(redline.contains(expected), "{expected}: {redline}");
    }
    for expected in ["新旧対照表", "改正後", "改正前", "備考", "（略）", "新設"] {
        assert!(table.contains(expected), "{expected}: {table}");
    }
}

const WORDS: [&str; 12] = [
    "乙は、",
    "甲に",
    "情報を",
    "データを",
    "暗号化して",
    "保管する。",
    "直ちに",
    "書面で",
    "毎月",
    "毎週",
    "ISO 27001に",
    "ＩＳＯ　２７００１に",
];

/// A Japanese contract of articles, each with a caption and a body of `WORDS`.
fn contract(clauses: &[Vec<usize>]) -> String {
    clauses
        .iter()
        .enumerate()
        .map(|(i, words)| {
            let body: String = words.iter().map(|&w| WORDS[w % WORDS.len()]).collect();
            format!("（見出し{}）\n第{}条　{body}\n\n", words[0], i + 1)
        })
        .collect()
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// For random contracts and random edits (clauses deleted, inserted, reworded, swapped,
    /// rewritten in full width), accepting every change gives NEW and rejecting gives OLD.
    #[test]
    fn accept_and_reject_give_the_versions_for_random_edits(
        old in proptest::collection::vec(proptest::collection::vec(0usize..12, 2..7), 1..9),
        ops in proptest::collection::vec((0u8..5, 0usize..16, 0usize..12), 0..6),
    ) {
        let mut new = old.clone();
        for (op, at, word) in ops {
            let len = new.len();
            match op {
                0 if len > 1 => {
                    new.remove(at % len);
                }
                1 => new.insert(at % (len + 1), vec![word, (word + 5) % 12, (word + 7) % 12]),
                2 if len > 0 => {
                    let clause = &mut new[at % len];
                    let i = word % clause.len();
                    clause[i] = (clause[i] + 1) % 12;
                }
                3 if len > 1 => new.swap(at % len, (at + 1) % len),
                4 if len > 0 => {
                    let clause = &mut new[at % len];
                    for w in clause.iter_mut() {
                        *w = match *w {
                            10 => 11,
                            11 => 10,
                            other => other,
                        };
                    }
                }
                _ => {}
            }
        }
        let (old, new) = (contract(&old), contract(&new));
        let cmp = chotatsu::diff::compare(&old, &new);
        let templates = chotatsu::render::Templates::bundled().expect("templates");
        let bytes = chotatsu::diff::render::report(
            &cmp,
            chotatsu::diff::render::Format::Docx,
            &chotatsu::diff::render::Options::default(),
            &templates,
        )
        .expect("the redline");
        let text = document_xml(&bytes);
        let document = xml(&text);
        for (mode, version) in [(Review::AcceptAll, &new), (Review::RejectAll, &old)] {
            let got: Vec<String> =
                review(&document, mode).iter().map(|p| normalise(p)).collect();
            proptest::prop_assert_eq!(got, expected_paragraphs(version), "{:?}", mode);
        }
        // Tracked changes exactly when the texts differ (width-only differences included).
        let tracked = text.contains("<w:ins") || text.contains("<w:del");
        proptest::prop_assert_eq!(tracked, old != new);
    }
}
