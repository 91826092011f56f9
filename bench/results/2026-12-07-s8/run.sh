#!/bin/bash
# The bench runs of the 2026-12-07 eighth session, in turn (nothing else running). `npm run build` first.
set -x
R=/work/main; O=/work/main/bench/results/2026-12-07-s8
cd $R
node dist/bench/run.js --retort-root $R --cases floor,autogen-match,check --dialects pg,sqlite --tables 1000 --layouts star,enums --runs 5 --out $O/main
node dist/bench/run.js --retort-root $R --cases floor,cold --dialects pg,sqlite --tables 1000 --layouts star --runs 7 --no-alembic --out $O/cold
node dist/bench/run.js --retort-root $R --cases floor,cold --dialects sqlite --tables 10000 --layouts star --runs 3 --no-alembic --out $O/cold-10000
# The PostgreSQL star floor again: its first run failed (a rebuild of dist/ while the floor script loaded it).
node dist/bench/run.js --retort-root $R --cases floor,autogen-match --dialects pg --tables 1000 --layouts star --runs 5 --out $O/main-pg-star
echo ALLDONE
