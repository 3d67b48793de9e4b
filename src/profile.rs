//! The procurement profile: the user's YAML file describing one procurement.
//!
//! Two steps, kept apart so that a form can use the second without YAML: parsing
//! ([`ProfileInput`], serde with positions) rejects unknown fields and wrong types with file,
//! line and field; [`ProfileInput::validate`] then checks meaning (dates, ID format, the
//! contract type, the tier deviation) and returns every problem with the path of its field.
//! Checks that need the library (parameter names, tailored clause IDs) are in `selection`.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_saphyr::{Location, Spanned};

use crate::budget::MAX_AMOUNT_YEN;
use crate::error::{Error, SourceError};
use crate::facts::{ContractType, MAX_TIER, MIN_TIER, ParamValue};
use crate::lang::Lang;
use crate::output::read_text;
use crate::yaml;

/// A profile as written: the shapes of the YAML file, with the place of every value that a
/// later check may point at. [`ProfileInput::validate`] turns it into a [`Profile`].
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileInput {
    pub procurement: ProcurementInput,
    pub system: SystemInput,
    #[serde(default)]
    pub tier: Option<Spanned<i64>>,
    #[serde(default)]
    pub tier_reason: Option<Spanned<String>>,
    #[serde(default)]
    pub parameters: BTreeMap<String, Spanned<ParamValue>>,
    #[serde(default)]
    pub tailoring: Option<TailoringInput>,
    /// Whether the RFP shows the buyer's planned amounts: `totals` (default), `itemised` or
    /// `none`. The contract annex never shows them.
    #[serde(default)]
    pub budget_disclosure: Option<BudgetDisclosure>,
    #[serde(default)]
    pub budget: Option<Vec<BudgetYearInput>>,
}

/// One fiscal year of the optional `budget:` section: integer yen per cost category. The
/// fields are the cost categories of [`CostCategory`]; any other key is an error with its line.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetYearInput {
    pub fiscal_year: Spanned<i64>,
    #[serde(default)]
    pub maintenance: Option<Spanned<u64>>,
    #[serde(default)]
    pub vulnerability_response: Option<Spanned<u64>>,
    #[serde(default)]
    pub sbom: Option<Spanned<u64>>,
    #[serde(default)]
    pub incident_response: Option<Spanned<u64>>,
    #[serde(default)]
    pub audit: Option<Spanned<u64>>,
    #[serde(default)]
    pub migration: Option<Spanned<u64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcurementInput {
    pub id: Spanned<String>,
    pub title: Spanned<String>,
    pub buyer: Spanned<BuyerInput>,
    #[serde(default)]
    pub vendor: Option<Spanned<String>>,
    pub issued: Spanned<String>,
    pub contract: ContractInput,
    /// 納入日: the support period and the budget table run from it when given.
    #[serde(default)]
    pub delivery: Option<Spanned<String>>,
    #[serde(default)]
    pub language: Option<Lang>,
}

