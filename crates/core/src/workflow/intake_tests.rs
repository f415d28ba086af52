//! The inbox folder's rules, on a real workspace and a real folder in a temporary directory.
//! A crash is simulated by running the steps of a sweep (claim, import, move) separately and
//! then sweeping with a fresh sweeper, as a restarted process would.

use std::path::Path;

use super::*;
use crate::workflow::Role;

const PASS: &str = "correct horse battery";

/// A workspace with an admin and a drafter, and an empty inbox folder.
struct Inbox {
    _root: tempfile::TempDir,
    dir: PathBuf,
    ws: Workspace,
    admin: Session,
    drafter: Session,
}

fn inbox() -> Inbox {
    let root = tempfile::tempdir().unwrap();
    let ws = Workspace::create(&root.path().join("workspace"), "admin", PASS).unwrap();
    let admin = ws.sign_in("admin", PASS).unwrap();
    ws.add_user(&admin, "dora", &[Role::Drafter], PASS).unwrap();
    let drafter = ws.sign_in("dora", PASS).unwrap();
    let dir = root.path().join("inbox");
    std::fs::create_dir(&dir).unwrap();
    Inbox { _root: root, dir, ws, admin, drafter }
}

impl Inbox {
    fn drop_file(&self, name: &str, contents: &str) {
        std::fs::write(self.dir.join(name), contents).unwrap();
    }

    fn sweep(&self, sweeper: &mut InboxSweeper) -> SweepReport {
        sweeper.sweep(&self.ws, &self.drafter).unwrap()
    }

    /// The names of the files in `sub` (a subfolder of the inbox, or "" for the inbox itself).
    fn files(&self, sub: &str) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.dir.join(sub))
            .unwrap()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().unwrap().is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn read(&self, sub: &str, name: &str) -> String {
        std::fs::read_to_string(self.dir.join(sub).join(name)).unwrap()
    }

    /// `(document, revision, file name)` of every revision in the workspace.
    fn revisions(&self) -> Vec<(String, u32, String)> {
        let mut all = Vec::new();
        for latest in self.ws.documents().unwrap() {
            for r in self.ws.revisions(latest.document).unwrap() {
                all.push((r.document.to_string(), r.number, r.file_name));
            }
        }
        all.sort();
        all
    }
}

/// A short summary of an arrival: `imported D1 r1`, `already D1 r1`, `failed`.
fn summary(arrival: &Arrival) -> String {
    match &arrival.outcome {
        ArrivalOutcome::Imported(o) => {
            format!("{}: imported {} r{}", arrival.file_name, o.document, o.revision)
        }
        ArrivalOutcome::AlreadyImported { document, revision } => {
            format!("{}: already {document} r{revision}", arrival.file_name)
        }
        ArrivalOutcome::Failed { .. } => format!("{}: failed", arrival.file_name),
    }
}

fn summaries(report: &SweepReport) -> Vec<String> {
    assert!(report.stopped.is_none(), "the sweep stopped: {:?}", report.stopped);
    report.arrivals.iter().map(summary).collect()
}

#[test]
fn a_new_file_waits_one_sweep_then_is_imported_and_moved_to_processed() {
    let inbox = inbox();
    let mut sweeper = InboxSweeper::new(&inbox.dir, Duration::ZERO);
    inbox.drop_file("notice.txt", "公开通知\n");

    let first = inbox.sweep(&mut sweeper);
    assert_eq!((summaries(&first), first.waiting), (vec![], 1));
    assert_eq!(inbox.files(""), ["notice.txt"]);

    let second = inbox.sweep(&mut sweeper);
    assert_eq!((summaries(&second), second.waiting), (vec!["notice.txt: imported D1 r1".to_string()], 0));
    assert_eq!(inbox.files(""), Vec::<String>::new());
    assert_eq!(inbox.files(PROCESSED), ["notice.txt"]);
    assert_eq!(second.arrivals[0].moved_to, inbox.dir.join(PROCESSED).join("notice.txt"));
    assert_eq!(inbox.revisions(), [("D1".to_string(), 1, "notice.txt".to_string())]);
}

#[test]
fn a_file_still_being_written_waits_until_it_stops_growing() {
    let inbox = inbox();
    let mut sweeper = InboxSweeper::new(&inbox.dir, Duration::ZERO);
    let whole = "第一部分。\n第二部分。\n";
    let (first_half, second_half) = whole.split_at(whole.find('\n').unwrap() + 1);
    inbox.drop_file("slow.txt", first_half);
    assert_eq!(inbox.sweep(&mut sweeper).waiting, 1);

    std::fs::OpenOptions::new()
        .append(true)
        .open(inbox.dir.join("slow.txt"))
        .and_then(|mut f| std::io::Write::write_all(&mut f, second_half.as_bytes()))
        .unwrap();
    let grew = inbox.sweep(&mut sweeper);
    assert_eq!((summaries(&grew), grew.waiting), (vec![], 1));

    let stable = inbox.sweep(&mut sweeper);
    assert_eq!(summaries(&stable), ["slow.txt: imported D1 r1"]);
    let revision = inbox.ws.revision(DocumentId::new(1)).unwrap();
    assert_eq!(revision.size, whole.len() as u64, "the whole file was imported, not its first half");
}

