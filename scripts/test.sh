#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what it needs, builds, lints, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/pnpm.sh install --frozen-lockfile
bash scripts/ensure-etcd.sh
bash scripts/pnpm.sh run build
bash scripts/pnpm.sh run lint
bash scripts/pnpm.sh exec vitest run "$@"
