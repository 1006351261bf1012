#!/usr/bin/env bash
# Shows that each check of k8s.test.mjs can fail: breaks one manifest at a time in a copy of k8s/
# and expects the named test to fail on it. Prints TAP; not part of ci/test (it renders every
# overlay again for each case, a minute or two).
#   bash tests/deploy/k8s-mutations.sh
set -euo pipefail
SRC=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/k8s-mutations.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
n=0
failed=0
# copy DIR: the files the test reads (not ci/backup/: the scripts are checked by name only).
copy() {
	mkdir -p "$1/src"
	cp -r "$SRC/k8s" "$SRC/.yamllint" "$1/"
	cp "$SRC/src/main.c" "$1/src/"
}
# The unbroken copy: a test that fails already proves nothing when it fails on an edit.
copy "$WORK/0"
BASELINE=$(LONUA_K8S_ROOT=$WORK/0 node "$SRC/tests/deploy/k8s.test.mjs" || true)

# mutate LABEL FILE SED-EXPRESSION EXPECTED: EXPECTED is a part of the name of the test that must fail.
mutate() {
	local label=$1 file=$2 expr=$3 expected=$4 root out
	n=$((n + 1))
	if grep -E '^not ok' <<<"$BASELINE" | grep -qF -- "$expected"; then
		echo "not ok $n - $label: \"$expected\" fails without the edit too"
		failed=$((failed + 1))
		return
	fi
	root="$WORK/$n"
	copy "$root"
	sed -i -e "$expr" "$root/$file"
	if cmp -s "$root/$file" "$SRC/$file"; then
		echo "not ok $n - $label (the edit changed nothing)"
		failed=$((failed + 1))
		return
	fi
	out=$(LONUA_K8S_ROOT=$root node "$SRC/tests/deploy/k8s.test.mjs" || true)
	if grep -E '^not ok' <<<"$out" | grep -qF -- "$expected"; then
		echo "ok $n - $label fails \"$expected\""
	else
		echo "not ok $n - $label: \"$expected\" did not fail"
		failed=$((failed + 1))
	fi
}

