//! Faults of the machine rather than of the input: a disk that fills up under the workspace or
//! under the export's destination, and a workspace copied (as `cp` would) while another process
//! writes to it. In every case `vetted` fails with one clear line, leaves nothing half-written,
//! and the audit chain still verifies.
//!
//! The full-disk tests mount small tmpfs file systems, which takes root: CI and the development
//! machine run the tests as root, and anywhere else these tests fail saying so rather than
//! passing without having checked anything.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::{Office, refused};

/// A tmpfs of `size` mounted at a directory for the life of the guard, unmounted on drop (also
/// when the test panics, so a failed test leaves no mount behind).
struct Tmpfs {
    dir: PathBuf,
}

impl Tmpfs {
    fn mount(dir: &Path, size: &str) -> Tmpfs {
        require_root();
        std::fs::create_dir_all(dir).unwrap();
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .status()
            .expect("the mount command runs");
        assert!(status.success(), "cannot mount a tmpfs at {}", dir.display());
        Tmpfs { dir: dir.to_path_buf() }
    }

    /// Writes a filler file until the file system is full, then gives back `spare` bytes of it,
    /// so that exactly about `spare` bytes are left. Returns the filler's path.
    fn fill_leaving(&self, spare: u64) -> PathBuf {
        let filler = self.dir.join("filler");
        let mut file = std::fs::File::create(&filler).unwrap();
        let chunk = vec![0u8; 4096];
        let mut written = 0u64;
        // Write until the disk refuses: no size guess survives a change in what the workspace
        // holds, the disk's own answer always does.
        while file.write_all(&chunk).is_ok() {
            written += chunk.len() as u64;
        }
        file.set_len(written.saturating_sub(spare)).unwrap();
        file.sync_all().unwrap();
        filler
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.dir).status();
    }
}

/// Mounting takes root: the test says so instead of skipping silently.
fn require_root() {
    use std::os::unix::fs::MetadataExt;
    // `/proc/self` belongs to the effective user of the process reading it.
    let uid = std::fs::metadata("/proc/self").map(|m| m.uid()).unwrap_or(u32::MAX);
    assert_eq!(uid, 0, "the full-disk tests mount a tmpfs and need root (run the tests as root)");
}

/// The workspace moved onto a tmpfs of `size`: the files `init` made are copied onto a tmpfs
/// mounted where the workspace was.
fn workspace_on_tmpfs(office: &Office, size: &str) -> Tmpfs {
    let ws = office.workspace();
    let original = office.path("ws-original");
    std::fs::rename(&ws, &original).unwrap();
    let tmpfs = Tmpfs::mount(&ws, size);
    let status = Command::new("cp").arg("-a").arg(format!("{}/.", original.display())).arg(&ws).status();
    assert!(status.unwrap().success(), "cannot copy the workspace onto the tmpfs");
    tmpfs
}

/// Every file under `dir`, recursively, as paths relative to it.
fn files_under(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        for entry in std::fs::read_dir(&next).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                found.push(path.strip_prefix(dir).unwrap().display().to_string());
            }
        }
    }
    found.sort();
    found
}

fn document_states(office: &Office) -> Vec<(String, String)> {
    let json: serde_json::Value = serde_json::from_str(&office.ok(&["documents", "--json"])).unwrap();
    json.as_array()
        .unwrap()
        .iter()
        .map(|d| (d["document"].to_string().trim_matches('"').to_string(), d["state"].to_string()))
        .collect()
}

fn assert_chain_verifies(office: &Office, when: &str) {
    let out = office.run(&["audit", "verify"]);
    assert_eq!(out.status.code(), Some(0), "{when}: audit verify: {}", crate::util::stderr(&out));
}

#[test]
fn an_import_onto_a_full_disk_fails_cleanly_and_leaves_no_half_imported_document() {
    let office = Office::new();
    let tmpfs = workspace_on_tmpfs(&office, "4m");
    let files_before = files_under(&office.workspace());
    // A draft far bigger than any of the room left below.
    let paragraph = "第一段：本单位下月举行开放日，欢迎各界人士参观。\n";
    let draft = office.write("big.txt", &paragraph.repeat((1536 << 10) / paragraph.len()));

    // With 16 KiB left SQLite cannot even grow its shared-memory file; with more, the
    // database opens and the original's copy into the blob store is what runs out of room.
    for (spare, cause) in [(16 << 10, "is the disk full"), (512 << 10, "No space left on device")] {
        let filler = tmpfs.fill_leaving(spare);
        let line = refused(
            &office.run_as("dora", &["import", draft.to_str().unwrap()]),
            &format!("import with {spare} bytes left"),
        );
        assert!(line.contains(cause), "{spare} bytes left: the message names the cause: {line}");

        std::fs::remove_file(&filler).unwrap();
        let db = office.database();
        let integrity: String = db.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(integrity, "ok", "{spare} bytes left");
        assert_chain_verifies(&office, &format!("after the failed import with {spare} bytes left"));
        assert_eq!(document_states(&office), vec![], "{spare} bytes left: a document was half-imported");
        let revisions: i64 = db.query_row("SELECT count(*) FROM revisions", [], |r| r.get(0)).unwrap();
        assert_eq!(revisions, 0, "{spare} bytes left");
        // Nothing was left in the blob store either, not even a temporary file; the database's
        // own files may change size but are the same files.
        let left: Vec<String> = files_under(&office.workspace())
            .into_iter()
            .filter(|f| !files_before.contains(f) && !f.starts_with("vetted.db"))
            .collect();
        assert_eq!(left, Vec::<String>::new(), "{spare} bytes left: files left by the failed import");
    }

    // With room again, the same import goes through.
    assert_eq!(office.import(&draft), "D1");
    assert_chain_verifies(&office, "after the retried import");
}

