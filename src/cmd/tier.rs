use crate::cli::{TierArgs, TierFormat};
use crate::library::Library;
use crate::output::Stdout;
use crate::profile::Profile;
use crate::tier::{decide, tier_name};
use crate::{Result, Status};

pub fn run(args: &TierArgs) -> Result<Status> {
    let mut stdout = Stdout::default();
    let library = Library::load(args.library.library.as_deref())?;
    let profile = Profile::load(&args.profile)?;
    let decision = decide(&profile, &library.rule)?;
    let lang = profile.procurement.language;
    let reasons: Vec<String> = decision
        .reasons
        .iter()
        .map(|r| r.describe(lang, &library))
        .collect();
    match args.format {
        TierFormat::Json => {
            let json = serde_json::json!({
                "tier": decision.tier,
                "derived_tier": decision.derived_tier,
                "reasons": reasons,
            });
            stdout.line(format_args!(
                "{}",
                serde_json::to_string_pretty(&json).expect("JSON of plain values")
            ));
        }
        TierFormat::Text => {
            stdout.line(format_args!("{}", tier_name(&library, decision.tier, lang)));
            if decision.tier != decision.derived_tier {
                stdout.line(format_args!(
                    "derived: {}",
                    tier_name(&library, decision.derived_tier, lang)
                ));
            }
            for reason in &reasons {
                stdout.line(format_args!("  - {reason}"));
            }
            stdout.line(format_args!(
                "rule: {}",
                library.rule.description.get(lang).trim()
            ));
        }
    }
    stdout.flush()?;
    Ok(Status::Success)
}
