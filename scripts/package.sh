#!/usr/bin/env bash
# Builds the installable Debian package of the desktop app, checks it, and prints its path.
#
#   scripts/package.sh        # then, offline: sudo apt install ./target/release/bundle/deb/Vetted_*.deb
#
# A release build of the app (several minutes on 2 cores): run it when a package is wanted, not
# in CI. Everything it needs is local once scripts/setup-system.sh and `npm ci` have run: the
# Tauri CLI makes a .deb without downloading anything (an AppImage would fetch AppRun, so the
# only bundle target is deb). The checks: the package holds the binary, the desktop entry and
# the icon, and depends on no package whose purpose is the network.
set -euo pipefail
cd "$(dirname "$0")/.."

(cd ui && npm ci --no-audit --no-fund && npm run build)
ui/node_modules/.bin/tauri build --bundles deb >&2

deb="$(ls -t target/release/bundle/deb/*.deb 2>/dev/null | head -n 1 || true)"
[ -n "$deb" ] || { echo "package.sh: tauri build made no .deb under target/release/bundle/deb/" >&2; exit 1; }
info="$(dpkg-deb --info "$deb")"
# Member paths, with the leading "./" that some tar writers add removed.
contents="$(dpkg-deb --contents "$deb" | awk '{ print $6 }' | sed 's|^\./||')"

fail() { echo "package.sh: $deb: $*" >&2; exit 1; }
grep -qx 'usr/bin/vetted-app' <<<"$contents" || fail "no usr/bin/vetted-app"
grep -qE '^usr/share/applications/[^/]+\.desktop$' <<<"$contents" || fail "no desktop entry"
grep -qE '^usr/share/icons/hicolor/[^/]+/apps/[^/]+\.png$' <<<"$contents" || fail "no icon"
depends="$(awk -F': ' '/^ Depends:/ { print $2 }' <<<"$info")"
[ -n "$depends" ] || fail "no Depends field (the webview library must be one)"
# Packages whose purpose is network I/O. The webview (libwebkit2gtk) is a dependency and pulls
# an HTTP library (libsoup) in turn; the app never uses it to reach anything: the CSP allows
# only the app's own assets and IPC, and the offline journeys (E2E_OFFLINE=1 scripts/e2e.sh)
# run without a network.
for package in $(tr ',|' '\n\n' <<<"$depends" | sed 's/(.*)//; s/ //g'); do
    case "$package" in
        curl | wget | libcurl* | openssh* | ssh* | network-manager* | avahi* | libavahi* | samba* | \
            rsync | ftp | lftp | telnet* | netcat* | socat | libssl* | openssl | ca-certificates | \
            libsoup*)
            fail "depends on $package, a network package" ;;
    esac
done

echo "package.sh: $(awk -F': ' '/^ Package:/ { print $2 }' <<<"$info") $(awk -F': ' '/^ Version:/ { print $2 }' <<<"$info")," \
    "$(du -h "$deb" | cut -f1), depends on: $depends" >&2
echo "$deb"
