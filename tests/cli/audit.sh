#!/bin/sh
# Audit store tests: eval -a, verify (every kind of tampering, found at the
# right entry), --repair, kill -9 during eval, replay, diff, explain.
# audit.sh CERTEVAL SOURCE_DIR TMP_DIR   (CEV_AUDIT_SKIP_KILL=1 skips kill -9)
set -u
. "$(dirname "$0")/lib.sh"
bin=$1
src=$2
tmp=$3/audit
rm -rf "$tmp" && mkdir -p "$tmp" || exit 1
cd "$src" || exit 1
golden=$src/tests/cli/golden
sample=examples/sessions/rncp36524-sample.jsonl
store=$tmp/store

# -- eval -a: same decisions, one entry per record, a store that verifies ------
expect eval 1 "$bin" eval -q -a "$store" "$sample"
expect eval-plain 1 "$bin" eval -q "$sample"
cmp -s "$tmp/eval.out" "$tmp/eval-plain.out" && ok || ko "eval -a changed the decisions"
expect eval-tp 1 "$bin" eval -q -a "$store" --allow-draft examples/sessions/tp-sample.jsonl
[ "$(wc -l <"$store/log.jsonl")" -eq 60 ] && ok || ko "log: $(wc -l <"$store/log.jsonl") entries, expected 60"
expect verify 0 "$bin" verify -a "$store"
contains verify "$tmp/verify.out" "ok, 60 entries, 1 catalog and its packages"
# --json: the same report as one document
expect verify-json 0 "$bin" verify -q -a "$store" --json
/usr/bin/python3 - "$tmp/verify-json.out" "$store" "$(sed -n 's/^seal //p' "$tmp/verify.out")" <<'PY' && ok || ko "verify-json: not the document expected"
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["store"] == sys.argv[2] and doc["holds"] is True, doc
assert doc["entries"] == 60 and doc["catalogs"] == 1 and doc["problem"] is None, doc
assert doc["seal"] == sys.argv[3] and doc["bad_seq"] is None, doc
assert doc["repaired"] == {"cut_bytes": 0, "newline": False, "head_set": None}, doc
PY
grep -q '"seq":45,"prev":"[0-9a-f]\{64\}","run":45,' "$store/log.jsonl" && ok || ko "second run numbering"
[ -d "$store/objects" ] && [ "$(find "$store/objects" -name title.json | wc -l)" -eq 4 ] && ok || ko "objects: 4 packages"
# personal data: others cannot enter a store certeval made (umask 022 or not)
case "$(stat -c %a "$store")" in *0) ok ;; *) ko "store mode $(stat -c %a "$store"): others may enter" ;; esac

# the log as an output or an input: refused, the store untouched
cp "$store/log.jsonl" "$tmp/log-before"
expect out-is-log 2 "$bin" eval -q -a "$store" -o "$store/log.jsonl" "$sample"
contains out-is-log "$tmp/out-is-log.err" "output $store/log.jsonl is the audit log $store/log.jsonl"
expect stdout-is-log 2 sh -c "\"$bin\" eval -q -a \"$store\" \"$sample\" >> \"$store/log.jsonl\""
expect in-is-log 2 "$bin" eval -q -a "$store" "$store/log.jsonl"
contains in-is-log "$tmp/in-is-log.err" "input $store/log.jsonl is the audit log"
cmp -s "$tmp/log-before" "$store/log.jsonl" && ok || ko "a refused run changed the log"
expect verify-after-refusals 0 "$bin" verify -a "$store"

# -- tampering: each on a copy, found at the right entry --------------------
tamper() { # tamper NAME EXPECTED-TEXT: runs on $tmp/t-NAME, prepared by the caller
    expect "v-$1" 1 "$bin" verify -a "$tmp/t-$1"
    contains "v-$1" "$tmp/v-$1.out" "$2"
}
copy() { rm -rf "$tmp/t-$1" && cp -r "$store" "$tmp/t-$1"; }

copy edited && sed -i '5s/"decision\\":\\"awarded\\"/"decision\\":\\"partial\\"/' "$tmp/t-edited/log.jsonl"
cmp -s "$store/log.jsonl" "$tmp/t-edited/log.jsonl" && ko "edit did not apply" || ok
tamper edited "entry 5 (line 5) was edited: its content no longer matches its hash"

copy deleted && sed -i '7d' "$tmp/t-deleted/log.jsonl"
tamper deleted "entry 8 (line 7) comes where entry 7 should: entries 7 to 7 were deleted or moved"

copy duplicated && sed -i '10p' "$tmp/t-duplicated/log.jsonl"
tamper duplicated "entry 10 (line 11) repeats the sequence number before it"

copy reordered && sed -i '12{h;d};13G' "$tmp/t-reordered/log.jsonl"
tamper reordered "entry 13 (line 12) comes where entry 12 should"

# inserted: a well-formed entry, correctly hashed and chained after entry 5
copy inserted
prev5=$(sed -n 5p "$store/log.jsonl" | sed 's/.*"hash":"\([0-9a-f]*\)"}$/\1/')
body=$(sed -n 6p "$store/log.jsonl" | sed 's/,"hash":"[0-9a-f]*"}$/}/; s/"decision\\":\\"awarded\\"/"decision\\":\\"not_awarded\\"/' |
    sed "s/\"prev\":\"[0-9a-f]*\"/\"prev\":\"$prev5\"/")
hash=$(printf '%s' "$body" | sha256sum | cut -c1-64)
printf '%s\n' "$body" | sed "s/}\$/,\"hash\":\"$hash\"}/" >"$tmp/forged"
sed -i "5r $tmp/forged" "$tmp/t-inserted/log.jsonl"
tamper inserted "entry 6 (line 7) repeats the sequence number before it: an entry was duplicated or inserted"

copy truncated && sed -i '$d' "$tmp/t-truncated/log.jsonl"
tamper truncated "entries 60 to 60 are missing at the end of the log (the head records entry 60): deleted"

copy head && sed -i 's/"hash":"[0-9a-f]*"/"hash":"0000000000000000000000000000000000000000000000000000000000000000"/' "$tmp/t-head/head"
tamper head "entry 60 (line 60) is not the entry the head recorded: the log was rewritten"

copy object && printf -- '-- appended\n' >>"$(find "$tmp/t-object/objects" -path '*rncp36524/rules.lua')"
tamper object "was altered (its content hashes to"

copy catalog && sed -i 's/"rncp36524"/"rncp36525"/' "$tmp"/t-catalog/objects/catalog-*.json
tamper catalog "its content does not match its name"

# rechain DIR [FROM]: recomputes every entry's prev and hash from line FROM
# (1) on, and the head, as someone who rewrites the log would
rechain() {
    prev=0000000000000000000000000000000000000000000000000000000000000000
    n=0
    while IFS= read -r line; do
        n=$((n + 1))
        if [ "$n" -ge "${2:-1}" ]; then
            body=$(printf '%s' "${line%,\"hash\":*}" | sed "s/^\({\"seq\":[0-9]*,\"prev\":\"\)[0-9a-f]*\"/\1$prev\"/")
            prev=$(printf '%s}' "$body" | sha256sum | cut -c1-64)
            printf '%s,"hash":"%s"}\n' "$body" "$prev"
        else
            prev=$(printf '%s' "$line" | sed 's/.*"hash":"\([0-9a-f]*\)"}$/\1/')
            printf '%s\n' "$line"
        fi
    done <"$1/log.jsonl" >"$1/log.new" && mv "$1/log.new" "$1/log.jsonl"
    printf '{"seq":%s,"hash":"%s"}\n' "$n" "$prev" >"$1/head"
}

