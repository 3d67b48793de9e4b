use crate::cli::VerifyArgs;
use crate::package::{FileStatus, verify};
use crate::{Result, Status};

pub fn run(args: &VerifyArgs) -> Result<Status> {
    let results = verify(&args.dir)?;
    for (path, status) in &results {
        println!("{:<10} {path}", status.word());
    }
    let bad = results.iter().filter(|(_, s)| *s != FileStatus::Ok).count();
    if bad == 0 {
        println!(
            "{}: all {} files as written",
            args.dir.display(),
            results.len()
        );
        Ok(Status::Success)
    } else {
        println!(
            "{}: {bad} of {} files differ from the manifest",
            args.dir.display(),
            results.len()
        );
        Ok(Status::Different)
    }
}
