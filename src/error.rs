//! Error types of the library, and how they are reported at the edge.
//!
//! Every error a user can cause (a bad profile, a broken library, an unreadable file) is a
//! value here that names the file, and where known the line, column and field. `main` prints
//! it with [`report`] and exits with [`Error::exit_code`].

use std::fmt;
use std::path::PathBuf;

/// A problem found at a place in a source file (a profile, a library file, a response file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError {
    /// The file as the user named it (or the bundled library path).
    pub file: String,
    /// 1-based line, 0 when unknown.
    pub line: u64,
    /// 1-based column, 0 when unknown.
    pub column: u64,
    /// Dotted path of the field, e.g. `procurement.contract.end`; empty when unknown.
    pub field: String,
    pub message: String,
    /// The source lines around the problem, with a caret, when they could be shown.
    pub snippet: Option<String>,
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column)?;
        }
        if !self.field.is_empty() {
            write!(f, ": {}", self.field)?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for SourceError {}

/// Everything `chotatsu check` (or loading the library for another command) found wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryProblems(pub Vec<String>);

impl fmt::Display for LibraryProblems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "the clause library has {} problem{}:",
            self.0.len(),
            if self.0.len() == 1 { "" } else { "s" }
        )?;
        for (i, p) in self.0.iter().enumerate() {
            // A problem with a source snippet: keep the snippet under its bullet.
            let p = p.trim_end().replace('\n', "\n    ");
            if i + 1 == self.0.len() {
                write!(f, "  - {p}")?;
            } else {
                writeln!(f, "  - {p}")?;
            }
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Source(#[from] SourceError),
    /// Several problems in a source file, each reported on its own.
    #[error("{}", join_lines(.0))]
    Sources(Vec<SourceError>),
    #[error("{0}")]
    Library(LibraryProblems),
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("template `{name}` failed: {message}")]
    Template { name: String, message: String },
    #[error("{0}")]
    Usage(String),
    /// `chotatsu diff` could not produce its report.
    #[error("diff: {0}")]
    Diff(String),
    /// A workbook could not be built (an Excel limit was exceeded, say).
    #[error("cannot build the workbook {name}: {message}")]
    Workbook { name: String, message: String },
}

fn join_lines(errors: &[SourceError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

impl Error {
    /// Every error is the user's input or environment: exit 2, as a usage error.
    /// (Exit 1 is reserved for `diff` reporting a difference.)
    pub fn exit_code(&self) -> u8 {
        2
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The text printed for an error: `error: ` and the message, then a source snippet where one
/// helps the user find the place.
pub fn report(err: &Error) -> String {
    let mut out = String::new();
    let push_source = |out: &mut String, e: &SourceError| {
        out.push_str(&format!("error: {e}\n"));
        if let Some(snippet) = &e.snippet {
            out.push_str(snippet);
            if !snippet.ends_with('\n') {
                out.push('\n');
            }
        }
    };
    match err {
        Error::Source(e) => push_source(&mut out, e),
        Error::Sources(es) => es.iter().for_each(|e| push_source(&mut out, e)),
        other => {
            out.push_str(&format!("error: {other}"));
            let mut source = std::error::Error::source(other);
            while let Some(cause) = source {
                // Messages already end with their cause's text; print only what is new.
                let text = cause.to_string();
                if !out.contains(&text) {
                    out.push_str(&format!("\n  caused by: {text}"));
                }
                source = cause.source();
            }
        }
    }
    out.trim_end().to_string()
}