# -- a cut-off tail: the head must record the last entry ---------------------
copy tail-nohead && sed -i '$d' "$tmp/t-tail-nohead/log.jsonl" && rm "$tmp/t-tail-nohead/head"
tamper tail-nohead "the store holds entries but no head"
copy nolog && rm "$tmp/t-nolog/log.jsonl" "$tmp/t-nolog/head"
tamper nolog "the store holds a catalog in objects/ but no head"
copy head0 && printf '{"seq":0,"hash":"%064d"}\n' 0 >"$tmp/t-head0/head"
tamper head0 "the head records entry 0, but the log goes on to entry 60"
# eval -a refuses a store whose last entry is not its head's: the deletion is
# never sealed over by the next run
copy tail-eval && sed -i '$d' "$tmp/t-tail-eval/log.jsonl"
cp "$tmp/t-tail-eval/log.jsonl" "$tmp/tail-eval-before"
expect tail-eval 2 "$bin" eval -q -a "$tmp/t-tail-eval" "$sample"
contains tail-eval "$tmp/tail-eval.err" "the log ends with entry 59 but its head records entry 60"
contains tail-eval "$tmp/tail-eval.err" "Nothing was appended: run \`certeval verify -a"
cmp -s "$tmp/tail-eval-before" "$tmp/t-tail-eval/log.jsonl" && ok || ko "tail-eval: the refused run appended"
tamper tail-eval "entries 60 to 60 are missing at the end of the log"
copy nohead-eval && rm "$tmp/t-nohead-eval/head"
expect nohead-eval 2 "$bin" eval -q -a "$tmp/t-nohead-eval" "$sample"
contains nohead-eval "$tmp/nohead-eval.err" "the store holds entries but no head"
copy nolog-eval && rm "$tmp/t-nolog-eval/log.jsonl" "$tmp/t-nolog-eval/head"
expect nolog-eval 2 "$bin" eval -q -a "$tmp/t-nolog-eval" "$sample"
[ -e "$tmp/t-nolog-eval/log.jsonl" ] && ko "nolog-eval: a log was started" || ok
# an empty run leaves a store that holds (its head records entry 0)
rm -rf "$tmp/empty-store" && : >"$tmp/empty.jsonl"
expect empty-eval 0 "$bin" eval -q -a "$tmp/empty-store" "$tmp/empty.jsonl"
expect empty-verify 0 "$bin" verify -a "$tmp/empty-store"
contains empty-verify "$tmp/empty-verify.out" "referred to by no entry"
expect empty-next 1 "$bin" eval -q -a "$tmp/empty-store" "$sample"
expect empty-next-verify 0 "$bin" verify -a "$tmp/empty-store"
# the seal: printed by verify, checked against a later store
contains verify "$tmp/verify.out" "seal 60:$(sed 's/.*"hash":"\([0-9a-f]*\)".*/\1/' "$store/head")"
seal=$(sed -n 's/^seal //p' "$tmp/verify.out")
expect seal-ok 0 "$bin" verify -a "$store" --seal "$seal"
contains seal-ok "$tmp/seal-ok.out" "the sealed entry $seal is in the chain, unchanged"
expect seal-older 0 "$bin" verify -a "$store" --seal "5:$(sed -n '5s/.*"hash":"\([0-9a-f]*\)"}$/\1/p' "$store/log.jsonl")"
# a consistent rewrite of log and head from entry 45 on (a tail cut off and
# the head set to the new last entry): only the seal shows it
copy rewritten && sed -i '$d' "$tmp/t-rewritten/log.jsonl" && rechain "$tmp/t-rewritten" 45
expect rewritten-plain 0 "$bin" verify -a "$tmp/t-rewritten"
expect rewritten-seal 1 "$bin" verify -a "$tmp/t-rewritten" --seal "$seal"
contains rewritten-seal "$tmp/rewritten-seal.out" "the sealed entry 60 is not in the log, which ends at entry 59"
copy resealed && sed -i '60s/"line":16,/"line":17,/' "$tmp/t-resealed/log.jsonl" && rechain "$tmp/t-resealed" 60
expect resealed 1 "$bin" verify -a "$tmp/t-resealed" --seal "$seal"
contains resealed "$tmp/resealed.out" "entry 60 (line 60) is not the sealed entry"
expect seal-bad 2 "$bin" verify -a "$store" --seal "50:abc"
expect seal-bad-seq 2 "$bin" verify -a "$store" --seal "x:$(printf '%064d' 0)"
# a crash between writing entries and recording them: --repair records them
copy crashed && sed -i 's/"seq":60,"hash":"[0-9a-f]*"/"seq":59,"hash":"'"$(sed -n '59s/.*"hash":"\([0-9a-f]*\)"}$/\1/p' "$store/log.jsonl")"'"/' "$tmp/t-crashed/head"
tamper crashed "the head records entry 59, but the log goes on to entry 60"
expect crashed-eval 2 "$bin" eval -q -a "$tmp/t-crashed" "$sample"
expect crashed-repair 0 "$bin" verify -a "$tmp/t-crashed" --repair
contains crashed-repair "$tmp/crashed-repair.out" "repaired: the head now records entry 60"
cmp -s "$store/head" "$tmp/t-crashed/head" && ok || ko "crashed-repair: head $(cat "$tmp/t-crashed/head")"

# -- the store's bytes: a converted log, stray catalogs, an output inside it --
copy crlf && sed -i 's/$/\r/' "$tmp/t-crlf/log.jsonl"
tamper crlf "line 1 ends with \"\\r\\n\", not \"\\n\": the log was converted"
copy crlf-last && sed -i '$s/$/\r/' "$tmp/t-crlf-last/log.jsonl"
tamper crlf-last "line 60 ends with \"\\r\\n\""
copy stray && cp "$tmp"/t-stray/objects/catalog-*.json "$tmp/t-stray/objects/catalog-$(printf '%064d' 1).json"
tamper stray "objects/catalog-$(printf '%064d' 1).json, which no entry refers to: "
copy stray-named && printf '[]\n' >"$tmp/t-stray-named/objects/catalog-$(printf '[]\n' | sha256sum | cut -c1-64).json"
expect v-stray-named 0 "$bin" verify -a "$tmp/t-stray-named"
contains v-stray-named "$tmp/v-stray-named.out" "note: objects/catalog-$(printf '[]\n' | sha256sum | cut -c1-16)….json is referred to by no entry"
copy out-head && cp "$store/head" "$tmp/out-head-before"
expect out-head 2 "$bin" eval -q -a "$tmp/t-out-head" -o "$tmp/t-out-head/head" "$sample"
contains out-head "$tmp/out-head.err" "is inside the audit store"
cmp -s "$tmp/out-head-before" "$tmp/t-out-head/head" && ok || ko "out-head: the head was overwritten"
expect out-inside 2 "$bin" eval -q -a "$tmp/t-out-head" -o "$tmp/t-out-head/objects/../decisions.jsonl" "$sample"
[ -e "$tmp/t-out-head/decisions.jsonl" ] && ko "out-inside: the output was written" || ok
ln "$tmp/t-out-head/head" "$tmp/head-link"
expect out-head-link 2 "$bin" eval -q -a "$tmp/t-out-head" -o "$tmp/head-link" "$sample"
contains out-head-link "$tmp/out-head-link.err" "is the audit store's $tmp/t-out-head/head"
expect out-head-verify 0 "$bin" verify -a "$tmp/t-out-head"

