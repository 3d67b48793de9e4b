//! The impact of a library change on issued packages: each package's manifest records the
//! profile it was built from and a digest of every selected clause's article; the current
//! library (plus overlay) selects and renders again for the same profile, and every clause
//! whose text, numbers or selection would differ is listed.

use std::collections::BTreeMap;
use std::path::Path;

use crate::annex;
use crate::error::{Error, SourceError};
use crate::facts::Stage;
use crate::lang::Lang;
use crate::library::Library;
use crate::package::{ClauseEntry, MANIFEST, Manifest, clause_entries};
use crate::profile::Profile;
use crate::render::Templates;
use crate::selection::select;

/// How one clause of a package would change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// Selected before and now, worded differently (text or numbers).
    Changed,
    /// Now selected, not before.
    Added,
    /// Selected before, no longer.
    Removed,
}

impl Change {
    pub fn word(self) -> &'static str {
        match self {
            Change::Changed => "changed",
            Change::Added => "added",
            Change::Removed => "removed",
        }
    }
}

/// A clause that would change, with its article in each document it is in (the new number
/// for a changed or added clause, the issued number for a removed one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClauseImpact {
    pub id: String,
    pub change: Change,
    /// `(stage, 第N条 / Article N)` in the package's first language, RFP first.
    pub articles: Vec<(Stage, String)>,
}

/// The impact on one package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageImpact {
    pub procurement_id: String,
    /// In clause ID order.
    pub clauses: Vec<ClauseImpact>,
}

/// Read the manifest of the package in `dir`.
pub fn manifest(dir: &Path) -> Result<Manifest, Error> {
    let path = dir.join(MANIFEST);
    let text = crate::output::read_text(&path)?;
    serde_json::from_str(&text).map_err(|e| {
        Error::Source(SourceError {
            file: path.display().to_string(),
            line: e.line() as u64,
            column: e.column() as u64,
            field: String::new(),
            message: format!(
                "not a chotatsu manifest: {}",
                e.to_string().split(" at line ").next().unwrap_or_default()
            ),
            snippet: None,
        })
    })
}

/// What `library` would change in the package `dir`.
pub fn assess(
    dir: &Path,
    library: &Library,
    templates: &Templates,
) -> Result<PackageImpact, Error> {
    let manifest = manifest(dir)?;
    if manifest.profile.text.is_empty() {
        return Err(Error::Usage(format!(
            "{}: this manifest does not record the profile and its clauses (it was written by an earlier version of chotatsu); build the package again to assess it",
            dir.join(MANIFEST).display()
        )));
    }
    let file = dir.join(MANIFEST).display().to_string() + "#profile";
    let profile = Profile::parse(&file, &manifest.profile.text)?;
    let selection = select(library, &profile)?;
    let mut langs: Vec<Lang> = Vec::new();
    for c in &manifest.clauses {
        if !langs.contains(&c.lang) {
            langs.push(c.lang);
        }
    }
    let mut now = Vec::new();
    for &lang in &langs {
        for stage in Stage::ALL {
            let document = annex::render(&selection, stage, lang, templates, |_| false)?;
            now.extend(clause_entries(stage, lang, document.articles));
        }
    }
    Ok(PackageImpact {
        procurement_id: manifest.procurement_id.clone(),
        clauses: compare(&manifest.clauses, &now, langs.first().copied()),
    })
}

type Key<'a> = (Stage, Lang, &'a str);

/// Each entry's position by (stage, language, clause ID).
fn index(entries: &[ClauseEntry]) -> BTreeMap<Key<'_>, usize> {
    entries
        .iter()
        .enumerate()
        .map(|(i, e)| ((e.stage, e.lang, e.id.as_str()), i))
        .collect()
}

fn compare(before: &[ClauseEntry], now: &[ClauseEntry], lang: Option<Lang>) -> Vec<ClauseImpact> {
    let (old, new) = (index(before), index(now));
    let mut changes: BTreeMap<&str, Change> = BTreeMap::new();
    for (key, &i) in &old {
        let change = match new.get(key) {
            None => Change::Removed,
            Some(&j) if now[j].sha256 != before[i].sha256 => Change::Changed,
            Some(_) => continue,
        };
        changes.entry(key.2).or_insert(change);
    }
    for key in new.keys() {
        if !old.contains_key(key) {
            changes.entry(key.2).or_insert(Change::Added);
        }
    }
    changes
        .into_iter()
        .map(|(id, change)| {
            let source = if change == Change::Removed {
                before
            } else {
                now
            };
            let articles = Stage::ALL
                .iter()
                .filter_map(|&stage| {
                    source
                        .iter()
                        .find(|e| e.stage == stage && Some(e.lang) == lang && e.id == id)
                        .map(|e| (stage, e.article.clone()))
                })
                .collect();
            ClauseImpact {
                id: id.to_string(),
                change,
                articles,
            }
        })
        .collect()
}
