#!/bin/bash
# the A/B sessions of this folder, one after the other (old = 11c9989, fix = this branch)
S=$(cd "$(dirname "$0")/.." && pwd); A=$S/scripts
cd /tmp
node $A/ab.mjs 6 /tmp/perf-ab old fix > $S/online-pg-upgrade.txt 2>&1
PRESH='rm -f /tmp/perf-ab/up-VARIANT.sqlite*' URL='sqlite:////tmp/perf-ab/up-VARIANT.sqlite' ARGS='upgrade head' $A/cmdab.sh 6 old fix > $S/sqlite-upgrade.txt
URL=postgresql://postgres@127.0.0.1:5432/offline ARGS='upgrade head --sql' $A/cmdab.sh 8 old fix > $S/offline-upgrade-sql-2.txt
URL='postgresql://postgres@127.0.0.1:5432/cur_VARIANT' ARGS='current' $A/cmdab.sh 10 old fix > $S/pg-current.txt
URL='sqlite:////tmp/perf-ab/cur-VARIANT.sqlite' ARGS='current' $A/cmdab.sh 10 old fix > $S/sqlite-current.txt
URL='sqlite:////tmp/perf-ab/cur-VARIANT.sqlite' ARGS='history' $A/cmdab.sh 10 old fix > $S/history.txt
echo done > $S/.done
