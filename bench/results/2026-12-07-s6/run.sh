#!/bin/bash
# The bench runs of the 2026-12-07 sixth session, in turn (nothing else running). `npm run build` first.
set -x
R=/work/main; O=/work/main/bench/results/2026-12-07-s6
cd $R
node dist/bench/run.js --retort-root $R --cases floor,upgrade,downgrade,autogen-match,check --dialects pg,sqlite --tables 1000 --layouts star,enums --runs 7 --out $O/main
node dist/bench/run.js --retort-root $R --cases floor,cold --dialects pg,sqlite --tables 1000 --layouts star --runs 9 --no-alembic --out $O/cold
node dist/bench/run.js --retort-root $R --cases floor,history,heads,current --dialects pg,sqlite --revisions 5000,10000 --runs 7 --no-alembic --out $O/listings
node dist/bench/run.js --retort-root $R --cases floor,cold --dialects pg,sqlite --tables 10000 --layouts star --runs 3 --no-alembic --out $O/cold-10000
node dist/bench/run.js --retort-root $R --cases floor,autogen-match,check --dialects sqlite --tables 5000 --layouts star --runs 5 --no-alembic --out $O/sqlite-5000
node dist/bench/run.js --retort-root $R --cases floor,autogen-match,check --dialects pg,sqlite --tables 1000 --layouts objects --runs 5 --out $O/objects
node dist/bench/run.js --retort-root $R --cases floor,pull,lint,verify --dialects pg,sqlite --tables 1000 --revisions 1000 --runs 3 --no-alembic --out $O/commands
echo ALLDONE
