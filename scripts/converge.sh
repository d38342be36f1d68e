#!/usr/bin/env bash
# Builds (incrementally) and runs the `converge` CLI.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
(cd "$root" && node_modules/.bin/tsc -b) >&2
exec node "$root/packages/cli/dist/main.js" "$@"
