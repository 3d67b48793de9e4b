use crate::cli::ShowArgs;
use crate::library::{Library, show};
use crate::render::browse::show_text;
use crate::{Result, Status};

pub fn run(args: &ShowArgs) -> Result<Status> {
    let library = Library::load(args.library.library.as_deref())?;
    let view = show(&library, &args.clause, args.tier, args.lang)?;
    print!("{}", show_text(&library, &view));
    Ok(Status::Success)
}
