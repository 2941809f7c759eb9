#!/bin/sh
# scripts/test ends with one line: the suites passed and failed, and the
# time taken.  summary.sh SOURCE_DIR TMP_DIR runs a copy of scripts/test in
# a tree where cmake, ctest, scripts/coverage and scripts/fuzz are stubs
# (each fails on demand) and nothing is installed, and checks that line.
set -u
. "$(dirname "$0")/../cli/lib.sh"
src=$1
tmp=$2/summary
rm -rf "$tmp" && mkdir -p "$tmp/bin" "$tmp/tree/scripts" "$tmp/tree/build-memcheck" || exit 1
cp "$src/scripts/test" "$tmp/tree/scripts/"
printf 'CEV_PACKAGES=\ncev_install_packages() { [ ! -e "%s/fail-setup" ]; }\n' "$tmp" >"$tmp/tree/scripts/deps.sh"
for c in cmake ctest; do
    printf '#!/bin/sh\n[ ! -e "%s/fail-%s" ]\n' "$tmp" "$c" >"$tmp/bin/$c"
    chmod +x "$tmp/bin/$c"
done
for c in coverage fuzz; do
    printf '#!/bin/sh\necho "%s ran"\n[ ! -e "%s/fail-%s" ]\n' "$c" "$tmp" "$c" >"$tmp/tree/scripts/$c"
    chmod +x "$tmp/tree/scripts/$c"
done
run() { # run NAME STATUS [VAR=VALUE...]: scripts/test in the stub tree
    name=$1 want=$2
    shift 2
    (cd "$tmp/tree" && env PATH="$tmp/bin:$PATH" "$@" sh scripts/test) >"$tmp/$name.out" 2>"$tmp/$name.err"
    got=$?
    [ "$got" -eq "$want" ] && ok || ko "$name: exit $got, expected $want"
}
last() { # last NAME PATTERN: the last line of NAME's stdout matches PATTERN (grep -E)
    tail -n 1 "$tmp/$1.out" | grep -Eqx -- "$2" && ok || ko "$1: last line: $(tail -n 1 "$tmp/$1.out")"
}
run pass 0
last pass 'scripts/test: PASSED: 4 suites passed \(sanitizers, memcheck, coverage, fuzz\), 0 failed, in [0-9]+m[0-5][0-9]s'
contains pass "$tmp/pass.out" "fuzz ran"
run no-fuzz 0 CEV_FUZZ_SECONDS=0
last no-fuzz 'scripts/test: PASSED: 3 suites passed \(sanitizers, memcheck, coverage\), 0 failed, in [0-9]+m[0-5][0-9]s'
touch "$tmp/fail-fuzz"
run fuzz-fails 1
last fuzz-fails 'scripts/test: FAILED: fuzz failed; 3 suites passed \(sanitizers, memcheck, coverage\), 0 not run, in [0-9]+m[0-5][0-9]s'
rm "$tmp/fail-fuzz" && touch "$tmp/fail-coverage"
run coverage-fails 1
last coverage-fails 'scripts/test: FAILED: coverage failed; 2 suites passed \(sanitizers, memcheck\), 1 not run, in .*'
rm "$tmp/fail-coverage" && touch "$tmp/fail-ctest"
run ctest-fails 1
last ctest-fails 'scripts/test: FAILED: sanitizers failed; 0 suites passed, 3 not run, in .*'
grep -q "coverage ran" "$tmp/ctest-fails.out" && ko "ctest-fails: went on after a failed suite" || ok
rm "$tmp/fail-ctest" && touch "$tmp/fail-setup"
run setup-fails 1
last setup-fails 'scripts/test: FAILED: setup failed; 0 suites passed, 4 not run, in .*'
finish summary
