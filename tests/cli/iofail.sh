#!/bin/sh
# File operations failing (tests/support/faults.c): `eval -a` into a new
# store and `verify --repair` on a torn one, with the k-th write, fsync,
# rename, ftruncate or mkdir failing, then with every one from the k-th on.
# Each run must
#   - exit 2 saying why, or give the failure-free run's status and output;
#   - hand out no decision whose entry is not in the log;
#   - leave a store that verifies, or whose only problem is a torn last line
#     that --repair cuts; the next run then appends to it, and it verifies;
#   - (--repair) never cut a whole entry.
# iofail.sh CERTEVAL_FAULTS SOURCE_DIR TMP_DIR   (CEV_IO_RUNS: runs per mode, default 20)
set -u
. "$(dirname "$0")/lib.sh"
bin=$1
src=$2
tmp=$3/iofail
runs=${CEV_IO_RUNS:-20}
rm -rf "$tmp" && mkdir -p "$tmp" || exit 1
cd "$src" || exit 1
sample=examples/sessions/rncp36524-sample.jsonl
tp=examples/sessions/tp-sample.jsonl
store=$tmp/store

# The entries of $store that verify says it holds ("ok, N entries"), after
# --repair when only a torn last line is wrong; empty when it does not hold.
entries() {
    if ! "$bin" verify -a "$store" >"$tmp/v.out" 2>&1; then
        grep -q "is torn" "$tmp/v.out" && "$bin" verify --repair -a "$store" >"$tmp/v.out" 2>&1 ||
            return
    fi
    sed -n 's/.*: ok, \([0-9]*\) entries.*/\1/p' "$tmp/v.out"
}

# -- eval -a into a new store -------------------------------------------------
new_store() { rm -rf "$store"; }
logged_and_next() {
    handed=$(wc -l <"$tmp/eval.out")
    n=$(entries)
    if [ -z "$n" ] && [ ! -e "$store/log.jsonl" ] && [ "$handed" -eq 0 ]; then
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
    "$bin" eval -q -a "$store" --allow-draft "$tp" >/dev/null 2>"$tmp/next.err"
    st=$?
    n2=$(entries)
    if [ "$st" -le 1 ] && [ "${n2:-none}" = "$((${n:-0} + 6))" ]; then
        ok
    else
        ko "$1: the next run (exit $st) left ${n2:-a store that does not verify} after ${n:-0} entries"
        sed 's/^/  /' "$tmp/next.err" | head -3
    fi
}
before=new_store after=logged_and_next
fault_sweep IO eval exact "$bin" eval -q -a "$store" "$sample"

# -- verify --repair on a store whose last line is torn -------------------------
rm -rf "$store"
"$bin" eval -q -a "$store" "$sample" >/dev/null 2>&1
cp -r "$store" "$tmp/whole"
torn() {
    rm -rf "$store" && cp -r "$tmp/whole" "$store" && printf '{"seq":45,"prev":"' >>"$store/log.jsonl"
}
nothing_cut() {
    n=$(entries)
    if [ "$n" = 44 ]; then ok; else
        ko "$1: ${n:-a store that does not verify} after repair, expected 44 entries"
        sed 's/^/  /' "$tmp/v.out" | head -3
    fi
}
before=torn after=nothing_cut
fault_sweep IO repair exact "$bin" verify --repair -a "$store"
before= after=

finish iofail
