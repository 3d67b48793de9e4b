//! The 新規調達 form and the profile YAML, both ways.
//!
//! Every form control is named by the profile field it sets, written as the validation
//! writes field paths (`procurement.contract.end`, `budget[0].sbom`), so an error lands
//! beside its control by name. The form becomes YAML text in the profile's own order; the
//! YAML is then validated exactly as the CLI validates a file. An uploaded YAML is read the
//! other way, into the controls' values.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::budget::CostCategory;
use crate::lang::Lang;
use crate::library::{Library, ParamType, ParamValue};

/// The values of the form, by field path.
pub type Values = BTreeMap<String, String>;

/// How a control is shown and how its value is written to YAML.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Text,
    Textarea,
    Date,
    /// One of `choices`, as radio buttons.
    Radio,
    /// `true` when ticked.
    Checkbox,
    /// A whole number.
    Integer,
    /// One of `choices`, as a drop-down list.
    Select,
}

/// A fixed field of the profile: its path, kind and, for radios, the values.
struct Spec {
    path: &'static str,
    kind: Kind,
    /// Values of a radio or select; the label key of each is `ui_value_<value>`.
    choices: &'static [&'static str],
    /// The label key of a choice is this prefix and its value (`auto` for the empty one).
    choice_labels: &'static str,
    required: bool,
}

const fn field(path: &'static str, kind: Kind, required: bool) -> Spec {
    Spec {
        path,
        kind,
        choices: &[],
        choice_labels: "ui_value_",
        required,
    }
}

const fn radio(
    path: &'static str,
    choices: &'static [&'static str],
    choice_labels: &'static str,
    required: bool,
) -> Spec {
    Spec {
        path,
        kind: Kind::Radio,
        choices,
        choice_labels,
        required,
    }
}

const LEVELS: &[&str] = &["low", "moderate", "high"];

/// The sections of the form and their fixed fields, in the profile's order.
const SECTIONS: &[(&str, &[Spec])] = &[
    (
        "procurement",
        &[
            field("procurement.id", Kind::Text, true),
            field("procurement.title", Kind::Text, true),
            field("procurement.buyer.entity", Kind::Text, true),
            field("procurement.buyer.representative", Kind::Text, false),
            field("procurement.buyer.department", Kind::Text, false),
            field("procurement.vendor", Kind::Text, false),
            field("procurement.issued", Kind::Date, true),
            radio(
                "procurement.contract.type",
                &["development", "package", "saas", "operation"],
                "contract_type_",
                true,
            ),
            field("procurement.contract.start", Kind::Date, true),
            field("procurement.contract.end", Kind::Date, true),
            field("procurement.delivery", Kind::Date, false),
            radio("procurement.language", &["ja", "en"], "ui_value_", false),
        ],
    ),
    (
        "system",
        &[
            field("system.description", Kind::Textarea, false),
            radio("system.impact.confidentiality", LEVELS, "ui_value_", true),
            radio("system.impact.integrity", LEVELS, "ui_value_", true),
            radio("system.impact.availability", LEVELS, "ui_value_", true),
            field("system.critical_infrastructure", Kind::Checkbox, false),
            field("system.internet_facing", Kind::Checkbox, false),
            field("system.personal_data", Kind::Checkbox, false),
        ],
    ),
    (
        "tier",
        &[
            radio("tier", &["", "1", "2", "3"], "ui_value_", false),
            field("tier_reason", Kind::Textarea, false),
        ],
    ),
];

/// The fields shown with the budget table, written before it.
const BUDGET_FIELDS: &[Spec] = &[radio(
    "budget_disclosure",
    &["totals", "itemised", "none"],
    "ui_disclosure_",
    false,
)];

/// Rows offered beyond those filled in, so a row can be added without a script.
const SPARE_EXCLUSIONS: usize = 1;
const SPARE_BUDGET_YEARS: usize = 2;

