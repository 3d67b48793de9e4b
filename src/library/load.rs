//! Reading library files: the bundled ones embedded at build time, then an overlay directory.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use super::model::*;
use super::question::{Question, QuestionsFile};
use super::{Library, SourceFile};
use crate::error::Error;
use crate::yaml;

/// `(path, contents)` of every file under `clause-library/`, embedded by `build.rs`.
const BUNDLED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/bundled_library.rs"));

const BUNDLED_ROOT: &str = "clause-library/";

/// The SHA-256 of each bundled library file, by path, worked out by build.rs.
const BUNDLED_DIGESTS: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/bundled_digests.rs"));

fn bundled_digest(path: &str) -> Option<&'static str> {
    BUNDLED_DIGESTS
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, digest)| *digest)
}

/// Files an overlay may hold, besides `clauses/*.yaml`.
const OVERLAY_FILES: [&str; 3] = ["parameters.yaml", "references.yaml", "retired.yaml"];

pub(super) fn load(overlay: Option<&Path>) -> Result<(Option<Library>, Vec<String>), Error> {
    load_with(overlay, &mut Reader::default())
}

/// [`load`], reading the bundled files as `reader` says.
fn load_with(
    overlay: Option<&Path>,
    reader: &mut Reader,
) -> Result<(Option<Library>, Vec<String>), Error> {
    let mut problems = Vec::new();

    let bundled = |name: &str| {
        BUNDLED
            .iter()
            .find(|(p, _)| p.strip_prefix(BUNDLED_ROOT) == Some(name))
            .map(|(p, text)| (p.to_string(), text.to_string()))
    };
    let parse_named = |name: &str, problems: &mut Vec<String>| -> Option<(String, String)> {
        match bundled(name) {
            Some(found) => Some(found),
            None => {
                problems.push(format!(
                    "{BUNDLED_ROOT}{name}: missing from the bundled library"
                ));
                None
            }
        }
    };

    let requirements: Option<RequirementsFile> = parse_named("requirements.yaml", &mut problems)
        .and_then(|(f, t)| reader.parse(&f, &f, &t, &mut problems));
    let tiers: Option<TiersFile> = parse_named("tiers.yaml", &mut problems)
        .and_then(|(f, t)| reader.parse(&f, &f, &t, &mut problems));
    let mut parameters: BTreeMap<String, ParameterSpec> =
        parse_named("parameters.yaml", &mut problems)
            .and_then(|(f, t)| reader.parse::<ParametersFile>(&f, &f, &t, &mut problems))
            .map(|p| with_file(p.parameters, "clause-library/parameters.yaml"))
            .unwrap_or_default();
    let mut references: Vec<Reference> = parse_named("references.yaml", &mut problems)
        .and_then(|(f, t)| reader.parse::<ReferencesFile>(&f, &f, &t, &mut problems))
        .map(|r| r.references)
        .unwrap_or_default();

    let mut clauses: Vec<Clause> = Vec::new();
    for (path, text) in BUNDLED
        .iter()
        .filter(|(p, _)| p.starts_with("clause-library/clauses/") && p.ends_with(".yaml"))
    {
        if let Some(file) = reader.parse::<ClausesFile>(path, path, text, &mut problems) {
            clauses.extend(file.clauses.into_iter().map(|mut c| {
                c.file = path.to_string();
                c
            }));
        }
    }
    problems.extend(duplicate_ids(&clauses));
    let mut origins: BTreeMap<String, Origin> = clauses
        .iter()
        .map(|c| (c.id.clone(), Origin::Bundled))
        .collect();

    let mut questions: Vec<Question> = Vec::new();
    for (path, text) in BUNDLED
        .iter()
        .filter(|(p, _)| p.starts_with("clause-library/questions/") && p.ends_with(".yaml"))
    {
        if let Some(file) = reader.parse::<QuestionsFile>(path, path, text, &mut problems) {
            questions.extend(file.questions.into_iter().map(|mut q| {
                q.file = path.to_string();
                q
            }));
        }
    }

    let mut retired = Vec::new();
    if let Some(dir) = overlay {
        if !dir.is_dir() {
            return Err(Error::Read {
                path: dir.to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "the overlay library is not a directory",
                ),
            });
        }
        for entry in sorted_entries(dir)? {
            let name = entry.file_name().map(|n| n.to_string_lossy().into_owned());
            let name = name.unwrap_or_default();
            if entry.is_dir() {
                if name != "clauses" && name != "questions" {
                    problems.push(format!(
                        "{}: not part of an overlay (expected clauses/, parameters.yaml, references.yaml, retired.yaml)",
                        entry.display()
                    ));
                }
            } else if (name.ends_with(".yaml") || name.ends_with(".yml"))
                && !OVERLAY_FILES.contains(&name.as_str())
            {
                problems.push(format!(
                    "{}: not part of an overlay (expected clauses/, parameters.yaml, references.yaml, retired.yaml)",
                    entry.display()
                ));
            }
        }

        let mut overlay_clauses = Vec::new();
        let clause_dir = dir.join("clauses");
        if clause_dir.is_dir() {
            for path in sorted_entries(&clause_dir)? {
                let is_yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
                if !is_yaml {
                    continue;
                }
                let (file, key, text) = read_overlay_file(dir, &path)?;
                if let Some(f) = reader.parse::<ClausesFile>(&file, &key, &text, &mut problems) {
                    overlay_clauses.extend(f.clauses.into_iter().map(|mut c| {
                        c.file = file.clone();
                        c
                    }));
                }
            }
        }
        problems.extend(duplicate_ids(&overlay_clauses));
        for clause in overlay_clauses {
            match clauses.iter_mut().find(|c| c.id == clause.id) {
                Some(slot) => {
                    origins.insert(clause.id.clone(), Origin::OverlayReplaced);
                    *slot = clause;
                }
                None => {
                    origins.insert(clause.id.clone(), Origin::OverlayAdded);
                    clauses.push(clause);
                }
            }
        }

        let question_dir = dir.join("questions");
        if question_dir.is_dir() {
            let mut overlay_questions = Vec::new();
            for path in sorted_entries(&question_dir)? {
                if !path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                    continue;
                }
                let (file, key, text) = read_overlay_file(dir, &path)?;
                if let Some(f) = reader.parse::<QuestionsFile>(&file, &key, &text, &mut problems) {
                    overlay_questions.extend(f.questions.into_iter().map(|mut q| {
                        q.file = file.clone();
                        q
                    }));
                }
            }
            // Only bundled questions are replaced: a second overlay question with the same ID
            // is kept, so `check` reports the duplicate instead of one silently winning.
            for question in overlay_questions {
                match questions
                    .iter_mut()
                    .find(|q| q.id == question.id && q.file.starts_with(BUNDLED_ROOT))
                {
                    Some(slot) => *slot = question,
                    None => questions.push(question),
                }
            }
        }

        let params_path = dir.join("parameters.yaml");
        if params_path.is_file() {
            let (file, key, text) = read_overlay_file(dir, &params_path)?;
            if let Some(p) = reader.parse::<ParametersFile>(&file, &key, &text, &mut problems) {
                parameters.extend(with_file(p.parameters, &file));
            }
        }
        let refs_path = dir.join("references.yaml");
        if refs_path.is_file() {
            let (file, key, text) = read_overlay_file(dir, &refs_path)?;
            if let Some(r) = reader.parse::<ReferencesFile>(&file, &key, &text, &mut problems) {
                for reference in r.references {
                    match references.iter_mut().find(|x| x.id == reference.id) {
                        Some(slot) => *slot = reference,
                        None => references.push(reference),
                    }
                }
            }
        }
        let retired_path = dir.join("retired.yaml");
        if retired_path.is_file() {
            let (file, key, text) = read_overlay_file(dir, &retired_path)?;
            if let Some(r) = reader.parse::<RetiredFile>(&file, &key, &text, &mut problems) {
                for retirement in r.retired {
                    if retirement.reason.trim().is_empty() {
                        problems.push(format!(
                            "{file}: retired clause {}: a reason is required",
                            retirement.clause
                        ));
                    }
                    if origins.get(&retirement.clause) != Some(&Origin::Bundled) {
                        problems.push(format!(
                            "{file}: retired clause {}: no bundled clause has this ID",
                            retirement.clause
                        ));
                        continue;
                    }
                    clauses.retain(|c| c.id != retirement.clause);
                    origins.remove(&retirement.clause);
                    retired.push((retirement, file.clone()));
                }
            }
        }
    }

    let library = match (requirements, tiers) {
        (Some(r), Some(t)) => Some(Library {
            guideline: r.guideline,
            duties: r.duties,
            requirements: r.requirements,
            minimum_clauses_per_tier: r.minimum_clauses_per_tier,
            tiers: t.tiers,
            rule: t.rule,
            reasons: t.reasons,
            parameters,
            references,
            clauses,
            origins,
            retired,
            questions,
            files: std::mem::take(&mut reader.files),
        }),
        _ => None,
    };
    Ok((library, problems))
}

