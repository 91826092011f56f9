# usage: cpuwrap.py LABEL cmd...  -> prints LABEL wall user sys maxrssKB (all descendants reaped, incl. orphans)
import ctypes, os, resource, subprocess, sys, time
libc = ctypes.CDLL(None); libc.prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
t = time.time()
p = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
p.wait()
while True:
    try: os.wait()
    except ChildProcessError: break
w = time.time() - t
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{sys.argv[1]} wall {w:.2f} cpu {r.ru_utime + r.ru_stime:.2f} user {r.ru_utime:.2f} sys {r.ru_stime:.2f} maxrss {r.ru_maxrss//1024} MB rc {p.returncode}", flush=True)
