#!/bin/bash
# usage: loadab.sh ROUNDS PROJECT builds... : the module loader alone (load.mjs), cache emptied -> cold, then warm
R=$1; P=$2; shift 2
for i in $(seq 1 $R); do
  for b in "$@"; do
    rm -rf $P/node_modules/.cache/retort
    python3 /tmp/cold-work/cpuwrap.py "$b cold $(cut -d' ' -f1 /proc/loadavg)" node /tmp/cold-work/load.mjs /tmp/root-$b $P
    python3 /tmp/cold-work/cpuwrap.py "$b warm $(cut -d' ' -f1 /proc/loadavg)" node /tmp/cold-work/load.mjs /tmp/root-$b $P
  done
done
