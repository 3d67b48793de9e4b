//! The security-requirement annex (別紙 セキュリティ要件): the selection laid out as a
//! document — cover block, tier and reasons, one section per keyed requirement, parameters,
//! tailoring record and traceability.

use serde::Serialize;

use super::Templates;
use crate::budget::{BudgetTable, CostCategory, format_yen};
use crate::docx;
use crate::error::Error;
use crate::lang::{Lang, format_date};
use crate::library::{Clause, Library, Origin, render_body};
use crate::selection::Selection;
use crate::tier::tier_name;

/// A rendered annex in every format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annex {
    pub markdown: String,
    pub html: String,
    pub docx: Vec<u8>,
}

/// The formats an annex is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Markdown.
    Md,
    /// A print-ready A4 HTML page (running head, page numbers).
    Html,
    /// A Word document.
    Docx,
}

impl Annex {
    /// The annex in each format `wanted` accepts, as (file name, bytes), in a fixed order:
    /// `annex.<lang>.md`, `.html`, `.docx`.
    pub fn into_files(self, lang: Lang, wanted: impl Fn(Format) -> bool) -> Vec<(String, Vec<u8>)> {
        [
            (Format::Md, "md", self.markdown.into_bytes()),
            (Format::Html, "html", self.html.into_bytes()),
            (Format::Docx, "docx", self.docx),
        ]
        .into_iter()
        .filter(|(f, _, _)| wanted(*f))
        .map(|(_, ext, bytes)| (format!("annex.{lang}.{ext}"), bytes))
        .collect()
    }
}

pub fn render(selection: &Selection, lang: Lang, templates: &Templates) -> Result<Annex, Error> {
    let data = AnnexData::new(selection, lang, templates)?;
    let markdown = templates.render_markdown("annex.md", &data)?;
    let title = format!(
        "{} — {} {}",
        templates.label("title", lang),
        data.procurement.id,
        data.procurement.title
    );
    let html = templates.html_page(&title, lang, "document.css", &markdown)?;
    let meta = docx::Meta {
        title,
        lang,
        footer: format!("{} {}", data.procurement.id, templates.label("title", lang)),
        date: selection.profile.procurement.issued,
        landscape: false,
    };
    let docx = docx::write(&meta, &docx::from_markdown(&markdown, lang));
    Ok(Annex {
        markdown,
        html,
        docx,
    })
}

#[derive(Serialize)]
struct AnnexData<'a> {
    lang: &'a str,
    l: std::collections::BTreeMap<&'a str, &'a str>,
    procurement: ProcurementData<'a>,
    tier: TierData,
    sections: Vec<Section<'a>>,
    parameters: Vec<ParameterRow>,
    budget: BudgetData,
    excluded: Vec<ExcludedRow<'a>>,
    retired: Vec<ExcludedRow<'a>>,
    traceability: Vec<TraceRow<'a>>,
}

#[derive(Serialize)]
struct ProcurementData<'a> {
    id: &'a str,
    title: &'a str,
    buyer: &'a str,
    vendor: Option<&'a str>,
    issued: String,
    period: String,
    description: Option<&'a str>,
}

#[derive(Serialize)]
struct TierData {
    level: u8,
    name: String,
    description: String,
    derived: u8,
    derived_name: String,
    reasons: Vec<String>,
    rule: String,
    deviation: Option<Deviation>,
}

#[derive(Serialize)]
struct Deviation {
    derived_name: String,
    name: String,
    reason: String,
}

#[derive(Serialize)]
struct Section<'a> {
    id: &'a str,
    title: &'a str,
    summary: &'a str,
    clauses: Vec<ClauseData<'a>>,
}

#[derive(Serialize)]
struct ClauseData<'a> {
    id: &'a str,
    title: &'a str,
    body: String,
    requirements: String,
    references: String,
    origin: &'a str,
}

#[derive(Serialize)]
struct ParameterRow {
    name: String,
    label: String,
    value: String,
    unit: String,
    /// The tier's default, with its unit.
    default: String,
    /// Whether the profile overrode the default, in words.
    source: String,
    clauses: String,
}

/// The fiscal-year budget table of (6)-2.4, as strings ready for the Markdown table.
#[derive(Serialize)]
struct BudgetData {
    intro: String,
    headers: Vec<&'static str>,
    rows: Vec<BudgetRowData>,
    total: BudgetRowData,
}

#[derive(Serialize)]
struct BudgetRowData {
    label: String,
    period: String,
    cells: Vec<String>,
    total: String,
}

#[derive(Serialize)]
struct ExcludedRow<'a> {
    id: &'a str,
    title: &'a str,
    reason: &'a str,
}

#[derive(Serialize)]
struct TraceRow<'a> {
    id: &'a str,
    title: &'a str,
    clauses: String,
}

