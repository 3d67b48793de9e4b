//! What the API and the pages both do: read uploads (with the CLI's caps), validate a
//! profile, build the package as a zip, compare contracts, evaluate answers. Failures carry
//! the HTTP status they answer with and the problems by field.

use std::collections::BTreeMap;
use std::io::{Cursor, Write};

use axum::Json;
use axum::extract::Multipart;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::App;
use crate::error::{Error, SourceError};
use crate::lang::Lang;
use crate::office::docx_read::{self, DocxText, Tracked};
use crate::package::{Document, documents};
use crate::profile::Profile;

/// The CLI's cap on a text input (a profile, a contract), applied to each upload.
pub const TEXT_CAP: usize = crate::output::MAX_INPUT_BYTES as usize;
/// The CLI's cap on a returned questionnaire.
pub const RESPONSES_CAP: usize = crate::responses::MAX_BYTES as usize;

/// One problem, as the API reports it: `{"field", "line", "message"}`; field and line are
/// null when the problem has no place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub field: Option<String>,
    pub line: Option<u64>,
    pub message: String,
}

impl Problem {
    pub fn whole(message: impl Into<String>) -> Problem {
        Problem {
            field: None,
            line: None,
            message: message.into(),
        }
    }

    fn from_source(e: &SourceError) -> Problem {
        Problem {
            field: Some(e.field.clone()).filter(|f| !f.is_empty()),
            line: Some(e.line).filter(|l| *l > 0),
            message: e.message.clone(),
        }
    }
}

/// Why a request could not be answered, and with which status.
#[derive(Debug)]
pub enum Failure {
    /// 422: the input was read but is not valid (a bad profile, a bad response file).
    Invalid(Vec<Problem>),
    /// 413: an upload is over the CLI's cap.
    TooLarge(String),
    /// 400: the request itself is malformed (a missing part, an unknown parameter).
    BadRequest(String),
    /// 500: a fault of chotatsu, not of the input.
    Internal(String),
}

impl Failure {
    pub fn status(&self) -> StatusCode {
        match self {
            Failure::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Failure::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Failure::BadRequest(_) => StatusCode::BAD_REQUEST,
            Failure::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn problems(&self) -> Vec<Problem> {
        match self {
            Failure::Invalid(p) => p.clone(),
            Failure::TooLarge(m) | Failure::BadRequest(m) | Failure::Internal(m) => {
                vec![Problem::whole(m.clone())]
            }
        }
    }

    /// A failed body extraction (axum's rejection): over the limit is 413, else 400.
    pub fn rejected(status: StatusCode, text: String) -> Failure {
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            Failure::TooLarge(too_large_message(None))
        } else {
            Failure::BadRequest(text)
        }
    }
}

fn too_large_message(cap: Option<usize>) -> String {
    match cap {
        Some(cap) => format!("the upload is too large: the limit is {cap} bytes"),
        None => "the upload is too large for chotatsu's input limits".to_string(),
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        match e {
            Error::Source(s) => Failure::Invalid(vec![Problem::from_source(&s)]),
            Error::Sources(all) => Failure::Invalid(all.iter().map(Problem::from_source).collect()),
            Error::Usage(m) => Failure::Invalid(vec![Problem::whole(m)]),
            other => Failure::Internal(crate::error::report(&other)),
        }
    }
}

#[derive(Serialize)]
struct Problems {
    errors: Vec<Problem>,
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        (
            self.status(),
            Json(Problems {
                errors: self.problems(),
            }),
        )
            .into_response()
    }
}

