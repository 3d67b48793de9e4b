//! `chotatsu serve`: the local web app for procurement staff who do not use a terminal.
//!
//! One process, every asset embedded, nothing written to disk: each request reads its
//! uploads into memory, computes with the same library functions as the CLI and answers.
//! `guard` holds the safety rules (Host, Origin, headers); `api` the JSON API under `/api/`;
//! `pages` the server-rendered pages; `form` the 新規調達 form ↔ profile YAML.

mod api;
mod assets;
mod form;
mod guard;
mod pages;
mod work;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::error::Error;
use crate::library::Library;
use crate::render::Templates;

/// How `chotatsu serve` was started.
#[derive(Debug, Clone)]
pub struct Config {
    pub bind: IpAddr,
    /// 0 picks a free port (the tests use it).
    pub port: u16,
    pub library: Option<PathBuf>,
}

/// What every request shares: the library and templates, loaded once, and the address the
/// server answers on (for the Host check).
pub struct App {
    pub library: Library,
    pub templates: Templates,
    pub addr: SocketAddr,
}

impl App {
    pub fn new(library: Library, templates: Templates, addr: SocketAddr) -> Arc<App> {
        Arc::new(App {
            library,
            templates,
            addr,
        })
    }
}

/// Extra room a multipart body needs beside its files (boundaries, headers, small fields).
const MULTIPART_SLACK: usize = 64 * 1024;

/// Every route, with the safety rules around them.
pub fn router(app: Arc<App>) -> Router {
    let text_cap = work::TEXT_CAP;
    let responses_cap = crate::responses::MAX_BYTES as usize;
    let api = Router::new()
        .route("/api/tier", post(api::tier))
        .route("/api/package", post(api::package))
        .layer(DefaultBodyLimit::max(text_cap))
        .merge(
            Router::new()
                .route("/api/diff", post(api::diff))
                .layer(DefaultBodyLimit::max(2 * text_cap + MULTIPART_SLACK)),
        )
        .merge(
            Router::new()
                .route("/api/evaluate", post(api::evaluate))
                .layer(DefaultBodyLimit::max(
                    text_cap + responses_cap + MULTIPART_SLACK,
                )),
        );
    let pages = Router::new()
        .route("/", get(pages::root))
        .route("/{lang}/", get(pages::home))
        .route("/{lang}/new", get(pages::new_form).post(pages::new_submit))
        .route("/{lang}/new/check", post(pages::new_check))
        .route("/{lang}/clauses", get(pages::clauses))
        .route("/{lang}/clauses/{id}", get(pages::clause))
        .route("/{lang}/matrix", get(pages::matrix))
        .layer(DefaultBodyLimit::max(text_cap + MULTIPART_SLACK))
        .merge(
            Router::new()
                .route("/{lang}/new/upload", post(pages::new_upload))
                .layer(DefaultBodyLimit::max(text_cap + MULTIPART_SLACK)),
        )
        .merge(
            Router::new()
                .route(
                    "/{lang}/compare",
                    get(pages::compare).post(pages::compare_submit),
                )
                .layer(DefaultBodyLimit::max(2 * text_cap + MULTIPART_SLACK)),
        )
        .merge(
            Router::new()
                .route(
                    "/{lang}/evaluate",
                    get(pages::evaluate).post(pages::evaluate_submit),
                )
                .layer(DefaultBodyLimit::max(
                    text_cap + responses_cap + MULTIPART_SLACK,
                )),
        )
        .route("/assets/{name}", get(assets::serve));
    api.merge(pages)
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            guard::guard,
        ))
        .with_state(app)
}

/// Run the server until Ctrl-C (or SIGTERM): load the library, bind, print where it
/// listens (and a warning when that is not loopback), then answer requests.
pub fn serve(config: &Config) -> Result<(), Error> {
    let library = Library::load(config.library.as_deref())?;
    let templates = Templates::bundled()?;
    templates.web()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Usage(format!("cannot start the server: {e}")))?;
    runtime.block_on(async move {
        let wanted = SocketAddr::new(config.bind, config.port);
        let listener = tokio::net::TcpListener::bind(wanted)
            .await
            .map_err(|e| Error::Usage(format!("cannot listen on {wanted}: {e}")))?;
        let addr = listener
            .local_addr()
            .map_err(|e| Error::Usage(format!("cannot listen on {wanted}: {e}")))?;
        let app = App::new(library, templates, addr);
        // Listening for the signals before saying where it listens: a stop sent as soon as
        // the line is read ends the server gracefully, not by the signal's default.
        let stop = shutdown()?;
        if !addr.ip().is_loopback() {
            say(&format!(
                "warning: chotatsu serve is listening on {addr}, not only on this computer: the app has no login, so anyone who can reach this address can use it"
            ));
        }
        say(&format!(
            "chotatsu serve: open http://{}/ in a browser (Ctrl-C stops it)",
            guard::display_host(addr)
        ));
        axum::serve(listener, router(app))
            .with_graceful_shutdown(stop)
            .await
            .map_err(|e| Error::Usage(format!("the server stopped: {e}")))?;
        say("chotatsu serve: stopped");
        Ok(())
    })
}

/// A future that resolves on Ctrl-C (SIGINT) or SIGTERM: requests in flight are finished,
/// then the server returns. The handlers are in place when this returns (tokio's `ctrl_c()`
/// would install its own only when first polled, from a task axum spawns).
#[cfg(unix)]
fn shutdown() -> Result<impl std::future::Future<Output = ()>, Error> {
    use tokio::signal::unix::{SignalKind, signal};
    let listen = |kind: SignalKind| {
        signal(kind).map_err(|e| Error::Usage(format!("cannot listen for signals: {e}")))
    };
    let mut interrupt = listen(SignalKind::interrupt())?;
    let mut terminate = listen(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {},
            _ = terminate.recv() => {},
        }
    })
}

/// A future that resolves on Ctrl-C.
#[cfg(not(unix))]
fn shutdown() -> Result<impl std::future::Future<Output = ()>, Error> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

/// A line on standard error; a closed stderr is no reason to stop serving.
fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}
