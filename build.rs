//! Embeds the bundled clause library and templates: every file under `clause-library/` and
//! `templates/` becomes an entry of a generated table, so the binary runs from any directory.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo"));
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
            writeln!(
                f,
                "    ({rel:?}, include_str!({:?})),",
                path.to_string_lossy()
            )
            .unwrap();
        }
        writeln!(f, "]").unwrap();
    }
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
