use crate::cli::{TierArgs, TierFormat};
use crate::output::Stdout;
use crate::tier::{decide, tier_name};
use crate::{Result, Status};

pub fn run(args: &TierArgs) -> Result<Status> {
    let mut stdout = Stdout::default();
    let (library, profile) = super::inputs(&args.profile, &args.library)?;
    let decision = decide(&profile, &library.rule)?;
    let lang = profile.procurement.language;
    match args.format {
        TierFormat::Json => stdout.text(decision.to_json(lang, &library)),
        TierFormat::Text => {
            stdout.line(tier_name(&library, decision.tier, lang));
            if decision.tier != decision.derived_tier {
                stdout.line(format_args!(
                    "derived: {}",
                    tier_name(&library, decision.derived_tier, lang)
                ));
            }
            for reason in decision.reasons_in(lang, &library) {
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
