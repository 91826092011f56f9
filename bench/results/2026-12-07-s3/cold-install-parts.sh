#!/bin/bash
# Cold-install's parts on the 1000-table SQLite project: each cache removed alone before a check, then a warm check; N rounds.
P=/tmp/projA; R=/work/main; N=${1:-7}; OUT=/tmp/final/decomp.txt; : > $OUT
cd $P; export DATABASE_URL=sqlite:////tmp/dbA.sqlite
node $R/bin/retort.cjs check >/dev/null; node $R/bin/retort.cjs check >/dev/null
run() { /usr/bin/time -f "$1 %e %U %S %M" -a -o $OUT node $R/bin/retort.cjs check >/dev/null 2>&1; }
for i in $(seq $N); do
  run warm
  rm -f $R/dist/bundle/.retort.cjs-*; run bundle-code-cache
  run warm
  rm -f node_modules/.cache/retort/sqlite-schema-*.json node_modules/.cache/retort/no-difference.txt; run table-cache+memo
  run warm
  rm -f node_modules/.cache/retort/no-difference.txt; run memo-only
  run warm
  rm -rf node_modules/.cache/retort/compiled; run compile-cache
  rm -rf node_modules/.cache/retort; rm -f $R/dist/bundle/.retort.cjs-*; run all
done
python3 - <<'PY'
import statistics as st
rows=[l.split() for l in open('/tmp/final/decomp.txt') if len(l.split())==5]
for k in ['warm','bundle-code-cache','memo-only','table-cache+memo','compile-cache','all']:
  r=[float(a[1]) for a in rows if a[0]==k]; c=[float(a[2])+float(a[3]) for a in rows if a[0]==k]
  print(f"{k:20s} n={len(r)} wall {st.median(r):.3f} s  cpu {st.median(c):.3f} s")
PY
