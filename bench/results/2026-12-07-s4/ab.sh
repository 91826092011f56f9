#!/bin/bash
# The same cases for the last stop's build (ecef18d, /work/base) and this one, back to back, with this bench harness.
set -x
O=/work/main/bench/results/2026-12-07-s4
node /work/main/dist/bench/run.js --retort-root /work/base --cases floor,upgrade,autogen-match --dialects pg,sqlite --tables 1000 --layouts star,enums --runs 5 --out $O/ab-base-ecef18d
node /work/main/dist/bench/run.js --retort-root /work/main --cases floor,upgrade,autogen-match --dialects pg,sqlite --tables 1000 --layouts star,enums --runs 5 --out $O/ab-main
echo ALLDONE
