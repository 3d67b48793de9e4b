//! The risk tier of a procurement, derived from the profile by the library's rule, with the
//! reasons that produced it.

use serde::Serialize;

use crate::error::Error;
use crate::lang::Lang;
use crate::library::{Library, TierRule};
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
    /// The reason in words, in `lang`.
    pub fn describe(&self, lang: Lang, library: &Library) -> String {
        let name = |t: u8| tier_name(library, t, lang);
        let level = |l: Level| match (lang, l) {
            (Lang::Ja, Level::Low) => "低",
            (Lang::Ja, Level::Moderate) => "中",
            (Lang::Ja, Level::High) => "高",
            (Lang::En, l) => l.name(),
        };
        match (self, lang) {
            (
                Reason::Impact {
                    confidentiality: c,
                    integrity: i,
                    availability: a,
                    tier,
                },
                Lang::Ja,
            ) => format!(
                "影響度（機密性：{}、完全性：{}、可用性：{}）の最大値により{}",
                level(*c),
                level(*i),
                level(*a),
                name(*tier)
            ),
            (
                Reason::Impact {
                    confidentiality: c,
                    integrity: i,
                    availability: a,
                    tier,
                },
                Lang::En,
            ) => format!(
                "highest impact rating (confidentiality: {}, integrity: {}, availability: {}) gives {}",
                level(*c),
                level(*i),
                level(*a),
                name(*tier)
            ),
            (Reason::CriticalInfrastructure { from, to }, Lang::Ja) if from == to => format!(
                "重要インフラに該当するが、既に最上位の区分のため{}のまま",
                name(*to)
            ),
            (Reason::CriticalInfrastructure { from, to }, Lang::Ja) => format!(
                "重要インフラに該当するため{}から{}に引き上げ",
                name(*from),
                name(*to)
            ),
            (Reason::CriticalInfrastructure { from, to }, Lang::En) if from == to => format!(
                "critical infrastructure: already at the highest tier, stays {}",
                name(*to)
            ),
            (Reason::CriticalInfrastructure { from, to }, Lang::En) => format!(
                "critical infrastructure raises {} to {}",
                name(*from),
                name(*to)
            ),
            (Reason::InternetFacingPersonalData { from, to }, Lang::Ja) if from == to => format!(
                "インターネットに公開され個人情報を扱うため{}以上とする（{}のまま）",
                name(library.rule.internet_facing_personal_data_minimum),
                name(*to)
            ),
            (Reason::InternetFacingPersonalData { from, to }, Lang::Ja) => format!(
                "インターネットに公開され個人情報を扱うため{}から{}に引き上げ",
                name(*from),
                name(*to)
            ),
            (Reason::InternetFacingPersonalData { from, to }, Lang::En) if from == to => format!(
                "internet-facing with personal data: at least {} (stays {})",
                name(library.rule.internet_facing_personal_data_minimum),
                name(*to)
            ),
            (Reason::InternetFacingPersonalData { from, to }, Lang::En) => format!(
                "internet-facing with personal data raises {} to {}",
                name(*from),
                name(*to)
            ),
            (Reason::ExplicitRaise { from, to }, Lang::Ja) => format!(
                "発注者の指定により{}から{}に引き上げ",
                name(*from),
                name(*to)
            ),
            (Reason::ExplicitRaise { from, to }, Lang::En) => {
                format!("the buyer raises {} to {}", name(*from), name(*to))
            }
            (Reason::ExplicitLower { from, to, reason }, Lang::Ja) => format!(
                "発注者の指定により{}から{}に引き下げ（理由：{reason}）",
                name(*from),
                name(*to)
            ),
            (Reason::ExplicitLower { from, to, reason }, Lang::En) => format!(
                "the buyer lowers {} to {} (reason: {reason})",
                name(*from),
                name(*to)
            ),
            (Reason::ExplicitSame { tier }, Lang::Ja) => {
                format!("発注者の指定した{}は判定基準による区分と同じ", name(*tier))
            }
            (Reason::ExplicitSame { tier }, Lang::En) => {
                format!(
                    "the tier the buyer set, {}, equals the derived tier",
                    name(*tier)
                )
            }
        }
    }
}

/// `区分2（標準）` / `tier 2 (Standard)`.
pub fn tier_name(library: &Library, tier: u8, lang: Lang) -> String {
    let label = library
        .tier_info(tier)
        .map(|t| t.name.get(lang).to_string())
        .unwrap_or_default();
    match lang {
        Lang::Ja => format!("区分{tier}（{label}）"),
        Lang::En => format!("tier {tier} ({label})"),
    }
}
