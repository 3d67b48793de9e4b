//! The server-rendered pages, in Japanese (`/ja/…`, first) and English (`/en/…`). Every page
//! works without JavaScript; `assets/app.js` only updates the tier as the form changes and
//! shows results without leaving the page (so chosen files stay chosen for the downloads).

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Redirect, Response};
use clap::ValueEnum;
use serde::{Deserialize, Serialize};

use super::App;
use super::api::{self, EVALUATE_PARTS};
use super::form::{self, Labeler, Values};
use super::work::{self, Failure, TEXT_CAP};
use crate::cli::DiffFormat;
use crate::facts::{ContractType, Stage};
use crate::lang::Lang;
use crate::library::{coverage, list, show};
use crate::render::markdown;
use crate::tier::{MAX, MIN, decide, tier_name};

/// The language of a page, from its path.
fn page_lang(lang: &str) -> Option<Lang> {
    Lang::from_str(lang, false).ok()
}

fn other(lang: Lang) -> Lang {
    match lang {
        Lang::Ja => Lang::En,
        Lang::En => Lang::Ja,
    }
}

/// What every page template gets: `lang`, the labels `l`, the page's title and nav key,
/// the same page in the other language, and the page's own data `p`.
#[derive(Serialize)]
struct Page<'a, T: Serialize> {
    lang: &'a str,
    other_lang: &'a str,
    switch_href: String,
    title: String,
    nav: &'a str,
    l: BTreeMap<&'a str, &'a str>,
    p: T,
}

fn render<T: Serialize>(
    app: &App,
    lang: Lang,
    template: &str,
    nav: &str,
    title_key: &str,
    uri: &Uri,
    data: T,
) -> Response {
    let labels = app.templates.labels(lang);
    let title = labels
        .get(title_key)
        .copied()
        .unwrap_or(title_key)
        .to_string();
    let path_and_query = uri.path_and_query().map_or("/", |p| p.as_str());
    let switch_href = match path_and_query
        .split_once('/')
        .and_then(|(_, rest)| rest.split_once('/'))
    {
        Some((_, rest)) => format!("/{}/{rest}", other(lang)),
        None => format!("/{}/", other(lang)),
    };
    let page = Page {
        lang: lang.code(),
        other_lang: other(lang).code(),
        switch_href,
        title,
        nav,
        l: labels,
        p: data,
    };
    match app.templates.render_html(template, &page) {
        Ok(html) => Html(html).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, crate::error::report(&e)).into_response(),
    }
}

fn fragment<T: Serialize>(
    app: &App,
    lang: Lang,
    template: &str,
    data: T,
) -> Result<String, Failure> {
    #[derive(Serialize)]
    struct Fragment<'a, T: Serialize> {
        lang: &'a str,
        l: BTreeMap<&'a str, &'a str>,
        p: T,
    }
    app.templates
        .render_html(
            template,
            &Fragment {
                lang: lang.code(),
                l: app.templates.labels(lang),
                p: data,
            },
        )
        .map_err(|e| Failure::Internal(crate::error::report(&e)))
}

pub async fn root() -> Redirect {
    Redirect::to("/ja/")
}

pub async fn not_found(State(app): State<Arc<App>>, uri: Uri) -> Response {
    let lang = if uri.path().starts_with("/en/") {
        Lang::En
    } else {
        Lang::Ja
    };
    let mut r = render(
        &app,
        lang,
        "web/not_found.html",
        "",
        "ui_not_found",
        &uri,
        (),
    );
    *r.status_mut() = StatusCode::NOT_FOUND;
    r
}

macro_rules! lang_or_404 {
    ($app:expr, $lang:expr, $uri:expr) => {
        match page_lang(&$lang) {
            Some(l) => l,
            None => return not_found(State($app), $uri).await,
        }
    };
}

pub async fn home(State(app): State<Arc<App>>, Path(lang): Path<String>, uri: Uri) -> Response {
    let lang = lang_or_404!(app, lang, uri);
    render(
        &app,
        lang,
        "web/home.html",
        "home",
        "ui_app_title",
        &uri,
        (),
    )
}

// ---------------------------------------------------------------- 新規調達

