use crate::annex;
use crate::cli::AnnexArgs;
use crate::output::OutputFile;
use crate::render::Templates;
use crate::{Result, Status};

pub fn run(args: &AnnexArgs) -> Result<Status> {
    let (library, profile) = super::inputs(&args.profile, &args.library)?;
    let lang = args.lang.unwrap_or(profile.procurement.language);
    let selection = super::select_in(&library, &profile, &[lang])?;
    let templates = Templates::bundled()?;
    let wanted = |f: annex::Format| args.format.is_none_or(|x| x == f);
    let rendered = annex::render(&selection, args.stage, lang, &templates, wanted)?;

    let dir = args.out.join(&profile.procurement.id);
    let files: Vec<OutputFile> = rendered
        .into_files(args.stage, lang, wanted)
        .into_iter()
        .map(|(name, bytes)| OutputFile::new(dir.join(name), bytes))
        .collect();
    super::write_and_list(&files)
}
