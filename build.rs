//! Embeds the bundled clause library and templates: every file under `clause-library/` and
//! `templates/` becomes an entry of a generated table, so the binary runs from any directory.
//!
//! Every bundled YAML file is also parsed here, once, and embedded as JSON
//! (`bundled_json.rs`): reading the same data as JSON at run time takes a fraction of the time
//! the YAML parser needs, which was half of what a one-document command cost. A file that does
//! not parse here is left out of that table, so the program reads its YAML and reports the
//! error with its file, line and field. `yaml::tests` check that both readings give the same
//! library.
//!
//! The SHA-256 of every bundled library file is worked out here too (`bundled_digests.rs`):
//! the library's fingerprint lists them, and a run would otherwise hash the whole library
//! before it could write a page.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo"));
    let mut json = fs::File::create(out.join("bundled_json.rs")).expect("create generated file");
    writeln!(json, "&[").unwrap();
    let mut digests =
        fs::File::create(out.join("bundled_digests.rs")).expect("create generated file");
    writeln!(digests, "&[").unwrap();
    for (dir, name) in [
        ("clause-library", "bundled_library.rs"),
        ("templates", "bundled_templates.rs"),
    ] {
        println!("cargo:rerun-if-changed={dir}");
        let mut files = Vec::new();
        collect(&root.join(dir), &mut files);
        files.sort();
        let mut f = fs::File::create(out.join(name)).expect("create generated file");
        writeln!(f, "&[").unwrap();
        for path in files {
            let rel = path.strip_prefix(&root).expect("under the crate root");
            let rel = rel.to_string_lossy().replace('\\', "/");
            println!("cargo:rerun-if-changed={rel}");
            if rel.ends_with(".yaml")
                && let Some(converted) = yaml_as_json(&path)
            {
                writeln!(json, "    ({rel:?}, {converted:?}),").unwrap();
            }
            if dir == "clause-library" {
                let bytes = fs::read(&path).expect("read a bundled file");
                let hex: String = Sha256::digest(&bytes)
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect();
                writeln!(digests, "    ({rel:?}, {hex:?}),").unwrap();
            }
            writeln!(
                f,
                "    ({rel:?}, include_str!({:?})),",
                path.to_string_lossy()
            )
            .unwrap();
        }
        writeln!(f, "]").unwrap();
    }
    writeln!(json, "]").unwrap();
    writeln!(digests, "]").unwrap();
}

/// The YAML file as compact JSON, read with the options `src/yaml.rs` reads it with (YAML 1.2
/// booleans); `None` when it does not parse.
fn yaml_as_json(path: &Path) -> Option<String> {
    let text = fs::read_to_string(path).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut options = serde_saphyr::Options::default();
    options.strict_booleans = true;
    let value: serde_json::Value = serde_saphyr::from_str_with_options(text, options).ok()?;
    serde_json::to_string(&value).ok()
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else if !path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        {
            files.push(path);
        }
    }
}
