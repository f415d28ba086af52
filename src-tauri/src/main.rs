//! The `vetted-app` binary: the desktop workstation. Everything lives in the library so that
//! the IPC contract can be tested without starting a window.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    vetted_app::run();
}
