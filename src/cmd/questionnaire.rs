use crate::cli::{QuestionnaireArgs, QuestionnaireFormat as F};
use crate::library::Library;
use crate::output::{OutputFile, Stdout, write_all};
use crate::profile::Profile;
use crate::questionnaire::{Questionnaire, csv, render, xlsx, yaml};
use crate::render::Templates;
use crate::selection::select;
use crate::{Result, Status};

pub fn run(args: &QuestionnaireArgs) -> Result<Status> {
    let mut stdout = Stdout::default();
    let library = Library::load(args.library.library.as_deref())?;
    let profile = Profile::load(&args.profile)?;
    let selection = select(&library, &profile)?;
    let lang = args.lang.unwrap_or(profile.procurement.language);
    let templates = Templates::bundled()?;
    let qn = Questionnaire::build(&selection);

    let dir = args.out.join(&profile.procurement.id);
    let path = |ext: &str| dir.join(format!("questionnaire.{lang}.{ext}"));
    let wanted = |f: F| args.format.is_none_or(|x| x == f);
    let mut files = Vec::new();
    if wanted(F::Xlsx) {
        files.push(OutputFile::new(
            path("xlsx"),
            xlsx::write(&qn, lang, &templates)?,
        ));
    }
    if wanted(F::Csv) {
        files.push(OutputFile::new(path("csv"), csv::write(&qn, lang)?));
    }
    if wanted(F::Md) || wanted(F::Html) {
        let rendered = render::render(&qn, lang, &templates)?;
        if wanted(F::Md) {
            files.push(OutputFile::new(path("md"), rendered.markdown));
        }
        if wanted(F::Html) {
            files.push(OutputFile::new(path("html"), rendered.html));
        }
    }
    if wanted(F::Yaml) {
        files.push(OutputFile::new(
            path("yaml"),
            yaml::write(&qn, lang, &templates),
        ));
    }
    write_all(&files)?;
    for f in &files {
        stdout.line(format_args!("{}", f.path.display()));
    }
    stdout.flush()?;
    Ok(Status::Success)
}
