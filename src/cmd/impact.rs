use crate::cli::ImpactArgs;
use crate::library::Library;
use crate::output::Stdout;
use crate::render::Templates;
use crate::{Result, Status};

/// One line per package (`DIR: unchanged` or `DIR: N clauses would change`), then one line
/// per clause: `  changed SBOM-01 第12条 (rfp), 第10条 (contract)`.
pub fn run(args: &ImpactArgs) -> Result<Status> {
    let library = Library::load(args.library.library.as_deref())?;
    let templates = Templates::bundled()?;
    let mut results = Vec::new();
    for dir in &args.packages {
        results.push((dir, crate::impact::assess(dir, &library, &templates)?));
    }
    let mut stdout = Stdout::default();
    let mut any = false;
    for (dir, impact) in results {
        let n = impact.clauses.len();
        if n == 0 {
            stdout.line(format_args!("{}: unchanged", dir.display()));
            continue;
        }
        any = true;
        stdout.line(format_args!(
            "{}: {n} clause{} would change",
            dir.display(),
            if n == 1 { "" } else { "s" }
        ));
        for c in &impact.clauses {
            let articles: Vec<String> = c
                .articles
                .iter()
                .map(|(stage, article)| format!("{article} ({stage})"))
                .collect();
            stdout.line(format_args!(
                "  {} {} {}",
                c.change.word(),
                c.id,
                articles.join(", ")
            ));
        }
    }
    stdout.flush()?;
    Ok(if any {
        Status::Different
    } else {
        Status::Success
    })
}
