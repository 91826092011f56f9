# usage: med.py FILE : medians of cpu, wall and maxrss per "build kind" (lines from cpuwrap.py)
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    m = re.match(r'(\S+) (cold|warm) (\S+) wall (\S+) cpu (\S+) .* maxrss (\d+) MB rc (\d+)', line)
    if not m: continue
    rows.setdefault((m[1], m[2]), []).append((float(m[5]), float(m[4]), int(m[6]), float(m[3])))
med = {}
for k, v in sorted(rows.items()):
    c, w, r, l = (statistics.median(x[i] for x in v) for i in range(4))
    med[k] = (c, w, r)
    print(f"{k[0]} {k[1]}: n={len(v)} cpu {c:.2f} s (min {min(x[0] for x in v):.2f}, max {max(x[0] for x in v):.2f}), wall {w:.2f} s, peak RSS {r} MB, load {min(x[3] for x in v):.1f}-{max(x[3] for x in v):.1f}")
for b in sorted({k[0] for k in med}):
    if (b, 'cold') in med and (b, 'warm') in med:
        print(f"{b} cold/warm: cpu {med[(b,'cold')][0]/med[(b,'warm')][0]:.2f}x, wall {med[(b,'cold')][1]/med[(b,'warm')][1]:.2f}x")
