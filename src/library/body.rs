//! Clause bodies are small Tera templates: `{{ parameter }}`, `{% if tier >= 3 %}`,
//! `{% if stage == "rfp" %}`, `{% if contract_type == "saas" %}`, and
//! `{{ article(id="LIFE-04") }}`, which renders the article number of another clause in the
//! document being written (第5条 / Article 5).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use tera::{Context, Kwargs, State, Tera};

use crate::memo::Memo;

use super::model::{Clause, ParamValue};
use crate::facts::{ContractType, Stage};
use crate::lang::Lang;
use crate::render::markdown;

const NAME: &str = "clause.md";

/// The name of the template function that refers to another clause.
pub const ARTICLE_FUNCTION: &str = "article";

/// The variables a body may use besides parameters.
pub const BUILTIN_VARIABLES: [&str; 3] = ["tier", "stage", "contract_type"];

/// What a body is rendered for: the procurement's tier, contract type and stage, and the
/// article label of every clause in the document (`LIFE-04` → `第5条`).
#[derive(Debug, Clone, Copy)]
pub struct BodyContext<'a> {
    pub tier: u8,
    pub stage: Stage,
    pub contract_type: ContractType,
    pub articles: &'a BTreeMap<String, String>,
}

/// A rendered body and the clauses it referred to (through `article`) while rendering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedBody {
    pub text: String,
    pub cites: BTreeSet<String>,
}

/// A compiled body: its Tera instance, the article labels its `article` function reads
/// (set before each render) and the clause IDs it looked up while rendering.
struct Compiled {
    /// The body's source text.
    src: Box<str>,
    /// `None` for a body without a `{`: plain text, which Tera would write as it is (a sixth
    /// of the bundled bodies).
    tera: Option<Tera>,
    /// The variables the body uses, in any branch (see [`body_variables`]).
    variables: BTreeSet<String>,
    /// Whether the body names the [`ARTICLE_FUNCTION`] anywhere: one that does not reads no
    /// article number, whatever the document's numbering.
    reads_articles: bool,
    articles: Articles,
    cites: Cites,
}

type Articles = Arc<Mutex<Arc<BTreeMap<String, String>>>>;
type Cites = Arc<Mutex<BTreeSet<String>>>;

thread_local! {
    /// A Tera instance set up for clause bodies (Markdown escaping), cloned for each body:
    /// each body keeps its own instance, so nothing one body defines reaches another, and a
    /// clone costs a fraction of setting up Tera's built-in filters, tests and functions
    /// again.
    static BLANK: Tera = markdown::tera();
}

fn compile(src: &str) -> Result<Compiled, String> {
    if is_plain(src) {
        return Ok(Compiled {
            src: src.into(),
            tera: None,
            variables: BTreeSet::new(),
            reads_articles: false,
            articles: Arc::default(),
            cites: Arc::default(),
        });
    }
    super::sandbox::check(src)?;
    let mut tera = BLANK.with(Tera::clone);
    let cites: Cites = Arc::new(Mutex::new(BTreeSet::new()));
    let articles: Articles = Arc::default();
    let record = Arc::clone(&cites);
    let labels = Arc::clone(&articles);
    tera.register_function(
        ARTICLE_FUNCTION,
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let id: String = kwargs.must_get("id")?;
            if let Ok(mut seen) = record.lock() {
                seen.insert(id.clone());
            }
            let label = labels.lock().ok().and_then(|a| a.get(&id).cloned());
            // An ID not in the document renders as a mark; the caller reports it.
            Ok(label.unwrap_or_else(|| format!("⟦{id}⟧")))
        },
    );
    tera.add_raw_template(NAME, src)
        .map_err(|e| e.to_string())?;
    let variables = tera
        .get_template_variables(NAME)
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(str::to_string)
        .collect();
    Ok(Compiled {
        src: src.into(),
        variables,
        reads_articles: src.contains(ARTICLE_FUNCTION),
        tera: Some(tera),
        articles,
        cites,
    })
}

/// Whether a body is plain text: no tag, expression or comment can start without a `{`.
fn is_plain(src: &str) -> bool {
    !src.contains('{')
}

thread_local! {
    /// Bodies compiled on this thread, by source text. A document renders each body several
    /// times (every parameter is tried in [`parameters_shown`]) and a batch renders the same
    /// bodies for every profile; compiling (sandbox check, lexing, parsing) was most of the
    /// time. Only bodies that compiled are kept, so the cache holds at most one entry per
    /// body of the libraries loaded, never anything a profile supplies.
    static COMPILED: std::cell::RefCell<std::collections::HashMap<String, std::rc::Rc<Compiled>>> =
        std::cell::RefCell::default();
}

