//! `chotatsu check` for disclosure questions: IDs, references to requirements, clauses,
//! parameters and other questions, texts in both languages, and expectations that fit the
//! answer type. Each problem names the file and the question.

use std::collections::{BTreeMap, BTreeSet};

use super::Library;
use super::question::{
    ANSWER_WORD_MAX, Accepted, AnswerType, Bound, DateBound, Expectation, NA, Question,
};
use crate::facts::is_clause_id;
use crate::lang::{Lang, Text};
use crate::library::ParamType;
use crate::tier::{MAX, MIN};

/// Excel's limit on the text of a list validation (the dropdown), commas included.
const DROPDOWN_LIMIT: usize = 255;
const MAX_WEIGHT: u32 = 10;

pub fn check_questions(lib: &Library, problems: &mut Vec<String>) {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for q in &lib.questions {
        let at = format!("{}: question {}", q.file, q.id);
        if let Some(first) = seen.insert(&q.id, &q.file) {
            problems.push(format!(
                "{at}: duplicate question ID (also defined in {first})"
            ));
        }
        if !is_clause_id(&q.id) {
            problems.push(format!(
                "{at}: invalid question ID (use upper-case letters and digits in `-`-separated groups, e.g. Q-SBOM-01)"
            ));
        }
        if q.requirements.is_empty() {
            problems.push(format!("{at}: cites no requirement"));
        }
        for r in &q.requirements {
            if lib.requirement(r).is_none() {
                problems.push(format!("{at}: cites unknown requirement `{r}`"));
            }
        }
        for c in &q.clauses {
            let retired = lib.retired.iter().any(|(r, _)| &r.clause == c);
            if lib.clause(c).is_none() && !retired {
                problems.push(format!("{at}: verifies unknown clause `{c}`"));
            }
        }
        if !(MIN..=MAX).contains(&q.min_tier) {
            problems.push(format!(
                "{at}: min_tier {} is not a tier ({MIN}-{MAX})",
                q.min_tier
            ));
        }
        if !(1..=MAX_WEIGHT).contains(&q.weight) {
            problems.push(format!(
                "{at}: weight {} is outside 1-{MAX_WEIGHT}",
                q.weight
            ));
        }
        missing(&at, "text", &q.text, problems);
        if let Some(e) = &q.evidence {
            missing(&at, "evidence", e, problems);
        }
        check_answer_type(q, &at, problems);
        check_expected(lib, q, &at, problems);
        check_dependency(lib, q, &at, problems);
    }
    check_cycles(lib, problems);
}

fn missing(at: &str, field: &str, text: &Text, problems: &mut Vec<String>) {
    for lang in text.missing() {
        problems.push(format!("{at}: missing {lang} {field}"));
    }
}

fn check_answer_type(q: &Question, at: &str, problems: &mut Vec<String>) {
    match (q.kind, q.choices.is_empty()) {
        (AnswerType::Choice, _) if q.choices.len() < 2 => {
            problems.push(format!(
                "{at}: a choice question needs at least two choices"
            ));
        }
        (AnswerType::Choice, _) => {}
        (kind, false) => problems.push(format!(
            "{at}: choices are only for choice questions, not {}",
            kind.name()
        )),
        (_, true) => {}
    }
    if q.unit.is_some() && q.kind != AnswerType::Number {
        problems.push(format!("{at}: a unit is only for number questions"));
    }
    if let Some(unit) = &q.unit {
        missing(at, "unit", unit, problems);
    }
    let mut values = BTreeSet::new();
    for c in &q.choices {
        let cat = format!("{at}: choice `{}`", c.value);
        if !values.insert(c.value.as_str()) {
            problems.push(format!("{cat}: duplicate choice value"));
        }
        if c.value == NA || c.value.trim().is_empty() || c.value.contains(char::is_whitespace) {
            problems.push(format!(
                "{cat}: a choice value is one word and not `{NA}` (N/A is always offered)"
            ));
        }
        missing(&cat, "label", &c.label, problems);
        for lang in Lang::ALL {
            if c.label.get(lang).contains(',') {
                problems.push(format!(
                    "{cat}: the {lang} label contains a comma, which Excel dropdowns cannot hold"
                ));
            }
        }
    }
    // Yes/no and N/A are worded by the templates, which the library does not read: each is
    // counted at the longest the templates may make it (checked when they are loaded).
    let words = match q.kind {
        AnswerType::YesNo => 3,
        _ => 0,
    } + usize::from(q.allow_na);
    for lang in Lang::ALL {
        let len: usize = q
            .choice_labels(lang)
            .iter()
            .map(|l| l.encode_utf16().count() + 1)
            .sum::<usize>()
            + words * (ANSWER_WORD_MAX + 1);
        if len > DROPDOWN_LIMIT + 1 {
            problems.push(format!(
                "{at}: the {lang} answer labels are longer than Excel's dropdown limit of {DROPDOWN_LIMIT} characters"
            ));
        }
    }
}

