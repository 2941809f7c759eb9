#!/bin/sh
# The SDK as a plugin developer sees it: install certeval into a temporary
# prefix, build examples/plugin-skeleton against that prefix alone (its
# plugin and its cmocka tests, which use the installed test harness), run
# those tests, install the plugin there, and decide a session with it
# through the installed binary, run from another directory with no flag.
# install.sh CMAKE BUILD_DIR SOURCE_DIR TMP_DIR
set -u
cmake=$1
build=$2
src=$3
tmp=$4/sdk
rm -rf "$tmp" && mkdir -p "$tmp" || exit 1
prefix=$tmp/prefix
passed=0
failed=0
ok() { passed=$((passed + 1)); }
ko() { failed=$((failed + 1)); echo "FAIL: $*"; }
run() { # run NAME COMMAND...: stdout+stderr to $tmp/NAME.log
    name=$1
    shift
    if "$@" >"$tmp/$name.log" 2>&1; then ok; else ko "$name"; tail -n 20 "$tmp/$name.log"; fi
}
has() { grep -qF -- "$2" "$tmp/$1.log" && ok || { ko "$1 lacks: $2"; head -n 10 "$tmp/$1.log"; }; }

run install "$cmake" --install "$build" --prefix "$prefix"
bin=$prefix/bin/certeval
for f in bin/certeval include/certeval/plugin.h include/certeval/harness.h \
    lib/libcertevalharness.so share/pkgconfig/certeval.pc share/pkgconfig/certeval-harness.pc \
    share/cmake/certeval/certevalConfig.cmake share/cmake/certeval/certevalTargets.cmake \
    share/man/man1/certeval.1 \
    share/doc/certeval/plugin-guide.md share/certeval/rules/rncp36524/title.json; do
    [ -f "$prefix/$f" ] && ok || ko "not installed: $f"
done
plugindir=$(PKG_CONFIG_PATH=$prefix/share/pkgconfig pkg-config --variable=plugindir certeval)
[ -f "$plugindir/situation.so" ] && ok || ko "pkg-config plugindir $plugindir lacks the core plugins"
printf '#include <certeval/plugin.h>\nint main(void) { return CEV_ABI_MAJOR - 1; }\n' >"$tmp/abi.c"
cc $(PKG_CONFIG_PATH=$prefix/share/pkgconfig pkg-config --cflags certeval) -o "$tmp/abi" "$tmp/abi.c" &&
    "$tmp/abi" && ok || ko "pkg-config --cflags does not find certeval/plugin.h"

# the example, against the prefix alone (no source tree on its paths)
run configure "$cmake" -S "$src/examples/plugin-skeleton" -B "$tmp/skeleton" \
    -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_BUILD_TYPE=Release
run build "$cmake" --build "$tmp/skeleton"
# its unit tests: cmocka with the installed harness (certeval::harness)
[ -x "$tmp/skeleton/test_portfolio" ] && ok || ko "the skeleton's test_portfolio was not built"
run skeleton-tests "$tmp/skeleton/test_portfolio"
has skeleton-tests "[  PASSED  ] 5 test(s)."
ldd "$tmp/skeleton/test_portfolio" | grep -q "$prefix/lib/libcertevalharness.so" && ok ||
    ko "test_portfolio does not use the installed libcertevalharness"
run skeleton-ctest sh -c "cd \"$tmp/skeleton\" && \"$(dirname "$cmake")/ctest\" --output-on-failure"
grep -q 'add_library(certeval::harness SHARED IMPORTED)' \
    "$prefix/share/cmake/certeval/certevalTargets.cmake" && ok || ko "certeval::harness not exported"
# the same test through pkg-config alone
pc="PKG_CONFIG_PATH=$prefix/share/pkgconfig"
if cc $(env "$pc" pkg-config --cflags certeval-harness cmocka) -DPORTFOLIO_PLUGIN_DIR="\"$tmp/skeleton\"" \
    -o "$tmp/pc_test" "$src/examples/plugin-skeleton/tests/test_portfolio.c" \
    $(env "$pc" pkg-config --libs certeval-harness cmocka) 2>"$tmp/pc_test.log"; then
    ok
    run pc-tests env LD_LIBRARY_PATH="$prefix/lib" "$tmp/pc_test"
else
    ko "pkg-config certeval-harness: the test does not build"; head -n 10 "$tmp/pc_test.log"