# -- a whole last entry without its final newline: --repair gives it back -----
copy nonl && truncate -s -1 "$tmp/t-nonl/log.jsonl"
tamper nonl "the last line ("
expect nonl-eval 2 "$bin" eval -q -a "$tmp/t-nonl" "$sample"
contains nonl-eval "$tmp/nonl-eval.err" "or lost only its final newline; run \`certeval verify -a DIR --repair\` first"
expect nonl-repair 0 "$bin" verify -a "$tmp/t-nonl" --repair
contains nonl-repair "$tmp/nonl-repair.out" "the last entry lacked only its final newline; restored"
contains nonl-repair "$tmp/nonl-repair.out" "ok, 60 entries"
cmp -s "$store/log.jsonl" "$tmp/t-nonl/log.jsonl" && ok || ko "nonl-repair: the log differs from the original"

# torn last line: refused by eval, cut by --repair, and only that
copy torn && printf '{"seq":61,"prev":"abc' >>"$tmp/t-torn/log.jsonl"
tamper torn "the last line (21 bytes at offset"
expect torn-eval 2 "$bin" eval -q -a "$tmp/t-torn" "$sample"
contains torn-eval "$tmp/torn-eval.err" "does not end with a newline: its last entry is torn"
expect torn-replay 2 "$bin" replay -a "$tmp/t-torn"
contains torn-replay "$tmp/torn-replay.err" "the last line is torn (an interrupted write): \`certeval verify --repair\` cuts it"
expect torn-repair 0 "$bin" verify -a "$tmp/t-torn" --repair
contains torn-repair "$tmp/torn-repair.out" "repaired: cut a torn last line of 21 bytes"
contains torn-repair "$tmp/torn-repair.out" "ok, 60 entries"
expect repair-edited 1 "$bin" verify -a "$tmp/t-edited" --repair
cmp -s "$tmp/t-edited/log.jsonl" "$store/log.jsonl" && ko "repair touched a complete entry" || ok

# -- two runs at once on one store: both logged, the store holds -------------
rm -rf "$tmp/both"
"$bin" eval -q -a "$tmp/both" "$sample" >/dev/null 2>&1 &
first=$!
"$bin" eval -q -a "$tmp/both" "$sample" >/dev/null 2>&1
wait $first
expect both-verify 0 "$bin" verify -a "$tmp/both"
contains both-verify "$tmp/both-verify.out" "ok, 88 entries"

# -- kill -9 during a long eval -a: every decision handed out is logged ------
if [ "${CEV_AUDIT_SKIP_KILL:-0}" != 1 ]; then
    head -n 30 "$sample" >"$tmp/clean.jsonl"
    awk '{ for (i = 0; i < 700; i++) { l = $0; sub(/"candidate": "AICMP-2024-/, "\"candidate\": \"K" i "-", l); print l } }' \
        "$tmp/clean.jsonl" >"$tmp/big.jsonl"
    rm -rf "$tmp/killed" "$tmp/killed.fifo" && mkfifo "$tmp/killed.fifo"
    : >"$tmp/killed.out"
    "$bin" eval -q -a "$tmp/killed" -o "$tmp/killed.out" <"$tmp/killed.fifo" 2>/dev/null &
    pid=$!
    # the input stays open, so the run cannot end before the kill: it comes
    # once 2,000 decisions are out, while the rest are being decided
    exec 4>"$tmp/killed.fifo"
    cat "$tmp/big.jsonl" >&4 &
    feeder=$!
    i=0 # a liveness wait, not a timing
    until [ "$(wc -l <"$tmp/killed.out")" -ge 2000 ]; do
        i=$((i + 1)); [ "$i" -gt 1200 ] && break; sleep 0.05
    done
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    exec 4>&-
    kill "$feeder" 2>/dev/null
    wait "$feeder" 2>/dev/null
    written=$(wc -l <"$tmp/killed.out")
    [ "$written" -ge 2000 ] && [ "$written" -lt 21000 ] && ok ||
        ko "kill -9: $written records written (the run was to be killed after 2,000)"
    "$bin" verify -a "$tmp/killed" >/dev/null 2>&1 || "$bin" verify -a "$tmp/killed" --repair >/dev/null 2>&1
    expect killed-verify 0 "$bin" verify -a "$tmp/killed"
    entries=$(wc -l <"$tmp/killed/log.jsonl")
    [ "$entries" -ge "$written" ] && ok || ko "kill -9: $written records written, only $entries logged"
    # the complete records written are the outputs of the first entries, in
    # order (a last line cut by the kill is no decision handed out)
    head -n "$written" "$tmp/killed/log.jsonl" |
        sed 's/.*,"output":"\(.*\)","hash":"[0-9a-f]*"}$/\1/; s/\\\\/\x01/g; s/\\"/"/g; s/\x01/\\/g' >"$tmp/logged.out"
    head -n "$written" "$tmp/killed.out" >"$tmp/killed-complete.out"
    cmp -s "$tmp/logged.out" "$tmp/killed-complete.out" && ok || ko "kill -9: the records written differ from the logged ones"
    echo "  kill -9: $written of 21000 records written, $entries entries logged"
fi

# -- verify while a run appends: the line being written is not torn, and
# --repair waits for the run instead of cutting it ---------------------------
rm -rf "$tmp/live" "$tmp/live.fifo" && mkfifo "$tmp/live.fifo"
"$bin" eval -q -a "$tmp/live" "$sample" >/dev/null 2>&1 # 44 entries before
"$bin" eval -q -a "$tmp/live" <"$tmp/live.fifo" >"$tmp/live.out" 2>/dev/null &
live=$!
exec 3>"$tmp/live.fifo" # eval holds the store's lock until this closes
head -n 3 "$sample" >&3
i=0 # until eval holds the lock (a liveness wait, not a timing)
until "$bin" verify -a "$tmp/live" 2>/dev/null | grep -q "a run is appending"; do
    i=$((i + 1)); [ "$i" -gt 300 ] && break; sleep 0.1
