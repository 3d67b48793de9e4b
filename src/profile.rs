//! The procurement profile: the user's YAML file describing one procurement.
//!
//! Parsing rejects unknown fields and wrong types with file, line and field; validation then
//! checks meaning (dates, ID format, the tier deviation) and reports every problem at once.
//! Checks that need the library (parameter names, tailored clause IDs) are in `selection`.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_saphyr::{Location, Spanned};

use crate::budget::CostCategory;
use crate::error::{Error, SourceError};
use crate::lang::Lang;
use crate::library::ParamValue;
use crate::output::read_text;
use crate::yaml;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    procurement: RawProcurement,
    system: RawSystem,
    #[serde(default)]
    tier: Option<Spanned<i64>>,
    #[serde(default)]
    tier_reason: Option<Spanned<String>>,
    #[serde(default)]
    parameters: BTreeMap<String, Spanned<ParamValue>>,
    #[serde(default)]
    tailoring: Option<RawTailoring>,
    #[serde(default)]
    budget: Option<Vec<RawBudgetYear>>,
}

/// One fiscal year of the optional `budget:` section: integer yen per cost category. The
/// fields are the cost categories of [`CostCategory`]; any other key is an error with its line.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBudgetYear {
    fiscal_year: Spanned<i64>,
    #[serde(default)]
    maintenance: Option<u64>,
    #[serde(default)]
    vulnerability_response: Option<u64>,
    #[serde(default)]
    sbom: Option<u64>,
    #[serde(default)]
    incident_response: Option<u64>,
    #[serde(default)]
    audit: Option<u64>,
    #[serde(default)]
    migration: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProcurement {
    id: Spanned<String>,
    title: Spanned<String>,
    buyer: Spanned<String>,
    #[serde(default)]
    vendor: Option<Spanned<String>>,
    issued: Spanned<String>,
    contract: RawContract,
    #[serde(default)]
    language: Option<Lang>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContract {
    start: Spanned<String>,
    end: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSystem {
    #[serde(default)]
    description: Option<Spanned<String>>,
    impact: Impact,
    #[serde(default)]
    critical_infrastructure: bool,
    #[serde(default)]
    internet_facing: bool,
    #[serde(default)]
    personal_data: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTailoring {
    #[serde(default)]
    exclude: Vec<RawExclusion>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExclusion {
    clause: Spanned<String>,
    reason: Spanned<String>,
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
    /// The buyer's planned amounts by fiscal year, when the profile gives them.
    pub budget: Option<Vec<BudgetYear>>,
}

/// The amounts the buyer plans for one fiscal year (年度), in yen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetYear {
    /// The calendar year the fiscal year starts in (April).
    pub fiscal_year: i32,
    /// Where `fiscal_year` was written, for messages.
    pub at: Location,
    /// Only the categories given; a missing one is a blank cell.
    pub amounts: BTreeMap<CostCategory, u64>,
}

#[derive(Debug, Clone)]
pub struct Procurement {
    pub id: String,
    pub title: String,
    pub buyer: String,
    pub vendor: Option<String>,
    pub issued: NaiveDate,
    pub contract_start: NaiveDate,
    pub contract_end: NaiveDate,
    pub language: Lang,
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
}

impl Profile {
    /// Read and validate the profile at `path`.
    pub fn load(path: &Path) -> Result<Profile, Error> {
        let text = read_text(path)?;
        Profile::parse(&path.display().to_string(), &text)
    }

    /// Validate the profile text `text` read from `file`.
    pub fn parse(file: &str, text: &str) -> Result<Profile, Error> {
        let lies = lying_characters(file, text);
        if !lies.is_empty() {
            return Err(sources(lies));
        }
        let raw: RawProfile = yaml::parse(file, text)?;
        let mut problems = Vec::new();
        let at = |loc: &Location, msg: String| yaml::error_at(file, text, loc, msg);
        // The same characters written as escapes in a double-quoted string ("\e", "\u202E").
        let escaped = [
            Some(&raw.procurement.title),
            Some(&raw.procurement.buyer),
            raw.procurement.vendor.as_ref(),
            raw.tier_reason.as_ref(),
            raw.system.description.as_ref(),
        ]
        .into_iter()
        .flatten()
        .chain(
            raw.tailoring
                .iter()
                .flat_map(|t| t.exclude.iter().flat_map(|x| [&x.clause, &x.reason])),
        );
        for s in escaped {
            if let Some(u) = crate::text_safety::first_unsafe(&s.value) {
                problems.push(at(&s.referenced, lie_message(&u)));
            }
        }
        for value in raw.parameters.values() {
            if let ParamValue::String(s) = &value.value
                && let Some(u) = crate::text_safety::first_unsafe(s)
            {
                problems.push(at(&value.referenced, lie_message(&u)));
            }
        }

        let p = raw.procurement;
        let id = p.id.value.trim().to_string();
        if !valid_id(&id) {
            problems.push(at(
                &p.id.referenced,
                format!(
                    "invalid procurement ID `{}`: use letters, digits, '.', '_' and '-', starting with a letter or digit",
                    p.id.value
                ),
            ));
        }
        for (field, value) in [("title", &p.title), ("buyer", &p.buyer)] {
            if value.value.trim().is_empty() {
                problems.push(at(&value.referenced, format!("{field} must not be empty")));
            }
        }
        let mut date = |s: &Spanned<String>| match parse_date(&s.value) {
            Some(d) => Some(d),
            None => {
                problems.push(at(
                    &s.referenced,
                    format!("invalid date `{}`: expected YYYY-MM-DD", s.value),
                ));
                None
            }
        };
        let issued = date(&p.issued);
        let start = date(&p.contract.start);
        let end = date(&p.contract.end);
        if let (Some(s), Some(e)) = (start, end)
            && e <= s
        {
            problems.push(at(
                &p.contract.end.referenced,
                format!("the contract must end after it starts ({e} is not after {s})"),
            ));
        }

        let tier = match raw.tier {
            Some(t) if (1..=3).contains(&t.value) => Some((t.value as u8, t.referenced)),
            Some(t) => {
                problems.push(at(
                    &t.referenced,
                    format!("invalid tier {}: expected 1, 2 or 3", t.value),
                ));
                None
            }
            None => None,
        };
        let tier_reason = raw.tier_reason.and_then(|r| {
            if r.value.trim().is_empty() {
                problems.push(at(&r.referenced, "tier_reason must not be empty".into()));
                None
            } else {
                Some(r.value.trim().to_string())
            }
        });

        let mut exclusions = Vec::new();
        for x in raw.tailoring.map(|t| t.exclude).unwrap_or_default() {
            if x.reason.value.trim().is_empty() {
                problems.push(at(
                    &x.reason.referenced,
                    format!("a reason is required to exclude clause {}", x.clause.value),
                ));
            }
            exclusions.push(Exclusion {
                clause: x.clause.value.trim().to_string(),
                reason: x.reason.value.trim().to_string(),
                at: x.clause.referenced,
            });
        }

        let mut budget = None;
        if let Some(rows) = raw.budget {
            let mut years: Vec<BudgetYear> = Vec::new();
            for row in rows {
                let fy = &row.fiscal_year;
                let Ok(year) = i32::try_from(fy.value) else {
                    problems.push(at(
                        &fy.referenced,
                        format!("invalid fiscal year {}", fy.value),
                    ));
                    continue;
                };
                if !(1989..=2200).contains(&year) {
                    problems.push(at(
                        &fy.referenced,
                        format!(
                            "invalid fiscal year {year}: write the calendar year the fiscal year starts in, e.g. 2026 for 令和8年度"
                        ),
                    ));
                    continue;
                }
                if years.iter().any(|y| y.fiscal_year == year) {
                    problems.push(at(
                        &fy.referenced,
                        format!("fiscal year {year} appears twice in budget"),
                    ));
                    continue;
                }
                let amounts = [
                    (CostCategory::Maintenance, row.maintenance),
                    (
                        CostCategory::VulnerabilityResponse,
                        row.vulnerability_response,
                    ),
                    (CostCategory::Sbom, row.sbom),
                    (CostCategory::IncidentResponse, row.incident_response),
                    (CostCategory::Audit, row.audit),
                    (CostCategory::Migration, row.migration),
                ]
                .into_iter()
                .filter_map(|(c, v)| v.map(|v| (c, v)))
                .collect();
                years.push(BudgetYear {
                    fiscal_year: year,
                    at: fy.referenced,
                    amounts,
                });
            }
            years.sort_by_key(|y| y.fiscal_year);
            budget = Some(years);
        }

        if !problems.is_empty() {
            return Err(sources(problems));
        }
        let (Some(issued), Some(contract_start), Some(contract_end)) = (issued, start, end) else {
            unreachable!("date problems were reported above");
        };
        Ok(Profile {
            file: file.to_string(),
            text: text.to_string(),
            procurement: Procurement {
                id,
                title: p.title.value.trim().to_string(),
                buyer: p.buyer.value.trim().to_string(),
                vendor: p
                    .vendor
                    .map(|v| v.value.trim().to_string())
                    .filter(|v| !v.is_empty()),
                issued,
                contract_start,
                contract_end,
                language: p.language.unwrap_or_default(),
            },
            system: System {
                description: raw.system.description.map(|d| d.value),
                impact: raw.system.impact,
                critical_infrastructure: raw.system.critical_infrastructure,
                internet_facing: raw.system.internet_facing,
                personal_data: raw.system.personal_data,
            },
            tier,
            tier_reason,
            parameters: raw.parameters,
            exclusions,
            budget,
        })
    }

    /// An error at a place in this profile.
    pub fn error_at(&self, at: &Location, message: impl Into<String>) -> SourceError {
        yaml::error_at(&self.file, &self.text, at, message)
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
                field: yaml::field_path_at(text, line_no, column),
                message: lie_message(&found),
                snippet: None,
            })
        })
        .collect()
}

fn lie_message(found: &crate::text_safety::Unsafe) -> String {
    format!("contains {found}, which changes how the text is shown without being seen; remove it")
}

/// Procurement IDs name an output folder: a safe file name, never `.` or `..`.
fn valid_id(id: &str) -> bool {
    id.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && id.len() <= 64
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