/// One control as the template shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Control {
    pub name: String,
    pub id: String,
    pub kind: Kind,
    pub label: String,
    /// Shown under the label (a parameter's unit and tier defaults, say).
    pub hint: String,
    pub value: String,
    pub choices: Vec<Choice>,
    pub required: bool,
    pub error: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub checked: bool,
    pub id: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub key: String,
    pub title: String,
    pub controls: Vec<Control>,
}

/// A row of the tailoring or budget table: its controls in column order.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub controls: Vec<Control>,
}

/// The whole form, ready for the template.
#[derive(Debug, Clone, Serialize)]
pub struct Form {
    pub sections: Vec<Section>,
    pub parameters: Vec<Control>,
    pub exclusions: Vec<Row>,
    /// How much of the budget the RFP shows.
    pub budget_fields: Vec<Control>,
    pub budget_columns: Vec<String>,
    pub budget: Vec<Row>,
    /// Problems that belong to no control of the form.
    pub general_errors: Vec<String>,
}

/// The HTML id of the control for `path`.
pub fn control_id(path: &str) -> String {
    format!("f-{}", path.replace(['.', '[', ']'], "-"))
}

/// Labels come from the templates' label files (`ui_field_<path>` with `.` as `_`).
pub struct Labeler<'a> {
    pub labels: BTreeMap<&'a str, &'a str>,
}

impl Labeler<'_> {
    /// The label `key`; a missing one shows as its key (and the form test fails on it).
    fn get(&self, key: &str) -> String {
        self.labels.get(key).copied().unwrap_or(key).to_string()
    }

    /// An optional label: empty when there is none.
    fn optional(&self, key: &str) -> String {
        self.labels.get(key).copied().unwrap_or("").to_string()
    }
}

fn label_key(path: &str) -> String {
    format!("ui_field_{}", path.replace('.', "_"))
}

