//! Writing generated files: all or nothing.
//!
//! Every command renders all its documents in memory first, then hands them to [`write_all`],
//! which writes each to a temporary file beside its target and renames them into place only
//! when every one was written. An error leaves no half-written or partial set of outputs.
//!
//! What reaches the disk before a command returns differs by what is written:
//! - a **package** ([`write_package`]) is what gets issued: its files are flushed to disk
//!   before it replaces the earlier package, so not even a power cut can leave a mix;
//! - the files of a **one-document command** (`annex`, `questionnaire`, `evaluate`, `diff
//!   --out`, a batch's index) are working copies that the same inputs rebuild byte for byte.
//!   They are renamed into place whole (a killed or failing command leaves the earlier files
//!   or the new ones, never a torn file) but not flushed: a power cut in the seconds after may
//!   lose them, as it would an editor's unsaved work, and running the command again restores
//!   them. Flushing cost more than the whole document took to write (an `fsync` is some
//!   15 ms on a virtual disk, an annex 10 ms).

use std::fs;
use std::io::Write;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use crate::{Error, Result};

/// A generated file, ready to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

impl OutputFile {
    pub fn new(path: PathBuf, bytes: impl Into<Vec<u8>>) -> Self {
        OutputFile {
            path,
            bytes: bytes.into(),
        }
    }
}

/// Write every file, or none. Each file is first written to a temporary file created
/// exclusively beside its target (a path planted in advance is never opened or reused); only
/// when every one is written are they renamed into place. If a rename fails, the files already
/// renamed are put back as they were, so the command's outputs appear together or not at all.
/// No output is written through a symbolic link (see [`refuse_symlinks`]). The files are not
/// flushed to disk (see the module documentation for why).
pub fn write_all(files: &[OutputFile]) -> Result<()> {
    for file in files {
        refuse_symlinks(&file.path)?;
    }
    let mut staged: Vec<(tempfile::NamedTempFile, &Path)> = Vec::with_capacity(files.len());
    for file in files {
        let dir = folder_of(&file.path);
        create_folder(dir)?;
        // The folder may have been created just now: check again before writing into it.
        refuse_symlinks(&file.path)?;
        // Not a symbolic link (refused above): what is there now, if anything.
        let existing = fs::symlink_metadata(&file.path).ok();
        if existing.as_ref().is_some_and(fs::Metadata::is_dir) {
            return Err(write_error(
                &file.path,
                std::io::ErrorKind::IsADirectory,
                "a folder of that name is in the way",
            ));
        }
        let prefix = format!(".{}.", file_name(&file.path));
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        if let Some(permissions) = permissions_for(existing.as_ref()) {
            builder.permissions(permissions);
        }
        let mut tmp = builder.tempfile_in(dir).map_err(|source| Error::Write {
            path: file.path.clone(),
            source,
        })?;
        tmp.write_all(&file.bytes).map_err(|source| Error::Write {
            path: file.path.clone(),
            source,
        })?;
        staged.push((tmp, &file.path));
    }
    // Keep a hard link to every file about to be replaced, so a failed rename can put the
    // earlier ones back.
    let mut backups = Vec::with_capacity(staged.len());
    for (_, target) in &staged {
        let backup = if fs::symlink_metadata(target).is_ok_and(|m| m.is_file()) {
            Some(
                tempfile::Builder::new()
                    .prefix(&format!(".{}.", file_name(target)))
                    .suffix(".old")
                    .make_in(folder_of(target), |p| fs::hard_link(target, p))
                    .map_err(|source| Error::Write {
                        path: target.to_path_buf(),
                        source,
                    })?,
            )
        } else {
            None
        };
        backups.push(backup);
    }
    let mut renamed = 0;
    let mut failure = None;
    for (tmp, target) in staged {
        if let Err(e) = tmp.persist(target) {
            failure = Some(Error::Write {
                path: target.to_path_buf(),
                source: e.error,
            });
            break;
        }
        renamed += 1;
    }
    if let Some(error) = failure {
        for (file, backup) in files.iter().zip(backups).take(renamed) {
            match backup {
                Some(b) => {
                    let _ = b.persist(&file.path);
                }
                None => {
                    let _ = fs::remove_file(&file.path);
                }
            }
        }
        return Err(error);
    }
    Ok(())
}

/// The permissions a written file gets: those of the file it replaces (`existing`), or for a
/// new file what any new file gets (on Unix read and write for all, less the umask), as `cp`
/// or an editor would give it; not the owner-only mode of a temporary file, since a document
/// is written to be read by colleagues and served from a file share. `None`: the platform's
/// default for a new file.
fn permissions_for(existing: Option<&fs::Metadata>) -> Option<fs::Permissions> {
    match existing {
        Some(m) if m.is_file() => Some(m.permissions()),
        _ => new_file_permissions(),
    }
}

#[cfg(unix)]
fn new_file_permissions() -> Option<fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    // The file is created by open(2), which takes the umask off.
    Some(fs::Permissions::from_mode(0o666))
}

