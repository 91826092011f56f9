#!/bin/bash
# paired offline A/B: `upgrade head --sql` client CPU (user+sys) per variant, R rounds
R=$1; shift
for i in $(seq 1 $R); do for v in "$@"; do (cd /tmp/perf-ab/$v; /usr/bin/time -f "$v %e %U %S" env RETORT_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/offline node /tmp/perf-roots/$v/bin/retort.cjs upgrade head --sql > /dev/null 2>/tmp/perf-ab/t-$v.err; tail -1 /tmp/perf-ab/t-$v.err); done; done
