//! Checks on the merged library's meaning: everything `chotatsu check` rejects beyond what
//! parsing already caught. Each problem names the file and the clause, parameter or entry.

use std::collections::{BTreeMap, BTreeSet};

use super::{
    BUILTIN_VARIABLES, BodyContext, Library, body_cites, body_variables, clause_parameters,
    coverage, parameters_shown, render_body,
};
use crate::facts::{ContractType, Stage, clause_ids_in, identifiers_in, is_clause_id};
use crate::lang::{Lang, Text};
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
        if let Some(chapter) = &r.chapter {
            missing_text(&at, "chapter", chapter, problems);
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
    for (name, text) in lib.reasons.all() {
        missing_text(&format!("{file}: reasons"), name, text, problems);
    }
}

fn check_parameters(lib: &Library, problems: &mut Vec<String>) {
    for (name, spec) in &lib.parameters {
        let at = format!("{}: parameter `{name}`", spec.file);
        missing_text(&at, "label", &spec.label, problems);
        if let Some(unit) = &spec.unit {
            missing_text(&at, "unit", unit, problems);
        }
        match (spec.kind, spec.choices.is_empty(), &spec.join) {
            (super::ParamType::Set, true, _) => problems.push(format!(
                "{at}: a set needs `choices` (its values and their labels)"
            )),
            (super::ParamType::Set, false, None) => problems.push(format!(
                "{at}: a set needs `join`, the word before its last value in a document (又は / or)"
            )),
            (super::ParamType::Set, false, Some(join)) => {
                missing_text(&at, "join", join, problems);
                let mut seen = BTreeSet::new();
                for c in &spec.choices {
                    if !seen.insert(&c.value) {
                        problems.push(format!("{at}: choice `{}` is listed twice", c.value));
                    }
                    missing_text(&at, &format!("choice `{}`", c.value), &c.label, problems);
                }
            }
            (kind, false, _) | (kind, _, Some(_)) => problems.push(format!(
                "{at}: `choices` and `join` are only for sets, not {kind}"
            )),
            _ => {}
        }
        if let super::ParamDefault::Same(v) = &spec.default {
            if let Err(msg) = spec.check(v) {
                problems.push(format!("{at}: default: {msg}"));
            }
            continue;
        }
        for tier in MIN..=MAX {
            match spec.default.for_tier(tier) {
                None => problems.push(format!("{at}: no default for tier {tier}")),
                Some(v) => {
                    if let Err(msg) = spec.check(v) {
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
        if let Some(other) = &spec.less_than {
            match lib.parameters.get(other) {
                None => problems.push(format!("{at}: less_than names unknown parameter `{other}`")),
                Some(o) => {
                    for tier in MIN..=MAX {
                        if let (
                            Some(super::ParamValue::Integer(a)),
                            Some(super::ParamValue::Integer(b)),
                        ) = (spec.default.for_tier(tier), o.default.for_tier(tier))
                            && a >= b
                        {
                            problems.push(format!(
                                "{at}: default for tier {tier} ({a}) is not below `{other}` ({b})"
                            ));
                        }
                    }
                }
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

/// Words of the bidding stage that a contract text must not use.
pub const BIDDING_WORDS: [(&str, &str); 5] = [
    ("ja", "提案"),
    ("ja", "入札"),
    ("en", "Proposer"),
    ("en", "proposal"),
    ("en", "bidder"),
];

fn check_body(lib: &Library, clause: &super::Clause, at: &str, problems: &mut Vec<String>) {
    let before = problems.len();
    if clause.contract_types.is_empty() {
        problems.push(format!(
            "{at}: applies to no contract type (contract_types: one or more of {})",
            ContractType::listing()
        ));
    }
    if clause.stages.is_empty() {
        problems.push(format!(
            "{at}: appears in no document (stages: rfp, contract or both)"
        ));
    }
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
                for v in vars
                    .iter()
                    .filter(|v| !BUILTIN_VARIABLES.contains(&v.as_str()))
                {
                    if !lib.parameters.contains_key(v) {
                        problems.push(format!("{at}: {lang} body uses undefined parameter `{v}`"));
                    }
                }
            }
        }
        match body_cites(src) {
            Err(e) => problems.push(format!("{at}: {lang} body: {e}")),
            Ok(cites) => {
                for id in cites.iter().filter(|id| lib.clause(id).is_none()) {
                    problems.push(format!(
                        "{at}: {lang} body refers to unknown clause {id} (article(id=\"{id}\"))"
                    ));
                }
            }
        }
    }
    if let (Ok(ja), Ok(en)) = (
        body_variables(clause.body.get(Lang::Ja)),
        body_variables(clause.body.get(Lang::En)),
    ) && ja != en
    {
        let only = |a: &BTreeSet<String>, b: &BTreeSet<String>| {
            a.difference(b).cloned().collect::<Vec<_>>().join(", ")
        };
        problems.push(format!(
            "{at}: ja and en use different parameters (ja only: {}; en only: {})",
            only(&ja, &en),
            only(&en, &ja)
        ));
    }
    // Render in every situation the clause is used in, with the defaults: catches misuse
    // that only shows when rendering (a filter on the wrong type, a reference to a clause
    // that is not in the same document, wording of the wrong stage).
    if problems.len() > before {
        return;
    }
    let params = clause_parameters(clause, &Lang::ALL);
    let mut reported: BTreeSet<String> = BTreeSet::new();
    for tier in clause.min_tier.max(MIN)..=MAX {
        let values: BTreeMap<String, _> = params
            .iter()
            .filter_map(|p| {
                let v = lib.parameters.get(p)?.default.for_tier(tier)?;
                Some((p.clone(), v.clone()))
            })
            .collect();
        for &kind in &clause.contract_types {
            for &stage in &clause.stages {
                let articles: BTreeMap<String, String> = lib
                    .clauses
                    .iter()
                    .filter(|c| {
                        c.applies(kind, tier)
                            && c.in_stage(stage)
                            && (c.when.is_none() || c.when == clause.when)
                    })
                    .map(|c| (c.id.clone(), "第1条".to_string()))
                    .collect();
                let ctx = BodyContext {
                    tier,
                    stage,
                    contract_type: kind,
                    articles: &articles,
                };
                let mut rendered: Vec<(Lang, super::RenderedBody)> = Vec::new();
                for lang in Lang::ALL {
                    let src = clause.body.get(lang);
                    if src.trim().is_empty() {
                        continue;
                    }
                    let mut report = |p: String| {
                        if reported.insert(p.clone()) {
                            problems.push(p);
                        }
                    };
                    let shown = super::values_for_reader(&lib.parameters, &values, lang);
                    let body = match render_body(src, &shown, &ctx) {
                        Ok(b) => b,
                        Err(e) => {
                            report(format!(
                                "{at}: {lang} body does not render at tier {tier} ({kind}, {stage}): {e}"
                            ));
                            continue;
                        }
                    };
                    for id in body.cites.iter().filter(|id| !articles.contains_key(*id)) {
                        report(format!(
                            "{at}: {lang} body refers to clause {id}, which is not in the {stage} document for {kind} contracts at tier {tier}"
                        ));
                    }
                    running_text(lib, at, lang, stage, &body.text, &mut report);
                    rendered.push((lang, body));
                }
                // The two languages must say the same: numbers, references, paragraphs
                // and items.
                if let [(_, ja), (_, en)] = rendered.as_slice() {
                    let mut found = super::parity::differences(&ja.text, &en.text);
                    if ja.cites != en.cites {
                        let list =
                            |c: &BTreeSet<String>| c.iter().cloned().collect::<Vec<_>>().join(", ");
                        found.push(format!(
                            "clause references differ (ja: {}; en: {})",
                            list(&ja.cites),
                            list(&en.cites)
                        ));
                    }
                    // A one-language document works out its table of values from its own
                    // language (`selection::select_in`): both must show the same values.
                    let shown = |lang| parameters_shown(&[clause.body.get(lang)], &values, &ctx);
                    let (ja_shown, en_shown) = (shown(Lang::Ja), shown(Lang::En));
                    if ja_shown != en_shown {
                        let list =
                            |s: &BTreeSet<String>| s.iter().cloned().collect::<Vec<_>>().join(", ");
                        found.push(format!(
                            "the values shown differ (ja: {}; en: {})",
                            list(&ja_shown),
                            list(&en_shown)
                        ));
                    }
                    for d in found {
                        let p =
                            format!("{at}: ja and en differ at tier {tier} ({kind}, {stage}): {d}");
                        if reported.insert(p.clone()) {
                            problems.push(p);
                        }
                    }
                }
            }
        }
    }
}

/// What a reader must never see in a clause's rendered text: a clause ID (references go
/// through `article`), a parameter identifier, or bidding words in the contract.
fn running_text(
    lib: &Library,
    at: &str,
    lang: Lang,
    stage: Stage,
    text: &str,
    report: &mut impl FnMut(String),
) {
    // A reference to a clause outside the document renders as ⟦ID⟧ and is reported above.
    let shown: String = without_code_spans(text)
        .split('⟦')
        .map(|part| part.split_once('⟧').map_or(part, |(_, rest)| rest))
        .collect::<Vec<_>>()
        .join(" ");
    let text = shown.as_str();
    for id in clause_ids_in(text) {
        if lib.clause(id).is_some() {
            report(format!(
                "{at}: {lang} body names clause {id} in its text; refer to it with {{{{ article(id=\"{id}\") }}}}"
            ));
        }
    }
    for word in identifiers_in(text) {
        report(format!(
            "{at}: {lang} body shows the identifier `{word}` to the reader (a technical value may be written as `code`)"
        ));
    }
    if stage == Stage::Contract {
        for (l, word) in BIDDING_WORDS {
            if l == lang.code() && text.contains(word) {
                report(format!(
                    "{at}: {lang} contract text uses the bidding word 「{word}」; word it for the RFP only ({{% if stage == \"rfp\" %}}) or for the contract"
                ));
            }
        }
    }
}

/// The text without its `code` spans, which may hold technical values such as VEX statuses.
fn without_code_spans(text: &str) -> String {
    text.split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 0)
        .map(|(_, part)| part)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every keyed requirement has at least `minimum_clauses_per_tier` clauses for every
/// contract type at every tier.
fn check_coverage(lib: &Library, problems: &mut Vec<String>) {
    let minimum = lib.minimum_clauses_per_tier;
    for row in coverage(lib).iter().filter(|r| r.keyed) {
        for kind in ContractType::ALL {
            for tier in MIN..=MAX {
                // A clause that depends on a fact of the system does not count: the
                // minimum must hold for every system.
                let found: Vec<String> = row
                    .at(kind, tier)
                    .iter()
                    .filter(|id| lib.clause(id).is_some_and(|c| c.when.is_none()))
                    .cloned()
                    .collect();
                if found.is_empty() {
                    problems.push(format!(
                        "requirement {}: no clause applies to {kind} contracts at tier {tier}",
                        row.requirement
                    ));
                } else if found.len() < minimum {
                    problems.push(format!(
                        "requirement {}: {} clause{} for {kind} contracts at tier {tier} ({}), fewer than the minimum of {minimum} set in requirements.yaml",
                        row.requirement,
                        found.len(),
                        if found.len() == 1 { "" } else { "s" },
                        found.join(", ")
                    ));
                }
            }
        }
    }
}
