#!/bin/bash
# Alternating A/B of no-op autogenerate: builds base, main, catalog; each in its own project copy whose
# node_modules/retort-migrate points at its build. Prints one line per run: build db wall_s user_s sys_s
# usage: ab.sh ROUNDS DB PROJECT_SRC
R=$1; DB=$2; SRC=$3
for b in base main catalog; do
  root=/tmp/root-$b; [ $b = base ] && root=/tmp/wt-base
  d=/tmp/catalog-ab/$DB-$b
  if [ ! -d $d ]; then cp -r $SRC $d; rm -rf $d/node_modules/.cache; ln -sfn $root $d/node_modules/retort-migrate; fi
  (cd $d && DATABASE_URL=postgresql://postgres@127.0.0.1:5432/$DB node $root/bin/retort.cjs revision --autogenerate -m warm >/dev/null 2>&1; find migrations -name '*.ts' ! -name '*create_all*' -delete)
done
for r in $(seq 1 $R); do
  for b in base main catalog; do
    root=/tmp/root-$b; [ $b = base ] && root=/tmp/wt-base
    d=/tmp/catalog-ab/$DB-$b
    cd $d
    out=$( { DATABASE_URL=postgresql://postgres@127.0.0.1:5432/$DB /usr/bin/time -f "%e %U %S" node $root/bin/retort.cjs revision --autogenerate -m x >/dev/null 2>/tmp/catalog-ab/err-$b; } 2>&1; tail -1 /tmp/catalog-ab/err-$b)
    echo "$b $DB $out"
    find migrations -name '*.ts' ! -name '*create_all*' -delete
  done
done
