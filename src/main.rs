//! The `chotatsu` binary: parse arguments, run, print the error chain, pick the exit code.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

/// See Cargo.toml for why this allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    small_pages();
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

/// Ask Linux for the process's memory in 4 KB pages, not the 2 MB pages the allocator asks
/// for: a command's memory is almost all fresh, and a 2 MB page is cleared whole at its first
/// touch (one annex spent about 1 ms of 8 clearing them). See Cargo.toml, `rustix`.
fn small_pages() {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}
