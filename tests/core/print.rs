//! What a person sees on paper. A budget-bearing tier-3 package is printed the way its
//! readers print it (the HTML pages with headless Chromium, the Word and Excel files with
//! LibreOffice) and the PDFs are read back: every fiscal-year label, amount and clause ID
//! stands whole on one line, every workbook cell's text is there whole (a row too low cuts
//! its last lines off), pages are A4 the right way round, numbered, and headed with the
//! procurement ID, and no page is left nearly empty at the end.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};

use crate::common::{chotatsu, repo};
use crate::office;

const PROFILE: &str = "tests/fixtures/print/r8-0421-budget.yaml";
const ID: &str = "R8-0421";
/// A4 in points, portrait; and how far a PDF's page size may be from it.
const A4: (f64, f64) = (595.3, 841.9);
const TOLERANCE: f64 = 2.0;

/// The package of [`PROFILE`] in both languages, under `dir/out/R8-0421`.
fn package(dir: &Path) -> PathBuf {
    chotatsu(dir)
        .args(["build"])
        .arg(repo().join(PROFILE))
        .args(["--out", "out"])
        .assert()
        .success();
    dir.join("out").join(ID)
}

fn is_id_char(c: char) -> bool {
    c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-'
}

/// What must print unbroken, with how often the Markdown annex (the source of every
/// format) holds it: every clause ID (and the procurement ID), every amount with thousands
/// separators, every fiscal-year label of the budget table.
fn unbreakables(md: &str) -> BTreeMap<String, usize> {
    let mut out: BTreeMap<String, usize> = BTreeMap::new();
    // The invisible clause markers before the article headings are not printed.
    let printed: String = md
        .lines()
        .filter(|l| !l.starts_with("<!-- clause: "))
        .collect::<Vec<_>>()
        .join("\n");
    let tokens = printed.split(|c: char| !(c.is_ascii_alphanumeric() || c == ',' || c == '-'));
    for token in tokens {
        let token = token.trim_matches(|c| c == ',' || c == '-');
        let id = token.contains('-')
            && token.starts_with(|c: char| c.is_ascii_uppercase())
            && token.chars().all(is_id_char)
            && token.chars().any(|c| c.is_ascii_digit());
        let amount = token.contains(',')
            && token.len() >= 5
            && token.chars().all(|c| c.is_ascii_digit() || c == ',');
        if id || amount {
            *out.entry(token.to_string()).or_default() += 1;
        }
    }
    // Fiscal years: the first cell of the budget table's rows.
    for line in md.lines() {
        let first = line
            .trim_start_matches('|')
            .split('|')
            .next()
            .unwrap_or("")
            .trim();
        let label = if first.starts_with("令和") && first.ends_with("年度") {
            Some(first.to_string())
        } else if first.starts_with("FY") {
            // FY2026 (Apr 2026–Mar 2027): the label is FY2026; the period after it may
            // take a line of its own.
            first.split_whitespace().next().map(str::to_string)
        } else {
            None
        };
        if let Some(label) = label {
            *out.entry(label).or_default() += 1;
        }
    }
    out
}

