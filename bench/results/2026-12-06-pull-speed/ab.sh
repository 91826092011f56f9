#!/bin/bash
# usage: ab2.sh RUNS OLD NEW: alternating old, new, node -e 0; prints CPU (user+sys) and wall per run, then medians
RUNS=${1:-7}; A=$2; B=$3
U=postgresql://postgres@127.0.0.1:5432/pullbench1000
cd /tmp/pullbench/work/schema-1000-star-createall-by250/retort
uptime
for i in $(seq 1 $RUNS); do
  for side in old new floor; do
    rm -rf /tmp/pullbench/out-$side
    case $side in
      old) cmd="node $A/bin/retort.cjs --url $U pull --out /tmp/pullbench/out-old --force" ;;
      new) cmd="node $B/bin/retort.cjs --url $U pull --out /tmp/pullbench/out-new --force" ;;
      floor) cmd="node -e 0" ;;
    esac
    /usr/bin/time -f "$side %U %S %e" -o /tmp/pullbench/t.txt $cmd >/dev/null 2>&1
    cat /tmp/pullbench/t.txt
  done
done > /tmp/pullbench/ab2.raw
awk '{cpu=$2+$3; c[$1]=c[$1]" "cpu; w[$1]=w[$1]" "$4} END {for (k in c) print k, "cpu:" c[k], "| wall:" w[k]}' /tmp/pullbench/ab2.raw
uptime