#[test]
fn a_file_that_cannot_be_read_goes_to_failed_with_its_reason_beside_it() {
    let inbox = inbox();
    let mut sweeper = InboxSweeper::new(&inbox.dir, Duration::ZERO);
    inbox.drop_file("broken.pdf", "%PDF-1.7\nthis is not a PDF body\n");
    inbox.drop_file("good.txt", "公开通知\n");
    inbox.sweep(&mut sweeper);

    let report = inbox.sweep(&mut sweeper);
    assert_eq!(summaries(&report), ["broken.pdf: failed", "good.txt: imported D1 r1"]);
    let ArrivalOutcome::Failed { code, reason } = &report.arrivals[0].outcome else { unreachable!() };
    assert_eq!(code, "malformed");
    assert!(!reason.is_empty());
    assert_eq!(inbox.files(FAILED), ["broken.pdf", "broken.pdf.reason.txt"]);
    assert_eq!(inbox.read(FAILED, "broken.pdf.reason.txt"), format!("{reason}\n"));
    assert_eq!(inbox.read(FAILED, "broken.pdf"), "%PDF-1.7\nthis is not a PDF body\n", "kept unchanged");
    assert_eq!(inbox.files(PROCESSED), ["good.txt"]);
}

#[test]
fn a_file_is_complete_only_once_unchanged_for_the_settle_time_however_often_one_sweeps() {
    let inbox = inbox();
    let mut sweeper = InboxSweeper::new(&inbox.dir, Duration::from_millis(300));
    inbox.drop_file("notice.txt", "公开通知\n");
    for _ in 0..3 {
        assert_eq!(inbox.sweep(&mut sweeper).waiting, 1);
    }
    std::thread::sleep(Duration::from_millis(350));
    assert_eq!(summaries(&inbox.sweep(&mut sweeper)), ["notice.txt: imported D1 r1"]);
}

#[test]
fn a_sweep_reports_its_progress_file_by_file_and_then_its_end() {
    let inbox = inbox();
    let mut sweeper = InboxSweeper::new(&inbox.dir, Duration::ZERO);
    inbox.drop_file("a.txt", "甲\n");
    inbox.drop_file("b.txt", "乙\n");
    let mut steps = Vec::new();
    let mut record = |done: usize, total: usize, name: &str| steps.push((done, total, name.to_string()));
    sweeper.sweep_reporting(&inbox.ws, &inbox.drafter, &mut record).unwrap();
    assert_eq!(steps, [], "nothing complete yet, nothing to report");
    sweeper
        .sweep_reporting(&inbox.ws, &inbox.drafter, &mut |d, t, n| steps.push((d, t, n.to_string())))
        .unwrap();
    let expected = [(0, 2, "a.txt"), (1, 2, "b.txt"), (2, 2, "")];
    assert_eq!(steps, expected.map(|(d, t, n)| (d, t, n.to_string())));
}

// A file over the input limit is refused by its size, before it is read.
#[test]
fn a_file_over_the_size_limit_fails_by_its_size() {
    let mut inbox = inbox();
    inbox.ws.limits.max_input_bytes = 8;
    let mut sweeper = InboxSweeper::new(&inbox.dir, Duration::ZERO);
    inbox.drop_file("big.txt", "more than eight bytes\n");
    inbox.sweep(&mut sweeper);
    let report = inbox.sweep(&mut sweeper);
    assert_eq!(summaries(&report), ["big.txt: failed"]);
    assert_eq!(
        report.arrivals[0].outcome,
        ArrivalOutcome::Failed {
            code: "limit_exceeded".into(),
            reason: "file is 22 bytes, more than the limit of 8 bytes".into()
        }
    );
    assert_eq!(inbox.files(FAILED), ["big.txt", "big.txt.reason.txt"]);
}