#[cfg(not(unix))]
fn new_file_permissions() -> Option<fs::Permissions> {
    None
}

fn write_error(path: &Path, kind: std::io::ErrorKind, message: &str) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        source: std::io::Error::new(kind, message.to_string()),
    }
}

/// The folder a file is written in (`.` for a bare file name).
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn create_folder(dir: &Path) -> Result<()> {
    fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.to_path_buf(),
        source,
    })
}

/// Flush a folder's entries (the renames) to disk; best effort, as not every platform can.
fn sync_folder(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// The one rule for every command: no part of an output path, from the first component of
/// `--out` as given down to the file itself, may be a symbolic link. A link anywhere would let
/// whoever planted it choose where chotatsu writes.
pub fn refuse_symlinks(target: &Path) -> Result<()> {
    for path in target.ancestors() {
        if path.as_os_str().is_empty() {
            continue;
        }
        if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(write_error(
                path,
                std::io::ErrorKind::PermissionDenied,
                "refusing to write through a symbolic link",
            ));
        }
    }
    Ok(())
}

/// How far a package write has come; the tests stop it at each step as a kill would.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    Locked,
    StagingCreated,
    FileWritten,
    Staged,
    /// The staged packages of a [`PackageWriter::commit`] are flushed to disk together.
    Flushed,
    Swapped,
}

/// Write the folder `root/name` holding exactly `files` (plain file names), replacing any
/// existing folder of that name whole. The new folder is written beside it under a hidden
/// name, then exchanged with the old one in a single rename (Linux `RENAME_EXCHANGE`), so at
/// every instant, even if the process is killed, the path holds either the old package or the
/// new one. A staging folder left by a killed build is removed by the next one.
///
/// Builds of the same root take an advisory lock on it, but only to create their staging
/// folder and to swap: the files are written and flushed to disk outside it, so parallel
/// builds do not queue behind each other's disk flushes. A staging folder being written is
/// locked by its builder; the clean-up leaves locked ones alone (the lock dies with the
/// process, so a killed build's folder is unlocked and removed).
///
/// One package flushes its own files (`fsync` each, then the staging folder) before the swap,
/// rather than the whole file system as [`PackageWriter`] does for a batch: the flush then
/// waits only for this package's few files, never for whatever else other programs have left
/// unwritten on the same disk, and one package is not worth saving a few flushes for.
pub fn write_package(root: &Path, name: &str, files: &[(String, Vec<u8>)]) -> Result<PathBuf> {
    write_package_steps(root, name, files, &mut |_| ControlFlow::Continue(()))
}

pub(crate) fn write_package_steps(
    root: &Path,
    name: &str,
    files: &[(String, Vec<u8>)],
    step: &mut dyn FnMut(Step) -> ControlFlow<()>,
) -> Result<PathBuf> {
    let mut staging = stage(root, name, files, &|| Ok(Flush::EachFile), step)?;
    let root_lock = match staging.root_lock.take() {
        Some(held) => held,
        None => match lock_folder(root) {
            Ok(lock) => lock,
            Err(e) => {
                staging.discard();
                return Err(e);
            }
        },
    };
    if let Err(e) = swap_into_place(&staging.dir, &staging.target) {
        let target = staging.target.clone();
        staging.discard();
        return Err(Error::Write {
            path: target,
            source: e,
        });
    }
    sync_folder(root);
    drop(root_lock);
    if step(Step::Swapped).is_break() {
        return Err(stopped(root));
    }
    Ok(staging.finish())
}

/// What a stopped write (a test's kill) returns; nothing is cleaned up, as after a kill.
fn stopped(root: &Path) -> Error {
    write_error(root, std::io::ErrorKind::Interrupted, "stopped")
}

/// How a staged package's files reach the disk before it is swapped in.
enum Flush {
    /// Each file, then the staging folder, flushed right after they are written.
    EachFile,
    /// Flushed later, with every package staged in the same round, by one `syncfs` on this
    /// round's handle (see [`PackageWriter`]).
    Together(std::sync::Arc<Round>),
}

/// A package written whole to its hidden staging folder beside its target, not yet swapped in.
struct Staging {
    target: PathBuf,
    dir: PathBuf,
    /// Held until the folder is removed, so no other build's clean-up removes it meanwhile;
    /// `None` where a folder cannot be locked, and then `root_lock` is held instead.
    lock: Option<fs::File>,
    root_lock: Option<fs::File>,
    flush: Flush,
}

impl Staging {
    /// After the swap the staging name holds the old package (or nothing): remove it, then
    /// unlock.
    fn finish(self) -> PathBuf {
        let _ = fs::remove_dir_all(&self.dir);
        drop(self.lock);
        self.target
    }

