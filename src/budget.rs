//! The lifecycle budget table of requirement (6)-2.4: one row per Japanese fiscal year
//! (年度, April to March) touched by the contract period or the support period, one column per
//! cost category, blank or filled from the profile's `budget:` section with row and column
//! totals. A pure function of the profile and the support period in force; the selection
//! builds it, so every command agrees on what a bad `budget:` is.
//!
//! The support period is the one the support clause sets: until the later of the contract's
//! end and `support_years_min` years after delivery. Without a delivery date in the profile
//! the table counts from the contract start, the earliest date the software can be delivered,
//! and the documents say so.

use std::collections::BTreeMap;

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

use crate::error::{Error, SourceError};
use crate::lang::{Lang, english_fiscal_year, japanese_fiscal_year};
pub use crate::profile::CostCategory;
use crate::profile::{Profile, sources};

/// The parameter that sets the support period.
pub const SUPPORT_YEARS: &str = "support_years_min";

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
/// `years`-th anniversary of `from`, the delivery date (29 February falls back to 28
/// February).
pub fn support_end(from: NaiveDate, contract_end: NaiveDate, years: u32) -> NaiveDate {
    let anniversary = from
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
    /// The day the support period is counted from, and whether it is the delivery date the
    /// profile gives (else the contract start).
    pub support_from: NaiveDate,
    pub from_delivery: bool,
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
    /// The table for `profile` with the support period of `support_years` (none when the
    /// library has no such parameter). A budgeted fiscal year outside the periods is an error
    /// at its line.
    pub fn new(profile: &Profile, support_years: Option<u32>) -> Result<BudgetTable, Error> {
        let p = &profile.procurement;
        let from = p.support_from();
        let end = support_end(from, p.contract_end, support_years.unwrap_or(0));
        let years = fiscal_years(p.contract_start, end);
        let contract_end_fy = FiscalYear::of(p.contract_end);
        // The first fiscal year with a support day after the contract's end, if any.
        let support_first = (end > p.contract_end)
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
                        &y.path,
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
                    support: support_first.is_some_and(|first| fy >= first),
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
            support_from: from,
            from_delivery: p.delivery.is_some(),
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
