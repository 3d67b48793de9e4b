//! Checks on the merged library's meaning: everything `chotatsu check` rejects beyond what
//! parsing already caught. Each problem names the file and the clause, parameter or entry.

use std::collections::{BTreeMap, BTreeSet};

use super::{Library, body_variables, coverage, render_body};
use crate::lang::{Lang, Text};
use crate::render::markdown::is_clause_id;
use crate::selection::{check_value, clause_parameters};
use crate::tier::{MAX, MIN};

/// Every problem found, in a stable order.
pub fn check(lib: &Library) -> Vec<String> {
    let mut problems = Vec::new();
    check_requirements(lib, &mut problems);
    check_tiers(lib, &mut problems);
    check_parameters(lib, &mut problems);
    check_references(lib, &mut problems);
    for clause in &lib.clauses {
        let at = format!("{}: clause {}", clause.file, clause.id);
        if !is_clause_id(&clause.id) {
            problems.push(format!(
                "{at}: invalid clause ID (use upper-case letters and digits in `-`-separated groups, e.g. SPEC-01)"
            ));
        }
        if clause.requirements.is_empty() {
            problems.push(format!("{at}: cites no requirement"));
        }
        for r in &clause.requirements {
            if lib.requirement(r).is_none() {
                problems.push(format!("{at}: cites unknown requirement `{r}`"));
            }
        }
        if !(MIN..=MAX).contains(&clause.min_tier) {
            problems.push(format!(
                "{at}: min_tier {} is not a tier ({MIN}-{MAX})",
                clause.min_tier
            ));
        }
        missing_text(&at, "title", &clause.title, &mut problems);
        missing_text(&at, "body", &clause.body, &mut problems);
        for r in &clause.references {
            if lib.reference(r).is_none() && lib.requirement(r).is_none() {
                problems.push(format!(
                    "{at}: cites unknown reference `{r}` (add it to references.yaml)"
                ));
            }
        }
        // A requirement ID in `references` is allowed, but traceability to outside practice
        // needs at least one identifier from references.yaml.
        if !clause.references.iter().any(|r| lib.reference(r).is_some()) {
            problems.push(format!(
                "{at}: cites no known reference (at least one identifier from references.yaml is required)"
            ));
        }
        check_body(lib, clause, &at, &mut problems);
    }
    check_coverage(lib, &mut problems);
    super::question_check::check_questions(lib, &mut problems);
    problems
}

fn missing_text(at: &str, field: &str, text: &Text, problems: &mut Vec<String>) {
    for lang in text.missing() {
        problems.push(format!("{at}: missing {lang} {field}"));
    }
}

fn check_requirements(lib: &Library, problems: &mut Vec<String>) {
    let file = "clause-library/requirements.yaml";
    let mut seen = BTreeSet::new();
    for d in &lib.duties {
        missing_text(
            &format!("{file}: duty {}", d.id),
            "title",
            &d.title,
            problems,
        );
    }
    for r in &lib.requirements {
        let at = format!("{file}: requirement {}", r.id);
        if !seen.insert(&r.id) {
            problems.push(format!("{at}: duplicate requirement ID"));
        }
        if !lib.duties.iter().any(|d| d.id == r.duty) {
            problems.push(format!("{at}: unknown duty {}", r.duty));
        }
        missing_text(&at, "title", &r.title, problems);
        match (&r.summary, r.keyed) {
            (Some(s), _) => missing_text(&at, "summary", s, problems),
            (None, true) => problems.push(format!("{at}: a keyed requirement needs a summary")),
            (None, false) => {}
        }
    }
}

fn check_tiers(lib: &Library, problems: &mut Vec<String>) {
    let file = "clause-library/tiers.yaml";
    let levels: Vec<u8> = lib.tiers.iter().map(|t| t.level).collect();
    if levels != (MIN..=MAX).collect::<Vec<_>>() {
        problems.push(format!(
            "{file}: tiers must be exactly {MIN}..{MAX} in order, found {levels:?}"
        ));
    }
    for t in &lib.tiers {
        let at = format!("{file}: tier {}", t.level);
        missing_text(&at, "name", &t.name, problems);
        missing_text(&at, "description", &t.description, problems);
    }
    let rule = &lib.rule;
    for (name, v) in [
        ("rule.impact.low", rule.impact.low),
        ("rule.impact.moderate", rule.impact.moderate),
        ("rule.impact.high", rule.impact.high),
        (
            "rule.internet_facing_personal_data_minimum",
            rule.internet_facing_personal_data_minimum,
        ),
    ] {
        if !(MIN..=MAX).contains(&v) {
            problems.push(format!("{file}: {name}: {v} is not a tier ({MIN}-{MAX})"));
        }
    }
    missing_text(
        &format!("{file}: rule"),
        "description",
        &rule.description,
        problems,
    );
}

