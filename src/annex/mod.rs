//! The two documents of a procurement built from the selection: the RFP (調達仕様書 別紙:
//! what bidders submit and disclose, how the questionnaire is evaluated, the tier and its
//! reasons, the buyer's planned budget as the profile chooses to disclose it) and the
//! contract annex (契約書別紙: the obligations of the parties only). Both are laid out as a
//! Japanese contract annex is: a definitions article first, articles 第N条（見出し） grouped
//! in chapters by requirement, tables of the values the buyer sets and of exclusions, and a
//! traceability table (要求事項対応表) at the end, the only place clause IDs are shown.

mod legal;

use std::collections::BTreeMap;

use serde::Serialize;

pub use legal::legal_form;

use crate::budget::{BudgetTable, CostCategory, format_yen};
use crate::docx;
use crate::error::Error;
use crate::facts::Stage;
use crate::lang::{Lang, article_label, format_date};
use crate::library::{Library, Part, render_body, values_for_reader};
use crate::profile::BudgetDisclosure;
use crate::questionnaire::{Hints, Questionnaire, expected_text};
use crate::render::Templates;
use crate::render::markdown::clause_marker;
use crate::selection::Selection;
use crate::tier::tier_name;

/// A rendered document: its Markdown, and the HTML and Word formats when they were asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub markdown: String,
    pub html: Option<String>,
    pub docx: Option<Vec<u8>>,
    /// Every article of a clause, in document order: what `impact` compares.
    pub articles: Vec<ArticleDigest>,
}

/// One clause's article as rendered: its ID, its number (第N条 / Article N) and the SHA-256
/// of its heading and text, so a later library that words it differently, changes one of
/// its numbers or no longer selects it can be told from the manifest alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleDigest {
    pub id: String,
    pub article: String,
    pub sha256: String,
}

/// The formats a document is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Markdown.
    Md,
    /// A print-ready A4 HTML page (running head, page numbers).
    Html,
    /// A Word document.
    Docx,
}

/// The file name stem of a stage's document: `rfp` or `annex`.
pub fn file_stem(stage: Stage) -> &'static str {
    match stage {
        Stage::Rfp => "rfp",
        Stage::Contract => "annex",
    }
}

impl Document {
    /// The document in each format `wanted` accepts (of those rendered), as (file name,
    /// bytes), in a fixed order: `<stem>.<lang>.md`, `.html`, `.docx`.
    pub fn into_files(
        self,
        stage: Stage,
        lang: Lang,
        wanted: impl Fn(Format) -> bool,
    ) -> Vec<(String, Vec<u8>)> {
        let stem = file_stem(stage);
        [
            (Format::Md, "md", Some(self.markdown.into_bytes())),
            (Format::Html, "html", self.html.map(String::into_bytes)),
            (Format::Docx, "docx", self.docx),
        ]
        .into_iter()
        .filter(|(f, _, _)| wanted(*f))
        .filter_map(|(_, ext, bytes)| Some((format!("{stem}.{lang}.{ext}"), bytes?)))
        .collect()
    }
}

/// Render the document of `stage` in `lang`: its Markdown, and its HTML and Word formats
/// where `wanted` accepts them (a command that writes one format renders only that one).
pub fn render(
    selection: &Selection,
    stage: Stage,
    lang: Lang,
    templates: &Templates,
    wanted: impl Fn(Format) -> bool,
) -> Result<Document, Error> {
    let data = DocumentData::new(selection, stage, lang, templates)?;
    let template = match stage {
        Stage::Rfp => "rfp.md",
        Stage::Contract => "annex.md",
    };
    let markdown = templates.render_markdown(template, &data)?;
    let articles = data
        .chapters
        .iter()
        .flat_map(|c| &c.articles)
        .map(|a| ArticleDigest {
            id: a.id.to_string(),
            article: a.number.clone(),
            sha256: crate::digest::sha256_hex_repeated(&format!("{}\n{}", a.title, a.body)),
        })
        .collect();
    let title_key = match stage {
        Stage::Rfp => "rfp_title",
        Stage::Contract => "title",
    };
    let title = format!(
        "{} — {} {}",
        templates.get(title_key, lang)?,
        data.procurement.id,
        data.procurement.title
    );
    // Parsed once when both the page and the Word file are wanted.
    let parsed: Option<Vec<pulldown_cmark::Event>> = (wanted(Format::Html) && wanted(Format::Docx))
        .then(|| crate::render::markdown::events(&markdown).collect());
    let html = wanted(Format::Html)
        .then(|| match &parsed {
            Some(events) => {
                templates.html_page_of(&title, lang, "document.css", events.iter().cloned())
            }
            None => templates.html_page(&title, lang, "document.css", &markdown),
        })
        .transpose()?;
    let meta = docx::Meta {
        title,
        lang,
        footer: format!(
            "{} {}",
            data.procurement.id,
            templates.get(title_key, lang)?
        ),
        date: selection.profile.procurement.issued,
        landscape: false,
    };
    let docx = wanted(Format::Docx).then(|| {
        let blocks = match parsed {
            Some(events) => docx::from_events(events, lang),
            None => docx::from_markdown(&markdown, lang),
        };
        docx::write(&meta, &blocks)
    });
    Ok(Document {
        markdown,
        html,
        docx,
        articles,
    })
}

