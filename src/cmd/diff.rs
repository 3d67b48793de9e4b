//! `chotatsu diff OLD NEW`: read both versions, compare them, write the report.

use std::io::IsTerminal;
use std::path::Path;

use crate::cli::{ColorChoice, DiffArgs, TrackedChoice};
use crate::diff::render::{self, Names, Options};
use crate::diff::{Version, html_read};
use crate::office::docx_read::{self, DocxText, Tracked};
use crate::output::{OutputFile, decode_text, read_input, write_all, write_stdout};
use crate::render::Templates;
use crate::{Error, Result, Status};

/// Read one version: a Word document (recognised by its content, whatever its name), an HTML
/// page, or UTF-8 text.
fn read_version(path: &Path, tracked: TrackedChoice) -> Result<DocxText> {
    let bytes = read_input(path)?;
    if !docx_read::looks_like_word(&bytes) {
        let (text, bookmarks) = html_read::version_of(decode_text(path, bytes)?);
        return Ok(DocxText { text, bookmarks });
    }
    let tracked = match tracked {
        TrackedChoice::Accept => Tracked::Accept,
        TrackedChoice::Reject => Tracked::Reject,
        TrackedChoice::Refuse => Tracked::Refuse,
    };
    docx_read::read(&bytes, tracked).map_err(|e| Error::Read {
        path: path.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string()),
    })
}

/// Show the characters that would lie to a reader as `⟨U+202E⟩` (see
/// [`crate::diff::make_visible`]); each file that has them gets a note on standard error.
fn make_visible(path: &Path, version: &mut DocxText) {
    use std::io::Write;
    if let Some(note) = crate::diff::make_visible(&path.display().to_string(), version) {
        let _ = writeln!(std::io::stderr().lock(), "note: {note}");
    }
}

pub fn run(args: &DiffArgs) -> Result<Status> {
    let mut old = read_version(&args.old, args.tracked)?;
    let mut new = read_version(&args.new, args.tracked)?;
    make_visible(&args.old, &mut old);
    make_visible(&args.new, &mut new);
    let names = Names {
        old: file_name(&args.old),
        new: file_name(&args.new),
    };
    if args.format.is_binary() && args.out.is_none() && std::io::stdout().is_terminal() {
        // Checked before comparing: a .docx on a terminal is garbage, and nothing is lost.
        return Err(Error::Usage(
            "a .docx is binary and is not written to a terminal: give --out FILE, or redirect standard output to a file"
                .to_string(),
        ));
    }
    let comparison = crate::diff::compare_versions(
        Version {
            text: &old.text,
            bookmarks: &old.bookmarks,
        },
        Version {
            text: &new.text,
            bookmarks: &new.bookmarks,
        },
    );
    let options = Options {
        names,
        date: args.date,
        color: use_color(args),
    };
    let report = render::report(&comparison, args.format, &options, &Templates::bundled()?)?;
    match &args.out {
        Some(path) => write_all(&[OutputFile::new(path.clone(), report)])?,
        None => write_stdout(&report)?,
    }
    Ok(if comparison.is_identical() {
        Status::Success
    } else {
        Status::Different
    })
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Colour only on a terminal, never when `NO_COLOR` is set (unless forced), never into a file.
fn use_color(args: &DiffArgs) -> bool {
    match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            args.out.is_none()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}
