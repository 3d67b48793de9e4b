use crate::cli::VerifyArgs;
use crate::output::Stdout;
use crate::package::{FileStatus, verify};
use crate::{Result, Status};

pub fn run(args: &VerifyArgs) -> Result<Status> {
    let mut stdout = Stdout::default();
    let results = verify(&args.dir)?;
    for (path, status) in &results {
        stdout.line(format_args!("{:<10} {path}", status.word()));
    }
    let bad = results.iter().filter(|(_, s)| *s != FileStatus::Ok).count();
    let (dir, total) = (args.dir.display(), results.len());
    let status = if bad == 0 {
        stdout.line(format_args!("{dir}: all {total} files as written"));
        Status::Success
    } else {
        stdout.line(format_args!(
            "{dir}: {bad} of {total} files differ from the manifest"
        ));
        Status::Different
    };
    stdout.flush()?;
    Ok(status)
}
