//! One module per subcommand: glue between the command line and the library, no domain logic.

mod annex;
mod check;
mod diff;
mod evaluate;
mod questionnaire;
mod tier;

use crate::cli::Command;
use crate::{Result, Status};

pub fn run(command: Command) -> Result<Status> {
    match command {
        Command::Tier(args) => tier::run(&args),
        Command::Annex(args) => annex::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Questionnaire(args) => questionnaire::run(&args),
        Command::Evaluate(args) => evaluate::run(&args),
    }
}
