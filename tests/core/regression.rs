//! Regressions, named after what they fixed.

use std::io::Read;
use std::process::{Command, Stdio};

/// `chotatsu tier … | head -1` used to panic ("failed printing to stdout: Broken pipe").
#[test]
fn closed_stdout_is_not_a_panic() {
    for args in [
        &["list", "--format", "json"][..],
        &["matrix"][..],
        &["check"][..],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_chotatsu"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}
