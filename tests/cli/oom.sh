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

# Whether every line of $1 is the line of $2 or says the machine failed.
same_or_machine() {
    awk 'NR == FNR { want[FNR] = $0; n = FNR; next }
         { got++ }
         $0 != want[FNR] && $0 !~ /"message":"cannot decide this record: / { bad = 1 }
         END { exit bad || got != n }' "$2" "$1"
}

# check NAME MODE COMMAND...: MODE "exact" (stdout is the reference's) or
# "records" (stdout lines may say the machine failed).  $before runs before
# each run, $after after each sampled one (with its description).
check() {
    name=$1 mode=$2
    shift 2
    [ -n "${before:-}" ] && $before
    CEV_OOM_COUNT=$tmp/count "$@" >"$tmp/$name.ref" 2>"$tmp/$name.referr"
    want=$?
    total=$(cat "$tmp/count")
    stride=$(( (total + runs - 1) / runs ))
    [ "$stride" -ge 1 ] || stride=1
    for persist in 0 1; do
        k=0
        while [ "$k" -lt "$total" ]; do
            [ -n "${before:-}" ] && $before
            CEV_OOM_AT=$k CEV_OOM_PERSIST=$persist "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
            got=$?
            what="$name: allocation $k of $total failing$([ $persist = 1 ] && echo ' and after')"
            if [ "$got" -eq 2 ]; then
                if grep -qi "out of memory" "$tmp/$name.err"; then ok; else
                    ko "$what: exit 2 without saying out of memory"
                    head -3 "$tmp/$name.err"
                fi
            elif [ "$got" -ne "$want" ] && ! { [ "$mode" = records ] && [ "$got" -eq 1 ]; }; then
                ko "$what: exit $got, expected $want or 2"
                tail -5 "$tmp/$name.err"
            elif [ "$mode" = exact ] && ! cmp -s "$tmp/$name.out" "$tmp/$name.ref"; then
                ko "$what: output differs"
                diff "$tmp/$name.ref" "$tmp/$name.out" | head -5
            elif [ "$mode" = records ] && ! same_or_machine "$tmp/$name.out" "$tmp/$name.ref"; then
                ko "$what: records differ"
                diff "$tmp/$name.ref" "$tmp/$name.out" | head -5
            elif grep -q '"message":"cannot decide this record: ' "$tmp/$name.out" &&
                ! grep -q "could not be decided because the machine failed" "$tmp/$name.err"; then
                ko "$what: lines the machine could not decide, and no word of it at the end"
            else
                ok
            fi
            [ -n "${after:-}" ] && $after "$what"
            k=$((k + stride))
        done
    done
    echo "$name: $total allocations, one in $stride failing"
}

check eval records "$bin" eval -q -j 2 --allow-draft "$sample" "$tp"
check check-all exact "$bin" check rules/rncp36524 rules/tp-tms-2004 rules/tp-tms-2012
check test exact "$bin" test rules/rncp36524
check plugins exact "$bin" plugins
check verify exact "$bin" verify -a "$store"
check replay exact "$bin" replay -a "$store"
check diff exact "$bin" diff -a "$store" -r rules
check explain exact "$bin" explain -a "$store" AICMP-2024-001
check minutes exact "$bin" minutes -a "$store" IMELIS-2024-03

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
check eval-audit records "$bin" eval -q -a "$fresh" "$sample"
before= after=

finish oom