/// The article number of every clause in the document of `stage`, in document order: the
/// definitions article is 第1条 (and carries the clause whose part is `definitions`), the
/// clauses follow in chapter order.
pub fn articles(selection: &Selection, stage: Stage, lang: Lang) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = ordered(selection, stage)
        .into_iter()
        .enumerate()
        .map(|(i, (_, id))| (id.to_string(), article_label(i + 2, lang)))
        .collect();
    if let Some(d) = definitions_clause(selection, stage) {
        out.insert(d.clause.id.clone(), article_label(1, lang));
    }
    out
}

/// The selected clause whose text completes the definitions article, if any.
fn definitions_clause<'s>(
    selection: &'s Selection,
    stage: Stage,
) -> Option<&'s crate::selection::SelectedClause<'s>> {
    selection
        .in_stage(stage)
        .find(|s| s.clause.part == Part::Definitions)
}

/// The selected clauses of `stage` in document order, each with the index of its chapter:
/// the general provisions (after the definitions article), the keyed requirements in the
/// guideline's order, then one for clauses citing none.
fn ordered<'s>(selection: &'s Selection, stage: Stage) -> Vec<(usize, &'s str)> {
    let lib = selection.library;
    let keyed: Vec<&str> = lib.keyed_requirements().map(|r| r.id.as_str()).collect();
    let mut out: Vec<(usize, &str)> = selection
        .in_stage(stage)
        .filter(|s| s.clause.part != Part::Definitions)
        .map(|s| {
            let chapter = match s.clause.part {
                Part::General => 0,
                _ => {
                    1 + keyed
                        .iter()
                        .position(|k| s.clause.requirements.iter().any(|r| r == k))
                        .unwrap_or(keyed.len())
                }
            };
            (chapter, s.clause.id.as_str())
        })
        .collect();
    out.sort_by_key(|(chapter, _)| *chapter);
    out
}

#[derive(Serialize)]
struct DocumentData<'a> {
    lang: &'a str,
    stage: &'a str,
    l: BTreeMap<&'a str, &'a str>,
    procurement: ProcurementData<'a>,
    tier: TierData,
    /// The guideline with its edition, as cited in running text.
    guideline: String,
    chapters: Vec<Chapter<'a>>,
    parameters: Vec<ParameterRow>,
    budget: Option<BudgetData>,
    excluded: Vec<ExcludedRow<'a>>,
    criteria: Vec<Criterion>,
    traceability: Vec<TraceRow>,
}

#[derive(Serialize)]
struct ProcurementData<'a> {
    id: &'a str,
    title: &'a str,
    buyer: &'a str,
    representative: Option<&'a str>,
    department: Option<&'a str>,
    vendor: Option<&'a str>,
    issued: String,
    period: String,
    contract_type: &'a str,
    delivery: Option<String>,
    description: Option<&'a str>,
}

#[derive(Serialize)]
struct TierData {
    level: u8,
    name: String,
    description: String,
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

/// What `definitions.md` renders: the defined parties and dates, in the library's Markdown.
#[derive(Serialize)]
struct DefinitionsData<'a> {
    lang: &'a str,
    stage: &'a str,
    /// `development`, `package`, `saas` or `operation`: a subscription or an operation
    /// contract delivers nothing, so it defines no delivery date.
    contract_type: &'a str,
    procurement: &'a ProcurementData<'a>,
    definitions: &'a Definitions,
}

/// What the definitions article needs beyond the procurement: the support period, when a
/// selected clause sets one.
#[derive(Serialize)]
struct Definitions {
    /// The article that sets the support period (第N条), if it is in this document.
    support_article: Option<String>,
    support_end: String,
    /// The support period is counted from the delivery date the profile gives.
    from_delivery: bool,
}

#[derive(Serialize)]
struct Chapter<'a> {
    number: usize,
    title: &'a str,
    summary: &'a str,
    articles: Vec<Article<'a>>,
}

