//! The procurement package: every document for one procurement in one folder, with a
//! `manifest.json` that lets anyone check later that nothing was changed.
//!
//! The manifest is canonical JSON (sorted keys, files sorted by path), so the same inputs
//! always give a byte-identical package.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::annex;
use crate::digest::sha256_hex;
use crate::error::Error;
use crate::facts::Stage;
use crate::lang::Lang;
use crate::library::Library;
use crate::profile::Profile;
use crate::questionnaire::{self, Questionnaire};
use crate::render::Templates;
use crate::selection::Selection;
use crate::tier::TierDecision;

pub const MANIFEST: &str = "manifest.json";

/// A document of the package: its file name inside the package folder, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Every document of the package for `langs`, the manifest last.
pub fn documents(
    selection: &Selection,
    langs: &[Lang],
    templates: &Templates,
) -> Result<Vec<Document>, Error> {
    let mut docs = Vec::new();
    let mut clauses = Vec::new();
    let questionnaire = Questionnaire::build(selection);
    for &lang in langs {
        let mut stages = Vec::new();
        for stage in Stage::ALL {
            let mut document = annex::render(selection, stage, lang, templates, |_| true)?;
            clauses.extend(clause_entries(
                stage,
                lang,
                std::mem::take(&mut document.articles),
            ));
            stages.extend(document.into_files(stage, lang, |_| true));
        }
        let files = stages
            .into_iter()
            .chain(questionnaire::files(
                &questionnaire,
                lang,
                templates,
                |_| true,
            )?)
            .chain([(
                format!("tier.{lang}.json"),
                selection
                    .decision
                    .to_json(lang, selection.library)
                    .into_bytes(),
            )]);
        docs.extend(files.map(|(name, bytes)| Document { name, bytes }));
    }
    let manifest = Manifest::new(
        selection.library,
        selection.profile,
        &selection.decision,
        &docs,
        clauses,
    );
    docs.push(Document {
        name: MANIFEST.to_string(),
        bytes: manifest.to_json().into_bytes(),
    });
    Ok(docs)
}