fn check_parameters(lib: &Library, problems: &mut Vec<String>) {
    for (name, spec) in &lib.parameters {
        let at = format!("{}: parameter `{name}`", spec.file);
        missing_text(&at, "label", &spec.label, problems);
        if let Some(unit) = &spec.unit {
            missing_text(&at, "unit", unit, problems);
        }
        if let super::ParamDefault::Same(v) = &spec.default {
            if let Err(msg) = check_value(spec, v) {
                problems.push(format!("{at}: default: {msg}"));
            }
            continue;
        }
        for tier in MIN..=MAX {
            match spec.default.for_tier(tier) {
                None => problems.push(format!("{at}: no default for tier {tier}")),
                Some(v) => {
                    if let Err(msg) = check_value(spec, v) {
                        problems.push(format!("{at}: default for tier {tier}: {msg}"));
                    }
                }
            }
        }
        if let super::ParamDefault::ByTier(m) = &spec.default {
            for t in m.keys().filter(|t| !(MIN..=MAX).contains(*t)) {
                problems.push(format!("{at}: default for tier {t}, which is not a tier"));
            }
        }
    }
}

fn check_references(lib: &Library, problems: &mut Vec<String>) {
    let mut seen = BTreeSet::new();
    for r in &lib.references {
        let at = format!("reference `{}`", r.id);
        if !seen.insert(&r.id) {
            problems.push(format!("{at}: duplicate reference ID"));
        }
        missing_text(&at, "title", &r.title, problems);
    }
}

fn check_body(lib: &Library, clause: &super::Clause, at: &str, problems: &mut Vec<String>) {
    let before = problems.len();
    for lang in Lang::ALL {
        let src = clause.body.get(lang);
        if src.trim().is_empty() {
            continue;
        }
        match body_variables(src) {
            Err(e) => {
                let e = e.strip_prefix("error: ").unwrap_or(&e);
                problems.push(format!("{at}: {lang} body is not a valid template: {e}"));
                continue;
            }
            Ok(vars) => {
                for v in vars.iter().filter(|v| *v != "tier") {
                    if !lib.parameters.contains_key(v) {
                        problems.push(format!("{at}: {lang} body uses undefined parameter `{v}`"));
                    }
                }
            }
        }
    }
    // Render at every tier the clause applies to, with the defaults: catches misuse that
    // only shows when rendering (a filter on the wrong type, say).
    if problems.len() > before {
        return;
    }
    let params = clause_parameters(clause);
    for tier in clause.min_tier.max(MIN)..=MAX {
        let values: BTreeMap<String, _> = params
            .iter()
            .filter_map(|p| {
                let v = lib.parameters.get(p)?.default.for_tier(tier)?;
                Some((p.clone(), v.clone()))
            })
            .collect();
        for lang in Lang::ALL {
            let src = clause.body.get(lang);
            if src.trim().is_empty() {
                continue;
            }
            if let Err(e) = render_body(src, &values, tier) {
                problems.push(format!(
                    "{at}: {lang} body does not render at tier {tier}: {e}"
                ));
            }
        }
    }
}

/// Every keyed requirement has at least `minimum_clauses_per_tier` clauses at every tier.
fn check_coverage(lib: &Library, problems: &mut Vec<String>) {
    let minimum = lib.minimum_clauses_per_tier;
    for row in coverage(lib).iter().filter(|r| r.keyed) {
        for tier in MIN..=MAX {
            let found = row.at(tier);
            if found.is_empty() {
                problems.push(format!(
                    "requirement {}: no clause applies at tier {tier}",
                    row.requirement
                ));
            } else if found.len() < minimum {
                problems.push(format!(
                    "requirement {}: {} clause{} at tier {tier} ({}), fewer than the minimum of {minimum} set in requirements.yaml",
                    row.requirement,
                    found.len(),
                    if found.len() == 1 { "" } else { "s" },
                    found.join(", ")
                ));
            }
        }
    }
}
