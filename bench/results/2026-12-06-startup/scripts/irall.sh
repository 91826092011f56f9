#!/bin/bash
W=/tmp/su-work; P10=postgresql://postgres@127.0.0.1:5432/su_cur10k; P5=postgresql://postgres@127.0.0.1:5432/su_cur5k; S10=sqlite:///$W/current_10000_sqlite.sqlite; S5=sqlite:///$W/current_5000_sqlite.sqlite
echo "node $(/tmp/su/ir.sh node -e 0)"
for n in 5k 10k; do P=$([ $n = 5k ] && echo $P5 || echo $P10); S=$([ $n = 5k ] && echo $S5 || echo $S10)
for b in main s2; do x=$([ $b = main ] && echo A || echo B); cd $W/p$n-$x
echo "$n $b history $(/tmp/su/ir.sh node /tmp/root-$b/bin/retort.cjs history) heads $(/tmp/su/ir.sh node /tmp/root-$b/bin/retort.cjs heads) curpg $(DATABASE_URL=$P /tmp/su/ir.sh node /tmp/root-$b/bin/retort.cjs current) cursq $(DATABASE_URL=$S /tmp/su/ir.sh node /tmp/root-$b/bin/retort.cjs current)"
done; done
echo "node $(/tmp/su/ir.sh node -e 0)"