    /// Give up on the package: its staging folder is removed, the old package stays.
    fn discard(self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Write `files` into a new staging folder for `root/name`, flushed as `flush` (asked once the
/// root exists, before anything is written in it) says. Stopped by `step`, it returns at once
/// and leaves what it made, as a kill would.
fn stage(
    root: &Path,
    name: &str,
    files: &[(String, Vec<u8>)],
    flush: &dyn Fn() -> Result<Flush>,
    step: &mut dyn FnMut(Step) -> ControlFlow<()>,
) -> Result<Staging> {
    let write_err = |path: &Path, source: std::io::Error| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let target = root.join(name);
    refuse_symlinks(&target)?;
    if fs::symlink_metadata(&target).is_ok_and(|m| !m.is_dir()) {
        return Err(write_error(
            &target,
            std::io::ErrorKind::AlreadyExists,
            "exists and is not a folder",
        ));
    }
    create_folder(root)?;
    refuse_symlinks(&target)?;
    let flush = flush()?;
    let root_lock = lock_folder(root)?;
    if step(Step::Locked).is_break() {
        return Err(stopped(root));
    }
    remove_stale_staging(root, name, &target)?;
    let dir = tempfile::Builder::new()
        .prefix(&format!(".{name}.new-"))
        .tempdir_in(root)
        .map_err(|e| write_err(&target, e))?
        .keep();
    // Locked before the root is unlocked: no other build ever sees it unlocked while alive.
    let lock = match lock_staging(&dir) {
        Ok(lock) => lock,
        Err(e) => {
            let _ = fs::remove_dir_all(&dir);
            return Err(write_err(&target, e));
        }
    };
    // Where a folder cannot be locked the root stays locked while the files are written.
    let root_lock = if lock.is_some() {
        drop(root_lock);
        None
    } else {
        Some(root_lock)
    };
    if step(Step::StagingCreated).is_break() {
        return Err(stopped(root));
    }
    let staging = Staging {
        target,
        dir,
        lock,
        root_lock,
        flush,
    };
    let written = (|| {
        let mut written = Vec::with_capacity(files.len());
        for (file, bytes) in files {
            let path = staging.dir.join(file);
            let mut f = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .map_err(|e| write_err(&staging.target.join(file), e))?;
            f.write_all(bytes)
                .map_err(|e| write_err(&staging.target.join(file), e))?;
            if let Flush::EachFile = staging.flush {
                written.push((f, file));
            }
            if step(Step::FileWritten).is_break() {
                return Ok(false);
            }
        }
        // Flushed together after the writes (one journal commit on most file systems)
        // rather than each as it is written.
        for (f, file) in &written {
            f.sync_all()
                .map_err(|e| write_err(&staging.target.join(file), e))?;
        }
        if !written.is_empty() {
            sync_folder(&staging.dir);
        }
        Ok(step(Step::Staged).is_continue())
    })();
    match written {
        Ok(true) => Ok(staging),
        Ok(false) => Err(stopped(root)),
        Err(e) => {
            staging.discard();
            Err(e)
        }
    }
}

/// Whether this platform can flush a whole file system at once and report what failed to
/// reach the disk (Linux `syncfs`, which reports write errors since 5.8).
const FLUSH_TOGETHER: bool = cfg!(target_os = "linux");

/// `syncfs` on the file system that holds `dir`.
fn sync_file_system(dir: &fs::File) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        rustix::fs::syncfs(dir).map_err(Into::into)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = dir;
        Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
    }
}

/// A flush's outcome, kept to be given to every package it concerns.
type FlushOutcome = std::result::Result<(), (std::io::ErrorKind, String)>;

/// The packages staged between two commits of a [`PackageWriter`]: a handle on the output
/// folder opened before any of their files was written, and what flushing through it found.
struct Round {
    dir: fs::File,
    /// Set when a flush through `dir` failed: every package of the round fails with it.
    failed: std::sync::Mutex<Option<(std::io::ErrorKind, String)>>,
}

impl Round {
    /// Flush the file system through the round's handle; an error is kept, and given again,
    /// for every package of the round.
    fn flush(&self) -> FlushOutcome {
        let mut failed = self.failed.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(e) = &*failed {
            return Err(e.clone());
        }
        if let Err(e) = sync_file_system(&self.dir) {
            *failed = Some((e.kind(), e.to_string()));
            return Err((e.kind(), e.to_string()));
        }
        Ok(())
    }
}

/// A package of a batch written whole to disk beside its target, waiting for
/// [`PackageWriter::commit`] to swap it in.
pub struct StagedPackage(Pending);

enum Pending {
    Staged(Staging),
    /// Already in place (where a staging folder cannot be locked, a package is swapped in
    /// as soon as it is written, as the root stays locked until then).
    InPlace(PathBuf),
}

/// Writes many packages into one output folder, flushing the disk once per group of packages
/// instead of once per file: a batch's workers [`stage`](Self::stage) packages (each written
/// whole into its own locked staging folder, as [`write_package`] does, but not flushed), and
/// every so many the batch [`commit`](Self::commit)s those staged so far.
///
/// A commit flushes them all with one `syncfs` on the output folder, then exchanges each with
/// its old package (`RENAME_EXCHANGE`, under the root lock), then flushes the output folder
/// once. Why no package is ever half there, even if the process is killed or the power fails:
/// - Before its swap a new package is only in its hidden staging folder: the package path
///   holds the old package, and a staging folder left behind is removed by the next build.
/// - A package is swapped in only after the `syncfs` returned without error: on Linux
///   `syncfs` gives the guarantees of `fsync` on every file of the file system (syncfs(2)),
///   so its files and its staging folder's entries are on disk before any rename names them.
/// - Each exchange is one atomic rename: the path names the old folder or the new one, both
///   whole on disk; the folder flush after the exchanges makes them last, and a power failure
///   before it leaves each path with its old package or its new one.
/// - A write error reaches `syncfs` only through a handle opened before the failed write
///   (Linux reports each error once to every handle open when it happened). So each round of
///   packages (those staged between two commits) shares one handle on the output folder opened
///   before its first file; a commit flushes through the handle of every round among its
///   packages, and a round whose flush reported an error fails all its packages, including
///   ones committed later, whose error that report may have been.
///
/// Where the file system cannot be flushed at once (not Linux), each package is flushed file
/// by file when staged, as by [`write_package`].
pub struct PackageWriter {
    root: PathBuf,
    round: std::sync::Mutex<Option<std::sync::Arc<Round>>>,
}

impl PackageWriter {
    pub fn new(root: &Path) -> PackageWriter {
        PackageWriter {
            root: root.to_path_buf(),
            round: std::sync::Mutex::new(None),
        }
    }

