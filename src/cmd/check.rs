use crate::cli::CheckArgs;
use crate::error::{Error, LibraryProblems};
use crate::facts::{ContractType, MAX_TIER as MAX, MIN_TIER as MIN};
use crate::library::{Library, Origin, check, coverage};
use crate::output::Stdout;
use crate::{Result, Status};

pub fn run(args: &CheckArgs) -> Result<Status> {
    let mut stdout = Stdout::default();
    let (library, mut problems) = Library::load_unchecked(args.library.library.as_deref())?;
    if let Some(lib) = &library {
        problems.extend(check(lib));
    }
    let Some(lib) = library.filter(|_| problems.is_empty()) else {
        return Err(Error::Library(LibraryProblems(problems)));
    };
    let count = |o: Origin| lib.origins.values().filter(|x| **x == o).count();
    stdout.line(format_args!(
        "checked {} files: {} requirements ({} keyed), {} tiers, {} parameters, {} references, {} clauses ({} bundled, {} replaced and {} added by the overlay, {} retired)",
        lib.files.len(),
        lib.requirements.len(),
        lib.keyed_requirements().count(),
        lib.tiers.len(),
        lib.parameters.len(),
        lib.references.len(),
        lib.clauses.len(),
        count(Origin::Bundled),
        count(Origin::OverlayReplaced),
        count(Origin::OverlayAdded),
        lib.retired.len(),
    ));
    stdout.line(format_args!(
        "clauses per keyed requirement, contract type and tier (minimum {}):",
        lib.minimum_clauses_per_tier
    ));
    for row in coverage(&lib).iter().filter(|r| r.keyed) {
        for kind in ContractType::ALL {
            let counts: Vec<String> = (MIN..=MAX)
                .map(|t| format!("tier {t}: {:>2}", row.at(kind, t).len()))
                .collect();
            stdout.line(format_args!(
                "  {:<8} {:<11} {}",
                row.requirement,
                kind.key(),
                counts.join(", ")
            ));
        }
    }
    let citations: usize = lib.clauses.iter().map(|c| c.references.len()).sum();
    let cross: usize = lib
        .clauses
        .iter()
        .map(|c| crate::library::clause_cites(c).len())
        .sum();
    stdout.line(format_args!(
        "clause references: {cross}, all to known clauses in the same document at every tier, contract type and stage"
    ));
    stdout.line(format_args!(
        "references: {citations} citations, all known; every clause cites at least one of the {} references",
        lib.references.len()
    ));
    stdout.line(format_args!(
        "checked {} disclosure questions",
        lib.questions.len()
    ));
    stdout.line(format_args!("no problems found"));
    stdout.flush()?;
    Ok(Status::Success)
}
