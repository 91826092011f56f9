#!/bin/bash
# usage: coldwarm.sh ROUNDS PROJECT DBURL builds... ; alternates builds, each: cache emptied -> cold, then warm
R=$1; P=$2; U=$3; shift 3
cd $P
for i in $(seq 1 $R); do
  for b in "$@"; do
    ln -sfn /tmp/root-$b node_modules/retort-migrate
    rm -rf node_modules/.cache/retort
    DATABASE_URL=$U python3 /tmp/cold-work/cpuwrap.py "$b cold $(cut -d' ' -f1 /proc/loadavg)" node node_modules/retort-migrate/bin/retort.cjs check
    DATABASE_URL=$U python3 /tmp/cold-work/cpuwrap.py "$b warm $(cut -d' ' -f1 /proc/loadavg)" node node_modules/retort-migrate/bin/retort.cjs check
  done
done