/// A printed line with the space Word and LibreOffice put between Japanese and Latin
/// letters or digits (令和 10 年度) taken out again.
fn without_auto_space(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let wide = |c: char| c as u32 >= 0x3000;
    let mut out = String::with_capacity(line.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' && i > 0 && i + 1 < chars.len() {
            let (a, b) = (chars[i - 1], chars[i + 1]);
            let between =
                (wide(a) && b.is_ascii_alphanumeric()) || (a.is_ascii_alphanumeric() && wide(b));
            if between {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// How often `token` stands whole on a line of `pages`: not preceded or followed by a
/// character that would make it part of something longer.
fn whole_on_a_line(pages: &[String], token: &str) -> usize {
    // A letter or digit next to it, or a comma between it and a digit (an amount's
    // separator), would make it part of something longer; a comma before a space is a list's.
    let continues = |s: &str| {
        let mut chars = s.chars();
        match chars.next() {
            Some(',') => chars.next().is_some_and(|c| c.is_ascii_digit()),
            Some(c) => c.is_ascii_alphanumeric(),
            None => false,
        }
    };
    pages
        .iter()
        .flat_map(|p| p.lines())
        .map(without_auto_space)
        .map(|line| {
            line.match_indices(token)
                .filter(|(at, _)| {
                    let before: String = line[..*at].chars().rev().collect();
                    !continues(&before) && !continues(&line[at + token.len()..])
                })
                .count()
        })
        .sum()
}

/// The Markdown of a document (`rfp` or `annex`), checked to hold what the print tests
/// look for: clause IDs (in the 要求事項対応表), and in the RFP the lifecycle budget with its
/// amounts and eight fiscal years.
fn document_md(out: &Path, stem: &str, lang: &str) -> String {
    let md = fs::read_to_string(out.join(format!("{stem}.{lang}.md"))).unwrap();
    let expected = unbreakables(&md);
    let fiscal_years = expected
        .keys()
        .filter(|k| k.starts_with("令和") || k.starts_with("FY"))
        .count();
    let budget = expected.keys().any(|k| k.contains(",000,000")) && fiscal_years == 8;
    assert!(
        expected.contains_key("LIFE-07") && (stem != "rfp" || budget),
        "{stem}.{lang}: clause IDs (and in the RFP amounts and 8 fiscal years): {expected:?}"
    );
    md
}

/// Every unbreakable of `md` stands whole on a line of `pages` at least as often as the
/// annex says it.
fn assert_unbroken(what: &str, md: &str, pages: &[String]) {
    let expected = unbreakables(md);
    let broken: Vec<String> = expected
        .iter()
        .filter_map(|(token, &n)| {
            let found = whole_on_a_line(pages, token);
            (found < n).then(|| format!("{token} ({found} of {n} whole)"))
        })
        .collect();
    assert!(
        broken.is_empty(),
        "{what}: broken across lines: {broken:?}\n{}",
        pages.join("\n<page break>\n")
    );
}

fn assert_size(what: &str, pdf: &Path, landscape: bool) {
    let (w, h) = office::pdf_page_size(pdf);
    let (ew, eh) = if landscape { (A4.1, A4.0) } else { A4 };
    assert!(
        (w - ew).abs() < TOLERANCE && (h - eh).abs() < TOLERANCE,
        "{what}: page {w} x {h} pt, expected A4 {}",
        if landscape { "landscape" } else { "portrait" }
    );
}

/// Every page carries the procurement ID and "page / pages".
fn assert_numbered(what: &str, pages: &[String]) {
    let total = pages.len();
    assert!(total >= 2, "{what}: {total} pages");
    for (i, page) in pages.iter().enumerate() {
        assert!(page.contains(ID), "{what}: page {} has no {ID}", i + 1);
        // pdftotext keeps or drops the spaces around the slash depending on the glyphs'
        // positions: compare without them.
        let number = format!("{}/{total}", i + 1);
        assert!(
            page.lines().any(|l| l.replace(' ', "").contains(&number)),
            "{what}: page {} has no \"{number}\":\n{page}",
            i + 1
        );
    }
}

/// The last page is not a stray: it holds more than its running head and footer.
fn assert_last_page_used(what: &str, pages: &[String]) {
    let last = pages.last().expect("a page");
    let lines = last.lines().filter(|l| !l.trim().is_empty()).count();
    assert!(lines > 3, "{what}: the last page is nearly empty:\n{last}");
}

#[test]
fn html_documents_print_on_numbered_a4_with_nothing_broken() {
    if !office::chromium_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = package(dir.path());
    for (stem, lang) in [
        ("rfp", "ja"),
        ("rfp", "en"),
        ("annex", "ja"),
        ("annex", "en"),
    ] {
        let md = document_md(&out, stem, lang);
        let pdf = dir.path().join(format!("{stem}.{lang}.html.pdf"));
        office::print_html(&out.join(format!("{stem}.{lang}.html")), &pdf, dir.path());
        let what = format!("{stem}.{lang}.html");
        assert_size(&what, &pdf, false);
        let pages = office::pdf_pages(&pdf, "-layout");
        assert_numbered(&what, &pages);
        assert_unbroken(&what, &md, &pages);
    }
}

#[test]
fn word_documents_print_on_numbered_a4_with_nothing_broken() {
    if !office::soffice_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = package(dir.path());
    let documents = [
        ("rfp", "ja"),
        ("rfp", "en"),
        ("annex", "ja"),
        ("annex", "en"),
    ];
    let files: Vec<_> = documents
        .iter()
        .map(|(stem, lang)| out.join(format!("{stem}.{lang}.docx")))
        .collect();
    let pdfs = office::office_to_pdf(&files, dir.path());
    for ((stem, lang), pdf) in documents.iter().zip(&pdfs) {
        let md = document_md(&out, stem, lang);
        let what = format!("{stem}.{lang}.docx");
        assert_size(&what, pdf, false);
        let pages = office::pdf_pages(pdf, "-layout");
        assert_numbered(&what, &pages);
        assert_last_page_used(&what, &pages);
        assert_unbroken(&what, &md, &pages);
    }
}

/// The text of every non-empty cell of every sheet of `xlsx`.
fn cells(xlsx: &Path) -> Vec<String> {
    let mut book: Xlsx<_> = open_workbook(xlsx).expect("workbook");
    let mut out = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).expect("sheet");
        for cell in range.rows().flatten() {
            match cell {
                Data::String(s) => out.push(s.clone()),
                Data::Empty => {}
                other => out.push(other.to_string()),
            }
        }
    }
    out
}

/// Every cell of every sheet, as text without whitespace (where a line wraps is the
/// printer's business).
fn cell_texts(xlsx: &Path) -> Vec<String> {
    cells(xlsx)
        .iter()
        .map(|text| {
            text.chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
        })
        .filter(|squeezed| !squeezed.is_empty())
        .collect()
}

/// How often each word of Latin letters (two or more) stands in `text`.
fn latin_words(text: &str) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for word in text
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 2)
    {
        *out.entry(word.to_string()).or_default() += 1;
    }
    out
}

