#!/usr/bin/env bash
# The run command: brings up the whole platform locally (Temporal dev server, Postgres, Redis,
# migrations, demo data, api + worker), prints the URLs and stays in the foreground.
# Ctrl-C stops everything it started; the next run resumes with the same data under .data/.
source "$(dirname "${BASH_SOURCE[0]}")/lib/bootstrap.sh"
say "building (tsc + workflow bundle)"
npm run --silent build
exec node scripts/dev.mjs "$@"
