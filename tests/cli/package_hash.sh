#!/bin/sh
# The package hash, recomputed outside certeval: a few lines of shell and
# sha256sum over the canonical form (core/base/sha256.h, docs/audit-guide.md):
# every regular file below the package folder (symbolic links followed, names
# starting with '.' included), sorted by relative path in byte order; for
# each file, path bytes, NUL, decimal byte count, NUL, content bytes.  It must
# equal the provenance.package.sha256 that `certeval eval` writes, for every
# package of rules/, and for a copy of one with files that test the order.
# package_hash.sh CERTEVAL SOURCE_DIR TMP_DIR
set -u
. "$(dirname "$0")/lib.sh"
bin=$1
src=$2
tmp=$3/package_hash
rm -rf "$tmp" && mkdir -p "$tmp" || exit 1
cd "$src" || exit 1

# The package folder's hash, as 64 hex digits.
canonical_sha256() (
    cd "$1" || exit 1
    find -L . -type f | sed 's|^\./||' | LC_ALL=C sort | while IFS= read -r f; do
        printf '%s\000%s\000' "$f" "$(wc -c <"$f" | tr -d ' ')"
        cat "$f"
    done | sha256sum | cut -c1-64
)

# The hash certeval wrote for the package at relative path $2 in $1's records.
written_sha256() {
    grep -o "\"package\":{\"path\":\"$2\",\"sha256\":\"[0-9a-f]*\"}" "$1" | sort -u |
        sed 's/.*"sha256":"\([0-9a-f]*\)"}/\1/'
}

# every package of rules/, decided from the sample sessions
"$bin" eval -q --allow-draft -r rules examples/sessions/*.jsonl >"$tmp/eval.out" 2>"$tmp/eval.err"
[ $? -le 1 ] && ok || ko "eval of the sample sessions: $(head -n 3 "$tmp/eval.err")"
for dir in rules/*/; do
    name=$(basename "$dir")
    want=$(canonical_sha256 "$dir")
    got=$(written_sha256 "$tmp/eval.out" "$name")
    if [ -z "$got" ]; then
        ko "$name: no decision of the sample sessions names this package"
    elif [ "$got" = "$want" ]; then
        ok
    else
        ko "$name: certeval wrote $got, sha256sum over the canonical form gives $want"
    fi
done

# A copy of one package with names whose byte order differs from a
# per-folder or locale order ("tests.md" before "tests/", capitals before
# lower case, a dot file, an empty file, a file in a deeper folder, a symbolic
# link followed): the first line of its sample, decided with the copy.
copy=$tmp/rules/rncp36524
mkdir -p "$tmp/rules" && cp -R rules/rncp36524 "$copy" || exit 1
printf 'notes\n' >"$copy/tests.md"
printf 'Z\n' >"$copy/Zeta.md"
printf 'hidden\n' >"$copy/.hidden"
: >"$copy/empty"
mkdir -p "$copy/tests/deeper" && printf '{}\n' >"$copy/tests/deeper/a.json"
ln -s ../README.md "$copy/tests/readme-link"
head -n 1 examples/sessions/rncp36524-sample.jsonl >"$tmp/first.jsonl"
"$bin" eval -q -r "$tmp/rules" "$tmp/first.jsonl" >"$tmp/copy.out" 2>"$tmp/copy.err"
[ $? -le 1 ] && ok || ko "eval with the copy: $(head -n 3 "$tmp/copy.err")"
want=$(canonical_sha256 "$copy")
got=$(written_sha256 "$tmp/copy.out" rncp36524)
[ -n "$got" ] && [ "$got" = "$want" ] && ok ||
    ko "copy: certeval wrote '$got', sha256sum over the canonical form gives $want"
[ "$want" != "$(canonical_sha256 rules/rncp36524)" ] && ok || ko "copy: the added files changed nothing"

finish package_hash
