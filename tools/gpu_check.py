"""The GPU check of issue 19, for a machine with CUDA: run by `tools/gpu_check.sh`.

1. The staged recipe under `accelerate launch --multi_gpu` on every GPU (a short run: one frozen epoch, one unfrozen).
2. The default recipe's features on the GPU: PyTorch CUDA (`probe_art(engine='torch')`), and ONNX Runtime's CUDA
   provider where `onnxruntime-gpu` is installed; each checked against ONNX Runtime on the CPU (features within
   1e-3, the same labels on every validation image), with images/s.

`GPU_CHECK_DEVICE=cpu` runs the same steps on the CPU (two processes for the launch, `torch` on the CPU for the
features): a dry run that checks the script itself where there is no GPU; its figures are not GPU figures.
"""
import json, os, subprocess, sys, tempfile, time
from pathlib import Path
import numpy as np, torch

data = Path(sys.argv[1]) if len(sys.argv) > 1 else None  # a dataset root; the bundled sample if not given
dry = os.environ.get('GPU_CHECK_DEVICE') == 'cpu'
ngpu = torch.cuda.device_count()
if not dry and not ngpu: sys.exit("gpu_check: PyTorch sees no CUDA GPU here (torch.cuda.device_count() == 0); GPU_CHECK_DEVICE=cpu runs a dry run on the CPU")
bin_,out = Path(sys.executable).parent,Path(tempfile.mkdtemp(prefix='gpu_check'))
print(f"torch {torch.__version__}, CUDA {torch.version.cuda}, {ngpu} GPU(s): {[torch.cuda.get_device_name(i) for i in range(ngpu)]}" + (" (dry run on the CPU)" if dry else ""), flush=True)

# 1. the staged recipe under accelerate launch, on all GPUs
nproc = 2 if dry else max(ngpu, 1)
cmd = [bin_/'accelerate', 'launch', '--multi_gpu', '--num_processes', str(nproc), '--num_machines', '1', '--mixed_precision', 'no', '--dynamo_backend', 'no',
       bin_/'art-predict-train', '--recipe', 'staged', '--epochs', '1,1', '--lrs', '1e-3,1e-5:1e-4', '--out', out/'staged'] + (['--data', data] if data else [])
if nproc == 1: cmd[2:5] = ['--num_processes', '1'] # accelerate wants two or more with --multi_gpu
t = time.perf_counter()
r = subprocess.run(list(map(str, cmd)), capture_output=True, text=True, env={**os.environ, **({'CUDA_VISIBLE_DEVICES': ''} if dry else {})})
s = time.perf_counter() - t
if r.returncode: sys.exit(f"gpu_check: the staged recipe under accelerate launch failed (exit {r.returncode}):\n{r.stderr[-3000:]}")
rec = json.loads((out/'staged'/'recipe.json').read_text())
n_img = (rec['n_train']*sum(rec['epochs']))
print(f"staged, accelerate launch, {nproc} process(es): world_size {rec['world_size']}, accuracy {rec['accuracy']:.4f}, {s:.0f} s in all, "
      f"about {n_img/rec['seconds_by_step']['stages']:.1f} training images/s over its stages", flush=True)

# 2. the default recipe's features: ONNX Runtime on the CPU (the reference), then PyTorch on the GPU, then ORT's CUDA provider
from art_predict.run import probe_art, run_features
from art_predict.probe import probe_learner
from art_predict.data import art_dls
from art_predict.models import PROBE_ARCH
import onnxruntime as ort
dls = art_dls(data, size=544, resize='squish', bs=32)
items = list(dls.valid_ds.items)
n_all = len(dls.train_ds) + len(dls.valid_ds) # run_features computes both splits' features
learn = probe_learner(dls, PROBE_ARCH)
def timed(f):
    t = time.perf_counter(); res = f(); return res, n_all/(time.perf_counter()-t)
(_,_,f_cpu,_),ips_cpu = timed(lambda: run_features(learn, 'onnxruntime', progress=False))
print(f"features, ONNX Runtime on the CPU: {ips_cpu:.1f} images/s on {n_all} training and validation images", flush=True)
dev = torch.device('cpu' if dry else 'cuda')
learn.dls.to(dev); learn.model.to(dev)
(_,_,f_gpu,_),ips_gpu = timed(lambda: run_features(learn, 'torch', progress=False))
d = float((f_gpu.cpu() - f_cpu).abs().max())
print(f"features, PyTorch on {dev}: {ips_gpu:.1f} images/s; largest difference from ONNX Runtime's on the CPU: {d:.2e}", flush=True)
ok = d < 1e-3
if 'CUDAExecutionProvider' in ort.get_available_providers():
    from art_predict.export import export_features
    from art_predict.data import dls_prep
    from art_predict.files import load_rgb, prepare
    prep = dls_prep(dls); g = export_features(learn.model[0].cpu(), out/'features.onnx', prep['size'], prep['mean'], prep['std'])
    sess = ort.InferenceSession(str(g), providers=['CUDAExecutionProvider', 'CPUExecutionProvider'])
    xs = np.stack([prepare(load_rgb(p), prep['size'], prep['resize']) for p in items])
    t = time.perf_counter(); f_ort = np.concatenate([sess.run(None, {sess.get_inputs()[0].name: xs[i:i+32]})[0] for i in range(0, len(xs), 32)])
    d2 = float(np.abs(f_ort - f_cpu.numpy()).max()); ok &= d2 < 1e-3
    print(f"features, ONNX Runtime CUDA provider: {len(items)/(time.perf_counter()-t):.1f} images/s (images decoded beforehand); largest difference: {d2:.2e}")
else: print("ONNX Runtime's CUDA provider: not installed (onnxruntime, not onnxruntime-gpu); skipped")

# the default recipe's run on the GPU against the same run on the CPU: the same labels on every validation image
import pandas as pd
for name,engine in (('cpu', 'onnxruntime'), ('gpu', 'torch')):
    probe_art(data, out=out/f"probe_{name}", engine=engine, cv=False)
a,b = (pd.read_csv(out/f"probe_{n}"/'predictions.csv') for n in ('cpu', 'gpu'))
assert a.path.tolist() == b.path.tolist(), "the two runs' predictions.csv list different images"
same,dp = int((a.label == b.label).sum()),float((a.prob - b.prob).abs().max())
print(f"default recipe, features on {dev} against ONNX Runtime on the CPU: the same labels on {same} of {len(a)} validation images, probabilities within {dp:.1e}")
ok &= same == len(a) and dp < 1e-3
print("gpu_check: " + ("passed" if ok else "FAILED") + (" (dry run on the CPU, not a GPU figure)" if dry else ""))
sys.exit(0 if ok else 1)
