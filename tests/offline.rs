//! The offline guarantee: drafts under review never leave the workstation, so nothing in the
//! core or the CLI may be able to open a network connection. Two checks: no crate that talks to
//! the network is in their dependency tree (any platform), and the whole workflow runs in a
//! network namespace without interfaces (`scripts/offline-workflow.sh` under `unshare -n`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use crate::util::{stderr, stdout};

/// Crates whose purpose is network I/O: HTTP clients and servers, TLS, raw sockets, DNS, mail,
/// remote shells, message queues. A crate here in the tree is a failure whatever its features.
const NETWORK_CRATES: &[&str] = &[
    "actix-web",
    "async-io",
    "async-net",
    "async-std",
    "attohttpc",
    "awc",
    "axum",
    "curl",
    "curl-sys",
    "h2",
    "h3",
    "hickory-proto",
    "hickory-resolver",
    "hyper",
    "hyper-util",
    "isahc",
    "lettre",
    "libssh2-sys",
    "native-tls",
    "openssl",
    "openssl-sys",
    "quinn",
    "reqwest",
    "rumqttc",
    "rustls",
    "socket2",
    "ssh2",
    "surf",
    "tiny_http",
    "tokio-rustls",
    "tonic",
    "trust-dns-proto",
    "trust-dns-resolver",
    "tungstenite",
    "ureq",
    "warp",
    "websocket",
    "zmq",
];

/// General-purpose crates that open sockets only with a feature: (crate, feature).
const NETWORK_FEATURES: &[(&str, &str)] =
    &[("tokio", "net"), ("mio", "net"), ("git2", "https"), ("git2", "ssh")];

/// One package of the resolved tree: its name and its enabled features.
type Package = (String, BTreeSet<String>);

/// The packages of `tree` that can open a network connection, each with why.
fn network_capable(tree: &[Package]) -> Vec<String> {
    let mut offenders = Vec::new();
    for (name, features) in tree {
        if NETWORK_CRATES.contains(&name.as_str()) {
            offenders.push(name.clone());
        }
        for (gated, feature) in NETWORK_FEATURES {
            if name == gated && features.contains(*feature) {
                offenders.push(format!("{name} (feature {feature})"));
            }
        }
    }
    offenders
}

#[test]
fn the_network_check_flags_network_crates_and_socket_features_only() {
    let check = |tree: &[(&str, &[&str])], expected: &[&str]| {
        let tree: Vec<Package> = tree
            .iter()
            .map(|(name, features)| (name.to_string(), features.iter().map(|f| f.to_string()).collect()))
            .collect();
        assert_eq!(network_capable(&tree), expected, "{tree:?}");
    };
    check(&[("zip", &["deflate"]), ("lopdf", &[])], &[]);
    check(&[("reqwest", &["default"])], &["reqwest"]);
    check(&[("hyper", &[]), ("socket2", &[])], &["hyper", "socket2"]);
    check(&[("tokio", &["rt", "sync"])], &[]);
    check(&[("tokio", &["rt", "net"])], &["tokio (feature net)"]);
    check(&[("mio", &["os-poll"])], &[]);
    check(&[("mio", &["os-poll", "net"])], &["mio (feature net)"]);
    check(&[("git2", &[])], &[]);
    check(&[("git2", &["https"])], &["git2 (feature https)"]);
}

/// The packages in the normal (run-time) dependency tree of `vetted` and `vetted-core`, for
/// every target platform, with the features a build of those two enables on them.
///
/// `cargo tree -p` rather than `cargo metadata`: the metadata's resolve unifies features across
/// the whole workspace, so it would charge the CLI with what the desktop shell enables for
/// itself (tokio's `net`, hence mio's, which the CLI's `notify` also depends on). The CLI is
/// built without the shell (`default-members`), and this is the tree it is built with.
fn runtime_tree() -> Vec<Package> {
    // Not `--offline`: the tree covers every platform, and a fresh checkout has only fetched
    // the host's crates. `--locked` keeps the resolution exactly the committed one.
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
    let out = Command::new(cargo)
        .args([
            "tree",
            "--locked",
            "-p",
            "vetted",
            "-p",
            "vetted-core",
            "--edges",
            "normal",
            "--target",
            "all",
        ])
        .args(["--prefix", "none", "--format", "{p}|{f}", "--manifest-path"])
        .arg(&manifest)
        .output()
        .expect("cargo tree runs");
    assert!(out.status.success(), "cargo tree: {}", stderr(&out));
    // Each line: `name vX.Y.Z [(path)]|feature,feature[ (*)]`; `(*)` marks a repeat.
    let mut packages: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in stdout(&out).lines() {
        let Some((package, features)) = line.split_once('|') else { continue };
        let Some(name) = package.split_whitespace().next() else { continue };
        let features = features.trim_end_matches(" (*)").split(',').filter(|f| !f.is_empty());
        packages.entry(name.to_string()).or_default().extend(features.map(str::to_string));
    }
    let roots = ["vetted", "vetted-core"];
    assert!(roots.iter().all(|r| packages.contains_key(*r)), "both roots are in the tree: {packages:?}");
    packages.into_iter().collect()
}

#[test]
fn no_crate_that_opens_network_connections_is_in_the_core_or_the_cli() {
    let tree = runtime_tree();
    let names: Vec<&str> = tree.iter().map(|(name, _)| name.as_str()).collect();
    // The walk reached the dependencies of both packages, so an empty result means something.
    for expected in ["lopdf", "zip", "quick-xml", "rusqlite", "clap", "rayon"] {
        assert!(names.contains(&expected), "{expected} missing from the tree: {names:?}");
    }
    assert_eq!(network_capable(&tree), Vec::<String>::new(), "network-capable crates in the product");
}

#[test]
fn the_whole_workflow_runs_without_a_network() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/offline-workflow.sh");
    let out = Command::new("unshare")
        .arg("-n")
        .arg("bash")
        .arg(&script)
        .arg(env!("CARGO_BIN_EXE_vetted"))
        .output()
        .expect("unshare (util-linux) runs");
    assert!(
        out.status.success(),
        "the offline workflow failed (unshare -n needs root or CAP_SYS_ADMIN):\n{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(stdout(&out).contains("offline-workflow: ok"), "{}", stdout(&out));
}
