//! The risk tier of a procurement, derived from the profile by the library's rule, with the
//! reasons that produced it.

use serde::Serialize;

use crate::error::Error;
use crate::lang::Lang;
use crate::library::{Library, TierRule, fill};
use crate::profile::{Level, Profile};

pub use crate::facts::{MAX_TIER as MAX, MIN_TIER as MIN};

/// Why the tier is what it is: each rule that applied, in the order it was applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Reason {
    /// The high-water mark of the three impact ratings.
    Impact {
        confidentiality: Level,
        integrity: Level,
        availability: Level,
        tier: u8,
    },
    CriticalInfrastructure {
        from: u8,
        to: u8,
    },
    InternetFacingPersonalData {
        from: u8,
        to: u8,
    },
    /// An explicit tier in the profile above the derived one.
    ExplicitRaise {
        from: u8,
        to: u8,
    },
    /// An explicit tier below the derived one, with the profile's justification.
    ExplicitLower {
        from: u8,
        to: u8,
        reason: String,
    },
    /// An explicit tier equal to the derived one.
    ExplicitSame {
        tier: u8,
    },
}

/// The tier taken, the tier the rule derived, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TierDecision {
    pub tier: u8,
    pub derived_tier: u8,
    pub reasons: Vec<Reason>,
}

impl TierDecision {
    /// Every reason in words, in `lang`.
    pub fn reasons_in(&self, lang: Lang, library: &Library) -> Vec<String> {
        self.reasons
            .iter()
            .map(|r| r.describe(lang, library))
            .collect()
    }

    /// The tier report as JSON: `{"tier", "derived_tier", "reasons": [..]}`, with a final
    /// newline.
    pub fn to_json(&self, lang: Lang, library: &Library) -> String {
        let value = serde_json::json!({
            "tier": self.tier,
            "derived_tier": self.derived_tier,
            "reasons": self.reasons_in(lang, library),
        });
        let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
        text.push('\n');
        text
    }

    /// An explicit tier below the derived one: the annex records it as a deviation.
    pub fn deviation(&self) -> Option<(&u8, &u8, &str)> {
        self.reasons.iter().find_map(|r| match r {
            Reason::ExplicitLower { from, to, reason } => Some((from, to, reason.as_str())),
            _ => None,
        })
    }
}

/// Apply the library's rule to the profile.
pub fn decide(profile: &Profile, rule: &TierRule) -> Result<TierDecision, Error> {
    let impact = profile.system.impact;
    let tier_of = |l: Level| match l {
        Level::Low => rule.impact.low,
        Level::Moderate => rule.impact.moderate,
        Level::High => rule.impact.high,
    };
    let base = [
        impact.confidentiality,
        impact.integrity,
        impact.availability,
    ]
    .into_iter()
    .map(tier_of)
    .max()
    .unwrap_or(MIN)
    .clamp(MIN, MAX);
    let mut reasons = vec![Reason::Impact {
        confidentiality: impact.confidentiality,
        integrity: impact.integrity,
        availability: impact.availability,
        tier: base,
    }];
    let mut derived = base;
    if profile.system.critical_infrastructure {
        let to = derived
            .saturating_add(rule.critical_infrastructure_raise)
            .min(MAX);
        reasons.push(Reason::CriticalInfrastructure { from: derived, to });
        derived = to;
    }
    if profile.system.internet_facing && profile.system.personal_data {
        let to = derived.max(rule.internet_facing_personal_data_minimum.min(MAX));
        reasons.push(Reason::InternetFacingPersonalData { from: derived, to });
        derived = to;
    }
    let tier = match &profile.tier {
        None => derived,
        Some((explicit, _)) if *explicit > derived => {
            reasons.push(Reason::ExplicitRaise {
                from: derived,
                to: *explicit,
            });
            *explicit
        }
        Some((explicit, _)) if *explicit == derived => {
            reasons.push(Reason::ExplicitSame { tier: derived });
            derived
        }
        Some((explicit, at)) => match &profile.tier_reason {
            Some(reason) => {
                reasons.push(Reason::ExplicitLower {
                    from: derived,
                    to: *explicit,
                    reason: reason.clone(),
                });
                *explicit
            }
            None => {
                return Err(profile
                    .error_at(
                        at,
                        "tier",
                        format!(
                            "tier {explicit} is below the derived tier {derived}: add `tier_reason` to justify the deviation"
                        ),
                    )
                    .into());
            }
        },
    };
    Ok(TierDecision {
        tier,
        derived_tier: derived,
        reasons,
    })
}

impl Reason {
    /// The reason in words, in `lang`, from the texts of `tiers.yaml`.
    pub fn describe(&self, lang: Lang, library: &Library) -> String {
        let texts = &library.reasons;
        let name = |t: u8| tier_name(library, t, lang);
        let level = |l: Level| {
            match l {
                Level::Low => &texts.levels.low,
                Level::Moderate => &texts.levels.moderate,
                Level::High => &texts.levels.high,
            }
            .get(lang)
            .to_string()
        };
        let (text, values): (&crate::lang::Text, Vec<(&str, String)>) = match self {
            Reason::Impact {
                confidentiality,
                integrity,
                availability,
                tier,
            } => (
                &texts.impact,
                vec![
                    ("confidentiality", level(*confidentiality)),
                    ("integrity", level(*integrity)),
                    ("availability", level(*availability)),
                    ("tier", name(*tier)),
                ],
            ),
            Reason::CriticalInfrastructure { from, to } if from == to => (
                &texts.critical_infrastructure_at_the_top,
                vec![("to", name(*to))],
            ),
            Reason::CriticalInfrastructure { from, to } => (
                &texts.critical_infrastructure_raises,
                vec![("from", name(*from)), ("to", name(*to))],
            ),
            Reason::InternetFacingPersonalData { from, to } if from == to => (
                &texts.internet_facing_personal_data_already,
                vec![
                    (
                        "minimum",
                        name(library.rule.internet_facing_personal_data_minimum),
                    ),
                    ("to", name(*to)),
                ],
            ),
            Reason::InternetFacingPersonalData { from, to } => (
                &texts.internet_facing_personal_data_raises,
                vec![("from", name(*from)), ("to", name(*to))],
            ),
            Reason::ExplicitRaise { from, to } => (
                &texts.buyer_raises,
                vec![("from", name(*from)), ("to", name(*to))],
            ),
            Reason::ExplicitLower { from, to, reason } => (
                &texts.buyer_lowers,
                vec![
                    ("from", name(*from)),
                    ("to", name(*to)),
                    ("reason", reason.clone()),
                ],
            ),
            Reason::ExplicitSame { tier } => (&texts.buyer_same, vec![("tier", name(*tier))]),
        };
        let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
        fill(text.get(lang), &values)
    }
}

/// `区分2（標準）` / `tier 2 (Standard)`.
pub fn tier_name(library: &Library, tier: u8, lang: Lang) -> String {
    let label = library
        .tier_info(tier)
        .map(|t| t.name.get(lang).to_string())
        .unwrap_or_default();
    fill(
        library.reasons.tier_name.get(lang),
        &[("level", &tier.to_string()), ("name", &label)],
    )
}