/// Build the form from `values`, putting each of `errors` (field path → message) beside its
/// control or, when no control has that path, among the general errors.
pub fn build(
    library: &Library,
    lang: Lang,
    labeler: &Labeler,
    values: &Values,
    errors: &[(String, String)],
) -> Form {
    let control = |path: String,
                   kind: Kind,
                   label: String,
                   hint: String,
                   choices: Vec<(String, String)>,
                   required: bool| {
        let value = values.get(&path).cloned().unwrap_or_default();
        // A date picker shows nothing for a value that is no date: show it as text instead,
        // beside its error.
        let kind = if kind == Kind::Date
            && !value.is_empty()
            && chrono::NaiveDate::parse_from_str(&value, "%Y-%m-%d").is_err()
        {
            Kind::Text
        } else {
            kind
        };
        let id = control_id(&path);
        Control {
            choices: choices
                .into_iter()
                .enumerate()
                .map(|(i, (v, l))| Choice {
                    checked: v == value,
                    id: format!("{id}-{i}"),
                    value: v,
                    label: l,
                })
                .collect(),
            name: path,
            id,
            kind,
            label,
            hint,
            value,
            required,
            error: String::new(),
        }
    };

    let of_spec = |s: &Spec| {
        let choices = s
            .choices
            .iter()
            .map(|v| {
                let key = if v.is_empty() { "auto" } else { v };
                (
                    v.to_string(),
                    labeler.get(&format!("{}{key}", s.choice_labels)),
                )
            })
            .collect();
        control(
            s.path.to_string(),
            s.kind,
            labeler.get(&label_key(s.path)),
            labeler.optional(&format!("{}_hint", label_key(s.path))),
            choices,
            s.required,
        )
    };
    let sections = SECTIONS
        .iter()
        .map(|(key, specs)| Section {
            key: key.to_string(),
            title: labeler.get(&format!("ui_section_{key}")),
            controls: specs.iter().map(of_spec).collect(),
        })
        .collect();
    let budget_fields = BUDGET_FIELDS.iter().map(of_spec).collect();

    let parameters = library
        .parameters
        .iter()
        .map(|(name, spec)| {
            let unit = spec.unit.as_ref().map(|u| u.get(lang)).unwrap_or("");
            let defaults: Vec<String> = (crate::tier::MIN..=crate::tier::MAX)
                .map(|t| {
                    let v = spec.default.for_tier(t).map(show_value).unwrap_or_default();
                    format!("{} {t}: {v}", labeler.get("ui_tier_short"))
                })
                .collect();
            let hint = format!(
                "{}{} {}",
                labeler.get("ui_tier_defaults"),
                labeler.get("ui_colon"),
                defaults.join(" / ")
            );
            let hint = if unit.is_empty() {
                hint
            } else {
                format!("{hint} ({unit})")
            };
            let hint = if spec.kind == ParamType::Set {
                let values: Vec<String> = spec
                    .choices
                    .iter()
                    .map(|c| format!("{} = {}", c.value, c.label.get(lang)))
                    .collect();
                format!("{hint}; {}", values.join(" / "))
            } else {
                hint
            };
            let (kind, choices) = match spec.kind {
                ParamType::Integer => (Kind::Integer, Vec::new()),
                ParamType::String | ParamType::Set => (Kind::Text, Vec::new()),
                ParamType::Boolean => (
                    Kind::Select,
                    vec![
                        (String::new(), labeler.get("ui_value_default")),
                        ("true".to_string(), labeler.get("ui_value_true")),
                        ("false".to_string(), labeler.get("ui_value_false")),
                    ],
                ),
            };
            control(
                format!("parameters.{name}"),
                kind,
                spec.label.get(lang).to_string(),
                hint,
                choices,
                false,
            )
        })
        .collect();

    let clause_choices: Vec<(String, String)> =
        std::iter::once((String::new(), labeler.get("ui_value_none")))
            .chain(
                library
                    .clauses
                    .iter()
                    .map(|c| (c.id.clone(), format!("{} {}", c.id, c.title.get(lang)))),
            )
            .collect();
    let filled = rows_in(values, "tailoring.exclude");
    let exclusions = (0..filled + SPARE_EXCLUSIONS)
        .map(|i| Row {
            controls: vec![
                control(
                    format!("tailoring.exclude[{i}].clause"),
                    Kind::Select,
                    format!("{} {}", labeler.get("ui_field_exclusion_clause"), i + 1),
                    String::new(),
                    clause_choices.clone(),
                    false,
                ),
                control(
                    format!("tailoring.exclude[{i}].reason"),
                    Kind::Text,
                    format!("{} {}", labeler.get("ui_field_exclusion_reason"), i + 1),
                    String::new(),
                    Vec::new(),
                    false,
                ),
            ],
        })
        .collect();

    let mut budget_columns = vec![labeler.get("ui_field_fiscal_year")];
    budget_columns.extend(
        CostCategory::ALL
            .iter()
            .map(|c| labeler.get(&format!("cost_{}", c.key()))),
    );
    let filled = rows_in(values, "budget");
    let budget = (0..filled + SPARE_BUDGET_YEARS)
        .map(|i| {
            let mut controls = vec![control(
                format!("budget[{i}].fiscal_year"),
                Kind::Integer,
                format!("{} {}", labeler.get("ui_field_fiscal_year"), i + 1),
                String::new(),
                Vec::new(),
                false,
            )];
            for c in CostCategory::ALL {
                controls.push(control(
                    format!("budget[{i}].{}", c.key()),
                    Kind::Integer,
                    format!(
                        "{} {} {}",
                        labeler.get(&format!("cost_{}", c.key())),
                        labeler.get("ui_row"),
                        i + 1
                    ),
                    String::new(),
                    Vec::new(),
                    false,
                ));
            }
            Row { controls }
        })
        .collect();

    let mut form = Form {
        sections,
        parameters,
        exclusions,
        budget_fields,
        budget_columns,
        budget,
        general_errors: Vec::new(),
    };
    for (field, message) in errors {
        let names: Vec<&str> = form.controls().map(|c| c.name.as_str()).collect();
        match place(field, &names).map(str::to_string) {
            Some(name) => {
                if let Some(c) = form.controls_mut().find(|c| c.name == name) {
                    if !c.error.is_empty() {
                        c.error.push(' ');
                    }
                    c.error.push_str(message);
                }
            }
            None if field.is_empty() => form.general_errors.push(message.clone()),
            None => form.general_errors.push(format!("{field}: {message}")),
        }
    }
    form
}