#[test]
fn an_export_onto_a_full_disk_fails_cleanly_and_can_be_retried_elsewhere() {
    let office = Office::new();
    let draft = office.write("draft.txt", "通知：95837部队将于下月开放。\n");
    let doc = office.import(&draft);
    office.ok_as("rita", &["mark", &doc, "--text", "95837部队", "--all", "--reason", "state_secret"]);
    office.ok_as("rita", &["decide", &doc, "--redact", "all"]);
    office.ok_as("rita", &["submit", &doc]);
    office.ok_as("alan", &["approve", &doc]);

    let full = Tmpfs::mount(&office.path("full"), "64k");
    full.fill_leaving(0);
    let out = full.dir.join("public.txt");
    let line = refused(
        &office.run_as("alan", &["export", &doc, "--out", out.to_str().unwrap()]),
        "export onto a full disk",
    );
    assert!(line.contains("No space left on device"), "the message names the cause: {line}");
    assert_eq!(files_under(&full.dir), vec!["filler"], "nothing but the filler on the full disk");
    assert_eq!(document_states(&office), vec![(doc.clone(), "\"approved\"".to_string())]);
    assert!(!office.actions(Some(&doc)).contains(&"export".to_string()), "no export was recorded");
    assert_chain_verifies(&office, "after the failed export");

    let roomy = office.path("public.txt");
    office.ok_as("alan", &["export", &doc, "--out", roomy.to_str().unwrap()]);
    let public = std::fs::read_to_string(&roomy).unwrap();
    assert!(!public.contains("95837"), "the retried export is redacted: {public}");
    assert_eq!(document_states(&office), vec![(doc.clone(), "\"exported\"".to_string())]);
    assert_chain_verifies(&office, "after the retried export");
}

/// A backup taken with `cp` while reviewers work: the database, its `-wal` and its `-shm` are
/// copied one after the other, never at one instant. SQLite's WAL keeps every committed state
/// reachable from the files as they were at some moment, so each copy must open and its chain
/// must verify: the copy may miss the latest entries, but never holds a broken chain.
#[test]
fn a_workspace_copied_while_reviewers_write_opens_and_its_chain_verifies() {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    const MIN_COPIES: usize = 24;
    const MIN_WRITES: usize = 20;
    let office = Office::new();
    let words: Vec<String> = (0..200).map(|i| format!("代号{i:03}")).collect();
    let draft = office.write("draft.txt", &format!("通知：{}。\n", words.join("，")));
    let doc = office.import(&draft);
    let stop = AtomicBool::new(false);
    let writes = AtomicUsize::new(0);

    std::thread::scope(|scope| {
        scope.spawn(|| {
            for word in words.iter().cycle() {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                office.ok_as("rita", &["mark", &doc, "--text", word, "--reason", "state_secret"]);
                office.ok_as("rita", &["decide", &doc, "--redact", "all"]);
                writes.fetch_add(2, Ordering::Relaxed);
            }
        });
        // Copies are taken until the writer has committed enough while they were being taken:
        // a signed-in command takes far longer than a copy.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(90);
        let mut writes_seen = vec![writes.load(Ordering::Relaxed)];
        let mut copy = 0;
        while copy < MIN_COPIES || writes_seen.last().copied().unwrap_or(0) < writes_seen[0] + MIN_WRITES {
            if std::time::Instant::now() > deadline {
                break;
            }
            copy += 1;
            let target = office.path(&format!("copy{copy}"));
            copy_as_cp_would(&office.workspace(), &target);
            writes_seen.push(writes.load(Ordering::Relaxed));
            let out = office.command(None).arg("--workspace").arg(&target).args(["audit", "verify"]).output();
            let out = out.unwrap();
            if out.status.code() != Some(0) {
                stop.store(true, Ordering::Relaxed);
                panic!("copy {copy}: audit verify: {}", crate::util::stderr(&out));
            }
        }
        stop.store(true, Ordering::Relaxed);
        // The test proves something only if the writer was busy while the copies were taken.
        let during = writes_seen.last().copied().unwrap_or(0) - writes_seen.first().copied().unwrap_or(0);
        assert!(during >= MIN_WRITES, "only {during} writes happened while copying: {writes_seen:?}");
    });
}

/// Copies `from` into `to` file by file in directory order, as `cp -a` does, except that a file
/// that vanishes between listing and copying is left out instead of failing the copy: SQLite
/// deletes the `-wal` and `-shm` files when the last connection closes, and a backup tool that
/// gives up then would never finish while reviewers work.
fn copy_as_cp_would(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        if source.is_dir() {
            copy_as_cp_would(&source, &target);
        } else if let Err(e) = std::fs::copy(&source, &target) {
            assert_eq!(e.kind(), std::io::ErrorKind::NotFound, "cannot copy {}: {e}", source.display());
        }
    }
}
