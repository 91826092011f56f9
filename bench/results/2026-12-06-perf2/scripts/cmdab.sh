#!/bin/bash
# paired A/B of one retort command's client CPU (user+sys, GNU time), R rounds of the variants in turn.
# usage: URL=... ARGS="upgrade head --sql" cmdab.sh R variant...   (projects /tmp/perf-ab/<variant>, builds /tmp/perf-roots/<variant>)
# PRESH (optional): a shell command run before each timed one, VARIANT replaced (e.g. rm -f a SQLite file).
# PREP (optional): a retort command run before each timed one (not timed), e.g. "downgrade base" for SQLite.
R=$1; shift
for i in $(seq 1 $R); do for v in "$@"; do
  cd /tmp/perf-ab/$v
  u="${URL//VARIANT/$v}"
  [ -n "$PRESH" ] && eval "${PRESH//VARIANT/$v}"
  [ -n "$PREP" ] && RETORT_DATABASE_URL=$u node /tmp/perf-roots/$v/bin/retort.cjs $PREP >/dev/null 2>&1
  /usr/bin/time -f "$v %e %U %S %M" env RETORT_DATABASE_URL=$u node /tmp/perf-roots/$v/bin/retort.cjs $ARGS >/dev/null 2>/tmp/perf-ab/t-$v.err || { echo "FAIL $v"; tail -3 /tmp/perf-ab/t-$v.err; }
  echo "$(tail -1 /tmp/perf-ab/t-$v.err) $(cut -d' ' -f1 /proc/loadavg)"
done; done
