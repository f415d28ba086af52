//! What arrives at the desk without the import dialog: the watched inbox folder and files
//! dropped on the window. Like `desk`, this module knows nothing about Tauri: the watcher thread
//! (`watcher`) and the drag-and-drop handler (in `lib.rs`) call it, and it is unit-tested here.
//!
//! **Who imports.** The folder is a workspace setting (admins set it); while the app runs, the
//! signed-in user sweeps it, and files are imported in their name — so only while a drafter is
//! signed in. With anybody else (or nobody) signed in, files wait in the folder, and the inbox
//! says why. The rules of a sweep (a file is imported once complete, then moved to
//! `processed/` or `failed/`, never twice) are the core's `InboxSweeper`.
//!
//! **What arrived** is the recent history of this run (files from the folder and dropped files,
//! newest first); the folder's `processed/` and `failed/` keep the lasting record.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;
use ts_rs::TS;
use vetted_core::{Arrival, ArrivalOutcome, ErrorKind, InboxSweeper, Result};

use crate::desk::Desk;
use crate::progress::Progress;

/// How long a file in the folder must stay unchanged before it is imported.
pub const SETTLE: Duration = Duration::from_secs(1);
/// How many arrivals "what arrived" keeps.
const RECENT: usize = 50;

/// One file that arrived, and what became of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ArrivalView {
    /// The file name.
    pub file_name: String,
    /// `"folder"` (the inbox folder) or `"drop"` (dropped on the window).
    pub source: String,
    /// `"imported"`, `"already_imported"` or `"failed"`.
    pub outcome: String,
    /// The document (`D3`), when imported or recognized.
    pub document: Option<String>,
    /// Its revision, when imported or recognized.
    pub revision: Option<u32>,
    /// How many findings the scan recorded, when imported.
    pub findings: Option<u32>,
    /// Why it failed, as the core's stable error code (`malformed`...), for the UI to translate.
    pub code: Option<String>,
    /// Why it failed, for people.
    pub reason: Option<String>,
    /// When, in milliseconds since 1970 (the UI formats it in the reader's time zone).
    #[ts(type = "number")]
    pub at_ms: u64,
}

/// The inbox folder as the settings screen and the inbox show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InboxFolderView {
    /// The folder, when an admin set one.
    pub folder: Option<String>,
    /// Why files in the folder are not imported right now, as a stable code: `"no_folder"`,
    /// `"not_a_drafter"` (the signed-in user may not import) or `"error"` (the last sweep
    /// failed); `None` while files are being imported.
    pub paused: Option<String>,
    /// The last problem, for people (with `paused = "error"`).
    pub error: Option<String>,
    /// When the folder was last swept, in milliseconds since 1970.
    #[ts(type = "number | null")]
    pub last_sweep_ms: Option<u64>,
    /// Files seen in the folder that are not complete yet.
    pub waiting: u32,
}

/// The inbox folder's sweeper and what arrived, shared by the watcher thread and the commands.
#[derive(Default)]
pub struct Intake {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    sweeper: Option<InboxSweeper>,
    recent: VecDeque<ArrivalView>,
    last_sweep_ms: Option<u64>,
    last_error: Option<String>,
    waiting: u32,
}

impl Intake {
    /// Sweeps the inbox folder as the signed-in user and returns what arrived (often nothing).
    /// Never fails: why nothing can be imported is kept for [`Intake::status`].
    ///
    /// Reports each file it handles to `progress` as the task `intake`.
    ///
    /// Lock order: the desk, then this; every method takes them in that order.
    pub fn sweep(&self, desk: &Desk, progress: &mut dyn FnMut(Progress)) -> Vec<ArrivalView> {
        let result = desk.with_session(|workspace, session| {
            let Some(folder) = workspace.inbox_folder()? else {
                let mut state = self.lock();
                state.sweeper = None;
                return Ok(Vec::new());
            };
            let mut state = self.lock();
            if state.sweeper.as_ref().is_none_or(|s| s.dir() != folder) {
                state.sweeper = Some(InboxSweeper::new(&folder, SETTLE));
            }
            let mut report = |done: usize, total: usize, name: &str| {
                progress(Progress::new("intake", done as u32, total as u32, name));
            };
            let sweep = state.sweeper.as_mut().map(|s| s.sweep_reporting(workspace, session, &mut report));
            state.last_sweep_ms = Some(now_ms());
            match sweep {
                Some(Ok(report)) => {
                    state.waiting = report.waiting as u32;
                    state.last_error = report.stopped.map(|e| e.message().to_string());
                    let arrivals: Vec<ArrivalView> =
                        report.arrivals.iter().map(|a| arrival_view(a, "folder")).collect();
                    state.remember(&arrivals);
                    Ok(arrivals)
                }
                // Not a drafter: `status` says so; the files wait for one.
                Some(Err(error)) if error.kind() == ErrorKind::Forbidden => Ok(Vec::new()),
                Some(Err(error)) => Err(error),
                None => Ok(Vec::new()),
            }
        });
        match result {
            Ok(arrivals) => arrivals,
            // Nobody signed in: nothing to do until somebody is.
            Err(error) if error.kind() == ErrorKind::Authentication => Vec::new(),
            Err(error) => {
                self.lock().last_error = Some(error.message().to_string());
                Vec::new()
            }
        }
    }

