use crate::cli::BuildArgs;
use crate::output::{Stdout, write_package};
use crate::package::documents;
use crate::render::Templates;
use crate::{Result, Status};

pub fn run(args: &BuildArgs) -> Result<Status> {
    let mut stdout = Stdout::default();
    let (library, profile) = super::inputs(&args.profile, &args.library)?;
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
