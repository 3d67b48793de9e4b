//! One module per subcommand: glue between the command line and the library, no domain logic.

mod annex;
mod build;
mod check;
mod diff;
mod evaluate;
mod impact;
mod list;
mod matrix;
mod questionnaire;
#[cfg(feature = "serve")]
mod serve;
mod show;
mod tier;
mod verify;

use crate::cli::Command;
use crate::output::{OutputFile, Stdout, write_all};
use crate::{Result, Status};

pub fn run(command: Command) -> Result<Status> {
    match command {
        Command::Tier(args) => tier::run(&args),
        Command::Annex(args) => annex::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Build(args) => build::run(&args),
        Command::Verify(args) => verify::run(&args),
        Command::Impact(args) => impact::run(&args),
        Command::List(args) => list::run(&args),
        Command::Show(args) => show::run(&args),
        Command::Matrix(args) => matrix::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Questionnaire(args) => questionnaire::run(&args),
        Command::Evaluate(args) => evaluate::run(&args),
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve::run(&args),
    }
}

/// Write generated files (all or none) and print their paths, one a line.
fn write_and_list(files: &[OutputFile]) -> Result<Status> {
    write_all(files)?;
    let mut stdout = Stdout::default();
    for f in files {
        stdout.line(f.path.display());
    }
    stdout.flush()?;
    Ok(Status::Success)
}

/// The library (bundled plus overlay) and the profile a command works on.
fn inputs(
    profile: &std::path::Path,
    library: &crate::cli::LibraryArgs,
) -> Result<(crate::library::Library, crate::profile::Profile)> {
    let library = crate::library::Library::load(library.library.as_deref())?;
    let profile = crate::profile::Profile::load(profile)?;
    Ok((library, profile))
}

/// Select the clauses for the profile and print the selection's notes (not errors) on
/// standard error.
fn select<'a>(
    library: &'a crate::library::Library,
    profile: &'a crate::profile::Profile,
) -> Result<crate::selection::Selection<'a>> {
    select_in(library, profile, &crate::lang::Lang::ALL)
}

/// [`select`] for documents in `languages` only.
fn select_in<'a>(
    library: &'a crate::library::Library,
    profile: &'a crate::profile::Profile,
    languages: &[crate::lang::Lang],
) -> Result<crate::selection::Selection<'a>> {
    use std::io::Write;
    let selection = crate::selection::select_in(library, profile, languages)?;
    let mut stderr = std::io::stderr().lock();
    for note in &selection.notes {
        let note = note.to_string();
        let _ = writeln!(stderr, "note: {}", crate::text_safety::visible(&note));
    }
    Ok(selection)
}
