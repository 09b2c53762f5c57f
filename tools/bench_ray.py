"""`art-predict` with and without `--ray local` on the same images and model: seconds, images/s and the peak memory
of the whole process tree (the command and, with Ray, every process it starts), sampled every 0.1 s. Run:

    OMP_NUM_THREADS=2 .venv/bin/python tools/bench_ray.py MODEL IMAGE_FOLDER [REPEAT]

REPEAT (1) gives the folder that many times, to see whether memory grows with the number of images. Also checks that the two CSVs have the same rows and labels."""
import sys, time, subprocess, tempfile, psutil, pandas as pd
from pathlib import Path
from art_predict.files import find_images

model,folder = sys.argv[1:3]
repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 1
bin_,out = Path(sys.executable).parent,Path(tempfile.mkdtemp())
n = len(find_images(folder)[0])*repeat

def tree_rss(p):
    "Resident memory of `p` and all its descendants, in bytes"
    try: ps = [p] + p.children(recursive=True)
    except psutil.NoSuchProcess: return 0
    tot = 0
    for q in ps:
        try: tot += q.memory_info().rss
        except psutil.NoSuchProcess: pass
    return tot

rows = []
for name,extra in (('art-predict', []), ('art-predict --ray local', ['--ray', 'local'])):
    csv = out/f"{len(rows)}.csv"
    t = time.perf_counter()
    p = psutil.Popen([bin_/'art-predict', *[folder]*repeat, '--model', model, '--csv', csv, *extra], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while p.poll() is None: peak = max(peak, tree_rss(p)); time.sleep(0.1)
    s = time.perf_counter() - t
    rows.append((name, s, peak, csv, p.returncode))
print(f"{n} images ({folder}, {repeat} times), model {model}\n\n| | seconds | images/s | peak memory, all processes |\n|---|---|---|---|")
for name,s,peak,_,rc in rows: print(f"| `{name}` | {s:.1f} | {n/s:.1f} | {peak/2**30:.2f} GB |" + ("" if rc in (0,1) else f" exit {rc}"))
a,b = (pd.read_csv(r[3]) for r in rows)
print(f"\nsame files in the same order: {a.path.tolist() == b.path.tolist()}; labels equal: {(a.label == b.label).sum()} of {len(a)}; "
      f"largest difference of the top probability: {(a.prob - b.prob).abs().max():.5f}")
