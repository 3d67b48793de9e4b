use crate::cli::{ListArgs, ListFormat};
use crate::library::{Library, list};
use crate::output::Stdout;
use crate::render::browse::{list_json, list_text};
use crate::{Result, Status};

pub fn run(args: &ListArgs) -> Result<Status> {
    let mut stdout = Stdout::default();
    let library = Library::load(args.library.library.as_deref())?;
    let clauses = list(
        &library,
        args.tier,
        args.contract_type,
        args.requirement.as_deref(),
        args.lang,
    )?;
    stdout.text(format_args!(
        "{}",
        match args.format {
            ListFormat::Text => list_text(&clauses),
            ListFormat::Json => list_json(&clauses),
        }
    ));
    stdout.flush()?;
    Ok(Status::Success)
}
