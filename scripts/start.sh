#!/usr/bin/env bash
# Installs dependencies, builds, and starts the reference cluster (`converge up`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/pnpm.sh install --frozen-lockfile >&2
exec bash scripts/converge.sh up "$@"
