#!/usr/bin/env bash
# The test command: installs and starts what the suite needs (Postgres, Redis, a Temporal dev
# server, the time-skipping test server), runs every Jest suite once, stops everything.
source "$(dirname "${BASH_SOURCE[0]}")/lib/bootstrap.sh"
# docker-compose (Debian package) validates docker-compose.yml in the suite.
if ! command -v docker-compose >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  say "installing docker-compose (Debian) to validate docker-compose.yml"
  apt-get install -y -qq docker-compose >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq docker-compose >/dev/null; } || say "docker-compose could not be installed; the compose test will say so"
fi
# Browser tests (test/browser) drive Debian's chromium; CJK fonts so Chinese renders in screenshots.
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && { [ ! -x /usr/bin/chromium ] || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; }; then
  say "installing chromium and fonts-noto-cjk (Debian) for the browser tests"
  apt-get install -y -qq chromium fonts-noto-cjk >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; } || say "chromium could not be installed; the browser tests will say so"
fi
# The e2e suite also starts the built api and worker processes, exactly as production runs them.
# Jest compiles with swc (no type checks): the type checks of the server, tests and web run here.
say "type-checking (tsc --noEmit: src, workflows, activities, test; web)"
npm run --silent typecheck
npm run --silent typecheck:web
say "building (tsc + workflow bundle)"
npm run --silent build
exec node scripts/run-tests.mjs "$@"