/// The manifest's entries for the articles of one document.
pub fn clause_entries(
    stage: Stage,
    lang: Lang,
    articles: Vec<annex::ArticleDigest>,
) -> impl Iterator<Item = ClauseEntry> {
    articles.into_iter().map(move |a| ClauseEntry {
        stage,
        lang,
        id: a.id,
        article: a.article,
        sha256: a.sha256,
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub chotatsu_version: String,
    pub library: LibraryEntry,
    pub profile: ProfileEntry,
    pub procurement_id: String,
    pub tier: u8,
    /// Every selected clause's article in each document (stage and language), in document
    /// order: what `impact` compares with what the current library would write. (Absent from
    /// the manifests of earlier versions, which `verify` still reads.)
    #[serde(default)]
    pub clauses: Vec<ClauseEntry>,
    /// Sorted by path.
    pub files: Vec<FileEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClauseEntry {
    pub stage: Stage,
    pub lang: Lang,
    pub id: String,
    /// 第N条 / Article N.
    pub article: String,
    /// SHA-256 of the article's heading and text as rendered.
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LibraryEntry {
    /// The bundled library is versioned with the binary.
    pub bundled_version: String,
    pub overlay: bool,
    /// Digest of every library file read, bundled and overlay.
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileEntry {
    /// The profile's file name (without its folder, so the manifest does not depend on
    /// where the command ran).
    pub name: String,
    pub sha256: String,
    /// The profile itself, so `impact` can select and render again for it (absent from the
    /// manifests of earlier versions).
    #[serde(default)]
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileEntry {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

impl Manifest {
    pub fn new(
        library: &Library,
        profile: &Profile,
        decision: &TierDecision,
        docs: &[Document],
        clauses: Vec<ClauseEntry>,
    ) -> Manifest {
        let mut files: Vec<FileEntry> = docs
            .iter()
            .map(|d| FileEntry {
                path: d.name.clone(),
                size: d.bytes.len() as u64,
                sha256: sha256_hex(&d.bytes),
            })
            .collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let name = Path::new(&profile.file).file_name().map_or_else(
            || profile.file.clone(),
            |n| n.to_string_lossy().into_owned(),
        );
        Manifest {
            chotatsu_version: env!("CARGO_PKG_VERSION").to_string(),
            library: LibraryEntry {
                bundled_version: env!("CARGO_PKG_VERSION").to_string(),
                overlay: library
                    .origins
                    .values()
                    .any(|o| *o != crate::library::Origin::Bundled)
                    || !library.retired.is_empty()
                    || library.files.iter().any(|f| f.key.starts_with("overlay/")),
                sha256: library.digest(),
            },
            profile: ProfileEntry {
                name,
                sha256: sha256_hex(profile.text.as_bytes()),
                text: profile.text.clone(),
            },
            procurement_id: profile.procurement.id.clone(),
            tier: decision.tier,
            clauses,
            files,
        }
    }

    /// Canonical JSON: keys sorted (serde_json's map is ordered), two-space indent,
    /// final newline.
    pub fn to_json(&self) -> String {
        let value = serde_json::to_value(self).unwrap_or_default();
        let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// What `verify` found for one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FileStatus {
    Ok,
    Modified,
    Missing,
    Unexpected,
}

impl FileStatus {
    pub fn word(self) -> &'static str {
        match self {
            FileStatus::Ok => "ok",
            FileStatus::Modified => "modified",
            FileStatus::Missing => "missing",
            FileStatus::Unexpected => "unexpected",
        }
    }
}

/// Check every file of the package in `dir` against its manifest. Returns the status of
/// each file, sorted by path; an unreadable or malformed manifest is an error.
pub fn verify(dir: &Path) -> Result<Vec<(String, FileStatus)>, Error> {
    let manifest_path = dir.join(MANIFEST);
    let text = crate::output::read_text(&manifest_path)?;
    let manifest: Manifest = serde_json::from_str(&text).map_err(|e| {
        Error::Source(crate::error::SourceError {
            file: manifest_path.display().to_string(),
            line: e.line() as u64,
            column: e.column() as u64,
            field: String::new(),
            message: format!(
                "not a chotatsu manifest: {}",
                e.to_string().split(" at line ").next().unwrap_or_default()
            ),
            snippet: None,
        })
    })?;
    let mut results = Vec::new();
    let mut listed = BTreeSet::new();
    for entry in &manifest.files {
        if !is_plain_name(&entry.path) || entry.path == MANIFEST {
            return Err(Error::Usage(format!(
                "{}: the manifest lists `{}`, which is not a file of the package",
                manifest_path.display(),
                entry.path
            )));
        }
        if !listed.insert(entry.path.clone()) {
            return Err(Error::Usage(format!(
                "{}: the manifest lists `{}` twice; a chotatsu manifest lists each file once",
                manifest_path.display(),
                entry.path
            )));
        }
        results.push((
            entry.path.clone(),
            file_status(&dir.join(&entry.path), entry),
        ));
    }
    let entries = fs::read_dir(dir).map_err(|source| Error::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name != MANIFEST && !listed.contains(&name) {
            results.push((name, FileStatus::Unexpected));
        }
    }
    results.sort();
    Ok(results)
}

/// One listed file against its entry. The size is compared first (from the metadata, then
/// enforced while reading), so a file grown huge is never read whole; anything but a regular
/// file (a link, a FIFO, a folder) does not match.
fn file_status(path: &Path, entry: &FileEntry) -> FileStatus {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_file() => {
            if m.len() != entry.size {
                return FileStatus::Modified;
            }
            match crate::output::read_bounded(path, entry.size) {
                Ok(bytes) if sha256_hex(&bytes) == entry.sha256 => FileStatus::Ok,
                _ => FileStatus::Modified,
            }
        }
        Ok(_) => FileStatus::Modified,
        Err(_) => FileStatus::Missing,
    }
}

/// A file name with no folder part: what a package may contain.
pub fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\', '\0'])
        && !name.starts_with('.')
}
