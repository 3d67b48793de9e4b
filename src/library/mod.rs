//! The clause library: loading the bundled data and an organisation's overlay, merging them,
//! and checking the result.

mod body;
mod browse;
mod check;
mod coverage;
mod load;
pub mod model;
pub mod parity;
pub mod question;
mod question_check;
pub mod sandbox;

use std::collections::BTreeMap;
use std::path::Path;

pub use body::{
    ARTICLE_FUNCTION, BUILTIN_VARIABLES, BodyContext, RenderedBody, body_cites, body_variables,
    clause_cites, clause_parameters, parameters_shown, render_body,
};
pub use browse::{ClauseSummary, ClauseView, ParameterView, list, show};
pub use check::check;
pub use coverage::{CoverageRow, TierClauses, TypeClauses, coverage};
pub use model::*;

use crate::error::{Error, LibraryProblems};

/// The [`Library::digest`] of the bundled library that passed [`check`] when the test suite
/// last ran (`bundled_library_checked` in this module's tests fails, and says how to record
/// the new digest, whenever the bundled files no longer match it or no longer pass). A binary
/// built from library files the tests never saw has another digest and checks them at run
/// time, so a stale record costs time, never safety.
pub const BUNDLED_CHECKED: &str = include_str!("bundled.checked").trim_ascii();

/// The merged library: bundled data with the overlay applied.
#[derive(Debug, Clone)]
pub struct Library {
    /// The guideline and its edition, cited from here by every document.
    pub guideline: Guideline,
    pub duties: Vec<Duty>,
    /// In the guideline's order.
    pub requirements: Vec<Requirement>,
    /// From `requirements.yaml`: the fewest clauses a keyed requirement needs at each tier.
    pub minimum_clauses_per_tier: usize,
    pub tiers: Vec<TierInfo>,
    pub rule: TierRule,
    /// The reasons of a tier decision in words.
    pub reasons: ReasonTexts,
    pub parameters: BTreeMap<String, ParameterSpec>,
    pub references: Vec<Reference>,
    /// Bundled order; an overlay clause replacing a bundled one takes its place, new ones
    /// follow.
    pub clauses: Vec<Clause>,
    pub origins: BTreeMap<String, Origin>,
    /// Bundled clauses the overlay retired, with the overlay file that did it.
    pub retired: Vec<(Retirement, String)>,
    /// Disclosure questions: bundled order, overlay replacements in place, additions after.
    pub questions: Vec<question::Question>,
    /// Every file read, bundled and overlay, in the order read.
    pub files: Vec<SourceFile>,
}

/// A library file that was read, and the digest of its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// As shown in messages.
    pub name: String,
    /// As used in the digest: independent of where the overlay is.
    pub key: String,
    pub sha256: String,
}

impl Library {
    /// Load the bundled library and the overlay, and check the result: any problem is an
    /// error listing every problem found. The bundled library alone is not checked again
    /// when it is the very one the test suite checked (see [`BUNDLED_CHECKED`]): the check
    /// renders every clause at every tier, stage and contract type, and is most of the time
    /// a one-document command takes. An overlay is always checked, with the bundled clauses
    /// it merges into.
    pub fn load(overlay: Option<&Path>) -> Result<Library, Error> {
        let (library, mut problems) = load::load(overlay)?;
        if let Some(lib) = &library
            && !(overlay.is_none() && lib.digest() == BUNDLED_CHECKED)
        {
            problems.extend(check(lib));
        }
        match library {
            Some(lib) if problems.is_empty() => Ok(lib),
            _ => Err(Error::Library(LibraryProblems(problems))),
        }
    }

    /// Load without checking: the library (when its core files parsed) and the problems
    /// found while reading. `chotatsu check` reports both.
    pub fn load_unchecked(overlay: Option<&Path>) -> Result<(Option<Library>, Vec<String>), Error> {
        load::load(overlay)
    }

    /// A fingerprint of the merged library: the digest of every file's name and digest, so
    /// any change to the bundled data or the overlay changes it.
    pub fn digest(&self) -> String {
        let listing: String = self
            .files
            .iter()
            .map(|f| format!("{}\t{}\n", f.key, f.sha256))
            .collect();
        crate::digest::sha256_hex(listing.as_bytes())
    }

    pub fn requirement(&self, id: &str) -> Option<&Requirement> {
        self.requirements.iter().find(|r| r.id == id)
    }

    pub fn clause(&self, id: &str) -> Option<&Clause> {
        self.clauses.iter().find(|c| c.id == id)
    }

    pub fn reference(&self, id: &str) -> Option<&Reference> {
        self.references.iter().find(|r| r.id == id)
    }

    pub fn tier_info(&self, level: u8) -> Option<&TierInfo> {
        self.tiers.iter().find(|t| t.level == level)
    }

    /// The requirements the annex has a section for, in the guideline's order.
    pub fn keyed_requirements(&self) -> impl Iterator<Item = &Requirement> {
        self.requirements.iter().filter(|r| r.keyed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records (with `CHOTATSU_RECORD_CHECKED=1`) or confirms the digest of the bundled
    /// library that [`Library::load`] may trust without checking it again.
    #[test]
    fn bundled_library_checked() {
        let (library, mut problems) = Library::load_unchecked(None).unwrap();
        let library = library.expect("the bundled core files parse");
        problems.extend(check(&library));
        assert!(problems.is_empty(), "{}", problems.join("\n"));
        let digest = library.digest();
        if std::env::var_os("CHOTATSU_RECORD_CHECKED").is_some() {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/library/bundled.checked");
            std::fs::write(path, format!("{digest}\n")).unwrap();
        } else {
            assert_eq!(
                BUNDLED_CHECKED, digest,
                "the bundled library changed and passes the check: record its digest with \
                 `CHOTATSU_RECORD_CHECKED=1 cargo test --lib bundled_library_checked`"
            );
        }
    }
}
