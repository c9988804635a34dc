#!/usr/bin/env bash
# `npm start`: prepare the machine, then start the whole stack (infra/stack/main.ts). Extra arguments
# go to the stack runner, e.g. `npm start -- --reset`.
set -euo pipefail
VOLTMESH_OS_PACKAGES="nats-server"
source "$(dirname "${BASH_SOURCE[0]}")/prereqs.sh"
[ -n "${NATS_URL:-}" ] && VOLTMESH_OS_PACKAGES=""
prepare_machine
cd "$repo_root"
exec node --import tsx infra/stack/main.ts "$@"
