"""Prediction speed, three figures with the same threads, image size (the model's) and batch size (`art-predict`'s default):
(a) a bare ONNX Runtime forward pass over preloaded, prepared images (the ceiling),
(b) `art-predict IMAGE_FOLDER --model RUN_FOLDER` (the run folder: its model.onnx), end to end (process start to CSV written),
(c) the same with the run's model.safetensors (PyTorch),
(d) (c) with glibc's malloc as it comes (`ART_PREDICT_KEEP_HEAP=0`), as `art-predict` ran before it kept freed memory for reuse.
Also the agreement of (b) and (c): labels, and the largest difference of the top probability. Run:

    OMP_NUM_THREADS=2 .venv/bin/python tools/bench.py RUN_FOLDER IMAGE_FOLDER

RUN_FOLDER must hold model.safetensors; a model.onnx is exported there first if it has none."""
import inspect, os, sys, time, subprocess, tempfile, resource, numpy as np, pandas as pd
from pathlib import Path
from art_predict.files import find_images, load_rgb
from art_predict.ort import OrtModel
from art_predict.predict import predict_images

run,folder = Path(sys.argv[1]),Path(sys.argv[2])
bin_,bs = Path(sys.executable).parent,inspect.signature(predict_images).parameters['bs'].default
if not (run/'model.onnx').exists(): subprocess.run([bin_/'art-predict-export', run/'model.safetensors', '--out', run/'model.onnx'], check=True)
fns = find_images(folder)[0]
rows,out = [],Path(tempfile.mkdtemp())
# the commands first: an ONNX Runtime session left in this process could keep threads busy beside them
for name,model,csv,env in (('(b) art-predict, the run folder (model.onnx)', run, 'onnx', {}), ('(c) art-predict, model.safetensors', run/'model.safetensors', 'safetensors', {}),
                           ('(d) (c) with malloc as it comes', run/'model.safetensors', 'malloc', {'ART_PREDICT_KEEP_HEAP': '0'})):
    t,r0 = time.perf_counter(),resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([bin_/'art-predict', folder, '--model', model, '--csv', out/f'{csv}.csv'], check=True, stdout=subprocess.DEVNULL, env={**os.environ, **env})
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    rows.append((name, time.perf_counter() - t, r1.ru_utime-r0.ru_utime, r1.ru_stime-r0.ru_stime, r1.ru_minflt-r0.ru_minflt))
om = OrtModel(run/'model.onnx')
xs = np.stack([om.prepare(load_rgb(f)) for f in fns])
om(xs[:bs]) # warm up
t = time.perf_counter()
for i in range(0, len(xs), bs): om(xs[i:i+bs])
a = time.perf_counter() - t
rows.insert(0, ('(a) ONNX Runtime forward pass, preloaded images', a, None, None, None))
n = len(fns)
print(f"{n} images from {folder}, {om.meta['size']} px, batches of {bs}\n\n| | seconds | images/s | share of (a)'s speed | user s | system s | page faults |\n|---|---|---|---|---|---|---|")
for name,s,u,k,f in rows: print(f"| {name} | {s:.1f} | {n/s:.1f} | {a/s:.2f} | " + (f"{u:.1f} | {k:.1f} | {f:,} |" if u is not None else "- | - | - |"))
b,c = (pd.read_csv(out/f'{k}.csv') for k in ('onnx', 'safetensors'))
print(f"\nlabels equal: {(b.label == c.label).sum()} of {n}; largest difference of the top probability: {(b.prob - c.prob).abs().max():.5f}")