done
size=$(wc -c <"$tmp/live/log.jsonl")
printf '{"seq":99,"prev":"' >>"$tmp/live/log.jsonl" # as if being written
expect live-verify 0 "$bin" verify -a "$tmp/live"
contains live-verify "$tmp/live-verify.out" "ok, 44 entries, 1 catalog and its packages (a run is appending: the entries complete when verify started)"
expect live-replay 0 "$bin" replay -a "$tmp/live" # the complete entries only
expect live-explain 0 "$bin" explain -a "$tmp/live" AICMP-2024-001
"$bin" verify -a "$tmp/live" --repair >"$tmp/live-repair.out" 2>&1 3>&- & # not the fifo
repair=$!
"$bin" eval -q -a "$tmp/live" "$sample" >/dev/null 2>"$tmp/live-second.err" 3>&- &
second=$!
wait_for() { # wait_for FILE TEXT: until both are waiting for the lock (liveness, not timing)
    i=0
    until grep -qF -- "$2" "$1" 2>/dev/null; do
        i=$((i + 1)); [ "$i" -gt 600 ] && break; sleep 0.1
    done
}
wait_for "$tmp/live-repair.out" "a run is appending; --repair waits for it to finish"
wait_for "$tmp/live-second.err" "another run is appending; waiting for it to finish"
[ "$(wc -c <"$tmp/live/log.jsonl")" -gt "$size" ] && ok || ko "verify --repair cut a line while a run held the lock"
truncate -s "$size" "$tmp/live/log.jsonl" # the fake line goes before the run ends
exec 3>&-
wait "$live"
wait "$repair" && ok || ko "verify --repair after the run: $(cat "$tmp/live-repair.out")"
grep -q "cut" "$tmp/live-repair.out" && ko "verify --repair cut something" || ok
contains live-repair-said "$tmp/live-repair.out" "a run is appending; --repair waits for it to finish"
wait "$second"
contains live-second-said "$tmp/live-second.err" "another run is appending; waiting for it to finish"
expect live-final 0 "$bin" verify -a "$tmp/live"
contains live-final "$tmp/live-final.out" "ok, 91 entries"

# -- replay -----------------------------------------------------------------
expect replay 0 "$bin" replay -a "$store"
contains replay "$tmp/replay.out" "replay: 60 entries: 60 identical, 0 identical but for plugin hashes, 0 different"
# lines that are not text or too long to keep: logged as base64, or by
# their size, and replayed to the same error records
head -n 1 "$sample" >"$tmp/odd.jsonl"
{ printf '{"candidate": "'; head -c 17000000 /dev/zero | tr '\000' x; printf '"}\n'; } >>"$tmp/odd.jsonl"
printf '{"candidate": "bad\377\376"}\n{"candidate": "nul\000x"}\n' >>"$tmp/odd.jsonl"
expect odd-eval 1 "$bin" eval -q -a "$tmp/odd" "$tmp/odd.jsonl"
[ "$(grep -c '"input":null,"input_size":17000017,' "$tmp/odd/log.jsonl")" -eq 1 ] && ok || ko "the long line is not logged by its size"
[ "$(grep -c '"input_base64":' "$tmp/odd/log.jsonl")" -eq 2 ] && ok || ko "two lines are not logged as base64"
expect odd-verify 0 "$bin" verify -a "$tmp/odd"
expect odd-replay 0 "$bin" replay -a "$tmp/odd"
contains odd-replay "$tmp/odd-replay.out" "replay: 4 entries: 4 identical"
# the same file named twice in one run: its second copy repeats the run's
# ids (E_SCHEMA), and replays so
head -n 3 "$sample" >"$tmp/twice.jsonl"
expect twice-eval 1 "$bin" eval -q -a "$tmp/twice" "$tmp/twice.jsonl" "$tmp/twice.jsonl"
expect twice-replay 0 "$bin" replay -a "$tmp/twice"
contains twice-replay "$tmp/twice-replay.out" "replay: 6 entries: 6 identical"
# after rules/ changed: the stored packages are used
rm -rf "$tmp/rules" && cp -r rules "$tmp/rules"
expect eval-copy 1 "$bin" eval -q -r "$tmp/rules" -a "$tmp/rstore" "$sample"
sed -i 's/local THRESHOLD = 0.5/local THRESHOLD = 0.9/' "$tmp/rules/rncp36524/rules.lua"
expect replay-changed-rules 0 "$bin" replay -a "$tmp/rstore"
contains replay-changed-rules "$tmp/replay-changed-rules.out" "44 identical"
# a plugin whose file changed but decides the same: a warning, a pass
"$bin" plugins >"$tmp/plugins.txt"
pdir=$(dirname "$(awk '$1 == "situation" { print $4 }' "$tmp/plugins.txt")")
rm -rf "$tmp/plugins" && cp -r "$pdir" "$tmp/plugins" && printf 'x' >>"$tmp/plugins/situation.so"
expect replay-plugin 0 "$bin" replay -a "$store" -p "$tmp/plugins"
contains replay-plugin "$tmp/replay-plugin.out" "warning: plugin situation ("
contains replay-plugin "$tmp/replay-plugin.out" "0 different"
# a decision that no longer replays is reported, by entry
copy replay-edit && sed -i '3s/\\"score\\":0.75/\\"score\\":0.5/' "$tmp/t-replay-edit/log.jsonl"
expect replay-differs 1 "$bin" replay -a "$tmp/t-replay-edit"
contains replay-differs "$tmp/replay-differs.out" "entry 3 (examples/sessions/rncp36524-sample.jsonl:3): the decision replays differently"
contains replay-differs "$tmp/replay-differs.out" "59 identical, 0 identical but for plugin hashes, 1 different"

# an entry logged when the machine could not decide its line: nothing to
# reproduce, named, a pass (the entry is rewritten with a valid hash).  It is
# the entry's "undecided" flag that says so, not the message: the same error
# record without the flag is a decision that replays differently.
forge_last() { # store, extra members after "output"
    last=$(tail -n 1 "$1/log.jsonl")
    entry="${last%%,\"output\":*},\"output\":\"{\\\"candidate\\\":\\\"TMS-16\\\",\\\"line\\\":16,\\\"error\\\":{\\\"code\\\":\\\"E_RULE\\\",\\\"message\\\":\\\"cannot decide this record: out of memory\\\",\\\"path\\\":\\\"\\\"}}\"$2"
    hash=$(printf '%s}' "$entry" | sha256sum | cut -c1-64)
    sed -i '$d' "$1/log.jsonl"
    printf '%s,"hash":"%s"}\n' "$entry" "$hash" >>"$1/log.jsonl"
    printf '{"seq":16,"hash":"%s"}\n' "$hash" >"$1/head"
}
mf=$tmp/machine
"$bin" eval -q -a "$mf" --allow-draft examples/sessions/tp-sample.jsonl >/dev/null 2>&1
cp -r "$mf" "$tmp/machine-unflagged"
forge_last "$mf" ',"undecided":true'
expect machine-verify 0 "$bin" verify -a "$mf"
expect machine-replay 0 "$bin" replay -a "$mf"
contains machine-replay "$tmp/machine-replay.out" "entry 16 (examples/sessions/tp-sample.jsonl:16): not decided when logged (cannot decide this record: out of memory); it is decided now"
contains machine-replay "$tmp/machine-replay.out" "replay: 16 entries: 15 identical, 0 identical but for plugin hashes, 0 different, 1 not decided when logged (the machine failed)"
forge_last "$tmp/machine-unflagged" ''
expect machine-unflagged 1 "$bin" replay -a "$tmp/machine-unflagged"
contains machine-unflagged "$tmp/machine-unflagged.out" "entry 16 (examples/sessions/tp-sample.jsonl:16): the decision replays differently"
# a flag that is not true is a malformed entry
sed -i '$s/"undecided":true/"undecided":false/' "$mf/log.jsonl"
expect machine-flag-false 2 "$bin" replay -a "$mf"