#[derive(Serialize)]
struct Article<'a> {
    id: &'a str,
    marker: String,
    number: String,
    title: &'a str,
    body: String,
}

#[derive(Serialize)]
struct ParameterRow {
    label: String,
    value: String,
    articles: String,
    /// Set by the buyer for this procurement rather than the library's value for the tier.
    from_profile: bool,
}

/// The fiscal-year budget table, as strings ready for the Markdown table.
#[derive(Serialize)]
struct BudgetData {
    contract_start: String,
    support_end: String,
    support_from: String,
    from_delivery: bool,
    /// The support period in years after delivery; none when it ends with the contract.
    years: Option<String>,
    /// `year` or `years` (English).
    years_unit: String,
    headers: Vec<String>,
    /// The blank form bidders fill in.
    form: Vec<BudgetRowData>,
    /// The buyer's planned amounts as disclosed: itemised rows, totals only, or none.
    disclosure: &'static str,
    planned: Vec<BudgetRowData>,
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
    title: &'a str,
    reason: &'a str,
}

#[derive(Serialize)]
struct Criterion {
    id: String,
    requirement: String,
    question: String,
    expected: String,
    weight: u32,
}

#[derive(Serialize)]
struct TraceRow {
    article: String,
    id: String,
    title: String,
    requirements: String,
}

