//! `build` writes the whole package with a manifest; `verify` checks it.

use std::fs;

use crate::common::{BASE, chotatsu, fails, files_under, repo, write};

const PACKAGE: &[&str] = &[
    "annex.en.docx",
    "annex.en.html",
    "annex.en.md",
    "annex.ja.docx",
    "annex.ja.html",
    "annex.ja.md",
    "manifest.json",
    "questionnaire.en.csv",
    "questionnaire.en.html",
    "questionnaire.en.json",
    "questionnaire.en.md",
    "questionnaire.en.xlsx",
    "questionnaire.en.yaml",
    "questionnaire.ja.csv",
    "questionnaire.ja.html",
    "questionnaire.ja.json",
    "questionnaire.ja.md",
    "questionnaire.ja.xlsx",
    "questionnaire.ja.yaml",
    "rfp.en.docx",
    "rfp.en.html",
    "rfp.en.md",
    "rfp.ja.docx",
    "rfp.ja.html",
    "rfp.ja.md",
    "tier.en.json",
    "tier.ja.json",
];

fn build(dir: &std::path::Path) {
    let profile = repo().join("examples/r8-0421.yaml");
    chotatsu(dir)
        .args(["build", profile.to_str().unwrap()])
        .assert()
        .success();
}

#[test]
fn build_writes_the_package_and_verify_passes() {
    let dir = tempfile::tempdir().unwrap();
    build(dir.path());
    let pkg = dir.path().join("out/R8-0421");
    assert_eq!(files_under(&pkg), PACKAGE);
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(pkg.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["procurement_id"], "R8-0421");
    assert_eq!(manifest["tier"], 3);
    assert_eq!(manifest["profile"]["name"], "r8-0421.yaml");
    assert_eq!(manifest["library"]["overlay"], false);
    assert_eq!(
        manifest["files"].as_array().unwrap().len(),
        PACKAGE.len() - 1
    );
    let annex = &manifest["files"][5];
    assert_eq!(annex["path"], "annex.ja.md");
    assert_eq!(
        annex["size"].as_u64().unwrap(),
        fs::metadata(pkg.join("annex.ja.md")).unwrap().len()
    );
    chotatsu(dir.path())
        .args(["verify", "out/R8-0421"])
        .assert()
        .code(0)
        .stdout(predicates::str::ends_with(
            "out/R8-0421: all 26 files as written\n",
        ));
}

#[test]
fn editing_one_byte_of_any_file_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    build(dir.path());
    let pkg = dir.path().join("out/R8-0421");
    for name in PACKAGE.iter().filter(|n| **n != "manifest.json") {
        let path = pkg.join(name);
        let original = fs::read(&path).unwrap();
        let mut changed = original.clone();
        let mid = changed.len() / 2;
        changed[mid] ^= 0x01;
        fs::write(&path, &changed).unwrap();
        let out = chotatsu(dir.path())
            .args(["verify", "out/R8-0421"])
            .assert()
            .code(1)
            .get_output()
            .stdout
            .clone();
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains(&format!("modified   {name}\n")), "{out}");
        assert_eq!(out.matches("modified").count(), 1, "{out}");
        fs::write(&path, &original).unwrap();
    }
    fs::remove_file(pkg.join("tier.en.json")).unwrap();
    fs::write(pkg.join("notes.txt"), "x").unwrap();
    chotatsu(dir.path())
        .args(["verify", "out/R8-0421"])
        .assert()
        .code(1)
        .stdout(predicates::str::contains("missing    tier.en.json\n"))
        .stdout(predicates::str::contains("unexpected notes.txt\n"))
        .stdout(predicates::str::ends_with(
            "out/R8-0421: 2 of 27 files differ from the manifest\n",
        ));
}

#[test]
fn two_builds_are_byte_identical() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    build(a.path());
    build(b.path());
    for name in PACKAGE {
        assert_eq!(
            fs::read(a.path().join("out/R8-0421").join(name)).unwrap(),
            fs::read(b.path().join("out/R8-0421").join(name)).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn a_rebuild_replaces_the_package_whole() {
    let dir = tempfile::tempdir().unwrap();
    build(dir.path());
    fs::write(dir.path().join("out/R8-0421/stale.txt"), "old").unwrap();
    build(dir.path());
    assert_eq!(files_under(&dir.path().join("out/R8-0421")), PACKAGE);
    assert_eq!(
        files_under(&dir.path().join("out")).len(),
        PACKAGE.len(),
        "no staging left"
    );
}

#[test]
fn a_failed_build_leaves_the_old_package() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p.yaml", BASE);
    chotatsu(dir.path())
        .args(["build", "p.yaml", "--lang", "ja"])
        .assert()
        .success();
    let before = files_under(dir.path());
    write(
        dir.path(),
        "p.yaml",
        &BASE.replace("issued: 2026-04-01", "issued: 2026-04-31"),
    );
    fails(chotatsu(dir.path()).args(["build", "p.yaml"]));
    assert_eq!(files_under(dir.path()), before);
}

#[cfg(unix)]
#[test]
fn symlinked_targets_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    write(dir.path(), "p.yaml", BASE);
    fs::create_dir_all(dir.path().join("out")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), dir.path().join("out/T-1")).unwrap();
    let err = fails(chotatsu(dir.path()).args(["build", "p.yaml"]));
    assert_eq!(
        err,
        "error: cannot write out/T-1: refusing to write through a symbolic link\n"
    );
    let err = fails(chotatsu(dir.path()).args(["annex", "p.yaml"]));
    assert_eq!(
        err,
        "error: cannot write out/T-1: refusing to write through a symbolic link\n"
    );
    assert!(files_under(elsewhere.path()).is_empty());
}

#[test]
fn verify_rejects_a_broken_manifest() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pkg/manifest.json", "{ \"files\": 3 ");
    let err = fails(chotatsu(dir.path()).args(["verify", "pkg"]));
    assert!(err.starts_with("error: pkg/manifest.json:1:"), "{err}");
    write(
        dir.path(),
        "pkg/manifest.json",
        &fs::read_to_string(repo().join("tests/fixtures/manifest-escape.json")).unwrap(),
    );
    let err = fails(chotatsu(dir.path()).args(["verify", "pkg"]));
    assert_eq!(
        err,
        "error: pkg/manifest.json: the manifest lists `../secret`, which is not a file of the package\n"
    );
    let err = fails(chotatsu(dir.path()).args(["verify", "nowhere"]));
    assert!(
        err.starts_with("error: cannot read nowhere/manifest.json: "),
        "{err}"
    );
}