/// The tier panel: the tier the form's profile gets and every reason, or why there is none
/// yet.
#[derive(Serialize, Default)]
struct TierPanel {
    level: Option<u8>,
    name: String,
    derived: Option<String>,
    reasons: Vec<String>,
}

/// The result of checking the form: the YAML, the problems by field, the tier.
struct Checked {
    yaml: String,
    file_name: String,
    errors: Vec<(String, String)>,
    tier: TierPanel,
    profile: Option<crate::profile::Profile>,
}

fn check(app: &App, lang: Lang, values: &Values) -> Checked {
    let yaml = form::to_yaml(&app.library, values);
    let id = values
        .get("procurement.id")
        .map(|s| s.trim())
        .filter(|s| crate::package::is_plain_name(s) && s.is_ascii())
        .unwrap_or("profile");
    let file_name = format!("{id}.yaml");
    let mut errors = Vec::new();
    let mut tier = TierPanel::default();
    let mut profile = None;
    match work::profile(&file_name, &yaml) {
        Err(f) => errors = by_field(&f),
        Ok(p) => {
            match decide(&p, &app.library.rule) {
                Ok(d) => {
                    tier = TierPanel {
                        level: Some(d.tier),
                        name: tier_name(&app.library, d.tier, lang),
                        derived: (d.tier != d.derived_tier)
                            .then(|| tier_name(&app.library, d.derived_tier, lang)),
                        reasons: d.reasons_in(lang, &app.library),
                    };
                }
                Err(e) => errors = by_field(&Failure::from(e)),
            }
            if errors.is_empty() {
                // What needs the library (parameters, tailored clauses) is checked by selecting.
                if let Err(e) = crate::selection::select(&app.library, &p) {
                    errors = by_field(&Failure::from(e));
                }
            }
            profile = Some(p);
        }
    }
    Checked {
        yaml,
        file_name,
        errors,
        tier,
        profile,
    }
}

fn by_field(f: &Failure) -> Vec<(String, String)> {
    f.problems()
        .into_iter()
        .map(|p| (p.field.unwrap_or_default(), p.message))
        .collect()
}

#[derive(Serialize)]
struct NewPage {
    form: form::Form,
    tier_html: String,
    tier_level: String,
    preview: Option<Preview>,
    checked: bool,
    error_count: usize,
    /// The parameters are folded away unless one is set or has a problem.
    parameters_open: bool,
}

#[derive(Serialize)]
struct Preview {
    lang: String,
    html: String,
}

