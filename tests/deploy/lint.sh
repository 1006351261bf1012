#!/usr/bin/env bash
# Runs shellcheck on every shell script of the repository: the tracked files under ci/, tests/,
# build-aux/ and .ci/ (node_modules left out) whose first line is a sh, bash, dash or ksh shebang. One TAP line per
# file; shellcheck's findings (all severities, style included) follow a failing line.
#   bash tests/deploy/lint.sh [DIR]       (DIR: another tree to lint, e.g. a test's copy)
set -euo pipefail

ROOT=$(cd "${1:-$(dirname "$0")/../..}" && pwd)
. "$(dirname "$0")/../../ci/lib.sh"
ensure_packages shellcheck

# The repository's own files (git's list: autoreconf's generated build-aux/ scripts are not
# ours); in a copy that is not a checkout, every file but node_modules.
list_files() {
	if git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
		git -C "$ROOT" ls-files -z -- ci tests build-aux .ci | grep -zv '/node_modules/'
	else
		find ci tests build-aux .ci -name node_modules -prune -o -type f -print0 2>/dev/null
	fi
}

N=0
FAILS=0
scripts=()
while IFS= read -r -d '' f; do
	head -n 1 "$f" | grep -qE '^#! ?(/usr)?/bin/(env +)?(ba|da|k)?sh([[:space:]]|$)' && scripts+=("${f#"$ROOT"/}")
done < <(cd "$ROOT" && list_files | sort -z | sed -z "s|^|$ROOT/|")

N=$((N + 1))
if [ ${#scripts[@]} -ge 5 ]; then echo "ok $N - found ${#scripts[@]} shell scripts by their shebang"; else
	FAILS=$((FAILS + 1)); echo "not ok $N - found only ${#scripts[@]} shell scripts: the search is broken"
fi
for f in "${scripts[@]}"; do
	N=$((N + 1))
	# -x -P SCRIPTDIR: follows `. "$(dirname "$0")/lib.sh"`, so sourced functions are known.
	if out=$(cd "$ROOT" && shellcheck -x -P SCRIPTDIR -f gcc "$f" 2>&1); then
		echo "ok $N - shellcheck $f"
	else
		FAILS=$((FAILS + 1))
		echo "not ok $N - shellcheck $f"
		printf '%s\n' "$out" | head -20 | sed 's/^/# /'
	fi
done
echo "1..$N"
[ "$FAILS" = 0 ]
