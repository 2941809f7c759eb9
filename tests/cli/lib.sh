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
