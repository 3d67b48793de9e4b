//! Benchmark of the procurement pipeline: prints numbers, asserts nothing.
//!
//! For each example profile: loading and checking the bundled library, then selecting the
//! clauses and rendering every document of the package (annex in Markdown, HTML and Word,
//! questionnaire in xlsx, csv, Markdown, HTML and YAML, tier report, manifest) in both
//! languages — what `chotatsu build` does, minus writing files. Run with
//! `cargo bench --bench build`.

use std::path::Path;
use std::time::{Duration, Instant};

use chotatsu::lang::Lang;
use chotatsu::library::Library;
use chotatsu::package::documents;
use chotatsu::profile::Profile;
use chotatsu::render::Templates;
use chotatsu::selection::select;

fn time<T>(runs: u32, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut last = f();
    let start = Instant::now();
    for _ in 0..runs {
        last = f();
    }
    (start.elapsed() / runs, last)
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (load, library) = time(20, || Library::load(None).expect("bundled library"));
    println!(
        "load + check the bundled library ({} clauses, {} questions): {:.2} ms",
        library.clauses.len(),
        library.questions.len(),
        load.as_secs_f64() * 1e3
    );
    let templates = Templates::bundled().expect("bundled templates");
    let mut examples: Vec<_> = std::fs::read_dir(root.join("examples"))
        .expect("examples/")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    examples.sort();
    for path in examples {
        let profile = Profile::load(&path).expect("example profile");
        let (took, (files, bytes)) = time(10, || {
            let selection = select(&library, &profile).expect("selection");
            let docs = documents(&selection, &[Lang::Ja, Lang::En], &templates).expect("documents");
            (
                docs.len(),
                docs.iter().map(|d| d.bytes.len()).sum::<usize>(),
            )
        });
        println!(
            "{:<34} {:>2} files, {:>9} bytes: {:>7.2} ms per package",
            path.file_name().unwrap_or_default().to_string_lossy(),
            files,
            bytes,
            took.as_secs_f64() * 1e3
        );
    }
    error_collection(&library);
}

/// Reporting every problem of a bad profile must stay linear: the time per problem is the
/// same for 10,000 and 40,000 unknown clauses in `tailoring.exclude` (each message names its
/// field, which once walked the file back from every line).
fn error_collection(library: &Library) {
    let head = "procurement:\n  id: T-1\n  title: t\n  buyer: b\n  issued: 2026-04-01\n  contract: { start: 2026-07-01, end: 2031-03-31 }\nsystem:\n  impact: { confidentiality: low, integrity: low, availability: low }\ntailoring:\n  exclude:\n";
    for n in [10_000, 40_000] {
        let mut text = head.to_string();
        for i in 0..n {
            text.push_str(&format!("    - {{ clause: NOPE-{i}, reason: r }}\n"));
        }
        let (took, problems) = time(1, || {
            let profile = Profile::parse("bench.yaml", &text).expect("parses");
            match select(library, &profile) {
                Err(chotatsu::error::Error::Sources(p)) => p.len(),
                _ => 0,
            }
        });
        println!(
            "{n:>6} unknown clauses: {problems} problems in {:>8.1} ms, {:.1} µs each",
            took.as_secs_f64() * 1e3,
            took.as_secs_f64() * 1e6 / problems.max(1) as f64
        );
    }
}
