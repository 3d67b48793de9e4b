//! Writing outputs safely: no symbolic link anywhere in `--out`, all of a command's outputs
//! or none, a package swap that survives a kill and concurrent builds, and inputs that are
//! read through a limit.

use std::fs;
use std::path::Path;
use std::time::Duration;

use crate::common::{BASE, chotatsu, fails, files_under, repo, write};

/// Everything directly in `dir`, hidden entries included.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[cfg(unix)]
#[test]
fn no_command_writes_through_a_link_anywhere_in_out() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    write(dir.path(), "p.yaml", BASE);
    write(dir.path(), "old.md", "第1条 甲は乙に委託する。\n");
    write(dir.path(), "new.md", "第1条 甲は乙に再委託する。\n");
    std::os::unix::fs::symlink(elsewhere.path(), dir.path().join("link")).unwrap();
    let refused = "error: cannot write link: refusing to write through a symbolic link\n";
    for args in [
        &["annex", "p.yaml", "--out", "link"][..],
        &["annex", "p.yaml", "--out", "link/sub"],
        &["build", "p.yaml", "--out", "link"],
        &["build", "p.yaml", "--out", "link/sub"],
        &["questionnaire", "p.yaml", "--out", "link/sub"],
        &["diff", "old.md", "new.md", "--out", "link/d.txt"],
    ] {
        assert_eq!(fails(chotatsu(dir.path()).args(args)), refused, "{args:?}");
    }
    // A link as the file itself.
    std::os::unix::fs::symlink(elsewhere.path().join("x"), dir.path().join("d.txt")).unwrap();
    assert_eq!(
        fails(chotatsu(dir.path()).args(["diff", "old.md", "new.md", "--out", "d.txt"])),
        "error: cannot write d.txt: refusing to write through a symbolic link\n"
    );
    assert!(files_under(elsewhere.path()).is_empty());
}

#[test]
fn an_annex_that_cannot_be_written_whole_is_not_written_at_all() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p.yaml", BASE);
    // The Word file cannot be replaced: a folder is in its way. The Markdown written first
    // must not appear beside it.
    fs::create_dir_all(dir.path().join("out/T-1/annex.ja.docx")).unwrap();
    let err = fails(chotatsu(dir.path()).args(["annex", "p.yaml"]));
    assert_eq!(
        err,
        "error: cannot write out/T-1/annex.ja.docx: a folder of that name is in the way\n"
    );
    assert_eq!(entries(&dir.path().join("out/T-1")), ["annex.ja.docx"]);
}

#[test]
fn staging_left_by_a_killed_build_is_removed_by_the_next() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p.yaml", BASE);
    chotatsu(dir.path())
        .args(["build", "p.yaml"])
        .assert()
        .success();
    for stale in [".T-1.new-4242", ".T-1.old-4242", ".T-1.new-Xy12ab"] {
        write(dir.path(), &format!("out/{stale}/annex.ja.md"), "half");
    }
    chotatsu(dir.path())
        .args(["build", "p.yaml"])
        .assert()
        .success();
    assert_eq!(entries(&dir.path().join("out")), ["T-1"]);
    chotatsu(dir.path())
        .args(["verify", "out/T-1"])
        .assert()
        .success();
}

/// Ten builds of one profile at once, several times over: always exactly one package that
/// verifies, and nothing else in the output folder.
#[test]
fn concurrent_builds_of_one_profile_leave_one_valid_package() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        repo().join("examples/r8-0421.yaml"),
        dir.path().join("p.yaml"),
    )
    .unwrap();
    let bin = assert_cmd::cargo::cargo_bin("chotatsu");
    for round in 0..3 {
        let children: Vec<_> = (0..10)
            .map(|_| {
                std::process::Command::new(&bin)
                    .current_dir(dir.path())
                    .args(["build", "p.yaml"])
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        assert_eq!(
            entries(&dir.path().join("out")),
            ["R8-0421"],
            "round {round}"
        );
        chotatsu(dir.path())
            .args(["verify", "out/R8-0421"])
            .assert()
            .success();
    }
}

/// Build `old` (a profile or a folder of them), then kill builds of `old` or `new` at random
/// instants over as long as a build takes here: after every kill each package of `ids` is a
/// whole one (old or new) that verifies.
#[cfg(unix)]
fn kill_builds_at_random_instants(dir: &Path, old: &str, new: &str, ids: &[&str], cases: u32) {
    use proptest::prelude::*;
    chotatsu(dir).args(["build", old]).assert().success();
    let bin = assert_cmd::cargo::cargo_bin("chotatsu");
    // How long a build takes here, to spread the kills over all of it.
    let started = std::time::Instant::now();
    chotatsu(dir).args(["build", new]).assert().success();
    let span = started.elapsed().as_micros() as u64 + 1;
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(cases));
    runner
        .run(&(0..span, any::<bool>()), |(delay, build_new)| {
            let mut child = std::process::Command::new(&bin)
                .current_dir(dir)
                .args(["build", if build_new { new } else { old }])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap();
            std::thread::sleep(Duration::from_micros(delay));
            let _ = child.kill();
            let _ = child.wait();
            for id in ids {
                let out = dir.join("out").join(id);
                prop_assert!(out.is_dir(), "no package {id} after a kill at {delay} µs");
                chotatsu(dir)
                    .args(["verify", &format!("out/{id}")])
                    .assert()
                    .success();
            }
            Ok(())
        })
        .unwrap();
}

