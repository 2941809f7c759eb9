#!/bin/sh
# The certifier's tools: pkgtest.sh CERTEVAL SOURCE_DIR TMP_DIR
# `certeval test` (--run, a case file, -v, --format json|junit, the diff of a
# failure, base records, vague error expectations), `certeval check` (every
# problem at once, a folder of packages), the exit codes both give for the
# same mistake, and what eval says of a title no package has.
set -u
. "$(dirname "$0")/lib.sh"
bin=$1
src=$2
tmp=$3/pkgtest
py=/usr/bin/python3
rm -rf "$tmp" && mkdir -p "$tmp" || exit 1
cd "$src" || exit 1
pkg=rules/rncp36524
ncases=$(ls $pkg/tests/*.json | grep -vc '\.base\.json$')

# -- selecting cases ----------------------------------------------------------
# --run as a part of the file name or the description, or as a glob
expect run-part 0 "$bin" test --run deliberation $pkg
contains run-part "$tmp/run-part.out" "rncp36524: 7 cases"
contains run-part "$tmp/run-part.out" "7 passed, 0 failed"
expect run-glob 0 "$bin" test --run '5[0-2]-*' $pkg
contains run-glob "$tmp/run-glob.out" "3 passed, 0 failed"
expect run-description 0 "$bin" test --run 'eliminatory safety' $pkg
contains run-description "$tmp/run-description.out" "1 passed, 0 failed"
expect run-none 0 "$bin" test --run 'no such case' $pkg
contains run-none "$tmp/run-none.out" "0 passed, 0 failed"
# one case file as the operand: its package is the folder above tests/
expect case-file 0 "$bin" test -v $pkg/tests/50-exactly-at-threshold.json
contains case-file "$tmp/case-file.out" "PASS 50-exactly-at-threshold.json: Rule 6:"
contains case-file "$tmp/case-file.out" "rules/rncp36524: 1 case"
contains case-file "$tmp/case-file.out" "1 passed, 0 failed"
expect case-file-base 2 "$bin" test $pkg/tests/session.base.json
contains case-file-base "$tmp/case-file-base.err" "session.base.json: a base record, not a case"
expect case-file-outside 2 "$bin" test $pkg/title.json
contains case-file-outside "$tmp/case-file-outside.err" "a case file lies in the tests folder of a package"
# -v lists every case; without it, passing cases are silent
expect verbose 0 "$bin" test -v $pkg
[ "$(grep -c '^PASS ' "$tmp/verbose.out")" -eq "$ncases" ] && ok ||
    ko "verbose: $(grep -c '^PASS ' "$tmp/verbose.out") PASS lines, expected $ncases"
expect quiet 0 "$bin" test $pkg
grep -q '^PASS ' "$tmp/quiet.out" && ko "quiet: PASS lines without -v" || ok
# the base record is no case: the package's cases all ran, the base not
contains quiet "$tmp/quiet.out" "rules/rncp36524: $ncases cases"
grep -q 'session.base.json' "$tmp/verbose.out" && ko "verbose: the base was run as a case" || ok

# -- a failure is a short diff ---------------------------------------------
rm -rf "$tmp/fail" && cp -r $pkg "$tmp/fail"
sed -i 's/"decision": "validated"/"decision": "absent"/' "$tmp/fail/tests/50-exactly-at-threshold.json"
expect diff 1 "$bin" test "$tmp/fail"
contains diff "$tmp/diff.out" "FAIL 50-exactly-at-threshold.json: Rule 6"
contains diff "$tmp/diff.out" '  blocks[RNCP36524BC03].decision: expected "absent", got "validated"'
grep -q '"provenance"' "$tmp/diff.out" && ko "diff: the whole record was printed" || ok
[ "$(awk 'length > 200' "$tmp/diff.out" | wc -l)" -eq 0 ] && ok || ko "diff: lines over 200 bytes"
# a case that expected a decision and got an error record says which error
cat >"$tmp/fail/tests/98-no-jury.json" <<'EOF'
{"base": "session.base.json", "record": {"jury": []}, "expect": {"decision": "awarded"}}
EOF
expect diff-error 1 "$bin" test --run 98 "$tmp/fail"
contains diff-error "$tmp/diff-error.out" "  the record is an error: E_JURY at jury: "
rm "$tmp/fail/tests/98-no-jury.json"

# -- machine formats --------------------------------------------------------
expect json 1 "$bin" test --format json "$tmp/fail" $pkg
$py -c '
import json, sys
d = json.load(open(sys.argv[1]))
pkgs = d["packages"]
assert [p["package"] for p in pkgs] == [sys.argv[2] + "/fail", "rules/rncp36524"], pkgs
fail = [c for c in pkgs[0]["cases"] if c["result"] == "fail"]
assert [c["file"] for c in fail] == ["50-exactly-at-threshold.json"], fail
assert fail[0]["mismatches"] == ["blocks[RNCP36524BC03].decision: expected \"absent\", got \"validated\""], fail
assert fail[0]["got"]["candidate"] == "CASE"
assert all(c["result"] == "pass" for c in pkgs[1]["cases"])
assert len(pkgs[1]["cases"]) == int(sys.argv[3]) and pkgs[1]["passed"] == int(sys.argv[3])
assert pkgs[1]["coverage"]["percent"] == 100 and pkgs[1]["coverage"]["not_run"] == ""
assert d["failed"] == 1 and d["passed"] == 2 * int(sys.argv[3]) - 1 and d["not_tested"] == 0
' "$tmp/json.out" "$tmp" "$ncases" && ok || ko "json: not the document expected"
expect json-synonym 1 "$bin" test --json "$tmp/fail" $pkg
same_bytes() { if cmp -s "$2" "$3"; then ok; else ko "$1: $2 and $3 differ"; fi; }
same_bytes json-synonym "$tmp/json.out" "$tmp/json-synonym.out"
# a package that did not load is in the document, with why
mkdir -p "$tmp/broken" && printf '{"code": \n' >"$tmp/broken/title.json"
expect json-broken 1 "$bin" test --json "$tmp/broken"
$py -c '
import json, sys
d = json.load(open(sys.argv[1]))
p = d["packages"][0]
assert p["error"]["code"] == "E_PACKAGE" and "invalid JSON" in p["error"]["message"], p
assert d["not_tested"] == 1
' "$tmp/json-broken.out" && ok || ko "json-broken: no error for the package"
expect junit 1 "$bin" test --format junit "$tmp/fail" $pkg "$tmp/broken"
$py -c '
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
n = int(sys.argv[2])
assert root.tag == "testsuites", root.tag
suites = root.findall("testsuite")
assert len(suites) == 3, len(suites)
assert suites[0].get("tests") == str(n) and suites[0].get("failures") == "1", suites[0].attrib
cases = suites[0].findall("testcase")
assert len(cases) == n
failed = [c for c in cases if c.find("failure") is not None]
assert [c.get("name") for c in failed] == ["50-exactly-at-threshold.json"]
assert failed[0].find("failure").get("message").startswith("blocks[RNCP36524BC03].decision: expected")
assert suites[1].get("failures") == "0" and len(suites[1].findall("testcase")) == n
assert suites[2].get("errors") == "1" and suites[2].find("testcase/error") is not None
assert root.get("tests") == str(2 * n + 1) and root.get("failures") == "1" and root.get("errors") == "1"
' "$tmp/junit.out" "$ncases" && ok || ko "junit: not the XML expected"
expect format-bad 2 "$bin" test --format yaml $pkg
contains format-bad "$tmp/format-bad.err" "the formats are text, json and junit"

# -- base records and the cases' own mistakes -------------------------------
rm -rf "$tmp/cases" && mkdir -p "$tmp/cases" && cp $pkg/title.json $pkg/rules.lua "$tmp/cases/"
mkdir -p "$tmp/cases/tests/more"
cp $pkg/tests/session.base.json "$tmp/cases/tests/"
cp $pkg/tests/session.base.json "$tmp/cases/tests/more/other.base.json"
# the base alone is the whole record; a null deletes a member of it
cat >"$tmp/cases/tests/10-base-alone.json" <<'EOF'
{"base": "session.base.json", "expect": {"decision": "not_awarded", "session": {"date": "2024-03-14"}}}
EOF
cat >"$tmp/cases/tests/11-null-deletes.json" <<'EOF'
{"base": "session.base.json", "record": {"candidate": null},
 "expect": {"error": {"code": "E_SCHEMA", "path": "candidate"}}}
EOF
cat >"$tmp/cases/tests/more/12-sub-folder.json" <<'EOF'
{"base": "more/other.base.json", "record": {"session": {"date": "2024-06-02"}},
 "expect": {"error": {"code": "E_TITLE", "message": "in force on 2024-06-02"}}}
EOF
# refused as unusable: an error expected by its code alone, a base that is
# not a *.base.json file, a string record over a base
cat >"$tmp/cases/tests/20-code-only.json" <<'EOF'
{"base": "session.base.json", "record": {"jury": []}, "expect": {"error": {"code": "E_JURY"}}}
EOF
cat >"$tmp/cases/tests/21-base-is-a-case.json" <<'EOF'
{"base": "10-base-alone.json", "expect": {}}
EOF
cat >"$tmp/cases/tests/22-raw-over-base.json" <<'EOF'
{"base": "session.base.json", "record": "{}", "expect": {}}
EOF
cat >"$tmp/cases/tests/23-base-outside.json" <<'EOF'
{"base": "../../x.base.json", "expect": {}}
EOF
expect cases 1 "$bin" test -v "$tmp/cases"
contains cases "$tmp/cases.out" "PASS 10-base-alone.json"
contains cases "$tmp/cases.out" "PASS 11-null-deletes.json"
contains cases "$tmp/cases.out" "PASS more/12-sub-folder.json"
contains cases "$tmp/cases.out" "FAIL 20-code-only.json: unusable case: expect.error names the error's code only: name its \"path\" or a part of its \"message\" too"
contains cases "$tmp/cases.out" "FAIL 21-base-is-a-case.json: unusable case: base must name a *.base.json file"
contains cases "$tmp/cases.out" "FAIL 22-raw-over-base.json: unusable case: record must be an object over a base"
contains cases "$tmp/cases.out" "FAIL 23-base-outside.json: unusable case: base must name a *.base.json file"
contains cases "$tmp/cases.out" "cases: 7 cases"
contains cases "$tmp/cases.out" "3 passed, 4 failed"
# every shipped package's cases pass with the stricter rule
expect shipped 0 "$bin" test rules tests/packages/prerequisite
contains shipped "$tmp/shipped.out" " passed, 0 failed"

# -- check: every problem at once, a folder of packages ------------------------
mkdir -p "$tmp/many"
$py - "$pkg/title.json" "$tmp/many/title.json" <<'EOF'
import json, sys
t = json.load(open(sys.argv[1]))
t["status"] = "published"
t["level"] = 0
t["colour"] = "blue"
t["blocks"][0]["assessments"][0]["config"]["scale_max"] = -1
t["blocks"][1]["assessments"][0]["modality"] = "telepathy"
json.dump(t, open(sys.argv[2], "w"), indent=1, ensure_ascii=False)
EOF
printf 'function decide(c) return nil\n' >"$tmp/many/rules.lua"
expect check-many 1 "$bin" check "$tmp/many"
for what in 'colour: unknown field "colour"' 'status: must be "active" or "draft", not "published"' \
    'level: must be a level 1-8' 'blocks[0].assessments[0].config.scale_max:' \
    'blocks[1].assessments[0].modality: no plugin provides modality "telepathy"' \
    "many/rules.lua:2: 'end' expected" 'many: 6 problems'; do
    contains check-many "$tmp/check-many.out" "$what"
done
# a title.json that is not JSON tells just that
expect check-not-json 1 "$bin" check "$tmp/broken"
[ "$(wc -l <"$tmp/check-not-json.out")" -eq 1 ] && ok || ko "check-not-json: more than one line"
contains check-not-json "$tmp/check-not-json.out" "broken/title.json: invalid JSON at byte offset"
# a folder of packages checks each
expect check-folder 0 "$bin" check rules
[ "$(grep -c ': ok (' "$tmp/check-folder.out")" -eq "$(ls rules | wc -l)" ] && ok ||
    ko "check-folder: not every package of rules/ was checked"
contains check-folder "$tmp/check-folder.out" "rules/rncp36524: ok (RNCP36524 version 2022.1"
mkdir -p "$tmp/empty"
expect check-empty 2 "$bin" check "$tmp/empty"
contains check-empty "$tmp/check-empty.err" "neither a title package (no title.json) nor a folder of packages"

# -- check and test agree on exit codes ----------------------------------------
# a package with problems: 1 for both
expect agree-check-broken 1 "$bin" check "$tmp/many"
expect agree-test-broken 1 "$bin" test "$tmp/many"
contains agree-test-broken "$tmp/agree-test-broken.err" "tells every problem"
expect agree-check-json 1 "$bin" check "$tmp/broken"
expect agree-test-json 1 "$bin" test "$tmp/broken"
# an operand that names nothing: 2 for both, the others still examined
expect agree-check-missing 2 "$bin" check "$tmp/nothing" $pkg
contains agree-check-missing "$tmp/agree-check-missing.out" "rules/rncp36524: ok"
expect agree-test-missing 2 "$bin" test "$tmp/nothing" $pkg
contains agree-test-missing "$tmp/agree-test-missing.out" "rules/rncp36524: $ncases cases"
# a plugin folder that cannot be read: 2 for both
expect agree-check-plugins 2 "$bin" check -p "$tmp/nothing" $pkg
expect agree-test-plugins 2 "$bin" test -p "$tmp/nothing" $pkg
# test accepts a folder of packages too
expect test-folder 0 "$bin" test rules
[ "$(grep -c ' cases$' "$tmp/test-folder.out")" -eq "$(ls rules | wc -l)" ] && ok ||
    ko "test-folder: not every package of rules/ was tested"

# -- eval: a title no package has ------------------------------------------
rec='{"candidate":"A","title":"NOPE","session":{"id":"S","date":"2024-03-14"},"route":"vae","jury":[],"evidence":{}}'
printf '%s\n%s\n' "$rec" "$(echo "$rec" | sed 's/"A"/"B"/')" >"$tmp/nope.jsonl"
expect title-r 1 "$bin" eval -r rules "$tmp/nope.jsonl"
contains title-r "$tmp/title-r.err" "A: E_TITLE: no title package for NOPE"
contains title-r "$tmp/title-r.err" "certeval: the title packages were searched in rules (-r): rules/rncp36524, "
contains title-r "$tmp/title-r.err" "give another rules folder with -r DIR or \$CERTEVAL_RULES"
[ "$(grep -c 'were searched' "$tmp/title-r.err")" -eq 1 ] && ok || ko "title-r: the folder told more than once"
grep -q 'searched' "$tmp/title-r.out" && ko "title-r: the hint reached the records" || ok
expect title-env 1 env CERTEVAL_RULES=rules "$bin" eval "$tmp/nope.jsonl"
contains title-env "$tmp/title-env.err" "searched in rules (\$CERTEVAL_RULES)"

finish pkgtest
