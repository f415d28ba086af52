//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::Output;

/// The `vetted` binary built for this test run.
pub fn vetted() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_vetted"))
}

/// Runs `vetted` with `args` and returns its output.
pub fn run(args: &[&str]) -> Output {
    vetted().args(args).output().expect("the vetted binary runs")
}

/// A file under `tests/data`.
pub fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name)
}

/// Stdout as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Stderr as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