/// Reads library files and records each one read, with the digest of its text.
struct Reader {
    /// Whether a bundled file is read from the JSON build.rs made of it
    /// ([`yaml::parse_bundled`]) rather than from its YAML; the tests read both ways.
    bundled_json: bool,
    /// How many files were read from JSON.
    read_from_json: usize,
    files: Vec<SourceFile>,
}

impl Default for Reader {
    fn default() -> Self {
        Reader {
            bundled_json: true,
            read_from_json: 0,
            files: Vec::new(),
        }
    }
}

impl Reader {
    /// Parse one library file; `key` names it stably in the library digest (the bundled
    /// path, or `overlay/` and the path inside the overlay), whatever path the user typed.
    fn parse<T: DeserializeOwned>(
        &mut self,
        file: &str,
        key: &str,
        text: &str,
        problems: &mut Vec<String>,
    ) -> Option<T> {
        // A bundled file's text is the one build.rs hashed.
        let sha256 = bundled_digest(key).map_or_else(
            || crate::digest::sha256_hex(text.as_bytes()),
            str::to_string,
        );
        let bundled = key.starts_with(BUNDLED_ROOT);
        self.files.push(SourceFile {
            name: file.to_string(),
            key: key.to_string(),
            sha256,
        });
        let json = bundled
            .then(|| yaml::bundled_json(file))
            .flatten()
            .filter(|_| self.bundled_json);
        // JSON that does not read as `T` falls back to the YAML, for its error message.
        let parsed = if let Some(value) = json.and_then(|j| serde_json::from_str(j).ok()) {
            self.read_from_json += 1;
            Ok(value)
        } else {
            yaml::parse::<T>(file, text)
        };
        match parsed {
            Ok(v) => Some(v),
            Err(e) => {
                problems.push(e.to_string());
                None
            }
        }
    }
}