fn check_expected(lib: &Library, q: &Question, at: &str, problems: &mut Vec<String>) {
    let Some(expected) = &q.expected else {
        if q.kind != AnswerType::Text {
            problems.push(format!(
                "{at}: a {} question needs `expected` for every tier it applies to",
                q.kind.name()
            ));
        }
        return;
    };
    if q.kind == AnswerType::Text {
        problems.push(format!(
            "{at}: a text question has no expected answer (its answers always need review)"
        ));
        return;
    }
    for (tier, e) in expected.all() {
        match tier {
            Some(t) if !(MIN..=MAX).contains(&t) => {
                problems.push(format!(
                    "{at}: expected answer for tier {t}, which is not a tier"
                ));
            }
            Some(t) => {
                check_expectation(lib, q, e, &format!("{at}: expected at tier {t}"), problems)
            }
            None => check_expectation(lib, q, e, &format!("{at}: expected"), problems),
        }
    }
    for tier in q.min_tier.max(MIN)..=MAX {
        if expected.for_tier(tier).is_none() {
            problems.push(format!("{at}: no expected answer for tier {tier}"));
        }
    }
}

fn check_expectation(
    lib: &Library,
    q: &Question,
    e: &Expectation,
    at: &str,
    problems: &mut Vec<String>,
) {
    let enumerated = matches!(q.kind, AnswerType::YesNo | AnswerType::Choice);
    if enumerated {
        let allowed = q.values();
        let answers = format!(
            "this {} question (answers: {})",
            q.kind.name(),
            allowed.join(", ")
        );
        match &e.any_of {
            Accepted::Values(values) => {
                if values.is_empty() {
                    problems.push(format!("{at}: `any_of` lists no answer"));
                }
                for v in values.iter().filter(|v| !allowed.contains(&v.as_str())) {
                    problems.push(format!("{at}: `{v}` is not an answer of {answers}"));
                }
                // Every accepted set lives once: a list written here where the clauses
                // take it from a set parameter of these very answers would disagree with
                // them after an override.
                let sets: Vec<String> = clause_parameters_of(lib, q, ParamType::Set)
                    .into_iter()
                    .filter(|p| {
                        lib.parameters[p]
                            .choices
                            .iter()
                            .all(|c| allowed.contains(&c.value.as_str()))
                    })
                    .collect();
                if !sets.is_empty() {
                    problems.push(format!(
                        "{at}: answers listed where the clauses take them from a parameter; write `any_of: {{ parameter: NAME }}` (one of {})",
                        sets.join(", ")
                    ));
                }
            }
            Accepted::Parameter { parameter } => match lib.parameters.get(parameter) {
                None => problems.push(format!(
                    "{at}: `any_of` uses undefined parameter `{parameter}`"
                )),
                Some(spec) if spec.kind != ParamType::Set => problems.push(format!(
                    "{at}: `any_of` uses parameter `{parameter}` of type {}, not set",
                    spec.kind
                )),
                Some(spec) => {
                    for c in spec
                        .choices
                        .iter()
                        .filter(|c| !allowed.contains(&c.value.as_str()))
                    {
                        problems.push(format!(
                            "{at}: `any_of` parameter `{parameter}` may hold `{}`, which is not an answer of {answers}",
                            c.value
                        ));
                    }
                }
            },
        }
    } else if !e.any_of.is_empty() {
        problems.push(format!(
            "{at}: `any_of` is only for yes_no and choice questions, not {}",
            q.kind.name()
        ));
    }
    let bounds = [("min", &e.min), ("max", &e.max)];
    for (name, bound) in bounds {
        let Some(bound) = bound else { continue };
        if q.kind != AnswerType::Number {
            problems.push(format!(
                "{at}: `{name}` is only for number questions, not {}",
                q.kind.name()
            ));
        }
        if let Bound::Parameter { parameter } = bound {
            match lib.parameters.get(parameter) {
                None => problems.push(format!(
                    "{at}: `{name}` uses undefined parameter `{parameter}`"
                )),
                Some(spec) if spec.kind != ParamType::Integer => problems.push(format!(
                    "{at}: `{name}` uses parameter `{parameter}` of type {}, not integer",
                    spec.kind
                )),
                Some(_) => {}
            }
        }
    }
    if q.kind == AnswerType::Number && e.min.is_none() && e.max.is_none() {
        problems.push(format!("{at}: a number question needs `min` or `max`"));
    }
    // Every number lives once: a bound written as a literal where the clauses the question
    // checks set the value through a parameter would disagree with them after an override.
    let literal = bounds
        .iter()
        .any(|(_, b)| matches!(b, Some(Bound::Number(_))));
    if q.kind == AnswerType::Number && literal {
        let integers = clause_parameters_of(lib, q, ParamType::Integer);
        if q.clauses.is_empty() {
            problems.push(format!(
                "{at}: a number written as a literal: name the clause the question checks (`clauses`) and take the bound from its parameter"
            ));
        } else if !integers.is_empty() {
            problems.push(format!(
                "{at}: a number written as a literal where the clauses set it through a parameter; write `{{ parameter: NAME }}` (one of {})",
                integers.join(", ")
            ));
        }
    }
    if e.not_before == Some(DateBound::ContractEnd)
        && q.clauses.iter().filter_map(|id| lib.clause(id)).any(|c| {
            crate::library::clause_parameters(c, &crate::lang::Lang::ALL)
                .contains(crate::budget::SUPPORT_YEARS)
        })
    {
        problems.push(format!(
            "{at}: the clause sets a support period beyond the contract: write `not_before: support_end`"
        ));
    }
    match (q.kind, e.not_before.is_some()) {
        (AnswerType::Date, false) => {
            problems.push(format!("{at}: a date question needs `not_before`"));
        }
        (kind, true) if kind != AnswerType::Date => problems.push(format!(
            "{at}: `not_before` is only for date questions, not {}",
            kind.name()
        )),
        _ => {}
    }
}

