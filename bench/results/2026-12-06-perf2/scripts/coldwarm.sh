#!/bin/bash
# cold (compile cache emptied) and warm runs of one retort command in a project, alternating, R rounds; GNU time's
# wall, user, sys, peak RSS. usage: coldwarm.sh R PROJECT URL ARGS...
R=$1; P=$2; U=$3; shift 3
cd $P
RETORT_DATABASE_URL=$U node node_modules/retort-migrate/bin/retort.cjs "$@" >/dev/null 2>&1  # fill the cache once
for i in $(seq 1 $R); do
  rm -rf node_modules/.cache/retort
  /usr/bin/time -f "cold %e %U %S %M $(cut -d' ' -f1 /proc/loadavg)" env RETORT_DATABASE_URL=$U node node_modules/retort-migrate/bin/retort.cjs "$@" 2>&1 >/dev/null | tail -1
  /usr/bin/time -f "warm %e %U %S %M $(cut -d' ' -f1 /proc/loadavg)" env RETORT_DATABASE_URL=$U node node_modules/retort-migrate/bin/retort.cjs "$@" 2>&1 >/dev/null | tail -1
done
