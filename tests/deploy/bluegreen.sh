#!/usr/bin/env bash
# ci/bluegreen against the fake kubectl (tests/deploy/fake-kubectl.cjs), which records every call and
# answers like a cluster from a state file: a good release switches; a failing rollout or a failed
# smoke test never switches; rollback restores the previous selector; status; the live colour is
# never deployed onto; the migration Job. Prints TAP.
#   bash tests/deploy/bluegreen.sh        (BLUEGREEN=path runs another copy of the script)
#
# The checks are single-quoted and eval'ed by check(), after each step:
# shellcheck disable=SC2016
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BLUEGREEN=${BLUEGREEN:-$ROOT/ci/bluegreen}
T=$(mktemp -d "${TMPDIR:-/tmp}/bluegreen-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
export FAKE_KUBECTL_STATE=$T/state.json FAKE_KUBECTL_LOG=$T/calls.log FAKE_KUBECTL_APPLIED=$T/applied.yaml
export KUBECTL=$ROOT/tests/deploy/fake-kubectl.cjs LONUA_NAMESPACE=lonua LONUA_SMOKE=$T/smoke
export LONUA_REGISTRY=localhost LONUA_ROLLOUT_TIMEOUT=5s LONUA_MIGRATE_TIMEOUT=5s LONUA_OVERLAY=$T/overlay

# The smoke test: asks the forwarded preview Service who answers (the fake answers with the colour
# it selects and that colour's images) and records it; fails on any status but 200.
cat >"$T/smoke" <<'EOF'
#!/usr/bin/env bash
set -euo pipefail
echo "url $1" >>"${FAKE_KUBECTL_STATE%/*}/smoke.log"
curl -fsS --max-time 5 "$1/" >>"${FAKE_KUBECTL_STATE%/*}/smoke.log"
echo >>"${FAKE_KUBECTL_STATE%/*}/smoke.log"
EOF
chmod +x "$T/smoke"

N=0
FAILS=0
ok() { N=$((N + 1)); echo "ok $N - $1"; }
not_ok() { N=$((N + 1)); FAILS=$((FAILS + 1)); echo "not ok $N - $1"; shift; for l in "$@"; do echo "# $l"; done; }
# check NAME COMMAND...: one TAP line from a command's exit status; on failure the last run's output.
check() {
	local name=$1; shift
	if "$@"; then ok "$name"; else not_ok "$name" "stderr: $(tr '\n' '|' <"$T/err" | tail -c 600)" "calls: $(tr '\n' '|' <"$T/calls.log" | tail -c 900)"; fi
}

# A cluster with blue live (2 replicas of aaa111) and green idle and scaled to 0 (old000).
fresh() {
	cat >"$T/state.json" <<-'EOF'
	{ "namespace": "lonua",
	  "services": {
	    "lonua-web": { "selector": { "app.kubernetes.io/name": "lonua", "app.kubernetes.io/component": "web", "colour": "blue" }, "annotations": {} },
	    "lonua-web-preview": { "selector": { "app.kubernetes.io/name": "lonua", "app.kubernetes.io/component": "web", "colour": "green" }, "annotations": {} }
	  },
	  "deployments": {
	    "lonua-app-blue":  { "replicas": 2, "containers": [{ "name": "app", "image": "localhost/lonua-app:aaa111" }] },
	    "lonua-web-blue":  { "replicas": 2, "containers": [{ "name": "web", "image": "localhost/lonua-web:aaa111" }] },
	    "lonua-app-green": { "replicas": 0, "containers": [{ "name": "app", "image": "localhost/lonua-app:old000" }] },
	    "lonua-web-green": { "replicas": 0, "containers": [{ "name": "web", "image": "localhost/lonua-web:old000" }] },
	    "lonua-jobs":      { "replicas": 1, "containers": [{ "name": "jobs", "image": "localhost/lonua-app:aaa111" }] }
	  },
	  "rendered": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lonua-config-abc\n  namespace: lonua\n---\napiVersion: batch/v1\nkind: Job\nmetadata:\n  labels:\n    app.kubernetes.io/component: migrate\n  name: lonua-migrate\n  namespace: lonua\nspec:\n  template:\n    spec:\n      containers:\n      - args:\n        - migrate\n        image: registry.example/lonua-app:0123456789ab\n        name: migrate\n---\napiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: lonua-grades\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n          - image: registry.example/lonua-app:0123456789ab\n"
	}
	EOF
	: >"$T/calls.log"
	: >"$T/smoke.log"
	rm -f "$T/applied.yaml"
}
# knob JS: changes the state, e.g. knob 's.failRollout = ["lonua-web-green"]'
knob() { node -e 'const fs = require("fs"); const f = process.argv[1]; const s = JSON.parse(fs.readFileSync(f, "utf8")); eval(process.argv[2]); fs.writeFileSync(f, JSON.stringify(s))' "$T/state.json" "$1"; }
# st JS: prints a value of the state, e.g. st 's.services["lonua-web"].selector.colour'
st() { node -e 'const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); const v = eval(process.argv[2]); console.log(v === undefined || v === null ? "" : typeof v === "object" ? JSON.stringify(v) : v)' "$T/state.json" "$1"; }
live() { st 's.services["lonua-web"].selector.colour'; }
preview() { st 's.services["lonua-web-preview"].selector.colour'; }
image() { st "s.deployments[\"$1\"].containers[0].image"; }
# bg ARGS...: runs ci/bluegreen; output in $T/out and $T/err, exit status in RC.
bg() { RC=0; "$BLUEGREEN" "$@" >"$T/out" 2>"$T/err" || RC=$?; }
called() { grep -qE -- "$1" "$T/calls.log"; }
# line_of PATTERN: the line number of the first call matching PATTERN (0 when none).
line_of() { local n; n=$(grep -nE -- "$1" "$T/calls.log" | head -1 | cut -d: -f1); echo "${n:-0}"; }
# in_order PATTERN...: every pattern is called, each after the one before.
in_order() {
	local prev=0 n p
	for p in "$@"; do
		n=$(line_of "$p")
		[ "$n" -gt "$prev" ] || { echo "# out of order or missing: $p" >&2; return 1; }
		prev=$n
	done
}

# --- a good release -----------------------------------------------------------------------------
fresh
bg deploy green bbb222
check "deploy green bbb222 succeeds while blue is live" [ "$RC" = 0 ]
check "deploy sets the images on green only (app and web), tagged bbb222" \
	eval '[ "$(image lonua-app-green)" = localhost/lonua-app:bbb222 ] && [ "$(image lonua-web-green)" = localhost/lonua-web:bbb222 ] &&
	[ "$(image lonua-app-blue)" = localhost/lonua-app:aaa111 ] && [ "$(image lonua-web-blue)" = localhost/lonua-web:aaa111 ] &&
	! called "set image deployment/lonua-(app|web)-blue"'
check "deploy scales green up from 0 to the live colour's 2 replicas" \
	eval '[ "$(st "s.deployments[\"lonua-app-green\"].replicas")" = 2 ] && [ "$(st "s.deployments[\"lonua-web-green\"].replicas")" = 2 ]'
check "deploy: set image, scale, rollout status (with a timeout), preview, port-forward, in this order" \
	in_order "-n lonua set image deployment/lonua-app-green app=localhost/lonua-app:bbb222" \
	"-n lonua set image deployment/lonua-web-green web=localhost/lonua-web:bbb222" \
	"-n lonua scale deployment/lonua-app-green --replicas=2" \
	"-n lonua rollout status deployment/lonua-app-green --timeout=5s" \
	"-n lonua rollout status deployment/lonua-web-green --timeout=5s" \
	"-n lonua patch service lonua-web-preview .*\"colour\":\"green\"" \
	"-n lonua port-forward .*service/lonua-web-preview :80"
check "the smoke test ran through the preview Service against green's new images" \
	grep -qF '"colour":"green","path":"/","web":"localhost/lonua-web:bbb222","app":"localhost/lonua-app:bbb222"' "$T/smoke.log"
check "deploy alone does not switch: live is still blue" [ "$(live)" = blue ]
check "the live colour is read from the Service's selector before anything is changed" \
	in_order "-n lonua get service lonua-web -o jsonpath=\{\.spec\.selector\.colour\}" "set image"
check "every call names the namespace" eval '! grep -v -- "^kubectl -n lonua " "$T/calls.log" | grep -q .'
bg promote
check "promote succeeds" [ "$RC" = 0 ]
check "promote switches the live selector to green and keeps its other keys" \
	eval '[ "$(live)" = green ] && [ "$(st "s.services[\"lonua-web\"].selector[\"app.kubernetes.io/component\"]")" = web ]'
check "promote points the preview at the old colour (blue) and records it as previous" \
	eval '[ "$(preview)" = blue ] && [ "$(st "s.services[\"lonua-web\"].annotations[\"lonua/previous-colour\"]")" = blue ]'
check "promote keeps blue running (2 replicas, old images) for an instant rollback" \
	eval '[ "$(st "s.deployments[\"lonua-app-blue\"].replicas")" = 2 ] && [ "$(image lonua-app-blue)" = localhost/lonua-app:aaa111 ]'
check "promote moves lonua-jobs to bbb222, after the switch" \
	eval '[ "$(image lonua-jobs)" = localhost/lonua-app:bbb222 ] &&
	in_order "patch service lonua-web --type merge -p .*\"colour\":\"green\"" "set image deployment/lonua-jobs jobs=localhost/lonua-app:bbb222" "rollout status deployment/lonua-jobs"'
bg promote
check "promoting twice is refused (blue was never verified) and changes nothing" \
	eval '[ "$RC" != 0 ] && grep -q "check verified" "$T/err" && [ "$(live)" = green ]'

# --- status ------------------------------------------------------------------------------------
bg status
check "status prints the live and idle colours and each colour's images" \
	eval '[ "$RC" = 0 ] && grep -qE "^live: +green" "$T/out" && grep -qE "^idle: +blue" "$T/out" &&
	grep -qE "^green +lonua-app-green +localhost/lonua-app:bbb222" "$T/out" && grep -qE "^blue +lonua-web-blue +localhost/lonua-web:aaa111" "$T/out" &&
	grep -qE "^previous colour: blue" "$T/out"'

# --- rollback ----------------------------------------------------------------------------------
: >"$T/calls.log"
bg rollback
check "rollback restores the previous selector (blue), the preview to green, and the jobs' image" \
	eval '[ "$RC" = 0 ] && [ "$(live)" = blue ] && [ "$(preview)" = green ] && [ "$(image lonua-jobs)" = localhost/lonua-app:aaa111 ] &&
	[ "$(st "s.services[\"lonua-web\"].annotations[\"lonua/previous-colour\"]")" = green ]'
check "rollback changes no image of either colour" \
	eval '! called "set image deployment/lonua-(app|web)-" && [ "$(image lonua-app-green)" = localhost/lonua-app:bbb222 ]'
bg rollback
check "a second rollback goes forward again (green), from the annotation alone" eval '[ "$RC" = 0 ] && [ "$(live)" = green ]'
bg retire
check "retire scales the idle colour (blue) to 0, never the live one" \
	eval '[ "$RC" = 0 ] && [ "$(st "s.deployments[\"lonua-app-blue\"].replicas")" = 0 ] && [ "$(st "s.deployments[\"lonua-app-green\"].replicas")" = 2 ]'
: >"$T/calls.log"
bg rollback
check "rollback onto a retired colour scales it up and waits for it before switching" \
	eval '[ "$RC" = 0 ] && [ "$(live)" = blue ] && in_order "scale deployment/lonua-app-blue --replicas=2" "rollout status deployment/lonua-web-blue" "patch service lonua-web "'

# --- a failing rollout never switches -----------------------------------------------------------
fresh
knob 's.failRollout = ["lonua-web-green"]'
bg deploy bbb222
check "a failing rollout: deploy exits non-zero and names the step" \
	eval '[ "$RC" != 0 ] && grep -q "FAILED at step \"rollout\": deployment/lonua-web-green" "$T/err"'
check "a failing rollout: no smoke test, no patch, live still blue, preview untouched" \
	eval '! called "port-forward" && ! called "patch service" && [ "$(live)" = blue ] && [ ! -s "$T/smoke.log" ]'
bg promote
check "a failing rollout: promote afterwards is refused, live still blue" \
	eval '[ "$RC" != 0 ] && grep -q "check verified" "$T/err" && [ "$(live)" = blue ] && ! called "patch service lonua-web "'

# --- a failed smoke test never switches ---------------------------------------------------------
fresh
knob 's.broken = ["green"]'
bg deploy bbb222
check "a failed smoke test: deploy exits non-zero and names the step" \
	eval '[ "$RC" != 0 ] && grep -q "FAILED at step \"smoke test\"" "$T/err" && called "port-forward"'
check "a failed smoke test: live still blue, nothing recorded as verified" \
	eval '[ "$(live)" = blue ] && ! called "patch service lonua-web " && [ -z "$(st "s.services[\"lonua-web-preview\"].annotations[\"lonua/verified\"]")" ]'
export port
port=$(sed -n 's/^url http:\/\/127\.0\.0\.1:\([0-9]*\)$/\1/p' "$T/smoke.log")
check "a failed smoke test: the port-forward is stopped" eval '[ -n "$port" ] && ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null'
bg promote
check "a failed smoke test: promote afterwards is refused" eval '[ "$RC" != 0 ] && [ "$(live)" = blue ]'
knob 's.broken = []'
bg deploy bbb222
bg promote
check "fixed, deployed again: promote switches" eval '[ "$RC" = 0 ] && [ "$(live)" = green ]'

# --- refusing the live colour, bad input ---------------------------------------------------------
fresh
bg deploy blue ccc333
check "deploy onto the live colour is refused before any change" \
	eval '[ "$RC" != 0 ] && grep -q "blue is the live colour" "$T/err" && ! called "set image" && ! called annotate'
bg deploy bbb222
check "deploy IMAGE chooses the idle colour (green)" eval '[ "$RC" = 0 ] && [ "$(image lonua-web-green)" = localhost/lonua-web:bbb222 ]'
fresh
bg deploy green registry.example/shop/lonua-app:ddd444
check "deploy with a full image reference uses its registry for app and web" \
	eval '[ "$RC" = 0 ] && [ "$(image lonua-web-green)" = registry.example/shop/lonua-web:ddd444 ] && [ "$(image lonua-app-green)" = registry.example/shop/lonua-app:ddd444 ]'
fresh
bg deploy green latest
check "the tag latest is refused" eval '[ "$RC" != 0 ] && ! called "set image"'
fresh
knob 's.services["lonua-web"].selector.colour = "purple"'
bg deploy bbb222
check "a live selector that is neither blue nor green stops everything" eval '[ "$RC" != 0 ] && grep -q purple "$T/err" && ! called "set image"'
fresh
LONUA_NAMESPACE=lonua-dev bg status
check "LONUA_NAMESPACE is used (the fake cluster has no lonua-dev: the call fails)" \
	eval '[ "$RC" != 0 ] && called "^kubectl -n lonua-dev get service lonua-web"'

# --- the migration Job ---------------------------------------------------------------------------
fresh
bg migrate bbb222
check "migrate applies the overlay's Job lonua-migrate with the new image and waits for it" \
	eval '[ "$RC" = 0 ] && grep -qx "        image: localhost/lonua-app:bbb222" "$T/applied.yaml" && grep -q "^kind: Job" "$T/applied.yaml" &&
	! grep -q "kind: CronJob\|kind: ConfigMap" "$T/applied.yaml" &&
	in_order "delete job lonua-migrate --ignore-not-found" "-n lonua apply -f -" "wait --for=condition=complete job/lonua-migrate --timeout=5s"'
knob 's.failJob = ["lonua-migrate"]'
SECONDS=0
bg migrate bbb222
# (The fake's waits that are not met end after 6 s: under 5 s, none was waited for to the end.)
check "a failed migration Job exits non-zero at once (not at the timeout) with its log" \
	eval '[ "$RC" != 0 ] && grep -q "FAILED at step \"migration\": job/lonua-migrate failed" "$T/err" && grep -q "fake log line" "$T/err" &&
	[ "$SECONDS" -lt 5 ]'

echo "1..$N"
[ "$FAILS" = 0 ]