impl Form {
    fn controls(&self) -> impl Iterator<Item = &Control> {
        self.sections
            .iter()
            .flat_map(|s| s.controls.iter())
            .chain(&self.parameters)
            .chain(self.exclusions.iter().flat_map(|r| r.controls.iter()))
            .chain(&self.budget_fields)
            .chain(self.budget.iter().flat_map(|r| r.controls.iter()))
    }

    fn controls_mut(&mut self) -> impl Iterator<Item = &mut Control> {
        self.sections
            .iter_mut()
            .flat_map(|s| s.controls.iter_mut())
            .chain(&mut self.parameters)
            .chain(
                self.exclusions
                    .iter_mut()
                    .flat_map(|r| r.controls.iter_mut()),
            )
            .chain(&mut self.budget_fields)
            .chain(self.budget.iter_mut().flat_map(|r| r.controls.iter_mut()))
    }

    /// The names of every control, in the form's order.
    pub fn names(&self) -> Vec<String> {
        self.controls().map(|c| c.name.clone()).collect()
    }
}

/// The control a problem at `field` is shown beside: the one of that name, else the first
/// inside it (`procurement.buyer` → `procurement.buyer.entity`); `None` for a problem of no
/// control (it is listed above the form).
pub fn place<'a>(field: &str, names: &[&'a str]) -> Option<&'a str> {
    if field.is_empty() {
        return None;
    }
    names.iter().copied().find(|n| *n == field).or_else(|| {
        names.iter().copied().find(|n| {
            n.strip_prefix(field)
                .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
        })
    })
}

/// How many rows of the list at `prefix` have any value (the highest index used, plus one).
fn rows_in(values: &Values, prefix: &str) -> usize {
    values
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .filter_map(|(k, _)| {
            let rest = k.strip_prefix(prefix)?.strip_prefix('[')?;
            rest.split(']').next()?.parse::<usize>().ok()
        })
        .map(|i| i + 1)
        .max()
        .unwrap_or(0)
        // A form cannot grow without bound from a crafted request.
        .min(MAX_ROWS)
}

const MAX_ROWS: usize = 200;

fn show_value(v: &ParamValue) -> String {
    match v {
        ParamValue::Boolean(b) => b.to_string(),
        ParamValue::Integer(i) => i.to_string(),
        ParamValue::String(s) => s.clone(),
        ParamValue::Set(v) => v.join(", "),
    }
}

