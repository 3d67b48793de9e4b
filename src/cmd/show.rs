use crate::cli::ShowArgs;
use crate::library::{Library, show};
use crate::output::Stdout;
use crate::render::browse::show_text;
use crate::{Result, Status};

pub fn run(args: &ShowArgs) -> Result<Status> {
    let mut stdout = Stdout::default();
    let library = Library::load(args.library.library.as_deref())?;
    let templates = crate::render::Templates::bundled()?;
    let view = show(
        &library,
        &args.clause,
        args.tier,
        args.contract_type,
        args.stage,
        args.lang,
        templates.flag_words(args.lang)?,
    )?;
    stdout.text(format_args!("{}", show_text(&library, &view)));
    stdout.flush()?;
    Ok(Status::Success)
}
