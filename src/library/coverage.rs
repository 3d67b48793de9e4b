//! Which clauses apply to each requirement for each contract type at each tier: the data
//! behind `chotatsu matrix`, the counts `chotatsu check` reports and the minimum it enforces.

use serde::Serialize;

use super::Library;
use crate::facts::{ContractType, MAX_TIER, MIN_TIER};

/// One row of the requirement × contract type × tier matrix: one requirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoverageRow {
    pub requirement: String,
    pub keyed: bool,
    /// For every contract type in order: the clauses at each tier.
    pub contract_types: Vec<TypeClauses>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TypeClauses {
    pub contract_type: ContractType,
    /// For tiers `MIN_TIER..=MAX_TIER` in order.
    pub tiers: Vec<TierClauses>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TierClauses {
    pub tier: u8,
    /// The IDs of the clauses that apply, in library order.
    pub clauses: Vec<String>,
}

impl CoverageRow {
    pub fn at(&self, kind: ContractType, tier: u8) -> &[String] {
        self.contract_types
            .iter()
            .find(|t| t.contract_type == kind)
            .and_then(|t| t.tiers.iter().find(|t| t.tier == tier))
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
            contract_types: ContractType::ALL
                .iter()
                .map(|&kind| TypeClauses {
                    contract_type: kind,
                    tiers: (MIN_TIER..=MAX_TIER)
                        .map(|tier| TierClauses {
                            tier,
                            clauses: lib
                                .clauses
                                .iter()
                                .filter(|c| c.applies(kind, tier) && c.requirements.contains(&r.id))
                                .map(|c| c.id.clone())
                                .collect(),
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect()
}