# -- a log that cannot grow (disk full, here a file size limit): the run stops
# with exit 2, the log is cut back to whole entries, the next run goes on ----
full=$tmp/full
"$bin" eval -q -a "$full" --allow-draft examples/sessions/tp-sample.jsonl >/dev/null 2>&1
size=$(stat -c %s "$full/log.jsonl")
if command -v prlimit >/dev/null 2>&1; then
    (trap '' XFSZ; exec prlimit --fsize=$((size + 20000)) "$bin" eval -q -a "$full" "$sample") \
        >"$tmp/full.out" 2>"$tmp/full.err"
    got=$?
    [ "$got" -eq 2 ] && ok || ko "full: exit $got, expected 2"
    contains full "$tmp/full.err" "cannot write the log of $full: File too large"
    [ "$(stat -c %s "$full/log.jsonl")" -eq "$size" ] && ok || ko "full: the log was not cut back"
    expect full-verify 0 "$bin" verify -a "$full"
    contains full-verify "$tmp/full-verify.out" "ok, 16 entries"
    expect full-next 1 "$bin" eval -q -a "$full" "$sample"
    expect full-verify2 0 "$bin" verify -a "$full"
    contains full-verify2 "$tmp/full-verify2.out" "ok, 60 entries"
else
    ko "prlimit (util-linux) is missing: the full-disk case is not tested"
fi

# -- diff: a changed threshold names exactly the candidates it changes -------
rm -rf "$tmp/rules60" && cp -r rules "$tmp/rules60"
sed -i 's/local THRESHOLD = 0.5/local THRESHOLD = 0.6/' "$tmp/rules60/rncp36524/rules.lua"
expect diff 0 "$bin" diff -a "$store" -r "$tmp/rules60"
"$bin" eval -q -r "$tmp/rules60" "$sample" >"$tmp/eval60.out" 2>/dev/null
# independently: the candidates whose title or block decisions change under eval
decisions() { # one line per record: candidate, title decision, block decisions
    while IFS= read -r l; do
        printf '%s|%s|%s\n' "$(printf '%s' "$l" | grep -o '^{"candidate":[^,]*')" \
            "$(printf '%s' "$l" | grep -o '"session":{[^}]*},"decision":"[a-z_]*"')" \
            "$(printf '%s' "$l" | grep -o '"code":"[^"]*","decision":"[a-z_]*"' | tr '\n' ' ')"
    done <"$1"
}
decisions "$tmp/eval.out" >"$tmp/d50"
decisions "$tmp/eval60.out" >"$tmp/d60"
paste -d'#' "$tmp/d50" "$tmp/d60" | awk -F'#' '$1 != $2 { c = $1; sub(/^{"candidate":"/, "", c); sub(/".*/, "", c); print c }' | sort >"$tmp/expected-changed"
grep -o '^[A-Z][A-Z0-9-]* (entry' "$tmp/diff.out" | sed 's/ (entry//' | sort >"$tmp/diff-changed"
[ -s "$tmp/expected-changed" ] && cmp -s "$tmp/expected-changed" "$tmp/diff-changed" && ok ||
    ko "diff names $(wc -l <"$tmp/diff-changed") candidates, eval changes $(wc -l <"$tmp/expected-changed")"
contains diff "$tmp/diff.out" "diff: 59 decisions re-decided with $tmp/rules60, $(wc -l <"$tmp/expected-changed") would change (1 earlier entry set aside: a candidate counts by its current decision)"
contains diff "$tmp/diff.out" "  RNCP36524BC02: validated -> not_validated: "
# the counts: the title's first, then the blocks' in code order
sed -n 's/^  \([A-Za-z0-9.-]*\): .*/\1/p' "$tmp/diff.out" | sed 's/^title$/!/' >"$tmp/diff-keys"
[ "$(head -1 "$tmp/diff-keys")" = "!" ] && LC_ALL=C sort -c "$tmp/diff-keys" && ok ||
    { ko "diff: the counts are not in order"; cat "$tmp/diff-keys"; }
expect diff-json 0 "$bin" diff -a "$store" -r "$tmp/rules60" --json
contains diff-json "$tmp/diff-json.out" '"changes":[{"seq":1,"candidate":"AICMP-2024-001","source":"examples/sessions/rncp36524-sample.jsonl","line":1,"changes":[{"what":"title","before":"awarded","after":"partial"}'
contains diff-json "$tmp/diff-json.out" '{"rules":"'"$tmp"'/rules60","session":null,"changes":[{"seq":1,'
contains diff-json "$tmp/diff-json.out" '],"entries":59,"changed":22,"superseded":1,"missing":[],"transitions":[{"what":"title","before":"awarded","after":"partial","count":'
[ "$(tail -c 3 "$tmp/diff-json.out" | od -An -c | tr -d ' ')" = ']}\n' ] && ok || ko "diff-json: the document is not closed"
for j in 1 3; do
    expect "diff-j$j" 0 "$bin" diff -j "$j" -a "$store" -r "$tmp/rules60"
    expect "replay-j$j" 0 "$bin" replay -j "$j" -a "$store"
done
cmp -s "$tmp/diff-j1.out" "$tmp/diff-j3.out" && cmp -s "$tmp/diff-j1.out" "$tmp/diff.out" && ok || ko "diff -j changes its report"
# -- progress (docs/certeval.1) of replay, diff and verify, as of eval (run.sh): on stderr
#    when it is a terminal, the counts at the end; nothing with -q or when
#    stderr is a file -----------------------------------------------------
tty_run() { # tty_run NAME COMMAND: COMMAND on a terminal, everything it prints to $tmp/NAME.tty
    script -qfec "$2" /dev/null </dev/null >"$tmp/$1.tty" 2>&1
}
if command -v script >/dev/null 2>&1; then
    tty_run tty-replay "\"$bin\" replay -a \"$store\""
    contains tty-replay "$tmp/tty-replay.tty" "certeval: 60 entries, 0 different, "
    contains tty-replay "$tmp/tty-replay.tty" "replay: 60 entries: 60 identical"
    tty_run tty-diff "\"$bin\" diff -a \"$store\" -r \"$tmp/rules60\""
    contains tty-diff "$tmp/tty-diff.tty" "certeval: 59 entries, 22 would change, "
    tty_run tty-verify "\"$bin\" verify -a \"$store\""
    grep -qE 'certeval: 60 entries, [0-9]+ entries/s' "$tmp/tty-verify.tty" && ok ||
        ko "tty-verify: no progress line"
    for cmd in "replay -q -a \"$store\"" "diff -q -a \"$store\" -r \"$tmp/rules60\"" \
        "verify -q -a \"$store\""; do
        tty_run tty-quiet "\"$bin\" $cmd"
        grep -qE '(records|entries)/s' "$tmp/tty-quiet.tty" && ko "progress despite -q: $cmd" || ok
    done
else
    ko "script (bsdutils) is missing: progress on a terminal is not tested"
fi
expect verify-quiet-file 0 "$bin" verify -a "$store"
for name in replay diff verify-quiet-file; do
    grep -qE '(records|entries)/s' "$tmp/$name.err" && ko "$name: progress on a stderr that is a file" || ok
done

# a store of 66 catalogs (66 runs, each with its package changed): replay
# once refused past 64; workers now keep the 8 latest engines open. The
# store is made by the plain binary: 66 runs under valgrind take minutes.
rm -rf "$tmp/cats" "$tmp/cats-rules" && cp -r rules "$tmp/cats-rules"
fast=${CEV_MEMCHECK_BIN:-$bin}
i=1
while [ $i -le 66 ]; do
    echo "-- run $i" >>"$tmp/cats-rules/rncp36524/rules.lua"
    sed -n "$(( (i - 1) % 30 + 1 ))p" "$sample" | sed "s/\"AICMP-/\"R$i-/" |
        "$fast" eval -q -r "$tmp/cats-rules" -a "$tmp/cats" >/dev/null 2>&1
    i=$((i + 1))
done
[ "$(ls "$tmp/cats/objects" | grep -c '^catalog-')" -eq 66 ] && ok || ko "cats: not 66 catalogs"
for j in 1 3; do
    expect "cats-replay-j$j" 0 "$bin" replay -j "$j" -a "$tmp/cats"
    contains "cats-replay-j$j" "$tmp/cats-replay-j$j.out" "replay: 66 entries: 66 identical"
done

# a title of 70 blocks: a change in the last one is reported (the report
# once read 64 blocks a record and missed the others)
wide() { # wide DIR THRESHOLD: 70 blocks of one competency, one field assessment each
    mkdir -p "$1/wide"
    awk -v t="$2" 'BEGIN {
        printf "{\"code\": \"WIDE\", \"name\": \"w\", \"level\": 3, \"certifier\": \"c\", \"version\": \"1\", \"status\": \"active\", \"rules\": \"rules.lua\", \"blocks\": ["
        for (i = 1; i <= 70; i++) printf "%s{\"code\": \"W%d\", \"name\": \"b\", \"competencies\": [{\"code\": \"K%d\", \"label\": \"k\"}], \"assessments\": [{\"id\": \"f%d\", \"modality\": \"field\", \"label\": \"f\", \"config\": {\"scale_max\": 4, \"competencies\": [\"K%d\"]}}]}", (i > 1 ? ", " : ""), i, i, i, i
        printf "]}\n" }' >"$1/wide/title.json"
    printf 'function decide(c)\n  local b = cev.map(c.blocks, function(b) return cev.decide_block(c, b, {threshold = %s}) end)\n  return {decision = cev.title(b), blocks = b}\nend\n' "$2" >"$1/wide/rules.lua"
}
rm -rf "$tmp/wide-a" "$tmp/wide-b" "$tmp/wide-store" && wide "$tmp/wide-a" 0.5 && wide "$tmp/wide-b" 0.5
sed -i 's/threshold = 0.5/threshold = (b.code == "W70") and 0.9 or 0.5/' "$tmp/wide-b/wide/rules.lua"
awk 'BEGIN {
    printf "{\"candidate\": \"WIDE-1\", \"title\": \"WIDE\", \"session\": {\"id\": \"S\", \"date\": \"2024-03-14\"}, \"jury\": [], \"evidence\": {"
    for (i = 1; i <= 70; i++) printf "%s\"f%d\": {\"supervisor\": \"T\", \"ratings\": {\"K%d\": 3}}", (i > 1 ? ", " : ""), i, i
    printf "}}\n" }' >"$tmp/wide.jsonl"
