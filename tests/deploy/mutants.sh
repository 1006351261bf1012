#!/usr/bin/env bash
# Shows that the deploy tests can fail: each mutant is a copy of ci/bluegreen or ci/slack-notify
# with one deliberate fault (a sed expression), and the matching test must report at least one
# `not ok` against it. Not part of ci/test (it runs every test once per mutant); run it by hand
# after changing the scripts or their tests:
#   bash tests/deploy/mutants.sh            prints TAP: "ok N - caught: …" per mutant
# Three mutants run at a time (MUTANT_JOBS).
#
# The sed expressions are single-quoted on purpose:
# shellcheck disable=SC2016
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/deploy-mutants.XXXXXX")
trap 'rm -rf "$T"' EXIT
N=0
FAILS=0

# mutant SCRIPT TEST VAR 'SED EXPRESSION' DESCRIPTION: TEST (run with VAR=the mutant) must fail.
# Runs in the background; its TAP line goes to $T/N.result.
mutant() {
	local script=$1 test=$2 var=$3 expr=$4 what=$5 n copy
	N=$((N + 1))
	n=$N
	mkdir -p "$T/$n"
	copy=$T/$n/$(basename "$script")
	sed -e "$expr" "$ROOT/$script" >"$copy"
	chmod +x "$copy"
	while [ "$(jobs -rp | wc -l)" -ge "${MUTANT_JOBS:-3}" ]; do sleep 0.2; done
	(
		if cmp -s "$copy" "$ROOT/$script"; then
			echo "not ok $n - mutant not applied (the sed matched nothing): $what"
		elif env "$var=$copy" bash "$ROOT/$test" >"$T/$n/out" 2>&1; then
			echo "not ok $n - NOT caught: $what"
		else
			echo "ok $n - caught: $what ($(grep -c '^not ok' "$T/$n/out") failing, first: $(grep -m1 '^not ok' "$T/$n/out" | cut -c1-100))"
		fi >"$T/$n.result"
	) &
}

B=ci/bluegreen BT=tests/deploy/bluegreen.sh
mutant $B $BT BLUEGREEN 's/^\(\t*\)fail "check verified"/\1: /' "promote without the deploy's verification"
mutant $B $BT BLUEGREEN 's/|| fail "rollout" .*/|| true/' "a failing rollout ignored"
mutant $B $BT BLUEGREEN 's/^\(\t\tfail "smoke test" "the smoke test failed\)/\t\t: \1/' "a failed smoke test ignored"
mutant $B $BT BLUEGREEN 's/^\(\t*\)stop_forward$/\1:/; s/trap .stop_forward; rm -f "\$log". EXIT/:/' "the port-forward left running"
mutant $B $BT BLUEGREEN 's/^\tlive=\$(live_colour)$/\tlive=$( [ $((${BUILD_NUMBER:-1} % 2)) = 0 ] \&\& echo green || echo blue)/' "the live colour from build-number parity"
mutant $B $BT BLUEGREEN 's/set_image "lonua-web-\$idle"/set_image "lonua-web-$live"/' "web's image set on the live colour"
mutant $B $BT BLUEGREEN 's/"{\\"metadata\\":{\\"annotations\\":{\\"lonua\/verified\\":null}},\\"spec\\":{\\"selector\\":{\\"colour\\":\\"\$old\\"}}}"/"{}"/' "the preview not pointed at the old colour"
mutant $B $BT BLUEGREEN 's/\[ "\$colour" != "\$live" \] || fail/: || fail/' "deploying onto the live colour allowed"
mutant $B $BT BLUEGREEN 's/^\tswitch "\$idle" "\$live"$/\tmove_jobs "$idle"; switch "$idle" "$live"/' "lonua-jobs moved before the switch"
mutant $B $BT BLUEGREEN 's/^\(\tscale_up "lonua-app-\$idle"\)/\t: \1/' "the idle colour left at 0 replicas"
mutant $B $BT BLUEGREEN 's/"\$c" "\$d" "\$(image_of "\$d")"/"$c" "$d" "-"/' "status without the images"
mutant $B $BT BLUEGREEN 's/-p "{\\"metadata\\":{\\"annotations\\":{\\"lonua\/previous-colour\\":\\"\$old\\"}},/-p "{/' "the previous colour not recorded"
mutant $B $BT BLUEGREEN 's/^\(\tjob=\$(printf .%s\\n. "\$job" | sed -E\)/\tjob=$job #/' "the migration Job applied with the overlay's old image"
mutant $B $BT BLUEGREEN 's/--timeout="\$ROLLOUT_TIMEOUT"//' "rollout status without a timeout"
mutant $B $BT BLUEGREEN 's/^\tkill "\$complete" "\$failed".*/\t:/' "the other migration wait left running (waited for)"
mutant $B $BT BLUEGREEN 's/^\(\t"\${KC\[@\]}" -n "\$NS" wait --for=condition=\)failed/\1complete/' "a failed migration noticed only at the timeout"

S=ci/slack-notify ST=tests/deploy/slack-notify.sh
mutant $S $ST NOTIFY 's/^\ts=\${s\/\/\$.\\n.\/\\\\n}$/\t:/' "newlines not escaped in JSON"
mutant $S $ST NOTIFY 's/^\ts=\${s\/\/\\"\/\\\\\\"}$/\t:/' "quotes not escaped in JSON"
mutant $S $ST NOTIFY 's/^\(\t\)exit 1$/\1exit 0/' "a failed post exits 0"
mutant $S $ST NOTIFY 's/^\(\techo "slack-notify: the \$EVENT message was not delivered: \)/\1$hook /' "the webhook URL printed on failure"
mutant $S $ST NOTIFY 's/^mrkdwn() {.*/mrkdwn() { printf "%s" "$1"; }/' "<!channel> passed to Slack as it is"
mutant $S $ST NOTIFY 's/failure) head="FAILED at stage .*"; icon/failure) head="FAILED"; icon/' "the failed stage not named"
mutant $S $ST NOTIFY 's/REV=\${REV:0:12}/:/' "the whole 40-digit revision"

wait
for i in $(seq 1 "$N"); do cat "$T/$i.result"; done
FAILS=$(cat "$T"/*.result | grep -c '^not ok' || true)

# The lint test against a copy of the tree with one script that shellcheck rejects.
N=$((N + 1))
mkdir -p "$T/tree"
cp -a "$ROOT/ci" "$ROOT/.ci" "$ROOT/build-aux" "$T/tree/"
mkdir -p "$T/tree/tests"
printf '#!/bin/sh\nrm -rf $1/*\n' >"$T/tree/ci/bad-script"
if bash "$ROOT/tests/deploy/lint.sh" "$T/tree" >"$T/out" 2>&1; then
	FAILS=$((FAILS + 1)); echo "not ok $N - NOT caught: an unquoted \$1 in ci/bad-script"
elif grep -q '^not ok .* ci/bad-script' "$T/out" && [ "$(grep -c '^not ok' "$T/out")" = 1 ]; then
	echo "ok $N - caught: an unquoted \$1 in ci/bad-script (and nothing else)"
else
	FAILS=$((FAILS + 1)); echo "not ok $N - lint failed, but not (only) on ci/bad-script"; sed 's/^/# /' "$T/out" | head
fi
echo "1..$N"
[ "$FAILS" = 0 ]