fn new_page(
    app: &App,
    lang: Lang,
    uri: &Uri,
    values: &Values,
    checked: Option<&Checked>,
    preview: Option<Preview>,
) -> Response {
    let labeler = Labeler {
        labels: app.templates.labels(lang),
    };
    let errors = checked.map(|c| c.errors.as_slice()).unwrap_or(&[]);
    let form = form::build(&app.library, lang, &labeler, values, errors);
    let panel = checked.map(|c| &c.tier);
    let tier_html = fragment(
        app,
        lang,
        "web/tier.html",
        panel.unwrap_or(&TierPanel::default()),
    )
    .unwrap_or_default();
    let parameters_open = form
        .parameters
        .iter()
        .any(|c| !c.value.is_empty() || !c.error.is_empty());
    let page = NewPage {
        parameters_open,
        form,
        tier_html,
        tier_level: panel
            .and_then(|t| t.level)
            .map(|l| l.to_string())
            .unwrap_or_default(),
        preview,
        checked: checked.is_some(),
        error_count: errors.len(),
    };
    let mut response = render(app, lang, "web/new.html", "new", "ui_nav_new", uri, page);
    if !errors.is_empty() {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
}

pub async fn new_form(State(app): State<Arc<App>>, Path(lang): Path<String>, uri: Uri) -> Response {
    let lang = lang_or_404!(app, lang, uri);
    let mut values = Values::new();
    values.insert("procurement.language".into(), lang.code().into());
    new_page(&app, lang, &uri, &values, None, None)
}

/// The form's buttons: check, download the YAML, preview the annex, download the package.
pub async fn new_submit(
    State(app): State<Arc<App>>,
    Path(lang): Path<String>,
    uri: Uri,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let lang = lang_or_404!(app, lang, uri);
    let action = pairs
        .iter()
        .find(|(k, _)| k == "do")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let values = form::values_of(pairs);
    let app2 = app.clone();
    let values2 = values.clone();
    let Ok(checked) = tokio::task::spawn_blocking(move || check(&app2, lang, &values2)).await
    else {
        return Failure::Internal("the check failed".into()).into_response();
    };
    match action.as_str() {
        "yaml" => api::attachment(
            "application/yaml; charset=utf-8",
            &checked.file_name,
            checked.yaml.into_bytes(),
        ),
        "package" | "preview_contract" | "preview_rfp" if checked.errors.is_empty() => {
            let Some(profile) = checked.profile.clone() else {
                return new_page(&app, lang, &uri, &values, Some(&checked), None);
            };
            if action == "package" {
                let app2 = app.clone();
                let built = tokio::task::spawn_blocking(move || {
                    work::package(&app2, &profile, &[Lang::Ja, Lang::En])
                        .map(|zip| (profile.procurement.id.clone(), zip))
                })
                .await;
                match built {
                    Ok(Ok((id, zip))) => {
                        api::attachment("application/zip", &format!("{id}.zip"), zip)
                    }
                    Ok(Err(f)) => {
                        let checked = Checked {
                            errors: by_field(&f),
                            ..checked
                        };
                        new_page(&app, lang, &uri, &values, Some(&checked), None)
                    }
                    Err(_) => Failure::Internal("the build failed".into()).into_response(),
                }
            } else {
                let stage = if action == "preview_rfp" {
                    Stage::Rfp
                } else {
                    Stage::Contract
                };
                let doc_lang = profile.procurement.language;
                let preview = annex_preview(&app, &profile, stage, doc_lang);
                match preview {
                    Ok(html) => new_page(
                        &app,
                        lang,
                        &uri,
                        &values,
                        Some(&checked),
                        Some(Preview {
                            lang: doc_lang.code().into(),
                            html,
                        }),
                    ),
                    Err(f) => {
                        let checked = Checked {
                            errors: by_field(&f),
                            ..checked
                        };
                        new_page(&app, lang, &uri, &values, Some(&checked), None)
                    }
                }
            }
        }
        _ => new_page(&app, lang, &uri, &values, Some(&checked), None),
    }
}

/// The document of `stage` (the contract annex or the RFP) in `lang`, as HTML to show inside
/// the page.
fn annex_preview(
    app: &App,
    profile: &crate::profile::Profile,
    stage: Stage,
    lang: Lang,
) -> Result<String, Failure> {
    let selection = crate::selection::select(&app.library, profile)?;
    let document = crate::annex::render(&selection, stage, lang, &app.templates, |_| false)?;
    Ok(markdown::to_html(&document.markdown))
}

/// For the script: the tier panel and the problems by field, as the form stands.
pub async fn new_check(
    State(app): State<Arc<App>>,
    Path(lang): Path<String>,
    uri: Uri,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let lang = lang_or_404!(app, lang, uri);
    let values = form::values_of(pairs);
    let app2 = app.clone();
    let values2 = values.clone();
    let Ok(checked) = tokio::task::spawn_blocking(move || check(&app2, lang, &values2)).await
    else {
        return Failure::Internal("the check failed".into()).into_response();
    };
    let labeler = Labeler {
        labels: app.templates.labels(lang),
    };
    let names = form::build(&app.library, lang, &labeler, &values, &[]).names();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    #[derive(Serialize)]
    struct CheckReply {
        tier: Option<u8>,
        tier_html: String,
        errors: Vec<FieldProblem>,
    }
    /// `id` is the control the problem is shown beside, `null` for one of no control.
    #[derive(Serialize)]
    struct FieldProblem {
        field: String,
        id: Option<String>,
        message: String,
    }
    let reply = CheckReply {
        tier: checked.tier.level,
        tier_html: fragment(&app, lang, "web/tier.html", &checked.tier).unwrap_or_default(),
        errors: checked
            .errors
            .iter()
            .map(|(field, message)| FieldProblem {
                id: form::place(field, &names).map(form::control_id),
                field: field.clone(),
                message: message.clone(),
            })
            .collect(),
    };
    axum::Json(reply).into_response()
}

/// An existing profile YAML, read into the form (and checked).
pub async fn new_upload(
    State(app): State<Arc<App>>,
    Path(lang): Path<String>,
    uri: Uri,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let lang = lang_or_404!(app, lang, uri);
    let read = async {
        let multipart = multipart.map_err(|e| Failure::rejected(e.status(), e.body_text()))?;
        let parts = work::read_parts(multipart, &[("profile", TEXT_CAP)]).await?;
        let upload = work::required(&parts, "profile")?;
        let name = work::plain_name(upload.file_name.as_deref(), "profile.yaml");
        work::decode_text(&name, &upload.bytes).map(|text| (name, text))
    };
    let (name, text) = match read.await {
        Ok(x) => x,
        Err(f) => return upload_failed(&app, lang, &uri, f),
    };
    let values = match form::from_yaml(&text) {
        Ok(v) => v,
        Err(message) => {
            return upload_failed(
                &app,
                lang,
                &uri,
                Failure::Invalid(vec![work::Problem::whole(format!("{name}: {message}"))]),
            );
        }
    };
    let mut checked = check(&app, lang, &values);
    // Problems of the file itself (an unknown field, say) are found in the file as written.
    if let Err(f) = work::profile(&name, &text) {
        for problem in by_field(&f) {
            if !checked.errors.contains(&problem) {
                checked.errors.push(problem);
            }
        }
    }
    new_page(&app, lang, &uri, &values, Some(&checked), None)
}

fn upload_failed(app: &App, lang: Lang, uri: &Uri, f: Failure) -> Response {
    let status = f.status();
    let checked = Checked {
        yaml: String::new(),
        file_name: String::new(),
        errors: by_field(&f),
        tier: TierPanel::default(),
        profile: None,
    };
    let mut values = Values::new();
    values.insert("procurement.language".into(), lang.code().into());
    let mut r = new_page(app, lang, uri, &values, Some(&checked), None);
    *r.status_mut() = status;
    r
}

// ---------------------------------------------------------------- 条項ライブラリ

#[derive(Debug, Default, Deserialize)]
pub struct ClauseFilter {
    tier: Option<String>,
    requirement: Option<String>,
    #[serde(rename = "type")]
    contract_type: Option<String>,
    stage: Option<String>,
}

fn contract_type_of(s: Option<&str>) -> Option<ContractType> {
    s.and_then(|s| ContractType::from_str(s, false).ok())
}

/// The choices of a contract-type filter, with "all" first when `all` is given.
fn contract_type_options(
    app: &App,
    lang: Lang,
    chosen: Option<ContractType>,
    all: Option<&str>,
) -> Vec<Opt> {
    let labels = app.templates.labels(lang);
    all.map(|label| Opt {
        value: String::new(),
        label: label.to_string(),
        selected: chosen.is_none(),
    })
    .into_iter()
    .chain(ContractType::ALL.iter().map(|t| {
        Opt {
            value: t.key().to_string(),
            label: labels
                .get(format!("contract_type_{}", t.key()).as_str())
                .copied()
                .unwrap_or(t.key())
                .to_string(),
            selected: chosen == Some(*t),
        }
    }))
    .collect()
}

#[derive(Serialize)]
struct ClausesPage {
    clauses: Vec<ClauseRow>,
    tiers: Vec<Opt>,
    contract_types: Vec<Opt>,
    requirements: Vec<Opt>,
    error: String,
    count: usize,
}

#[derive(Serialize)]
struct Opt {
    value: String,
    label: String,
    selected: bool,
}

pub async fn clauses(
    State(app): State<Arc<App>>,
    Path(lang): Path<String>,
    uri: Uri,
    Query(filter): Query<ClauseFilter>,
) -> Response {
    let lang = lang_or_404!(app, lang, uri);
    let tier = filter
        .tier
        .as_deref()
        .and_then(|t| t.parse::<u8>().ok())
        .filter(|t| (MIN..=MAX).contains(t));
    let requirement = filter.requirement.as_deref().filter(|r| !r.is_empty());
    let kind = contract_type_of(filter.contract_type.as_deref());
    let (clauses, error) = match list(&app.library, tier, kind, requirement, lang) {
        Ok(c) => (c, String::new()),
        Err(e) => (
            Vec::new(),
            crate::error::report(&e)
                .trim_start_matches("error: ")
                .to_string(),
        ),
    };
    let labels = app.templates.labels(lang);
    let mut tiers = vec![Opt {
        value: String::new(),
        label: labels.get("ui_all").copied().unwrap_or("").to_string(),
        selected: tier.is_none(),
    }];
    tiers.extend((MIN..=MAX).map(|t| Opt {
        value: t.to_string(),
        label: tier_name(&app.library, t, lang),
        selected: tier == Some(t),
    }));
    let mut requirements = vec![Opt {
        value: String::new(),
        label: labels.get("ui_all").copied().unwrap_or("").to_string(),
        selected: requirement.is_none(),
    }];
    requirements.extend(app.library.requirements.iter().map(|r| Opt {
        value: r.id.clone(),
        label: format!("{} {}", r.id, r.title.get(lang)),
        selected: requirement == Some(r.id.as_str()),
    }));
    let count = clauses.len();
    let type_names: BTreeMap<String, String> = contract_type_options(&app, lang, None, None)
        .into_iter()
        .map(|o| (o.value, o.label))
        .collect();
    let clauses = clauses
        .into_iter()
        .map(|c| ClauseRow {
            contract_types: c
                .contract_types
                .iter()
                .map(|t| type_names.get(t.key()).cloned().unwrap_or_default())
                .collect::<Vec<_>>()
                .join("、"),
            id: c.id,
            title: c.title,
            requirements: c.requirements.join(", "),
            min_tier: c.min_tier,
        })
        .collect();
    let all = labels.get("ui_all").copied().unwrap_or("");
    let contract_types = contract_type_options(&app, lang, kind, Some(all));
    let mut r = render(
        &app,
        lang,
        "web/clauses.html",
        "clauses",
        "ui_nav_clauses",
        &uri,
        ClausesPage {
            clauses,
            tiers,
            contract_types,
            requirements,
            error: error.clone(),
            count,
        },
    );
    if !error.is_empty() {
        *r.status_mut() = StatusCode::BAD_REQUEST;
    }
    r
}

/// One row of the clause list.
#[derive(Serialize)]
struct ClauseRow {
    id: String,
    title: String,
    requirements: String,
    contract_types: String,
    min_tier: u8,
}

#[derive(Serialize)]
struct ClausePage {
    id: String,
    title: String,
    tier: u8,
    tier_name: String,
    min_tier: u8,
    body_html: String,
    requirements: Vec<(String, String)>,
    parameters: Vec<(String, String, String, String)>,
    references: Vec<(String, String)>,
    tiers: Vec<Opt>,
    /// The contract types the clause applies to, the one shown selected.
    contract_types: Vec<Opt>,
    stages: Vec<Opt>,
}

pub async fn clause(
    State(app): State<Arc<App>>,
    Path((lang, id)): Path<(String, String)>,
    uri: Uri,
    Query(q): Query<ClauseFilter>,
) -> Response {
    let lang = lang_or_404!(app, lang, uri);
    let tier = q.tier.as_deref().and_then(|t| t.parse::<u8>().ok());
    let kind = contract_type_of(q.contract_type.as_deref());
    let stage = q
        .stage
        .as_deref()
        .and_then(|s| Stage::from_str(s, false).ok());
    let flags = match app.templates.flag_words(lang) {
        Ok(f) => f,
        Err(_) => return not_found(State(app.clone()), uri).await,
    };
    let view = match show(&app.library, &id, tier, kind, stage, lang, flags) {
        Ok(v) => v,
        Err(_) => return not_found(State(app.clone()), uri).await,
    };
    let page = ClausePage {
        id: view.clause.id.clone(),
        title: view.title.clone(),
        tier: view.tier,
        tier_name: tier_name(&app.library, view.tier, lang),
        min_tier: view.clause.min_tier,
        body_html: markdown::to_html(&view.body),
        requirements: view.requirements.clone(),
        parameters: view
            .parameters
            .iter()
            .map(|p| {
                (
                    p.name.clone(),
                    p.label.clone(),
                    p.value.clone(),
                    p.unit.clone(),
                )
            })
            .collect(),
        references: view.references.clone(),
        tiers: (view.clause.min_tier.max(MIN)..=MAX)
            .map(|t| Opt {
                value: t.to_string(),
                label: tier_name(&app.library, t, lang),
                selected: t == view.tier,
            })
            .collect(),
        contract_types: contract_type_options(&app, lang, Some(view.contract_type), None)
            .into_iter()
            .filter(|o| {
                view.clause
                    .contract_types
                    .iter()
                    .any(|t| t.key() == o.value)
            })
            .collect(),
        stages: Stage::ALL
            .iter()
            .map(|s| Opt {
                value: s.key().to_string(),
                label: app
                    .templates
                    .labels(lang)
                    .get(format!("ui_stage_{}", s.key()).as_str())
                    .copied()
                    .unwrap_or(s.key())
                    .to_string(),
                selected: *s == view.stage,
            })
            .collect(),
    };
    render(
        &app,
        lang,
        "web/clause.html",
        "clauses",
        "ui_nav_clauses",
        &uri,
        page,
    )
}

#[derive(Serialize)]
struct MatrixPage {
    tiers: Vec<String>,
    /// One table per contract type.
    contract_types: Vec<MatrixTable>,
}

#[derive(Serialize)]
struct MatrixTable {
    key: String,
    name: String,
    rows: Vec<MatrixRow>,
}

#[derive(Serialize)]
struct MatrixRow {
    requirement: String,
    title: String,
    keyed: bool,
    cells: Vec<Vec<String>>,
}

pub async fn matrix(State(app): State<Arc<App>>, Path(lang): Path<String>, uri: Uri) -> Response {
    let lang = lang_or_404!(app, lang, uri);
    let rows = coverage(&app.library);
    let names = contract_type_options(&app, lang, None, None);
    let contract_types = ContractType::ALL
        .iter()
        .zip(names)
        .map(|(kind, name)| MatrixTable {
            key: kind.key().to_string(),
            name: name.label,
            rows: rows
                .iter()
                .map(|row| MatrixRow {
                    title: app
                        .library
                        .requirement(&row.requirement)
                        .map_or("", |r| r.title.get(lang))
                        .to_string(),
                    requirement: row.requirement.clone(),
                    keyed: row.keyed,
                    cells: (MIN..=MAX).map(|t| row.at(*kind, t).to_vec()).collect(),
                })
                .collect(),
        })
        .collect();
    let page = MatrixPage {
        tiers: (MIN..=MAX)
            .map(|t| tier_name(&app.library, t, lang))
            .collect(),
        contract_types,
    };
    render(
        &app,
        lang,
        "web/matrix.html",
        "matrix",
        "ui_nav_matrix",
        &uri,
        page,
    )
}

// ---------------------------------------------------------------- uploads: compare, evaluate

/// A page that takes uploads and shows a result: the result, or the problems.
#[derive(Serialize)]
struct ResultPage<T: Serialize> {
    result: Option<T>,
    errors: Vec<String>,
}

/// Which page: its templates (whole and results only), nav key, title label and the parts
/// its form sends.
struct UploadPage {
    page: &'static str,
    part: &'static str,
    nav: &'static str,
    title_key: &'static str,
    parts: &'static [(&'static str, usize)],
}

