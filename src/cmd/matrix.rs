use crate::cli::{MatrixArgs, MatrixFormat};
use crate::library::{Library, coverage};
use crate::output::Stdout;
use crate::render::browse::{matrix_csv, matrix_json, matrix_md};
use crate::{Result, Status};

pub fn run(args: &MatrixArgs) -> Result<Status> {
    let mut stdout = Stdout::default();
    let library = Library::load(args.library.library.as_deref())?;
    let rows = coverage(&library);
    stdout.text(format_args!(
        "{}",
        match args.format {
            MatrixFormat::Md => matrix_md(&rows),
            MatrixFormat::Csv => matrix_csv(&rows),
            MatrixFormat::Json => matrix_json(&rows),
        }
    ));
    stdout.flush()?;
    Ok(Status::Success)
}
