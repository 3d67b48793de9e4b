//! Text, JSON, Markdown and CSV for the browsing commands (`list`, `show`, `matrix`).
//! Output is deterministic: library order, tiers ascending.

use crate::facts::{ContractType, MAX_TIER as MAX, MIN_TIER as MIN};
use crate::library::{ClauseSummary, ClauseView, CoverageRow, Library};
use crate::tier::tier_name;

/// `chotatsu list --format text`: one clause a line, ID, requirements, contract types,
/// minimum tier, title.
pub fn list_text(clauses: &[ClauseSummary]) -> String {
    let id_width = clauses.iter().map(|c| c.id.len()).max().unwrap_or(0);
    let reqs: Vec<String> = clauses.iter().map(|c| c.requirements.join(",")).collect();
    let req_width = reqs.iter().map(String::len).max().unwrap_or(0);
    let types: Vec<String> = clauses
        .iter()
        .map(|c| {
            c.contract_types
                .iter()
                .map(|t| t.key())
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect();
    let type_width = types.iter().map(String::len).max().unwrap_or(0);
    let mut out = String::new();
    for ((c, r), t) in clauses.iter().zip(&reqs).zip(&types) {
        out.push_str(&format!(
            "{:<id_width$}  {:<req_width$}  {:<type_width$}  tier {}  {}\n",
            c.id, r, t, c.min_tier, c.title
        ));
    }
    out
}

/// `chotatsu list --format json`: an array of `{"id","requirements","contract_types",
/// "min_tier","title","cites"}`.
pub fn list_json(clauses: &[ClauseSummary]) -> String {
    let mut out = serde_json::to_string_pretty(clauses).unwrap_or_else(|_| "[]".into());
    out.push('\n');
    out
}

/// `chotatsu show`: the clause at a tier, then its parameters and references.
pub fn show_text(lib: &Library, view: &ClauseView) -> String {
    let c = view.clause;
    let mut out = format!("{} {}\n", c.id, view.title);
    let reqs: Vec<String> = view
        .requirements
        .iter()
        .map(|(id, title)| format!("{id} {title}").trim_end().to_string())
        .collect();
    out.push_str(&format!("requirements: {}\n", reqs.join("; ")));
    let types: Vec<&str> = c.contract_types.iter().map(|t| t.key()).collect();
    out.push_str(&format!("contract types: {}\n", types.join(", ")));
    out.push_str(&format!(
        "rendered at: {} (applies from tier {}), {} contract, {} document\n\n",
        tier_name(lib, view.tier, view.lang),
        c.min_tier,
        view.contract_type,
        view.stage
    ));
    out.push_str(view.body.trim_end());
    out.push_str("\n\nparameters");
    if view.parameters.is_empty() {
        out.push_str(": none\n");
    } else {
        out.push_str(&format!(" (defaults for tier {}):\n", view.tier));
        for p in &view.parameters {
            let unit = if p.unit.is_empty() {
                String::new()
            } else {
                format!(" {}", p.unit)
            };
            out.push_str(&format!(
                "  {} = {}{unit}  ({})\n",
                p.name, p.value, p.label
            ));
        }
    }
    out.push_str("references:\n");
    for (id, title) in &view.references {
        out.push_str(&format!("  {id}  {title}\n"));
    }
    out
}

fn tier_headers() -> Vec<String> {
    (MIN..=MAX).map(|t| format!("tier {t}")).collect()
}

/// `chotatsu matrix --format md`: requirement × contract type × tier, each cell the count
/// and the clause IDs.
pub fn matrix_md(rows: &[CoverageRow]) -> String {
    let headers = tier_headers();
    let mut out = format!(
        "| requirement | contract type | {} |\n",
        headers.join(" | ")
    );
    out.push_str(&format!("|---|---|{}\n", "---|".repeat(headers.len())));
    for row in rows {
        let name = if row.keyed {
            format!("**{}**", row.requirement)
        } else {
            row.requirement.clone()
        };
        for kind in ContractType::ALL {
            let cells: Vec<String> = (MIN..=MAX)
                .map(|t| {
                    let ids = row.at(kind, t);
                    if ids.is_empty() {
                        "—".to_string()
                    } else {
                        format!("{}: {}", ids.len(), ids.join(", "))
                    }
                })
                .collect();
            out.push_str(&format!(
                "| {name} | {} | {} |\n",
                kind.key(),
                cells.join(" | ")
            ));
        }
    }
    out
}

/// `chotatsu matrix --format csv`: `requirement,keyed,contract_type,tier_1,tier_2,tier_3`,
/// one row per requirement and contract type, clause IDs separated by spaces. Every cell is
/// ASCII, so Excel reads it without a byte-order mark, and none starts with a formula
/// character.
pub fn matrix_csv(rows: &[CoverageRow]) -> String {
    let mut out = String::from("requirement,keyed,contract_type");
    for t in MIN..=MAX {
        out.push_str(&format!(",tier_{t}"));
    }
    out.push_str("\r\n");
    for row in rows {
        for kind in ContractType::ALL {
            out.push_str(&format!("{},{},{}", row.requirement, row.keyed, kind.key()));
            for t in MIN..=MAX {
                out.push(',');
                out.push_str(&row.at(kind, t).join(" "));
            }
            out.push_str("\r\n");
        }
    }
    out
}

/// `chotatsu matrix --format json`.
pub fn matrix_json(rows: &[CoverageRow]) -> String {
    let mut out = serde_json::to_string_pretty(rows).unwrap_or_else(|_| "[]".into());
    out.push('\n');
    out
}