const COMPARE: UploadPage = UploadPage {
    page: "web/compare.html",
    part: "web/compare_result.html",
    nav: "compare",
    title_key: "ui_nav_compare",
    parts: api::DIFF_PARTS,
};

const EVALUATE: UploadPage = UploadPage {
    page: "web/evaluate.html",
    part: "web/evaluate_result.html",
    nav: "evaluate",
    title_key: "ui_nav_evaluate",
    parts: EVALUATE_PARTS,
};

fn wants_fragment(headers: &HeaderMap) -> bool {
    headers
        .get("x-requested-with")
        .is_some_and(|v| v.as_bytes() == b"fetch")
}

/// The empty page of an upload form.
fn upload_form(app: &App, lang: Lang, uri: &Uri, which: &UploadPage) -> Response {
    let empty: ResultPage<()> = ResultPage {
        result: None,
        errors: Vec::new(),
    };
    render(
        app,
        lang,
        which.page,
        which.nav,
        which.title_key,
        uri,
        empty,
    )
}

/// Read the uploads, run `work` on them off the async threads, and answer with the whole page
/// or (for the script) the results part only, with the failure's status when it failed.
async fn upload_result<T: Serialize + Send + 'static>(
    app: &App,
    lang: Lang,
    uri: &Uri,
    headers: &HeaderMap,
    which: &UploadPage,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
    work: impl FnOnce(std::collections::BTreeMap<String, work::Upload>) -> Result<T, Failure>
    + Send
    + 'static,
) -> Response {
    let result = async {
        let multipart = multipart.map_err(|e| Failure::rejected(e.status(), e.body_text()))?;
        let parts = work::read_parts(multipart, which.parts).await?;
        tokio::task::spawn_blocking(move || work(parts))
            .await
            .map_err(|e| Failure::Internal(e.to_string()))?
    }
    .await;
    let (status, page) = match result {
        Ok(r) => (
            StatusCode::OK,
            ResultPage {
                result: Some(r),
                errors: Vec::new(),
            },
        ),
        Err(f) => (
            f.status(),
            ResultPage {
                result: None,
                errors: f.problems().into_iter().map(|p| p.message).collect(),
            },
        ),
    };
    let mut response = if wants_fragment(headers) {
        match fragment(app, lang, which.part, &page) {
            Ok(html) => Html(html).into_response(),
            Err(f) => f.into_response(),
        }
    } else {
        render(app, lang, which.page, which.nav, which.title_key, uri, page)
    };
    *response.status_mut() = status;
    response
}