/// How often each word of Latin letters stands in the cells of every sheet of `xlsx`.
fn cell_words(xlsx: &Path) -> BTreeMap<String, usize> {
    latin_words(&cells(xlsx).join("\n"))
}

/// No English word of the workbook `xlsx` is broken across lines in its PDF (a column too
/// narrow for a word splits it where it runs out of room: "countermeasure" / "s"): each is
/// printed at least as often as the cells hold it (more where header rows repeat).
fn assert_words_whole(what: &str, xlsx: &Path, pdf: &Path) {
    let printed = latin_words(&office::pdf_pages(pdf, "-raw").concat());
    let broken: Vec<String> = cell_words(xlsx)
        .into_iter()
        .filter(|(w, n)| printed.get(w).copied().unwrap_or(0) < *n)
        .map(|(w, _)| w)
        .collect();
    assert!(
        broken.is_empty(),
        "{what}: words broken in print: {broken:?}"
    );
}

#[test]
fn workbooks_print_landscape_with_every_cell_whole() {
    if !office::soffice_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = package(dir.path());
    let files = [
        out.join("questionnaire.ja.xlsx"),
        out.join("questionnaire.en.xlsx"),
    ];
    let pdfs = office::office_to_pdf(&files, dir.path());
    for (file, pdf) in files.iter().zip(&pdfs) {
        let what = file.file_name().unwrap().to_string_lossy().into_owned();
        assert_size(&what, pdf, true);
        assert_cells_whole(&what, file, pdf);
    }
    assert_words_whole("questionnaire.en.xlsx", &files[1], &pdfs[1]);
    // The printed size, measured against the Word annex's 10.5-point body text set in the
    // same Japanese font: at least 9 points when fit to the page's width.
    let reference = office::office_to_pdf(&[out.join("annex.ja.docx")], dir.path()).remove(0);
    let per_point = japanese_word_height(&reference) / 10.5;
    let printed = japanese_word_height(&pdfs[0]) / per_point;
    assert!(
        printed >= 8.95,
        "questionnaire.ja.xlsx prints at {printed:.2} pt"
    );
}

