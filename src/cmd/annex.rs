use crate::cli::{AnnexArgs, AnnexFormat};
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
    let mut files = Vec::new();
    if args.format.is_none_or(|f| f == AnnexFormat::Md) {
        files.push(OutputFile::new(
            dir.join(format!("annex.{lang}.md")),
            rendered.markdown,
        ));
    }
    if args.format.is_none_or(|f| f == AnnexFormat::Html) {
        files.push(OutputFile::new(
            dir.join(format!("annex.{lang}.html")),
            rendered.html,
        ));
    }
    if args.format.is_none_or(|f| f == AnnexFormat::Docx) {
        files.push(OutputFile::new(
            dir.join(format!("annex.{lang}.docx")),
            rendered.docx,
        ));
    }
    write_all(&files)?;
    for f in &files {
        stdout.line(format_args!("{}", f.path.display()));
    }
    stdout.flush()?;
    Ok(Status::Success)
}
