#!/bin/bash
# usage: count-rt.sh ROOT PROJECT_DIR DBNAME : one no-op autogenerate as a whole process, its round trips counted in
# the server log (log_statement=all for that database: one line per simple query or extended-protocol execute).
root=$1; dir=$2; db=$3
log=/var/log/postgresql/postgresql-15-main.log
before=$(wc -l < $log)
(cd $dir && DATABASE_URL=postgresql://postgres@127.0.0.1:5432/$db node $root/bin/retort.cjs revision --autogenerate -m count >/tmp/count-rt.out 2>&1; echo "exit $?" >> /tmp/count-rt.out)
sleep 0.5
tail -n +$((before+1)) $log | grep "postgres@$db LOG:  \(statement\|execute\)" > /tmp/count-rt.lines
echo "$(tail -1 /tmp/count-rt.out) round-trips $(wc -l < /tmp/count-rt.lines)"