/// The most common height of the boxes of Japanese words in `pdf` (its body text's).
fn japanese_word_height(pdf: &Path) -> f64 {
    let mut counts: BTreeMap<u64, usize> = BTreeMap::new();
    for (word, height) in office::word_heights(pdf) {
        if word.chars().any(|c| c as u32 >= 0x3040) {
            *counts.entry((height * 100.0).round() as u64).or_default() += 1;
        }
    }
    let (height, _) = counts
        .into_iter()
        .max_by_key(|&(h, n)| (n, h))
        .expect("Japanese text in the PDF");
    height as f64 / 100.0
}

/// Every cell of the workbook `xlsx` is in its PDF whole. Reading order keeps a cell's
/// lines together; a row too low for its text loses the lines it cuts off.
fn assert_cells_whole(what: &str, xlsx: &Path, pdf: &Path) {
    let printed: String = office::pdf_pages(pdf, "-raw")
        .concat()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let cells = cell_texts(xlsx);
    // A questionnaire of the print profile has some 45 questions of four filled cells each
    // (an evaluation more): fewer means sheets or rows went missing.
    assert!(cells.len() > 150, "{what}: {} cells", cells.len());
    let cut: Vec<&String> = cells
        .iter()
        .filter(|c| !printed.contains(c.as_str()))
        .collect();
    assert!(cut.is_empty(), "{what}: cells not printed whole: {cut:?}");
}

/// The vendor's answers to the questionnaire of `out`: "No" to every yes/no question, with
/// a comment, the rest left blank (unanswered), so the evaluation has findings.
fn answers(out: &Path) -> PathBuf {
    let template = fs::read_to_string(out.join("questionnaire.ja.yaml")).unwrap();
    let mut yes_no = false;
    let mut filled = String::new();
    for line in template.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("# （回答：") {
            yes_no = trimmed.contains("はい／いいえ");
        }
        let line = match trimmed {
            "answer: \"\"" if yes_no => line.replace("\"\"", "\"いいえ\""),
            "comment: \"\"" if yes_no => line.replace(
                "\"\"",
                "\"令和9年3月のリリースで対応予定（費用 1,200,000円）。\"",
            ),
            _ => line.to_string(),
        };
        filled.push_str(&line);
        filled.push('\n');
    }
    let path = out.join("answers.yaml");
    fs::write(&path, filled).unwrap();
    path
}

#[test]
fn the_evaluation_report_prints_with_nothing_broken_or_cut() {
    let dir = tempfile::tempdir().unwrap();
    let out = package(dir.path());
    let answers = answers(&out);
    chotatsu(dir.path())
        .arg("evaluate")
        .arg(repo().join(PROFILE))
        .arg(&answers)
        .args(["--out", "eval"])
        .assert()
        .success();
    let report = dir.path().join("eval").join(ID);
    let md = fs::read_to_string(report.join("evaluation.ja.md")).unwrap();
    assert!(md.contains("| F-10 |"), "findings to print:\n{md}");
    if office::chromium_available() {
        let pdf = dir.path().join("evaluation.ja.html.pdf");
        office::print_html(&report.join("evaluation.ja.html"), &pdf, dir.path());
        assert_size("evaluation.ja.html", &pdf, false);
        let pages = office::pdf_pages(&pdf, "-layout");
        assert_numbered("evaluation.ja.html", &pages);
        assert_unbroken("evaluation.ja.html", &md, &pages);
    }
    if office::soffice_available() {
        let xlsx = report.join("evaluation.ja.xlsx");
        let pdf = office::office_to_pdf(std::slice::from_ref(&xlsx), dir.path()).remove(0);
        assert_size("evaluation.ja.xlsx", &pdf, true);
        assert_cells_whole("evaluation.ja.xlsx", &xlsx, &pdf);
        // The English report, whose statuses and headers are longer words.
        chotatsu(dir.path())
            .arg("evaluate")
            .arg(repo().join(PROFILE))
            .arg(&answers)
            .args(["--lang", "en", "--format", "xlsx", "--out", "eval-en"])
            .assert()
            .success();
        let xlsx = dir
            .path()
            .join("eval-en")
            .join(ID)
            .join("evaluation.en.xlsx");
        let pdf = office::office_to_pdf(std::slice::from_ref(&xlsx), dir.path()).remove(0);
        assert_size("evaluation.en.xlsx", &pdf, true);
        assert_words_whole("evaluation.en.xlsx", &xlsx, &pdf);
    }
}