    /// The folder being swept, for the watcher to listen to.
    pub fn folder(&self) -> Option<PathBuf> {
        self.lock().sweeper.as_ref().map(|s| s.dir().to_path_buf())
    }

    /// Files seen in the folder that are not complete yet.
    pub fn waiting(&self) -> u32 {
        self.lock().waiting
    }

    /// The inbox folder setting and how its sweeping goes for the signed-in user.
    pub fn status(&self, desk: &Desk) -> Result<InboxFolderView> {
        let (folder, may_import) = desk.with_session(|workspace, session| {
            Ok((workspace.inbox_folder()?, workspace.may_import(session)?))
        })?;
        let state = self.lock();
        let (paused, error) = match (&folder, may_import, &state.last_error) {
            (None, _, _) => (Some("no_folder".to_string()), None),
            (Some(_), false, _) => (Some("not_a_drafter".to_string()), None),
            (Some(_), true, Some(message)) => (Some("error".to_string()), Some(message.clone())),
            (Some(_), true, None) => (None, None),
        };
        Ok(InboxFolderView {
            folder: folder.map(|f| f.display().to_string()),
            paused,
            error,
            last_sweep_ms: state.last_sweep_ms,
            waiting: state.waiting,
        })
    }

    /// Sets or clears the inbox folder (admins; the core refuses others and audits the change).
    pub fn set_folder(&self, desk: &Desk, folder: Option<&Path>) -> Result<InboxFolderView> {
        desk.with_session(|workspace, session| workspace.set_inbox_folder(session, folder))?;
        {
            let mut state = self.lock();
            state.sweeper = None;
            state.last_error = None;
            state.waiting = 0;
        }
        self.status(desk)
    }

    /// What arrived in this run, newest first.
    pub fn arrivals(&self) -> Vec<ArrivalView> {
        self.lock().recent.iter().cloned().collect()
    }

