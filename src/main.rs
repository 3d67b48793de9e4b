//! The `chotatsu` binary: parse arguments, run, print the error chain, pick the exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = chotatsu::cli::Cli::parse();
    match chotatsu::run(cli) {
        Ok(status) => ExitCode::from(status.code()),
        Err(err) => {
            eprintln!("{}", chotatsu::error::report(&err));
            ExitCode::from(err.exit_code())
        }
    }
}