/// Record which file defined each parameter, for messages.
fn with_file(
    mut parameters: BTreeMap<String, ParameterSpec>,
    file: &str,
) -> BTreeMap<String, ParameterSpec> {
    for spec in parameters.values_mut() {
        spec.file = file.to_string();
    }
    parameters
}

fn duplicate_ids(clauses: &[Clause]) -> Vec<String> {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    let mut problems = Vec::new();
    for c in clauses {
        if let Some(first) = seen.insert(&c.id, &c.file) {
            problems.push(format!(
                "{}: clause {}: duplicate clause ID (also defined in {first})",
                c.file, c.id
            ));
        }
    }
    problems
}

/// The file's name as the user would write it, its stable key, and its text.
fn read_overlay_file(dir: &Path, path: &Path) -> Result<(String, String, String), Error> {
    let text = crate::output::read_text(path)?;
    let inside = path.strip_prefix(dir).unwrap_or(path);
    let key = format!("overlay/{}", inside.to_string_lossy().replace('\\', "/"));
    Ok((path.display().to_string(), key, text))
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let read = fs::read_dir(dir).map_err(|source| Error::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut paths: Vec<PathBuf> = read.flatten().map(|e| e.path()).collect();
    paths.sort();
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The digests build.rs worked out are those of the bundled texts, file for file.
    #[test]
    fn bundled_digests_are_those_of_the_bundled_files() {
        assert_eq!(BUNDLED_DIGESTS.len(), BUNDLED.len());
        for (path, text) in BUNDLED {
            assert_eq!(
                bundled_digest(path),
                Some(crate::digest::sha256_hex(text.as_bytes()).as_str()),
                "{path}"
            );
        }
    }

    /// The JSON build.rs embeds is the very data of the YAML: the library read either way is
    /// the same, field for field (with an overlay, which is always read as YAML, merged in).
    #[test]
    fn the_bundled_json_reads_as_the_yaml_does() {
        let overlay =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/questionnaire/overlay");
        for overlay in [None, Some(overlay.as_path())] {
            let mut json = Reader::default();
            let (from_json, json_problems) = load_with(overlay, &mut json).unwrap();
            let read = &from_json.as_ref().expect("the core files parse").files;
            let bundled = read.iter().filter(|f| f.key.starts_with(BUNDLED_ROOT));
            assert_eq!(json.read_from_json, bundled.count());
            let mut yaml_only = Reader {
                bundled_json: false,
                ..Reader::default()
            };
            let (from_yaml, yaml_problems) = load_with(overlay, &mut yaml_only).unwrap();
            assert_eq!(json_problems, yaml_problems);
            assert_eq!(format!("{from_json:#?}"), format!("{from_yaml:#?}"));
        }
    }
}