impl<'a> AnnexData<'a> {
    fn new(
        sel: &'a Selection<'a>,
        lang: Lang,
        templates: &'a Templates,
    ) -> Result<AnnexData<'a>, Error> {
        let lib = sel.library;
        let p = &sel.profile.procurement;
        let d = &sel.decision;
        let sep = match lang {
            Lang::Ja => "、",
            Lang::En => ", ",
        };
        let period = match lang {
            Lang::Ja => format!(
                "{}から{}まで",
                format_date(p.contract_start, lang),
                format_date(p.contract_end, lang)
            ),
            Lang::En => format!(
                "{} to {}",
                format_date(p.contract_start, lang),
                format_date(p.contract_end, lang)
            ),
        };
        let tier = TierData {
            level: d.tier,
            name: tier_name(lib, d.tier, lang),
            description: lib
                .tier_info(d.tier)
                .map(|t| t.description.get(lang).to_string())
                .unwrap_or_default(),
            derived: d.derived_tier,
            derived_name: tier_name(lib, d.derived_tier, lang),
            reasons: d.reasons_in(lang, lib),
            rule: lib.rule.description.get(lang).trim().to_string(),
            deviation: d.deviation().map(|(from, to, reason)| Deviation {
                derived_name: tier_name(lib, *from, lang),
                name: tier_name(lib, *to, lang),
                reason: reason.to_string(),
            }),
        };

