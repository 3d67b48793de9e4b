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
        if fs::symlink_metadata(&file.path).is_ok_and(|m| m.is_dir()) {
            return Err(write_error(
                &file.path,
                std::io::ErrorKind::IsADirectory,
                "a folder of that name is in the way",
            ));
        }
        let mut tmp = tempfile::Builder::new()
            .prefix(&format!(".{}.", file_name(&file.path)))
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|source| Error::Write {
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

/// How far [`write_package`] has come; the tests stop it at each step as a kill would.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    Locked,
    StagingCreated,
    FileWritten,
    Staged,
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
/// builds (a batch's jobs) do not queue behind each other's disk flushes. A staging folder
/// being written is locked by its builder; the clean-up leaves locked ones alone (the lock
/// dies with the process, so a killed build's folder is unlocked and removed).
pub fn write_package(root: &Path, name: &str, files: &[(String, Vec<u8>)]) -> Result<PathBuf> {
    write_package_steps(root, name, files, &mut |_| ControlFlow::Continue(()))
}

pub(crate) fn write_package_steps(
    root: &Path,
    name: &str,
    files: &[(String, Vec<u8>)],
    step: &mut dyn FnMut(Step) -> ControlFlow<()>,
) -> Result<PathBuf> {
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
    let killed = || {
        Err(write_error(
            root,
            std::io::ErrorKind::Interrupted,
            "stopped",
        ))
    };
    let root_lock = lock_folder(root)?;
    if step(Step::Locked).is_break() {
        return killed();
    }
    remove_stale_staging(root, name, &target)?;
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.new-"))
        .tempdir_in(root)
        .map_err(|e| write_err(&target, e))?
        .keep();
    // Locked before the root is unlocked: no other build ever sees it unlocked while alive.
    let staging_lock = match lock_staging(&staging) {
        Ok(lock) => lock,
        Err(e) => {
            let _ = fs::remove_dir_all(&staging);
            return Err(write_err(&target, e));
        }
    };
    // Where a folder cannot be locked the root stays locked while the files are written.
    let root_lock = if staging_lock.is_some() {
        drop(root_lock);
        None
    } else {
        Some(root_lock)
    };
    if step(Step::StagingCreated).is_break() {
        return killed();
    }
    let result = (|| {
        let mut written = Vec::with_capacity(files.len());
        for (file, bytes) in files {
            let path = staging.join(file);
            let mut f = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .map_err(|e| write_err(&target.join(file), e))?;
            f.write_all(bytes)
                .map_err(|e| write_err(&target.join(file), e))?;
            written.push((f, file));
            if step(Step::FileWritten).is_break() {
                return Ok(false);
            }
        }
        // Every file reaches the disk before the package is swapped in; flushed together
        // after the writes (one journal commit on most file systems) rather than one by one.
        for (f, file) in &written {
            f.sync_all().map_err(|e| write_err(&target.join(file), e))?;
        }
        drop(written);
        sync_folder(&staging);
        if step(Step::Staged).is_break() {
            return Ok(false);
        }
        let _root_lock = match root_lock {
            Some(held) => held,
            None => lock_folder(root)?,
        };
        swap_into_place(&staging, &target).map_err(|e| write_err(&target, e))?;
        sync_folder(root);
        if step(Step::Swapped).is_break() {
            return Ok(false);
        }
        Ok(true)
    })();
    // The staging folder stays locked until removed, so no clean-up removes it meanwhile.
    let outcome = match result {
        Ok(true) => {
            // After the exchange the staging name holds the old package (or nothing).
            let _ = fs::remove_dir_all(&staging);
            Ok(target)
        }
        Ok(false) => killed(),
        Err(e) => {
            let _ = fs::remove_dir_all(&staging);
            Err(e)
        }
    };
    drop(staging_lock);
    outcome
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
    let lock_err = |source| Error::Write {
        path: root.to_path_buf(),
        source,
    };
    #[cfg(unix)]
    let file = fs::File::open(root).map_err(lock_err)?;
    #[cfg(not(unix))]
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(root.join(".chotatsu.lock"))
        .map_err(lock_err)?;
    file.lock().map_err(lock_err)?;
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
