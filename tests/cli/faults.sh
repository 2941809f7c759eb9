#!/bin/sh
# certeval under failures on demand (tests/support/faults.c, a certeval_faults
# binary): each command runs once to count its calls, then with the k-th
# failing, then with every one from the k-th on, for k sampled across the run.
#
# Allocations: every command.  Each run must exit 2 saying "out of memory", or
# give the failure-free run's status and output (eval: a record may instead
# say the machine failed); never crash or leak (ASan/LSan exit otherwise);
# leave an audit store that the next run can append to, and that verifies.
#
# File operations (write, fsync, rename, ftruncate, mkdir): `eval -a` into a
# new store and `verify --repair` on a torn one.  Each run must exit 2 saying
# why, or give the failure-free output; hand out no decision whose entry is
# not in the log; leave a store that verifies, or whose only problem is a
# torn last line that --repair cuts, and that the next run appends to;
# (--repair) never cut a whole entry.
#
# faults.sh CERTEVAL_FAULTS SOURCE_DIR TMP_DIR
#   (CEV_OOM_RUNS, CEV_IO_RUNS: runs per mode, default 12 and 20)
set -u
. "$(dirname "$0")/lib.sh"
bin=$1
src=$2
tmp=$3/faults
rm -rf "$tmp" && mkdir -p "$tmp" || exit 1
cd "$src" || exit 1
sample=examples/sessions/rncp36524-sample.jsonl
tp=examples/sessions/tp-sample.jsonl

# A new store for each run of `eval -a` ($before), and what must hold after
# it ($after): every decision handed out is logged, the next run appends to
# the store, and it verifies.
new=$tmp/new
new_store() { rm -rf "$new"; }
# The entries of $new that verify says it holds ("ok, N entries"), after
# --repair when only a torn last line is wrong; empty when it does not hold.
entries() {
    if ! "$bin" verify -a "$new" >"$tmp/v.out" 2>&1; then
        # a torn last line is cut by --repair; so is a head left behind the
        # log, but only when every file operation failed from the head's
        # write on (persist=1): the run could then neither record the head
        # nor cut the log back, and said so (exit 2)
        if grep -q "is torn" "$tmp/v.out" ||
            { [ "${persist:-0}" = 1 ] && grep -q "the head records entry" "$tmp/v.out"; }; then
            "$bin" verify --repair -a "$new" >"$tmp/v.out" 2>&1 || return
        else
            return
        fi
    fi
    sed -n 's/.*: ok, \([0-9]*\) entries.*/\1/p' "$tmp/v.out"
}
logged_and_next() {
    handed=$(wc -l <"$tmp/$name.out")
    n=$(entries)
    if [ -z "$n" ] && [ ! -e "$new/log.jsonl" ] && [ "$handed" -eq 0 ]; then
        ok # nothing logged, nothing handed out
    elif [ -z "$n" ]; then
        ko "$1: the store does not verify"
        sed 's/^/  /' "$tmp/v.out" | head -3
        return
    elif [ "$n" -lt "$handed" ]; then
        ko "$1: $handed decisions handed out, $n entries logged"
    else
        ok
    fi
    "$bin" eval -q -a "$new" --allow-draft "$tp" >/dev/null 2>"$tmp/next.err"
    st=$?
    n2=$(entries)
    if [ "$st" -le 1 ] && [ "${n2:-none}" = "$((${n:-0} + 16))" ]; then
        ok
    else
        ko "$1: the next run (exit $st) left ${n2:-a store that does not verify} after ${n:-0} entries"
        sed 's/^/  /' "$tmp/next.err" | head -3
    fi
}

# ---- allocations ------------------------------------------------------------
runs=${CEV_OOM_RUNS:-12}
store=$tmp/store
"$bin" eval -q -a "$store" "$sample" >/dev/null 2>&1
"$bin" eval -q -a "$store" --allow-draft "$tp" >/dev/null 2>&1
"$bin" verify -a "$store" >/dev/null || { echo "FAIL: the store to read"; exit 1; }

