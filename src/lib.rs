//! chotatsu (調達): the security paperwork of a software procurement.
//!
//! Data flows one way: a procurement [`profile`] gives a risk [`tier`]; the clause
//! [`library`] (bundled, plus an organisation's overlay) is narrowed by the tier and the
//! profile's tailoring into a [`selection`]; [`render`] turns the selection into documents.
//! [`diff`] compares contract versions clause by clause and needs none of the rest.
#![forbid(unsafe_code)]

pub mod annex;
pub mod batch;
pub mod budget;
pub mod cli;
pub mod cmd;
pub mod diff;
pub mod digest;
pub mod docx;
pub mod error;
pub mod evaluation;
pub mod facts;
pub mod impact;
pub mod lang;
pub mod layout;
pub mod library;
pub mod memo;
pub mod office;
pub mod output;
pub mod package;
pub mod portfolio;
pub mod profile;
pub mod questionnaire;
pub mod render;
pub mod responses;
pub mod selection;
pub mod text_safety;
pub mod tier;
#[cfg(feature = "serve")]
pub mod web;
pub mod yaml;

pub use error::{Error, Result};

/// How a command that ran without error ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Success,
    /// `diff` found a difference (exit 1, as diff(1)).
    Different,
}

impl Status {
    pub fn code(self) -> u8 {
        match self {
            Status::Success => 0,
            Status::Different => 1,
        }
    }
}

/// Run one command line.
pub fn run(cli: cli::Cli) -> Result<Status> {
    cmd::run(cli.command)
}