    /// Imports files dropped on the window, one at a time as the signed-in user, reporting
    /// progress after each. A file that cannot be imported is a `failed` arrival naming why (it
    /// stays where it was: dropped files are the user's, never moved). Folders are refused:
    /// a dropped folder is more likely a slip than a wish to import a whole tree.
    pub fn import_dropped(
        &self,
        desk: &Desk,
        paths: &[PathBuf],
        progress: &mut dyn FnMut(Progress),
    ) -> Vec<ArrivalView> {
        let total = paths.len() as u32;
        let mut arrivals = Vec::new();
        for (done, path) in paths.iter().enumerate() {
            let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            progress(Progress::new("import", done as u32, total, &file_name));
            let arrival = if path.is_dir() {
                failed(
                    &file_name,
                    "drop",
                    ErrorKind::InvalidInput,
                    "a folder cannot be dropped: drop the files in it".into(),
                )
            } else {
                match desk.import(path) {
                    Ok(imported) => ArrivalView {
                        file_name: file_name.clone(),
                        source: "drop".into(),
                        outcome: "imported".into(),
                        document: Some(imported.document),
                        revision: Some(imported.revision),
                        findings: Some(imported.findings),
                        code: None,
                        reason: None,
                        at_ms: now_ms(),
                    },
                    Err(error) => failed(&file_name, "drop", error.kind(), error.message().to_string()),
                }
            };
            self.lock().remember(std::slice::from_ref(&arrival));
            arrivals.push(arrival);
        }
        progress(Progress::new("import", total, total, ""));
        arrivals
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl State {
    fn remember(&mut self, arrivals: &[ArrivalView]) {
        for arrival in arrivals {
            self.recent.push_front(arrival.clone());
        }
        self.recent.truncate(RECENT);
    }
}

fn arrival_view(arrival: &Arrival, source: &str) -> ArrivalView {
    let mut view = ArrivalView {
        file_name: arrival.file_name.clone(),
        source: source.into(),
        outcome: "failed".into(),
        document: None,
        revision: None,
        findings: None,
        code: None,
        reason: None,
        at_ms: now_ms(),
    };
    match &arrival.outcome {
        ArrivalOutcome::Imported(outcome) => {
            view.outcome = "imported".into();
            view.document = Some(outcome.document.to_string());
            view.revision = Some(outcome.revision);
            view.findings = Some(outcome.findings as u32);
        }
        ArrivalOutcome::AlreadyImported { document, revision } => {
            view.outcome = "already_imported".into();
            view.document = Some(document.to_string());
            view.revision = Some(*revision);
        }
        ArrivalOutcome::Failed { code, reason } => {
            view.code = Some(code.clone());
            view.reason = Some(reason.clone());
        }
    }
    view
}

fn failed(file_name: &str, source: &str, kind: ErrorKind, reason: String) -> ArrivalView {
    ArrivalView {
        file_name: file_name.to_string(),
        source: source.into(),
        outcome: "failed".into(),
        document: None,
        revision: None,
        findings: None,
        code: Some(kind.code().to_string()),
        reason: Some(reason),
        at_ms: now_ms(),
    }
}

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ADMIN_PASS: &str = "correct horse battery";
    const DRAFTER_PASS: &str = "drafter passphrase";

    /// A desk with an admin and a drafter `li`, the admin signed in, and an inbox folder.
    fn desk() -> (tempfile::TempDir, Desk, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let desk = Desk::new(Some(dir.path().join("workspace")));
        desk.create("admin", ADMIN_PASS).unwrap();
        desk.add_user("li", &["drafter".into()], DRAFTER_PASS).unwrap();
        let folder = dir.path().join("inbox");
        std::fs::create_dir(&folder).unwrap();
        (dir, desk, folder)
    }

    fn outcomes(arrivals: &[ArrivalView]) -> Vec<(String, String, Option<String>)> {
        arrivals.iter().map(|a| (a.file_name.clone(), a.outcome.clone(), a.document.clone())).collect()
    }

    fn paused(intake: &Intake, desk: &Desk) -> Option<String> {
        intake.status(desk).unwrap().paused
    }

    #[test]
    fn the_folder_imports_only_while_a_drafter_is_signed_in_and_says_why_otherwise() {
        let (_dir, desk, folder) = desk();
        let intake = Intake::default();
        assert_eq!(intake.sweep(&desk, &mut |_| {}), vec![]);
        assert_eq!(paused(&intake, &desk).as_deref(), Some("no_folder"));

        let view = intake.set_folder(&desk, Some(&folder)).unwrap();
        assert_eq!(view.folder, Some(folder.display().to_string()));
        std::fs::write(folder.join("notice.txt"), "联系人电话13800138000。\n").unwrap();
        assert_eq!(intake.sweep(&desk, &mut |_| {}), vec![]);
        assert_eq!(paused(&intake, &desk).as_deref(), Some("not_a_drafter"), "an admin does not import");

        desk.sign_out();
        assert_eq!(intake.sweep(&desk, &mut |_| {}), vec![]);
        assert_eq!(intake.status(&desk).unwrap_err().kind(), ErrorKind::Authentication);

        desk.sign_in("li", DRAFTER_PASS).unwrap();
        assert_eq!(intake.sweep(&desk, &mut |_| {}), vec![], "the first sweep only sees the file");
        assert_eq!(intake.waiting(), 1);
        std::thread::sleep(SETTLE);
        let arrived = intake.sweep(&desk, &mut |_| {});
        assert_eq!(outcomes(&arrived), [("notice.txt".into(), "imported".into(), Some("D1".into()))]);
        assert_eq!(arrived[0].findings, Some(1));
        assert_eq!(paused(&intake, &desk), None);
        assert_eq!(intake.arrivals(), arrived);
        assert!(folder.join("processed/notice.txt").is_file());
    }

    #[test]
    fn only_an_admin_sets_the_folder() {
        let (_dir, desk, folder) = desk();
        desk.sign_in("li", DRAFTER_PASS).unwrap();
        let error = Intake::default().set_folder(&desk, Some(&folder)).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Forbidden);
    }

    // The drag-and-drop handler: WebDriver cannot drop files on a WebKitGTK window, so the
    // handler is tested here on the paths the window's drop event carries.
    #[test]
    fn dropped_files_are_imported_in_order_with_progress_and_failures_named() {
        let (dir, desk, _folder) = desk();
        desk.sign_in("li", DRAFTER_PASS).unwrap();
        let good = dir.path().join("notice.txt");
        std::fs::write(&good, "公开通知\n").unwrap();
        let bad = dir.path().join("broken.pdf");
        std::fs::write(&bad, "%PDF-1.7\nnot a PDF body\n").unwrap();
        let folder = dir.path().join("a folder");
        std::fs::create_dir(&folder).unwrap();

        let intake = Intake::default();
        let mut steps = Vec::new();
        let arrivals = intake.import_dropped(&desk, &[good.clone(), bad.clone(), folder], &mut |p| {
            steps.push((p.done, p.total, p.label))
        });
        assert_eq!(
            outcomes(&arrivals),
            [
                ("notice.txt".into(), "imported".into(), Some("D1".into())),
                ("broken.pdf".into(), "failed".into(), None),
                ("a folder".into(), "failed".into(), None),
            ]
        );
        assert!(
            arrivals[1].reason.as_deref().is_some_and(|r| r.starts_with("broken.pdf: ")),
            "{:?}",
            arrivals[1]
        );
        let expected_steps = [(0, 3, "notice.txt"), (1, 3, "broken.pdf"), (2, 3, "a folder"), (3, 3, "")];
        assert_eq!(steps, expected_steps.map(|(d, t, l)| (d, t, l.to_string())));
        assert!(good.is_file() && bad.is_file(), "dropped files are never moved");
        let newest_first: Vec<String> = intake.arrivals().into_iter().map(|a| a.file_name).collect();
        assert_eq!(newest_first, ["a folder", "broken.pdf", "notice.txt"]);
    }
}
