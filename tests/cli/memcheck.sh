#!/bin/sh
# Runs certeval ($CEV_MEMCHECK_BIN) under valgrind memcheck: any memory error
# or leak (definite, indirect or possible) turns the exit status into 99, so
# the CLI suites that call this wrapper fail on it.
exec valgrind -q --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite,indirect,possible \
    --show-leak-kinds=definite,indirect,possible "$CEV_MEMCHECK_BIN" "$@"