expect wide-eval 0 "$bin" eval -q -r "$tmp/wide-a" -a "$tmp/wide-store" "$tmp/wide.jsonl"
expect wide-diff 0 "$bin" diff -r "$tmp/wide-b" -a "$tmp/wide-store"
contains wide-diff "$tmp/wide-diff.out" "WIDE-1 (entry 1, $tmp/wide.jsonl:1): title awarded -> partial; W70 validated -> not_validated"
# counts of one are singular
contains wide-diff "$tmp/wide-diff.out" "diff: 1 decision re-decided with $tmp/wide-b, 1 would change"
expect wide-replay 0 "$bin" replay -q -a "$tmp/wide-store"
contains wide-replay "$tmp/wide-replay.out" "replay: 1 entry: 1 identical,"
expect wide-verify 0 "$bin" verify -q -a "$tmp/wide-store"
contains wide-verify "$tmp/wide-verify.out" ": ok, 1 entry, 1 catalog and its packages"
cmp -s "$tmp/replay-j1.out" "$tmp/replay-j3.out" && ok || ko "replay -j changes its report"
expect diff-same 0 "$bin" diff -a "$store" -r rules
contains diff-same "$tmp/diff-same.out" "diff: 59 decisions re-decided with rules, 0 would change (1 earlier entry set aside"
# each candidate's current decision only: a later run deciding 5 candidates
# again (and the line 44 that repeated a candidate of line 1) sets their
# other entries aside; the changes are those of the 49 candidates, once each
rm -rf "$tmp/diff-store" && cp -r "$store" "$tmp/diff-store"
head -n 5 "$sample" >"$tmp/again.jsonl"
expect diff-again-eval 0 "$bin" eval -q -a "$tmp/diff-store" "$tmp/again.jsonl"
expect diff-again 0 "$bin" diff -q -a "$tmp/diff-store" -r "$tmp/rules60"
contains diff-again "$tmp/diff-again.out" "diff: 59 decisions re-decided with $tmp/rules60, 22 would change (6 earlier entries set aside: a candidate counts by its current decision)"
[ "$(grep -c '^AICMP-2024-001 (entry' "$tmp/diff-again.out")" -eq 1 ] && ok || ko "diff-again: AICMP-2024-001 reported $(grep -c '^AICMP-2024-001 (entry' "$tmp/diff-again.out") times"
contains diff-again "$tmp/diff-again.out" "AICMP-2024-001 (entry 61, $tmp/again.jsonl:1): title awarded -> partial"
grep -q '^AICMP-2024-001 (entry 1,' "$tmp/diff-again.out" && ko "diff-again: the replaced entry 1 is compared" || ok
# --session: the candidates of one session only
expect diff-session 0 "$bin" diff -q -a "$tmp/diff-store" -r "$tmp/rules60" --session TEST
contains diff-session "$tmp/diff-session.out" "diff: 15 decisions re-decided with $tmp/rules60, 0 would change"
expect diff-session-json 0 "$bin" diff -q -a "$tmp/diff-store" -r "$tmp/rules60" --session IMELIS-2024-03 --json
contains diff-session-json "$tmp/diff-session-json.out" '"session":"IMELIS-2024-03","changes":[{"seq":8,'
contains diff-session-json "$tmp/diff-session-json.out" '{"seq":61,"candidate":"AICMP-2024-001","source":"'"$tmp"'/again.jsonl","line":1,'
contains diff-session-json "$tmp/diff-session-json.out" '"entries":42,"changed":22,"superseded":6,'
grep -q '"candidate":"TMS-' "$tmp/diff-session-json.out" && ko "diff-session-json: another session's candidate" || ok
expect diff-session-none 1 "$bin" diff -q -a "$tmp/diff-store" -r "$tmp/rules60" --session NOPE
contains diff-session-none "$tmp/diff-session-none.err" "certeval: no entry of session NOPE in $tmp/diff-store"
# rules that lack a title of the store: said once per title, exit 1, and
# those records are not reported as changed to E_TITLE
rm -rf "$tmp/only-aicmp" && mkdir -p "$tmp/only-aicmp" && cp -r "$tmp/rules60/rncp36524" "$tmp/only-aicmp/"
expect diff-missing 1 "$bin" diff -q -a "$tmp/diff-store" -r "$tmp/only-aicmp"
contains diff-missing "$tmp/diff-missing.err" "certeval: diff: $tmp/only-aicmp has no package of title TP-TMS: its 13 decisions were not compared; give -r a rules folder holding every title of the store, or --session ID a session of the titles it holds"
contains diff-missing "$tmp/diff-missing.err" "has no package of title RNCP36241: its 2 decisions were not compared"
grep -q "E_TITLE" "$tmp/diff-missing.out" && ko "diff-missing: records reported as changed to E_TITLE" || ok
contains diff-missing "$tmp/diff-missing.out" "diff: 44 decisions re-decided with $tmp/only-aicmp, 22 would change (6 earlier entries set aside: a candidate counts by its current decision); 15 not compared (title missing)"
expect diff-missing-json 1 "$bin" diff -q -a "$tmp/diff-store" -r "$tmp/only-aicmp" --json
contains diff-missing-json "$tmp/diff-missing-json.out" '"missing":[{"title":"RNCP36241","count":2},{"title":"TP-TMS","count":13}]'
# a store whose chain does not hold: refused, naming the entry (as explain)
rm -rf "$tmp/diff-broken" && cp -r "$store" "$tmp/diff-broken"
sed -i '3s/\\"score\\":0.75/\\"score\\":0.5/' "$tmp/diff-broken/log.jsonl"
expect diff-broken 1 "$bin" diff -q -a "$tmp/diff-broken" -r "$tmp/rules60"
contains diff-broken "$tmp/diff-broken.err" "does not hold: entry 3 (line 3) was edited"
[ -s "$tmp/diff-broken.out" ] && ko "diff-broken: a report from a broken store" || ok

