use crate::cli::ServeArgs;
use crate::web::{Config, serve};
use crate::{Result, Status};

pub fn run(args: &ServeArgs) -> Result<Status> {
    serve(&Config {
        bind: args.bind,
        port: args.port,
        library: args.library.library.clone(),
    })?;
    Ok(Status::Success)
}
