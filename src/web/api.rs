//! The JSON API under `/api/` (docs/api.md): the same results as the CLI commands, for the
//! pages' scripts and for anyone who would rather call HTTP than run a command.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Multipart, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use clap::ValueEnum;
use serde::Deserialize;

use super::App;
use super::work::{self, Failure, RESPONSES_CAP, TEXT_CAP};
use crate::cli::DiffFormat;
use crate::diff::render::{self as diff_render, Names};
use crate::evaluation::{evaluate as run_evaluation, report};
use crate::lang::Lang;
use crate::questionnaire::Questionnaire;
use crate::tier::decide;

/// `?name=` (the profile's file name, for messages and the manifest) and `?lang=`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileQuery {
    name: Option<String>,
    lang: Option<String>,
}

impl ProfileQuery {
    fn file_name(&self) -> String {
        work::plain_name(self.name.as_deref(), "profile.yaml")
    }
}

fn body(body: Result<Bytes, BytesRejection>) -> Result<Bytes, Failure> {
    body.map_err(|e| Failure::rejected(e.status(), e.body_text()))
}

fn query<T: Default>(
    q: Result<Query<T>, axum::extract::rejection::QueryRejection>,
) -> Result<T, Failure> {
    q.map(|Query(q)| q)
        .map_err(|e| Failure::BadRequest(e.body_text()))
}

/// Run CPU-bound work off the async threads.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, Failure> + Send + 'static,
) -> Result<T, Failure> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Failure::Internal(format!("the request failed: {e}")))?
}

