#!/bin/bash
N=${1:-8}; A=$2; B=$3; OUT=$4
P=/tmp/lintb/work/revisions-1000/retort
export RETORT_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/retort_offline
cd $P
: > $OUT
for i in $(seq 1 $N); do
  for R in $A $B; do
    /usr/bin/time -o /tmp/lintb/t1 -f "$R %U %S %e" node $R/bin/retort.cjs lint --range :heads >/dev/null; cat /tmp/lintb/t1 >> $OUT
  done
  /usr/bin/time -o /tmp/lintb/t1 -f "floor %U %S %e" node -e 0; cat /tmp/lintb/t1 >> $OUT
  echo "load $(cut -d' ' -f1-3 /proc/loadavg)" >> $OUT
done
