#!/bin/sh
# Every command with its allocations failing (tests/support/faults.c):
# each command is run once to count the allocations of certeval's own code,
# then with the k-th failing, then with every one from the k-th on, for k
# sampled across the run.  Each run must
#   - exit 2 saying "out of memory", or give the failure-free run's status and
#     output (eval: a record may instead say the machine failed);
#   - never crash or leak (ASan/LSan exit with another status);
#   - leave an audit store that the next run can append to, and that verifies.
# oom.sh CERTEVAL_FAULTS SOURCE_DIR TMP_DIR   (CEV_OOM_RUNS: runs per mode, default 12)
set -u
. "$(dirname "$0")/lib.sh"
bin=$1
src=$2
tmp=$3/oom
runs=${CEV_OOM_RUNS:-12}
rm -rf "$tmp" && mkdir -p "$tmp" || exit 1
cd "$src" || exit 1
sample=examples/sessions/rncp36524-sample.jsonl
tp=examples/sessions/tp-sample.jsonl
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

# eval -a into a new store each time; whatever it left, the next run appends
# and the store verifies
fresh=$tmp/fresh
next_run() {
    if "$bin" eval -q -a "$fresh" "$tp" >/dev/null 2>"$tmp/next.err" || [ $? -eq 1 ]; then
        if "$bin" verify -a "$fresh" >"$tmp/verify.out" 2>&1; then ok; else
            ko "$1: the store left does not verify"
            cat "$tmp/verify.out"
        fi
    else
        ko "$1: the next run cannot use the store"
        cat "$tmp/next.err"
    fi
}
new_store() { rm -rf "$fresh"; }
before=new_store after=next_run
fault_sweep OOM eval-audit records "$bin" eval -q -a "$fresh" "$sample"
before= after=

finish oom
