use std::io::Write;

use crate::cli::BuildArgs;
use crate::error::Error;
use crate::library::Library;
use crate::output::{Stdout, write_package};
use crate::package::documents;
use crate::render::Templates;
use crate::{Result, Status};

pub fn run(args: &BuildArgs) -> Result<Status> {
    let paths = crate::batch::profile_paths(&args.profiles)?;
    if let [path] = paths.as_slice() {
        return one(args, path);
    }
    let library = Library::load(args.library.library.as_deref())?;
    let templates = Templates::bundled()?;
    let jobs = args.jobs.map_or_else(
        || std::thread::available_parallelism().map_or(1, usize::from),
        usize::from,
    );
    let outcome = crate::batch::build(
        &paths,
        &library,
        &templates,
        &args.lang.langs(),
        &args.out,
        jobs,
    )?;
    let mut stdout = Stdout::default();
    for dir in outcome.written.iter().chain(&outcome.index) {
        stdout.line(dir.display());
    }
    stdout.flush()?;
    if outcome.failed.is_empty() {
        return Ok(Status::Success);
    }
    let text = crate::batch::failure_report(&outcome.failed, paths.len());
    let _ = write!(
        std::io::stderr().lock(),
        "{}",
        crate::text_safety::visible(&text)
    );
    Err(Error::Usage(format!(
        "{} of {} packages were not written; the other {} were",
        outcome.failed.len(),
        paths.len(),
        outcome.written.len()
    )))
}

/// One profile: the package, and its files listed one a line.
fn one(args: &BuildArgs, path: &std::path::Path) -> Result<Status> {
    let mut stdout = Stdout::default();
    let (library, profile) = super::inputs(path, &args.library)?;
    let selection = super::select(&library, &profile)?;
    let templates = Templates::bundled()?;
    let docs = documents(&selection, &args.lang.langs(), &templates)?;
    let files: Vec<(String, Vec<u8>)> = docs.into_iter().map(|d| (d.name, d.bytes)).collect();
    let dir = write_package(&args.out, &profile.procurement.id, &files)?;
    for (name, _) in &files {
        stdout.line(format_args!("{}", dir.join(name).display()));
    }
    stdout.flush()?;
    Ok(Status::Success)
}
