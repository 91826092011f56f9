#!/bin/bash
# usage: coldwarm2.sh ROUNDS PROJECT DBURL "args" builds... ; sqlite db removed before each run
R=$1; P=$2; U=$3; ARGS=$4; shift 4
cd $P
for i in $(seq 1 $R); do
  for b in "$@"; do
    ln -sfn /tmp/root-$b node_modules/retort-migrate
    rm -rf node_modules/.cache/retort; rm -f /tmp/cold-work/r.db
    DATABASE_URL=$U python3 /tmp/cold-work/cpuwrap.py "$b cold $(cut -d' ' -f1 /proc/loadavg)" node node_modules/retort-migrate/bin/retort.cjs $ARGS
    rm -f /tmp/cold-work/r.db
    DATABASE_URL=$U python3 /tmp/cold-work/cpuwrap.py "$b warm $(cut -d' ' -f1 /proc/loadavg)" node node_modules/retort-migrate/bin/retort.cjs $ARGS
  done
done
