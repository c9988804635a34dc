#!/usr/bin/env bash
# `npm test`: prepare the machine, then run the full check: generated code up to date, typecheck,
# lint, format, and every test (unit, integration against real nats-server and PostgreSQL, browser
# tests in headless Chromium).
set -euo pipefail
VOLTMESH_OS_PACKAGES="nats-server chromium"
source "$(dirname "${BASH_SOURCE[0]}")/prereqs.sh"
prepare_machine
cd "$repo_root"
started=$(date +%s)
pnpm run check
printf '\033[1m▸ full check passed in %ss\033[0m\n' "$(( $(date +%s) - started ))"