impl<'a> DocumentData<'a> {
    fn new(
        sel: &'a Selection<'a>,
        stage: Stage,
        lang: Lang,
        templates: &'a Templates,
    ) -> Result<DocumentData<'a>, Error> {
        let lib = sel.library;
        let p = &sel.profile.procurement;
        let d = &sel.decision;
        let flags = templates.flag_words(lang)?;
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
            reasons: d.reasons_in(lang, lib),
            rule: lib.rule.description.get(lang).trim().to_string(),
            deviation: d.deviation().map(|(from, to, reason)| Deviation {
                derived_name: tier_name(lib, *from, lang),
                name: tier_name(lib, *to, lang),
                reason: reason.to_string(),
            }),
        };

        let numbers = articles(sel, stage, lang);
        let keyed: Vec<_> = lib.keyed_requirements().collect();
        let mut chapters: Vec<Chapter> = vec![Chapter {
            number: 1,
            title: templates.get("general_provisions", lang)?,
            summary: "",
            articles: Vec::new(),
        }];
        chapters.extend(keyed.iter().map(|r| Chapter {
            number: 0,
            title: r.chapter.as_ref().unwrap_or(&r.title).get(lang),
            summary: r.summary.as_ref().map_or("", |s| s.get(lang)),
            articles: Vec::new(),
        }));
        chapters.push(Chapter {
            number: 0,
            title: templates.get("other_requirements", lang)?,
            summary: "",
            articles: Vec::new(),
        });
        let ctx = sel.body_context(stage, &numbers);
        let render_clause = |selected: &crate::selection::SelectedClause| {
            let c = selected.clause;
            let values = values_for_reader(&lib.parameters, &selected.values, lang);
            let body = render_body(c.body.get(lang), &values, &ctx).map_err(|message| {
                Error::Template {
                    name: format!("{} ({lang}, clause {})", c.file, c.id),
                    message,
                }
            })?;
            if let Some(missing) = body.cites.iter().find(|id| !numbers.contains_key(*id)) {
                return Err(Error::Template {
                    name: format!("{} ({lang}, clause {})", c.file, c.id),
                    message: format!(
                        "refers to clause {missing}, which is not in the {stage} document"
                    ),
                });
            }
            Ok(body.text)
        };
        for (chapter, id) in ordered(sel, stage) {
            let Some(selected) = sel.clauses.iter().find(|s| s.clause.id == id) else {
                continue;
            };
            let c = selected.clause;
            let text = render_clause(selected)?;
            chapters[chapter].articles.push(Article {
                id: &c.id,
                marker: clause_marker(&c.id),
                number: numbers.get(&c.id).cloned().unwrap_or_default(),
                title: c.title.get(lang),
                body: legal_form(&text, lang),
            });
        }

        let article_list = |ids: &[String]| -> String {
            let mut seen: Vec<&str> = Vec::new();
            for id in ids {
                if let Some(a) = numbers.get(id)
                    && !seen.contains(&a.as_str())
                {
                    seen.push(a);
                }
            }
            seen.join(sep)
        };
        // The values this document's text shows: a value used only in the other stage's
        // wording (the RFP's reply deadline, say) is not listed in the contract annex.
        let mut shown_in: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for s in sel.in_stage(stage) {
            for name in s.shown.get(&stage).into_iter().flatten() {
                shown_in
                    .entry(name.clone())
                    .or_default()
                    .push(s.clause.id.clone());
            }
        }
        // In the order of the articles that first use them, as a reader meets them.
        let position: BTreeMap<&str, usize> = definitions_clause(sel, stage)
            .map(|d| d.clause.id.as_str())
            .into_iter()
            .chain(ordered(sel, stage).into_iter().map(|(_, id)| id))
            .enumerate()
            .map(|(i, id)| (id, i))
            .collect();
        let first = |ids: &[String]| {
            ids.iter()
                .filter_map(|id| position.get(id.as_str()))
                .min()
                .copied()
                .unwrap_or(usize::MAX)
        };
        let mut rows: Vec<_> = sel
            .parameters
            .iter()
            .filter_map(|rp| shown_in.get(&rp.name).map(|ids| (rp, ids)))
            .collect();
        // Each key worked out once: it looks up every clause the value is shown in.
        rows.sort_by_cached_key(|(rp, ids)| (first(ids), rp.name.clone()));
        let parameters = rows
            .into_iter()
            .map(|(rp, ids)| {
                let unit = rp.spec.unit.as_ref().map_or("", |u| u.get(lang));
                let value = rp.spec.display(&rp.value, lang, flags);
                let value = match (unit.is_empty(), lang) {
                    (true, _) => value,
                    (false, Lang::Ja) => format!("{value}{unit}"),
                    (false, Lang::En) => format!("{value} {}", english_unit(unit, &value)),
                };
                ParameterRow {
                    label: rp.spec.label.get(lang).to_string(),
                    value,
                    articles: article_list(ids),
                    from_profile: rp.from_profile,
                }
            })
            .collect();

        let support_article = lib
            .parameters
            .contains_key(crate::budget::SUPPORT_YEARS)
            .then(|| {
                sel.in_stage(stage)
                    .find(|s| s.values.contains_key(crate::budget::SUPPORT_YEARS))
                    .and_then(|s| numbers.get(&s.clause.id).cloned())
            })
            .flatten();
        let definitions = Definitions {
            support_article,
            support_end: format_date(sel.budget.support_end, lang),
            from_delivery: sel.budget.from_delivery,
        };
        let buyer = &p.buyer;
        let procurement = ProcurementData {
            id: &p.id,
            title: &p.title,
            buyer: &buyer.entity,
            representative: buyer.representative.as_deref(),
            department: buyer.department.as_deref(),
            vendor: p.vendor.as_deref(),
            issued: format_date(p.issued, lang),
            period,
            contract_type: templates
                .get(&format!("contract_type_{}", p.contract_type.key()), lang)?,
            delivery: p.delivery.map(|d| format_date(d, lang)),
            description: sel.profile.system.description.as_deref().map(str::trim),
        };

        // The definitions article: the parties and dates from the template, then the terms
        // of the library's definitions clause, numbered as one list.
        let mut text = templates.render_markdown(
            "definitions.md",
            &DefinitionsData {
                lang: lang.code(),
                stage: stage.key(),
                contract_type: p.contract_type.key(),
                procurement: &procurement,
                definitions: &definitions,
            },
        )?;
        let defining = definitions_clause(sel, stage);
        if let Some(d) = defining {
            text = format!("{}\n{}", text.trim_end(), render_clause(d)?);
        }
        chapters[0].articles.insert(
            0,
            Article {
                id: defining.map_or("", |d| d.clause.id.as_str()),
                marker: defining.map_or_else(String::new, |d| clause_marker(&d.clause.id)),
                number: article_label(1, lang),
                title: match defining {
                    Some(d) => d.clause.title.get(lang),
                    None => templates.get("definitions", lang)?,
                },
                body: legal_form(&text, lang),
            },
        );
        chapters.retain(|c| !c.articles.is_empty());
        for (i, chapter) in chapters.iter_mut().enumerate() {
            chapter.number = i + 1;
        }

        let budget = (stage == Stage::Rfp)
            .then(|| budget_data(&sel.budget, sel.profile.budget_disclosure, lang, templates))
            .transpose()?;

        let excluded = sel
            .excluded
            .iter()
            .filter(|(c, _)| c.in_stage(stage))
            .map(|(c, reason)| ExcludedRow {
                title: c.title.get(lang),
                reason,
            })
            .collect();

        let criteria = if stage == Stage::Rfp {
            let qn = Questionnaire::build(sel);
            let hints = Hints::resolve(templates)?;
            qn.questions
                .iter()
                .filter(|a| a.expected.is_some())
                .map(|a| Criterion {
                    id: a.question.id.clone(),
                    requirement: a.question.requirements.first().cloned().unwrap_or_default(),
                    // An acceptance question names its clause: the RFP shows its article.
                    question: a.question.clauses.iter().fold(
                        a.question.text.get(lang).trim().to_string(),
                        |text, id| match numbers.get(id) {
                            Some(article) => text.replace(id.as_str(), article),
                            None => text,
                        },
                    ),
                    expected: expected_text(a, lang, &hints),
                    weight: a.question.weight,
                })
                .collect()
        } else {
            Vec::new()
        };

        let mut traceability: Vec<TraceRow> = definitions_clause(sel, stage)
            .map(|d| (0, d.clause.id.as_str()))
            .into_iter()
            .chain(ordered(sel, stage))
            .filter_map(|(_, id)| {
                let c = lib.clause(id)?;
                Some(TraceRow {
                    article: numbers.get(id).cloned().unwrap_or_default(),
                    id: id.to_string(),
                    title: c.title.get(lang).to_string(),
                    requirements: requirement_list(lib, &c.requirements, lang, sep),
                })
            })
            .collect();
        let not_applied = templates.get("not_applied", lang)?;
        for (c, _) in sel.excluded.iter().filter(|(c, _)| c.in_stage(stage)) {
            traceability.push(TraceRow {
                article: not_applied.to_string(),
                id: c.id.clone(),
                title: c.title.get(lang).to_string(),
                requirements: requirement_list(lib, &c.requirements, lang, sep),
            });
        }
        for (r, _) in &lib.retired {
            traceability.push(TraceRow {
                article: templates.get("retired_by_organisation", lang)?.to_string(),
                id: r.clause.clone(),
                title: String::new(),
                requirements: String::new(),
            });
        }

        Ok(DocumentData {
            lang: lang.code(),
            stage: stage.key(),
            l: templates.labels(lang),
            procurement,
            tier,
            guideline: lib.guideline.citation(lang),
            chapters,
            parameters,
            budget,
            excluded,
            criteria,
            traceability,
        })
    }
}

