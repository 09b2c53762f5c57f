"""Issue 17's first lever, measured: the default recipe's features on ONNX Runtime, and views that its speed pays for.

Exports the default recipe's frozen body (`PooledFeatures(backbone_blocks('mobilenet_v2'), TAPS[...])`, ImageNet
normalisation inside the graph, uint8 pixels in) to ONNX once, runs it with ONNX Runtime over the training images
(prepared by `art_predict.files.prepare`, squished to SIZE), and times it against the PyTorch body on the same
images. Then the 5-fold cross-validated accuracy of the default head (`cv_accuracy`, C=0.003) within `training_set`,
for 3 fold seeds, for: the plain view; the mean of the plain and the horizontally flipped view's features; and the
mean of the plain views at SIZE and at SIZE2. Prints one line per figure; --out keeps the features as .npz.
Run: OMP_NUM_THREADS=2 .venv/bin/python tools/exp_ort_views.py --data ../shared/data/art --out runs/exp/ort"""
import time, numpy as np, torch, onnxruntime as ort
from pathlib import Path
from PIL import Image
from fastcore.script import call_parse
from fastai.vision.all import imagenet_stats
from art_predict.files import load_rgb, prepare, normalise
from art_predict.data import find_splits, class_folders, find_images
from art_predict.models import backbone_blocks, PooledFeatures, TAPS
from art_predict.probe import cv_accuracy

class _Body(torch.nn.Module):
    "uint8 (n, h, w, 3) pixels in, pooled features out: the normalisation inside the graph, as `export_onnx` does"
    def __init__(self, body, mean, std):
        super().__init__(); self.body = body
        self.register_buffer('mean', torch.tensor(mean).view(1,3,1,1)*255); self.register_buffer('std', torch.tensor(std).view(1,3,1,1)*255)
    def forward(self, x): return self.body((x.permute(0,3,1,2).float() - self.mean) / self.std)

def export_body(fname, size):
    body = _Body(PooledFeatures(backbone_blocks('mobilenet_v2'), TAPS['mobilenet_v2']).eval(), *imagenet_stats).eval()
    torch.onnx.export(body, (torch.zeros(2, size, size, 3, dtype=torch.uint8),), str(fname), input_names=['image'], output_names=['features'],
                      dynamic_shapes=({0: torch.export.Dim('batch')},), dynamo=True, external_data=False)
    return body

def ort_features(sess, ims, size, flip=False, bs=16):
    res = []
    for i in range(0, len(ims), bs):
        xb = np.stack([prepare(im.transpose(Image.FLIP_LEFT_RIGHT) if flip else im, size, 'squish') for im in ims[i:i+bs]])
        res.append(sess.run(None, {'image': xb})[0])
    return np.concatenate(res)

@call_parse
def main(data:str='../shared/data/art', size:int=544, size2:int=416, out:str='runs/exp/ort', n_torch:int=160, threads:int=2):
    trn,_ = find_splits(data)
    dirs = class_folders(trn)
    paths = [p for d in dirs for p in find_images(d)[0]]
    y = np.array([[d.name for d in dirs].index(p.parent.name) for p in paths])
    t = time.perf_counter(); ims = [load_rgb(p) for p in paths]; t_read = time.perf_counter()-t
    print(f"{len(paths)} training images read in {t_read:.0f} s", flush=True)
    Path(out).mkdir(parents=True, exist_ok=True)
    so = ort.SessionOptions(); so.intra_op_num_threads = threads; so.add_session_config_entry('session.intra_op.allow_spinning', '0')
    feats = {}
    for s in sorted({size, size2}):
        body = export_body(Path(out)/f'body_{s}.onnx', s)
        sess = ort.InferenceSession(str(Path(out)/f'body_{s}.onnx'), so, providers=['CPUExecutionProvider'])
        for flip in ((False, True) if s == size else (False,)):
            t = time.perf_counter(); f = ort_features(sess, ims, s, flip); dt = time.perf_counter()-t
            feats[(s, flip)] = f
            print(f"ORT features at {s} px{' flipped' if flip else ''}: {dt:.0f} s, {len(ims)/dt:.1f} images/s", flush=True)
        if s == size: # the same images through the PyTorch body (channels-last, as `features` runs it), and the same numbers
            sub = ims[:n_torch]; m = body.to(memory_format=torch.channels_last)
            t = time.perf_counter()
            with torch.inference_mode(): ft = np.concatenate([m(torch.from_numpy(np.stack([prepare(im, s, 'squish') for im in sub[i:i+16]]))).numpy() for i in range(0, len(sub), 16)])
            dt = time.perf_counter()-t
            print(f"PyTorch features at {s} px: {len(sub)/dt:.1f} images/s on {len(sub)} images; largest difference to ORT {np.abs(ft-feats[(s, False)][:len(sub)]).max():.2e}", flush=True)
    np.savez(Path(out)/'features.npz', y=y, paths=np.array([str(p) for p in paths]), **{f"f{s}{'_flip' if fl else ''}": v for (s,fl),v in feats.items()})
    views = {'plain': feats[(size, False)], 'plain + flip (mean)': (feats[(size, False)]+feats[(size, True)])/2}
    if size2 != size: views[f'{size} + {size2} (mean)'] = (feats[(size, False)]+feats[(size2, False)])/2
    for k,v in views.items():
        t = time.perf_counter(); cvs = [cv_accuracy(torch.from_numpy(v), torch.from_numpy(y), seed=sd) for sd in (0,1,2)]
        print(f"5-fold CV, {k}: {' '.join(f'{c:.4f}' for c in cvs)} (mean {np.mean(cvs):.4f}; {time.perf_counter()-t:.0f} s)", flush=True)
