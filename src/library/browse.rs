//! Browsing the library: the clause listing (`chotatsu list`) and one clause as it reads at a
//! tier with the default parameters (`chotatsu show`).

use serde::Serialize;

use super::{Clause, Library, parameters_shown, render_body};
use crate::error::Error;
use crate::lang::Lang;
use crate::selection::clause_parameters;
use crate::tier::{MAX, MIN};

/// One line of `chotatsu list`; also its JSON shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClauseSummary {
    pub id: String,
    pub requirements: Vec<String>,
    pub min_tier: u8,
    pub title: String,
}

/// The clauses that apply at `tier` (all when `None`) and cite `requirement` (any when
/// `None`), in library order. An unknown requirement ID is a usage error.
pub fn list(
    lib: &Library,
    tier: Option<u8>,
    requirement: Option<&str>,
    lang: Lang,
) -> Result<Vec<ClauseSummary>, Error> {
    if let Some(r) = requirement
        && lib.requirement(r).is_none()
    {
        let keyed: Vec<&str> = lib.keyed_requirements().map(|r| r.id.as_str()).collect();
        return Err(Error::Usage(format!(
            "unknown requirement `{r}`; the keyed requirements are {}",
            keyed.join(", ")
        )));
    }
    Ok(lib
        .clauses
        .iter()
        .filter(|c| tier.is_none_or(|t| c.min_tier <= t))
        .filter(|c| requirement.is_none_or(|r| c.requirements.iter().any(|x| x == r)))
        .map(|c| ClauseSummary {
            id: c.id.clone(),
            requirements: c.requirements.clone(),
            min_tier: c.min_tier,
            title: c.title.get(lang).to_string(),
        })
        .collect())
}

/// A clause as `chotatsu show` prints it.
#[derive(Debug, Clone)]
pub struct ClauseView<'a> {
    pub clause: &'a Clause,
    pub tier: u8,
    pub lang: Lang,
    pub title: String,
    /// The body rendered at `tier` with the tier's default parameters.
    pub body: String,
    pub requirements: Vec<(String, String)>,
    pub parameters: Vec<ParameterView>,
    /// `(id, title)` of each reference, in the clause's order.
    pub references: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct ParameterView {
    pub name: String,
    pub label: String,
    pub value: String,
    pub unit: String,
}

/// The clause `id` rendered at `tier` (its own minimum tier when `None`). An unknown ID, or a
/// tier below the clause's minimum, is a usage error.
pub fn show<'a>(
    lib: &'a Library,
    id: &str,
    tier: Option<u8>,
    lang: Lang,
) -> Result<ClauseView<'a>, Error> {
    let Some(clause) = lib.clause(id) else {
        let upper = id.to_ascii_uppercase();
        let hint = match lib.clause(&upper) {
            Some(c) => format!(" (did you mean {}?)", c.id),
            None => {
                let prefix = upper.split('-').next().unwrap_or("");
                let similar: Vec<&str> = lib
                    .clauses
                    .iter()
                    .filter(|c| !prefix.is_empty() && c.id.starts_with(prefix))
                    .map(|c| c.id.as_str())
                    .collect();
                if similar.is_empty() {
                    "; `chotatsu list` shows every clause".to_string()
                } else {
                    format!("; similar IDs: {}", similar.join(", "))
                }
            }
        };
        return Err(Error::Usage(format!("unknown clause `{id}`{hint}")));
    };
    let tier = tier.unwrap_or(clause.min_tier.clamp(MIN, MAX));
    if tier < clause.min_tier {
        return Err(Error::Usage(format!(
            "clause {} applies from tier {}, so it has no text at tier {tier}",
            clause.id, clause.min_tier
        )));
    }
    let mut values = std::collections::BTreeMap::new();
    let mut parameters = Vec::new();
    for name in clause_parameters(clause) {
        let Some(spec) = lib.parameters.get(&name) else {
            continue;
        };
        let Some(value) = spec.default.for_tier(tier) else {
            continue;
        };
        parameters.push(ParameterView {
            name: name.clone(),
            label: spec.label.get(lang).to_string(),
            value: value.display(lang),
            unit: spec.unit.as_ref().map_or("", |u| u.get(lang)).to_string(),
        });
        values.insert(name, value.clone());
    }
    let bodies: Vec<&str> = [clause.body.ja.as_deref(), clause.body.en.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    let shown = parameters_shown(&bodies, &values, tier);
    parameters.retain(|p| shown.contains(&p.name));
    let body =
        render_body(clause.body.get(lang), &values, tier).map_err(|message| Error::Template {
            name: format!("{} ({lang}, clause {})", clause.file, clause.id),
            message,
        })?;
    Ok(ClauseView {
        clause,
        tier,
        lang,
        title: clause.title.get(lang).to_string(),
        body,
        requirements: clause
            .requirements
            .iter()
            .map(|r| {
                let title = lib.requirement(r).map_or("", |x| x.title.get(lang));
                (r.clone(), title.to_string())
            })
            .collect(),
        parameters,
        references: clause
            .references
            .iter()
            .map(|r| {
                let title = lib
                    .reference(r)
                    .map(|x| x.title.get(lang))
                    .or_else(|| lib.requirement(r).map(|x| x.title.get(lang)))
                    .unwrap_or("");
                (r.clone(), title.to_string())
            })
            .collect(),
    })
}
