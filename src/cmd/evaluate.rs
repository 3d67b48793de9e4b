use crate::cli::{EvaluateArgs, EvaluationFormat as F};
use crate::evaluation::{evaluate, report};
use crate::output::OutputFile;
use crate::questionnaire::Questionnaire;
use crate::render::Templates;
use crate::responses;
use crate::{Result, Status};

pub fn run(args: &EvaluateArgs) -> Result<Status> {
    let (library, profile) = super::inputs(&args.profile, &args.library)?;
    let selection = super::select(&library, &profile)?;
    let lang = args.lang.unwrap_or(profile.procurement.language);
    let templates = Templates::bundled()?;
    let qn = Questionnaire::build(&selection);
    let budget = responses::WorkbookBudget {
        questions: qn.questions.len(),
    };
    let responses = responses::read(&args.responses, &budget)?;
    let evaluation = evaluate(&qn, &responses, lang, &templates)?;

    let dir = args.out.join(&profile.procurement.id);
    let path = |ext: &str| dir.join(format!("evaluation.{lang}.{ext}"));
    let wanted = |f: F| args.format.is_none_or(|x| x == f);
    let mut files = Vec::new();
    if wanted(F::Md) || wanted(F::Html) {
        let doc = report::document(&evaluation, &templates)?;
        if wanted(F::Md) {
            files.push(OutputFile::new(path("md"), doc.markdown));
        }
        if wanted(F::Html) {
            files.push(OutputFile::new(path("html"), doc.html));
        }
    }
    if wanted(F::Json) {
        files.push(OutputFile::new(path("json"), report::json(&evaluation)));
    }
    if wanted(F::Xlsx) {
        files.push(OutputFile::new(
            path("xlsx"),
            report::xlsx(&evaluation, &templates)?,
        ));
    }
    super::write_and_list(&files)
}
