#!/bin/sh
# build-dist.sh SRC OUT: copy every file under SRC into OUT with a content hash in its name
# (css/site.css -> css/site.<first 10 hex of sha256>.css), write OUT/manifest.json mapping
# source paths to hashed paths, and delete whatever else is in OUT. Hashed names let nginx
# cache /dist/ forever; the worker reads manifest.json to print the current URLs.
# Text files (css, js, svg, json, txt) also get a gzip -9 copy (NAME.gz) for nginx's gzip_static.
# POSIX sh + sha256sum + gzip. Output depends only on SRC's contents, so builds are reproducible.
set -eu

die() { echo "build-dist.sh: $*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: build-dist.sh SRC OUT"
[ -d "$1" ] || die "source directory not found: $1"
export LC_ALL=C
umask 022

src=$(cd "$1" && pwd -P)
created=
[ -d "$2" ] || created=yes
mkdir -p "$2" || die "cannot create $2"
out=$(cd "$2" && pwd -P)
case "$out/" in
"$src"/*)
	[ -z "$created" ] || rmdir "$out"
	die "OUT ($out) must not be inside SRC ($src)"
	;;
esac
case "$src/" in
"$out"/*) die "SRC ($src) must not be inside OUT ($out)" ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/build-dist.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$work"' EXIT
trap 'exit 1' HUP INT TERM

# Hidden files and folders (.gitkeep, editor swap files) are never published.
(cd "$src" && find . -name '.?*' -prune -o -type f -print) >"$work/found"
sed 's|^\./||' "$work/found" | sort >"$work/files"

# manifest.json is written by hand, so only plain names are allowed (no JSON escaping needed,
# no surprises in URLs).
if grep -v '^[A-Za-z0-9_][A-Za-z0-9_./-]*$' "$work/files" >"$work/bad"; then
	die "unsupported file names under $src: $(tr '\n' ' ' <"$work/bad")"
fi

: >"$work/keep"
{
	printf '{'
	sep=''
	while IFS= read -r rel; do
		hash=$(sha256sum <"$src/$rel") || die "sha256sum failed: $rel"
		hash=$(printf '%s' "$hash" | cut -c1-10)
		case "$hash" in
		[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]) ;;
		*) die "bad hash for $rel: $hash" ;;
		esac
		dir=$(dirname "$rel")
		base=${rel##*/}
		case "$base" in
		?*.*) dest="${base%.*}.$hash.${base##*.}" ;; # site.css -> site.<hash>.css
		*) dest="$base.$hash" ;;                   # no extension: LICENSE -> LICENSE.<hash>
		esac
		[ "$dir" = . ] || dest="$dir/$dest"
		mkdir -p "$out/$dir"
		# Copy then rename, so a running server never serves a half-written file.
		cp "$src/$rel" "$out/$dest.tmp$$"
		chmod 644 "$out/$dest.tmp$$"
		mv -f "$out/$dest.tmp$$" "$out/$dest"
		printf '%s\n' "$dest" >>"$work/keep"
		# Text gets a .gz beside it, compressed once at the best level, which nginx sends as it is
		# to clients that accept gzip (gzip_static); -n leaves out name and time: reproducible.
		case "$base" in
		*.css | *.js | *.svg | *.json | *.txt)
			gzip -9 -n -c "$src/$rel" >"$out/$dest.gz.tmp$$"
			chmod 644 "$out/$dest.gz.tmp$$"
			mv -f "$out/$dest.gz.tmp$$" "$out/$dest.gz"
			printf '%s\n' "$dest.gz" >>"$work/keep"
			;;
		esac
		printf '%s\n  "%s": "%s"' "$sep" "$rel" "$dest"
		sep=','
	done <"$work/files"
	printf '\n}\n'
} >"$work/manifest.json"

cp "$work/manifest.json" "$out/manifest.json.tmp$$"
chmod 644 "$out/manifest.json.tmp$$"
mv -f "$out/manifest.json.tmp$$" "$out/manifest.json"

# Stale files: everything in OUT that this run did not write.
echo manifest.json >>"$work/keep"
sort -u "$work/keep" -o "$work/keep"
(cd "$out" && find . \( -type f -o -type l \)) >"$work/found"
sed 's|^\./||' "$work/found" | sort >"$work/present"
comm -23 "$work/present" "$work/keep" | while IFS= read -r stale; do
	rm -f "$out/$stale" || exit 1
done
find "$out" -mindepth 1 -depth -type d -empty -exec rmdir {} \;

n=$(wc -l <"$work/files")
echo "build-dist.sh: $((n)) files from $src -> $out"
