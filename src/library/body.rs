//! Clause bodies are small Tera templates: `{{ parameter }}` and `{% if tier >= 3 %}`.

use std::collections::{BTreeMap, BTreeSet};

use tera::{Context, Tera};

use super::model::ParamValue;
use crate::render::markdown;

const NAME: &str = "clause.md";

fn compile(src: &str) -> Result<Tera, String> {
    super::sandbox::check(src)?;
    let mut tera = Tera::default();
    tera.autoescape_on([".md"]);
    tera.set_escape_fn(markdown::tera_escape);
    tera.add_raw_template(NAME, src)
        .map_err(|e| e.to_string())?;
    Ok(tera)
}

/// The variables a body uses, whether or not the branch that uses them is taken.
pub fn body_variables(src: &str) -> Result<BTreeSet<String>, String> {
    let tera = compile(src)?;
    let vars = tera
        .get_template_variables(NAME)
        .map_err(|e| e.to_string())?;
    Ok(vars.into_iter().map(str::to_string).collect())
}

/// Render a body with its parameter values and the tier. String values are escaped as
/// Markdown text, so a profile cannot inject markup through a parameter.
pub fn render_body(
    src: &str,
    values: &BTreeMap<String, ParamValue>,
    tier: u8,
) -> Result<String, String> {
    let tera = compile(src)?;
    let mut context = Context::new();
    for (name, value) in values {
        context.insert(name.clone(), value);
    }
    context.insert("tier", &tier);
    let out = tera.render(NAME, &context).map_err(|e| e.to_string())?;
    if out.len() > super::sandbox::MAX_BODY_BYTES {
        return Err(format!(
            "the rendered body is {} bytes, over the limit of {} bytes for a clause",
            out.len(),
            super::sandbox::MAX_BODY_BYTES
        ));
    }
    Ok(out.trim_end().to_string())
}

/// The parameters among `values` that a clause's bodies actually show at `tier`: those whose
/// change changes the rendered text. A parameter used only in a branch the tier does not take
/// (the penetration-test interval below tier 3, say) is not in force and is left out, so the
/// annex's parameters table lists only what the text says.
pub fn parameters_shown(
    bodies: &[&str],
    values: &BTreeMap<String, ParamValue>,
    tier: u8,
) -> BTreeSet<String> {
    let mut shown = BTreeSet::new();
    for src in bodies {
        let Ok(base) = render_body(src, values, tier) else {
            // A body that does not render is reported by `check`; keep every value.
            return values.keys().cloned().collect();
        };
        for (name, value) in values {
            if shown.contains(name) {
                continue;
            }
            let mut changed = values.clone();
            changed.insert(name.clone(), perturb(value));
            if render_body(src, &changed, tier).is_ok_and(|other| other != base) {
                shown.insert(name.clone());
            }
        }
    }
    shown
}

fn perturb(value: &ParamValue) -> ParamValue {
    match value {
        ParamValue::Boolean(b) => ParamValue::Boolean(!b),
        ParamValue::Integer(n) => ParamValue::Integer(n.wrapping_add(1)),
        ParamValue::String(s) => ParamValue::String(format!("{s}\u{2063}")),
    }
}