    /// Write the package `name` holding exactly `files` into its staging folder, to be swapped
    /// in by the next [`commit`](Self::commit). Safe to call from many threads at once.
    pub fn stage(&self, name: &str, files: &[(String, Vec<u8>)]) -> Result<StagedPackage> {
        self.stage_steps(name, files, &mut |_| ControlFlow::Continue(()))
    }

    pub(crate) fn stage_steps(
        &self,
        name: &str,
        files: &[(String, Vec<u8>)],
        step: &mut dyn FnMut(Step) -> ControlFlow<()>,
    ) -> Result<StagedPackage> {
        let flush = || {
            Ok(if FLUSH_TOGETHER {
                Flush::Together(self.current_round()?)
            } else {
                Flush::EachFile
            })
        };
        let staging = stage(&self.root, name, files, &flush, step)?;
        if staging.root_lock.is_none() {
            return Ok(StagedPackage(Pending::Staged(staging)));
        }
        // The root is locked until this package is swapped in: swap it now, or the next
        // package of the batch would wait for that lock for ever.
        let mut done = self.swap_all(vec![staging], &mut |_| ControlFlow::Continue(()))?;
        done.pop()
            .unwrap_or_else(|| Err(stopped(&self.root)))
            .map(|path| StagedPackage(Pending::InPlace(path)))
    }

    /// The round new packages are staged in, its handle opened now if it is the first.
    fn current_round(&self) -> Result<std::sync::Arc<Round>> {
        let mut round = self.round.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(r) = &*round {
            return Ok(std::sync::Arc::clone(r));
        }
        let dir = fs::File::open(&self.root).map_err(|source| Error::Write {
            path: self.root.clone(),
            source,
        })?;
        let fresh = std::sync::Arc::new(Round {
            dir,
            failed: std::sync::Mutex::new(None),
        });
        *round = Some(std::sync::Arc::clone(&fresh));
        Ok(fresh)
    }

    /// Put every staged package in place (see [`PackageWriter`]), each one's outcome in the
    /// order given. A package that fails keeps its old package; its staging folder is removed.
    pub fn commit(&self, staged: Vec<StagedPackage>) -> Vec<Result<PathBuf>> {
        let count = staged.len();
        match self.commit_steps(staged, &mut |_| ControlFlow::Continue(())) {
            Ok(outcomes) => outcomes,
            // Only a step stops a commit, and these never do.
            Err(_) => (0..count).map(|_| Err(stopped(&self.root))).collect(),
        }
    }