/// The buyer: the contracting entity alone (`〇〇市`), or the entity with its representative
/// and the department in charge.
#[derive(Debug, Deserialize)]
#[serde(
    untagged,
    expecting = "expected the buyer's name, or a mapping with entity and optionally representative and department"
)]
pub enum BuyerInput {
    Entity(String),
    Detailed(BuyerDetailInput),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuyerDetailInput {
    pub entity: String,
    #[serde(default)]
    pub representative: Option<String>,
    #[serde(default)]
    pub department: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContractInput {
    /// Required; optional here so that its absence gets a message listing the four types.
    #[serde(default, rename = "type")]
    pub kind: Option<Spanned<ContractType>>,
    pub start: Spanned<String>,
    pub end: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SystemInput {
    #[serde(default)]
    pub description: Option<Spanned<String>>,
    pub impact: Impact,
    #[serde(default)]
    pub critical_infrastructure: bool,
    #[serde(default)]
    pub internet_facing: bool,
    #[serde(default)]
    pub personal_data: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TailoringInput {
    #[serde(default)]
    pub exclude: Vec<ExclusionInput>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExclusionInput {
    pub clause: Spanned<String>,
    pub reason: Spanned<String>,
}

/// A problem [`ProfileInput::validate`] found: the dotted path of the field, where it was
/// written (when known), and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub at: Option<Location>,
    pub message: String,
}

/// How much of the buyer's planned budget the RFP shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BudgetDisclosure {
    /// The total per fiscal year and the grand total.
    #[default]
    Totals,
    /// Every cost category of every fiscal year.
    Itemised,
    /// No amounts.
    None,
}

/// The cost categories of the lifecycle budget, in table order; the profile's `budget:` keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CostCategory {
    Maintenance,
    VulnerabilityResponse,
    Sbom,
    IncidentResponse,
    Audit,
    Migration,
}

impl CostCategory {
    pub const ALL: [CostCategory; 6] = [
        CostCategory::Maintenance,
        CostCategory::VulnerabilityResponse,
        CostCategory::Sbom,
        CostCategory::IncidentResponse,
        CostCategory::Audit,
        CostCategory::Migration,
    ];

    /// The key a profile's `budget:` rows use; the label key is `cost_<key>`.
    pub fn key(self) -> &'static str {
        match self {
            CostCategory::Maintenance => "maintenance",
            CostCategory::VulnerabilityResponse => "vulnerability_response",
            CostCategory::Sbom => "sbom",
            CostCategory::IncidentResponse => "incident_response",
            CostCategory::Audit => "audit",
            CostCategory::Migration => "migration",
        }
    }
}

/// Impact rating of one security objective (FIPS 199: low, moderate, high).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Low,
    Moderate,
    High,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::Low => "low",
            Level::Moderate => "moderate",
            Level::High => "high",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Impact {
    pub confidentiality: Level,
    pub integrity: Level,
    pub availability: Level,
}

/// A validated profile.
#[derive(Debug, Clone)]
pub struct Profile {
    /// The file as the user named it, and its text, for messages about places in it.
    pub file: String,
    pub text: String,
    pub procurement: Procurement,
    pub system: System,
    /// An explicit tier and where it was written.
    pub tier: Option<(u8, Location)>,
    pub tier_reason: Option<String>,
    pub parameters: BTreeMap<String, Spanned<ParamValue>>,
    pub exclusions: Vec<Exclusion>,
    pub budget_disclosure: BudgetDisclosure,
    /// The buyer's planned amounts by fiscal year, when the profile gives them.
    pub budget: Option<Vec<BudgetYear>>,
}

/// The amounts the buyer plans for one fiscal year (年度), in yen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetYear {
    /// The calendar year the fiscal year starts in (April).
    pub fiscal_year: i32,
    /// Where `fiscal_year` was written, and its field path, for messages.
    pub at: Location,
    pub path: String,
    /// Only the categories given; a missing one is a blank cell.
    pub amounts: BTreeMap<CostCategory, u64>,
}

#[derive(Debug, Clone)]
pub struct Procurement {
    pub id: String,
    pub title: String,
    pub buyer: Buyer,
    pub vendor: Option<String>,
    pub issued: NaiveDate,
    pub contract_type: ContractType,
    pub contract_start: NaiveDate,
    pub contract_end: NaiveDate,
    /// 納入日, when the profile gives it.
    pub delivery: Option<NaiveDate>,
    pub language: Lang,
}

impl Procurement {
    /// The day the support period runs from: the delivery date when given, else the
    /// contract start (the earliest the software can be delivered).
    pub fn support_from(&self) -> NaiveDate {
        self.delivery.unwrap_or(self.contract_start)
    }
}

/// The contracting party, and the department that handles the contract for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Buyer {
    pub entity: String,
    pub representative: Option<String>,
    pub department: Option<String>,
}

