#!/bin/bash
# The bench runs of the 2026-12-08 tenth session, in turn (nothing else running), measuring the built package at
# RETORT_ROOT (default: the repository this script is in; the session measured a separate worktree of main at the
# commit measured, so that the main checkout could be rebuilt meanwhile), results written beside this script.
set -x
O=$(cd "$(dirname "$0")" && pwd); R=${RETORT_ROOT:-$(cd "$O/../../.." && pwd)}
cd $R
node dist/bench/run.js --retort-root $R --cases floor,autogen-match,check --dialects pg,sqlite --tables 1000 --layouts star,enums --runs 5 --out $O/main
node dist/bench/run.js --retort-root $R --cases floor,cold --dialects pg,sqlite --tables 1000 --layouts star --runs 7 --no-alembic --out $O/cold
node dist/bench/run.js --retort-root $R --cases floor,cold --dialects sqlite --tables 10000 --layouts star --runs 3 --no-alembic --out $O/cold-10000
node dist/bench/run.js --retort-root $R --cases floor,upgrade,current,history,heads --dialects pg,sqlite --revisions 1000 --runs 5 --out $O/revisions
node dist/bench/run.js --retort-root $R --cases floor,cold-edit --dialects sqlite --tables 10000 --layouts star --runs 7 --no-alembic --out $O/cold-10000-edit
echo ALLDONE
