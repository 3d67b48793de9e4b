//! Writing generated files: all or nothing.
//!
//! Every command renders all its documents in memory first, then hands them to [`write_all`],
//! which writes each to a temporary file beside its target and renames them into place only
//! when every one was written. An error leaves no half-written or partial set of outputs.

use std::fs;
use std::io::Write;
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

/// Write every file, or none: temporaries first, then renames. A target that is a symbolic
/// link (or sits in a linked folder) is refused, so output never lands outside its folder.
pub fn write_all(files: &[OutputFile]) -> Result<()> {
    for file in files {
        refuse_symlinks(&file.path)?;
    }
    let mut staged: Vec<(PathBuf, &Path)> = Vec::with_capacity(files.len());
    let result = (|| {
        for file in files {
            let dir = file.path.parent().unwrap_or(Path::new("."));
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            fs::create_dir_all(dir).map_err(|source| Error::Write {
                path: dir.to_path_buf(),
                source,
            })?;
            let tmp = temp_path(&file.path);
            let mut f = fs::File::create(&tmp).map_err(|source| Error::Write {
                path: file.path.clone(),
                source,
            })?;
            staged.push((tmp.clone(), &file.path));
            f.write_all(&file.bytes)
                .and_then(|()| f.sync_all())
                .map_err(|source| Error::Write {
                    path: file.path.clone(),
                    source,
                })?;
        }
        for (tmp, target) in &staged {
            fs::rename(tmp, target).map_err(|source| Error::Write {
                path: target.to_path_buf(),
                source,
            })?;
        }
        Ok(())
    })();
    if result.is_err() {
        for (tmp, _) in &staged {
            let _ = fs::remove_file(tmp);
        }
    }
    result
}

/// Refuse a target that is a symbolic link, or whose folder is one.
fn refuse_symlinks(target: &Path) -> Result<()> {
    let parent = target.parent().filter(|p| !p.as_os_str().is_empty());
    for path in [Some(target), parent].into_iter().flatten() {
        if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(Error::Write {
                path: path.to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::PermissionDenied,
                    "refusing to write through a symbolic link",
                ),
            });
        }
    }
    Ok(())
}

/// Write the folder `root/name` holding exactly `files` (plain file names), replacing any
/// existing folder of that name whole: the new folder is written beside it first, then
/// swapped in, so a failure leaves the old package as it was.
pub fn write_package(root: &Path, name: &str, files: &[(String, Vec<u8>)]) -> Result<PathBuf> {
    let write_err = |path: &Path, source: std::io::Error| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let target = root.join(name);
    refuse_symlinks(&target)?;
    if target.exists() && !target.is_dir() {
        return Err(write_err(
            &target,
            std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "exists and is not a folder",
            ),
        ));
    }
    fs::create_dir_all(root).map_err(|e| write_err(root, e))?;
    let staging = root.join(format!(".{name}.new-{}", std::process::id()));
    let old = root.join(format!(".{name}.old-{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    let result = (|| {
        fs::create_dir(&staging).map_err(|e| write_err(&staging, e))?;
        for (file, bytes) in files {
            let path = staging.join(file);
            let mut f = fs::File::create(&path).map_err(|e| write_err(&target.join(file), e))?;
            f.write_all(bytes)
                .and_then(|()| f.sync_all())
                .map_err(|e| write_err(&target.join(file), e))?;
        }
        if target.exists() {
            fs::rename(&target, &old).map_err(|e| write_err(&target, e))?;
            if let Err(e) = fs::rename(&staging, &target) {
                let _ = fs::rename(&old, &target);
                return Err(write_err(&target, e));
            }
            let _ = fs::remove_dir_all(&old);
        } else {
            fs::rename(&staging, &target).map_err(|e| write_err(&target, e))?;
        }
        Ok(target.clone())
    })();
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn temp_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// The largest text input chotatsu reads: far above any real profile, library file or
/// contract, small enough that a wrong file (a disk image, a video) is refused at once.
pub const MAX_INPUT_BYTES: u64 = 8 * 1024 * 1024;

/// Read a UTF-8 text file given on the command line or found in a library folder: a folder,
/// an oversized file, a binary file or invalid UTF-8 is an error naming the file.
pub fn read_text(path: &Path) -> Result<String> {
    let bad = |msg: String| Error::Read {
        path: path.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, msg),
    };
    let meta = fs::metadata(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    if meta.is_dir() {
        return Err(bad("it is a folder, not a file".into()));
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(bad(format!(
            "the file is too large ({} bytes; the limit is {MAX_INPUT_BYTES})",
            meta.len()
        )));
    }
    let bytes = fs::read(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
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
/// A reader that stops early (`chotatsu list | head`) is not an error.
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
        write_stdout(self.0.as_bytes())
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