/// Kill `build` at random instants while it replaces a package: the package path always
/// holds a whole package (the old or the new one) that verifies, and the next build cleans up.
#[cfg(unix)]
#[test]
fn a_build_killed_at_random_instants_leaves_a_whole_package() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p.yaml", BASE);
    let renamed = BASE.replace("テスト調達", "テスト調達（改訂）");
    write(dir.path(), "q.yaml", &renamed);
    kill_builds_at_random_instants(dir.path(), "p.yaml", "q.yaml", &["T-1"], 24);
    chotatsu(dir.path())
        .args(["build", "p.yaml"])
        .assert()
        .success();
    assert_eq!(entries(&dir.path().join("out")), ["T-1"]);
}

/// Kill a batch `build` of three profiles at random instants while it replaces their packages
/// (written, flushed together and swapped in as a group): every package path always holds a
/// whole package (its old one or its new one) that verifies, and the next batch cleans up.
#[cfg(unix)]
#[test]
fn a_batch_killed_at_random_instants_leaves_every_package_whole() {
    let dir = tempfile::tempdir().unwrap();
    let ids = ["T-1", "T-2", "T-3"];
    for (i, id) in ids.iter().enumerate() {
        let profile = BASE.replace("T-1", id);
        write(dir.path(), &format!("old/{i}.yaml"), &profile);
        write(
            dir.path(),
            &format!("new/{i}.yaml"),
            &profile.replace("テスト調達", "テスト調達（改訂）"),
        );
    }
    kill_builds_at_random_instants(dir.path(), "old", "new", &ids, 16);
    chotatsu(dir.path())
        .args(["build", "new"])
        .assert()
        .success();
    // (A kill while the index is written may leave its temporary files: not a package's.)
    let left: Vec<String> = entries(&dir.path().join("out"))
        .into_iter()
        .filter(|e| !e.starts_with(".index."))
        .collect();
    assert_eq!(
        left,
        ["T-1", "T-2", "T-3", "index.csv", "index.html", "index.xlsx"]
    );
}

#[cfg(unix)]
#[test]
fn devices_and_fifos_are_refused_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let err = fails(
        chotatsu(dir.path())
            .args(["tier", "/dev/zero"])
            .timeout(Duration::from_secs(20)),
    );
    assert_eq!(
        err,
        "error: cannot read /dev/zero: it is a device, not a file\n"
    );
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("answers.xlsx")).unwrap();
    write(dir.path(), "p.yaml", BASE);
    let err = fails(
        chotatsu(dir.path())
            .args(["evaluate", "p.yaml", "answers.xlsx"])
            .timeout(Duration::from_secs(20)),
    );
    assert_eq!(
        err,
        "error: answers.xlsx: it is a device, not a response file\n"
    );
    fs::create_dir(dir.path().join("pkg")).unwrap();
    assert!(
        std::process::Command::new("mkfifo")
            .arg(dir.path().join("pkg/manifest.json"))
            .status()
            .unwrap()
            .success()
    );
    let err = fails(
        chotatsu(dir.path())
            .args(["verify", "pkg"])
            .timeout(Duration::from_secs(20)),
    );
    assert_eq!(
        err,
        "error: cannot read pkg/manifest.json: it is a FIFO (named pipe), not a file\n"
    );
    assert_eq!(entries(dir.path()), ["answers.xlsx", "p.yaml", "pkg"]);
}

#[test]
fn verify_rejects_duplicate_entries_and_never_reads_a_grown_file() {
    let dir = tempfile::tempdir().unwrap();
    let profile = repo().join("examples/r8-0421.yaml");
    chotatsu(dir.path())
        .args(["build", profile.to_str().unwrap(), "--lang", "ja"])
        .assert()
        .success();
    let pkg = dir.path().join("out/R8-0421");
    // A listed file grown to 64 GiB (sparse): judged by its size, never read.
    fs::OpenOptions::new()
        .write(true)
        .open(pkg.join("annex.ja.md"))
        .unwrap()
        .set_len(64 << 30)
        .unwrap();
    let out = chotatsu(dir.path())
        .args(["verify", "out/R8-0421"])
        .timeout(Duration::from_secs(20))
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    assert!(
        String::from_utf8(out)
            .unwrap()
            .contains("modified   annex.ja.md\n")
    );
    fs::remove_file(pkg.join("annex.ja.md")).unwrap();
    let manifest = fs::read_to_string(pkg.join("manifest.json")).unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    let files = value["files"].as_array_mut().unwrap();
    let first = files[1].clone();
    files.insert(1, first);
    fs::write(
        pkg.join("manifest.json"),
        serde_json::to_string_pretty(&value).unwrap(),
    )
    .unwrap();
    let err = fails(chotatsu(dir.path()).args(["verify", "out/R8-0421"]));
    assert_eq!(
        err,
        "error: out/R8-0421/manifest.json: the manifest lists `annex.ja.html` twice; a chotatsu manifest lists each file once\n"
    );
}

#[test]
fn a_file_name_with_an_escape_sequence_cannot_hide_verifys_summary() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p.yaml", BASE);
    chotatsu(dir.path())
        .args(["build", "p.yaml", "--lang", "ja"])
        .assert()
        .success();
    write(dir.path(), "out/T-1/notes\u{1b}[8m", "planted");
    let out = chotatsu(dir.path())
        .args(["verify", "out/T-1"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(!out.contains('\u{1b}'), "{out:?}");
    assert!(out.contains("unexpected notes⟨U+001B⟩[8m\n"), "{out}");
    assert!(
        out.ends_with("out/T-1: 1 of 14 files differ from the manifest\n"),
        "{out}"
    );
}
