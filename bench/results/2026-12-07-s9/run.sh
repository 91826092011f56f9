#!/bin/bash
# The bench runs of the 2026-12-07 ninth session, in turn (nothing else running), measuring the build in /work/benchroot
# (a worktree of main at the commit measured, `npm run build` there first), results written here.
set -x
R=${RETORT_ROOT:-/work/benchroot}; O=/work/main/bench/results/2026-12-07-s9
cd $R
node dist/bench/run.js --retort-root $R --cases floor,autogen-match,check --dialects pg,sqlite --tables 1000 --layouts star,enums --runs 5 --out $O/main
node dist/bench/run.js --retort-root $R --cases floor,cold --dialects pg,sqlite --tables 1000 --layouts star --runs 7 --no-alembic --out $O/cold
node dist/bench/run.js --retort-root $R --cases floor,cold --dialects sqlite --tables 10000 --layouts star --runs 3 --no-alembic --out $O/cold-10000
node dist/bench/run.js --retort-root $R --cases floor,upgrade,current,history,heads --dialects pg,sqlite --revisions 1000 --runs 5 --out $O/revisions
echo ALLDONE
