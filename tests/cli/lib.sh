# lib.sh - what the CLI suites share (sourced; they set $tmp first).
# ok / ko MESSAGE count the checks; finish prints the tally and gives the
# suite's status.
passed=0
failed=0
ok() { passed=$((passed + 1)); }
ko() { failed=$((failed + 1)); echo "FAIL: $*"; }
# expect NAME STATUS COMMAND...: runs COMMAND, stdout/stderr to $tmp/NAME.{out,err}
expect() {
    name=$1 want=$2
    shift 2
    "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
    got=$?
    if [ "$got" -eq "$want" ]; then ok; else
        ko "$name: exit $got, expected $want"
        sed 's/^/  /' "$tmp/$name.err" | head -5
    fi
}
# contains NAME FILE TEXT: FILE holds TEXT
contains() {
    if grep -qF -- "$3" "$2"; then ok; else
        ko "$1: $(basename "$2") lacks: $3"
        sed 's/^/  /' "$2" | head -5
    fi
}
finish() { # finish [LABEL]
    echo "${1:+$1: }$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}

# ---- failures on demand (tests/support/faults.c, a certeval_faults binary) ----

# Whether every line of $1 is the line of $2 or says the machine failed.
# Or else: $2 says its candidate already appeared at line j, and $1 could
# not read line j (the machine failed before its candidate was known), so
# the candidate is new to the session there: any record of it will do.
same_or_machine() {
    awk 'function failed(l) { return l ~ /"message":"cannot decide this record: / }
         NR == FNR { want[FNR] = $0; n = FNR; next }
         { got[FNR] = $0; m = FNR }
         END {
             for (i = 1; i <= m; i++) {
                 if (got[i] == want[i] || failed(got[i])) continue
                 j = 0
                 if (match(want[i], /already appears at line [0-9]+ of this file/))
                     j = substr(want[i], RSTART + 24, RLENGTH - 37) + 0
                 split(want[i], head, ",")
                 if (j >= 1 && j < i && failed(got[j]) && index(got[j], "{\"candidate\":null,") == 1 &&
                     index(got[i], head[1] ",") == 1) continue
                 bad = 1
             }
             exit bad || m != n
         }' "$2" "$1"
}

# fault_sweep KIND NAME MODE COMMAND...: runs COMMAND once to count its calls
# of KIND ("OOM": allocations, "IO": file operations), then with the k-th
# failing, then with every one from the k-th on, for $runs values of k.
# A run must exit 2 and say why (for OOM, "out of memory"), or give the
# first run's status and output: MODE "exact", or "records" when a record
# may say instead that the machine failed (then the run says so at the end).
# $before runs before each run; $after after each, with its description.
fault_sweep() {
    kind=$1 name=$2 mode=$3
    shift 3
    [ -n "${before:-}" ] && $before
    env "CEV_${kind}_COUNT=$tmp/count" "$@" >"$tmp/$name.ref" 2>"$tmp/$name.referr"
    want=$?
    total=$(cat "$tmp/count")
    stride=$(((total + runs - 1) / runs))
    [ "$stride" -ge 1 ] || stride=1
    for persist in 0 1; do
        k=0
        while [ "$k" -lt "$total" ]; do
            [ -n "${before:-}" ] && $before
            env "CEV_${kind}_AT=$k" "CEV_${kind}_PERSIST=$persist" "$@" >"$tmp/$name.out" \
                2>"$tmp/$name.err"
            got=$?
            what="$name: call $k of $total failing$([ $persist = 1 ] && echo ' and after')"
            if [ "$got" -eq 2 ]; then
                if [ "$kind" = OOM ] && ! grep -qi "out of memory" "$tmp/$name.err"; then
                    ko "$what: exit 2 without saying out of memory"
                    head -3 "$tmp/$name.err"
                elif [ ! -s "$tmp/$name.err" ]; then
                    ko "$what: exit 2 saying nothing"
                else
                    ok
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
    echo "$name: $total calls, one in $stride failing"
}
