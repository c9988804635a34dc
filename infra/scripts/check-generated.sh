#!/usr/bin/env bash
# Fails when a committed generated file no longer matches its source: the OCPP wire types (from the
# vendored OCA JSON schemas) and the web app's API types (from the cloud's OpenAPI document).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
pnpm --silent --filter @voltmesh/ocpp run generate
if [ -d .git ] && ! git diff --exit-code --stat -- edge-agent/ocpp/src/generated; then
  echo "edge-agent/ocpp/src/generated is stale: run 'pnpm --filter @voltmesh/ocpp generate' and commit the result." >&2
  exit 1
fi
echo "generated OCPP types are up to date"
node --import tsx infra/scripts/generate-api-types.ts --check
