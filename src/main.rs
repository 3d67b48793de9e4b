//! The `chotatsu` binary: parse arguments, run, print the error chain, pick the exit code.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

/// See Cargo.toml for why this allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = chotatsu::cli::Cli::parse();
    match chotatsu::run(cli) {
        Ok(status) => ExitCode::from(status.code()),
        Err(err) => {
            // A closed stderr is no reason to panic: the exit code still tells. Nothing from
            // the input reaches the terminal raw (an ESC in a file name could hide the rest).
            let report = chotatsu::error::report(&err);
            let _ = writeln!(
                std::io::stderr(),
                "{}",
                chotatsu::text_safety::visible(&report)
            );
            ExitCode::from(err.exit_code())
        }
    }
}
