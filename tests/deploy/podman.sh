#!/usr/bin/env bash
# The Kubernetes manifests run for real: renders the dev overlay with the images of this revision
# (ci/images), turns it into pods podman can play (tests/deploy/kube-to-podman.mjs: one pod per
# workload, named as its Service, in a podman network of its own), brings up the database, runs
# the migration Job and the demo data Job once, starts the app, lonua jobs and the web tier, and
# runs the release smoke test (ci/smoke) through the web container's published port: the same
# test the pipeline runs against the preview colour. Everything it made is removed at the end.
#
#   tests/deploy/podman.sh          (LONUA_IMAGES_BUILT=1: the images of this revision exist)
#
# Prints TAP. Skips, saying why, only where podman cannot run containers.
set -uo pipefail
# shellcheck source=ci/lib.sh
. "$(dirname "$0")/../../ci/lib.sh"
cd "$LONUA_SRC" || exit 1

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; [ $# -gt 1 ] && printf '%s\n' "$2" | tail -25 | sed 's/^/# /'; }
finish() { echo "1..$n"; exit $((failed > 0)); }

export CONTAINERS_CONF="$LONUA_SRC/ci/containers.conf"
skip() {
	echo "ok 1 - the dev overlay under podman # SKIP $1"
	echo "1..1"
	exit 0
}
command -v podman >/dev/null 2>&1 || skip "podman is not installed (ci/images installs it)"
REV=$(git rev-parse --short=12 HEAD)
if [ "${LONUA_IMAGES_BUILT:-0}" != 1 ]; then
	ci/images app web db >&2 || { not_ok "ci/images builds the images"; finish; }
fi
podman run --rm --network none "localhost/lonua-app:$REV" true >/dev/null 2>&1 \
	|| skip "podman cannot run this revision's app image here (see ci/images' output)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/lonua-podman.XXXXXX")
NET="lonua-smoke-$$"
PLAYED=()
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	local f
	for f in "${PLAYED[@]}"; do podman play kube --down "$f" >/dev/null 2>&1; done
	[ -f "$WORK/podman/volumes.yaml" ] && podman play kube --down "$WORK/podman/volumes.yaml" >/dev/null 2>&1
	for v in $(podman volume ls -q --filter "label=lonua-smoke=$NET" 2>/dev/null); do podman volume rm -f "$v" >/dev/null 2>&1; done
	podman network rm -f "$NET" >/dev/null 2>&1
	rm -rf "$WORK"
}
trap cleanup EXIT

# ---- render the dev overlay with this revision's images ----------------------------------------
mkdir -p "$WORK/overlay" "$WORK/secrets"
cat >"$WORK/overlay/kustomization.yaml" <<EOF
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - $(realpath --relative-to="$WORK/overlay" "$LONUA_SRC/k8s/overlays/dev")
images:
  - {name: localhost/lonua-app, newName: localhost/lonua-app, newTag: "$REV"}
  - {name: localhost/lonua-web, newName: localhost/lonua-web, newTag: "$REV"}
  - {name: localhost/lonua-db, newName: localhost/lonua-db, newTag: "$REV"}
EOF
# (kustomize takes a base outside the folder only by a relative path, and with the load restrictor off)
if out=$(kubectl kustomize --load-restrictor LoadRestrictionsNone "$WORK/overlay" 2>&1 >"$WORK/rendered.yaml"); then
	ok "the dev overlay renders with this revision's images ($REV)"
else
	not_ok "the dev overlay renders with this revision's images ($REV)" "$out"
	finish
fi

# The Secret the operator would create: random values, as files (never in git or a log).
for key in db-root-password db-password db-migrate-password db-backup-password secret-key smtp-password \
	kakao-client-secret portone-imp-secret; do
	head -c 48 /dev/urandom | base64 | tr -d '/+=\n' | head -c 40 >"$WORK/secrets/$key"
