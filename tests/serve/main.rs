//! `chotatsu serve`: the web app's endpoints over HTTP (in process), the server as a process
//! (binding, warning, Ctrl-C, nothing written), and real-browser tests in Chromium.

mod browser;
mod common;
mod http;
mod process;