/// The profile YAML for the form's values, fields in the profile's order, empty fields
/// left out. A value of the wrong shape (letters where a number goes) is written as text,
/// so the validation names it.
pub fn to_yaml(library: &Library, values: &Values) -> String {
    let mut out = String::new();
    // The maps open at the previous field (`procurement`, `contract`): a field opens only
    // those it does not share with it.
    let mut current_map: Vec<&str> = Vec::new();
    for specs in SECTIONS.iter().map(|(_, s)| *s).chain([BUDGET_FIELDS]) {
        for spec in specs {
            let Some(value) = values
                .get(spec.path)
                .map(|v| v.trim())
                .filter(|v| !v.is_empty())
            else {
                continue;
            };
            if spec.kind == Kind::Checkbox && value != "true" {
                continue;
            }
            let parts: Vec<&str> = spec.path.split('.').collect();
            let (parents, key) = parts.split_at(parts.len() - 1);
            let common = current_map
                .iter()
                .zip(parents)
                .take_while(|(a, b)| a == b)
                .count();
            for (depth, p) in parents.iter().enumerate().skip(common) {
                out.push_str(&format!("{}{p}:\n", "  ".repeat(depth)));
            }
            current_map = parents.to_vec();
            out.push_str(&format!(
                "{}{}: {}\n",
                "  ".repeat(parents.len()),
                key[0],
                scalar(spec.kind, value)
            ));
        }
    }

    let parameters: Vec<(String, String)> = library
        .parameters
        .iter()
        .filter_map(|(name, spec)| {
            let v = values.get(&format!("parameters.{name}"))?.trim();
            if v.is_empty() {
                return None;
            }
            let kind = match spec.kind {
                ParamType::Integer => Kind::Integer,
                ParamType::Boolean => Kind::Checkbox,
                ParamType::String => Kind::Text,
                ParamType::Set => {
                    let words: Vec<String> = v
                        .split([',', '、', '，'])
                        .map(str::trim)
                        .filter(|w| !w.is_empty())
                        .map(|w| scalar(Kind::Text, w))
                        .collect();
                    return Some((name.clone(), format!("[{}]", words.join(", "))));
                }
            };
            Some((name.clone(), scalar(kind, v)))
        })
        .collect();
    if !parameters.is_empty() {
        out.push_str("parameters:\n");
        for (name, v) in parameters {
            out.push_str(&format!("  {name}: {v}\n"));
        }
    }

    let exclusions: Vec<(String, String)> = (0..rows_in(values, "tailoring.exclude"))
        .map(|i| {
            let get = |f: &str| {
                values
                    .get(&format!("tailoring.exclude[{i}].{f}"))
                    .map(|v| v.trim().to_string())
                    .unwrap_or_default()
            };
            (get("clause"), get("reason"))
        })
        .filter(|(c, r)| !c.is_empty() || !r.is_empty())
        .collect();
    if !exclusions.is_empty() {
        out.push_str("tailoring:\n  exclude:\n");
        for (clause, reason) in exclusions {
            out.push_str(&format!(
                "    - clause: {}\n      reason: {}\n",
                scalar(Kind::Text, &clause),
                scalar(Kind::Text, &reason)
            ));
        }
    }

    let mut budget = String::new();
    for i in 0..rows_in(values, "budget") {
        let mut row = Vec::new();
        for key in std::iter::once("fiscal_year").chain(CostCategory::ALL.iter().map(|c| c.key())) {
            if let Some(v) = values
                .get(&format!("budget[{i}].{key}"))
                .map(|v| v.trim())
                .filter(|v| !v.is_empty())
            {
                row.push(format!(
                    "{key}: {}",
                    scalar(Kind::Integer, &v.replace([',', '，'], ""))
                ));
            }
        }
        if let Some((first, rest)) = row.split_first() {
            budget.push_str(&format!("  - {first}\n"));
            for r in rest {
                budget.push_str(&format!("    {r}\n"));
            }
        }
    }
    if !budget.is_empty() {
        out.push_str("budget:\n");
        out.push_str(&budget);
    }
    out
}

/// A YAML scalar: numbers and booleans bare when they are one, everything else a
/// double-quoted string (JSON's quoting is valid YAML).
fn scalar(kind: Kind, value: &str) -> String {
    let bare = match kind {
        Kind::Integer | Kind::Radio if value.parse::<i64>().is_ok() => true,
        Kind::Checkbox => value == "true" || value == "false",
        _ => false,
    };
    if bare {
        value.to_string()
    } else {
        serde_json::to_string(value).unwrap_or_default()
    }
}

/// The form's values from a profile's YAML text; scalars only, keyed by field path.
pub fn from_yaml(text: &str) -> Result<Values, String> {
    let value: Value = serde_saphyr::from_str(text).map_err(|e| e.to_string())?;
    let mut values = Values::new();
    flatten("", &value, &mut values);
    // `buyer: 〇〇市` is the entity alone.
    if let Some(entity) = values.remove("procurement.buyer") {
        values.insert("procurement.buyer.entity".into(), entity);
    }
    Ok(values)
}

fn flatten(path: &str, value: &Value, out: &mut Values) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                flatten(&p, v, out);
            }
        }
        // A set parameter is one field: its values separated by commas.
        Value::Array(items)
            if path.starts_with("parameters.") && items.iter().all(Value::is_string) =>
        {
            let words: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            out.insert(path.to_string(), words.join(", "));
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate().take(MAX_ROWS) {
                flatten(&format!("{path}[{i}]"), v, out);
            }
        }
        Value::Null => {}
        Value::String(s) => {
            out.insert(path.to_string(), s.clone());
        }
        other => {
            out.insert(path.to_string(), other.to_string());
        }
    }
}