#[derive(Serialize)]
struct CompareResult {
    old: String,
    new: String,
    identical: bool,
    redline: String,
    shinkyu: String,
}

pub async fn compare(State(app): State<Arc<App>>, Path(lang): Path<String>, uri: Uri) -> Response {
    let lang = lang_or_404!(app, lang, uri);
    upload_form(&app, lang, &uri, &COMPARE)
}

/// Two contract versions → the 新旧対照表 and the redline, in the page.
pub async fn compare_submit(
    State(app): State<Arc<App>>,
    Path(lang): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let lang = lang_or_404!(app, lang, uri);
    let shared = Arc::clone(&app);
    upload_result(
        &app,
        lang,
        &uri,
        &headers,
        &COMPARE,
        multipart,
        move |parts| {
            let redline = api::compare(&shared, &parts, DiffFormat::Html)?;
            let shinkyu = api::compare(&shared, &parts, DiffFormat::Shinkyu)?;
            let name =
                |n: &str| work::plain_name(parts.get(n).and_then(|u| u.file_name.as_deref()), n);
            Ok(CompareResult {
                old: name("old"),
                new: name("new"),
                identical: redline.identical,
                redline: work::body_of(&String::from_utf8_lossy(&redline.bytes)).to_string(),
                shinkyu: work::body_of(&String::from_utf8_lossy(&shinkyu.bytes)).to_string(),
            })
        },
    )
    .await
}

#[derive(Serialize)]
struct EvaluateResult {
    lang: String,
    html: String,
}

pub async fn evaluate(State(app): State<Arc<App>>, Path(lang): Path<String>, uri: Uri) -> Response {
    let lang = lang_or_404!(app, lang, uri);
    upload_form(&app, lang, &uri, &EVALUATE)
}

/// A profile and a returned questionnaire → the evaluation, in the page.
pub async fn evaluate_submit(
    State(app): State<Arc<App>>,
    Path(lang): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let lang = lang_or_404!(app, lang, uri);
    let app2 = app.clone();
    upload_result(
        &app,
        lang,
        &uri,
        &headers,
        &EVALUATE,
        multipart,
        move |parts| {
            let ev = api::evaluation(&app2, &parts, "md")?;
            Ok(EvaluateResult {
                lang: ev.lang.code().into(),
                html: markdown::to_html(&ev.markdown),
            })
        },
    )
    .await
}
