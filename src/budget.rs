//! The lifecycle budget table of requirement (6)-2.4: one row per Japanese fiscal year
//! (年度, April to March) touched by the contract period or the support period, one column per
//! cost category of clause LIFE-02, blank for the vendor to fill or filled from the profile's
//! `budget:` section with row and column totals.
//!
//! The support period is the one clause LIFE-01 sets: until the later of the contract's end
//! and `support_years_min` years after delivery. A profile records no delivery date, so the
//! table counts from the contract start, the earliest date the software can be delivered.

use std::collections::BTreeMap;

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

use crate::error::{Error, SourceError};
use crate::lang::{Lang, english_fiscal_year, japanese_fiscal_year};
use crate::library::ParamValue;
use crate::profile::sources;
use crate::selection::Selection;

/// The parameter that sets the support period (clause LIFE-01).
pub const SUPPORT_YEARS: &str = "support_years_min";

/// The cost categories of clause LIFE-02, in its order; the profile's `budget:` keys.
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

    /// The key a profile's `budget:` rows use.
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

    /// The column heading.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (CostCategory::Maintenance, Lang::Ja) => "保守・運用",
            (CostCategory::Maintenance, Lang::En) => "Maintenance and operation",
            (CostCategory::VulnerabilityResponse, Lang::Ja) => "脆弱性対応",
            (CostCategory::VulnerabilityResponse, Lang::En) => "Vulnerability response",
            (CostCategory::Sbom, Lang::Ja) => "SBOMの作成・管理",
            (CostCategory::Sbom, Lang::En) => "SBOM management",
            (CostCategory::IncidentResponse, Lang::Ja) => "インシデント対応",
            (CostCategory::IncidentResponse, Lang::En) => "Incident response",
            (CostCategory::Audit, Lang::Ja) => "監査・評価",
            (CostCategory::Audit, Lang::En) => "Audits and assessments",
            (CostCategory::Migration, Lang::Ja) => "サポート終了時の移行",
            (CostCategory::Migration, Lang::En) => "End-of-support migration",
        }
    }
}

/// A Japanese fiscal year, by the calendar year whose April it starts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct FiscalYear(pub i32);

impl FiscalYear {
    /// The fiscal year a date falls in: January to March belong to the previous year's.
    pub fn of(date: NaiveDate) -> FiscalYear {
        if date.month() >= 4 {
            FiscalYear(date.year())
        } else {
            FiscalYear(date.year() - 1)
        }
    }

    /// 令和8年度 / FY2026 (Apr 2026–Mar 2027).
    pub fn label(self, lang: Lang) -> String {
        match lang {
            Lang::Ja => japanese_fiscal_year(self.0),
            Lang::En => english_fiscal_year(self.0),
        }
    }
}

/// Every fiscal year from the one holding `from` to the one holding `to`, in order.
pub fn fiscal_years(from: NaiveDate, to: NaiveDate) -> Vec<FiscalYear> {
    (FiscalYear::of(from).0..=FiscalYear::of(to).0)
        .map(FiscalYear)
        .collect()
}

/// The last day of support: the later of the contract's last day and the day before the
/// `years`-th anniversary of the contract start (29 February falls back to 28 February).
pub fn support_end(contract_start: NaiveDate, contract_end: NaiveDate, years: u32) -> NaiveDate {
    let anniversary = contract_start
        .checked_add_months(Months::new(years.saturating_mul(12)))
        .and_then(|d| d.pred_opt())
        .unwrap_or(NaiveDate::MAX);
    anniversary.max(contract_end)
}

/// The table as the annex shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetTable {
    pub contract_start: NaiveDate,
    pub contract_end: NaiveDate,
    /// `support_years_min` in force (profile override or tier default), when the library
    /// defines it.
    pub support_years: Option<u32>,
    pub support_end: NaiveDate,
    pub rows: Vec<BudgetRow>,
    /// Whether the profile gave amounts; without them every amount is blank.
    pub filled: bool,
    /// Column totals in category order, and the grand total (when filled).
    pub totals: Option<(Vec<u64>, u64)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetRow {
    pub fiscal_year: FiscalYear,
    /// The fiscal year overlaps the contract period.
    pub contract: bool,
    /// The fiscal year overlaps the support period beyond the contract's end.
    pub support: bool,
    /// In category order; `None` is a blank cell.
    pub amounts: Vec<Option<u64>>,
    /// The row total (when filled).
    pub total: Option<u64>,
}