    /// As [`commit`](Self::commit); `Err` only when stopped by `step`.
    pub(crate) fn commit_steps(
        &self,
        staged: Vec<StagedPackage>,
        step: &mut dyn FnMut(Step) -> ControlFlow<()>,
    ) -> Result<Vec<Result<PathBuf>>> {
        // Packages staged from now on belong to the next round, flushed by the next commit.
        *self.round.lock().unwrap_or_else(|e| e.into_inner()) = None;
        // One flush through each round's handle among the packages (most often one round).
        let mut rounds: Vec<(std::sync::Arc<Round>, FlushOutcome)> = Vec::new();
        let mut outcomes: Vec<Option<Result<PathBuf>>> = Vec::with_capacity(staged.len());
        let mut flushed = Vec::with_capacity(staged.len());
        for (i, StagedPackage(pending)) in staged.into_iter().enumerate() {
            let staging = match pending {
                Pending::InPlace(path) => {
                    outcomes.push(Some(Ok(path)));
                    continue;
                }
                Pending::Staged(staging) => staging,
            };
            let result = match &staging.flush {
                Flush::EachFile => Ok(()),
                Flush::Together(round) => {
                    match rounds
                        .iter()
                        .find(|(r, _)| std::sync::Arc::ptr_eq(r, round))
                    {
                        Some((_, outcome)) => outcome.clone(),
                        None => {
                            let outcome = round.flush();
                            rounds.push((std::sync::Arc::clone(round), outcome.clone()));
                            outcome
                        }
                    }
                }
            };
            match result {
                Ok(()) => {
                    outcomes.push(None);
                    flushed.push((i, staging));
                }
                Err((kind, message)) => {
                    outcomes.push(Some(Err(write_error(&staging.target, kind, &message))));
                    staging.discard();
                }
            }
        }
        if step(Step::Flushed).is_break() {
            return Err(stopped(&self.root));
        }
        let (at, staging): (Vec<usize>, Vec<Staging>) = flushed.into_iter().unzip();
        for (i, outcome) in at.into_iter().zip(self.swap_all(staging, step)?) {
            outcomes[i] = Some(outcome);
        }
        Ok(outcomes
            .into_iter()
            .map(|o| o.unwrap_or_else(|| Err(stopped(&self.root))))
            .collect())
    }

    /// Exchange each package on disk with its old one under one root lock, then flush the
    /// output folder once; `Err` only when stopped by `step`.
    fn swap_all(
        &self,
        mut staged: Vec<Staging>,
        step: &mut dyn FnMut(Step) -> ControlFlow<()>,
    ) -> Result<Vec<Result<PathBuf>>> {
        if staged.is_empty() {
            return Ok(Vec::new());
        }
        // Where a folder cannot be locked, the package staged holds the root lock already.
        let held = staged.iter_mut().find_map(|s| s.root_lock.take());
        let root_lock = match held.map_or_else(|| lock_root(&self.root), Ok) {
            Ok(lock) => lock,
            Err(e) => {
                return Ok(staged
                    .into_iter()
                    .map(|s| {
                        s.discard();
                        Err(Error::Write {
                            path: self.root.clone(),
                            source: std::io::Error::new(e.kind(), e.to_string()),
                        })
                    })
                    .collect());
            }
        };
        let mut swapped = Vec::with_capacity(staged.len());
        for s in staged {
            let swap = swap_into_place(&s.dir, &s.target);
            swapped.push(match swap {
                Ok(()) => Ok(s),
                Err(source) => {
                    let target = s.target.clone();
                    s.discard();
                    Err(Error::Write {
                        path: target,
                        source,
                    })
                }
            });
            if step(Step::Swapped).is_break() {
                return Err(stopped(&self.root));
            }
        }
        sync_folder(&self.root);
        drop(root_lock);
        Ok(swapped
            .into_iter()
            .map(|s| s.map(Staging::finish))
            .collect())
    }
}

/// Lock a staging folder for as long as its builder lives; `None` where a folder cannot be
/// opened to be locked.
fn lock_staging(dir: &Path) -> std::io::Result<Option<fs::File>> {
    #[cfg(unix)]
    {
        let file = fs::File::open(dir)?;
        file.lock()?;
        Ok(Some(file))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(None)
    }
}

/// Whether a staging folder is locked by a build that is still running.
fn staging_in_use(dir: &Path) -> bool {
    #[cfg(unix)]
    {
        fs::File::open(dir).is_ok_and(|f| matches!(f.try_lock(), Err(fs::TryLockError::WouldBlock)))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        false
    }
}

/// Put the folder `staging` in place at `target`. If `target` exists the two are exchanged
/// atomically, so `staging` then holds the old folder. Where the exchange is not available
/// the old folder is first renamed aside (`.<name>.old-…`), which [`remove_stale_staging`]
/// puts back if the process dies before the second rename.
fn swap_into_place(staging: &Path, target: &Path) -> std::io::Result<()> {
    if fs::symlink_metadata(target).is_err() {
        return fs::rename(staging, target);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, staging, CWD, target, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(()),
            // A file system without the exchange: fall through to the two renames.
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {}
            Err(e) => return Err(e.into()),
        }
    }
    let name = file_name(target);
    let root = folder_of(target);
    let aside = tempfile::Builder::new()
        .prefix(&format!(".{name}.old-"))
        .make_in(root, |p| fs::rename(target, p))?;
    let aside = aside.into_temp_path().keep().map_err(|e| e.error)?;
    if let Err(e) = fs::rename(staging, target) {
        let _ = fs::rename(&aside, target);
        return Err(e);
    }
    // The old package now sits where the staging folder was expected by the caller.
    fs::rename(&aside, staging)
}

