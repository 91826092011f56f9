#!/bin/bash
# medians of CPU (user+sys) and wall per variant, and the median of per-round ratios against the first variant, from cmdab.sh output
awk '$1!="FAIL" && NF>=5 {cpu=$3+$4; n[$1]++; c[$1,n[$1]]=cpu; w[$1,n[$1]]=$2; m[$1,n[$1]]=$5; if(!($1 in seen)){seen[$1]=1; order[++k]=$1}; l=l" "$6}
function med(arr, key, cnt,   i, a, tmp) { for (i=1;i<=cnt;i++) a[i]=arr[key,i]; asort(a); return a[int((cnt+1)/2)] }
END { base=order[1]; for (j=1;j<=k;j++) { v=order[j]; line=sprintf("%-6s n=%d cpu median %.3f s, wall median %.2f s, peak RSS median %d MB", v, n[v], med(c,v,n[v]), med(w,v,n[v]), med(m,v,n[v])/1024);
  if (j>1) { cnt=(n[v]<n[base])?n[v]:n[base]; for(i=1;i<=cnt;i++) r[v,i]=c[v,i]/c[base,i]; line=line sprintf(", per-round ratio to %s median %.3f", base, med(r,v,cnt)) } print line } print "load averages seen:" l }' "$@"
