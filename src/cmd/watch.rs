//! `vetted watch DIR --as USER [--once]`: imports what is dropped in a folder.
//!
//! The rules (when a file is complete, where it goes, what survives a crash) are the core's
//! `InboxSweeper`; this module only decides when to sweep. File-system events (notify) wake a
//! sweep early, and a periodic sweep catches what events miss (network shares, a full event
//! queue); a folder with files still arriving is looked at again after the settle time.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use notify::{RecursiveMode, Watcher};
use vetted_core::{Arrival, ArrivalOutcome, ErrorKind, InboxSweeper, Session, SweepReport, Workspace};

use super::{WorkspaceDir, sign_in};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder to watch. Files dropped directly in it are imported once complete, then
    /// moved to DIR/processed/, or to DIR/failed/ with NAME.reason.txt beside them.
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// The acting drafter: files are imported in their name.
    #[arg(long = "as", value_name = "USER")]
    acting: String,
    /// Sweep, wait the settle time, sweep again, and exit (for scripts): exits 1 when a file
    /// failed.
    #[arg(long)]
    once: bool,
    /// How long a file's size and time must stay unchanged before it is imported.
    #[arg(long, value_name = "MS", default_value_t = 2000)]
    settle_ms: u64,
    /// How often to sweep when no file-system event arrives.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    poll_seconds: u64,
}

pub fn run(workspace: &WorkspaceDir, args: Args) -> anyhow::Result<ExitCode> {
    if !args.dir.is_dir() {
        bail!("{} is not a folder", args.dir.display());
    }
    let ws = workspace.open()?;
    let session = sign_in(&ws, &args.acting)?;
    let settle = Duration::from_millis(args.settle_ms);
    let mut sweeper = InboxSweeper::new(&args.dir, settle);
    if args.once {
        once(&ws, &session, &mut sweeper, settle)
    } else {
        watch(&ws, &session, &mut sweeper, settle, Duration::from_secs(args.poll_seconds.max(1)))
    }
}

/// Two sweeps, the settle time apart: the first sees the files, the second imports those that
/// did not change meanwhile. Files still growing stay for the next run.
fn once(
    ws: &Workspace,
    session: &Session,
    sweeper: &mut InboxSweeper,
    settle: Duration,
) -> anyhow::Result<ExitCode> {
    let mut failed = false;
    let first = sweeper.sweep(ws, session)?;
    failed |= print(&first)?;
    if first.waiting > 0 {
        eprintln!(
            "vetted: {} file(s) not complete yet; looking again in {} ms",
            first.waiting,
            settle.as_millis()
        );
        std::thread::sleep(settle);
        let second = sweeper.sweep(ws, session)?;
        failed |= print(&second)?;
        if second.waiting > 0 {
            eprintln!("vetted: {} file(s) still being written: left for the next run", second.waiting);
        }
    }
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// Sweeps until Ctrl-C (or SIGTERM). A sweep in progress is finished first: an import is
/// one transaction, and a file is always in exactly one folder.
fn watch(
    ws: &Workspace,
    session: &Session,
    sweeper: &mut InboxSweeper,
    settle: Duration,
    poll: Duration,
) -> anyhow::Result<ExitCode> {
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        // A second Ctrl-C while a long import finishes ends the process at once (exit 1); the
        // file being imported stays in .importing/ and the next run finishes it.
        signal_hook::flag::register_conditional_shutdown(signal, 1, Arc::clone(&stop))
            .context("cannot catch Ctrl-C")?;
        signal_hook::flag::register(signal, Arc::clone(&stop)).context("cannot catch Ctrl-C")?;
    }
    let (events, woken) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |_event| {
        // Which file changed does not matter: a sweep looks at them all.
        let _ = events.send(());
    })
    .context("cannot watch the folder")?;
    watcher
        .watch(sweeper.dir(), RecursiveMode::NonRecursive)
        .with_context(|| format!("cannot watch {}", sweeper.dir().display()))?;
    eprintln!("vetted: watching {} as {} (Ctrl-C to stop)", sweeper.dir().display(), session.name());

    let mut next_sweep = Instant::now();
    while !stop.load(Ordering::Relaxed) {
        if Instant::now() >= next_sweep {
            let report = match sweeper.sweep(ws, session) {
                Ok(report) => report,
                // The user may no longer import (disabled, or a role removed): sweeping again
                // cannot succeed.
                Err(error) if matches!(error.kind(), ErrorKind::Forbidden | ErrorKind::Authentication) => {
                    bail!("{}", error.message())
                }
                Err(error) => {
                    // The folder may be briefly unavailable (an unmounted share): try again later.
                    eprintln!("vetted: {error}");
                    next_sweep = Instant::now() + poll;
                    continue;
                }
            };
            print(&report)?;
            next_sweep = Instant::now() + if report.waiting > 0 { settle } else { poll };
        }
        // Wake at the next sweep, on an event, or every 200 ms to notice Ctrl-C. An event
        // brings the next sweep forward, but never closer than the settle time, so that a
        // file being written (one event per block) is not looked at in a busy loop.
        match woken.recv_timeout(Duration::from_millis(200)) {
            Ok(()) => {
                while woken.try_recv().is_ok() {}
                next_sweep = next_sweep.min(Instant::now() + settle);
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => bail!("the folder watcher stopped"),
        }
    }
    eprintln!("vetted: stopped watching {}", sweeper.dir().display());
    Ok(ExitCode::SUCCESS)
}

/// Prints one line per file; true when a file failed. A sweep stopped by a refusal (the user
/// may no longer import, or was disabled) ends the command: sweeping again cannot succeed.
fn print(report: &SweepReport) -> anyhow::Result<bool> {
    for arrival in &report.arrivals {
        println!("{}", line(arrival));
    }
    if let Some(error) = &report.stopped {
        if matches!(error.kind(), ErrorKind::Forbidden | ErrorKind::Authentication) {
            bail!("{}", error.message());
        }
        eprintln!("vetted: the sweep stopped, and will be retried: {error}");
    }
    Ok(report.arrivals.iter().any(|a| matches!(a.outcome, ArrivalOutcome::Failed { .. })))
}

fn line(arrival: &Arrival) -> String {
    let name = &arrival.file_name;
    match &arrival.outcome {
        ArrivalOutcome::Imported(o) => format!(
            "imported {name} ({}) as {} revision {}: {} finding(s), sha256 {}",
            o.format, o.document, o.revision, o.findings, o.sha256
        ),
        ArrivalOutcome::AlreadyImported { document, revision } => {
            format!("already imported {name} as {document} revision {revision}: moved to processed/")
        }
        ArrivalOutcome::Failed { reason, .. } => {
            format!("failed {name}: {reason} (moved to failed/{})", moved_name(&arrival.moved_to))
        }
    }
}

fn moved_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}
