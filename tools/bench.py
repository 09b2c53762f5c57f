"""Prediction speed, three figures with the same threads, image size (the model's) and batch size (`art-predict`'s default):
(a) a bare ONNX Runtime forward pass over preloaded, prepared images (the ceiling),
(b) `art-predict` over a folder of real JPEGs with the ONNX model, end to end (process start to CSV written),
(c) the same with the model.safetensors (PyTorch).
Also the agreement of (b) and (c): labels, and the largest difference of the top probability. Run:

    OMP_NUM_THREADS=2 .venv/bin/python tools/bench.py RUN_FOLDER IMAGE_FOLDER

RUN_FOLDER must hold model.safetensors; it is exported to a new model.onnx there first."""
import inspect, sys, time, subprocess, tempfile, numpy as np, pandas as pd
from pathlib import Path
from art_predict.files import find_images, load_rgb
from art_predict.ort import OrtModel
from art_predict.predict import predict_images

run,folder = Path(sys.argv[1]),Path(sys.argv[2])
bin_,bs = Path(sys.executable).parent,inspect.signature(predict_images).parameters['bs'].default
subprocess.run([bin_/'art-predict-export', run/'model.safetensors', '--out', run/'model.onnx', '--overwrite'], check=True)
fns = find_images(folder)[0]
rows,out = [],Path(tempfile.mkdtemp())
# the commands first: an ONNX Runtime session left in this process could keep threads busy beside them
for name,model in (('(b) art-predict, model.onnx', run/'model.onnx'), ('(c) art-predict, model.safetensors', run/'model.safetensors')):
    t = time.perf_counter()
    subprocess.run([bin_/'art-predict', folder, '--model', model, '--csv', out/f'{model.suffix[1:]}.csv'], check=True, stdout=subprocess.DEVNULL)
    rows.append((name, time.perf_counter() - t))
om = OrtModel(run/'model.onnx')
xs = np.stack([om.prepare(load_rgb(f)) for f in fns])
om(xs[:bs]) # warm up
t = time.perf_counter()
for i in range(0, len(xs), bs): om(xs[i:i+bs])
a = time.perf_counter() - t
rows.insert(0, ('(a) ONNX Runtime forward pass, preloaded images', a))
n = len(fns)
print(f"{n} images from {folder}, {om.meta['size']} px, batches of {bs}\n\n| | seconds | images/s | share of (a)'s speed |\n|---|---|---|---|")
for name,s in rows: print(f"| {name} | {s:.1f} | {n/s:.1f} | {a/s:.2f} |")
b,c = (pd.read_csv(out/f'{k}.csv') for k in ('onnx', 'safetensors'))
print(f"\nlabels equal: {(b.label == c.label).sum()} of {n}; largest difference of the top probability: {(b.prob - c.prob).abs().max():.5f}")
