//! Browsing the library: the clause listing (`chotatsu list`) and one clause as it reads at a
//! tier with the default parameters (`chotatsu show`).

use serde::Serialize;

use std::collections::BTreeMap;

use super::{
    BodyContext, Clause, Library, clause_cites, clause_parameters, parameters_shown, render_body,
    values_for_reader,
};
use crate::error::Error;
use crate::facts::{ContractType, MAX_TIER as MAX, MIN_TIER as MIN, Stage};
use crate::lang::Lang;

/// One line of `chotatsu list`; also its JSON shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClauseSummary {
    pub id: String,
    pub requirements: Vec<String>,
    pub contract_types: Vec<ContractType>,
    pub min_tier: u8,
    pub title: String,
    /// The clauses its text refers to (through `article`), in any branch.
    pub cites: Vec<String>,
}

/// The clauses that apply at `tier` (all when `None`), to contract type `kind` (any when
/// `None`) and cite `requirement` (any when `None`), in library order. An unknown
/// requirement ID is a usage error.
pub fn list(
    lib: &Library,
    tier: Option<u8>,
    kind: Option<ContractType>,
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
        .filter(|c| kind.is_none_or(|k| c.contract_types.contains(&k)))
        .filter(|c| requirement.is_none_or(|r| c.requirements.iter().any(|x| x == r)))
        .map(|c| ClauseSummary {
            id: c.id.clone(),
            requirements: c.requirements.clone(),
            contract_types: c.contract_types.clone(),
            min_tier: c.min_tier,
            title: c.title.get(lang).to_string(),
            cites: clause_cites(c).into_iter().collect(),
        })
        .collect())
}

/// A clause as `chotatsu show` prints it.
#[derive(Debug, Clone)]
pub struct ClauseView<'a> {
    pub clause: &'a Clause,
    pub tier: u8,
    pub contract_type: ContractType,
    pub stage: Stage,
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

/// The clause `id` rendered at `tier` (its own minimum tier when `None`) for contract type
/// `kind` (its first when `None`) in the document of `stage` (its contract text unless it is
/// only in the RFP). References to other clauses show as 第N条 with the article numbers of a
/// document holding every clause. An unknown ID, a tier below the clause's minimum, or a type
/// or stage it does not apply to, is a usage error.
pub fn show<'a>(
    lib: &'a Library,
    id: &str,
    tier: Option<u8>,
    kind: Option<ContractType>,
    stage: Option<Stage>,
    lang: Lang,
    flags: crate::facts::FlagWords<'_>,
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
    let kind = match kind {
        Some(k) if !clause.contract_types.contains(&k) => {
            return Err(Error::Usage(format!(
                "clause {} does not apply to {k} contracts (it applies to {})",
                clause.id,
                types_listing(clause)
            )));
        }
        Some(k) => k,
        None => clause
            .contract_types
            .first()
            .copied()
            .unwrap_or(ContractType::Development),
    };
    let stage = match stage {
        Some(s) if !clause.in_stage(s) => {
            return Err(Error::Usage(format!(
                "clause {} does not appear in the {s} document",
                clause.id
            )));
        }
        Some(s) => s,
        None if clause.in_stage(Stage::Contract) => Stage::Contract,
        None => Stage::Rfp,
    };
    let articles = article_numbers(lib, lang);
    let ctx = BodyContext {
        tier,
        stage,
        contract_type: kind,
        articles: &articles,
    };
    let mut values = BTreeMap::new();
    let mut parameters = Vec::new();
    for name in clause_parameters(clause, &Lang::ALL) {
        let Some(spec) = lib.parameters.get(&name) else {
            continue;
        };
        let Some(value) = spec.default.for_tier(tier) else {
            continue;
        };
        parameters.push(ParameterView {
            name: name.clone(),
            label: spec.label.get(lang).to_string(),
            value: spec.display(value, lang, flags),
            unit: spec.unit.as_ref().map_or("", |u| u.get(lang)).to_string(),
        });
        values.insert(name, value.clone());
    }
    let bodies: Vec<&str> = [clause.body.ja.as_deref(), clause.body.en.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    let shown = parameters_shown(&bodies, &values, &ctx);
    parameters.retain(|p| shown.contains(&p.name));
    let body = render_body(
        clause.body.get(lang),
        &values_for_reader(&lib.parameters, &values, lang),
        &ctx,
    )
    .map_err(|message| Error::Template {
        name: format!("{} ({lang}, clause {})", clause.file, clause.id),
        message,
    })?;
    Ok(ClauseView {
        clause,
        tier,
        contract_type: kind,
        stage,
        lang,
        title: clause.title.get(lang).to_string(),
        // As the document prints it: 項 and 号 numbered in Japanese, paragraphs in English.
        body: crate::annex::legal_form(&body.text, lang),
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

fn types_listing(clause: &Clause) -> String {
    clause
        .contract_types
        .iter()
        .map(|t| t.key())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Article numbers as if every clause of the library were in one document, in library order
/// after the definitions article: what `show` prints for a reference.
fn article_numbers(lib: &Library, lang: Lang) -> BTreeMap<String, String> {
    lib.clauses
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.clone(), crate::lang::article_label(i + 2, lang)))
        .collect()
}
