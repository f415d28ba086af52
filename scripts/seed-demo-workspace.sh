#!/usr/bin/env bash
# Seeds a demo workspace with one user per role and the sample drafts of assets/samples, so the
# first launch shows real work: `scripts/seed-demo-workspace.sh DIR`. Does nothing if DIR already
# holds a workspace. The demo passphrases are printed, not hidden: this is for trying Vetted
# out, never for a workstation that holds real drafts (create that one from the app's first-run
# screen instead).
set -euo pipefail
cd "$(dirname "$0")/.."
ws="$1"
[ -e "$ws/vetted.db" ] && exit 0

cargo build --locked -p vetted
vetted() { ./target/debug/vetted --workspace "$ws" "$@"; }
users=(admin:admin dora:drafter rita:reviewer alex:approver otto:auditor)
VETTED_NEW_PASSPHRASE="demo-admin" vetted init --admin admin >/dev/null
for entry in "${users[@]:1}"; do
  name="${entry%%:*}"
  VETTED_PASSPHRASE="demo-admin" VETTED_NEW_PASSPHRASE="demo-$name" \
    vetted user add "$name" --role "${entry#*:}" --as admin >/dev/null
done
for draft in assets/samples/*; do
  VETTED_PASSPHRASE="demo-dora" vetted import "$draft" --as dora >/dev/null
done
echo "demo workspace in $ws — users (passphrase demo-NAME): admin, dora (drafter), rita (reviewer), alex (approver), otto (auditor)"
