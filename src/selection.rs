//! Which clauses a procurement gets: those of its tier, less the profile's exclusions, with
//! every parameter resolved (the profile's value, else the library's default for the tier).

use std::collections::{BTreeMap, BTreeSet};

use crate::error::{Error, SourceError};
use crate::library::{
    Clause, Library, ParamType, ParamValue, ParameterSpec, body_variables, parameters_shown,
};
use crate::profile::{Profile, sources};
use crate::tier::{self, TierDecision};

#[derive(Debug, Clone)]
pub struct Selection<'a> {
    pub library: &'a Library,
    pub profile: &'a Profile,
    pub decision: TierDecision,
    /// In library order.
    pub clauses: Vec<SelectedClause<'a>>,
    /// Clauses of the tier the profile excluded, with its reasons, in library order.
    pub excluded: Vec<(&'a Clause, String)>,
    /// Every parameter the selected clauses use, by name.
    pub parameters: Vec<ResolvedParameter<'a>>,
    /// Things worth telling the user that are not errors, such as a parameter the profile
    /// sets that no selected clause uses at this tier.
    pub notes: Vec<SourceError>,
}

#[derive(Debug, Clone)]
pub struct SelectedClause<'a> {
    pub clause: &'a Clause,
    /// The values of the parameters its body uses.
    pub values: BTreeMap<String, ParamValue>,
}

#[derive(Debug, Clone)]
pub struct ResolvedParameter<'a> {
    pub name: String,
    pub spec: &'a ParameterSpec,
    pub value: ParamValue,
    /// Set by the profile rather than the library default.
    pub from_profile: bool,
    /// IDs of the selected clauses that use it.
    pub clauses: Vec<String>,
}

