//! Which clauses a procurement gets: those of its tier and contract type, less the profile's
//! exclusions, with every parameter resolved (the profile's value, else the library's default
//! for the tier), and the lifecycle budget table those values imply.

use std::collections::{BTreeMap, BTreeSet};

use crate::budget::BudgetTable;
use crate::error::{Error, LibraryProblems, SourceError};
use crate::facts::{ContractType, Stage};
use crate::lang::Lang;
use crate::library::{
    BodyContext, Clause, Facts, Library, ParamValue, ParameterSpec, clause_parameters,
    parameters_shown, render_body,
};
use crate::profile::{Profile, sources};
use crate::tier::{self, TierDecision};

#[derive(Debug, Clone)]
pub struct Selection<'a> {
    pub library: &'a Library,
    pub profile: &'a Profile,
    pub decision: TierDecision,
    pub contract_type: ContractType,
    /// In library order.
    pub clauses: Vec<SelectedClause<'a>>,
    /// Clauses of the tier and contract type the profile excluded, with its reasons, in
    /// library order.
    pub excluded: Vec<(&'a Clause, String)>,
    /// Every parameter the selected clauses use, by name.
    pub parameters: Vec<ResolvedParameter<'a>>,
    /// The lifecycle budget table: the fiscal years of the contract and support periods,
    /// with the profile's planned amounts.
    pub budget: BudgetTable,
    /// Things worth telling the user that are not errors, such as a parameter the profile
    /// sets that no selected clause uses at this tier.
    pub notes: Vec<SourceError>,
}

#[derive(Debug, Clone)]
pub struct SelectedClause<'a> {
    pub clause: &'a Clause,
    /// The values of the parameters its body uses.
    pub values: BTreeMap<String, ParamValue>,
    /// For each stage it is used in, the parameters its text shows there (see
    /// [`parameters_shown`]): what a document's table of values lists.
    pub shown: BTreeMap<Stage, BTreeSet<String>>,
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

impl<'a> Selection<'a> {
    /// The selected clauses that appear in the document of `stage`, in library order.
    pub fn in_stage(&self, stage: Stage) -> impl Iterator<Item = &SelectedClause<'a>> {
        self.clauses
            .iter()
            .filter(move |c| c.clause.in_stage(stage))
    }

    /// The value in force of parameter `name`: the profile's, else the tier default.
    pub fn parameter(&self, name: &str) -> Option<ParamValue> {
        parameter_value(self.library, self.profile, name, self.decision.tier)
    }

    /// The context a clause body of this selection renders in at `stage`.
    pub fn body_context<'s>(
        &self,
        stage: Stage,
        articles: &'s BTreeMap<String, String>,
    ) -> BodyContext<'s> {
        BodyContext {
            tier: self.decision.tier,
            stage,
            contract_type: self.contract_type,
            articles,
        }
    }
}

/// The value of parameter `name` for `profile` at `tier`: the profile's, else the default.
pub fn parameter_value(
    library: &Library,
    profile: &Profile,
    name: &str,
    tier: u8,
) -> Option<ParamValue> {
    profile
        .parameters
        .get(name)
        .map(|v| v.value.clone())
        .or_else(|| {
            library
                .parameters
                .get(name)?
                .default
                .for_tier(tier)
                .cloned()
        })
}

/// Select the clauses for `profile` from `library`, for documents in both languages.
/// Profile problems that need the library to be found (unknown parameter or clause, wrong
/// type, a clause excluded that another refers to) are reported with their place.
pub fn select<'a>(library: &'a Library, profile: &'a Profile) -> Result<Selection<'a>, Error> {
    select_in(library, profile, &Lang::ALL)
}