/// `(6)-2.1 セキュリティ要件の定義、(2)-3 …`.
fn requirement_list(lib: &Library, ids: &[String], lang: Lang, sep: &str) -> String {
    ids.iter()
        .map(|id| match lib.requirement(id) {
            Some(r) => format!("{} {}", r.id, r.title.get(lang)),
            None => id.clone(),
        })
        .collect::<Vec<_>>()
        .join(sep)
}

fn budget_data(
    table: &BudgetTable,
    disclosure: BudgetDisclosure,
    lang: Lang,
    templates: &Templates,
) -> Result<BudgetData, Error> {
    let cell = |v: Option<u64>| v.map_or_else(String::new, format_yen);
    let (in_contract, in_support) = (
        templates.get("budget_contract", lang)?,
        templates.get("budget_support", lang)?,
    );
    let period_label = |contract: bool, support: bool| {
        let mut parts = Vec::new();
        if contract {
            parts.push(in_contract);
        }
        if support {
            parts.push(in_support);
        }
        parts.join(if lang == Lang::Ja { "・" } else { ", " })
    };
    let headers = CostCategory::ALL
        .iter()
        .map(|c| {
            templates
                .get(&format!("cost_{}", c.key()), lang)
                .map(str::to_string)
        })
        .collect::<Result<Vec<String>, Error>>()?;
    let form = table
        .rows
        .iter()
        .map(|r| BudgetRowData {
            label: r.fiscal_year.label(lang),
            period: period_label(r.contract, r.support),
            cells: vec![String::new(); headers.len()],
            total: String::new(),
        })
        .collect();
    let disclosure = match (table.filled, disclosure) {
        (false, _) | (true, BudgetDisclosure::None) => "none",
        (true, BudgetDisclosure::Totals) => "totals",
        (true, BudgetDisclosure::Itemised) => "itemised",
    };
    let planned = table
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
        label: templates.get("total", lang)?.to_string(),
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
    let years = table.support_years.map(|y| y.to_string());
    Ok(BudgetData {
        contract_start: format_date(table.contract_start, lang),
        support_end: format_date(table.support_end, lang),
        support_from: format_date(table.support_from, lang),
        from_delivery: table.from_delivery,
        years_unit: english_unit("years", years.as_deref().unwrap_or("")),
        years,
        headers,
        form,
        disclosure,
        planned,
        total,
    })
}

/// An English unit for a quantity: `1 day`, `2 days`, `1 business day`. Units are written in
/// the plural in the library; the first plural word is made singular for exactly 1.
pub fn english_unit(unit: &str, value: &str) -> String {
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