/// The values a form submission carries (repeated names: the last wins), without the
/// buttons and bookkeeping fields.
pub fn values_of(pairs: Vec<(String, String)>) -> Values {
    pairs.into_iter().filter(|(k, _)| k != "do").collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_the_form_shows_is_in_the_label_files() {
        let lib = Library::load(None).unwrap();
        let templates = crate::render::Templates::bundled().unwrap();
        for lang in Lang::ALL {
            let labeler = Labeler {
                labels: templates.labels(lang),
            };
            let form = build(&lib, lang, &labeler, &Values::new(), &[]);
            let controls = form
                .sections
                .iter()
                .flat_map(|s| s.controls.iter())
                .chain(&form.parameters)
                .chain(form.exclusions.iter().flat_map(|r| r.controls.iter()))
                .chain(&form.budget_fields)
                .chain(form.budget.iter().flat_map(|r| r.controls.iter()));
            for c in controls {
                assert!(!c.label.contains("ui_"), "{}: {}", c.name, c.label);
                assert!(!c.hint.contains("ui_"), "{}: {}", c.name, c.hint);
                for choice in &c.choices {
                    assert!(
                        !choice.label.contains("ui_"),
                        "{}: {}",
                        c.name,
                        choice.label
                    );
                }
            }
            for s in &form.sections {
                assert!(!s.title.contains("ui_"), "{}", s.title);
            }
        }
    }

    #[test]
    fn form_values_become_the_profile_in_its_own_order_and_back() {
        let lib = Library::load(None).unwrap();
        let values: Values = [
            ("procurement.id", "R8-0999"),
            ("procurement.title", "窓口\"予約\"システム"),
            ("procurement.buyer.entity", "〇〇市"),
            ("procurement.issued", "2026-04-01"),
            ("procurement.contract.type", "saas"),
            ("procurement.contract.start", "2026-07-01"),
            ("procurement.contract.end", "2029-03-31"),
            ("procurement.language", "ja"),
            ("system.impact.confidentiality", "high"),
            ("system.impact.integrity", "low"),
            ("system.impact.availability", "low"),
            ("system.personal_data", "true"),
            ("tier", ""),
            ("parameters.critical_fix_days", "5"),
            ("tailoring.exclude[0].clause", "LIFE-04"),
            ("tailoring.exclude[0].reason", "別契約"),
            ("budget[0].fiscal_year", "2026"),
            ("budget[0].sbom", "240,000"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let yaml = to_yaml(&lib, &values);
        assert_eq!(
            yaml,
            "procurement:\n  id: \"R8-0999\"\n  title: \"窓口\\\"予約\\\"システム\"\n  buyer:\n    entity: \"〇〇市\"\n  issued: \"2026-04-01\"\n  contract:\n    type: \"saas\"\n    start: \"2026-07-01\"\n    end: \"2029-03-31\"\n  language: \"ja\"\nsystem:\n  impact:\n    confidentiality: \"high\"\n    integrity: \"low\"\n    availability: \"low\"\n  personal_data: true\nparameters:\n  critical_fix_days: 5\ntailoring:\n  exclude:\n    - clause: \"LIFE-04\"\n      reason: \"別契約\"\nbudget:\n  - fiscal_year: 2026\n    sbom: 240000\n"
        );
        let back = from_yaml(&yaml).unwrap();
        assert_eq!(
            back.get("procurement.title").unwrap(),
            "窓口\"予約\"システム"
        );
        assert_eq!(back.get("budget[0].sbom").unwrap(), "240000");
        assert_eq!(back.get("tailoring.exclude[0].clause").unwrap(), "LIFE-04");
        assert_eq!(back.get("system.personal_data").unwrap(), "true");
        crate::profile::Profile::parse("R8-0999.yaml", &yaml).unwrap();
    }
}
