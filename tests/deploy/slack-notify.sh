#!/usr/bin/env bash
# ci/slack-notify against the local Slack webhook fake (tests/fakes/slack-fake.mjs): the start,
# success and failure messages arrive with the job, build number, revision, failed stage and build
# URL; quotes, newlines and Korean in a stage name survive; a webhook that answers 500 (or is not
# there) makes the script exit non-zero without printing the webhook's URL. Prints TAP.
#
# The checks are single-quoted and eval'ed by check():
# shellcheck disable=SC2016,SC2034
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NOTIFY=${NOTIFY:-$ROOT/ci/slack-notify}
T=$(mktemp -d "${TMPDIR:-/tmp}/slack-notify-test.XXXXXX")
SECRET="/services/T0LONUA/B0CI/s3cr3t$RANDOM$RANDOM"
node "$ROOT/tests/fakes/slack-fake.mjs" --port 0 --hook-path "$SECRET" >"$T/fake.out" 2>&1 &
FAKE=$!
trap 'kill "$FAKE" 2>/dev/null; wait "$FAKE" 2>/dev/null; rm -rf "$T"' EXIT
for _ in $(seq 1 100); do grep -q '^listening ' "$T/fake.out" && break; sleep 0.1; done
PORT=$(sed -n 's/^listening //p' "$T/fake.out")
[ -n "$PORT" ] || { echo "Bail out! the Slack fake did not start: $(cat "$T/fake.out")"; exit 1; }
BASE=http://127.0.0.1:$PORT
export SLACK_WEBHOOK_URL=$BASE$SECRET JOB_NAME=lonua-release BUILD_NUMBER=417
export BUILD_URL=https://jenkins.example/job/lonua-release/417/ GIT_COMMIT=0123456789abcdef0123456789abcdef01234567
STAGE=$'Deploy "green"\n그린 배포 \\ 단계\t(2/3)'

N=0
FAILS=0
check() {
	local name=$1; shift
	N=$((N + 1))
	if "$@"; then echo "ok $N - $name"; else
		FAILS=$((FAILS + 1)); echo "not ok $N - $name"
		echo "# output: $(tr '\n' '|' <"$T/err" | tail -c 400)"
		echo "# received: $(curl -s "$BASE/__fake/log" | tail -c 1200)"
	fi
}
# notify ARGS...: runs the script; its stdout and stderr go to $T/err, its exit status to RC.
notify() { RC=0; "$NOTIFY" "$@" >"$T/err" 2>&1 || RC=$?; }
# got JS: true when the JS expression holds for m, the last message the fake received
# ({ method, path, headers, body, json, status }), with STAGE in the environment.
got() {
	curl -fsS "$BASE/__fake/log" >"$T/log.json"
	STAGE=$STAGE node -e '
		const all = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
		const m = all[all.length - 1], stage = process.env.STAGE;
		const blocks = m && m.json && m.json.blocks ? m.json.blocks.map((b) => b.text.text).join("\n") : "";
		process.exit(m && eval(process.argv[2]) ? 0 : 1);' "$T/log.json" "$1"
}
count() { curl -fsS "$BASE/__fake/log" | node -e 'let s = ""; process.stdin.on("data", (c) => (s += c)).on("end", () => console.log(JSON.parse(s).length))'; }
no_secret() { ! grep -qF "${SECRET#/services/}" "$T/err" && ! grep -qF "$SLACK_WEBHOOK_URL" "$T/err"; }

notify start
check "start: delivered (exit 0), POSTed as JSON to the webhook's path" \
	eval '[ "$RC" = 0 ] && got "m.method === \"POST\" && m.path === \"$SECRET\" && m.status === 200 && /^application\/json/.test(m.headers[\"content-type\"])"'
check "start: names the job, the build number and the revision (12 digits)" \
	got '/started/.test(m.json.text) && m.json.text.includes("lonua-release #417") && m.json.text.includes("(revision 0123456789ab)") && !m.json.text.includes("0123456789abc")'
check "start: the build URL is a link in the blocks" got 'blocks.includes("<https://jenkins.example/job/lonua-release/417/|Build log>")'

notify success
check "success: delivered, says the revision is live" \
	eval '[ "$RC" = 0 ] && got "/succeeded: revision 0123456789ab is live/.test(m.json.text) && blocks.includes(\"lonua-release #417\")"'

notify failure "$STAGE"
check "failure: delivered, names the failed stage" \
	eval '[ "$RC" = 0 ] && got "m.json.text.includes(\"FAILED at stage\") && blocks.includes(\"*Failed stage:* \")"'
check "failure: quotes, a newline, a backslash, a tab and Korean in the stage name survive as they are" \
	got 'm.json.text.includes(`"${stage}"`) && blocks.includes("*Failed stage:* " + stage) && stage.includes("그린 배포") && stage.includes("\n")'
check "failure: the body is valid JSON (the fake parsed it) in UTF-8" got 'm.status === 200 && Buffer.from(m.body, "utf8").includes(Buffer.from("그린", "utf8"))'
FAILED_STAGE='Push <!channel> & co' notify failure
check "failure: the stage may come from FAILED_STAGE; <, > and & cannot make a Slack mention or link" \
	got 'm.json.text.includes("Push &lt;!channel&gt; &amp; co") && !m.body.includes("<!channel>")'

before=$(count)
curl -fsS -X POST -d '{"fail":true}' "$BASE/__fake/config" >/dev/null
notify failure "$STAGE"
check "a webhook answering 500: exit non-zero, says HTTP 500, tried 3 times (curl's retries)" \
	eval '[ "$RC" != 0 ] && grep -q "HTTP 500" "$T/err" && [ "$(count)" = $((before + 3)) ]'
check "a webhook answering 500: the URL and its secret path are not printed" no_secret
curl -fsS -X POST "$BASE/__fake/reset" >/dev/null

SLACK_WEBHOOK_URL="http://127.0.0.1:1${SECRET}" notify start
check "a webhook that is not there: exit non-zero, the URL not printed" \
	eval '[ "$RC" != 0 ] && ! grep -qF "${SECRET#/services/}" "$T/err"'
SLACK_WEBHOOK_URL='' notify start
check "no SLACK_WEBHOOK_URL: exit non-zero with a clear message, nothing sent" \
	eval '[ "$RC" != 0 ] && grep -q "SLACK_WEBHOOK_URL is not set" "$T/err" && [ "$(count)" = 0 ]'
notify deployed
check "an unknown event is refused" eval '[ "$RC" = 2 ] && [ "$(count)" = 0 ]'

echo "1..$N"
[ "$FAILS" = 0 ]