#[test]
fn the_shinkyu_table_prints_landscape_titled_with_contract_and_date() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = repo().join("tests/fixtures/diff/ja");
    for (format, file) in [
        ("shinkyu", "shinkyu.html"),
        ("shinkyu-docx", "shinkyu.docx"),
    ] {
        chotatsu(dir.path())
            .arg("diff")
            .arg(fixtures.join("old.md"))
            .arg(fixtures.join("new.md"))
            .args(["--format", format, "--date", "2026-04-01", "--out", file])
            .assert()
            .code(1);
    }
    let html = fs::read_to_string(dir.path().join("shinkyu.html")).unwrap();
    assert!(
        html.contains("<h1>業務委託契約書　新旧対照表</h1>\n<p class=\"date\">令和8年4月1日</p>")
    );
    assert!(html.contains("@page{size:A4 landscape;"));
    if office::chromium_available() {
        let pdf = dir.path().join("shinkyu.html.pdf");
        office::print_html(&dir.path().join("shinkyu.html"), &pdf, dir.path());
        assert_size("shinkyu.html", &pdf, true);
        let pages = office::pdf_pages(&pdf, "-layout");
        assert!(
            pages[0].contains("業務委託契約書 新旧対照表")
                || pages[0].contains("業務委託契約書　新旧対照表")
        );
        assert!(pages[0].contains("令和8年4月1日"));
    }
    if office::soffice_available() {
        let pdf = office::office_to_pdf(&[dir.path().join("shinkyu.docx")], dir.path()).remove(0);
        assert_size("shinkyu.docx", &pdf, true);
        let pages = office::pdf_pages(&pdf, "-layout");
        assert_eq!(pages.len(), 1, "one page, no near-empty second one");
        assert_eq!(whole_on_a_line(&pages, "令和8年4月1日"), 1, "{}", pages[0]);
    }
    // Without --date, a blank to fill in.
    chotatsu(dir.path())
        .arg("diff")
        .arg(fixtures.join("old.md"))
        .arg(fixtures.join("new.md"))
        .args(["--format", "shinkyu"])
        .assert()
        .code(1)
        .stdout(predicates::str::contains(
            "<p class=\"date\">令和　　年　　月　　日</p>",
        ));
}

#[test]
fn the_portfolio_index_prints_across_the_page_with_every_cell_whole() {
    if !office::chromium_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let examples: Vec<PathBuf> = [
        "r8-0105-meeting-rooms.yaml",
        "r8-0312-kosodate-saas.yaml",
        "r8-0421.yaml",
    ]
    .iter()
    .map(|f| repo().join("examples").join(f))
    .collect();
    chotatsu(dir.path())
        .arg("build")
        .args(&examples)
        .args(["--out", "out"])
        .assert()
        .success();
    let out = dir.path().join("out");
    let pdf = dir.path().join("index.html.pdf");
    office::print_html(&out.join("index.html"), &pdf, dir.path());
    // Thirteen columns (four fiscal years and the manifest's SHA-256) do not fit upright.
    assert_size("index.html", &pdf, true);
    let pages = office::pdf_pages(&pdf, "-layout");
    let csv = fs::read_to_string(out.join("index.csv")).unwrap();
    let mut whole: Vec<String> = ["R8-0105", "R8-0312", "R8-0421", "4,740,000", "7,240,000"]
        .map(String::from)
        .to_vec();
    // Each digest in four runs of 16 characters, each run whole on its line (upright, the
    // digest ran off the page's edge).
    let digests: Vec<&str> = csv
        .split(|c: char| !c.is_ascii_hexdigit())
        .filter(|w| w.len() == 64)
        .collect();
    assert_eq!(digests.len(), 3, "{csv}");
    for digest in digests {
        whole.extend((0..4).map(|i| digest[i * 16..i * 16 + 16].to_string()));
    }
    let broken: Vec<&String> = whole
        .iter()
        .filter(|token| whole_on_a_line(&pages, token) == 0)
        .collect();
    assert!(
        broken.is_empty(),
        "index.html: not whole on a line: {broken:?}\n{}",
        pages.join("\n<page break>\n")
    );
}