#[test]
fn hidden_lock_and_partial_files_are_never_touched() {
    let check = |name: &str, skipped: bool| {
        assert_eq!(is_skipped(&OsString::from(name)), skipped, "{name}");
    };
    check(".~lock.report.docx#", true);
    check("~$report.docx", true);
    check("report.pdf.part", true);
    check("report.pdf.PART", true);
    check("report.pdf.crdownload", true);
    check(".hidden.txt", true);
    check("report.docx~", true);
    check("report.docx", false);
    check("报告 (定稿).pdf", false);
    check("part.txt", false);

    let inbox = inbox();
    let mut sweeper = InboxSweeper::new(&inbox.dir, Duration::ZERO);
    for name in [".~lock.report.docx#", "~$report.docx", "report.pdf.part"] {
        inbox.drop_file(name, "x");
    }
    std::fs::create_dir(inbox.dir.join("a folder")).unwrap();
    for _ in 0..3 {
        let report = inbox.sweep(&mut sweeper);
        assert_eq!((summaries(&report), report.waiting), (vec![], 0));
    }
    assert_eq!(inbox.files(""), [".~lock.report.docx#", "report.pdf.part", "~$report.docx"]);
}

#[test]
fn the_same_name_twice_makes_a_new_revision_and_never_overwrites_in_processed() {
    let inbox = inbox();
    let mut sweeper = InboxSweeper::new(&inbox.dir, Duration::ZERO);
    inbox.drop_file("notice.txt", "第一稿\n");
    inbox.sweep(&mut sweeper);
    inbox.sweep(&mut sweeper);
    inbox.drop_file("notice.txt", "第二稿\n");
    inbox.sweep(&mut sweeper);
    assert_eq!(summaries(&inbox.sweep(&mut sweeper)), ["notice.txt: imported D1 r2"]);

    assert_eq!(inbox.files(PROCESSED), ["notice (2).txt", "notice.txt"]);
    assert_eq!(inbox.read(PROCESSED, "notice.txt"), "第一稿\n");
    assert_eq!(inbox.read(PROCESSED, "notice (2).txt"), "第二稿\n");
}

#[test]
fn the_same_file_dropped_again_unchanged_is_not_imported_twice() {
    let inbox = inbox();
    let mut sweeper = InboxSweeper::new(&inbox.dir, Duration::ZERO);
    for expected in ["notice.txt: imported D1 r1", "notice.txt: already D1 r1"] {
        inbox.drop_file("notice.txt", "公开通知\n");
        inbox.sweep(&mut sweeper);
        assert_eq!(summaries(&inbox.sweep(&mut sweeper)), [expected]);
    }
    assert_eq!(inbox.revisions(), [("D1".to_string(), 1, "notice.txt".to_string())]);
    assert_eq!(inbox.files(PROCESSED), ["notice (2).txt", "notice.txt"]);
}

// A crash after the claim, before the import: the restarted sweeper imports the file.
#[test]
fn a_file_claimed_before_a_crash_is_imported_by_the_next_sweep() {
    let inbox = inbox();
    let mut before_crash = InboxSweeper::new(&inbox.dir, Duration::ZERO);
    inbox.drop_file("notice.txt", "公开通知\n");
    inbox.sweep(&mut before_crash);
    before_crash.last_seen.clear();
    assert!(before_crash.claim(&OsString::from("notice.txt")).unwrap().is_some());
    assert_eq!(inbox.files(IMPORTING), ["notice.txt"]);

    let mut restarted = InboxSweeper::new(&inbox.dir, Duration::ZERO);
    assert_eq!(summaries(&inbox.sweep(&mut restarted)), ["notice.txt: imported D1 r1"]);
    assert_eq!(inbox.files(IMPORTING), Vec::<String>::new());
    assert_eq!(inbox.files(PROCESSED), ["notice.txt"]);
}

// A crash after the import, before the move: the restarted sweeper recognizes the bytes and
// moves the file without a second import.
#[test]
fn a_file_imported_before_a_crash_is_moved_without_a_second_import() {
    let inbox = inbox();
    let sweeper = InboxSweeper::new(&inbox.dir, Duration::ZERO);
    std::fs::create_dir_all(inbox.dir.join(IMPORTING)).unwrap();
    inbox.drop_file("notice.txt", "公开通知\n");
    let claimed = sweeper.claim(&OsString::from("notice.txt")).unwrap().unwrap();
    let imported = import_or_recognize(&inbox.ws, &inbox.drafter, &claimed).unwrap();
    assert!(matches!(imported, ArrivalOutcome::Imported(_)));

    let mut restarted = InboxSweeper::new(&inbox.dir, Duration::ZERO);
    assert_eq!(summaries(&inbox.sweep(&mut restarted)), ["notice.txt: already D1 r1"]);
    assert_eq!(inbox.revisions(), [("D1".to_string(), 1, "notice.txt".to_string())]);
    assert_eq!(inbox.files(PROCESSED), ["notice.txt"]);
}

