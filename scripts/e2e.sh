#!/usr/bin/env bash
# End-to-end tests of the desktop app in its real webview, headless: builds the UI and a debug
# build of the app, starts Xvfb and tauri-driver (which runs WebKitWebDriver), runs each
# journey under tests/e2e/, and stops everything it started, by PID. Screenshots of every step
# land in tests/output/e2e/. Needs what scripts/setup-system.sh installs, plus tauri-driver
# (installed here with cargo if missing).
#
# Overridable: E2E_DISPLAY (default :99), E2E_PORT (4444; journeys with a driver of their own
# use the ports after it), E2E_ONLY="desk admin" runs only the journeys named, in the order below.
#
# E2E_OFFLINE=1 (needs root) runs the journeys in a network namespace of their own, the app's
# half of the offline guarantee (issue 6 §5; the CLI's half is scripts/offline-workflow.sh):
# after building (npm may need the registry), the script re-executes itself under `unshare -n`,
# where the only interface is the loopback. It brings the loopback up, because tauri-driver talks
# to WebKitWebDriver, and this script to tauri-driver, over HTTP on 127.0.0.1. The loopback is
# not a network: it is a channel between processes of this namespace, nothing on it leaves the
# machine, and the namespace has no route anywhere else (checked below before any journey runs).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
offline="${E2E_OFFLINE:-0}"
# Set on the re-execution inside the namespace: the build is done, and the namespace is checked.
inside_namespace="${E2E_INSIDE_NETNS:-0}"

display="${E2E_DISPLAY:-:99}"
port="${E2E_PORT:-4444}"
output="$root/tests/output/e2e"

if ! command -v tauri-driver >/dev/null; then
  echo "e2e: installing tauri-driver" >&2
  cargo install tauri-driver --locked --version '^2'
fi

if [ "$inside_namespace" != 1 ]; then
  echo "e2e: building the UI and the app (debug)" >&2
  (cd ui && npm ci --no-audit --no-fund && npm run build)
  ui/node_modules/.bin/tauri build --debug --no-bundle >&2
  # The review, workflow and screens journeys seed and check their workspaces with the CLI.
  cargo build --locked -p vetted >&2
fi
export VETTED_CLI="$root/target/debug/vetted"
# The pages journey makes its long PDF with reportlab, and the workflow journey reads the DOCX
# export with python-docx, from the project's venv (made before going offline).
[ -n "${VETTED_PYTHON:-}" ] || source scripts/python-env.sh
app="$root/target/debug/vetted-app"
[ -x "$app" ] || { echo "e2e: $app was not built" >&2; exit 1; }

if [ "$offline" = 1 ] && [ "$inside_namespace" != 1 ]; then
  [ "$(id -u)" = 0 ] || { echo "e2e: E2E_OFFLINE=1 needs root (unshare -n)" >&2; exit 1; }
  echo "e2e: running the journeys offline, in a network namespace with only the loopback" >&2
  exec unshare --net env E2E_INSIDE_NETNS=1 bash "$0" "$@"
fi
if [ "$inside_namespace" = 1 ]; then
  ip link set lo up
  # Prove the isolation before relying on it: the loopback is the only interface, and there is
  # no route off the machine (a connection to any outside address fails at once).
  interfaces="$(awk -F: 'NR > 2 { gsub(/ /, "", $1); print $1 }' /proc/net/dev | tr '\n' ' ')"
  [ "$interfaces" = "lo " ] || { echo "e2e: interfaces besides the loopback: $interfaces" >&2; exit 1; }
  if [ -n "$(ip route show table all | grep -v ' dev lo ' || true)" ]; then
    echo "e2e: the namespace has a route off the loopback:" >&2
    ip route show table all >&2
    exit 1
  fi
  if (exec 3<>/dev/tcp/192.0.2.1/80) 2>/dev/null; then
    echo "e2e: an outside address answered inside the namespace" >&2
    exit 1
  fi
  echo "e2e: offline: only the loopback is up, no route off the machine" >&2
fi

rm -rf "$output"
mkdir -p "$output"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >"$output/xvfb.log" 2>&1 &
pids+=($!)
export DISPLAY="$display"
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
xdpyinfo >/dev/null 2>&1 || { echo "e2e: Xvfb did not start on $display (see $output/xvfb.log)" >&2; exit 1; }

# A fresh profile per run: the webview keeps localStorage (the chosen language) under the XDG
# directories, and a journey must not depend on what an earlier run left there.
profile="$output/profile"
mkdir -p "$profile"
export XDG_DATA_HOME="$profile/data" XDG_CONFIG_HOME="$profile/config" XDG_CACHE_HOME="$profile/cache"
# ...and an empty workspace, which the desk journey creates.
export VETTED_WORKSPACE="$output/workspace"
# The native file dialogs answer from this file instead (see src-tauri/src/dialogs.rs); the
# journeys write into it just before each dialog. Exported before tauri-driver starts, so the
# app it launches inherits it.
export VETTED_E2E_PICK="$output/dialog-answers"
: >"$VETTED_E2E_PICK"

tauri-driver --port "$port" --native-port "$((port + 1))" >"$output/tauri-driver.log" 2>&1 &
pids+=($!)
# `-f` matters: tauri-driver answers before WebKitWebDriver is ready, and a session started
# then fails with "Remote end closed connection".
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/status" >/dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$port/status" >/dev/null || {
  echo "e2e: tauri-driver did not become ready (see $output/tauri-driver.log)" >&2
  exit 1
}

export E2E_DRIVER_URL="http://127.0.0.1:$port"
# A journey may depend on the workspace an earlier one left (admin needs desk's users).
wanted() { [ -z "${E2E_ONLY:-}" ] || [[ " $E2E_ONLY " == *" $1 "* ]]; }
journey() {
  if wanted "$1"; then node "tests/e2e/$1.mjs" "$app" "$output"; fi
}
journey journey
journey desk
# The pages journey reads English, which desk leaves and intake and admin (both languages) do
# not; intake and admin work in the workspace desk created.
journey pages
journey intake
journey admin

# Runs journey $1 against a tauri-driver of its own on port $2, whose app gets the environment
# assignments that follow (tauri-driver hands its environment to the app it starts): a journey
# that seeds a workspace of its own, with the CLI, does not disturb the others'.
isolated_journey() {
  local name=$1 own_port=$2
  shift 2
  wanted "$name" || return 0
  env "$@" tauri-driver --port "$own_port" --native-port "$((own_port + 1))" >"$output/tauri-driver-$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$own_port/status" >/dev/null && break; sleep 0.2; done
  curl -sf "http://127.0.0.1:$own_port/status" >/dev/null || {
    echo "e2e: the $name journey's tauri-driver did not become ready (see $output/tauri-driver-$name.log)" >&2
    exit 1
  }
  env "$@" E2E_DRIVER_URL="http://127.0.0.1:$own_port" node "tests/e2e/$name.mjs" "$app" "$output"
}

isolated_journey review $((port + 2)) VETTED_WORKSPACE="$output/review-workspace"
# The whole workflow from an empty workspace to verified exports, with its own dialog answers
# (the journey writes the path each dialog returns). The DOCX export is read back with
# python-docx from the project venv.
isolated_journey workflow $((port + 4)) \
  VETTED_WORKSPACE="$output/workflow-workspace" VETTED_E2E_PICK="$output/workflow-picks"
# Every main screen in both languages, on the sample drafts (scripts/screenshots.sh copies
# them into docs/screenshots/).
isolated_journey screens $((port + 6)) VETTED_WORKSPACE="$output/screens-workspace"