/// `POST /api/tier` (body: profile YAML) → the JSON of `chotatsu tier --format json`.
pub async fn tier(
    State(app): State<Arc<App>>,
    q: Result<Query<ProfileQuery>, axum::extract::rejection::QueryRejection>,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<Response, Failure> {
    let q = query(q)?;
    let bytes = body(bytes)?;
    let name = q.file_name();
    let text = work::decode_text(&name, &bytes)?;
    let profile = work::profile(&name, &text)?;
    let decision = decide(&profile, &app.library.rule)?;
    let lang = match q.lang.as_deref() {
        None => profile.procurement.language,
        Some(l) => one_lang(l)?,
    };
    Ok(typed(
        "application/json",
        decision.to_json(lang, &app.library),
    ))
}

/// `POST /api/package` (body: profile YAML) → the package as `application/zip`.
pub async fn package(
    State(app): State<Arc<App>>,
    q: Result<Query<ProfileQuery>, axum::extract::rejection::QueryRejection>,
    bytes: Result<Bytes, BytesRejection>,
) -> Result<Response, Failure> {
    let q = query(q)?;
    let bytes = body(bytes)?;
    let name = q.file_name();
    let langs = work::langs(q.lang.as_deref())?;
    let (id, zip) = blocking(move || {
        let text = work::decode_text(&name, &bytes)?;
        let profile = work::profile(&name, &text)?;
        let zip = work::package(&app, &profile, &langs)?;
        Ok((profile.procurement.id, zip))
    })
    .await?;
    Ok(attachment("application/zip", &format!("{id}.zip"), zip))
}

/// `POST /api/diff` (multipart `old`, `new`, optional `format`) → the report in that format
/// (default `json`).
pub async fn diff(
    State(app): State<Arc<App>>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, Failure> {
    let multipart = multipart.map_err(|e| Failure::rejected(e.status(), e.body_text()))?;
    let parts = work::read_parts(multipart, DIFF_PARTS).await?;
    let format = match work::small_text(&parts, "format") {
        None => DiffFormat::Json,
        Some(f) => DiffFormat::from_str(&f, false).map_err(|_| {
            Failure::BadRequest(format!("unknown format `{f}`: expected {}", format_names()))
        })?,
    };
    let report = blocking(move || compare(&app, &parts, format)).await?;
    Ok(report.into_response())
}

/// The names of the diff formats, as `diff --format` takes them: `text, md, … or shinkyu-docx`.
fn format_names() -> String {
    let names: Vec<String> = DiffFormat::value_variants()
        .iter()
        .filter_map(ValueEnum::to_possible_value)
        .map(|v| v.get_name().to_string())
        .collect();
    match names.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// The parts `/api/diff` and the compare page accept.
pub const DIFF_PARTS: &[(&str, usize)] = &[
    ("old", TEXT_CAP),
    ("new", TEXT_CAP),
    ("format", 64),
    ("date", 64),
];

/// A rendered comparison: its bytes and how to send them.
pub struct DiffReport {
    pub format: DiffFormat,
    pub bytes: Vec<u8>,
    pub identical: bool,
}

impl IntoResponse for DiffReport {
    fn into_response(self) -> Response {
        let (mime, file) = match self.format {
            DiffFormat::Text => ("text/plain; charset=utf-8", None),
            DiffFormat::Json => ("application/json", None),
            DiffFormat::Md => ("text/markdown; charset=utf-8", Some("redline.md")),
            DiffFormat::Html => ("text/html; charset=utf-8", Some("redline.html")),
            DiffFormat::Shinkyu => ("text/html; charset=utf-8", Some("shinkyu.html")),
            DiffFormat::Docx => (DOCX, Some("redline.docx")),
            DiffFormat::ShinkyuDocx => (DOCX, Some("shinkyu.docx")),
        };
        let mut response = match file {
            // Whole documents (their own inline styles) are downloads, not pages of the app.
            Some(file) => attachment(mime, file, self.bytes),
            None => typed(mime, self.bytes),
        };
        response.headers_mut().insert(
            "x-chotatsu-identical",
            HeaderValue::from_static(if self.identical { "true" } else { "false" }),
        );
        response
    }
}

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Compare the `old` and `new` parts and render the report as `chotatsu diff` does.
pub fn compare(
    app: &App,
    parts: &std::collections::BTreeMap<String, work::Upload>,
    format: DiffFormat,
) -> Result<DiffReport, Failure> {
    let old = work::required(parts, "old")?;
    let new = work::required(parts, "new")?;
    let names = Names {
        old: work::plain_name(old.file_name.as_deref(), "old"),
        new: work::plain_name(new.file_name.as_deref(), "new"),
    };
    // The date under the 新旧対照表's title, as `diff --date`; without it, a blank to fill in.
    let date = match work::small_text(parts, "date") {
        None => None,
        Some(d) => Some(
            chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                .ok()
                .filter(|_| d.len() == 10)
                .ok_or_else(|| {
                    Failure::Invalid(vec![work::Problem {
                        field: Some("date".into()),
                        line: None,
                        message: format!("`{d}` is not a date: expected YYYY-MM-DD"),
                    }])
                })?,
        ),
    };
    let old_version = work::contract_version(&names.old, &old.bytes)?;
    let new_version = work::contract_version(&names.new, &new.bytes)?;
    let cmp = crate::diff::compare_versions(
        crate::diff::Version {
            text: &old_version.text,
            bookmarks: &old_version.bookmarks,
        },
        crate::diff::Version {
            text: &new_version.text,
            bookmarks: &new_version.bookmarks,
        },
    );
    let options = diff_render::Options {
        names,
        date,
        color: false,
    };
    let bytes = diff_render::report(&cmp, format, &options, &app.templates)?;
    Ok(DiffReport {
        format,
        bytes,
        identical: cmp.is_identical(),
    })
}

/// `POST /api/evaluate` (multipart `profile`, `responses`, optional `lang`, `format`) → the
/// evaluation JSON (or md, html, xlsx).
pub async fn evaluate(
    State(app): State<Arc<App>>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, Failure> {
    let multipart = multipart.map_err(|e| Failure::rejected(e.status(), e.body_text()))?;
    let parts = work::read_parts(multipart, EVALUATE_PARTS).await?;
    let format = work::small_text(&parts, "format").unwrap_or_else(|| "json".into());
    if !["json", "md", "html", "xlsx"].contains(&format.as_str()) {
        return Err(Failure::BadRequest(format!(
            "unknown format `{format}`: expected json, md, html or xlsx"
        )));
    }
    let (id, lang, bytes, format) = blocking(move || {
        let evaluated = evaluation(&app, &parts, &format)?;
        Ok((evaluated.id, evaluated.lang, evaluated.bytes, format))
    })
    .await?;
    Ok(match format.as_str() {
        "json" => typed("application/json", bytes),
        "xlsx" => attachment(XLSX, &format!("evaluation.{id}.{lang}.xlsx"), bytes),
        "html" => attachment(
            "text/html; charset=utf-8",
            &format!("evaluation.{id}.{lang}.html"),
            bytes,
        ),
        _ => attachment(
            "text/markdown; charset=utf-8",
            &format!("evaluation.{id}.{lang}.md"),
            bytes,
        ),
    })
}

/// The parts `/api/evaluate` and the evaluation page accept.
pub const EVALUATE_PARTS: &[(&str, usize)] = &[
    ("profile", TEXT_CAP),
    ("responses", RESPONSES_CAP),
    ("lang", 16),
    ("format", 16),
];

/// An evaluation rendered in one format.
pub struct Evaluated {
    pub id: String,
    pub lang: Lang,
    pub bytes: Vec<u8>,
    /// The report as Markdown (for showing it in a page).
    pub markdown: String,
}

/// Evaluate the `responses` part against the `profile` part, as `chotatsu evaluate` does,
/// rendering `format` (`json`, `md`, `html`, `xlsx`).
pub fn evaluation(
    app: &App,
    parts: &std::collections::BTreeMap<String, work::Upload>,
    format: &str,
) -> Result<Evaluated, Failure> {
    let profile_part = work::required(parts, "profile")?;
    let responses_part = work::required(parts, "responses")?;
    let profile_name = work::plain_name(profile_part.file_name.as_deref(), "profile.yaml");
    let text = work::decode_text(&profile_name, &profile_part.bytes)?;
    let profile = work::profile(&profile_name, &text)?;
    let responses_name = work::plain_name(responses_part.file_name.as_deref(), "responses");
    let ext = responses_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if !["xlsx", "csv", "yaml", "yml"].contains(&ext.as_str()) {
        return Err(Failure::Invalid(vec![work::Problem {
            field: Some("responses".into()),
            line: None,
            message: format!(
                "{responses_name}: unsupported response file: expected .xlsx, .csv, .yaml or .yml"
            ),
        }]));
    }
    let lang = match work::small_text(parts, "lang") {
        None => profile.procurement.language,
        Some(l) => one_lang(&l)?,
    };
    let selection = crate::selection::select(&app.library, &profile)?;
    let qn = Questionnaire::build(&selection);
    let budget = crate::responses::WorkbookBudget {
        questions: qn.questions.len(),
    };
    let responses =
        crate::responses::read_bytes(&responses_name, &ext, responses_part.bytes.clone(), &budget)?;
    let ev = run_evaluation(&qn, &responses, lang, &app.templates)?;
    let doc = report::document(&ev, &app.templates)?;
    let bytes = match format {
        "json" => report::json(&ev).into_bytes(),
        "xlsx" => report::xlsx(&ev, &app.templates)?,
        "html" => doc.html.into_bytes(),
        _ => doc.markdown.clone().into_bytes(),
    };
    Ok(Evaluated {
        id: profile.procurement.id.clone(),
        lang,
        bytes,
        markdown: doc.markdown,
    })
}

fn one_lang(l: &str) -> Result<Lang, Failure> {
    Lang::from_str(l, false)
        .map_err(|_| Failure::BadRequest(format!("unknown language `{l}`: expected ja or en")))
}

/// A response with a content type.
pub fn typed(mime: &'static str, bytes: impl Into<Vec<u8>>) -> Response {
    ([(header::CONTENT_TYPE, mime)], bytes.into()).into_response()
}

/// A download: `Content-Disposition: attachment` with the file name (ASCII, and UTF-8 for
/// browsers that read `filename*`).
pub fn attachment(mime: &'static str, file: &str, bytes: Vec<u8>) -> Response {
    let ascii: String = file
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = file
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
    let mut response = typed(mime, bytes);
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, v);
    }
    response
}
