//! The inbox folder's watcher thread: sweeps the folder (see `intake`) when notify reports a
//! change in it, and on a timer, since events can be missed (network shares, a full queue).
//! After a sweep that imported something it emits the `intake` event, on which the inbox
//! reloads. The thread runs for the life of the app; sweeping with nobody signed in, or no
//! folder set, costs one look at the settings.

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use notify::{RecursiveMode, Watcher};
use tauri::{AppHandle, Emitter, Manager};

use crate::desk::Desk;
use crate::intake::{Intake, SETTLE};
use crate::progress;

/// The event emitted when files arrived (from the folder or dropped on the window).
pub const INTAKE_EVENT: &str = "intake";
/// How often the folder is swept when no event arrives.
const POLL: Duration = Duration::from_secs(5);

/// Starts the watcher thread.
pub fn start(app: AppHandle) {
    let spawned = std::thread::Builder::new().name("inbox-folder".into()).spawn(move || run(&app));
    if let Err(error) = spawned {
        // Without the thread the folder is not swept; the rest of the app works.
        eprintln!("vetted-app: cannot start the inbox folder watcher: {error}");
    }
}

fn run(app: &AppHandle) {
    let (events, woken) = mpsc::channel();
    // Without notify (no inotify watches left) the timer still sweeps.
    let mut watcher = notify::recommended_watcher(move |_event| {
        let _ = events.send(());
    })
    .ok();
    let mut watched: Option<PathBuf> = None;
    let mut progress = progress::to_window(app);
    loop {
        let intake = app.state::<Intake>();
        if !intake.sweep(&app.state::<Desk>(), &mut progress).is_empty() {
            let _ = app.emit(INTAKE_EVENT, ());
        }
        let folder = intake.folder();
        if folder != watched {
            if let Some(watcher) = watcher.as_mut() {
                if let Some(old) = &watched {
                    let _ = watcher.unwatch(old);
                }
                if let Some(new) = &folder {
                    let _ = watcher.watch(new, RecursiveMode::NonRecursive);
                }
            }
            watched = folder;
        }
        // A file still settling is looked at again after the settle time; an event brings the
        // next sweep forward (the sweeper itself waits for files to settle, so sweeping early
        // never imports half a file).
        let wait = if intake.waiting() > 0 { SETTLE } else { POLL };
        if woken.recv_timeout(wait).is_ok() {
            std::thread::sleep(Duration::from_millis(200));
            while woken.try_recv().is_ok() {}
        }
    }
}
