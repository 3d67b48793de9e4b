//! `build` with many profiles (parallel, failures listed at the end, the portfolio index) and
//! `impact` after a change of the library.

use std::fs;
use std::path::Path;

use crate::common::{BASE, chotatsu, fails, repo, write};

/// `BASE` as procurement `id`, at tier 3 when `high` (confidentiality high), else tier 1, with
/// a budget for two fiscal years when `budget` is given.
fn profile(id: &str, high: bool, budget: Option<(u64, u64)>) -> String {
    let mut text = BASE.replacen("id: T-1", &format!("id: {id}"), 1);
    if high {
        text = text.replacen("confidentiality: low", "confidentiality: high", 1);
    }
    if let Some((a, b)) = budget {
        text.push_str(&format!(
            "budget:\n  - {{ fiscal_year: 2026, maintenance: {a} }}\n  - {{ fiscal_year: 2027, maintenance: {b} }}\n"
        ));
    }
    text
}

/// The article of `id` in a document, from its requirements traceability table.
fn article(markdown: &str, id: &str) -> String {
    let row = markdown
        .lines()
        .find(|l| l.contains(&format!("| {id} |")) && l.starts_with("| 第"))
        .unwrap_or_else(|| panic!("{id} is not in the traceability table"));
    row.split('|').nth(1).unwrap().trim().to_string()
}