/// The parameters of type `kind` that the clauses of `q` use, in name order.
fn clause_parameters_of(lib: &Library, q: &Question, kind: ParamType) -> Vec<String> {
    let names: BTreeSet<String> = q
        .clauses
        .iter()
        .filter_map(|id| lib.clause(id))
        .flat_map(|c| crate::library::clause_parameters(c, &crate::lang::Lang::ALL))
        .filter(|p| lib.parameters.get(p).is_some_and(|s| s.kind == kind))
        .collect();
    names.into_iter().collect()
}

fn check_dependency(lib: &Library, q: &Question, at: &str, problems: &mut Vec<String>) {
    let Some(dep) = &q.depends_on else { return };
    if dep.question == q.id {
        problems.push(format!("{at}: depends on itself"));
        return;
    }
    let Some(target) = lib.questions.iter().find(|t| t.id == dep.question) else {
        problems.push(format!(
            "{at}: depends_on unknown question `{}`",
            dep.question
        ));
        return;
    };
    if dep.answers.is_empty() {
        problems.push(format!("{at}: depends_on lists no answer"));
    }
    let allowed = target.values();
    for a in &dep.answers {
        if !allowed.contains(&a.as_str()) {
            problems.push(format!(
                "{at}: depends_on answer `{a}` is not an answer of {} (answers: {})",
                target.id,
                allowed.join(", ")
            ));
        }
    }
    if target.min_tier > q.min_tier {
        problems.push(format!(
            "{at}: depends on {}, which is asked only from tier {} (this question from tier {})",
            target.id, target.min_tier, q.min_tier
        ));
    }
}

/// A chain of `depends_on` that comes back to where it started could never be asked.
fn check_cycles(lib: &Library, problems: &mut Vec<String>) {
    let next: BTreeMap<&str, &str> = lib
        .questions
        .iter()
        .filter_map(|q| Some((q.id.as_str(), q.depends_on.as_ref()?.question.as_str())))
        .collect();
    let mut reported: BTreeSet<&str> = BTreeSet::new();
    for q in &lib.questions {
        let mut path = vec![q.id.as_str()];
        let mut current = q.id.as_str();
        while let Some(&n) = next.get(current) {
            if n == q.id {
                if path.iter().all(|p| !reported.contains(p)) && path.len() > 1 {
                    path.push(n);
                    problems.push(format!(
                        "{}: question {}: depends_on cycle: {}",
                        q.file,
                        q.id,
                        path.join(" → ")
                    ));
                    reported.extend(path.iter().copied());
                }
                break;
            }
            if path.contains(&n) {
                break;
            }
            path.push(n);
            current = n;
        }
    }
}
