//! The clause library's data: requirements of the guideline, risk tiers and the rule that
//! derives them, parameters, references, and the clauses themselves. These are the shapes of
//! the YAML files under `clause-library/` (and of an organisation's overlay).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::facts::{ContractType, Stage};
pub use crate::facts::{ParamType, ParamValue};
use crate::lang::{Lang, Text};

/// `requirements.yaml`: the guideline's duties and requirements.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequirementsFile {
    /// The guideline the requirements come from, with its edition: every document cites it
    /// from here, so a new edition is a change of this one entry.
    pub guideline: Guideline,
    pub duties: Vec<Duty>,
    pub requirements: Vec<Requirement>,
    /// The fewest clauses each keyed requirement must have at each tier. `chotatsu check`
    /// applies it to the merged library (bundled plus overlay), so an overlay that retires
    /// or adds clauses is judged by the same number. Absent, it is 1: some clause at every
    /// tier.
    #[serde(default = "one")]
    pub minimum_clauses_per_tier: usize,
}

fn one() -> usize {
    1
}

/// The guideline the library implements, as documents cite it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Guideline {
    /// The official title, without brackets.
    pub title: Text,
    /// The edition as cited after the title: 案（…公表） / draft of …
    pub edition: Text,
}

impl Guideline {
    /// The citation in running text: 「title」（edition） / *title* (edition).
    pub fn citation(&self, lang: Lang) -> String {
        match lang {
            Lang::Ja => format!("「{}」（{}）", self.title.get(lang), self.edition.get(lang)),
            Lang::En => format!("the {} ({})", self.title.get(lang), self.edition.get(lang)),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Duty {
    pub id: u8,
    pub title: Text,
    /// Who carries the duty: `provider` or `customer`.
    pub party: Party,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Party {
    Provider,
    Customer,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// As the guideline writes it: `(2)-3`, `(6)-2.1`.
    pub id: String,
    pub duty: u8,
    pub title: Text,
    /// The requirements a buyer puts into a procurement; the annex has a section for each.
    #[serde(default)]
    pub keyed: bool,
    #[serde(default)]
    pub summary: Option<Text>,
    /// The heading of its chapter in the annex and RFP where the guideline's title would
    /// misread as a duty of the contract (予算確保 over articles on support and cost).
    #[serde(default)]
    pub chapter: Option<Text>,
}

/// `tiers.yaml`: the three risk tiers and the default rule that derives one from a profile.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TiersFile {
    pub tiers: Vec<TierInfo>,
    pub rule: TierRule,
    pub reasons: ReasonTexts,
}

/// The reasons of a tier decision in words: templates where `{name}` stands for a value.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReasonTexts {
    /// `区分{level}（{name}）`.
    pub tier_name: Text,
    pub levels: LevelTexts,
    pub impact: Text,
    pub critical_infrastructure_raises: Text,
    pub critical_infrastructure_at_the_top: Text,
    pub internet_facing_personal_data_raises: Text,
    pub internet_facing_personal_data_already: Text,
    pub buyer_raises: Text,
    pub buyer_lowers: Text,
    pub buyer_same: Text,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LevelTexts {
    pub low: Text,
    pub moderate: Text,
    pub high: Text,
}

impl ReasonTexts {
    /// Every text with its name, for `check`.
    pub fn all(&self) -> [(&'static str, &Text); 12] {
        [
            ("tier_name", &self.tier_name),
            ("levels.low", &self.levels.low),
            ("levels.moderate", &self.levels.moderate),
            ("levels.high", &self.levels.high),
            ("impact", &self.impact),
            (
                "critical_infrastructure_raises",
                &self.critical_infrastructure_raises,
            ),
            (
                "critical_infrastructure_at_the_top",
                &self.critical_infrastructure_at_the_top,
            ),
            (
                "internet_facing_personal_data_raises",
                &self.internet_facing_personal_data_raises,
            ),
            (
                "internet_facing_personal_data_already",
                &self.internet_facing_personal_data_already,
            ),
            ("buyer_raises", &self.buyer_raises),
            ("buyer_lowers", &self.buyer_lowers),
            ("buyer_same", &self.buyer_same),
        ]
    }
}

/// `text` with each `{name}` replaced by its value.
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = text.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TierInfo {
    pub level: u8,
    pub name: Text,
    pub description: Text,
}

/// The tier rule's numbers, kept in data so the annex can show the rule it applied.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TierRule {
    /// Base tier for each impact rating; the base is the high-water mark of C, I and A.
    pub impact: ImpactTiers,
    /// Tiers added when the system is critical infrastructure (capped at the highest tier).
    pub critical_infrastructure_raise: u8,
    /// Minimum tier when the system is internet-facing and holds personal data.
    pub internet_facing_personal_data_minimum: u8,
    /// The rule in words, shown in `tier` output and in the annex.
    pub description: Text,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ImpactTiers {
    pub low: u8,
    pub moderate: u8,
    pub high: u8,
}

/// `parameters.yaml`: typed values a clause body uses as `{{ name }}`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParametersFile {
    pub parameters: BTreeMap<String, ParameterSpec>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ParameterSpec {
    #[serde(rename = "type")]
    pub kind: ParamType,
    pub label: Text,
    #[serde(default)]
    pub unit: Option<Text>,
    /// One value for every tier, or a value for each tier (`{1: 30, 2: 14, 3: 7}`).
    pub default: ParamDefault,
    /// Bounds for integers, checked on defaults and on profile overrides.
    #[serde(default)]
    pub min: Option<i64>,
    #[serde(default)]
    pub max: Option<i64>,
    /// Another integer parameter this one must stay below, in the same procurement: a
    /// subcontractor's notice period must leave the Contractor time to pass it on.
    #[serde(default)]
    pub less_than: Option<String>,
    /// A set's values with the words a document shows for them.
    #[serde(default)]
    pub choices: Vec<ParamChoice>,
    /// A set's word before its last value in a document (又は / or: any of them will do).
    #[serde(default)]
    pub join: Option<Text>,
    /// The file that defined it, for messages.
    #[serde(skip)]
    pub file: String,
}

/// The values as a clause body in `lang` shows them: a set as its labels (「A又はB」), every
/// other value as it is.
pub fn values_for_reader(
    specs: &BTreeMap<String, ParameterSpec>,
    values: &BTreeMap<String, ParamValue>,
    lang: crate::lang::Lang,
) -> BTreeMap<String, ParamValue> {
    values
        .iter()
        .map(|(name, value)| {
            let shown = match (value, specs.get(name)) {
                (ParamValue::Set(values), Some(spec)) => {
                    ParamValue::String(spec.display_set(values, lang))
                }
                _ => value.clone(),
            };
            (name.clone(), shown)
        })
        .collect()
}

/// One value a set parameter may hold.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ParamChoice {
    pub value: String,
    pub label: Text,
}

impl ParameterSpec {
    /// The value as a document shows it: a set by its values' labels (see
    /// [`ParameterSpec::display_set`]), a boolean in `flags`.
    pub fn display(
        &self,
        value: &ParamValue,
        lang: crate::lang::Lang,
        flags: crate::facts::FlagWords<'_>,
    ) -> String {
        match value {
            ParamValue::Set(values) => self.display_set(values, lang),
            other => other.display(lang, flags),
        }
    }

    /// The values of a set by their labels in the declared order, 「A、B又はC」 /
    /// "A, B or C".
    pub fn display_set(&self, values: &[String], lang: crate::lang::Lang) -> String {
        let labels: Vec<&str> = self
            .choices
            .iter()
            .filter(|c| values.contains(&c.value))
            .map(|c| c.label.get(lang))
            .collect();
        match labels.split_last() {
            None => String::new(),
            Some((last, [])) => (*last).to_string(),
            Some((last, rest)) => {
                let join = self.join.as_ref().map_or("", |j| j.get(lang));
                format!("{}{join}{last}", rest.join(lang.list_separator()))
            }
        }
    }

    /// A value's type and bounds against this declaration.
    pub fn check(&self, value: &ParamValue) -> Result<(), String> {
        if value.kind() != self.kind {
            return Err(format!(
                "expected {}, found {} `{}`",
                self.kind,
                value.kind(),
                match value {
                    ParamValue::String(s) => s.clone(),
                    other => other.as_written(),
                }
            ));
        }
        if let (ParamValue::Integer(n), ParamType::Integer) = (value, self.kind) {
            if let Some(min) = self.min
                && *n < min
            {
                return Err(format!("{n} is below the minimum {min}"));
            }
            if let Some(max) = self.max
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
        if let ParamValue::Set(values) = value {
            let known: Vec<&str> = self.choices.iter().map(|c| c.value.as_str()).collect();
            if values.is_empty() {
                return Err(format!("name at least one of {}", known.join(", ")));
            }
            for (i, v) in values.iter().enumerate() {
                if !known.contains(&v.as_str()) {
                    return Err(format!("`{v}` is not one of {}", known.join(", ")));
                }
                if values[..i].contains(v) {
                    return Err(format!("`{v}` is listed twice"));
                }
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum ParamDefault {
    // A value first: most defaults are one, and a value is never a map, so the order does
    // not change what is read (only how many failed tries it takes).
    Same(ParamValue),
    #[serde(deserialize_with = "by_tier")]
    ByTier(BTreeMap<u8, ParamValue>),
}

/// A map from tier to value, its keys read as numbers whether the data gives them as numbers
/// (YAML `{1: 30}`) or as text (the JSON build.rs embeds, where every key is a string).
pub(crate) fn by_tier<'de, D, T>(deserializer: D) -> Result<BTreeMap<u8, T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    #[derive(PartialEq, Eq, PartialOrd, Ord)]
    struct Tier(u8);
    impl<'de> Deserialize<'de> for Tier {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct Visit;
            impl serde::de::Visitor<'_> for Visit {
                type Value = Tier;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("a tier number")
                }
                fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Tier, E> {
                    u8::try_from(v).map(Tier).map_err(E::custom)
                }
                fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Tier, E> {
                    u8::try_from(v).map(Tier).map_err(E::custom)
                }
                fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Tier, E> {
                    v.parse().map(Tier).map_err(E::custom)
                }
            }
            d.deserialize_any(Visit)
        }
    }
    let map = BTreeMap::<Tier, T>::deserialize(deserializer)?;
    Ok(map.into_iter().map(|(Tier(t), v)| (t, v)).collect())
}

impl ParamDefault {
    pub fn for_tier(&self, tier: u8) -> Option<&ParamValue> {
        match self {
            ParamDefault::Same(v) => Some(v),
            ParamDefault::ByTier(m) => m.get(&tier),
        }
    }
}

/// `references.yaml`: the outside identifiers a clause may cite.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferencesFile {
    pub references: Vec<Reference>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    pub id: String,
    pub title: Text,
}

/// `clauses/*.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClausesFile {
    pub clauses: Vec<Clause>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Clause {
    /// Stable ID, e.g. `SPEC-01`; the annex and the contract diff align on it.
    pub id: String,
    /// The guideline requirement(s) it implements.
    pub requirements: Vec<String>,
    /// The lowest tier it applies to; it applies to every tier above too.
    pub min_tier: u8,
    /// The contract types it applies to (one or more).
    pub contract_types: Vec<ContractType>,
    /// The documents it appears in: the RFP, the contract annex or both (the default). The
    /// body may word the same obligation for each with `{% if stage == "rfp" %}`.
    #[serde(default = "both_stages")]
    pub stages: Vec<Stage>,
    /// A fact of the system the clause depends on: it is selected only when the profile
    /// says so (`personal_data`, `critical_infrastructure`).
    #[serde(default)]
    pub when: Option<Condition>,
    /// Where the document puts it: with its requirement (the default), in the general
    /// provisions (`general`), or as the definitions article that opens the document
    /// (`definitions`: its items continue the list of defined terms).
    #[serde(default)]
    pub part: Part,
    pub title: Text,
    /// Markdown; may use `{{ parameter }}`, `{% if tier >= 3 %}…{% endif %}`,
    /// `stage` and `contract_type` the same way, and `{{ article(id="LIFE-04") }}` to refer to
    /// another clause by its article number.
    pub body: Text,
    /// IDs from `references.yaml`.
    #[serde(default)]
    pub references: Vec<String>,
    /// The file that defined it (bundled path or overlay path), for messages.
    #[serde(skip)]
    pub file: String,
}

fn both_stages() -> Vec<Stage> {
    Stage::ALL.to_vec()
}

/// A fact of the system that a clause can depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// The system handles personal information (`system.personal_data`).
    PersonalData,
    /// The system is critical infrastructure (`system.critical_infrastructure`).
    CriticalInfrastructure,
}

impl Condition {
    pub fn key(self) -> &'static str {
        match self {
            Condition::PersonalData => "personal_data",
            Condition::CriticalInfrastructure => "critical_infrastructure",
        }
    }
}

/// The facts of a system that clause conditions read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Facts {
    pub personal_data: bool,
    pub critical_infrastructure: bool,
}