        // Each clause goes under the first keyed requirement it cites; clauses that cite
        // none (an overlay may add such) go to a last section of their own.
        let mut sections: Vec<Section> = lib
            .keyed_requirements()
            .map(|r| Section {
                id: &r.id,
                title: r.title.get(lang),
                summary: r.summary.as_ref().map_or("", |s| s.get(lang)),
                clauses: Vec::new(),
            })
            .collect();
        let mut other = Section {
            id: "",
            title: templates.label("other_requirements", lang),
            summary: "",
            clauses: Vec::new(),
        };
        for selected in &sel.clauses {
            let c = selected.clause;
            let data = ClauseData {
                id: &c.id,
                title: c.title.get(lang),
                body: render_body(c.body.get(lang), &selected.values, d.tier).map_err(
                    |message| Error::Template {
                        name: format!("{} ({}, clause {})", c.file, lang, c.id),
                        message,
                    },
                )?,
                requirements: c
                    .requirements
                    .iter()
                    .map(|r| requirement_label(lib, r, lang))
                    .collect::<Vec<_>>()
                    .join(sep),
                references: c
                    .references
                    .iter()
                    .map(|id| {
                        lib.reference(id).map_or_else(
                            || requirement_label(lib, id, lang),
                            |r| r.title.get(lang).to_string(),
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(if lang == Lang::Ja { "、" } else { "; " }),
                origin: match lib.origins.get(&c.id) {
                    Some(Origin::OverlayAdded) => "overlay_added",
                    Some(Origin::OverlayReplaced) => "overlay_replaced",
                    _ => "bundled",
                },
            };
            match sections
                .iter_mut()
                .find(|s| c.requirements.iter().any(|r| r == s.id))
            {
                Some(section) => section.clauses.push(data),
                None => other.clauses.push(data),
            }
        }
        if !other.clauses.is_empty() {
            sections.push(other);
        }

        let parameters = sel
            .parameters
            .iter()
            .map(|rp| {
                let unit = rp.spec.unit.as_ref().map_or("", |u| u.get(lang));
                let with_unit = |v: String| match (unit.is_empty(), lang) {
                    (true, _) => v,
                    (false, Lang::Ja) => format!("{v}{unit}"),
                    (false, Lang::En) => format!("{v} {}", english_unit(unit, &v)),
                };
                let default = rp
                    .spec
                    .default
                    .for_tier(d.tier)
                    .map_or_else(String::new, |v| with_unit(v.display(lang)));
                let source = if rp.from_profile {
                    templates.label("param_from_profile", lang).to_string()
                } else {
                    templates.label("param_tier_default", lang).to_string()
                };
                ParameterRow {
                    name: rp.name.clone(),
                    label: rp.spec.label.get(lang).to_string(),
                    value: rp.value.display(lang),
                    unit: unit.to_string(),
                    default,
                    source,
                    clauses: rp.clauses.join(sep),
                }
            })
            .collect();
        let budget = budget_data(&BudgetTable::for_selection(sel)?, lang, templates);

        let excluded = sel
            .excluded
            .iter()
            .map(|(c, reason)| row(c, reason, lang))
            .collect();
        let retired = lib
            .retired
            .iter()
            .map(|(r, _)| ExcludedRow {
                id: &r.clause,
                title: "",
                reason: &r.reason,
            })
            .collect();

        let traceability = lib
            .requirements
            .iter()
            .filter_map(|r| {
                let ids: Vec<&str> = sel
                    .clauses
                    .iter()
                    .filter(|s| s.clause.requirements.contains(&r.id))
                    .map(|s| s.clause.id.as_str())
                    .collect();
                (r.keyed || !ids.is_empty()).then(|| TraceRow {
                    id: &r.id,
                    title: r.title.get(lang),
                    clauses: ids.join(sep),
                })
            })
            .collect();

        Ok(AnnexData {
            lang: lang.code(),
            l: templates.labels(lang),
            procurement: ProcurementData {
                id: &p.id,
                title: &p.title,
                buyer: &p.buyer,
                vendor: p.vendor.as_deref(),
                issued: format_date(p.issued, lang),
                period,
                description: sel.profile.system.description.as_deref().map(str::trim),
            },
            tier,
            sections,
            parameters,
            budget,
            excluded,
            retired,
            traceability,
        })
    }
}

fn row<'a>(c: &'a Clause, reason: &'a str, lang: Lang) -> ExcludedRow<'a> {
    ExcludedRow {
        id: &c.id,
        title: c.title.get(lang),
        reason,
    }
}

/// `(6)-2.1 セキュリティ要件の定義`.
fn requirement_label(lib: &Library, id: &str, lang: Lang) -> String {
    match lib.requirement(id) {
        Some(r) => format!("{} {}", r.id, r.title.get(lang)),
        None => id.to_string(),
    }
}

fn budget_data(table: &BudgetTable, lang: Lang, templates: &Templates) -> BudgetData {
    let date = |d| format_date(d, lang);
    let years = table.support_years.unwrap_or(0);
    let period = match lang {
        Lang::Ja => format!(
            "表の年度は、契約期間（{}から{}まで）及びサポート期間に係る会計年度（4月1日から翌年3月31日まで）である。サポート期間は、LIFE-01の納入の日を契約期間の初日とみなし、その日から{years}年を経過する日と契約期間の満了日のいずれか遅い日である{}までとして算定した。",
            date(table.contract_start),
            date(table.contract_end),
            date(table.support_end)
        ),
        Lang::En => format!(
            "The rows are the fiscal years (1 April to 31 March) of the contract period ({} to {}) and of the support period. The support period is reckoned as in LIFE-01, taking the contract start as the delivery date: it ends on {}, the later of the end of the contract period and {years} {} after the contract start.",
            date(table.contract_start),
            date(table.contract_end),
            date(table.support_end),
            english_unit("years", &years.to_string())
        ),
    };
    let ask = match (table.filled, lang) {
        (false, Lang::Ja) => {
            "提案者は、LIFE-02に定める費目ごとの費用（単位：円、消費税及び地方消費税を含む。）を次の表に記入し、提案書に添付しなければならない。"
        }
        (false, Lang::En) => {
            "The Proposer shall enter in the table below the cost of each item of LIFE-02 (in yen, including consumption tax) and attach it to its proposal."
        }
        (true, Lang::Ja) => {
            "発注者が各会計年度に予定する費目ごとの金額は次のとおりである（単位：円、消費税及び地方消費税を含む。）。空欄は、発注者が金額を予定していないことを示す。提案者は、これと異なる金額を提案するときは、その内訳及び理由を提案書に記載しなければならない。"
        }
        (true, Lang::En) => {
            "The amounts the Buyer plans for each item and fiscal year are as follows (in yen, including consumption tax); a blank cell means the Buyer plans no amount. A Proposer proposing different amounts shall state the breakdown and the reasons in its proposal."
        }
    };
    let cell = |v: Option<u64>| v.map_or_else(String::new, format_yen);
    let period_label = |contract: bool, support: bool| {
        let mut parts = Vec::new();
        if contract {
            parts.push(templates.label("budget_contract", lang));
        }
        if support {
            parts.push(templates.label("budget_support", lang));
        }
        parts.join(if lang == Lang::Ja { "・" } else { ", " })
    };
    let rows = table
        .rows
        .iter()
        .map(|r| BudgetRowData {
            label: r.fiscal_year.label(lang),
            period: period_label(r.contract, r.support),
            cells: r.amounts.iter().map(|a| cell(*a)).collect(),
            total: cell(r.total),
        })
        .collect();
    let total = BudgetRowData {
        label: templates.label("total", lang).to_string(),
        period: String::new(),
        cells: match &table.totals {
            Some((columns, _)) => columns.iter().map(|c| format_yen(*c)).collect(),
            None => vec![String::new(); CostCategory::ALL.len()],
        },
        total: table
            .totals
            .as_ref()
            .map_or_else(String::new, |(_, g)| format_yen(*g)),
    };
    BudgetData {
        intro: format!("{ask}{}{period}", if lang == Lang::Ja { "" } else { " " }),
        headers: CostCategory::ALL.iter().map(|c| c.label(lang)).collect(),
        rows,
        total,
    }
}

/// An English unit for a quantity: `1 day`, `2 days`, `1 business day`. Units are written in
/// the plural in the library; the first plural word is made singular for exactly 1.
fn english_unit(unit: &str, value: &str) -> String {
    if value.trim() != "1" {
        return unit.to_string();
    }
    let mut done = false;
    unit.split(' ')
        .map(|word| {
            let singular = ["days", "hours", "minutes", "weeks", "months", "years"];
            if !done && singular.contains(&word) {
                done = true;
                word.trim_end_matches('s').to_string()
            } else {
                word.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::english_unit;

    #[test]
    fn units_are_singular_for_one() {
        assert_eq!(english_unit("business days", "1"), "business day");
        assert_eq!(english_unit("months before", "1"), "month before");
        assert_eq!(english_unit("days", "2"), "days");
        assert_eq!(english_unit("yen", "1"), "yen");
    }
}