/// Remove what an interrupted build of `name` left in `root`: its hidden staging folders.
/// A package moved aside and never replaced is put back first. Called with the root lock
/// held, so no other build is swapping; a staging folder another build is still writing is
/// locked by it and left alone.
fn remove_stale_staging(root: &Path, name: &str, target: &Path) -> Result<()> {
    let entries = fs::read_dir(root).map_err(|source| Error::Read {
        path: root.to_path_buf(),
        source,
    })?;
    let mut stale: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| {
            let n = e.file_name();
            let n = n.to_string_lossy();
            n.starts_with(&format!(".{name}.new-")) || n.starts_with(&format!(".{name}.old-"))
        })
        .map(|e| e.path())
        .collect();
    stale.sort();
    if fs::symlink_metadata(target).is_err()
        && let Some(aside) = stale.iter().position(|p| {
            file_name(p).starts_with(&format!(".{name}.old-"))
                && fs::symlink_metadata(p).is_ok_and(|m| m.is_dir())
        })
    {
        let aside = stale.remove(aside);
        fs::rename(&aside, target).map_err(|source| Error::Write {
            path: target.to_path_buf(),
            source,
        })?;
    }
    for path in stale {
        let removed = match fs::symlink_metadata(&path) {
            Ok(m) if m.is_dir() && staging_in_use(&path) => Ok(()),
            Ok(m) if m.is_dir() => fs::remove_dir_all(&path),
            Ok(_) => fs::remove_file(&path),
            Err(_) => Ok(()),
        };
        removed.map_err(|source| Error::Write { path, source })?;
    }
    Ok(())
}

/// Hold an advisory lock on the output folder `root` while a package is written into it:
/// a second build of the same folder waits for the first to finish.
fn lock_folder(root: &Path) -> Result<fs::File> {
    lock_root(root).map_err(|source| Error::Write {
        path: root.to_path_buf(),
        source,
    })
}

fn lock_root(root: &Path) -> std::io::Result<fs::File> {
    #[cfg(unix)]
    let file = fs::File::open(root)?;
    #[cfg(not(unix))]
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(root.join(".chotatsu.lock"))?;
    file.lock()?;
    Ok(file)
}

/// The largest text input chotatsu reads: far above any real profile, library file or
/// contract, small enough that a wrong file (a disk image, a video) is refused at once.
pub const MAX_INPUT_BYTES: u64 = 8 * 1024 * 1024;

/// Why [`read_bounded`] could not read a file.
#[derive(Debug)]
pub enum ReadFailure {
    Io(std::io::Error),
    /// The path is a folder.
    Folder,
    /// The path is a FIFO, a device or a socket: reading it might never end.
    NotRegular(&'static str),
    /// The file holds more than the limit; `size` is what it holds, or at least.
    TooLarge {
        size: u64,
    },
}

/// Read the whole regular file at `path`, but never more than `limit` bytes: the size is
/// not taken from the metadata on trust but enforced on the reading itself. FIFOs, devices
/// and sockets are refused without reading (a FIFO is opened without waiting for a writer),
/// whether named directly or through a link.
pub fn read_bounded(path: &Path, limit: u64) -> std::result::Result<Vec<u8>, ReadFailure> {
    use std::io::Read;
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Opening a FIFO for reading would block until someone writes to it.
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let file = options.open(path).map_err(ReadFailure::Io)?;
    let meta = file.metadata().map_err(ReadFailure::Io)?;
    let kind = meta.file_type();
    if kind.is_dir() {
        return Err(ReadFailure::Folder);
    }
    if !kind.is_file() {
        return Err(ReadFailure::NotRegular(special_kind(&kind)));
    }
    if meta.len() > limit {
        return Err(ReadFailure::TooLarge { size: meta.len() });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadFailure::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadFailure::TooLarge {
            size: bytes.len() as u64,
        });
    }
    Ok(bytes)
}

fn special_kind(kind: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    let _ = kind;
    "not a regular file"
}

/// Read a UTF-8 text file given on the command line or found in a library folder: a folder,
/// a FIFO or device, an oversized file, a binary file or invalid UTF-8 is an error naming the
/// file.
pub fn read_text(path: &Path) -> Result<String> {
    decode_text(path, read_input(path)?)
}

/// Read an input file's bytes under the size cap, refusing folders, FIFOs and devices.
pub fn read_input(path: &Path) -> Result<Vec<u8>> {
    let bad = |msg: String| Error::Read {
        path: path.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, msg),
    };
    read_bounded(path, MAX_INPUT_BYTES).map_err(|failure| match failure {
        ReadFailure::Io(source) => Error::Read {
            path: path.to_path_buf(),
            source,
        },
        ReadFailure::Folder => bad("it is a folder, not a file".into()),
        ReadFailure::NotRegular(kind) => bad(format!("it is {kind}, not a file")),
        ReadFailure::TooLarge { size } => bad(format!(
            "the file is too large ({size} bytes; the limit is {MAX_INPUT_BYTES})"
        )),
    })
}