thread_local! {
    /// The last body compiled or found for each place in memory a source text was read from:
    /// a library's bodies are asked for again and again from where it holds them, and
    /// comparing the text found there with the one remembered is much quicker than hashing it
    /// to look it up. A place whose text changed (a library dropped, another loaded) is looked
    /// up again by its text.
    static BY_PLACE: std::cell::RefCell<std::collections::HashMap<(usize, usize), std::rc::Rc<Compiled>>> =
        std::cell::RefCell::default();
}

fn compiled(src: &str) -> Result<std::rc::Rc<Compiled>, String> {
    let place = (src.as_ptr() as usize, src.len());
    if let Some(found) = BY_PLACE.with_borrow(|c| c.get(&place).cloned())
        && *found.src == *src
    {
        return Ok(found);
    }
    let found = match COMPILED.with_borrow(|c| c.get(src).cloned()) {
        Some(found) => found,
        None => {
            let fresh = std::rc::Rc::new(compile(src)?);
            COMPILED.with_borrow_mut(|c| c.insert(src.to_string(), std::rc::Rc::clone(&fresh)));
            fresh
        }
    };
    BY_PLACE.with_borrow_mut(|c| {
        // Bounded as the bodies are: one place per body of the libraries loaded, or start
        // again.
        if c.len() >= BY_PLACE_LIMIT {
            c.clear();
        }
        c.insert(place, std::rc::Rc::clone(&found))
    });
    Ok(found)
}

/// Places remembered by [`compiled`] before it starts again.
const BY_PLACE_LIMIT: usize = 16_384;

/// The variables a body uses, whether or not the branch that uses them is taken.
pub fn body_variables(src: &str) -> Result<BTreeSet<String>, String> {
    Ok(compiled(src)?.variables.clone())
}

/// The clause IDs a body refers to through `article(id="…")`, in every branch, read from
/// the template text. An `article` call whose `id` is not a quoted literal is an error.
pub fn body_cites(src: &str) -> Result<BTreeSet<String>, String> {
    let mut cites = BTreeSet::new();
    let call = format!("{ARTICLE_FUNCTION}(");
    let mut rest = src;
    while let Some(i) = rest.find(&call) {
        let after = &rest[i + call.len()..];
        let arg = after.trim_start();
        let literal = arg
            .strip_prefix("id")
            .map(str::trim_start)
            .and_then(|a| a.strip_prefix('='))
            .map(str::trim_start)
            .and_then(|a| {
                let quote = a.chars().next().filter(|c| *c == '"' || *c == '\'')?;
                let inner = &a[1..];
                let end = inner.find(quote)?;
                let tail = inner[end + 1..].trim_start();
                tail.starts_with(')').then(|| inner[..end].to_string())
            });
        match literal {
            Some(id) => {
                cites.insert(id);
            }
            None => {
                let shown: String = rest[i..].chars().take(40).collect();
                return Err(format!(
                    "`{shown}…`: write a clause reference as {ARTICLE_FUNCTION}(id=\"CLAUSE-ID\")"
                ));
            }
        }
        rest = after;
    }
    Ok(cites)
}

/// Render a body with its parameter values. String values are escaped as Markdown text, so
/// a profile cannot inject markup through a parameter.
pub fn render_body(
    src: &str,
    values: &BTreeMap<String, ParamValue>,
    ctx: &BodyContext<'_>,
) -> Result<RenderedBody, String> {
    let Some(key) = BodyKey::new(&[src], values, ctx) else {
        return render_fresh(src, values, ctx);
    };
    let key = match RENDERED.with_borrow_mut(|m| m.get(key)) {
        Ok(found) => return Ok(found),
        Err(key) => key,
    };
    // A render that referred to no clause read no article number: the one made without
    // them (as selection renders) is this one.
    if let Some(found) = key
        .without_numbering()
        .and_then(|k| RENDERED.with_borrow_mut(|m| m.find(&k)))
        .filter(|r| r.cites.is_empty())
    {
        return Ok(found);
    }
    // A body that fails to render is not remembered: the error is given each time.
    let rendered = render_fresh(src, values, ctx)?;
    RENDERED.with_borrow_mut(|m| m.insert(key, rendered.clone()));
    Ok(rendered)
}

/// [`render_body`] done: the template rendered.
fn render_fresh(
    src: &str,
    values: &BTreeMap<String, ParamValue>,
    ctx: &BodyContext<'_>,
) -> Result<RenderedBody, String> {
    let body = compiled(src)?;
    let out = render_bytes(&body, values, ctx)?;
    let out = String::from_utf8(out).map_err(|e| e.to_string())?;
    let cites = body.cites.lock().map(|c| c.clone()).unwrap_or_default();
    Ok(RenderedBody {
        text: out.trim_end().to_string(),
        cites,
    })
}

