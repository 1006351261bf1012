#!/usr/bin/env bash
# The guests' micro-cache (nginx/lonua-common.conf, src/server/worker.c shared_answer) on a
# stack of its own: a second `lonua serve` with LONUA_PAGE_CACHE_SECONDS=1 and its own nginx,
# on the same database as the main test stack (which runs with the cache off, as its suites
# change the catalogue and read it back at once). Runs tests/integration/page-cache.test.mjs.
#   page-cache.sh BUILD_DIR      (LONUA_DB_*, LONUA_SECRET_KEY_FILE and LONUA_DB_ROOT_SOCKET set)
# Prints TAP.
set -uo pipefail
. "$(dirname "$0")/../../ci/lib.sh"
BUILD=$(cd "${1:?usage: page-cache.sh BUILD_DIR}" && pwd)
RUN=$(mktemp -d "${TMPDIR:-/tmp}/lonua-page-cache.XXXXXX")
chmod 755 "$RUN"
trap 'stop_nginx "$RUN"; stop_pidfile "$RUN/lonua.pid"; rm -rf "$RUN"' EXIT
PORT=$(free_port)
# start_lonua would share the main stack's media folder: pictures are not this suite's concern.
LONUA_PAGE_CACHE_SECONDS=1 LONUA_WORKERS=2 LONUA_PUBLIC_URL="http://127.0.0.1:$PORT" start_lonua "$BUILD" "$RUN"
start_nginx "$RUN" "$PORT" "$BUILD"
LONUA_BASE_URL="http://127.0.0.1:$PORT" LONUA_RUN_DIR="$RUN" node "$LONUA_SRC/tests/integration/page-cache.test.mjs"