impl BudgetTable {
    /// The table for a selection: its contract period, the support period in force, and the
    /// profile's amounts. A budgeted fiscal year outside those periods is an error at its line.
    pub fn for_selection(sel: &Selection) -> Result<BudgetTable, Error> {
        let profile = sel.profile;
        let p = &profile.procurement;
        let support_years = support_years(sel);
        let end = support_end(p.contract_start, p.contract_end, support_years.unwrap_or(0));
        let years = fiscal_years(p.contract_start, end);
        let contract_end_fy = FiscalYear::of(p.contract_end);
        // The first fiscal year with a support day after the contract's end, if any.
        let support_from = (end > p.contract_end)
            .then(|| p.contract_end.succ_opt().map(FiscalYear::of))
            .flatten();

        let mut by_year: BTreeMap<i32, &crate::profile::BudgetYear> = BTreeMap::new();
        let mut problems: Vec<SourceError> = Vec::new();
        if let (Some(budget), Some(&first), Some(&last)) =
            (&profile.budget, years.first(), years.last())
        {
            for y in budget {
                if y.fiscal_year < first.0 || y.fiscal_year > last.0 {
                    problems.push(profile.error_at(
                        &y.at,
                        format!(
                            "fiscal year {} is outside the contract and support period ({} to {}, FY{} to FY{})",
                            y.fiscal_year, p.contract_start, end, first.0, last.0
                        ),
                    ));
                } else {
                    by_year.insert(y.fiscal_year, y);
                }
            }
        }
        if !problems.is_empty() {
            return Err(sources(problems));
        }

        let filled = profile.budget.is_some();
        let rows: Vec<BudgetRow> = years
            .iter()
            .map(|&fy| {
                let amounts: Vec<Option<u64>> = CostCategory::ALL
                    .iter()
                    .map(|c| by_year.get(&fy.0).and_then(|y| y.amounts.get(c).copied()))
                    .collect();
                let total = if filled {
                    Some(checked_sum(profile, amounts.iter().flatten().copied())?)
                } else {
                    None
                };
                Ok(BudgetRow {
                    fiscal_year: fy,
                    contract: fy <= contract_end_fy,
                    support: support_from.is_some_and(|first| fy >= first),
                    amounts,
                    total,
                })
            })
            .collect::<Result<_, Error>>()?;
        let totals = if filled {
            let columns: Vec<u64> = (0..CostCategory::ALL.len())
                .map(|i| checked_sum(profile, rows.iter().filter_map(|r| r.amounts[i])))
                .collect::<Result<_, Error>>()?;
            let grand = checked_sum(profile, columns.iter().copied())?;
            Some((columns, grand))
        } else {
            None
        };
        Ok(BudgetTable {
            contract_start: p.contract_start,
            contract_end: p.contract_end,
            support_years,
            support_end: end,
            rows,
            filled,
            totals,
        })
    }
}

/// The largest amount one budget line may hold: 10兆円, above any procurement's budget, and
/// small enough that the totals of every line of every fiscal year fit in a `u64` many
/// times over, so a sum can never wrap around.
pub const MAX_AMOUNT_YEN: u64 = 10_000_000_000_000;

/// A sum of amounts, checked: amounts are each at most [`MAX_AMOUNT_YEN`] and a profile has
/// at most a few hundred fiscal years of six lines, so this cannot overflow; if it ever could,
/// it is an error naming the profile rather than a total that wrapped around.
fn checked_sum(
    profile: &crate::profile::Profile,
    mut amounts: impl Iterator<Item = u64>,
) -> Result<u64, Error> {
    amounts.try_fold(0u64, u64::checked_add).ok_or_else(|| {
        Error::Source(SourceError {
            file: profile.file.clone(),
            line: 0,
            column: 0,
            field: "budget".into(),
            message: "the amounts add up to more than a total can hold".into(),
            snippet: None,
        })
    })
}

/// `support_years_min` as the selection applies it: the profile's value, else the default
/// for the tier.
fn support_years(sel: &Selection) -> Option<u32> {
    let value = sel
        .profile
        .parameters
        .get(SUPPORT_YEARS)
        .map(|v| v.value.clone())
        .or_else(|| {
            sel.library
                .parameters
                .get(SUPPORT_YEARS)?
                .default
                .for_tier(sel.decision.tier)
                .cloned()
        })?;
    match value {
        ParamValue::Integer(n) => u32::try_from(n).ok(),
        _ => None,
    }
}

/// `12,345,678`: yen with thousands separators.
pub fn format_yen(amount: u64) -> String {
    let digits = amount.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn fiscal_years_run_april_to_march() {
        assert_eq!(FiscalYear::of(d(2026, 4, 1)), FiscalYear(2026));
        assert_eq!(FiscalYear::of(d(2027, 3, 31)), FiscalYear(2026));
        let years = fiscal_years(d(2026, 7, 1), d(2031, 3, 31));
        let labels: Vec<String> = years.iter().map(|y| y.label(Lang::Ja)).collect();
        assert_eq!(
            labels,
            [
                "令和8年度",
                "令和9年度",
                "令和10年度",
                "令和11年度",
                "令和12年度"
            ]
        );
    }

    #[test]
    fn support_runs_to_the_later_of_contract_end_and_the_anniversary() {
        assert_eq!(
            support_end(d(2026, 7, 1), d(2031, 3, 31), 5),
            d(2031, 6, 30)
        );
        assert_eq!(
            support_end(d(2026, 7, 1), d(2031, 3, 31), 3),
            d(2031, 3, 31)
        );
        assert_eq!(
            support_end(d(2028, 2, 29), d(2028, 3, 31), 1),
            d(2029, 2, 27)
        );
    }

    #[test]
    fn yen_has_thousands_separators() {
        assert_eq!(format_yen(0), "0");
        assert_eq!(format_yen(999), "999");
        assert_eq!(format_yen(1000), "1,000");
        assert_eq!(format_yen(12_345_678), "12,345,678");
    }
}
