#!/bin/sh
# CLI tests: run.sh CERTEVAL SOURCE_DIR BAD_PLUGINS_DIR TMP_DIR
# Golden files are in tests/cli/golden; CEV_UPDATE_GOLDEN=1 rewrites them.
# Plugin and package hashes are masked in golden comparisons (they change
# with the compiler and with every file of the package); the determinism
# checks compare raw bytes.
set -u
. "$(dirname "$0")/lib.sh"
bin=$1
src=$2
bad=$3
tmp=$4/cli
golden=$src/tests/cli/golden
sample=examples/sessions/rncp36524-sample.jsonl
rm -rf "$tmp" && mkdir -p "$tmp" || exit 1
same() { # same NAME FILE1 FILE2
    if cmp -s "$2" "$3"; then ok; else ko "$1: $2 and $3 differ"; diff "$2" "$3" | head -10; fi
}
mask() {
    sed -E 's/"sha256":"[0-9a-f]{64}"/"sha256":"(hash)"/g' "$1"
}
golden_check() { # golden_check NAME FILE GOLDEN [mask]
    if [ "${4:-}" = mask ]; then mask "$2" >"$2.masked"; f=$2.masked; else f=$2; fi
    if [ "${CEV_UPDATE_GOLDEN:-0}" = 1 ]; then cp "$f" "$golden/$3"; fi
    same "$1" "$golden/$3" "$f"
}

cd "$src" || exit 1

# -- eval on the sample session, from the repository root, with no flag ------
expect sample 1 "$bin" eval "$sample"
golden_check sample-golden "$tmp/sample.out" rncp36524-sample.out mask
golden_check sample-stderr "$tmp/sample.err" rncp36524-sample.err
expect sample-again 1 "$bin" eval -q "$sample"
same determinism "$tmp/sample.out" "$tmp/sample-again.out"
expect stdin 1 sh -c "\"$bin\" eval < $sample"
same stdin-same-bytes "$tmp/sample.out" "$tmp/stdin.out"
contains stdin-named "$tmp/stdin.err" "certeval: stdin:31: -: E_JSON"
# a candidate id over 64 bytes is refused by name, and not echoed
long_id=$(head -c 400 /dev/zero | tr '\000' L)
printf '{"candidate": "%s"}\n' "$long_id" >"$tmp/long-id.jsonl"
expect long-id 1 "$bin" eval -q "$tmp/long-id.jsonl"
contains long-id "$tmp/long-id.err" "long-id.jsonl:1: -: E_SCHEMA: candidate"
expect dash 1 "$bin" eval - <"$sample"
same dash-same-bytes "$tmp/sample.out" "$tmp/dash.out"
expect output-file 1 "$bin" eval -q -o "$tmp/written.jsonl" "$sample"
same output-file-same-bytes "$tmp/sample.out" "$tmp/written.jsonl"
[ -s "$tmp/output-file.out" ] && ko "output-file: stdout not empty" || ok

# worker threads: the same bytes for every -j, stderr included
for j in 1 2 8; do
    expect "jobs-$j" 1 "$bin" eval -q -j "$j" "$sample" examples/sessions/tp-sample.jsonl "$sample"
done
same jobs-1-2 "$tmp/jobs-1.out" "$tmp/jobs-2.out"
same jobs-1-8 "$tmp/jobs-1.out" "$tmp/jobs-8.out"
same jobs-stderr "$tmp/jobs-1.err" "$tmp/jobs-8.err"
expect jobs-zero 2 "$bin" eval -j 0 "$sample"