/// An input file's bytes as UTF-8 text: a binary file or invalid UTF-8 is an error naming it.
pub fn decode_text(path: &Path, bytes: Vec<u8>) -> Result<String> {
    let bad = |msg: String| Error::Read {
        path: path.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, msg),
    };
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(bad(format!(
            "a binary file, not text (NUL byte at offset {at})"
        )));
    }
    String::from_utf8(bytes).map_err(|e| {
        bad(format!(
            "not valid UTF-8 (byte {}); save the file as UTF-8",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// What a command prints on standard output, written in one go when the command is done.
/// A reader that stops early (`chotatsu list | head`) is not an error. Control, bidi and
/// zero-width characters (from a file name, a vendor's answer, an overlay) are shown as
/// `⟨U+202E⟩`, never sent raw to the terminal.
#[derive(Debug, Default)]
pub struct Stdout(String);

impl Stdout {
    pub fn line(&mut self, text: impl std::fmt::Display) {
        self.0.push_str(&text.to_string());
        self.0.push('\n');
    }

    pub fn text(&mut self, text: impl std::fmt::Display) {
        self.0.push_str(&text.to_string());
    }

    pub fn flush(self) -> Result<()> {
        write_stdout(crate::text_safety::visible(&self.0).as_bytes())
    }
}

/// Write to standard output; a closed pipe ends the output quietly.
pub fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Write {
            path: PathBuf::from("<stdout>"),
            source: e,
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn package(files: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
        files
            .iter()
            .map(|(n, b)| (n.to_string(), b.as_bytes().to_vec()))
            .collect()
    }

    /// The files of a folder, name and content, sorted.
    fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut found: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| {
                (
                    e.file_name().to_string_lossy().into_owned(),
                    fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        found.sort();
        found
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Stop the swap at any step, as a kill would (no clean-up runs): the package path
        /// holds the old package or the new one, whole; the next build leaves only the new
        /// package and no staging folder.
        #[test]
        fn a_kill_at_any_step_leaves_the_old_or_the_new_package(
            kill_at in 0usize..8,
            had_old in any::<bool>(),
        ) {
            let root = tempfile::tempdir().unwrap();
            let old = package(&[("a.md", "old a"), ("b.md", "old b")]);
            let new = package(&[("a.md", "new a"), ("c.md", "new c"), ("d.md", "new d")]);
            if had_old {
                write_package(root.path(), "P-1", &old).unwrap();
            }
            let mut seen = 0;
            let result = write_package_steps(root.path(), "P-1", &new, &mut |_| {
                seen += 1;
                if seen > kill_at { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
            });
            let target = root.path().join("P-1");
            if result.is_ok() {
                prop_assert_eq!(contents(&target), new.clone());
            } else if target.exists() {
                let now = contents(&target);
                prop_assert!(now == old || now == new, "a mixed package: {:?}", now);
            } else {
                prop_assert!(!had_old, "the old package is gone");
            }
            write_package(root.path(), "P-1", &new).unwrap();
            prop_assert_eq!(entries(root.path()), vec!["P-1".to_string()]);
            prop_assert_eq!(contents(&target), new);
        }
    }

    type Files = Vec<(String, Vec<u8>)>;

    /// The new package named `name` (three files), and an old one (two files).
    fn new_and_old(name: &str) -> (Files, Files) {
        let new = [("a.md", "new a"), ("c.md", "new c"), ("d.md", "new d")]
            .map(|(f, t)| (f.to_string(), format!("{t} {name}").into_bytes()));
        let old = [("a.md", "old a"), ("b.md", "old b")]
            .map(|(f, t)| (f.to_string(), format!("{t} {name}").into_bytes()));
        (new.to_vec(), old.to_vec())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Stop a batch's writer at any step, staging three packages or committing them (the
        /// flush, each swap), as a kill would: every package path holds its old package or
        /// its new one, whole; the next batch leaves only the new packages.
        #[test]
        fn a_batch_killed_at_any_step_leaves_each_package_old_or_new(
            kill_at in 0usize..24,
            had_old in proptest::collection::vec(any::<bool>(), 3),
        ) {
            let root = tempfile::tempdir().unwrap();
            let names = ["P-1", "P-2", "P-3"];
            for (name, had) in names.iter().zip(&had_old) {
                if *had {
                    write_package(root.path(), name, &new_and_old(name).1).unwrap();
                }
            }
            let mut seen = 0;
            let mut step = |_: Step| {
                seen += 1;
                if seen > kill_at { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
            };
            let writer = PackageWriter::new(root.path());
            let result = (|| {
                let mut staged = Vec::new();
                for name in names {
                    staged.push(writer.stage_steps(name, &new_and_old(name).0, &mut step)?);
                }
                writer.commit_steps(staged, &mut step)
            })();
            drop(writer);
            for (name, had) in names.iter().zip(&had_old) {
                let (new, old) = new_and_old(name);
                let target = root.path().join(name);
                if result.as_ref().is_ok_and(|all| all.iter().all(|r| r.is_ok())) {
                    prop_assert_eq!(contents(&target), new);
                } else if target.exists() {
                    let now = contents(&target);
                    prop_assert!(now == old || now == new, "a mixed package: {:?}", now);
                } else {
                    prop_assert!(!had, "the old package of {} is gone", name);
                }
            }
            let writer = PackageWriter::new(root.path());
            let staged: Vec<_> = names
                .iter()
                .map(|name| writer.stage(name, &new_and_old(name).0).unwrap())
                .collect();
            for outcome in writer.commit(staged) {
                outcome.unwrap();
            }
            prop_assert_eq!(entries(root.path()), names.map(String::from).to_vec());
            for name in names {
                prop_assert_eq!(contents(&root.path().join(name)), new_and_old(name).0);
            }
        }
    }

    /// A package staged by a batch and waiting for its commit is locked: a build of the same
    /// package meanwhile leaves it alone, and the commit puts the batch's package in place.
    #[test]
    fn a_package_waiting_for_its_commit_survives_another_build() {
        let root = tempfile::tempdir().unwrap();
        let (new, old) = new_and_old("P-1");
        let writer = PackageWriter::new(root.path());
        let staged = writer.stage("P-1", &new).unwrap();
        write_package(root.path(), "P-1", &old).unwrap();
        assert_eq!(contents(&root.path().join("P-1")), old);
        let outcome = writer.commit(vec![staged]);
        assert_eq!(outcome.len(), 1);
        assert_eq!(outcome[0].as_ref().unwrap(), &root.path().join("P-1"));
        assert_eq!(entries(root.path()), ["P-1"]);
        assert_eq!(contents(&root.path().join("P-1")), new);
    }

    #[test]
    fn a_package_moved_aside_by_a_killed_build_is_put_back() {
        let root = tempfile::tempdir().unwrap();
        let old = package(&[("a.md", "old a")]);
        write_package(root.path(), "P-1", &old).unwrap();
        // What the two-rename fallback leaves if killed between its renames.
        fs::rename(root.path().join("P-1"), root.path().join(".P-1.old-x1")).unwrap();
        fs::create_dir(root.path().join(".P-1.new-x2")).unwrap();
        let mut stopped = |s: Step| {
            if s == Step::StagingCreated {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        };
        assert!(write_package_steps(root.path(), "P-1", &old, &mut stopped).is_err());
        assert_eq!(contents(&root.path().join("P-1")), old);
    }

    #[cfg(unix)]
    #[test]
    fn a_planted_temporary_path_is_never_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, "keep me").unwrap();
        let out = dir.path().join("out");
        fs::create_dir(&out).unwrap();
        // Every name the temporary file could have had before: `.<name>.tmp-<pid>`.
        std::os::unix::fs::symlink(
            &victim,
            out.join(format!(".annex.ja.md.tmp-{}", std::process::id())),
        )
        .unwrap();
        write_all(&[OutputFile::new(out.join("annex.ja.md"), "new text")]).unwrap();
        assert_eq!(fs::read_to_string(&victim).unwrap(), "keep me");
        let written = fs::symlink_metadata(out.join("annex.ja.md")).unwrap();
        assert!(written.is_file());
        assert_eq!(
            fs::read_to_string(out.join("annex.ja.md")).unwrap(),
            "new text"
        );
    }

    /// A new document gets the mode any new file gets (as `File::create` gives it, under the
    /// same umask), not the owner-only mode of the temporary file it was written to; a
    /// replaced document keeps the mode its owner gave it.
    #[cfg(unix)]
    #[test]
    fn written_files_get_the_mode_of_a_new_file_or_keep_the_one_they_had() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("plain");
        fs::File::create(&plain).unwrap();
        let (new, kept) = (dir.path().join("new.md"), dir.path().join("kept.md"));
        fs::write(&kept, "old").unwrap();
        fs::set_permissions(&kept, fs::Permissions::from_mode(0o640)).unwrap();
        write_all(&[
            OutputFile::new(new.clone(), "new"),
            OutputFile::new(kept.clone(), "new"),
        ])
        .unwrap();
        assert_eq!(mode(&new), mode(&plain));
        assert_ne!(mode(&new), 0o600, "the temporary file's mode leaked");
        assert_eq!(mode(&kept), 0o640);
    }

    #[test]
    fn a_folder_in_the_way_of_one_output_writes_none() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.md"), dir.path().join("b.docx"));
        fs::write(&a, "old a").unwrap();
        fs::create_dir(&b).unwrap();
        let err = write_all(&[
            OutputFile::new(a.clone(), "new a"),
            OutputFile::new(b.clone(), "new b"),
        ])
        .unwrap_err();
        assert!(
            err.to_string()
                .contains("a folder of that name is in the way"),
            "{err}"
        );
        assert_eq!(fs::read_to_string(&a).unwrap(), "old a");
        assert_eq!(entries(dir.path()), vec!["a.md", "b.docx"]);
    }

    #[cfg(unix)]
    #[test]
    fn special_files_are_refused_without_waiting() {
        let err = read_text(Path::new("/dev/zero")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot read /dev/zero: it is a device, not a file"
        );
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let err = read_text(&fifo).unwrap_err();
        assert!(
            err.to_string()
                .ends_with("it is a FIFO (named pipe), not a file"),
            "{err}"
        );
    }
}