#[test]
fn two_hundred_profiles_one_bad_builds_the_others_and_lists_the_failure() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..200 {
        let text = if i == 137 {
            profile(&format!("B-{i:03}"), false, None).replacen(
                "integrity: low",
                "integrity: extreme",
                1,
            )
        } else {
            profile(
                &format!("B-{i:03}"),
                i % 3 == 0,
                (i % 2 == 0).then_some((1000 + i, 2000 + i)),
            )
        };
        write(dir.path(), &format!("profiles/p{i:03}.yaml"), &text);
    }
    let out = chotatsu(dir.path())
        .args(["build", "profiles", "--jobs", "2"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();

    // Every good package is written whole and listed; the bad one is not.
    let written: Vec<&str> = stdout.lines().collect();
    assert_eq!(written.len(), 199 + 3, "{stdout}");
    assert!(!dir.path().join("out/B-137").exists());
    for i in (0..200).filter(|i| *i != 137) {
        let pkg = format!("out/B-{i:03}");
        assert!(written.contains(&pkg.as_str()), "{pkg} not listed");
        assert!(dir.path().join(&pkg).join("manifest.json").is_file());
    }
    // A sample checked file by file against its manifest.
    for pkg in [
        "out/B-000",
        "out/B-001",
        "out/B-136",
        "out/B-138",
        "out/B-199",
    ] {
        chotatsu(dir.path())
            .args(["verify", pkg])
            .assert()
            .success();
    }
    for name in ["index.csv", "index.html", "index.xlsx"] {
        assert!(
            written.contains(&format!("out/{name}").as_str()),
            "{stdout}"
        );
    }

    // The failure, with its file, line and field, and the summary.
    assert!(
        stderr.contains(
            "1 of 200 profiles failed:\nerror: profiles/p137.yaml:8:46: system.impact.integrity: unknown variant `extreme`, expected one of low, moderate, high\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("error: 1 of 200 packages were not written; the other 199 were\n"),
        "{stderr}"
    );

    // Progress off a terminal: one plain line per profile, no control characters.
    assert!(
        !stderr.chars().any(|c| c.is_control() && c != '\n'),
        "control characters in {stderr:?}"
    );
    let progress: Vec<&str> = stderr.lines().filter(|l| l.starts_with('[')).collect();
    assert_eq!(progress.len(), 200, "{stderr}");
    assert_eq!(progress[0], "[1/200] failed profiles/p137.yaml");
    assert!(progress[199].starts_with("[200/200] built out/B-"));

    index_reads_back(&dir.path().join("out"));
}

/// The index in its three forms lists the 199 packages, budgets in their fiscal years and
/// each manifest's digest.
fn index_reads_back(out: &Path) {
    let csv_bytes = fs::read(out.join("index.csv")).unwrap();
    assert!(
        csv_bytes.starts_with("\u{feff}".as_bytes()),
        "CSV without BOM"
    );
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&csv_bytes[3..]);
    let records: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    // One budget column per fiscal year of any package's budget table (contract and support
    // period: 2026 to 2033 at tier 3).
    let mut header: Vec<String> = [
        "調達番号",
        "件名",
        "発注者",
        "契約の類型",
        "リスク区分",
        "区分の理由",
        "条項数",
        "サポート期間の終期",
    ]
    .map(String::from)
    .to_vec();
    header.extend((8..=15).map(|n| format!("予算額（円） 令和{n}年度")));
    header.push("manifest.json の SHA-256".to_string());
    assert_eq!(records[0], header);
    assert_eq!(records.len(), 1 + 199);
    let first = &records[1];
    assert_eq!(first[0], "B-000");
    assert_eq!(first[1], "テスト調達");
    assert_eq!(first[2], "発注課");
    assert_eq!(first[3], "受託開発");
    assert_eq!(first[4], "区分3（高）");
    assert!(first[5].contains("機密性：高"), "{first:?}");
    assert_eq!(first[7], "令和15年6月30日");
    assert_eq!(first[8..16], ["1000", "2000", "0", "0", "0", "0", "0", "0"]);
    let manifest = fs::read(out.join("B-000/manifest.json")).unwrap();
    assert_eq!(first[16], sha256(&manifest));
    let b001 = &records[2];
    assert_eq!(
        (b001[0].as_str(), b001[4].as_str()),
        ("B-001", "区分1（基本）")
    );
    assert!(b001[8..16].iter().all(String::is_empty), "{b001:?}");
    assert!(
        b001[6].parse::<usize>().unwrap() < first[6].parse::<usize>().unwrap(),
        "tier 1 selects fewer clauses than tier 3"
    );
    assert!(!records.iter().any(|r| r[0] == "B-137"));

    // The workbook holds the same cells (amounts as numbers).
    use calamine::{Reader, Xlsx, open_workbook};
    let mut wb: Xlsx<_> = open_workbook(out.join("index.xlsx")).unwrap();
    let sheet = wb.worksheet_range("案件一覧").unwrap();
    assert_eq!(sheet.height(), 200);
    for (r, record) in records.iter().enumerate() {
        for (c, cell) in record.iter().enumerate() {
            let got = sheet
                .get((r, c))
                .map(ToString::to_string)
                .unwrap_or_default();
            assert_eq!(&got, cell, "index.xlsx row {r} column {c}");
        }
    }

    // Laid out to be read: the header as high as its labels wrapped (two lines), and the last column, the
    // manifest's SHA-256, wide enough for its 64 digits on one line.
    let mut zip = zip::ZipArchive::new(fs::File::open(out.join("index.xlsx")).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut xml,
    )
    .unwrap();
    assert!(
        xml.contains("<row r=\"1\" ht=\"35\" customHeight=\"1\">"),
        "{xml}"
    );
    let last = records[0].len();
    assert!(
        xml.contains(&format!(
            "<col min=\"{last}\" max=\"{last}\" width=\"66.625\""
        )),
        "{xml}"
    );

    // The page: one table row per package, amounts written as yen.
    let html = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("<title>調達案件一覧（セキュリティ要件）</title>"));
    assert_eq!(html.matches("<tr").count(), 200);
    assert!(
        html.contains("<td><span class=\"nb\">B-000</span></td>"),
        "{html}"
    );
    assert!(html.contains("1,000"), "amounts with separators");
}

fn sha256(bytes: &[u8]) -> String {
    chotatsu::digest::sha256_hex(bytes)
}