# more session files than the process may hold open: each is opened in its
# turn; a named pipe among them is read once, as given
mkdir -p "$tmp/many" && rm -f "$tmp/many"/*
i=0
while [ $i -lt 150 ]; do
    # (a candidate id is unique in a whole run: each file's is its own)
    sed -n "$((i % 30 + 1))p" "$sample" | sed "s/\"candidate\": \"[^\"]*\"/\"candidate\": \"M$i\"/" \
        >"$tmp/many/f$(printf %03d $i).jsonl"; i=$((i + 1))
done
expect many-files-free 0 sh -c "\"$bin\" eval -q -j 2 \"$tmp\"/many/f*.jsonl"
expect many-files 0 sh -c "ulimit -n 64 && \"$bin\" eval -q -j 2 \"$tmp\"/many/f*.jsonl"
same many-files-same-bytes "$tmp/many-files-free.out" "$tmp/many-files.out"
[ "$(wc -l <"$tmp/many-files.out")" -eq 150 ] && ok || ko "many-files: $(wc -l <"$tmp/many-files.out") records, expected 150"
rm -f "$tmp/fifo" && mkfifo "$tmp/fifo"
cat "$sample" >"$tmp/fifo" &
expect fifo-input 1 "$bin" eval -q "$tmp/many/f000.jsonl" "$tmp/fifo"
[ "$(wc -l <"$tmp/fifo-input.out")" -eq 45 ] && ok || ko "fifo-input: $(wc -l <"$tmp/fifo-input.out") records, expected 45"
expect jobs-word 2 "$bin" eval -j many "$sample"

# rules that walk tables with pairs() or print a table: the same bytes on
# every run and every -j (Lua seeds string hashes per state and prints
# tables as addresses; the sandbox gives a fixed order and no addresses)
mkdir -p "$tmp/order" && cp -r rules/rncp36524 "$tmp/order/" && cat >>"$tmp/order/rncp36524/rules.lua" <<'LUA'
local decide_stock = decide
function decide(c)
  local result = decide_stock(c)
  for i, b in ipairs(c.blocks) do
    local seen = {}
    for _, a in ipairs(b.assessments) do
      for code, score in pairs(a.scores) do seen[#seen + 1] = code .. "=" .. cev.fmt(score) end
    end
    result.blocks[i].reasons[#result.blocks[i].reasons + 1] =
      "walked " .. tostring(b) .. ": " .. table.concat(seen, " ")
  end
  return result
end
LUA
for run in a b; do
    for j in 1 2; do
        expect "order-$run-$j" 1 "$bin" eval -q -j "$j" -r "$tmp/order" "$sample"
    done
done
same order-runs "$tmp/order-a-1.out" "$tmp/order-b-1.out"
same order-jobs "$tmp/order-a-1.out" "$tmp/order-b-2.out"
contains order-sorted "$tmp/order-a-1.out" '"walked table: BC01.C1=0,75 BC01.C2=1,00 BC01.C3=0,75 BC01.C4=0,75 BC01.C5=0,75 BC01.C6=1,00 BC01.C7=0,75 BC01.C2=0,83'

# the decided records alone: exit 0
head -n 30 "$sample" >"$tmp/clean.jsonl"
expect clean 0 "$bin" eval "$tmp/clean.jsonl"
[ "$(wc -l <"$tmp/clean.out")" -eq 30 ] && ok || ko "clean: not 30 records"
[ -s "$tmp/clean.err" ] && ko "clean: stderr not empty" || ok

# line endings, blank lines, a missing final newline, an empty file
sed 's/$/\r/' "$tmp/clean.jsonl" >"$tmp/crlf.jsonl"
expect crlf 0 "$bin" eval "$tmp/crlf.jsonl"
same crlf-same-bytes "$tmp/clean.out" "$tmp/crlf.out"
{ head -n 2 "$tmp/clean.jsonl"; printf '\n   \n'; sed -n 3p "$tmp/clean.jsonl" | tr -d '\n'; } >"$tmp/ragged.jsonl"
expect ragged 0 "$bin" eval "$tmp/ragged.jsonl"
head -n 3 "$tmp/clean.out" >"$tmp/first3.out"
same ragged-same-bytes "$tmp/first3.out" "$tmp/ragged.out"
: >"$tmp/empty.jsonl"
expect empty 0 "$bin" eval "$tmp/empty.jsonl"
[ -s "$tmp/empty.out" ] && ko "empty: output not empty" || ok

# a pretty-printed file (a record over several lines): one E_JSON record per
# line, as ever, and one hint, once per file, that a session holds one
# record per line
head -n 2 "$tmp/clean.jsonl" | /usr/bin/python3 -c 'import json, sys
for l in sys.stdin: print(json.dumps(json.loads(l), indent=2))' >"$tmp/pretty.json"
cp "$tmp/pretty.json" "$tmp/pretty2.json"
expect pretty 1 "$bin" eval -q "$tmp/pretty.json" "$tmp/pretty2.json"
n_pretty=$(($(wc -l <"$tmp/pretty.json") * 2))
[ "$(grep -c '"error":{"code":"E_JSON"' "$tmp/pretty.out")" -eq "$n_pretty" ] && ok ||
    ko "pretty: $(grep -c E_JSON "$tmp/pretty.out") E_JSON records for $n_pretty lines"
[ "$(grep -c ': hint: ' "$tmp/pretty.err")" -eq 2 ] && ok || ko "pretty: $(grep -c ': hint: ' "$tmp/pretty.err") hints for 2 files"
contains pretty "$tmp/pretty.err" "certeval: $tmp/pretty.json:1: hint: this line is a '{' alone: a session file holds one record per line (JSON Lines), so a record written over several lines (pretty-printed) gives an E_JSON error record for each of its lines; write each record on one line (for example: jq -c . FILE)"
contains pretty "$tmp/pretty.err" "certeval: $tmp/pretty2.json:1: hint: "
grep -q ': hint: ' "$tmp/sample.err" && ko "sample: a hint for a line that is not a lone brace" || ok

# two files: line numbers restart, and a candidate id is unique in the whole
# run: the second file's repeats are refused, naming the first file and line
# (each used to be decided twice)
expect two-files 1 "$bin" eval "$tmp/clean.jsonl" "$tmp/clean.jsonl"
[ "$(wc -l <"$tmp/two-files.out")" -eq 60 ] && ok || ko "two-files: not 60 records"
[ "$(grep -c '"error":{"code":"E_SCHEMA","message":"candidate: \\"[^"]*\\" already appears at line [0-9]* of [^"]*clean.jsonl, earlier in this run"' "$tmp/two-files.out")" -eq 30 ] && ok ||
    ko "two-files: the 30 repeats are not refused: $(sed -n 31p "$tmp/two-files.out" | cut -c1-200)"
contains two-files "$tmp/two-files.out" '{"candidate":"AICMP-2024-002","line":2,"error":{"code":"E_SCHEMA","message":"candidate: \"AICMP-2024-002\" already appears at line 2 of '"$tmp"'/clean.jsonl, earlier in this run"'
# and replay re-decides such a run byte for byte (one session per run there
# too; a store logged before, where the repeat was decided, still replays)
rm -rf "$tmp/two-store"
expect two-files-logged 1 "$bin" eval -q -a "$tmp/two-store" "$tmp/clean.jsonl" "$tmp/clean.jsonl"
expect two-files-replay 0 "$bin" replay -q -a "$tmp/two-store"
contains two-files-replay "$tmp/two-files-replay.out" "60 entries: 60 identical"
cp "$tmp/clean.jsonl" "$tmp/clean2.jsonl"
expect two-files-named 1 "$bin" eval -q "$tmp/clean.jsonl" "$tmp/clean2.jsonl"
contains two-files-named "$tmp/two-files-named.err" "clean2.jsonl:3: AICMP-2024-003: E_SCHEMA: candidate: \"AICMP-2024-003\" already appears at line 3 of $tmp/clean.jsonl, earlier in this run"

# a file of 10,000 ids spills them to sorted runs (core/base/idstore.c): repeats
# thousands of lines apart are still caught, naming the first line, and the
# bytes are those of ids kept in memory (TMPDIR unusable).  Unknown titles
# keep each record cheap under valgrind.
awk 'BEGIN { for (i = 1; i <= 10000; i++) {
        id = (i % 2500 == 0) ? sprintf("B%05d", i / 2500) : sprintf("B%05d", i);
        printf "{\"candidate\":\"%s\",\"title\":\"NOPE\",\"session\":{\"id\":\"S\",\"date\":\"2024-01-01\"},\"jury\":[],\"evidence\":{}}\n", id } }' \
    >"$tmp/many-ids.jsonl"
expect many-ids 1 env TMPDIR="$tmp" "$bin" eval -q -j2 "$tmp/many-ids.jsonl"
[ "$(grep -c '"code":"E_SCHEMA"' "$tmp/many-ids.out")" -eq 4 ] && ok || ko "many-ids: not 4 repeats"
contains many-ids "$tmp/many-ids.out" '{"candidate":"B00004","line":10000,"error":{"code":"E_SCHEMA","message":"candidate: \"B00004\" already appears at line 4 of this file"'
if [ -z "${CEV_MEMCHECK_BIN:-}" ]; then # valgrind itself needs a usable TMPDIR
    expect many-ids-in-memory 1 env TMPDIR=/nonexistent/certeval "$bin" eval -q -j1 "$tmp/many-ids.jsonl"
    same many-ids-in-memory "$tmp/many-ids.out" "$tmp/many-ids-in-memory.out"
fi

# -- the titres professionnels: versions in force, completion grace, drafts ---
expect tp 1 "$bin" eval examples/sessions/tp-sample.jsonl
golden_check tp-golden "$tmp/tp.out" tp-sample.out mask
contains tp-draft "$tmp/tp.err" "tp-sample.jsonl:6: TMS-06: E_TITLE: the package in force for RNCP36241 on 2023-11-20 (tp-msads-2022, version 2022) is a draft; run with --allow-draft to use it"
expect tp-allow-draft 1 "$bin" eval --allow-draft examples/sessions/tp-sample.jsonl
contains tp-allow-draft "$tmp/tp-allow-draft.out" '{"candidate":"TMS-06","title":{"code":"RNCP36241","version":"2022","draft":true}'
contains tp-grace "$tmp/tp.out" '{"candidate":"TMS-02","title":{"code":"TP-TMS","version":"2004"},"session":{"id":"TEST","date":"2012-06-01"},"decision":"awarded"'
contains tp-equivalence "$tmp/tp.out" '"source":"equivalence","usable_until":"2018-05-15","reasons":["équivalence : TMS2004-CCP1 acquis le 2011-06-15"]'
# issue 21: a completion by capitalisation in the 2004 grace year (no evidence:
# the ended version), a session titre without its entretien final, and a
# refused record for each new rule
contains tp-capitalisation "$tmp/tp.out" '{"candidate":"TMS-09","title":{"code":"TP-TMS","version":"2004"},"session":{"id":"TEST","date":"2013-02-19"},"decision":"awarded"'
contains tp-titre-without-ef "$tmp/tp.out" '{"candidate":"TMS-07","title":{"code":"TP-TMS","version":"2012"},"session":{"id":"TEST","date":"2014-06-12"},"decision":"partial","reasons":["entretien final (EF) non passé'
contains tp-no-session-type "$tmp/tp.err" "tp-sample.jsonl:12: TMS-12: E_SCHEMA: session.type: is required for TP-TMS version 2012"
contains tp-type-on-aicmp "$tmp/tp.err" "tp-sample.jsonl:13: TMS-13: E_SCHEMA: session.type: \"titre\": RNCP36524 version 2022.1 has no kinds of session"
contains tp-dp-in-session-ccp "$tmp/tp.err" "tp-sample.jsonl:14: TMS-14: E_EVIDENCE: DP: title-level evidence in a session ccp"
contains tp-unknown-deadline "$tmp/tp.err" "tp-sample.jsonl:15: TMS-15: E_SCHEMA: session.deadlines.TMS2012-CCP9.dossier: no assessment"
contains tp-replaced-ccp "$tmp/tp-allow-draft.out" "\"reasons\":[\"TMS2012-CCP3 acquis le 2016-06-10 : bloc d'une certification remplacée sans équivalence dans ce titre, il ne compte pas\"]"
expect check-all 0 "$bin" check rules/rncp36524 rules/tp-msads-2022 rules/tp-tms-2004 rules/tp-tms-2012
expect test-all 0 "$bin" test rules/rncp36524 rules/tp-msads-2022 rules/tp-tms-2004 rules/tp-tms-2012
[ "$(grep -c 'coverage 100% (' "$tmp/test-all.out")" -eq 4 ] && ok || ko "test-all: not every package at 100% coverage"
# the worked example of docs/rules-guide.md: a rule across blocks (a
# prerequisite), between the proposals and the jury's deliberation
expect check-prerequisite 0 "$bin" check tests/packages/prerequisite
expect test-prerequisite 0 "$bin" test tests/packages/prerequisite
contains test-prerequisite "$tmp/test-prerequisite.out" "tests/packages/prerequisite/rules.lua: coverage 100% ("
contains test-prerequisite "$tmp/test-prerequisite.out" "11 passed, 0 failed"
rm -rf "$tmp/overlap" && cp -r rules/tp-tms-2012 "$tmp/overlap" && sed -i 's/"valid_from": "2012-02-21"/"valid_from": "2012-02-20"/' "$tmp/overlap/title.json"
expect check-overlap 1 "$bin" check rules/tp-tms-2004 "$tmp/overlap"
contains check-overlap "$tmp/check-overlap.out" "overlap/title.json: versions 2004 (tp-tms-2004) and 2012 (overlap) of TP-TMS are both in force from 2012-02-20 to 2012-02-20"

# -- could not start: exit 2 ----------------------------------------------------
expect missing-input 2 "$bin" eval "$tmp/nope.jsonl"
contains missing-input "$tmp/missing-input.err" "nope.jsonl: No such file or directory"
expect input-dir 2 "$bin" eval "$tmp"
contains input-dir "$tmp/input-dir.err" "$tmp: Is a directory"
expect bad-rules-dir 2 "$bin" eval -r "$tmp/no-rules" "$sample"
contains bad-rules-dir "$tmp/bad-rules-dir.err" "rules folder"
expect bad-plugins 2 "$bin" eval -p "$bad" "$sample"
contains bad-plugins "$tmp/bad-plugins.err" "no plugin provides modality"
expect bad-option 2 "$bin" eval --frobnicate "$sample"
# a wrong option or a missing argument: one line naming it, not the help
for c in eval check test plugins verify replay diff explain minutes template import pv attestation export; do
    expect "bad-option-$c" 2 "$bin" "$c" --frobnicate
    case $c in # the jury secretary's commands speak French
    template | import | pv | attestation | export)
        want="certeval: $c : option inconnue « --frobnicate » ; voir « certeval $c --help »" ;;
    *) want="certeval: $c: unknown option '--frobnicate'; see 'certeval $c --help'" ;;
    esac
    [ "$(cat "$tmp/bad-option-$c.err")" = "$want" ] &&
        [ ! -s "$tmp/bad-option-$c.out" ] && ok || ko "bad-option-$c: $(head -3 "$tmp/bad-option-$c.err")"
done
expect bad-short 2 "$bin" eval -qz "$sample"
contains bad-short "$tmp/bad-short.err" "certeval: eval: unknown option '-z'; see 'certeval eval --help'"
expect no-value 2 "$bin" eval "$sample" -j
contains no-value "$tmp/no-value.err" "certeval: eval: option '-j' needs a value; see 'certeval eval --help'"
expect no-value-long 2 "$bin" replay --audit
contains no-value-long "$tmp/no-value-long.err" "certeval: replay: option '--audit' needs a value"
for m in "verify:missing -a AUDIT" "replay:missing -a AUDIT" "explain:missing -a AUDIT" \
    "minutes:missing -a AUDIT" "diff:missing -a AUDIT" "check:missing PACKAGE" "test:missing PACKAGE"; do
    c=${m%%:*}
    expect "missing-$c" 2 "$bin" "$c"
    [ "$(cat "$tmp/missing-$c.err")" = "certeval: $c: ${m#*:}; see 'certeval $c --help'" ] && ok ||
        ko "missing-$c: $(head -3 "$tmp/missing-$c.err")"
done
for m in "import:il manque DIR, le dossier de session" \
    "template:il manque PACKAGE (le référentiel) et DIR" \
    "pv:il manque -a AUDIT, le registre d'audit" "attestation:il manque -a AUDIT, le registre d'audit" \
    "export:il manque -a AUDIT, le registre d'audit"; do
    c=${m%%:*}
    expect "missing-$c" 2 "$bin" "$c"
    [ "$(cat "$tmp/missing-$c.err")" = "certeval: $c : ${m#*:} ; voir « certeval $c --help »" ] && ok ||
        ko "missing-$c: $(head -3 "$tmp/missing-$c.err")"
done
expect missing-candidate 2 "$bin" explain -a "$tmp"
contains missing-candidate "$tmp/missing-candidate.err" "certeval: explain: missing CANDIDATE; see 'certeval explain --help'"
expect missing-session 2 "$bin" minutes -a "$tmp"
contains missing-session "$tmp/missing-session.err" "certeval: minutes: missing SESSION"
expect missing-rules 2 "$bin" diff -a "$tmp"
contains missing-rules "$tmp/missing-rules.err" "certeval: diff: missing -r DIR, the rules to compare with"
expect extra-operand 2 "$bin" verify -a "$tmp" extra
contains extra-operand "$tmp/extra-operand.err" "certeval: verify: unexpected argument 'extra'"
expect bad-command 2 "$bin" frobnicate
contains bad-command "$tmp/bad-command.err" "certeval: unknown command 'frobnicate'; see 'certeval --help'"
expect no-command 2 "$bin"
expect unwritable 2 "$bin" eval -o /nonexistent/dir/out.jsonl "$sample"
# standard descriptors closed: a closed stdout stops the run before anything
# is opened (the records once went into the audit store's lock, exit 0); a
# closed stderr or stdin is /dev/null, and takes no file's place
rm -rf "$tmp/closed-store" "$tmp/closed-err-store"
expect stdout-closed 2 sh -c "\"$bin\" eval -q -a \"$tmp/closed-store\" \"$sample\" >&- 2>\"$tmp/stdout-closed.msg\""
contains stdout-closed "$tmp/stdout-closed.msg" "stdout is closed: redirect it to a file, or to /dev/null"
[ ! -e "$tmp/closed-store" ] && ok || ko "stdout-closed: the store was created"
if [ -z "${CEV_MEMCHECK_BIN:-}" ]; then # valgrind itself does not start without stderr
    expect stderr-closed 1 sh -c "\"$bin\" eval -a \"$tmp/closed-err-store\" \"$sample\" 2>&-"
    same stderr-closed-same-bytes "$tmp/sample.out" "$tmp/stderr-closed.out"
    [ ! -s "$tmp/closed-err-store/lock" ] && ok || ko "stderr-closed: the error lines went into the store's lock"
    expect stderr-closed-verify 0 "$bin" verify -a "$tmp/closed-err-store"
fi
expect stdin-closed 1 sh -c "\"$bin\" eval -q \"$sample\" <&-"
same stdin-closed-same-bytes "$tmp/sample.out" "$tmp/stdin-closed.out"
# an output that is one of the inputs: refused before the input is truncated
cp "$sample" "$tmp/own.jsonl" && ln -f "$tmp/own.jsonl" "$tmp/own-link.jsonl"
expect out-is-input 2 "$bin" eval -q -o "$tmp/own.jsonl" "$sample" "$tmp/own.jsonl"
contains out-is-input "$tmp/out-is-input.err" "output $tmp/own.jsonl is also the input $tmp/own.jsonl"
expect out-is-link 2 "$bin" eval -q -o "$tmp/own-link.jsonl" "$tmp/own.jsonl"
expect out-is-stdin 2 sh -c "\"$bin\" eval -q -o \"$tmp/own.jsonl\" < \"$tmp/own.jsonl\""
contains out-is-stdin "$tmp/out-is-stdin.err" "is also the input stdin"
expect stdout-appends-input 2 sh -c "\"$bin\" eval -q \"$tmp/own.jsonl\" >> \"$tmp/own.jsonl\""
same out-is-input-intact "$sample" "$tmp/own.jsonl"

# -- defaults from the environment ------------------------------------------
expect env-rules 2 env CERTEVAL_RULES="$tmp/nowhere" "$bin" eval "$sample"
contains env-rules "$tmp/env-rules.err" "$tmp/nowhere"
expect env-plugins 2 env CERTEVAL_PLUGINS="$tmp/nowhere" "$bin" eval "$sample"
contains env-plugins "$tmp/env-plugins.err" "$tmp/nowhere"

# -- version and help -----------------------------------------------------------
expect version 0 "$bin" --version
contains version "$tmp/version.out" "certeval 0.2.0 (plugin ABI 1.3)"
for c in eval check plugins; do
    expect "help-$c" 0 "$bin" "$c" --help
    contains "help-$c" "$tmp/help-$c.out" "usage: certeval $c"
done
# what a jury secretary runs answers in French, its help too
for c in import template pv attestation export; do
    expect "help-$c" 0 "$bin" "$c" --help
    contains "help-$c" "$tmp/help-$c.out" "usage : certeval $c"
    contains "help-$c" "$tmp/help-$c.out" "Code de sortie : 0 écrit"
    grep -q "Exit status\|write to OUT" "$tmp/help-$c.out" && ko "help-$c: English left" || ok
done
expect help 0 "$bin" --help

# -- plugins ------------------------------------------------------------------
expect plugins 0 "$bin" plugins
for p in situation oral dossier field quiz; do contains plugins "$tmp/plugins.out" "$p "; done
# a folder that cannot be read: the error alone, nothing on stdout
expect plugins-none 2 "$bin" plugins -p "$tmp/nowhere"
[ -s "$tmp/plugins-none.out" ] && ko "plugins-none: stdout holds $(head -1 "$tmp/plugins-none.out")" || ok
contains plugins-none "$tmp/plugins-none.err" "$tmp/nowhere"
expect plugins-bad 0 "$bin" plugins -p "$bad"
contains plugins-bad "$tmp/plugins-bad.out" "plugin ABI 2.0, host ABI 1.3: major versions differ"
contains plugins-bad "$tmp/plugins-bad.out" "abi_major2.so"
contains plugins-bad "$tmp/plugins-bad.out" "plugin ABI 1.99 is newer than host ABI 1.3"
contains plugins-bad "$tmp/plugins-bad.out" "rogue        0.0.1     1.3"
# an entry point refusing the host says why (ABI 1.2), or not (before)
contains plugins-bad "$tmp/plugins-bad.out" "refused: the entry point refused this host: needs a host with a GPU (host ABI 1.3)"
grep -qx ' *refused: the entry point refused this host' "$tmp/plugins-bad.out" && ok ||
    ko "plugins-bad: no quiet refusal of the host"
# a package whose modality only a refused plugin provides is refused, and says
# why (a plugin of another major ABI is not read, so its name is not known)
mkdir -p "$tmp/needs-newer"
printf '{"code": "M2", "name": "m", "level": 3, "certifier": "c", "version": "1", "status": "active", "rules": "rules.lua", "blocks": [{"code": "B1", "name": "b", "competencies": [{"code": "K1", "label": "k"}], "assessments": [{"id": "a", "modality": "newer", "label": "x", "config": {}}, {"id": "b", "modality": "major2", "label": "x", "config": {}}]}]}\n' >"$tmp/needs-newer/title.json"
cp rules/rncp36524/rules.lua "$tmp/needs-newer/"
expect check-refused-plugin 1 "$bin" check -p "$bad" "$tmp/needs-newer"
contains check-refused-plugin "$tmp/check-refused-plugin.out" "blocks[0].assessments[0].modality: plugin \"newer\" ("
contains check-refused-plugin "$tmp/check-refused-plugin.out" "abi_minor_newer.so) was refused: plugin ABI 1.99 is newer than host ABI 1.3"
contains check-refused-plugin "$tmp/check-refused-plugin.out" "blocks[0].assessments[1].modality: no plugin provides modality \"major2\" in $bad (5 plugins of unknown modality refused there: see \`certeval plugins\`)"

# a line the machine could not decide (here a plugin out of memory): an error
# record in its place, the lines around it decided, and a count at the end
mkdir -p "$tmp/nomem/tst"
printf '{"code": "TST", "name": "t", "level": 3, "certifier": "c", "version": "1", "status": "active", "rules": "rules.lua", "blocks": [{"code": "B1", "name": "b", "competencies": [{"code": "K1", "label": "k"}], "assessments": [{"id": "B1.r", "modality": "rogue", "label": "r", "config": {"competency": "K1"}}]}]}\n' >"$tmp/nomem/tst/title.json"
printf 'function decide(c)\n  local rows = cev.map(c.blocks, function(b) return cev.decide_block(c, b) end)\n  return {decision = cev.title(rows), blocks = rows}\nend\n' >"$tmp/nomem/tst/rules.lua"
for m in 1:ok 2:nomem 3:ok; do
    printf '{"candidate": "N%s", "title": "TST", "session": {"id": "S", "date": "2024-01-01"}, "jury": [], "evidence": {"B1.r": {"mode": "%s"}}}\n' "${m%%:*}" "${m#*:}"
done >"$tmp/nomem.jsonl"
expect nomem 1 "$bin" eval -q -p "$bad" -r "$tmp/nomem" "$tmp/nomem.jsonl"
[ "$(grep -c '^{"candidate":"N[13]","title":' "$tmp/nomem.out")" -eq 2 ] && ok || ko "nomem: the other lines are not decided"
contains nomem "$tmp/nomem.out" '{"candidate":"N2","line":2,"error":{"code":"E_RULE","message":"cannot decide this record: B1.r: plugin rogue: out of memory"'
contains nomem "$tmp/nomem.err" "certeval: 1 line could not be decided because the machine failed (out of memory): decide it again"
grep -q "with the whole file" "$tmp/nomem.err" && ko "nomem: a line read says its id was not checked" || ok

# what a plugin hands back is checked, string by string: a flag or an
# assessor id that is not valid UTF-8 (or holds a NUL, or is too long) makes
# that record E_PLUGIN, and only that one; the output stays UTF-8
rogue() { # rogue NAME MODE...: one record per mode, after and before an ok one
    name=$1 i=0
    shift
    for m in ok "$@" ok; do
        i=$((i + 1))
        printf '{"candidate": "R%s", "title": "TST", "session": {"id": "S", "date": "2024-01-01"}, "jury": [], "evidence": {"B1.r": {"mode": "%s"}}}\n' "$i" "$m"
    done >"$tmp/$name.jsonl"
}
rogue strings badflag nulflag badassessor longassessor
expect strings 1 "$bin" eval -q -p "$bad" -r "$tmp/nomem" "$tmp/strings.jsonl"
[ "$(grep -c '"decision":"awarded"' "$tmp/strings.out")" -eq 2 ] && ok || ko "strings: the ok records are not decided"
for k in 2:"flag is not valid UTF-8" 3:"flag holds a NUL byte" 4:"assessor id is not valid UTF-8" 5:"assessor id longer than 64 bytes"; do
    contains strings "$tmp/strings.out" "{\"candidate\":\"R${k%%:*}\",\"line\":${k%%:*},\"error\":{\"code\":\"E_PLUGIN\",\"message\":\"B1.r: plugin rogue returned a malformed result: ${k#*:}\""
done
iconv -f UTF-8 -t UTF-8 "$tmp/strings.out" >/dev/null 2>&1 && ok || ko "strings: the output is not UTF-8"
# and the store that logged them stays readable: verify and replay accept it
rm -rf "$tmp/strings-store"
expect strings-logged 1 "$bin" eval -q -p "$bad" -r "$tmp/nomem" -a "$tmp/strings-store" "$tmp/strings.jsonl"
expect strings-verify 0 "$bin" verify -q -a "$tmp/strings-store"
expect strings-replay 0 "$bin" replay -q -p "$bad" -a "$tmp/strings-store"
# a plugin's words with invalid UTF-8: the same words in the record and on
# stderr (the record cut them at the bad byte, stderr printed it raw)
rogue words badfail badcode
expect words 1 "$bin" eval -q -p "$bad" -r "$tmp/nomem" "$tmp/words.jsonl"
contains words "$tmp/words.out" '"line":2,"error":{"code":"E_EVIDENCE","message":"B1.r.x: bad ? byte","path":"evidence.B1.r.x"}'
contains words "$tmp/words.err" ':2: R2: E_EVIDENCE: B1.r.x: bad ? byte'
contains words "$tmp/words.out" '"line":3,"error":{"code":"E_PLUGIN","message":"B1.r: plugin rogue returned a malformed result: scored unknown competency \"NO?PE\""'
contains words "$tmp/words.err" ':3: R3: E_PLUGIN: B1.r: plugin rogue returned a malformed result: scored unknown competency "NO?PE"'
iconv -f UTF-8 -t UTF-8 "$tmp/words.err" >/dev/null 2>&1 && ok || ko "words: stderr is not UTF-8"

# the decision stream is out of the plugins' reach: a stray printf goes to
# stderr, not among the records (2 records in, 4 lines out, exit 0)
rogue print print
expect print 0 "$bin" eval -q -p "$bad" -r "$tmp/nomem" "$tmp/print.jsonl"
[ "$(wc -l <"$tmp/print.out")" -eq 3 ] && ok || ko "print: $(wc -l <"$tmp/print.out") lines out for 3 records"
grep -q stray "$tmp/print.out" && ko "print: the plugin's printf is in the records" || ok
contains print "$tmp/print.err" '{"stray": "printf from a plugin"}'
expect print-o 0 "$bin" eval -q -p "$bad" -r "$tmp/nomem" -o "$tmp/print-o.jsonl" "$tmp/print.jsonl"
cmp -s "$tmp/print.out" "$tmp/print-o.jsonl" && ok || ko "print: stdout and -o differ"
# and a plugin that ends the process (exit(0)) does not pass for a run that
# finished: a message and exit 2.  (Not under valgrind: the plugin ends the
# process while the workers hold their memory, which memcheck reports as lost.)
if [ -z "${CEV_MEMCHECK_BIN:-}" ]; then
    rogue exit exit
    expect exit 2 "$bin" eval -q -j1 -p "$bad" -r "$tmp/nomem" "$tmp/exit.jsonl"
    contains exit "$tmp/exit.err" "certeval: the process was ended by exit() before the command finished (a plugin called it?): the output is incomplete"
fi

# a world-writable plugin file or folder is refused, before any of its code
# runs, unless CERTEVAL_ALLOW_UNSAFE_PLUGINS=1; `plugins` says why
rm -rf "$tmp/unsafe" && mkdir -p "$tmp/unsafe" && cp "$bad/rogue.so" "$tmp/unsafe/" && chmod 755 "$tmp/unsafe"
chmod o+w "$tmp/unsafe/rogue.so"
expect unsafe-file 0 "$bin" plugins -p "$tmp/unsafe"
contains unsafe-file "$tmp/unsafe-file.out" "refused: the file is world-writable: anyone could replace its code; chmod o-w it, or set CERTEVAL_ALLOW_UNSAFE_PLUGINS=1 to load it anyway"
expect unsafe-eval 2 "$bin" eval -q -p "$tmp/unsafe" -r "$tmp/nomem" "$tmp/nomem.jsonl"
contains unsafe-eval "$tmp/unsafe-eval.err" "no plugin provides modality \"rogue\" in $tmp/unsafe (1 plugin of unknown modality refused there: see \`certeval plugins\`)"
expect unsafe-allowed 0 env CERTEVAL_ALLOW_UNSAFE_PLUGINS=1 "$bin" plugins -p "$tmp/unsafe"
grep -q "refused" "$tmp/unsafe-allowed.out" && ko "unsafe-allowed: still refused" || ok
chmod o-w "$tmp/unsafe/rogue.so" && chmod o+w "$tmp/unsafe"
expect unsafe-dir 0 "$bin" plugins -p "$tmp/unsafe"
contains unsafe-dir "$tmp/unsafe-dir.out" "refused: the plugin folder is world-writable: anyone could replace this plugin"
chmod o-w "$tmp/unsafe"

# -- a plugin path: -p repeated, or $CERTEVAL_PLUGINS with ':' ----------------
# a plugin under development (here rogue, of the test folder) beside the
# installed five: the first folder providing a modality wins, as in PATH
dup=$(dirname "$bad")/plugins-dup
core=$(dirname "$(awk '$1 == "situation" { print $4 }' "$tmp/plugins.out")")
rm -rf "$tmp/both" && mkdir -p "$tmp/both" && cp -r rules/rncp36524 "$tmp/nomem/tst" "$tmp/both/"
cat "$tmp/clean.jsonl" "$tmp/strings.jsonl" >"$tmp/both.jsonl"
expect path-two 1 "$bin" eval -q -p "$bad" -p "$core" -r "$tmp/both" "$tmp/both.jsonl"
head -n 30 "$tmp/path-two.out" >"$tmp/path-two-clean.out"
same path-two-core "$tmp/clean.out" "$tmp/path-two-clean.out"
[ "$(grep -c '"decision":"awarded"' "$tmp/path-two.out")" -ge 2 ] && grep -q '"candidate":"R1","title":{"code":"TST"' "$tmp/path-two.out" && ok ||
    ko "path-two: the rogue records are not decided"
expect path-one 2 "$bin" eval -q -p "$core" -r "$tmp/both" "$tmp/both.jsonl"
contains path-one "$tmp/path-one.err" "no plugin provides modality \"rogue\" in $core"
expect path-env 1 env CERTEVAL_PLUGINS="$bad:$core" "$bin" eval -q -r "$tmp/both" "$tmp/both.jsonl"
same path-env-same-bytes "$tmp/path-two.out" "$tmp/path-env.out"
# -p replaces $CERTEVAL_PLUGINS, it does not add to it
expect path-env-p 2 env CERTEVAL_PLUGINS="$bad:$core" "$bin" eval -q -p "$core" -r "$tmp/both" "$tmp/both.jsonl"
# a later folder's plugin of the same modality is shadowed: the same records
expect path-shadow 1 "$bin" eval -q -p "$bad" -p "$dup" -r "$tmp/nomem" "$tmp/strings.jsonl"
same path-shadow-same-bytes "$tmp/strings.out" "$tmp/path-shadow.out"
# two plugins of one modality in the folder that wins: refused at load
expect path-conflict 2 "$bin" eval -q -p "$dup" -p "$bad" -r "$tmp/nomem" "$tmp/strings.jsonl"
contains path-conflict "$tmp/path-conflict.err" "plugins $dup/rogue_a.so and $dup/rogue_b.so both provide modality \"rogue\" in one folder"
expect path-conflict-check 2 "$bin" check -p "$dup" "$tmp/nomem/tst"
expect path-none 2 "$bin" eval -q -p "" "$sample"
contains path-none "$tmp/path-none.err" "the plugin path \"\" names no folder"
# `plugins` lists every folder, and marks what is not used
expect plugins-path 0 "$bin" plugins -p "$dup" -p "$bad" -p "$core"
contains plugins-path "$tmp/plugins-path.out" "conflict: $dup/rogue_b.so provides \"rogue\" too, in the same folder (eval refuses both)"
contains plugins-path "$tmp/plugins-path.out" "shadowed: not used, $dup/rogue_a.so (an earlier folder) provides \"rogue\""
for p in situation oral dossier field quiz; do contains plugins-path "$tmp/plugins-path.out" "$core/$p.so"; done
expect plugins-shadow 0 "$bin" plugins -p "$bad" -p "$dup"
[ "$(grep -c "shadowed: not used, $bad/rogue.so (an earlier folder)" "$tmp/plugins-shadow.out")" -eq 2 ] && ok ||
    ko "plugins-shadow: rogue_a and rogue_b are not both marked shadowed"
grep -q conflict "$tmp/plugins-shadow.out" && ko "plugins-shadow: a shadowed pair marked as a conflict" || ok
# --json: one document, each plugin with its status
expect plugins-json 0 "$bin" plugins --json -p "$dup" -p "$bad"
/usr/bin/python3 - "$tmp/plugins-json.out" "$dup" "$bad" <<'PY' && ok || ko "plugins-json: not the document expected"
import json, sys
doc = json.load(open(sys.argv[1]))
dup, bad = sys.argv[2], sys.argv[3]
assert doc["path"] == dup + ":" + bad, doc["path"]
by = {p["file"]: p for p in doc["plugins"]}
assert by[dup + "/rogue_a.so"]["status"] == "conflict"
assert by[dup + "/rogue_a.so"]["conflict"] == dup + "/rogue_b.so"
assert by[bad + "/rogue.so"]["status"] == "shadowed" and by[bad + "/rogue.so"]["folder"] == 1
assert by[bad + "/rogue.so"]["shadowed_by"] == dup + "/rogue_a.so"
assert by[bad + "/abi_major2.so"]["status"] == "refused" and by[bad + "/abi_major2.so"]["name"] is None
assert by[bad + "/abi_minor_older.so"]["status"] == "used" and len(by[bad + "/abi_minor_older.so"]["sha256"]) == 64
PY

# -- a full disk, and progress on a terminal ----------------------------------
# A write that fails (ENOSPC) stops the run with exit 2 and the reason, for
# -o and for stdout alike.
# (/dev/full must be the device: a machine where it was removed, and then
# created as a plain file by a root shell's redirection, skips this)
if [ -c /dev/full ]; then
    expect full-o 2 "$bin" eval -q -o /dev/full examples/sessions/rncp36524-sample.jsonl
    contains full-o "$tmp/full-o.err" "/dev/full: No space left on device"
    expect full-stdout 2 sh -c '"$1" eval -q examples/sessions/rncp36524-sample.jsonl >/dev/full' sh "$bin"
    contains full-stdout "$tmp/full-stdout.err" "stdout: No space left on device"
else
    echo "SKIP: full-o, full-stdout: /dev/full is not a character device on this machine"
fi
# progress goes to stderr only when it is a terminal (script(1) gives one),
# and -q silences it
if command -v script >/dev/null 2>&1; then
    script -qec "$bin eval -o /dev/null examples/sessions/rncp36524-sample.jsonl" /dev/null </dev/null >"$tmp/tty.out" 2>&1
    contains progress "$tmp/tty.out" "certeval: 44 records, 14 errors, "
    head -n 1 examples/sessions/rncp36524-sample.jsonl >"$tmp/one.jsonl"
    script -qec "$bin eval -o /dev/null $tmp/one.jsonl" /dev/null </dev/null >"$tmp/tty-one.out" 2>&1
    contains progress-one "$tmp/tty-one.out" "certeval: 1 record, 0 errors, "
    script -qec "$bin eval -q -o /dev/null examples/sessions/rncp36524-sample.jsonl" /dev/null </dev/null >"$tmp/tty-q.out" 2>&1
    grep -q "records/s" "$tmp/tty-q.out" && ko "progress despite -q" || ok
    expect no-tty 1 "$bin" eval -o /dev/null examples/sessions/rncp36524-sample.jsonl
    grep -q "records/s" "$tmp/no-tty.err" && ko "progress to a stderr that is no terminal" || ok
    # the line stays up while the records go elsewhere: it is erased only
    # before a line of its own (an error) or records written to the terminal
    awk 'NR == 1 { for (i = 0; i < 4100; i++) { l = $0; sub(/"AICMP-2024-001"/, "\"K" i "\"", l); print l } }' \
        examples/sessions/rncp36524-sample.jsonl >"$tmp/many.jsonl"
    script -qec "$bin eval -o /dev/null $tmp/many.jsonl" /dev/null </dev/null >"$tmp/tty-many.out" 2>&1
    contains progress-many "$tmp/tty-many.out" "certeval: 4000 records, 0 errors, "
    [ "$(grep -c "$(printf '\r\033\\[K')" "$tmp/tty-many.out")" -eq 0 ] && ok ||
        ko "progress-many: the progress line was erased with nothing to print"
fi

# -- check ------------------------------------------------------------------
expect check-one-block 0 "$bin" check -p "$bad" "$tmp/nomem/tst"
contains check-one-block "$tmp/check-one-block.out" "ok (TST version 1, 1 block, 1 assessment)"
expect check 0 "$bin" check rules/rncp36524
contains check "$tmp/check.out" "rules/rncp36524: ok (RNCP36524 version 2022.1, 5 blocks, 13 assessments)"
# a package carries no calendar date: a dossier's absolute deadline is refused,
# naming the file, the assessment, the field and what replaced it
rm -rf "$tmp/absolute-deadline" && cp -r rules/rncp36524 "$tmp/absolute-deadline"
sed -i '0,/"deadline_days": 13,/s//"deadline": "2024-03-01",/' "$tmp/absolute-deadline/title.json"
expect check-absolute-deadline 1 "$bin" check "$tmp/absolute-deadline"
contains check-absolute-deadline "$tmp/check-absolute-deadline.out" "absolute-deadline/title.json: blocks[3].assessments[0].config.deadline: assessment BC04.dossier_projet (dossier): a package carries no calendar date: the deadline belongs to the session (session.deadlines.<assessment id> in the record), or give \"deadline_days\", the days before the session date"
# the package's words reach the terminal defanged: an ESC or a newline in
# its version is a '?'
rm -rf "$tmp/escver" && mkdir -p "$tmp/escver"
sed 's/"version": "2022.1"/"version": "2022\\u001b[2J\\nX"/' rules/rncp36524/title.json >"$tmp/escver/title.json"
cp rules/rncp36524/rules.lua "$tmp/escver/"
grep -q 'u001b' "$tmp/escver/title.json" && ok || ko "escver: the version was not changed"
expect check-escver 0 "$bin" check "$tmp/escver"
contains check-escver "$tmp/check-escver.out" "ok (RNCP36524 version 2022?[2J?X, 5 blocks"
grep -q "$(printf '\033')" "$tmp/check-escver.out" && ko "check-escver: an ESC reached the terminal" || ok
mkdir -p "$tmp/broken"
sed 's/"scale_max": 3, "min_assessors": 2, "max_spread": 1, "collective": false, "criteria": \[$/&/' \
    rules/rncp36524/title.json | sed '0,/"scale_max": 3/s//"scale_max": -3/' >"$tmp/broken/title.json"
cp rules/rncp36524/rules.lua "$tmp/broken/"
expect check-broken 1 "$bin" check rules/rncp36524 "$tmp/broken"
contains check-broken "$tmp/check-broken.out" "broken/title.json: blocks[0].assessments[1].config.scale_max: assessment BC01.msp (situation): must lie within"
contains check-broken "$tmp/check-broken.out" "rules/rncp36524: ok"
# every problem of a package, title.json and rules.lua together
mkdir -p "$tmp/many"
sed '0,/"modality": "dossier"/s//"modality": "telepathy"/' "$tmp/broken/title.json" >"$tmp/many/title.json"
printf 'function decide(c) return nil\n' >"$tmp/many/rules.lua"
expect check-many 1 "$bin" check "$tmp/many"
contains check-many "$tmp/check-many.out" "many/title.json: blocks[0].assessments[1].config.scale_max: assessment BC01.msp (situation): must lie within"
contains check-many "$tmp/check-many.out" "many/title.json: blocks[1].assessments[2].modality: no plugin provides modality \"telepathy\""
contains check-many "$tmp/check-many.out" "many/rules.lua:2: 'end' expected"
contains check-many "$tmp/check-many.out" "many: 3 problems"
# past 100 problems, the rest are counted
mkdir -p "$tmp/lots"
awk 'BEGIN { printf "{\"code\": \"LOTS\", \"name\": \"l\", \"level\": 3, \"certifier\": \"c\", \"version\": \"1\", \"status\": \"active\", \"rules\": \"rules.lua\", \"equivalences\": {"
    for (i = 0; i < 150; i++) printf "%s\"OLD%d\": \"B9\"", (i ? ", " : ""), i
    printf "}, \"blocks\": [{\"code\": \"B1\", \"name\": \"b\", \"competencies\": [{\"code\": \"K1\", \"label\": \"k\"}], \"assessments\": [{\"id\": \"f\", \"modality\": \"field\", \"label\": \"f\", \"config\": {\"scale_max\": 4, \"competencies\": [\"K1\"]}}]}]}\n" }' >"$tmp/lots/title.json"
cp rules/rncp36524/rules.lua "$tmp/lots/"
expect check-lots 1 "$bin" check "$tmp/lots"
[ "$(grep -c 'is not a block of this title' "$tmp/check-lots.out")" -eq 100 ] && ok || ko "check-lots: $(grep -c 'is not a block' "$tmp/check-lots.out") problems printed, expected 100"
contains check-lots "$tmp/check-lots.out" "lots: and 50 more problems"
expect check-none 2 "$bin" check

# -- test: the package's own cases ------------------------------------------
expect test 0 "$bin" test rules/rncp36524
contains test "$tmp/test.out" " passed, 0 failed"
contains test "$tmp/test.out" "rules/rncp36524/rules.lua: coverage 100% ("
rm -rf "$tmp/fewer" && cp -r rules/rncp36524 "$tmp/fewer" && rm "$tmp/fewer"/tests/0[1-5]*.json
expect test-coverage 0 "$bin" test "$tmp/fewer"
contains test-coverage "$tmp/test-coverage.out" "fewer/rules.lua: coverage 87% (21 of 24 lines); not run: lines 15, 18, 21"
rm -rf "$tmp/pkg" && cp -r rules/rncp36524 "$tmp/pkg"
sed -i 's/"decision": "awarded"/"decision": "partial"/' "$tmp/pkg/tests/70-awarded.json"
printf '{"record": {}, "expected": {}}\n' >"$tmp/pkg/tests/99-unusable.json"
expect test-failing 1 "$bin" test "$tmp/pkg"
contains test-failing "$tmp/test-failing.out" "FAIL 70-awarded.json: Rule 8: all five blocks validated"
contains test-failing "$tmp/test-failing.out" '  decision: expected "partial", got "awarded"'
contains test-failing "$tmp/test-failing.out" 'FAIL 99-unusable.json: unusable case: expected: unknown field'
contains test-failing "$tmp/test-failing.out" "passed, 2 failed"
expect test-broken-package 1 "$bin" test "$tmp/broken"
# a package that does not load does not keep the others from being tested
expect test-broken-first 1 "$bin" test "$tmp/broken" rules/rncp36524
contains test-broken-first "$tmp/test-broken-first.err" "broken/title.json: blocks[0].assessments[1].config.scale_max"
contains test-broken-first "$tmp/test-broken-first.out" "rules/rncp36524: "
contains test-broken-first "$tmp/test-broken-first.out" " passed, 0 failed; 1 package not tested"
expect test-none 2 "$bin" test
expect help-test 0 "$bin" test --help

finish
