//! The portfolio index: one row per package a batch `build` wrote, as CSV (with a BOM, for
//! Excel), a print-ready HTML page and a workbook, so a division sees its year at a glance.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use crate::budget::FiscalYear;
use crate::digest::sha256_hex;
use crate::error::Error;
use crate::lang::{Lang, format_date};
use crate::office::xlsx::{Style, Workbook, XlsxError, fitted_row_height};
use crate::render::Templates;
use crate::render::html_table;
use crate::render::markdown::{self, escape};
use crate::selection::Selection;
use crate::tier::tier_name;

/// The index's file stem: `index.csv`, `index.html`, `index.xlsx`.
pub const STEM: &str = "index";

crate::render::labels! {
    /// The labels of the index.
    struct Labels {
        ix_title,
        ix_sheet,
        ix_id,
        ix_title_column,
        ix_buyer,
        ix_contract_type,
        ix_tier,
        ix_tier_reason,
        ix_clauses,
        ix_support_end,
        ix_budget,
        ix_manifest,
    }
}

/// One package of the portfolio, as its row shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub id: String,
    pub title: String,
    pub buyer: String,
    pub contract_type: String,
    pub tier: String,
    pub tier_reasons: String,
    pub clauses: usize,
    pub support_end: String,
    /// The budget total of each fiscal year the profile budgets, in order.
    pub budget: Vec<(FiscalYear, u64)>,
    pub manifest_sha256: String,
    /// The day the procurement was issued (the workbook's creation date).
    pub issued: NaiveDate,
}

impl Row {
    /// The row of the package built from `selection`, whose manifest is `manifest`.
    pub fn new(
        selection: &Selection,
        manifest: &[u8],
        lang: Lang,
        templates: &Templates,
    ) -> Result<Row, Error> {
        let p = &selection.profile.procurement;
        let library = selection.library;
        let sep = match lang {
            Lang::Ja => "、",
            Lang::En => "; ",
        };
        let budget = if selection.budget.filled {
            selection
                .budget
                .rows
                .iter()
                .filter_map(|r| r.total.map(|t| (r.fiscal_year, t)))
                .collect()
        } else {
            Vec::new()
        };
        Ok(Row {
            id: p.id.clone(),
            title: p.title.clone(),
            buyer: p.buyer.with_department(),
            contract_type: templates
                .get(&format!("contract_type_{}", p.contract_type.key()), lang)?
                .to_string(),
            tier: tier_name(library, selection.decision.tier, lang),
            tier_reasons: selection.decision.reasons_in(lang, library).join(sep),
            clauses: selection.clauses.len(),
            support_end: format_date(selection.budget.support_end, lang),
            budget,
            manifest_sha256: sha256_hex(manifest),
            issued: p.issued,
        })
    }
}

/// The index as `(file name, bytes)`: CSV, HTML and xlsx. Rows are sorted by procurement ID;
/// there is one budget column for every fiscal year any package budgets.
pub fn files(
    rows: &mut [Row],
    lang: Lang,
    templates: &Templates,
) -> Result<Vec<(String, Vec<u8>)>, Error> {
    rows.sort_by(|a, b| a.id.cmp(&b.id));
    let years: Vec<FiscalYear> = rows
        .iter()
        .flat_map(|r| r.budget.iter().map(|(y, _)| *y))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let l = Labels::resolve(templates, lang)?;
    let table = Table::new(rows, &years, lang, &l);
    let csv = crate::questionnaire::csv::to_csv(&table.text(), &format!("{STEM}.csv"))?;
    let html = html(&table, lang, &l, templates)?;
    let issued = rows.iter().map(|r| r.issued).max();
    let xlsx = xlsx(&table, issued, &l).map_err(|e| Error::Workbook {
        name: format!("{STEM}.xlsx"),
        message: e.to_string(),
    })?;
    Ok(vec![
        (format!("{STEM}.csv"), csv),
        (format!("{STEM}.html"), html.into_bytes()),
        (format!("{STEM}.xlsx"), xlsx),
    ])
}

/// The index sheet's column widths (characters): ID, title, buyer, contract type, tier, its
/// reasons, clause count and the end of the support period; then each fiscal year's budget;
/// last the manifest's SHA-256, whose 64 digits fit on one line.
const WIDTHS: [f64; 8] = [12.0, 26.0, 20.0, 12.0, 12.0, 28.0, 7.0, 16.0];
const BUDGET_WIDTH: f64 = 14.0;
const SHA_WIDTH: f64 = 66.0;

