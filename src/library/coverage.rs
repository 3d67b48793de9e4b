//! Which clauses apply to each requirement at each tier: the data behind `chotatsu matrix`,
//! the counts `chotatsu check` reports and the minimum it enforces.

use serde::Serialize;

use super::Library;
use crate::tier::{MAX, MIN};

/// One row of the requirement × tier matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoverageRow {
    pub requirement: String,
    pub keyed: bool,
    /// For tiers `MIN..=MAX` in order: the IDs of the clauses that apply, in library order.
    pub tiers: Vec<TierClauses>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TierClauses {
    pub tier: u8,
    pub clauses: Vec<String>,
}

impl CoverageRow {
    pub fn at(&self, tier: u8) -> &[String] {
        self.tiers
            .iter()
            .find(|t| t.tier == tier)
            .map_or(&[], |t| t.clauses.as_slice())
    }
}

/// Every keyed requirement, and every other requirement some clause cites, in the
/// guideline's order.
pub fn coverage(lib: &Library) -> Vec<CoverageRow> {
    lib.requirements
        .iter()
        .filter(|r| r.keyed || lib.clauses.iter().any(|c| c.requirements.contains(&r.id)))
        .map(|r| CoverageRow {
            requirement: r.id.clone(),
            keyed: r.keyed,
            tiers: (MIN..=MAX)
                .map(|tier| TierClauses {
                    tier,
                    clauses: lib
                        .clauses
                        .iter()
                        .filter(|c| c.min_tier <= tier && c.requirements.contains(&r.id))
                        .map(|c| c.id.clone())
                        .collect(),
                })
                .collect(),
        })
        .collect()
}
