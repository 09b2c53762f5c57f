"""Archive scale on a real two-node Ray cluster on this machine (`LocalCluster`): `art-predict --ray` over N images, and the
features of a training run over N images, with images/s and the peak memory of the driver (the command and what it starts)
and of each node (its raylet and every worker it starts), sampled every 0.2 s. Run:

    .venv/bin/python tools/bench_archive.py MODEL predict 10000,20000,40000 [ACTORS]
    .venv/bin/python tools/bench_archive.py MODEL features 5000,10000 [ACTORS]

The images are the bundled sample's (350 since issue 17, 200 when README's figures were measured), repeated (folders given several times; the CSV streams their rows), so `predict` rounds N down to whole passes over them. For `features`
MODEL is a run folder whose `recipe.json` names the backbones and size: its features graph is exported once and computed
over the repeated files by `features_ray`, in a driver process of its own. Prints a Markdown table."""
import json, subprocess, sys, tempfile, time, psutil
from pathlib import Path
from art_predict.files import art_sample
from art_predict.raydata import LocalCluster

model,what,counts = sys.argv[1],sys.argv[2],[int(o) for o in sys.argv[3].split(',')]
actors = int(sys.argv[4]) if len(sys.argv) > 4 else 2
bin_,out = Path(sys.executable).parent,Path(tempfile.mkdtemp())
folders = [art_sample()/'training_set', art_sample()/'validation_set']
per = sum(1 for f in folders for p in f.rglob('*') if p.is_file()) # images in one pass over the folders

def tree(pid):
    try: p = psutil.Process(pid); return [p] + p.children(recursive=True)
    except psutil.Error: return []
def rss(ps):
    tot = 0
    for q in ps:
        try: tot += q.memory_info().rss
        except psutil.Error: pass
    return tot

FEATS = """import sys, json, time, numpy as np
from pathlib import Path
from art_predict.raydata import ray_session, features_ray
from art_predict.models import probe_body
from art_predict.export import export_features
from art_predict.files import find_images
run,address,n,actors,graph = Path(sys.argv[1]),sys.argv[2],int(sys.argv[3]),int(sys.argv[4]),Path(sys.argv[5])
r = json.loads((run/'recipe.json').read_text())
if not graph.exists():
    from fastai.vision.all import imagenet_stats
    export_features(probe_body(r['arch']), graph, r['size'], *imagenet_stats)
fns = [p for f in sys.argv[6:] for p in find_images(f)[0]]
paths = (fns * (n // len(fns) + 1))[:n]
with ray_session(address):
    t = time.perf_counter(); f = features_ray(graph, paths, r['resize'], actors=actors)
    print(json.dumps(dict(seconds=time.perf_counter()-t, shape=list(f.shape))))
"""

rows = []
with LocalCluster(nodes=2, cpus=1) as cl:
    for n in counts:
        if what == 'predict':
            n = max(1, n//per)*per # whole passes over the folders: N rounded down to a multiple of `per`, the count the table gives
            cmd = [bin_/'art-predict', *folders*(n//per), '--model', model, '--ray', cl.address, '--ray-actors', str(actors), '--csv', out/f"{n}.csv"]
        else: cmd = [sys.executable, '-c', FEATS, model, cl.address, str(n), str(actors), out/'features.onnx', *folders]
        t = time.perf_counter()
        # stderr goes to a file, never a pipe that nobody reads until the end: a full pipe (64 kB of Ray's warnings) blocks
        # the writer, and Ray Data's executor with it (a 100,000-image run stalled that way for 18 minutes)
        err = open(out/f"{n}.stderr", 'w+')
        p = subprocess.Popen(list(map(str, cmd)), stdout=subprocess.PIPE if what != 'predict' else subprocess.DEVNULL, stderr=err, text=True, env=cl.env)
        peak = [0, 0, 0]
        while p.poll() is None:
            for k,pid in enumerate((p.pid, cl.raylet(0), cl.raylet(1))):
                peak[k] = max(peak[k], rss(tree(pid)))
            time.sleep(0.2)
        s = time.perf_counter() - t
        o,_ = p.communicate(); err.seek(0); e = err.read(); err.close()
        if what == 'predict':
            lines = sum(1 for _ in open(out/f"{n}.csv")) - 1
            ok = f"{lines} rows" + ("" if lines == n else f" (expected {n})")
        else:
            try: res = json.loads(o.strip().splitlines()[-1]); ok = f"features {res['shape']}, {res['seconds']:.0f} s in features_ray"
            except Exception: ok = f"failed: {e[-500:]}"
        rows.append((n, s, peak, ok, p.returncode))
        print(rows[-1], flush=True)
print(f"\n{what}, model {model}, 2 nodes of 1 CPU, {actors} actors\n\n| images | seconds | images/s | driver peak | node 1 peak | node 2 peak | |\n|---|---|---|---|---|---|---|")
for n,s,(d,a,b),ok,rc in rows: print(f"| {n:,} | {s:.0f} | {n/s:.1f} | {d/2**30:.2f} GB | {a/2**30:.2f} GB | {b/2**30:.2f} GB | {ok}, exit {rc} |")
