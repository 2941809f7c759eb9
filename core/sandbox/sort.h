/*
 * sort.h - a table.sort whose order depends on its input alone.
 *
 * Layer 3 of the sandbox (state.h lists the layers), beside seal.h, cost.h
 * and repro.h.  May include and call only state.h (layer 1: the charge) and
 * Lua's API.
 *
 * Lua 5.4's table.sort is a quicksort that, for large unbalanced parts,
 * takes its pivot from clock() and time(): a rule sorting a list with ties
 * (equal keys, or a comparator that calls distinct items equal) got a
 * different order from run to run and from record to record.  This one is
 * a stable merge sort: items that compare equal keep their order, so the
 * result is a function of the list and the comparator.
 *
 * As the stock sort: table.sort(list [, comp]) sorts list[1..#list] in
 * place, reading and writing through lua_geti/lua_seti (a read-only view
 * raises on the write), with `comp(a, b)` or `<`; errors raised by `comp` or
 * by `<` propagate.  Differences: "invalid order function for sorting" is
 * never raised (an inconsistent comparator yields some permutation of the
 * list, the same on every run); the list is read whole before sorting and
 * written back after, so a comparator that reads the list sees it unsorted.
 *
 * Charged: 2 instructions per item (its read and its write) before the
 * work, then one per comparison (at most n log2 n), besides what a Lua
 * comparator runs.  Its buffer, a table of 2n slots, counts against the
 * memory cap.
 */
#ifndef CEV_SANDBOX_SORT_H
#define CEV_SANDBOX_SORT_H

#include <lua.h>

/* Replaces table.sort.  Run protected, after the table library is open and
 * before any chunk takes table.sort as a local. */
int cev_sort_open(lua_State *L);

#endif