// A file arriving under the name of one still in `.importing/` waits; it is not renamed over it.
#[test]
fn a_new_file_named_like_one_left_in_importing_waits_for_it() {
    let inbox = inbox();
    std::fs::create_dir_all(inbox.dir.join(IMPORTING)).unwrap();
    std::fs::write(inbox.dir.join(IMPORTING).join("notice.txt"), "第一稿\n").unwrap();
    let sweeper = InboxSweeper::new(&inbox.dir, Duration::ZERO);
    inbox.drop_file("notice.txt", "第二稿\n");
    assert_eq!(sweeper.claim(&OsString::from("notice.txt")).unwrap(), None);
    assert_eq!(inbox.read(IMPORTING, "notice.txt"), "第一稿\n");

    // A sweep finishes the first, then claims the second at the next stable look.
    let mut sweeper = InboxSweeper::new(&inbox.dir, Duration::ZERO);
    assert_eq!(summaries(&inbox.sweep(&mut sweeper)), ["notice.txt: imported D1 r1"]);
    assert_eq!(summaries(&inbox.sweep(&mut sweeper)), ["notice.txt: imported D1 r2"]);
    assert_eq!(inbox.read(PROCESSED, "notice (2).txt"), "第二稿\n");
}

// A user who may not import moves nothing.
#[test]
fn a_user_who_may_not_import_is_refused_before_any_file_moves() {
    let inbox = inbox();
    assert_eq!(
        (inbox.ws.may_import(&inbox.admin).unwrap(), inbox.ws.may_import(&inbox.drafter).unwrap()),
        (false, true)
    );
    let mut sweeper = InboxSweeper::new(&inbox.dir, Duration::ZERO);
    inbox.drop_file("notice.txt", "公开通知\n");
    for _ in 0..2 {
        let refused = sweeper.sweep(&inbox.ws, &inbox.admin).unwrap_err();
        assert_eq!(refused.kind(), ErrorKind::Forbidden);
    }
    assert_eq!(inbox.files(""), ["notice.txt"]);
}

// Workspace failures after the claim (here: the drafter is disabled between the sweep's check
// and the import) stop the sweep and leave the file claimed, not in failed/: the file is fine,
// and is imported by the next sweep of someone who may.
#[test]
fn a_workspace_refusal_during_the_import_stops_the_sweep_and_the_file_waits_in_importing() {
    let inbox = inbox();
    let sweeper = InboxSweeper::new(&inbox.dir, Duration::ZERO);
    std::fs::create_dir_all(inbox.dir.join(IMPORTING)).unwrap();
    inbox.drop_file("notice.txt", "公开通知\n");
    let claimed = sweeper.claim(&OsString::from("notice.txt")).unwrap().unwrap();
    inbox.ws.add_user(&inbox.admin, "otto", &[Role::Auditor], PASS).unwrap();
    let auditor = inbox.ws.sign_in("otto", PASS).unwrap();
    let error = sweeper.finish(&inbox.ws, &auditor, &claimed).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Forbidden);
    assert_eq!(inbox.files(IMPORTING), ["notice.txt"]);
    assert!(!inbox.dir.join(FAILED).exists(), "nothing was moved to failed/");

    let mut sweeper = InboxSweeper::new(&inbox.dir, Duration::ZERO);
    assert_eq!(summaries(&inbox.sweep(&mut sweeper)), ["notice.txt: imported D1 r1"]);
}

#[test]
fn only_an_admin_sets_the_inbox_folder_and_the_change_is_audited() {
    let inbox = inbox();
    assert_eq!(inbox.ws.inbox_folder().unwrap(), None);

    let refused = inbox.ws.set_inbox_folder(&inbox.drafter, Some(&inbox.dir)).unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::Forbidden);
    for bad in [Path::new("relative/inbox"), &inbox.dir.join("missing")] {
        let error = inbox.ws.set_inbox_folder(&inbox.admin, Some(bad)).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput, "{bad:?}");
    }
    assert_eq!(inbox.ws.inbox_folder().unwrap(), None);

    inbox.ws.set_inbox_folder(&inbox.admin, Some(&inbox.dir)).unwrap();
    assert_eq!(inbox.ws.inbox_folder().unwrap(), Some(inbox.dir.clone()));
    inbox.ws.set_inbox_folder(&inbox.admin, None).unwrap();
    assert_eq!(inbox.ws.inbox_folder().unwrap(), None);

    let changes: Vec<(String, serde_json::Value)> = inbox
        .ws
        .audit_log(None)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "setting_changed")
        .map(|e| (e.actor, e.payload["value"].clone()))
        .collect();
    let folder = serde_json::Value::from(inbox.dir.to_str().unwrap());
    assert_eq!(changes, [("admin".to_string(), folder), ("admin".to_string(), serde_json::Value::Null)]);
}
