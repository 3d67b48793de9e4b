//! One module per subcommand: glue between the command line and the library, no domain logic.

mod diff;

use crate::cli::Command;
use crate::{Result, Status};

pub fn run(command: Command) -> Result<Status> {
    match command {
        Command::Tier(_) | Command::Annex(_) | Command::Check(_) => Err(crate::Error::Usage("under construction".into())),
        Command::Diff(args) => diff::run(&args),
    }
}