mutate "a missing resource in dev" k8s/overlays/dev/kustomization.yaml 's|  - ../../base|  - ../../base\n  - missing.yaml|' "overlay dev renders"
mutate "jobs' replicas a string" k8s/base/jobs.yaml 's/  replicas: 1/  replicas: "one"/' "overlay prod: every object validates"
mutate "a misspelt field deep in a pod" k8s/base/jobs.yaml '0,/sizeLimit: 64Mi/s//sizelimit: 64Mi/' "overlay prod: every object validates"
mutate "a misspelt field in an HPA" k8s/base/autoscaling.yaml '0,/stabilizationWindowSeconds: 300/s//stabilisationWindowSeconds: 300/' "overlay prod: every object validates"
mutate "a misspelt top-level field" k8s/base/ingress.yaml 's/^spec:/specs:/' "overlay prod: every object validates"
mutate "the removed API autoscaling/v2beta2" k8s/base/autoscaling.yaml '0,/autoscaling\/v2$/s//autoscaling\/v2beta2/' "overlay prod: every object validates"
mutate "trailing spaces" k8s/base/web.yaml 's/^  name: lonua-web$/  name: lonua-web   /' "yamllint passes"
mutate "no Ingress" k8s/base/kustomization.yaml '/  - ingress.yaml/d' "prod holds every kind"
mutate "jobs without readiness" k8s/base/jobs.yaml 's/readinessProbe:/startupProbe:/' "prod: every long-running container has a liveness and a readiness probe"
mutate "web's liveness on /readyz" k8s/base/web.yaml '0,/path: \/nginx-healthz/s//path: \/readyz/' "prod: every long-running container has a liveness"
mutate "memory 1024m (the reference's fault)" k8s/base/web.yaml '0,/memory: 64Mi/s//memory: 1024m/' "prod: every container requests and limits"
mutate "cpu 5m" k8s/base/jobs.yaml 's/cpu: 50m/cpu: 5m/' "prod: every container requests and limits"
mutate "8 workers in 128Mi" k8s/base/lonua.env 's/^LONUA_WORKERS=4/LONUA_WORKERS=8/' "prod: the app's memory holds"
mutate "a writable root" k8s/base/jobs.yaml 's/readOnlyRootFilesystem: true/readOnlyRootFilesystem: false/' "prod: every pod runs as a numeric non-root user"
mutate "runAsNonRoot false" k8s/base/migrate.yaml 's/runAsNonRoot: true/runAsNonRoot: false/' "prod: every pod runs as a numeric non-root user"
mutate "latest in dev" k8s/overlays/dev/kustomization.yaml '0,/newTag: dev/s//newTag: latest/' "dev: every image is tagged"
mutate "replicas next to an HPA" k8s/base/app.yaml '0,/  revisionHistoryLimit: 5/s//  replicas: 2\n  revisionHistoryLimit: 5/' "prod: Deployments under an HPA"
mutate "prod's PDBs keep maxUnavailable" k8s/overlays/prod/kustomization.yaml '/op: remove/,+1d' "prod: Deployments under an HPA"
mutate "a missing claim" k8s/base/web.yaml '0,/claimName: lonua-media/s//claimName: lonua-medai/' "prod: every namespaced object is in the overlay's namespace"
mutate "a value in the Secret template" k8s/secrets/lonua-secrets.template.yaml 's/^type: Opaque/type: Opaque\nstringData:\n  db-password: hunter2/' "Secrets in git hold no data"
mutate "service links on" k8s/base/jobs.yaml 's/enableServiceLinks: false/enableServiceLinks: true/' "prod: every namespaced object is in the overlay's namespace"
mutate "a ConfigMap key also in env" k8s/base/lonua.env 's/^LONUA_DB_NAME=lonua/LONUA_DB_NAME=lonua\nLONUA_DB_USER=lonua/' "prod: every namespaced object is in the overlay's namespace"
mutate "a password in the ConfigMap" k8s/base/lonua.env 's/^LONUA_SMTP_USER=/LONUA_SMTP_PASSWORD=hunter2\nLONUA_SMTP_USER=/' "Secrets in git hold no data"
mutate "an undocumented secret key" k8s/base/jobs.yaml 's/- key: smtp-password/- key: smtp-pass/' "every secret volume takes keys"
mutate "preview selects blue" k8s/base/web.yaml '0,/colour: green/s//colour: blue/' "the live and preview Services select different colours"
mutate "app from web on 9001" k8s/base/network-policies.yaml 's/port: 9000/port: 9001/' "NetworkPolicies"
mutate "jobs not a db-client" k8s/base/jobs.yaml '/lonua\/db-client/d' "NetworkPolicies"
mutate "no default deny" k8s/base/network-policies.yaml '0,/  podSelector: {}/s//  podSelector: {matchLabels: {x: y}}/' "NetworkPolicies"
mutate "LONUA_REAL_IP_FROM not a CIDR" k8s/base/lonua.env 's|^LONUA_REAL_IP_FROM=.*|LONUA_REAL_IP_FROM=ingress|' "LONUA_REAL_IP_FROM is a CIDR"
mutate "externalTrafficPolicy Cluster" k8s/components/metallb/kustomization.yaml 's/externalTrafficPolicy: Local/externalTrafficPolicy: Cluster/' "prod-metallb"
mutate "the pool outside metallb-system" k8s/components/metallb/address-pool.yaml '0,/namespace: metallb-system/s//namespace: lonua/' "overlay prod-metallb: every object validates"
mutate "not a lonua subcommand" k8s/base/cronjobs.yaml 's/"orders", "expire"/"orders", "expires"/' "every CronJob runs a real lonua subcommand"
mutate "concurrencyPolicy Allow" k8s/base/backups.yaml '0,/concurrencyPolicy: Forbid/s//concurrencyPolicy: Allow/' "every CronJob runs a real lonua subcommand"
mutate "a CronJob in UTC" k8s/base/cronjobs.yaml '0,/timeZone: Asia\/Seoul/s//timeZone: UTC/' "every CronJob runs a real lonua subcommand"

echo "1..$n"
[ "$failed" = 0 ]