impl Facts {
    pub fn holds(self, condition: Condition) -> bool {
        match condition {
            Condition::PersonalData => self.personal_data,
            Condition::CriticalInfrastructure => self.critical_infrastructure,
        }
    }
}

/// Where a clause sits in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// In the chapter of its first keyed requirement.
    #[default]
    Requirement,
    /// In the general provisions (第1章 総則), after the definitions.
    General,
    /// The definitions article itself (第1条): its items follow the defined parties.
    Definitions,
}

impl Clause {
    /// Whether the clause is selected for a procurement of `kind` at `tier`, its condition
    /// aside (see [`Clause::holds`]).
    pub fn applies(&self, kind: ContractType, tier: u8) -> bool {
        self.min_tier <= tier && self.contract_types.contains(&kind)
    }

    /// Whether the clause's condition, if any, holds for a system with `facts`.
    pub fn holds(&self, facts: Facts) -> bool {
        self.when.is_none_or(|c| facts.holds(c))
    }

    pub fn in_stage(&self, stage: Stage) -> bool {
        self.stages.contains(&stage)
    }
}

/// An overlay's `retired.yaml`: bundled clauses an organisation does not use, and why.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetiredFile {
    pub retired: Vec<Retirement>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Retirement {
    pub clause: String,
    pub reason: String,
}

/// Where a clause of the merged library came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    Bundled,
    OverlayReplaced,
    OverlayAdded,
}
