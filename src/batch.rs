//! Building many packages in one run: the profiles found, read and checked first (two with
//! the same procurement ID stop everything before a file is written), then built in parallel
//! on `jobs` threads sharing one library and one set of templates, each package written to
//! disk as soon as it is built (memory does not grow with the number of profiles' documents)
//! and put in place with the others of its group of [`COMMIT_EVERY`], after one flush of the
//! disk for the whole group (see [`PackageWriter`]).

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use crate::error::{Error, Result, report};
use crate::lang::Lang;
use crate::library::Library;
use crate::output::{PackageWriter, StagedPackage};
use crate::package::{MANIFEST, documents};
use crate::portfolio;
use crate::profile::Profile;
use crate::render::Templates;
use crate::selection::select;
use crate::text_safety::visible;

/// The profiles named on the command line: files as given, folders searched (not
/// recursively) for `*.yaml` and `*.yml`, in name order. A path named twice counts once.
pub fn profile_paths(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let entries = std::fs::read_dir(input).map_err(|source| Error::Read {
                path: input.clone(),
                source,
            })?;
            let mut found: Vec<PathBuf> = entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
                .collect();
            found.sort();
            if found.is_empty() {
                return Err(Error::Usage(format!(
                    "{}: the folder holds no profile (*.yaml or *.yml)",
                    input.display()
                )));
            }
            out.extend(found);
        } else {
            out.push(input.clone());
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|p| seen.insert(p.clone()));
    Ok(out)
}

/// How many packages a batch puts in place after one flush of the disk: enough that the flush
/// costs little per package, few enough that the staging folders waiting (each holding an
/// open lock) stay few.
pub const COMMIT_EVERY: usize = 32;

/// Run `work` on every item on `jobs` threads; `done` sees each result (with the item's
/// index) on the calling thread as soon as it is ready. A worker waits while `backlog`
/// results are ready and not yet seen, so results never pile up behind a slow `done`.
pub fn parallel<T: Sync, R: Send>(
    items: &[T],
    jobs: usize,
    backlog: usize,
    work: impl Fn(&T) -> R + Sync,
    mut done: impl FnMut(usize, R),
) {
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::sync_channel(backlog.max(1));
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, items.len().max(1)) {
            let tx = tx.clone();
            let (next, work) = (&next, &work);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    if tx.send((i, work(item))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        for (i, result) in rx {
            done(i, result);
        }
    });
}

/// The progress of a batch on standard error: on a terminal one line rewritten in place, else
/// one plain line per package (no control characters, for logs).
pub struct Progress {
    terminal: bool,
    total: usize,
    done: usize,
}

impl Progress {
    pub fn new(total: usize) -> Progress {
        Progress {
            terminal: std::io::stderr().is_terminal(),
            total,
            done: 0,
        }
    }

    /// One more package finished: `what` says which and how.
    pub fn step(&mut self, what: &str) {
        self.done += 1;
        let what = visible(what);
        let mut err = std::io::stderr().lock();
        if self.terminal {
            let width = 30;
            let filled = self.done * width / self.total.max(1);
            let _ = write!(
                err,
                "\r\x1b[2K[{}{}] {}/{} {what}",
                "#".repeat(filled),
                "-".repeat(width - filled),
                self.done,
                self.total
            );
        } else {
            let _ = writeln!(err, "[{}/{}] {what}", self.done, self.total);
        }
        let _ = err.flush();
    }

    /// Clear the bar (on a terminal) before the summary.
    pub fn finish(&self) {
        if self.terminal {
            let _ = write!(std::io::stderr().lock(), "\r\x1b[2K");
        }
    }
}

/// What a batch did.
pub struct Outcome {
    /// The folders of the packages written, in profile order.
    pub written: Vec<PathBuf>,
    /// The index files written (with more than one profile and at least one package).
    pub index: Vec<PathBuf>,
    /// Every profile that failed, with its error, in profile order.
    pub failed: Vec<(PathBuf, Error)>,
}

