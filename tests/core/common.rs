//! Helpers shared by the core tests.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The binary under test, run from a scratch directory so nothing lands in the repo.
pub fn chotatsu(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("chotatsu").expect("binary built");
    cmd.current_dir(dir);
    cmd.env_remove("NO_COLOR");
    cmd
}

/// A minimal valid profile; tests change it with [`with`].
pub const BASE: &str = "\
procurement:
  id: T-1
  title: テスト調達
  buyer: 発注課
  issued: 2026-04-01
  contract: { type: development, start: 2026-07-01, end: 2031-03-31 }
system:
  impact: { confidentiality: low, integrity: low, availability: low }
";

/// `BASE` with `from` replaced by `to` (the replacement must happen).
pub fn with(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "BASE has no {from:?}");
    BASE.replacen(from, to, 1)
}

pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, text).unwrap();
    path
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The clause IDs of a document, in document order (from the invisible marker before each
/// article heading).
pub fn clause_ids(markdown: &str) -> Vec<String> {
    markdown
        .lines()
        .filter_map(|l| l.strip_prefix("<!-- clause: "))
        .map(|h| h.trim_end_matches(" -->").to_string())
        .collect()
}

/// Render the annex Markdown of `profile` in a fresh directory and return it.
pub fn annex_md(profile: &str, extra: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p.yaml", profile);
    let mut args = vec!["annex", "p.yaml", "--format", "md"];
    args.extend_from_slice(extra);
    chotatsu(dir.path()).args(&args).assert().success();
    let out = dir.path().join("out/T-1");
    let entry = std::fs::read_dir(&out).unwrap().next().unwrap().unwrap();
    std::fs::read_to_string(entry.path()).unwrap()
}

/// Stderr of a failing run, which must exit 2 and print nothing on stdout.
pub fn fails(cmd: &mut Command) -> String {
    let out = cmd.assert().code(2).get_output().clone();
    assert!(
        out.stdout.is_empty(),
        "stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stderr).unwrap()
}

/// All files under `dir`, relative, sorted.
pub fn files_under(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    fn walk(base: &Path, dir: &Path, found: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(base, &p, found);
            } else {
                found.push(p.strip_prefix(base).unwrap().display().to_string());
            }
        }
    }
    walk(dir, dir, &mut found);
    found.sort();
    found
}

/// Parse a generated HTML page as XML: chotatsu writes well-formed (XHTML-style) pages.
pub fn parse_html(html: &str) -> roxmltree::Document<'_> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(html, options).expect("well-formed HTML page")
}