# -- explain ----------------------------------------------------------------
: >"$tmp/explain.txt"
for c in AICMP-2024-013 AICMP-2024-004 AICMP-2024-006 AICMP-2024-010 AICMP-2024-036 TMS-03 TMS-07; do
    "$bin" explain -a "$store" "$c" | sed '1s/ enregistrée le [^ ]* / enregistrée le (date) /; 1s|journal d.audit [^ ]*,|journal d'"'"'audit (store),|' >>"$tmp/explain.txt" ||
        ko "explain $c"
    echo "=====" >>"$tmp/explain.txt"
done
[ "${CEV_UPDATE_GOLDEN:-0}" = 1 ] && cp "$tmp/explain.txt" "$golden/explain.txt"
cmp -s "$golden/explain.txt" "$tmp/explain.txt" && ok || { ko "explain golden"; diff "$golden/explain.txt" "$tmp/explain.txt" | head; }
expect explain-seq 0 "$bin" explain -a "$store" AICMP-2024-001 --seq 44
contains explain-seq "$tmp/explain-seq.out" "Aucune décision : l'enregistrement a donné l'erreur E_SCHEMA"
# a later line of the same file repeating the id was refused and decided
# nothing: the decision explained is the one of line 1, and the refusal is
# named as another entry
expect explain-repeated 0 "$bin" explain -a "$store" AICMP-2024-001
contains explain-repeated "$tmp/explain-repeated.out" "Entrée n° 1 du journal d'audit"
contains explain-repeated "$tmp/explain-repeated.out" "Décision : titre obtenu"
contains explain-repeated "$tmp/explain-repeated.out" "Autres entrées de ce candidat dans le journal : n° 44 (certeval explain --seq N)"
expect explain-none 1 "$bin" explain -a "$store" NOBODY
expect explain-prefix 1 "$bin" explain -a "$store" AICMP-2024-00 # in every line, nobody's id
expect explain-bad-seq 2 "$bin" explain -a "$store" AICMP-2024-001 --seq 4x
# --seq naming another candidate's entry says whose it is, and the
# candidate's own entries; an entry past the log says there is none
expect explain-other-seq 1 "$bin" explain -a "$store" AICMP-2024-001 --seq 12
[ "$(cat "$tmp/explain-other-seq.err")" = "certeval: entry 12 is not AICMP-2024-001's but AICMP-2024-012's (certeval explain -a $store AICMP-2024-012 --seq 12); AICMP-2024-001's entries: 1, 44" ] && ok ||
    ko "explain-other-seq: $(cat "$tmp/explain-other-seq.err")"
[ -s "$tmp/explain-other-seq.out" ] && ko "explain-other-seq: it explained something" || ok
expect explain-no-seq 1 "$bin" explain -a "$store" AICMP-2024-001 --seq 999
contains explain-no-seq "$tmp/explain-no-seq.err" "certeval: no entry 999 in $store; AICMP-2024-001's entries: 1, 44"
expect explain-seq-unread 1 "$bin" explain -a "$store" AICMP-2024-001 --seq 31
contains explain-seq-unread "$tmp/explain-seq-unread.err" "entry 31 is not AICMP-2024-001's: its candidate id could not be read"
expect explain-seq-nobody 1 "$bin" explain -a "$store" NOBODY --seq 3
contains explain-seq-nobody "$tmp/explain-seq-nobody.err" "entry 3 is not NOBODY's but AICMP-2024-003's"

# -- minutes ------------------------------------------------------------------
minutes_mask() { sed -e "s|$store|(store)|" -e 's/^[0-9a-f]\{64\}\.$/(hash)./'; }
: >"$tmp/minutes.txt"
for s in IMELIS-2024-03 TEST; do
    "$bin" minutes -a "$store" "$s" | minutes_mask >>"$tmp/minutes.txt" || ko "minutes $s"
    echo "=====" >>"$tmp/minutes.txt"
done
[ "${CEV_UPDATE_GOLDEN:-0}" = 1 ] && cp "$tmp/minutes.txt" "$golden/minutes.txt"
cmp -s "$golden/minutes.txt" "$tmp/minutes.txt" && ok || { ko "minutes golden"; diff "$golden/minutes.txt" "$tmp/minutes.txt" | head; }
expect minutes-none 1 "$bin" minutes -a "$store" NOPE
expect minutes-usage 2 "$bin" minutes -a "$store"
expect minutes-nostore 2 "$bin" minutes -a "$tmp/none" TEST
# a candidate decided again in a later run (here with a deliberation added)
# counts by that run; the earlier entry is set aside and said to be
rm -rf "$tmp/min-store"
"$bin" eval -q -a "$tmp/min-store" "$sample" >/dev/null 2>&1
sed -n 3p "$sample" | sed 's/}$/, "deliberation": {"RNCP36524BC03": {"decision": "validated", "motivation": "Réexamen du dossier."}}}/' |
    "$bin" eval -q -a "$tmp/min-store" >/dev/null 2>&1