/// Select the clauses for `profile` from `library`. Profile problems that need the library
/// to be found (unknown parameter or clause, wrong type) are reported with their place.
pub fn select<'a>(library: &'a Library, profile: &'a Profile) -> Result<Selection<'a>, Error> {
    let decision = tier::decide(profile, &library.rule)?;
    let t = decision.tier;
    let mut problems: Vec<SourceError> = Vec::new();

    let mut overrides: BTreeMap<&str, ParamValue> = BTreeMap::new();
    for (name, value) in &profile.parameters {
        let at = &value.referenced;
        let Some(spec) = library.parameters.get(name) else {
            let known = library.parameters.keys().map(String::as_str);
            let hint = match closest(name, known) {
                Some(near) => format!("did you mean `{near}`?"),
                None => "`chotatsu show CLAUSE-ID` lists the parameters of a clause".to_string(),
            };
            problems.push(profile.error_at(at, format!("unknown parameter `{name}`; {hint}")));
            continue;
        };
        match check_value(spec, &value.value) {
            Ok(()) => {
                overrides.insert(name, value.value.clone());
            }
            Err(msg) => problems.push(profile.error_at(at, format!("parameter `{name}`: {msg}"))),
        }
    }

    let mut excluded_ids: BTreeMap<&str, &str> = BTreeMap::new();
    for x in &profile.exclusions {
        match library.clause(&x.clause) {
            None => {
                let ids = library.clauses.iter().map(|c| c.id.as_str());
                let hint = closest(&x.clause, ids)
                    .map(|near| format!("; did you mean {near}?"))
                    .unwrap_or_else(|| "; `chotatsu list` shows every clause".into());
                problems.push(profile.error_at(
                    &x.at,
                    format!("unknown clause `{}` in tailoring.exclude{hint}", x.clause),
                ));
            }
            Some(c) if c.min_tier > t => problems.push(profile.error_at(
                &x.at,
                format!(
                    "clause {} is not selected at tier {t} (it applies from tier {}), so it cannot be excluded",
                    c.id, c.min_tier
                ),
            )),
            Some(c) => {
                if excluded_ids.insert(&c.id, &x.reason).is_some() {
                    problems.push(profile.error_at(
                        &x.at,
                        format!("clause {} is excluded twice", c.id),
                    ));
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(sources(problems));
    }

    let mut clauses = Vec::new();
    let mut excluded = Vec::new();
    let mut used: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for clause in library.clauses.iter().filter(|c| c.min_tier <= t) {
        if let Some(reason) = excluded_ids.get(clause.id.as_str()) {
            excluded.push((clause, reason.to_string()));
            continue;
        }
        let mut values = BTreeMap::new();
        for name in clause_parameters(clause) {
            if let Some((key, spec)) = library.parameters.get_key_value(&name) {
                let value = overrides
                    .get(name.as_str())
                    .cloned()
                    .or_else(|| spec.default.for_tier(t).cloned());
                if let Some(value) = value {
                    values.insert(name.clone(), value);
                    used.entry(key).or_default().push(clause.id.clone());
                }
            }
        }
        let bodies: Vec<&str> = [clause.body.ja.as_deref(), clause.body.en.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        let shown = parameters_shown(&bodies, &values, t);
        for (name, ids) in used.iter_mut() {
            if !shown.contains(*name) && ids.last() == Some(&clause.id) {
                ids.pop();
            }
        }
        used.retain(|_, ids| !ids.is_empty());
        clauses.push(SelectedClause { clause, values });
    }

    let notes = profile
        .parameters
        .iter()
        .filter(|(name, _)| overrides.contains_key(name.as_str()) && !used.contains_key(name.as_str()))
        .map(|(name, value)| {
            profile.error_at(
                &value.referenced,
                format!("no clause selected at tier {t} uses parameter `{name}`; the value has no effect"),
            )
        })
        .collect();
    let parameters = used
        .into_iter()
        .filter_map(|(name, clause_ids)| {
            let spec = library.parameters.get(name)?;
            let from_profile = overrides.contains_key(name);
            let value = overrides
                .get(name)
                .cloned()
                .or_else(|| spec.default.for_tier(t).cloned())?;
            Some(ResolvedParameter {
                name: name.to_string(),
                spec,
                value,
                from_profile,
                clauses: clause_ids,
            })
        })
        .collect();

    Ok(Selection {
        library,
        profile,
        decision,
        clauses,
        excluded,
        parameters,
        notes,
    })
}

/// The candidate nearest to `name` in edit distance, if it is near enough to be a typo
/// (or `name` is a part of it). Ties go to the alphabetically first.
pub fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (edit_distance(name, c), c))
        // Near enough: at most a third of the characters differ, or it is a part of it.
        .filter(|(d, c)| d * 3 <= name.chars().count() || (name.len() >= 4 && c.contains(name)))
        .min()
        .map(|(_, c)| c)
}

/// Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`: a swap such as
/// `titel` for `title` is one typo, not two.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows of the optimal-string-alignment table.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut row = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            row[j] = (prev[j - 1] + cost).min(row[j - 1] + 1).min(prev[j] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(before[j - 2] + 1);
            }
        }
        before = std::mem::replace(&mut prev, row);
    }
    prev[b.len()]
}

/// The parameters a clause's bodies use (both languages), excluding `tier`.
pub fn clause_parameters(clause: &Clause) -> BTreeSet<String> {
    [clause.body.ja.as_deref(), clause.body.en.as_deref()]
        .into_iter()
        .flatten()
        .filter_map(|b| body_variables(b).ok())
        .flatten()
        .filter(|v| v != "tier")
        .collect()
}

/// A value's type and bounds against its parameter's declaration.
pub fn check_value(spec: &ParameterSpec, value: &ParamValue) -> Result<(), String> {
    if value.kind() != spec.kind {
        return Err(format!(
            "expected {}, found {} `{}`",
            spec.kind,
            value.kind(),
            match value {
                ParamValue::String(s) => s.clone(),
                other => other.display(crate::lang::Lang::En),
            }
        ));
    }
    if let (ParamValue::Integer(n), ParamType::Integer) = (value, spec.kind) {
        if let Some(min) = spec.min
            && *n < min
        {
            return Err(format!("{n} is below the minimum {min}"));
        }
        if let Some(max) = spec.max
            && *n > max
        {
            return Err(format!("{n} is above the maximum {max}"));
        }
    }
    if let ParamValue::String(s) = value
        && s.trim().is_empty()
    {
        return Err("must not be empty".into());
    }
    Ok(())
}
