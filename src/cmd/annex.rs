use crate::cli::AnnexArgs;
use crate::library::Library;
use crate::output::{OutputFile, Stdout, write_all};
use crate::profile::Profile;
use crate::render::{Templates, annex};
use crate::selection::select;
use crate::{Result, Status};

pub fn run(args: &AnnexArgs) -> Result<Status> {
    let mut stdout = Stdout::default();
    let library = Library::load(args.library.library.as_deref())?;
    let profile = Profile::load(&args.profile)?;
    let selection = select(&library, &profile)?;
    let lang = args.lang.unwrap_or(profile.procurement.language);
    let templates = Templates::bundled()?;
    let rendered = annex::render(&selection, lang, &templates)?;

    let dir = args.out.join(&profile.procurement.id);
    let files: Vec<OutputFile> = rendered
        .into_files(lang, |f| args.format.is_none_or(|x| x == f))
        .into_iter()
        .map(|(name, bytes)| OutputFile::new(dir.join(name), bytes))
        .collect();
    write_all(&files)?;
    for f in &files {
        stdout.line(format_args!("{}", f.path.display()));
    }
    stdout.flush()?;
    Ok(Status::Success)
}