/// The compiled body rendered, as the bytes Tera wrote; the clauses it referred to are left
/// in `body.cites`.
fn render_bytes(
    body: &Compiled,
    values: &BTreeMap<String, ParamValue>,
    ctx: &BodyContext<'_>,
) -> Result<Vec<u8>, String> {
    let Some(tera) = &body.tera else {
        return within_limit(body.src.as_bytes().to_vec());
    };
    // The numbering is the same for every body of a document: copied only when it changed
    // (a copy per body was a sixth of a batch's time).
    if let Ok(mut articles) = body.articles.lock()
        && **articles != *ctx.articles
    {
        *articles = Arc::new(ctx.articles.clone());
    }
    if let Ok(mut cites) = body.cites.lock() {
        cites.clear();
    }
    let mut context = Context::new();
    for (name, value) in values {
        context.insert(name.clone(), value);
    }
    context.insert("tier", &ctx.tier);
    context.insert("stage", ctx.stage.key());
    context.insert("contract_type", ctx.contract_type.key());
    let mut out = Vec::new();
    tera.render_to(NAME, &context, &mut out)
        .map_err(|e| e.to_string())?;
    within_limit(out)
}

/// A rendered body, unless it is longer than a clause may be.
fn within_limit(out: Vec<u8>) -> Result<Vec<u8>, String> {
    if out.len() > super::sandbox::MAX_BODY_BYTES {
        return Err(format!(
            "the rendered body is {} bytes, over the limit of {} bytes for a clause",
            out.len(),
            super::sandbox::MAX_BODY_BYTES
        ));
    }
    Ok(out)
}

/// Whether `out`, a body's rendering, reads otherwise than `text`, a rendering with its
/// trailing white space trimmed (as [`RenderedBody::text`]); `out` is read as text only
/// where it goes beyond `text`.
fn reads_otherwise(out: &[u8], text: &str) -> bool {
    match out.strip_prefix(text.as_bytes()) {
        Some(rest) => std::str::from_utf8(rest).map_or(true, |rest| !rest.trim_end().is_empty()),
        None => true,
    }
}

/// The parameters among `values` that a clause's bodies actually show in `ctx`: those whose
/// change changes the rendered text. A parameter used only in a branch not taken (the
/// penetration-test interval below tier 3, say) is not in force and is left out, so the
/// document's table of values lists only what the text says.
pub fn parameters_shown(
    bodies: &[&str],
    values: &BTreeMap<String, ParamValue>,
    ctx: &BodyContext<'_>,
) -> BTreeSet<String> {
    let Some(key) = BodyKey::new(bodies, values, ctx) else {
        return try_each_parameter(bodies, values, ctx);
    };
    crate::memo::remembered(&SHOWN, key, || try_each_parameter(bodies, values, ctx))
}

/// Everything rendering bodies depends on: the bodies (by their compiled template, one per
/// source text for the thread's life), the values and the context, its article labels by
/// their place in [`NUMBERINGS`].
#[derive(PartialEq, Eq, Hash)]
struct BodyKey {
    bodies: Vec<usize>,
    values: BTreeMap<String, ParamValue>,
    tier: u8,
    stage: Stage,
    contract_type: ContractType,
    articles: usize,
}

impl BodyKey {
    /// `None` when a body does not compile (nothing is remembered for it).
    fn new(
        bodies: &[&str],
        values: &BTreeMap<String, ParamValue>,
        ctx: &BodyContext<'_>,
    ) -> Option<BodyKey> {
        let compiled = bodies
            .iter()
            .map(|src| compiled(src).ok())
            .collect::<Option<Vec<_>>>()?;
        let reads_articles = compiled.iter().any(|c| c.reads_articles);
        let bodies = compiled
            .iter()
            .map(|c| std::rc::Rc::as_ptr(c) as usize)
            .collect();
        let articles = if reads_articles {
            numbering_place(ctx.articles)
        } else {
            ANY_NUMBERING
        };
        Some(BodyKey {
            bodies,
            values: values.clone(),
            tier: ctx.tier,
            stage: ctx.stage,
            contract_type: ctx.contract_type,
            articles,
        })
    }

    /// This key with no article numbers, when it has some and a render without them may
    /// be remembered.
    fn without_numbering(&self) -> Option<BodyKey> {
        if self.articles == ANY_NUMBERING {
            return None;
        }
        let none = NUMBERINGS.with_borrow(|seen| seen.iter().rposition(|a| a.is_empty()))?;
        (none != self.articles).then(|| BodyKey {
            bodies: self.bodies.clone(),
            values: self.values.clone(),
            articles: none,
            ..*self
        })
    }
}