done
chmod 755 "$WORK/secrets"
chmod 644 "$WORK/secrets"/*

PORT=$(free_port)
if ! order=$(node tests/deploy/kube-to-podman.mjs --in "$WORK/rendered.yaml" --out "$WORK/podman" \
	--secrets "$WORK/secrets" --web-port "$PORT" 2>&1); then
	not_ok "the rendered overlay converts to podman pods" "$order"
	finish
fi
ok "the rendered overlay converts to podman pods: $(echo "$order" | awk '{print $2}' | tr '\n' ' ')"

podman network create "$NET" >/dev/null || { not_ok "a podman network for the pods"; finish; }
# The claims become volumes of this run (labelled, so that cleanup finds them).
while read -r claim; do
	podman volume create --label "lonua-smoke=$NET" "$claim" >/dev/null
done < <(sed -n 's/^  name: //p' "$WORK/podman/volumes.yaml")

containers_of() { podman pod inspect "$1" --format '{{range .Containers}}{{.Name}}{{"\n"}}{{end}}' 2>/dev/null | grep -v -- '-infra$' | grep .; }
logs_of() { local c; for c in $(containers_of "$1"); do echo "--- $c"; podman logs "$c" 2>&1 | tail -15; done; }

play() { # play FILE: starts its pod
	local file=$1
	PLAYED+=("$file")
	podman play kube --network "$NET" --configmap "$WORK/podman/configmaps.yaml" "$file" >"$WORK/play.log" 2>&1
}

# wait_db NAME: until the database answers over TCP (its entrypoint first runs a socket-only
# server to create the users; the migration must not start before the real one listens).
wait_db() {
	local c
	c=$(containers_of "$1" | head -1)
	for _ in $(seq 1 120); do
		podman exec "$c" mariadb-admin --no-defaults --protocol=tcp -h 127.0.0.1 -u nobody ping >/dev/null 2>&1 && return 0
		sleep 0.5
	done
	return 1
}

while read -r kind name file; do
	if ! play "$WORK/podman/$file"; then
		not_ok "$kind $name starts" "$(cat "$WORK/play.log")"
		finish
	fi
	case $kind in
	job)
		rc=0
		for c in $(containers_of "$name"); do
			code=$(timeout 300 podman wait "$c" 2>/dev/null) || code=timeout
			[ "$code" = 0 ] || rc=$code
		done
		if [ "$rc" = 0 ]; then ok "the Job $name ran to completion"; else not_ok "the Job $name ran to completion (exit $rc)" "$(logs_of "$name")"; finish; fi
		;;
	pod)
		if [ "$(podman pod inspect "$name" --format '{{.State}}')" != Running ]; then
			not_ok "$name runs" "$(logs_of "$name")"
			finish
		fi
		case $name in
		*-db)
			if wait_db "$name"; then ok "$name runs and answers on 3306"; else not_ok "$name answers on 3306" "$(logs_of "$name")"; finish; fi
			;;
		*) ok "$name runs" ;;
		esac
		;;
	esac
done <<<"$order"

# ---- through the web container --------------------------------------------------------------
BASE="http://127.0.0.1:$PORT"
ready=
for _ in $(seq 1 120); do
	[ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/readyz")" = 200 ] && { ready=1; break; }
	sleep 0.5
done
if [ -n "$ready" ]; then ok "GET /readyz through the web container: 200"; else
	not_ok "GET /readyz through the web container: 200" "$(for p in $(echo "$order" | awk '{print $2}'); do logs_of "$p"; done)"
	finish
fi

smoke=$(ci/smoke "$BASE" 2>&1)
smoke_rc=$?
# The smoke test's own lines, renumbered into this plan.
while IFS= read -r line; do
	case $line in
	"ok "*) ok "smoke: ${line#ok * - }" ;;
	"not ok "*) not_ok "smoke: ${line#not ok * - }" ;;
	"# "*) echo "$line" ;;
	esac
done <<<"$smoke"
[ "$smoke_rc" = 0 ] || { echo "# the pods' logs:"; for p in $(echo "$order" | awk '{print $2}'); do logs_of "$p" | sed 's/^/# /'; done; }

# No secret value reaches a container's log.
leaked=
for p in $(echo "$order" | awk '{print $2}'); do
	for c in $(containers_of "$p"); do
		for s in "$WORK/secrets"/*; do podman logs "$c" 2>&1 | grep -qF "$(cat "$s")" && leaked+=" $c:$(basename "$s")"; done
	done
done
if [ -z "$leaked" ]; then ok "no secret value in any container's log"; else not_ok "no secret value in any container's log:$leaked"; fi

finish
