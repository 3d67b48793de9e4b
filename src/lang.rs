//! Output languages, bilingual text, and Japanese dates (和暦).

use std::fmt;

use chrono::{Datelike, NaiveDate};
use clap::ValueEnum;
use serde::{Deserialize, Serialize};

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    Serialize,
    Deserialize,
    ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Ja,
    En,
}

impl Lang {
    /// Between the items of a list: 「、」 in Japanese, ", " in English.
    pub fn list_separator(self) -> &'static str {
        match self {
            Lang::Ja => "、",
            Lang::En => ", ",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    pub const ALL: [Lang; 2] = [Lang::Ja, Lang::En];
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Text in both languages. Either may be missing in a file; `chotatsu check` reports it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    #[serde(default)]
    pub ja: Option<String>,
    #[serde(default)]
    pub en: Option<String>,
}

impl Text {
    pub fn new(ja: &str, en: &str) -> Self {
        Text {
            ja: Some(ja.to_string()),
            en: Some(en.to_string()),
        }
    }

    /// The text in `lang`, or an empty string when missing (check rejects that earlier).
    pub fn get(&self, lang: Lang) -> &str {
        self.in_lang(lang).unwrap_or("")
    }

    /// The text in `lang`, if there is one.
    pub fn in_lang(&self, lang: Lang) -> Option<&str> {
        match lang {
            Lang::Ja => self.ja.as_deref(),
            Lang::En => self.en.as_deref(),
        }
    }

    /// The languages whose text is missing or blank.
    pub fn missing(&self) -> Vec<Lang> {
        Lang::ALL
            .into_iter()
            .filter(|&l| self.get(l).trim().is_empty())
            .collect()
    }
}

/// A date as written in documents of `lang`: 令和8年4月1日 in Japanese (the era used in
/// Japanese public documents), `1 April 2026` in English.
pub fn format_date(date: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Ja => japanese_era_date(date),
        Lang::En => format!(
            "{} {} {}",
            date.day(),
            MONTHS[date.month0() as usize],
            date.year()
        ),
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Eras from their first day, newest first. Dates before 平成 are written in the Gregorian
/// calendar: no procurement chotatsu writes is dated before 1989.
const ERAS: [(&str, i32, u32, u32); 2] = [("令和", 2019, 5, 1), ("平成", 1989, 1, 8)];

fn japanese_era_date(date: NaiveDate) -> String {
    for (name, y, m, d) in ERAS {
        let start = NaiveDate::from_ymd_opt(y, m, d).expect("era start is a valid date");
        if date >= start {
            let year = date.year() - y + 1;
            let year = if year == 1 {
                "元".to_string()
            } else {
                year.to_string()
            };
            return format!("{name}{year}年{}月{}日", date.month(), date.day());
        }
    }
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// The number of an article as a reference and a heading show it: 第5条 / Article 5.
pub fn article_label(n: usize, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!("第{n}条"),
        Lang::En => format!("Article {n}"),
    }
}

/// A paragraph (項) number from the second on, as a Japanese contract writes it: ２, ３, …,
/// １０ (full-width digits).
pub fn paragraph_number(n: usize) -> String {
    full_width_digits(n)
}

/// An item (号) number: （１）, （２）, ….
pub fn item_number(n: usize) -> String {
    format!("（{}）", full_width_digits(n))
}

fn full_width_digits(n: usize) -> String {
    n.to_string()
        .chars()
        .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c))
        .collect()
}

/// A Japanese fiscal year (年度, April to March) by the calendar year it starts in, as public
/// documents write it: 2026 → 令和8年度. A fiscal year in which the era changed takes the new
/// era's name (2019 → 令和元年度), as the government did; years before 平成 stay Gregorian.
pub fn japanese_fiscal_year(start_year: i32) -> String {
    for (name, y, _, _) in ERAS {
        if start_year >= y {
            let year = start_year - y + 1;
            return if year == 1 {
                format!("{name}元年度")
            } else {
                format!("{name}{year}年度")
            };
        }
    }
    format!("{start_year}年度")
}

/// `Apr 2026–Mar 2027`: the months of a fiscal year, in English.
pub fn english_fiscal_year(start_year: i32) -> String {
    format!("FY{start_year} (Apr {start_year}–Mar {})", start_year + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fiscal_years_take_the_era_of_their_start_year() {
        assert_eq!(japanese_fiscal_year(2026), "令和8年度");
        assert_eq!(japanese_fiscal_year(2030), "令和12年度");
        assert_eq!(japanese_fiscal_year(2019), "令和元年度");
        assert_eq!(japanese_fiscal_year(2018), "平成30年度");
        assert_eq!(japanese_fiscal_year(1989), "平成元年度");
        assert_eq!(japanese_fiscal_year(1988), "1988年度");
        assert_eq!(english_fiscal_year(2026), "FY2026 (Apr 2026–Mar 2027)");
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn era_dates_follow_the_era_boundaries() {
        assert_eq!(format_date(d(2026, 4, 1), Lang::Ja), "令和8年4月1日");
        assert_eq!(format_date(d(2019, 5, 1), Lang::Ja), "令和元年5月1日");
        assert_eq!(format_date(d(2019, 4, 30), Lang::Ja), "平成31年4月30日");
        assert_eq!(format_date(d(1989, 1, 8), Lang::Ja), "平成元年1月8日");
        assert_eq!(format_date(d(1989, 1, 7), Lang::Ja), "1989年1月7日");
        assert_eq!(format_date(d(2031, 3, 31), Lang::Ja), "令和13年3月31日");
    }

    #[test]
    fn english_dates_spell_the_month() {
        assert_eq!(format_date(d(2026, 4, 1), Lang::En), "1 April 2026");
    }
}