/// Text an upload holds, checked as the CLI checks a file: within the cap, no NUL byte,
/// valid UTF-8.
pub fn decode_text(name: &str, bytes: &[u8]) -> Result<String, Failure> {
    if bytes.len() > TEXT_CAP {
        return Err(Failure::TooLarge(format!(
            "{name}: {} (it is {} bytes)",
            too_large_message(Some(TEXT_CAP)),
            bytes.len()
        )));
    }
    let bad = |message: String| {
        Failure::Invalid(vec![Problem {
            field: None,
            line: None,
            message: format!("{name}: {message}"),
        }])
    };
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(bad(format!(
            "a binary file, not text (NUL byte at offset {at})"
        )));
    }
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        bad(format!(
            "not valid UTF-8 (byte {}); save the file as UTF-8",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// A file name fit to stand in messages and the manifest: the last part of what the browser
/// sent, or `fallback`.
pub fn plain_name(sent: Option<&str>, fallback: &str) -> String {
    let name = sent
        .and_then(|s| s.rsplit(['/', '\\']).next())
        .map(str::trim)
        .unwrap_or("");
    if crate::package::is_plain_name(name) && !name.chars().any(char::is_control) {
        name.to_string()
    } else {
        fallback.to_string()
    }
}

/// The profile in `text`, validated as `chotatsu` validates a profile file named `name`.
pub fn profile(name: &str, text: &str) -> Result<Profile, Failure> {
    Ok(Profile::parse(name, text)?)
}

/// The package `chotatsu build` writes for this profile, as a zip of the folder
/// `<procurement.id>/` holding exactly the same files, byte for byte, manifest included.
pub fn package(app: &App, profile: &Profile, langs: &[Lang]) -> Result<Vec<u8>, Failure> {
    let selection = crate::selection::select(&app.library, profile)?;
    let docs = documents(&selection, langs, &app.templates)?;
    Ok(zip_folder(&profile.procurement.id, &docs))
}

/// A zip of `folder/<name>` for every document, in the documents' order, with fixed
/// timestamps: the same documents give the same bytes.
pub fn zip_folder(folder: &str, docs: &[Document]) -> Vec<u8> {
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    // Writing to memory cannot fail but for a bug; the expects name it.
    for doc in docs {
        zip.start_file(format!("{folder}/{}", doc.name), options)
            .expect("zip entry in memory");
        zip.write_all(&doc.bytes).expect("zip write in memory");
    }
    zip.finish().expect("zip in memory").into_inner()
}

/// An uploaded part: the file name the browser gave (if any) and the bytes.
#[derive(Debug, Clone)]
pub struct Upload {
    pub file_name: Option<String>,
    pub bytes: Vec<u8>,
}

impl Upload {
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

/// Read every part of a multipart body into memory. `caps` names the parts accepted and the
/// largest each may be; a larger part is 413, an unknown part 400.
pub async fn read_parts(
    mut multipart: Multipart,
    caps: &[(&str, usize)],
) -> Result<BTreeMap<String, Upload>, Failure> {
    let mut parts = BTreeMap::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(Failure::rejected(e.status(), e.body_text())),
        };
        let name = field.name().unwrap_or_default().to_string();
        let Some(&(_, cap)) = caps.iter().find(|(n, _)| *n == name) else {
            return Err(Failure::BadRequest(format!(
                "unexpected form field `{name}`; expected {}",
                caps.iter()
                    .map(|(n, _)| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        };
        let file_name = field.file_name().map(str::to_string);
        let mut field = field;
        let mut bytes = Vec::new();
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    if bytes.len() + chunk.len() > cap {
                        return Err(Failure::TooLarge(format!(
                            "`{name}`: {}",
                            too_large_message(Some(cap))
                        )));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => return Err(Failure::rejected(e.status(), e.body_text())),
            }
        }
        parts.insert(name, Upload { file_name, bytes });
    }
    Ok(parts)
}

/// A part that must be there and not empty.
pub fn required<'a>(
    parts: &'a BTreeMap<String, Upload>,
    name: &str,
) -> Result<&'a Upload, Failure> {
    parts.get(name).filter(|u| !u.is_empty()).ok_or_else(|| {
        Failure::Invalid(vec![Problem {
            field: Some(name.to_string()),
            line: None,
            message: format!("`{name}` is missing: choose a file"),
        }])
    })
}

/// A small text part (a format or language choice), if given.
pub fn small_text(parts: &BTreeMap<String, Upload>, name: &str) -> Option<String> {
    parts
        .get(name)
        .and_then(|u| std::str::from_utf8(&u.bytes).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// A contract version as `chotatsu diff` reads it: a Word document (by its content, tracked
/// changes accepted), an HTML page, or UTF-8 Markdown or text; characters that would lie to a reader are
/// made visible.
pub fn contract_version(name: &str, bytes: &[u8]) -> Result<DocxText, Failure> {
    let mut version = if docx_read::looks_like_word(bytes) {
        if bytes.len() > TEXT_CAP {
            return Err(Failure::TooLarge(format!(
                "{name}: {}",
                too_large_message(Some(TEXT_CAP))
            )));
        }
        docx_read::read(bytes, Tracked::Accept)
            .map_err(|e| Failure::Invalid(vec![Problem::whole(format!("{name}: {e}"))]))?
    } else {
        let (text, bookmarks) = crate::diff::html_read::version_of(decode_text(name, bytes)?);
        DocxText { text, bookmarks }
    };
    crate::diff::make_visible(name, &mut version);
    Ok(version)
}

/// The language of a `lang` choice: `ja`, `en`, or (for a package) `both`.
pub fn langs(choice: Option<&str>) -> Result<Vec<Lang>, Failure> {
    match choice.unwrap_or("both") {
        "ja" => Ok(vec![Lang::Ja]),
        "en" => Ok(vec![Lang::En]),
        "both" => Ok(vec![Lang::Ja, Lang::En]),
        other => Err(Failure::BadRequest(format!(
            "unknown language `{other}`: expected ja, en or both"
        ))),
    }
}

/// The part of a self-contained HTML page between `<body>` and `</body>`, to show a report
/// inside one of the app's pages (whose stylesheet then applies).
pub fn body_of(page: &str) -> &str {
    let start = page.find("<body>").map_or(0, |i| i + "<body>".len());
    let end = page.rfind("</body>").unwrap_or(page.len());
    page.get(start..end.max(start)).unwrap_or("")
}