/// A cell: text, or an amount of yen (a number in the workbook).
enum Cell {
    Text(String),
    Number(u64),
    Blank,
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Number(n) => n.to_string(),
            Cell::Blank => String::new(),
        }
    }
}

struct Table {
    header: Vec<String>,
    rows: Vec<Vec<Cell>>,
}

impl Table {
    fn new(rows: &[Row], years: &[FiscalYear], lang: Lang, l: &Labels<'_>) -> Table {
        let mut header: Vec<String> = [
            l.ix_id,
            l.ix_title_column,
            l.ix_buyer,
            l.ix_contract_type,
            l.ix_tier,
            l.ix_tier_reason,
            l.ix_clauses,
            l.ix_support_end,
        ]
        .iter()
        .map(|h| h.to_string())
        .collect();
        for y in years {
            header.push(format!("{} {}", l.ix_budget, y.label(lang)));
        }
        header.push(l.ix_manifest.to_string());
        let rows = rows
            .iter()
            .map(|r| {
                let mut cells = vec![
                    Cell::Text(r.id.clone()),
                    Cell::Text(r.title.clone()),
                    Cell::Text(r.buyer.clone()),
                    Cell::Text(r.contract_type.clone()),
                    Cell::Text(r.tier.clone()),
                    Cell::Text(r.tier_reasons.clone()),
                    Cell::Number(r.clauses as u64),
                    Cell::Text(r.support_end.clone()),
                ];
                for y in years {
                    cells.push(
                        r.budget
                            .iter()
                            .find(|(fy, _)| fy == y)
                            .map_or(Cell::Blank, |(_, amount)| Cell::Number(*amount)),
                    );
                }
                cells.push(Cell::Text(r.manifest_sha256.clone()));
                cells
            })
            .collect();
        Table { header, rows }
    }

    fn text(&self) -> Vec<Vec<String>> {
        std::iter::once(self.header.clone())
            .chain(self.rows.iter().map(|r| r.iter().map(Cell::text).collect()))
            .collect()
    }
}

/// The index as a page: its title, then the table laid out as a document's table is, written
/// from the cells directly (an index of hundreds of packages, parsed from Markdown, was held
/// three times over as events).
fn html(table: &Table, lang: Lang, l: &Labels<'_>, t: &Templates) -> Result<String, Error> {
    let title = l.ix_title;
    let cells: Vec<Vec<String>> = std::iter::once(table.header.clone())
        .chain(table.rows.iter().map(|row| {
            row.iter()
                .map(|c| match c {
                    Cell::Number(n) => crate::budget::format_yen(*n),
                    other => other.text(),
                })
                .collect()
        }))
        .collect();
    // Printed across the page (`index.css`); the manifest's SHA-256, the last column, may
    // break where its column is narrow.
    t.html_page_with(title, lang, &["document.css", "index.css"], |out| {
        markdown::push_html(out, markdown::events(&format!("# {}\n", escape(title))));
        out.push_str(&html_table::table_html(
            &cells,
            &[table.header.len() - 1],
            html_table::Page::Landscape,
        ));
    })
}

fn xlsx(table: &Table, issued: Option<NaiveDate>, l: &Labels<'_>) -> Result<Vec<u8>, XlsxError> {
    let years = table.header.len() - WIDTHS.len() - 1;
    let widths: Vec<f64> = WIDTHS
        .into_iter()
        .chain(std::iter::repeat_n(BUDGET_WIDTH, years))
        .chain([SHA_WIDTH])
        .collect();
    let mut wb = Workbook::new(l.ix_title, issued);
    let ws = wb.add_sheet(l.ix_sheet)?;
    ws.set_widths(&widths);
    for (c, h) in table.header.iter().enumerate() {
        ws.put(0, c as u16, h, Style::Header)?;
    }
    ws.set_height(0, fitted_row_height(&table.header, &widths));
    for (r, row) in table.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(text) => ws.put(r, c, text, Style::Locked)?,
                Cell::Number(n) => ws.put_number(r, c, *n as f64, Style::Amount),
                Cell::Blank => ws.put(r, c, "", Style::Locked)?,
            }
        }
        let texts: Vec<String> = row.iter().map(Cell::text).collect();
        ws.set_height(r, fitted_row_height(&texts, &widths));
    }
    ws.freeze(1, 1);
    ws.repeat_rows(0, 0);
    Ok(wb.to_bytes())
}