impl Buyer {
    /// The entity, then the department in charge when there is one: `〇〇市 デジタル推進課`.
    pub fn with_department(&self) -> String {
        match &self.department {
            Some(d) => format!("{} {d}", self.entity),
            None => self.entity.clone(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct System {
    pub description: Option<String>,
    pub impact: Impact,
    pub critical_infrastructure: bool,
    pub internet_facing: bool,
    pub personal_data: bool,
}

#[derive(Debug, Clone)]
pub struct Exclusion {
    pub clause: String,
    pub reason: String,
    pub at: Location,
    /// `tailoring.exclude[N].clause`.
    pub path: String,
}

impl Profile {
    /// Read and validate the profile at `path`.
    pub fn load(path: &Path) -> Result<Profile, Error> {
        let text = read_text(path)?;
        Profile::parse(&path.display().to_string(), &text)
    }

    /// Parse and validate the profile text `text` read from `file`.
    pub fn parse(file: &str, text: &str) -> Result<Profile, Error> {
        let lies = lying_characters(file, text);
        if !lies.is_empty() {
            return Err(sources(lies));
        }
        let input: ProfileInput = yaml::parse(file, text)?;
        match input.validate() {
            Ok(mut profile) => {
                profile.file = file.to_string();
                profile.text = text.to_string();
                Ok(profile)
            }
            Err(problems) => Err(sources(
                problems
                    .into_iter()
                    .map(|p| yaml::problem_at(file, text, p.at.as_ref(), &p.path, p.message))
                    .collect(),
            )),
        }
    }

    /// An error at a place in this profile, for the field at `path`.
    pub fn error_at(&self, at: &Location, path: &str, message: impl Into<String>) -> SourceError {
        yaml::problem_at(&self.file, &self.text, Some(at), path, message)
    }
}

impl ProfileInput {
    /// Check the meaning of every field and build the [`Profile`] (with no file or text: the
    /// caller that read one sets them). Every problem is returned, each with its field path.
    pub fn validate(&self) -> Result<Profile, Vec<Problem>> {
        let mut problems: Vec<Problem> = Vec::new();
        let mut at = |path: &str, loc: Option<&Location>, message: String| {
            problems.push(Problem {
                path: path.to_string(),
                at: loc.copied(),
                message,
            })
        };

        let p = &self.procurement;
        // Characters that change how text is shown without being seen, also when written as
        // escapes in a double-quoted string ("\e", "\u202E"): in every string a reader sees.
        let mut strings: Vec<(String, Option<&Location>, &str)> = vec![(
            "procurement.title".into(),
            Some(&p.title.referenced),
            &p.title.value,
        )];
        let buyer_at = Some(&p.buyer.referenced);
        match &p.buyer.value {
            BuyerInput::Entity(name) => strings.push(("procurement.buyer".into(), buyer_at, name)),
            BuyerInput::Detailed(d) => {
                strings.push(("procurement.buyer.entity".into(), buyer_at, &d.entity));
                for (field, value) in [
                    ("representative", &d.representative),
                    ("department", &d.department),
                ] {
                    if let Some(v) = value {
                        strings.push((format!("procurement.buyer.{field}"), buyer_at, v));
                    }
                }
            }
        }
        if let Some(v) = &p.vendor {
            strings.push(("procurement.vendor".into(), Some(&v.referenced), &v.value));
        }
        if let Some(r) = &self.tier_reason {
            strings.push(("tier_reason".into(), Some(&r.referenced), &r.value));
        }
        if let Some(d) = &self.system.description {
            strings.push(("system.description".into(), Some(&d.referenced), &d.value));
        }
        for (i, x) in self
            .tailoring
            .iter()
            .flat_map(|t| t.exclude.iter())
            .enumerate()
        {
            strings.push((
                format!("tailoring.exclude[{i}].clause"),
                Some(&x.clause.referenced),
                &x.clause.value,
            ));
            strings.push((
                format!("tailoring.exclude[{i}].reason"),
                Some(&x.reason.referenced),
                &x.reason.value,
            ));
        }
        for (name, value) in &self.parameters {
            if let ParamValue::String(v) = &value.value {
                strings.push((format!("parameters.{name}"), Some(&value.referenced), v));
            }
        }
        for (path, loc, value) in strings {
            if let Some(u) = crate::text_safety::first_unsafe(value) {
                at(&path, loc, lie_message(&u));
            }
            // Every free text goes into a workbook cell somewhere (the questionnaire, the
            // evaluation): keep it within what a cell holds, and say so where it is written.
            let chars = value.chars().count();
            if chars > MAX_TEXT_CHARS {
                at(
                    &path,
                    loc,
                    format!(
                        "the text is {chars} characters long; at most {MAX_TEXT_CHARS} (the most an Excel cell holds)"
                    ),
                );
            }
        }

        let id = p.id.value.trim().to_string();
        if id.chars().count() > MAX_ID_CHARS {
            at(
                "procurement.id",
                Some(&p.id.referenced),
                format!(
                    "the procurement ID is {} characters long; at most {MAX_ID_CHARS} (it names the output folder)",
                    id.chars().count()
                ),
            );
        } else if !valid_id(&id) {
            at(
                "procurement.id",
                Some(&p.id.referenced),
                format!(
                    "invalid procurement ID `{}`: use letters, digits, '.', '_' and '-', starting with a letter or digit",
                    p.id.value
                ),
            );
        }
        if p.title.value.trim().is_empty() {
            at(
                "procurement.title",
                Some(&p.title.referenced),
                "title must not be empty".into(),
            );
        }
        let buyer = match &p.buyer.value {
            BuyerInput::Entity(name) => {
                if name.trim().is_empty() {
                    at(
                        "procurement.buyer",
                        buyer_at,
                        "buyer must not be empty".into(),
                    );
                }
                Buyer {
                    entity: name.trim().to_string(),
                    representative: None,
                    department: None,
                }
            }
            BuyerInput::Detailed(d) => {
                if d.entity.trim().is_empty() {
                    at(
                        "procurement.buyer.entity",
                        buyer_at,
                        "entity must not be empty".into(),
                    );
                }
                let optional = |v: &Option<String>| {
                    v.as_ref()
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                };
                Buyer {
                    entity: d.entity.trim().to_string(),
                    representative: optional(&d.representative),
                    department: optional(&d.department),
                }
            }
        };
        let contract_type = match &p.contract.kind {
            Some(t) => Some(t.value),
            None => {
                at(
                    "procurement.contract.type",
                    Some(&p.contract.start.referenced),
                    format!(
                        "required field is missing: the contract type, one of {} (受託開発, パッケージ・ライセンス, クラウドサービス利用, 運用保守)",
                        ContractType::listing()
                    ),
                );
                None
            }
        };
        let mut date = |path: &str, s: &Spanned<String>| match parse_date(&s.value) {
            Some(d) => Some(d),
            None => {
                at(
                    path,
                    Some(&s.referenced),
                    format!("invalid date `{}`: expected YYYY-MM-DD", s.value),
                );
                None
            }
        };
        let issued = date("procurement.issued", &p.issued);
        let start = date("procurement.contract.start", &p.contract.start);
        let end = date("procurement.contract.end", &p.contract.end);
        let delivery = p
            .delivery
            .as_ref()
            .map(|d| (d, date("procurement.delivery", d)));
        if let (Some(s), Some(e)) = (start, end)
            && e <= s
        {
            at(
                "procurement.contract.end",
                Some(&p.contract.end.referenced),
                format!("the contract must end after it starts ({e} is not after {s})"),
            );
        }
        if let (Some(s), Some(e), Some((written, Some(d)))) = (start, end, &delivery)
            && (*d < s || *d > e)
        {
            at(
                "procurement.delivery",
                Some(&written.referenced),
                format!("the delivery date {d} is outside the contract period ({s} to {e})"),
            );
        }

        let tier = match &self.tier {
            Some(t) if (i64::from(MIN_TIER)..=i64::from(MAX_TIER)).contains(&t.value) => {
                Some((t.value as u8, t.referenced))
            }
            Some(t) => {
                at(
                    "tier",
                    Some(&t.referenced),
                    format!("invalid tier {}: expected 1, 2 or 3", t.value),
                );
                None
            }
            None => None,
        };
        let tier_reason = self.tier_reason.as_ref().and_then(|r| {
            if r.value.trim().is_empty() {
                at(
                    "tier_reason",
                    Some(&r.referenced),
                    "tier_reason must not be empty".into(),
                );
                None
            } else {
                Some(r.value.trim().to_string())
            }
        });

        let mut exclusions = Vec::new();
        let excludes = self.tailoring.as_ref().map_or(&[][..], |t| &t.exclude[..]);
        for (i, x) in excludes.iter().enumerate() {
            if x.reason.value.trim().is_empty() {
                at(
                    &format!("tailoring.exclude[{i}].reason"),
                    Some(&x.reason.referenced),
                    format!("a reason is required to exclude clause {}", x.clause.value),
                );
            }
            exclusions.push(Exclusion {
                clause: x.clause.value.trim().to_string(),
                reason: x.reason.value.trim().to_string(),
                at: x.clause.referenced,
                path: format!("tailoring.exclude[{i}].clause"),
            });
        }

        let mut budget = None;
        if let Some(rows) = &self.budget {
            let mut years: Vec<BudgetYear> = Vec::new();
            for (i, row) in rows.iter().enumerate() {
                let fy = &row.fiscal_year;
                let path = format!("budget[{i}].fiscal_year");
                let year = i32::try_from(fy.value)
                    .ok()
                    .filter(|y| (1989..=2200).contains(y));
                let Some(year) = year else {
                    at(
                        &path,
                        Some(&fy.referenced),
                        format!(
                            "invalid fiscal year {}: write the calendar year the fiscal year starts in, e.g. 2026 for 令和8年度",
                            fy.value
                        ),
                    );
                    continue;
                };
                if years.iter().any(|y| y.fiscal_year == year) {
                    at(
                        &path,
                        Some(&fy.referenced),
                        format!("fiscal year {year} appears twice in budget"),
                    );
                    continue;
                }
                let mut amounts = BTreeMap::new();
                for (c, v) in [
                    (CostCategory::Maintenance, &row.maintenance),
                    (
                        CostCategory::VulnerabilityResponse,
                        &row.vulnerability_response,
                    ),
                    (CostCategory::Sbom, &row.sbom),
                    (CostCategory::IncidentResponse, &row.incident_response),
                    (CostCategory::Audit, &row.audit),
                    (CostCategory::Migration, &row.migration),
                ] {
                    let Some(v) = v else { continue };
                    if v.value > MAX_AMOUNT_YEN {
                        at(
                            &format!("budget[{i}].{}", c.key()),
                            Some(&v.referenced),
                            format!(
                                "{} yen is more than any one budget line can be (at most {MAX_AMOUNT_YEN} yen, 10兆円)",
                                v.value
                            ),
                        );
                        continue;
                    }
                    amounts.insert(c, v.value);
                }
                years.push(BudgetYear {
                    fiscal_year: year,
                    at: fy.referenced,
                    path,
                    amounts,
                });
            }
            years.sort_by_key(|y| y.fiscal_year);
            budget = Some(years);
        }

        if !problems.is_empty() {
            return Err(problems);
        }
        let (Some(issued), Some(contract_start), Some(contract_end), Some(contract_type)) =
            (issued, start, end, contract_type)
        else {
            unreachable!("date and contract type problems were reported above");
        };
        Ok(Profile {
            file: String::new(),
            text: String::new(),
            procurement: Procurement {
                id,
                title: p.title.value.trim().to_string(),
                buyer,
                vendor: p
                    .vendor
                    .as_ref()
                    .map(|v| v.value.trim().to_string())
                    .filter(|v| !v.is_empty()),
                issued,
                contract_type,
                contract_start,
                contract_end,
                delivery: delivery.and_then(|(_, d)| d),
                language: p.language.unwrap_or_default(),
            },
            system: System {
                description: self.system.description.as_ref().map(|d| d.value.clone()),
                impact: self.system.impact,
                critical_infrastructure: self.system.critical_infrastructure,
                internet_facing: self.system.internet_facing,
                personal_data: self.system.personal_data,
            },
            tier,
            tier_reason,
            parameters: self.parameters.clone(),
            exclusions,
            budget_disclosure: self.budget_disclosure.unwrap_or_default(),
            budget,
        })
    }
}

/// One problem as itself, several as a list.
pub fn sources(mut problems: Vec<SourceError>) -> Error {
    if problems.len() == 1 {
        Error::Source(problems.remove(0))
    } else {
        Error::Sources(problems)
    }
}

/// Control, bidi and zero-width characters written literally anywhere in the profile, the
/// first of each line: they would reach the documents and change how they read.
fn lying_characters(file: &str, text: &str) -> Vec<SourceError> {
    let paths = std::cell::OnceCell::new();
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            // A byte-order mark at the very start is how some editors save UTF-8.
            let line = if i == 0 {
                line.strip_prefix('\u{feff}').unwrap_or(line)
            } else {
                line
            };
            let found = crate::text_safety::first_unsafe(line)?;
            let (line_no, column) = (
                i as u64 + 1,
                line[..found.offset].chars().count() as u64 + 1,
            );
            Some(SourceError {
                file: file.to_string(),
                line: line_no,
                column,
                field: paths
                    .get_or_init(|| yaml::FieldPaths::new(text))
                    .at(line_no, column),
                message: lie_message(&found),
                snippet: None,
            })
        })
        .collect()
}

fn lie_message(found: &crate::text_safety::Unsafe) -> String {
    format!("contains {found}, which changes how the text is shown without being seen; remove it")
}

/// The longest procurement ID: it names a folder and appears in every document header.
pub const MAX_ID_CHARS: usize = 64;

/// The longest free text of a profile: the most characters an Excel cell holds.
pub const MAX_TEXT_CHARS: usize = 32_767;

/// Procurement IDs name an output folder: a safe file name, never `.` or `..`.
fn valid_id(id: &str) -> bool {
    id.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && id.len() <= MAX_ID_CHARS
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    // Exactly YYYY-MM-DD: chrono alone would also take `2026-4-1`.
    let shaped = s.len() == 10
        && s.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    shaped
        .then(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_that_could_escape_the_output_folder_are_rejected() {
        assert!(valid_id("R8-0421"));
        assert!(valid_id("a.b_c-1"));
        assert!(!valid_id(".."));
        assert!(!valid_id("."));
        assert!(!valid_id("a/b"));
        assert!(!valid_id(""));
        assert!(!valid_id("調達1"));
    }

    #[test]
    fn dates_must_be_iso() {
        assert_eq!(
            parse_date("2026-04-01"),
            NaiveDate::from_ymd_opt(2026, 4, 1)
        );
        assert_eq!(parse_date("2026-4-1"), None);
        assert_eq!(parse_date("2026-02-30"), None);
    }
}