/// The place of `articles` in [`NUMBERINGS`], added at the end if it is not there.
fn numbering_place(articles: &BTreeMap<String, String>) -> usize {
    NUMBERINGS.with_borrow_mut(|seen| {
        if let Some(i) = seen.iter().rposition(|a| **a == *articles) {
            return i;
        }
        if seen.len() >= NUMBERINGS_LIMIT {
            // Keys hold places in the list: forget them with it.
            seen.clear();
            SHOWN.with_borrow_mut(Memo::clear);
            RENDERED.with_borrow_mut(Memo::clear);
        }
        seen.push(Arc::new(articles.clone()));
        seen.len() - 1
    })
}

/// The numbering in the key of bodies that read no article number ([`Compiled`]): it
/// does not matter which, and none of [`NUMBERINGS`] is this far in.
const ANY_NUMBERING: usize = usize::MAX;

/// Answers remembered per thread in each generation (see [`crate::memo`]), and numberings.
const SHOWN_LIMIT: usize = 2048;
const RENDERED_LIMIT: usize = 1024;
const NUMBERINGS_LIMIT: usize = 64;

thread_local! {
    /// Bodies rendered on this thread, and the parameters they were found to show. A batch
    /// renders the same clauses with the same values for every profile with the same tier,
    /// contract type and selection (and a package asks which parameters a clause shows in
    /// each of its documents, a render per parameter): each is worked out once. Rendering is
    /// a pure function of the key, so what is remembered is what would be rendered again.
    static RENDERED: std::cell::RefCell<Memo<BodyKey, RenderedBody>> = const {
        std::cell::RefCell::new(Memo::new(RENDERED_LIMIT))
    };
    static SHOWN: std::cell::RefCell<Memo<BodyKey, BTreeSet<String>>> = const {
        std::cell::RefCell::new(Memo::new(SHOWN_LIMIT))
    };
    /// The article numberings seen (one per document), each kept once.
    static NUMBERINGS: std::cell::RefCell<Vec<Arc<BTreeMap<String, String>>>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// [`parameters_shown`] worked out: each parameter changed in turn, the bodies rendered
/// again.
fn try_each_parameter(
    bodies: &[&str],
    values: &BTreeMap<String, ParamValue>,
    ctx: &BodyContext<'_>,
) -> BTreeSet<String> {
    let mut shown = BTreeSet::new();
    // One copy of the values, each changed in turn and put back (a copy per parameter
    // was most of the time this took).
    let mut changed = values.clone();
    for src in bodies {
        // The base rendering is remembered: selection asks for it again for the clauses a
        // body refers to.
        let (Ok(body), Ok(base)) = (compiled(src), render_body(src, values, ctx)) else {
            // A body that does not render is reported by `check`; keep every value.
            return values.keys().cloned().collect();
        };
        for (name, value) in values {
            if shown.contains(name) {
                continue;
            }
            let Some(slot) = changed.get_mut(name) else {
                continue;
            };
            *slot = perturb(value);
            let differs = render_bytes(&body, &changed, ctx)
                .is_ok_and(|other| reads_otherwise(&other, &base.text));
            if let Some(slot) = changed.get_mut(name) {
                *slot = value.clone();
            }
            if differs {
                shown.insert(name.clone());
            }
        }
    }
    shown
}

/// The parameters a clause's bodies in `languages` use, without the built-in variables.
pub fn clause_parameters(clause: &Clause, languages: &[Lang]) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for body in languages
        .iter()
        .filter_map(|&lang| clause.body.in_lang(lang))
        .filter_map(|b| compiled(b).ok())
    {
        names.extend(
            body.variables
                .iter()
                .filter(|v| !BUILTIN_VARIABLES.contains(&v.as_str()))
                .cloned(),
        );
    }
    names
}

/// The clauses a clause's bodies refer to, in either language and any branch.
pub fn clause_cites(clause: &Clause) -> BTreeSet<String> {
    [clause.body.ja.as_deref(), clause.body.en.as_deref()]
        .into_iter()
        .flatten()
        .filter_map(|b| body_cites(b).ok())
        .flatten()
        .collect()
}

