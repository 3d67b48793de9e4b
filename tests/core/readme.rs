//! The README as a new user reads it: `chotatsu` is put on the PATH before it is used bare,
//! every command in its `sh` blocks runs as written from the repository root, and
//! `--help` describes every `--format` value.

use std::fs;
use std::path::Path;

use crate::common::{chotatsu, repo};

/// The commands of the README's ```sh blocks in order, comments dropped, a line of
/// commands joined by `&&` taken apart.
fn sh_lines(readme: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_sh = false;
    for line in readme.lines() {
        if line.starts_with("```") {
            in_sh = !in_sh && line.trim() == "```sh";
            continue;
        }
        if in_sh {
            let commands = line.split("  #").next().unwrap_or("");
            out.extend(
                commands
                    .split("&&")
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .map(str::to_string),
            );
        }
    }
    out
}

/// The brief's promise: the README opens with exactly two set-up lines, one that runs the
/// main job on the bundled library and an example profile, one that runs the tests.
#[test]
fn the_readme_opens_with_the_main_job_and_the_tests() {
    let readme = fs::read_to_string(repo().join("README.md")).unwrap();
    let first_block: Vec<&str> = readme
        .split("```sh\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("an sh block")
        .lines()
        .map(|l| l.split("  #").next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(
        first_block,
        [
            "cargo install --path . && chotatsu build examples/r8-0421.yaml",
            "cargo test"
        ]
    );
    assert!(readme.find("```sh").unwrap() < readme.find("\n## ").unwrap());
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn chotatsu_is_installed_before_it_is_used_bare() {
    let readme = fs::read_to_string(repo().join("README.md")).unwrap();
    let lines = sh_lines(&readme);
    let install = lines
        .iter()
        .position(|l| l == "cargo install --path .")
        .expect("the README says `cargo install --path .`");
    let first_bare = lines
        .iter()
        .position(|l| l.starts_with("chotatsu "))
        .expect("a chotatsu command");
    assert!(install < first_bare, "{lines:?}");
    // Nor does the prose use it before: the install line comes first in the file.
    let install_at = readme.find("cargo install --path .").unwrap();
    let first_use = readme.find("`chotatsu ").unwrap();
    assert!(install_at < first_use);
}

#[test]
fn every_readme_command_runs_as_written_from_the_repo_root() {
    let readme = fs::read_to_string(repo().join("README.md")).unwrap();
    // A copy of what the commands read, at the same paths, so nothing lands in the repo.
    let root = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("examples"), &root.path().join("examples"));
    copy_tree(
        &repo().join("tests/fixtures"),
        &root.path().join("tests/fixtures"),
    );
    let mut ran = 0;
    for line in sh_lines(&readme) {
        let args: Vec<&str> = match line.strip_prefix("chotatsu ") {
            Some(rest) => rest.split_whitespace().collect(),
            // Cargo's own commands (install, test) are not chotatsu's to run here.
            None if line.starts_with("cargo ") => continue,
            None => panic!("a README command that is neither chotatsu's nor cargo's: {line}"),
        };
        if args[0] == "serve" {
            serve_as_written(root.path(), &args, &line);
            ran += 1;
            continue;
        }
        let output = chotatsu(root.path()).args(&args).output().unwrap();
        let code = output.status.code();
        // `diff` exits 1 when the versions differ, as diff(1).
        let ok = code == Some(0) || (args[0] == "diff" && code == Some(1));
        assert!(
            ok,
            "`{line}` exited {code:?}:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        if let Some(i) = args.iter().position(|a| *a == "--out") {
            let out = root.path().join(args[i + 1]);
            assert!(out.exists(), "`{line}` wrote {}", out.display());
        }
        ran += 1;
    }
    assert!(ran >= 4, "{ran} commands ran");
    assert!(root.path().join("out/R8-0421/manifest.json").exists());
}

/// `chotatsu serve` runs until stopped: it must say where it listens, answer there, and end
/// cleanly (exit 0) on Ctrl-C.
fn serve_as_written(dir: &Path, args: &[&str], line: &str) {
    use std::io::{BufRead, BufReader, Read, Write};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_chotatsu"))
        .args(args)
        .current_dir(dir)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut said = String::new();
    stderr.read_line(&mut said).unwrap();
    let addr = said
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| {
            let _ = child.kill();
            panic!("`{line}` said {said:?}")
        })
        .to_string();
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        stream,
        "GET /ja/ HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 200"), "`{line}`: {reply}");
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert_eq!(
        child.wait().unwrap().code(),
        Some(0),
        "`{line}` ends on Ctrl-C"
    );
}

#[test]
fn help_describes_every_format_value() {
    let dir = tempfile::tempdir().unwrap();
    let commands: &[(&str, &[&str])] = &[
        ("tier", &["text", "json"]),
        ("annex", &["md", "html", "docx"]),
        ("list", &["text", "json"]),
        ("matrix", &["md", "csv", "json"]),
        (
            "diff",
            &[
                "text",
                "md",
                "html",
                "json",
                "shinkyu",
                "docx",
                "shinkyu-docx",
            ],
        ),
        ("questionnaire", &["xlsx", "csv", "md", "html", "yaml"]),
        ("evaluate", &["md", "html", "json", "xlsx"]),
    ];
    for (command, values) in commands {
        let output = chotatsu(dir.path())
            .args([command, "--help"])
            .output()
            .unwrap();
        let help = String::from_utf8(output.stdout).unwrap();
        for value in *values {
            // clap lists a described value as `- value: description`.
            let line = help
                .lines()
                .find(|l| l.trim_start().starts_with(&format!("- {value}: ")))
                .unwrap_or_else(|| panic!("`{command} --help` does not describe {value}:\n{help}"));
            assert!(line.len() > value.len() + 12, "{line}");
        }
    }
    let diff = chotatsu(dir.path())
        .args(["diff", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8(diff.stdout).unwrap();
    assert!(help.contains("新旧対照表 (shinkyū taishōhyō"), "{help}");
}
