use crate::cli::{MatrixArgs, MatrixFormat};
use crate::library::{Library, coverage};
use crate::render::browse::{matrix_csv, matrix_json, matrix_md};
use crate::{Result, Status};

pub fn run(args: &MatrixArgs) -> Result<Status> {
    let library = Library::load(args.library.library.as_deref())?;
    let rows = coverage(&library);
    print!(
        "{}",
        match args.format {
            MatrixFormat::Md => matrix_md(&rows),
            MatrixFormat::Csv => matrix_csv(&rows),
            MatrixFormat::Json => matrix_json(&rows),
        }
    );
    Ok(Status::Success)
}