/// [`select`] for documents in `languages` only: which parameters a clause shows, and which
/// clauses it refers to, are read from the texts in those languages. `check` holds the two
/// languages of every clause to the same parameters, values shown and references, so a one-language
/// document is worked out from half the texts and says what a two-language package would.
pub fn select_in<'a>(
    library: &'a Library,
    profile: &'a Profile,
    languages: &[Lang],
) -> Result<Selection<'a>, Error> {
    let decision = tier::decide(profile, &library.rule)?;
    let t = decision.tier;
    let kind = profile.procurement.contract_type;
    let mut problems: Vec<SourceError> = Vec::new();

    let mut overrides: BTreeMap<&str, ParamValue> = BTreeMap::new();
    for (name, value) in &profile.parameters {
        let at = &value.referenced;
        let path = format!("parameters.{name}");
        let Some(spec) = library.parameters.get(name) else {
            let known = library.parameters.keys().map(String::as_str);
            let hint = match closest(name, known) {
                Some(near) => format!("did you mean `{near}`?"),
                None => "`chotatsu show CLAUSE-ID` lists the parameters of a clause".to_string(),
            };
            problems.push(profile.error_at(
                at,
                &path,
                format!("unknown parameter `{name}`; {hint}"),
            ));
            continue;
        };
        match spec.check(&value.value) {
            Ok(()) => {
                overrides.insert(name, value.value.clone());
            }
            Err(msg) => {
                problems.push(profile.error_at(at, &path, format!("parameter `{name}`: {msg}")))
            }
        }
    }

    // A parameter that must stay below another (a subcontractor's notice below the
    // Contractor's) is checked on the values this procurement uses.
    for (name, spec) in &library.parameters {
        let Some(other) = &spec.less_than else {
            continue;
        };
        let value = |n: &str| {
            overrides.get(n).cloned().or_else(|| {
                library
                    .parameters
                    .get(n)
                    .and_then(|s| s.default.for_tier(t).cloned())
            })
        };
        if let (Some(ParamValue::Integer(a)), Some(ParamValue::Integer(b))) =
            (value(name), value(other))
            && a >= b
        {
            let blamed = if profile.parameters.contains_key(name.as_str()) {
                name.as_str()
            } else {
                other.as_str()
            };
            if let Some(v) = profile.parameters.get(blamed) {
                problems.push(profile.error_at(
                    &v.referenced,
                    &format!("parameters.{blamed}"),
                    format!(
                        "`{name}` ({a}) must be less than `{other}` ({b}): a subcontractor's notice has to reach the Contractor before the Contractor's own notice is due"
                    ),
                ));
            }
        }
    }

    let mut excluded_ids: BTreeMap<&str, (&str, &crate::profile::Exclusion)> = BTreeMap::new();
    for x in &profile.exclusions {
        match library.clause(&x.clause) {
            None => {
                let ids = library.clauses.iter().map(|c| c.id.as_str());
                let hint = closest(&x.clause, ids)
                    .map(|near| format!("; did you mean {near}?"))
                    .unwrap_or_else(|| "; `chotatsu list` shows every clause".into());
                problems.push(profile.error_at(
                    &x.at,
                    &x.path,
                    format!("unknown clause `{}` in tailoring.exclude{hint}", x.clause),
                ));
            }
            Some(c) if c.min_tier > t => problems.push(profile.error_at(
                &x.at,
                &x.path,
                format!(
                    "clause {} is not selected at tier {t} (it applies from tier {}), so it cannot be excluded",
                    c.id, c.min_tier
                ),
            )),
            Some(c) if !c.contract_types.contains(&kind) => problems.push(profile.error_at(
                &x.at,
                &x.path,
                format!(
                    "clause {} does not apply to {kind} contracts, so it cannot be excluded",
                    c.id
                ),
            )),
            Some(c)
                if !c.holds(Facts {
                    personal_data: profile.system.personal_data,
                    critical_infrastructure: profile.system.critical_infrastructure,
                }) =>
            {
                problems.push(profile.error_at(
                    &x.at,
                    &x.path,
                    format!(
                        "clause {} applies only where `system.{}` is true, so it cannot be excluded",
                        c.id,
                        c.when.map_or("", |w| w.key())
                    ),
                ))
            }
            Some(c) => {
                if excluded_ids.insert(&c.id, (&x.reason, x)).is_some() {
                    problems.push(profile.error_at(
                        &x.at,
                        &x.path,
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
    let no_articles = BTreeMap::new();
    let facts = Facts {
        personal_data: profile.system.personal_data,
        critical_infrastructure: profile.system.critical_infrastructure,
    };
    for clause in library
        .clauses
        .iter()
        .filter(|c| c.applies(kind, t) && c.holds(facts))
    {
        if let Some((reason, _)) = excluded_ids.get(clause.id.as_str()) {
            excluded.push((clause, reason.to_string()));
            continue;
        }
        let mut values = BTreeMap::new();
        for name in clause_parameters(clause, languages) {
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
        let bodies: Vec<&str> = languages
            .iter()
            .filter_map(|&lang| clause.body.in_lang(lang))
            .collect();
        // Article numbers are left out: they never depend on a parameter, so which
        // parameters a text shows is the same with or without them.
        let shown: BTreeMap<Stage, BTreeSet<String>> = clause
            .stages
            .iter()
            .map(|&stage| {
                let ctx = BodyContext {
                    tier: t,
                    stage,
                    contract_type: kind,
                    articles: &no_articles,
                };
                (stage, parameters_shown(&bodies, &values, &ctx))
            })
            .collect();
        for (name, ids) in used.iter_mut() {
            if !shown.values().any(|s| s.contains(*name)) && ids.last() == Some(&clause.id) {
                ids.pop();
            }
        }
        used.retain(|_, ids| !ids.is_empty());
        clauses.push(SelectedClause {
            clause,
            values,
            shown,
        });
    }

    // A selected clause may not refer to one that is not in the document.
    let selected_ids: BTreeSet<&str> = clauses.iter().map(|c| c.clause.id.as_str()).collect();
    let mut referrers: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for selected in &clauses {
        for cited in cites_in_use(selected, t, kind, languages)? {
            if !selected_ids.contains(cited.as_str()) {
                referrers
                    .entry(cited)
                    .or_default()
                    .insert(selected.clause.id.clone());
            }
        }
    }
    let mut dangling = Vec::new();
    for (cited, by) in &referrers {
        let by: Vec<&str> = by.iter().map(String::as_str).collect();
        match excluded_ids.get(cited.as_str()) {
            Some((_, x)) => problems.push(profile.error_at(
                &x.at,
                &x.path,
                format!(
                    "clause {cited} cannot be excluded: {} refer{} to it (exclude {} too, or keep {cited})",
                    by.join(", "),
                    if by.len() == 1 { "s" } else { "" },
                    if by.len() == 1 { "it" } else { "them" },
                ),
            )),
            None => dangling.push(format!(
                "clause {} refer{} to clause {cited}, which does not apply to {kind} contracts at tier {t}",
                by.join(", "),
                if by.len() == 1 { "s" } else { "" },
            )),
        }
    }
    if !problems.is_empty() {
        return Err(sources(problems));
    }
    if !dangling.is_empty() {
        return Err(Error::Library(LibraryProblems(dangling)));
    }

    let notes = profile
        .parameters
        .iter()
        .filter(|(name, _)| overrides.contains_key(name.as_str()) && !used.contains_key(name.as_str()))
        .map(|(name, value)| {
            profile.error_at(
                &value.referenced,
                &format!("parameters.{name}"),
                format!("no clause selected at tier {t} uses parameter `{name}`; the value has no effect"),
            )
        })
        .collect();
    let parameters: Vec<ResolvedParameter> = used
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
    // A support period beyond the contract only when a selected clause sets one (a service
    // subscription has none: it ends with the contract).
    let support_years = parameters
        .iter()
        .find(|p: &&ResolvedParameter| p.name == crate::budget::SUPPORT_YEARS)
        .and_then(|p| match p.value {
            ParamValue::Integer(n) => u32::try_from(n).ok(),
            _ => None,
        });
    let budget = BudgetTable::new(profile, support_years)?;

    Ok(Selection {
        library,
        profile,
        decision,
        contract_type: kind,
        clauses,
        excluded,
        parameters,
        budget,
        notes,
    })
}

/// The clauses a selected clause refers to as it renders for this procurement, at every
/// stage it appears in and in each of `languages`.
fn cites_in_use(
    selected: &SelectedClause<'_>,
    tier: u8,
    kind: ContractType,
    languages: &[Lang],
) -> Result<BTreeSet<String>, Error> {
    let c = selected.clause;
    let articles = BTreeMap::new();
    let mut cites = BTreeSet::new();
    for &stage in &c.stages {
        let ctx = BodyContext {
            tier,
            stage,
            contract_type: kind,
            articles: &articles,
        };
        for &lang in languages {
            let body =
                render_body(c.body.get(lang), &selected.values, &ctx).map_err(|message| {
                    Error::Template {
                        name: format!("{} ({lang}, clause {})", c.file, c.id),
                        message,
                    }
                })?;
            cites.extend(body.cites);
        }
    }
    Ok(cites)
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
