use crate::cli::DiffArgs;
use crate::{Error, Result, Status};

pub fn run(_args: &DiffArgs) -> Result<Status> {
    Err(Error::Usage("diff: under construction".into()))
}