fi
# the harness says why a plugin does not open
cat >"$tmp/ph_missing.c" <<'EOF'
#include <certeval/harness.h>
#include <string.h>
int main(int argc, char **argv)
{
    (void)argc;
    const char *const scope[] = {"K1", NULL};
    ph h;
    int rc = ph_open(&h, argv[1], "telepathy", scope);
    int said = strstr(ph_error_message(&h), "no plugin provides modality \"telepathy\"") != NULL;
    ph_close(&h);
    return rc == -1 && said ? 0 : 1;
}
EOF
cc $(env "$pc" pkg-config --cflags certeval-harness) -o "$tmp/ph_missing" "$tmp/ph_missing.c" \
    $(env "$pc" pkg-config --libs certeval-harness) && ok || ko "ph_missing does not build"
run ph-missing env LD_LIBRARY_PATH="$prefix/lib" "$tmp/ph_missing" "$tmp/skeleton"
run install-plugin "$cmake" --install "$tmp/skeleton"
[ -f "$plugindir/portfolio.so" ] && ok || ko "portfolio.so not installed in $plugindir"
exported=$(nm -D --defined-only "$plugindir/portfolio.so" | awk '$2 == "T" { print $3 }')
[ "$exported" = "certeval_plugin_entry" ] && ok || ko "portfolio.so exports: $exported"

# the exported target, and the helper and the 0.1 name built on it: a
# throw-away project against the prefix alone
grep -q 'add_library(certeval::sdk INTERFACE IMPORTED)' \
    "$prefix/share/cmake/certeval/certevalTargets.cmake" && ok || ko "certeval::sdk not exported"
mkdir -p "$tmp/helper" && cp "$src/examples/plugin-skeleton/portfolio.c" "$tmp/helper/" || exit 1
cat >"$tmp/helper/CMakeLists.txt" <<'EOF'
cmake_minimum_required(VERSION 3.18)
project(helper LANGUAGES C)
find_package(certeval 0.1 REQUIRED)
certeval_add_plugin(portfolio_helper SOURCES portfolio.c)
add_library(old_name MODULE portfolio.c)
target_link_libraries(old_name PRIVATE certeval::plugin)
EOF
run helper-configure "$cmake" -S "$tmp/helper" -B "$tmp/helper/build" -DCMAKE_PREFIX_PATH="$prefix"
run helper-build "$cmake" --build "$tmp/helper/build"
[ -f "$tmp/helper/build/portfolio_helper.so" ] && ok || ko "certeval_add_plugin: no portfolio_helper.so"

# the installed binary, from elsewhere, with no flag
cd "$tmp" || exit 1
run plugins "$bin" plugins
has plugins "portfolio    1.0.0     1.1   $(realpath "$plugindir")/portfolio.so"
has plugins "situation"
"$bin" eval -q -r "$src/examples/plugin-skeleton/example/rules" \
    "$src/examples/plugin-skeleton/example/session.jsonl" >"$tmp/eval.log" 2>"$tmp/eval.err"
[ $? -eq 1 ] && ok || ko "eval with portfolio: exit status"
has eval '{"candidate":"P-001","title":{"code":"DEMO-PORTFOLIO","version":"1"},"session":{"id":"DEMO","date":"2025-06-01"},"decision":"awarded"'
has eval '"competencies":[{"code":"BC01.C1","score":0.875,"acquired":true,"reasons":[]},{"code":"BC01.C2","score":0.5,"acquired":true,"reasons":[]}]'
has eval '{"name":"portfolio","version":"1.0.0","abi":"1.1","sha256":"'
has eval '"status":"inadmissible","flags":["too_few_situations"]'
has eval '{"candidate":"P-003","line":3,"error":{"code":"E_EVIDENCE","message":"BC01.portfolio.situations[1]: \"BC01.C9\" is not a competency this portfolio evidences","path":"evidence.BC01.portfolio.situations[1]"}}'
# the installed rules, with no flag either
"$bin" eval -q "$src/examples/sessions/rncp36524-sample.jsonl" >"$tmp/installed.log" 2>/dev/null
[ "$(grep -c '"decision"' "$tmp/installed.log")" -eq 30 ] && ok || ko "installed rules: not 30 decisions"
run check "$bin" check "$prefix/share/certeval/rules/rncp36524"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