/// Build the package of every profile in `paths` into `out`, the index beside them when there
/// is more than one profile. Errors of single profiles are collected in the outcome; two
/// profiles with the same procurement ID are an error before anything is written.
pub fn build(
    paths: &[PathBuf],
    library: &Library,
    templates: &Templates,
    langs: &[Lang],
    out: &Path,
    jobs: usize,
) -> Result<Outcome> {
    let mut progress = Progress::new(paths.len());
    let mut loaded: Vec<Option<Result<Profile>>> = (0..paths.len()).map(|_| None).collect();
    parallel(
        paths,
        jobs,
        jobs,
        |p| Profile::load(p),
        |i, r| loaded[i] = Some(r),
    );
    let mut profiles = Vec::new();
    let mut failed = Vec::new();
    for (path, result) in paths.iter().zip(loaded) {
        match result {
            Some(Ok(profile)) => profiles.push((path.clone(), profile)),
            Some(Err(e)) => failed.push((path.clone(), e)),
            None => {}
        }
    }
    refuse_duplicate_ids(&profiles)?;
    for (path, _) in &failed {
        progress.step(&format!("failed {}", path.display()));
    }

    let index_lang = langs.first().copied().unwrap_or_default();
    let mut results: Vec<Option<Result<(PathBuf, portfolio::Row)>>> =
        (0..profiles.len()).map(|_| None).collect();
    let writer = PackageWriter::new(out);
    let mut staged: Vec<(usize, StagedPackage, portfolio::Row)> = Vec::new();
    let commit = |staged: &mut Vec<(usize, StagedPackage, portfolio::Row)>,
                  results: &mut Vec<Option<Result<(PathBuf, portfolio::Row)>>>,
                  progress: &mut Progress| {
        let (rest, packages): (Vec<_>, Vec<_>) =
            staged.drain(..).map(|(i, p, row)| ((i, row), p)).unzip();
        for ((i, row), outcome) in rest.into_iter().zip(writer.commit(packages)) {
            let what = match &outcome {
                Ok(dir) => format!("built {}", dir.display()),
                Err(_) => format!("failed {}", profiles[i].0.display()),
            };
            progress.step(&what);
            results[i] = Some(outcome.map(|dir| (dir, row)));
        }
    };
    // A package waiting for its commit is a few paths (its files are on disk already), so the
    // workers may stage a whole group ahead while the calling thread flushes the last one.
    parallel(
        &profiles,
        jobs,
        COMMIT_EVERY,
        |(_, profile)| -> Result<(StagedPackage, portfolio::Row)> {
            crate::memo::next_package();
            let selection = select(library, profile)?;
            let docs = documents(&selection, langs, templates)?;
            let manifest = docs
                .iter()
                .find(|d| d.name == MANIFEST)
                .map(|d| d.bytes.as_slice())
                .unwrap_or_default();
            let row = portfolio::Row::new(&selection, manifest, index_lang, templates)?;
            let files: Vec<(String, Vec<u8>)> =
                docs.into_iter().map(|d| (d.name, d.bytes)).collect();
            let package = writer.stage(&profile.procurement.id, &files)?;
            Ok((package, row))
        },
        |i, result| match result {
            Ok((package, row)) => {
                staged.push((i, package, row));
                if staged.len() >= COMMIT_EVERY {
                    commit(&mut staged, &mut results, &mut progress);
                }
            }
            Err(e) => {
                progress.step(&format!("failed {}", profiles[i].0.display()));
                results[i] = Some(Err(e));
            }
        },
    );
    commit(&mut staged, &mut results, &mut progress);
    progress.finish();

    let mut written = Vec::new();
    let mut rows = Vec::new();
    for ((path, _), result) in profiles.iter().zip(results) {
        match result {
            Some(Ok((dir, row))) => {
                written.push(dir);
                rows.push(row);
            }
            Some(Err(e)) => failed.push((path.clone(), e)),
            None => {}
        }
    }
    failed.sort_by(|a, b| a.0.cmp(&b.0));
    let mut index = Vec::new();
    if paths.len() > 1 && !rows.is_empty() {
        let files: Vec<crate::output::OutputFile> =
            portfolio::files(&mut rows, index_lang, templates)?
                .into_iter()
                .map(|(name, bytes)| crate::output::OutputFile::new(out.join(name), bytes))
                .collect();
        crate::output::write_all(&files)?;
        index = files.into_iter().map(|f| f.path).collect();
    }
    Ok(Outcome {
        written,
        index,
        failed,
    })
}

/// Two profiles that would write the same package folder: an error naming both files.
fn refuse_duplicate_ids(profiles: &[(PathBuf, Profile)]) -> Result<()> {
    let mut first: BTreeMap<&str, &Path> = BTreeMap::new();
    let mut problems = Vec::new();
    for (path, profile) in profiles {
        let id = profile.procurement.id.as_str();
        if let Some(other) = first.get(id) {
            problems.push(format!(
                "procurement ID `{id}` is in both {} and {}",
                other.display(),
                path.display()
            ));
        } else {
            first.insert(id, path);
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "{}\nno package was written: each procurement needs its own ID (its package folder)",
            problems.join("\n")
        )))
    }
}

/// The failures of a batch as printed at its end: each profile's error report.
pub fn failure_report(failed: &[(PathBuf, Error)], total: usize) -> String {
    let mut text = format!(
        "{} of {total} profile{} failed:\n",
        failed.len(),
        if total == 1 { "" } else { "s" }
    );
    for (path, e) in failed {
        let message = report(e);
        let path = path.display().to_string();
        if !message.contains(&path) {
            text.push_str(&format!("{path}:\n"));
        }
        text.push_str(&message);
        if !text.ends_with('\n') {
            text.push('\n');
        }
    }
    text
}
