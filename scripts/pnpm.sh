#!/usr/bin/env bash
# Runs pnpm 10: the one on PATH if it is 10.x, otherwise through npx (only Node and npm needed).
if command -v pnpm >/dev/null 2>&1 && pnpm --version 2>/dev/null | grep -q '^10\.'; then
  exec pnpm "$@"
fi
exec npx -y pnpm@10.34.9 "$@"