fault_sweep OOM eval records "$bin" eval -q -j 2 --allow-draft "$sample" "$tp"
fault_sweep OOM check-all exact "$bin" check rules/rncp36524 rules/tp-tms-2004 rules/tp-tms-2012
fault_sweep OOM test exact "$bin" test rules/rncp36524
fault_sweep OOM plugins exact "$bin" plugins
fault_sweep OOM verify exact "$bin" verify -a "$store"
fault_sweep OOM replay exact "$bin" replay -a "$store"
fault_sweep OOM diff exact "$bin" diff -a "$store" -r rules
fault_sweep OOM explain exact "$bin" explain -a "$store" AICMP-2024-001
fault_sweep OOM minutes exact "$bin" minutes -a "$store" IMELIS-2024-03
fault_sweep OOM import exact "$bin" import examples/sessions/rncp36524-session
fresh_template() { rm -rf "$tmp/template"; }
before=fresh_template
fault_sweep OOM template exact "$bin" template rncp36524 "$tmp/template"
before=
folder=examples/sessions/rncp36524-session
fault_sweep OOM pv exact "$bin" pv -a "$store" -s "$folder"
fault_sweep OOM attestation exact "$bin" attestation -a "$store" -s "$folder"
fault_sweep OOM export exact "$bin" export -a "$store" -s "$folder" --format jsonl
# the jury secretary's commands say it in French (the technical words kept)
rm -rf "$tmp/template"
for cmd in "import $folder" "template rncp36524 $tmp/template" "pv -a $store -s $folder" \
    "attestation -a $store -s $folder" "export -a $store -s $folder"; do
    # shellcheck disable=SC2086 # the words of $cmd are the arguments
    env CEV_OOM_AT=50 CEV_OOM_PERSIST=1 "$bin" $cmd >/dev/null 2>"$tmp/oom-fr.err"
    [ "$(cat "$tmp/oom-fr.err")" = "certeval: mémoire insuffisante (out of memory)" ] && ok ||
        ko "${cmd%% *} out of memory: $(head -2 "$tmp/oom-fr.err")"
done
before=new_store after=logged_and_next
fault_sweep OOM eval-audit records "$bin" eval -q -a "$new" "$sample"
before= after=

# A line the machine could not read (out of memory in cJSON, the first
# allocations after those of a run on no line at all): an error record
# without candidate, and the end of the run says that its id was not
# checked against the lines after it.  A line read, then not decided, does
# not say that.
head -1 "$sample" >"$tmp/one.jsonl"
: >"$tmp/none.jsonl"
env CEV_OOM_COUNT="$tmp/count" "$bin" eval -q -j1 "$tmp/none.jsonl" >/dev/null 2>&1
k=$(cat "$tmp/count")
last=$((k + 100))
unread=
while [ "$k" -lt "$last" ] && [ -z "$unread" ]; do
    env CEV_OOM_AT=$k "$bin" eval -q -j1 "$tmp/one.jsonl" >"$tmp/unread.out" 2>"$tmp/unread.err"
    grep -q '^{"candidate":null,"line":1,"error":{"code":"E_RULE","message":"cannot decide this record: out of memory"' "$tmp/unread.out" && unread=$k
    k=$((k + 1))
done
if [ -n "$unread" ]; then
    ok
    contains unread "$tmp/unread.err" "decide it again with the whole file (a candidate id that could not be read was not checked against the lines after it)"
else
    ko "unread: no run of the 100 allocations after start-up failed reading the line"
fi

# ---- file operations ----------------------------------------------------------
runs=${CEV_IO_RUNS:-20}
before=new_store after=logged_and_next
fault_sweep IO eval-audit exact "$bin" eval -q -a "$new" "$sample"

# verify --repair on a store whose last line is torn: never a whole entry cut
new_store
"$bin" eval -q -a "$new" "$sample" >/dev/null 2>&1
cp -r "$new" "$tmp/whole"
torn() {
    rm -rf "$new" && cp -r "$tmp/whole" "$new" && printf '{"seq":45,"prev":"' >>"$new/log.jsonl"
}
nothing_cut() {
    n=$(entries)
    if [ "$n" = 44 ]; then ok; else
        ko "$1: ${n:-a store that does not verify} after repair, expected 44 entries"
        sed 's/^/  /' "$tmp/v.out" | head -3
    fi
}
before=torn after=nothing_cut
fault_sweep IO repair exact "$bin" verify --repair -a "$new"
before= after=

finish faults