/// Every file of the package folder `dir`, by name.
fn package_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().into_string().unwrap(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_package_of_a_batch_is_byte_for_byte_the_package_built_alone() {
    // A batch remembers the blocks, cells and zip pieces its packages share; what it writes
    // must be what a build of the one profile writes, whatever was built before it.
    let dir = tempfile::tempdir().unwrap();
    for i in 0..12 {
        write(
            dir.path(),
            &format!("p/S-{i:02}.yaml"),
            &profile(
                &format!("S-{i:02}"),
                i % 3 == 0,
                (i % 2 == 0).then_some((1000, 2000)),
            ),
        );
    }
    chotatsu(dir.path())
        .args(["build", "p", "--jobs", "2"])
        .assert()
        .success();
    for id in ["S-00", "S-07", "S-10", "S-11"] {
        chotatsu(dir.path())
            .args(["build", &format!("p/{id}.yaml"), "--out", "alone"])
            .assert()
            .success();
        let batch = package_files(&dir.path().join("out").join(id));
        let alone = package_files(&dir.path().join("alone").join(id));
        let names = |files: &[(String, Vec<u8>)]| -> Vec<String> {
            files.iter().map(|(name, _)| name.clone()).collect()
        };
        assert_eq!(names(&batch), names(&alone), "{id}");
        assert!(names(&batch).contains(&"annex.ja.docx".to_string()));
        for ((name, bytes), (_, alone_bytes)) in batch.iter().zip(&alone) {
            assert!(
                bytes == alone_bytes,
                "{id}/{name} differs from the one built alone"
            );
        }
    }
}

#[test]
fn two_profiles_with_one_id_are_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.yaml", &profile("D-1", false, None));
    write(dir.path(), "b.yaml", &profile("D-2", false, None));
    write(dir.path(), "c.yaml", &profile("D-1", true, None));
    let err = fails(chotatsu(dir.path()).args(["build", "a.yaml", "b.yaml", "c.yaml"]));
    assert_eq!(
        err,
        "error: procurement ID `D-1` is in both a.yaml and c.yaml\nno package was written: each procurement needs its own ID (its package folder)\n"
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn impact_names_exactly_the_packages_that_select_a_changed_clause() {
    let dir = tempfile::tempdir().unwrap();
    for (id, high) in [("I-1", true), ("I-2", false), ("I-3", true), ("I-4", false)] {
        write(
            dir.path(),
            &format!("p/{id}.yaml"),
            &profile(id, high, None),
        );
    }
    chotatsu(dir.path())
        .args(["build", "p", "--jobs", "2"])
        .assert()
        .success();
    let packages = ["out/I-1", "out/I-2", "out/I-3", "out/I-4"];

    // The library as it was: nothing would change.
    chotatsu(dir.path())
        .arg("impact")
        .args(packages)
        .assert()
        .code(0)
        .stdout("out/I-1: unchanged\nout/I-2: unchanged\nout/I-3: unchanged\nout/I-4: unchanged\n");

    // An overlay words AUDIT-01 (from tier 2; these are tier 1 and 3) differently; every other clause of the file
    // is replaced by itself.
    let bundled =
        fs::read_to_string(repo().join("clause-library/clauses/2-3-third-party.yaml")).unwrap();
    let changed = bundled.replacen(
        "会計年度ごとに一回を限度とする",
        "会計年度ごとに二回を限度とする",
        1,
    );
    assert_ne!(bundled, changed);
    write(dir.path(), "overlay/clauses/2-3-third-party.yaml", &changed);

    let rfp = fs::read_to_string(dir.path().join("out/I-1/rfp.ja.md")).unwrap();
    let annex = fs::read_to_string(dir.path().join("out/I-1/annex.ja.md")).unwrap();
    let articles = format!(
        "{} (rfp), {} (contract)",
        article(&rfp, "AUDIT-01"),
        article(&annex, "AUDIT-01")
    );
    assert_eq!(articles, "第17条 (rfp), 第17条 (contract)");
    chotatsu(dir.path())
        .arg("impact")
        .args(packages)
        .args(["--library", "overlay"])
        .assert()
        .code(1)
        .stdout(format!(
            "out/I-1: 1 clause would change\n  changed AUDIT-01 {articles}\nout/I-2: unchanged\nout/I-3: 1 clause would change\n  changed AUDIT-01 {articles}\nout/I-4: unchanged\n"
        ));

    // A package from before manifests recorded clauses, or no package at all: exit 2.
    let err = fails(chotatsu(dir.path()).args(["impact", "nowhere"]));
    assert!(
        err.starts_with("error: cannot read nowhere/manifest.json: "),
        "{err}"
    );
}