fn perturb(value: &ParamValue) -> ParamValue {
    match value {
        ParamValue::Boolean(b) => ParamValue::Boolean(!b),
        ParamValue::Integer(n) => ParamValue::Integer(n.wrapping_add(1)),
        ParamValue::String(s) => ParamValue::String(format!("{s}\u{2063}")),
        // A text that shows a set changes when it loses a value (or its only one).
        ParamValue::Set(v) => ParamValue::Set(v[..v.len().saturating_sub(1)].to_vec()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rendering_reads_otherwise_unless_it_differs_in_trailing_white_space_only() {
        assert!(!reads_otherwise("第5条の単価".as_bytes(), "第5条の単価"));
        assert!(!reads_otherwise(
            "第5条の単価\n\u{3000} \n".as_bytes(),
            "第5条の単価"
        ));
        assert!(reads_otherwise("第5条の単価。".as_bytes(), "第5条の単価"));
        assert!(reads_otherwise("第6条の単価".as_bytes(), "第5条の単価"));
        assert!(reads_otherwise("第5条".as_bytes(), "第5条の単価"));
    }

    /// A body without a `{` is not given to Tera: it renders as Tera renders it, for every
    /// such body of the bundled library.
    #[test]
    fn a_plain_body_renders_as_tera_renders_it() {
        let (library, _) = crate::library::Library::load_unchecked(None).unwrap();
        let library = library.unwrap();
        let plain: Vec<&str> = library
            .clauses
            .iter()
            .flat_map(|c| Lang::ALL.map(|lang| c.body.get(lang)))
            .filter(|b| is_plain(b))
            .collect();
        assert!(plain.len() >= 20, "{}", plain.len());
        let articles = BTreeMap::new();
        let ctx = BodyContext {
            tier: 1,
            stage: Stage::Contract,
            contract_type: ContractType::Development,
            articles: &articles,
        };
        for src in plain {
            let mut tera = Tera::default();
            tera.add_raw_template(NAME, src).unwrap();
            let by_tera = tera.render(NAME, &Context::new()).unwrap();
            let ours = render_body(src, &BTreeMap::new(), &ctx).unwrap();
            assert_eq!(ours.text, by_tera.trim_end(), "{src}");
            assert!(ours.cites.is_empty());
            assert!(body_variables(src).unwrap().is_empty());
        }
        let too_long = "あ".repeat(super::super::sandbox::MAX_BODY_BYTES);
        assert!(
            render_body(&too_long, &BTreeMap::new(), &ctx)
                .unwrap_err()
                .contains("over the limit")
        );
    }

    #[test]
    fn references_are_read_from_the_template() {
        let src = r#"{{ article(id="LIFE-04") }}の単価{% if tier >= 2 %}及び{{ article( id = 'VULN-01' ) }}{% endif %}"#;
        assert_eq!(
            body_cites(src).unwrap(),
            BTreeSet::from(["LIFE-04".to_string(), "VULN-01".to_string()])
        );
        assert!(body_cites("{{ article(id=x) }}").is_err());
    }

    #[test]
    fn references_render_as_the_article_and_are_recorded() {
        let articles = BTreeMap::from([("LIFE-04".to_string(), "第5条".to_string())]);
        let ctx = BodyContext {
            tier: 1,
            stage: Stage::Contract,
            contract_type: ContractType::Development,
            articles: &articles,
        };
        let src = r#"{{ article(id="LIFE-04") }}の単価{% if tier >= 2 %}、{{ article(id="VULN-01") }}{% endif %}"#;
        let out = render_body(src, &BTreeMap::new(), &ctx).unwrap();
        assert_eq!(out.text, "第5条の単価");
        assert_eq!(out.cites, BTreeSet::from(["LIFE-04".to_string()]));
    }

    #[test]
    fn a_render_is_remembered_across_numberings_only_when_the_body_reads_none() {
        let numbering = |label: &str| BTreeMap::from([("LIFE-04".to_string(), label.to_string())]);
        let (fifth, seventh) = (numbering("第5条"), numbering("第7条"));
        let ctx = |articles| BodyContext {
            tier: 2,
            stage: Stage::Contract,
            contract_type: ContractType::Development,
            articles,
        };
        let citing = r#"{{ article(id="LIFE-04") }}に定める期間{% if tier >= 2 %}内{% endif %}"#;
        let plain = "受注者は{% if tier >= 2 %}直ちに{% endif %}通知する。";
        for _ in 0..2 {
            let text = |src, articles| {
                render_body(src, &BTreeMap::new(), &ctx(articles))
                    .unwrap()
                    .text
            };
            assert_eq!(text(citing, &fifth), "第5条に定める期間内");
            assert_eq!(text(citing, &seventh), "第7条に定める期間内");
            assert_eq!(text(plain, &fifth), "受注者は直ちに通知する。");
            assert_eq!(text(plain, &seventh), "受注者は直ちに通知する。");
        }
    }
}