# a store whose stored package or output record is damaged: exit 2
rm -rf "$tmp/min-bad" && cp -r "$store" "$tmp/min-bad" && rm -rf "$tmp/min-bad/objects/"*/rncp36524
expect minutes-no-package 2 "$bin" minutes -a "$tmp/min-bad" IMELIS-2024-03
contains minutes-no-package "$tmp/minutes-no-package.err" "rncp36524 is missing"
# a stored package altered since (verify refuses it): exit 1, no title's words shown
rm -rf "$tmp/min-bad" && cp -r "$store" "$tmp/min-bad"
for t in "$tmp"/min-bad/objects/*/rncp36524/title.json; do echo ' ' >>"$t"; done
expect minutes-altered 1 "$bin" minutes -a "$tmp/min-bad" IMELIS-2024-03
contains minutes-altered "$tmp/minutes-altered.err" "rncp36524 was altered"
expect explain-altered 1 "$bin" explain -a "$tmp/min-bad" AICMP-2024-001
contains explain-altered "$tmp/explain-altered.err" "rncp36524 was altered"
rm -rf "$tmp/min-bad" && cp -r "$store" "$tmp/min-bad" && sed -i '2s/"output":"{/"output":"x{/' "$tmp/min-bad/log.jsonl"
rechain "$tmp/min-bad" 2 # (a forged entry without its chain is refused first)
expect minutes-bad-output 2 "$bin" minutes -a "$tmp/min-bad" IMELIS-2024-03
contains minutes-bad-output "$tmp/minutes-bad-output.err" "entry 2: unreadable output"
# a forged entry (its hash no longer matches): explain and minutes refuse
# the store, naming it, and show nothing from it
copy forged && sed -i '3s/\\"score\\":0.75/\\"score\\":0.5/' "$tmp/t-forged/log.jsonl"
cmp -s "$store/log.jsonl" "$tmp/t-forged/log.jsonl" && ko "forged: the edit did not apply" || ok
expect forged-explain 1 "$bin" explain -a "$tmp/t-forged" AICMP-2024-003
contains forged-explain "$tmp/forged-explain.err" "does not hold: entry 3 (line 3) was edited"
expect forged-verify-json 1 "$bin" verify -q -a "$tmp/t-forged" --json
contains forged-verify-json "$tmp/forged-verify-json.out" '"holds":false,"entries":2,"catalogs":'
contains forged-verify-json "$tmp/forged-verify-json.out" '"problem":"entry 3 (line 3) was edited: its content no longer matches its hash","bad_seq":3,"bad_line":3,'
contains forged-verify-json "$tmp/forged-verify-json.out" '"seal":null}'
[ -s "$tmp/forged-verify-json.err" ] && ko "forged-verify-json: stderr not empty" || ok
[ -s "$tmp/forged-explain.out" ] && ko "forged-explain: it showed something" || ok
expect forged-minutes 1 "$bin" minutes -a "$tmp/t-forged" IMELIS-2024-03
contains forged-minutes "$tmp/forged-minutes.err" "does not hold: entry 3 (line 3) was edited"
[ -s "$tmp/forged-minutes.out" ] && ko "forged-minutes: it showed something" || ok
copy forged-tail && sed -i '$d' "$tmp/t-forged-tail/log.jsonl"
expect forged-tail-minutes 1 "$bin" minutes -a "$tmp/t-forged-tail" IMELIS-2024-03
contains forged-tail-minutes "$tmp/forged-tail-minutes.err" "entries 60 to 60 are missing at the end of the log"
# an unreadable line of a file with no record of the session is not its
# (nor is a second one of that file: the first does not make the file the session's)
printf '{"candidate": "X", "session": \n{"candidate": "Y", "session": \n' >"$tmp/min-other.jsonl"
"$bin" eval -q -a "$tmp/min-store" "$tmp/min-other.jsonl" >/dev/null 2>&1
expect minutes-rerun 0 "$bin" minutes -a "$tmp/min-store" IMELIS-2024-03
[ "$(grep -c '^  AICMP-2024-003 : ' "$tmp/minutes-rerun.out")" -eq 1 ] && ok || ko "minutes-rerun: AICMP-2024-003 listed $(grep -c '^  AICMP-2024-003 : ' "$tmp/minutes-rerun.out") times"
contains minutes-rerun "$tmp/minutes-rerun.out" "  AICMP-2024-003 : titre obtenu"
contains minutes-rerun "$tmp/minutes-rerun.out" "  AICMP-2024-003, bloc RNCP36524BC03 « Apaiser les tensions et gérer les conflits » : validé (décision calculée : non validé)"
contains minutes-rerun "$tmp/minutes-rerun.out" "Délibérations souveraines du jury (4) :"
contains minutes-rerun "$tmp/minutes-rerun.out" "43 entrées de la session, n° 1 à 45 ;"
contains minutes-rerun "$tmp/minutes-rerun.out" "  (identifiant illisible) (examples/sessions/rncp36524-sample.jsonl, ligne 31) : E_JSON"
grep -q 'min-other' "$tmp/minutes-rerun.out" && ko "minutes-rerun: a line of another session's file listed" || ok
contains minutes-rerun "$tmp/minutes-rerun.out" "1 entrée d'une exécution antérieure, remplacée par une exécution plus récente pour le même candidat, a été écartée."
# explain takes the same decision as the minutes: the latest run's
expect explain-rerun 0 "$bin" explain -a "$tmp/min-store" AICMP-2024-003
contains explain-rerun "$tmp/explain-rerun.out" "Entrée n° 45 du journal d'audit"
contains explain-rerun "$tmp/explain-rerun.out" "Autres entrées de ce candidat dans le journal : n° 3 (certeval explain --seq N)"
# the line refused as a repeated id is listed beside the decision it repeats
contains minutes-rerun "$tmp/minutes-rerun.out" "  AICMP-2024-001 (examples/sessions/rncp36524-sample.jsonl, ligne 44) : E_SCHEMA — candidate: \"AICMP-2024-001\" already appears at line 1 of this file"
contains minutes-rerun "$tmp/minutes-rerun.out" "  AICMP-2024-001 : titre obtenu"

# data printed for people carries no terminal commands: an ESC, a BEL or a
# C1 control in a candidate id never reaches a record, stderr or explain
# (ids are 1-64 bytes of [A-Za-z0-9._-]: the record is refused, E_SCHEMA,
# without echoing the id)
esc=$(printf '\033')
head -n 1 "$src/$sample" | sed 's/"AICMP-2024-001"/"E\\u001b[31mSC\\u0007\\u009b"/' >"$tmp/esc.jsonl"
"$bin" eval -q -a "$tmp/esc-store" -r "$src/rules" "$tmp/esc.jsonl" >"$tmp/esc.out" 2>"$tmp/esc.err"
grep -q '^{"candidate":null,"line":1,"error":{"code":"E_SCHEMA","message":"candidate: must be an identifier' "$tmp/esc.out" && ok || ko "control bytes in an id: $(cut -c1-120 "$tmp/esc.out")"
if grep -qF 'stdin:1: -: E_SCHEMA: candidate: must be an identifier' "$tmp/esc.err" ||
    grep -qF 'esc.jsonl:1: -: E_SCHEMA: candidate: must be an identifier' "$tmp/esc.err"; then ok; else
    ko "stderr: $(od -c "$tmp/esc.err" | head -3)"; fi
grep -q "$esc" "$tmp/esc.err" "$tmp/esc.out" && ko "control bytes echoed" || ok
"$bin" explain -a "$tmp/esc-store" "$(printf 'E\033[31mSC\007\302\233')" >"$tmp/esc-explain.out" 2>&1
grep -q "$esc" "$tmp/esc-explain.out" && ko "explain carries control bytes: $(head -3 "$tmp/esc-explain.out" | od -c | head -3)" || ok
for c in verify replay diff explain minutes; do expect "help-$c" 0 "$bin" "$c" --help; done
expect verify-usage 2 "$bin" verify
expect verify-nostore 2 "$bin" verify -a "$tmp/none"

finish
