"""Issue 17: richer pooling of the default body's blocks, measured on cached features (one extraction, many variants).

The default body (MobileNetV2 at 544 px with EfficientNet-Lite0 at 320, one graph) is exported once with every block's
output pooled several ways: the mean and standard deviation over space (what `PooledFeatures` gives), the maximum, and
for the blocks named in GRAM the Gram matrix of the channels (upper triangle, averaged over positions): a second-order
texture statistic, as in style transfer and bilinear pooling, which mean and std (its diagonal) only sample.
The graph runs on ONNX Runtime over `training_set` and `validation_set` (squished, as the default), and the features
are cached in --out with `layout.json` naming each column range. Then `--step cv` gives the 5-fold cross-validated
accuracy within `training_set` of the default head (standardised logistic regression) on each variant, for the fold seeds.
A variant is a ';'-separated list; each is space-separated terms `bb:blocks:kinds` (e.g. `m:13,16,17,18:mean,std`),
plus options `C=...`, `sqrt` (signed square root of the Gram columns), `sqrtall` (of every column), `gw=...` (the Gram columns' weight after
standardisation, a stronger (<1) or weaker (>1) L2 penalty on them than on the others), `tol=...` (the solver's
stopping tolerance: a cheaper, less converged head), `f32` (the head fitted in float32, as a run fits it), and for the Gram
matrices as matrices (`matrix_pool`): `cov` (centred: the covariance of the channels), `mpow=...` (each matrix's eigenvalues
raised to that power: matrix power normalisation, as in MPN-COV; 0.5 is the matrix square root) or `logm` (their log,
plus `eps=...`).
Run:
    OMP_NUM_THREADS=2 .venv/bin/python tools/exp_pool.py --step features
    OMP_NUM_THREADS=2 .venv/bin/python tools/exp_pool.py --step cv --variants "m:13,16,17,18:mean,std e:5,6,7,10:mean,std"
The matrix-pooling rows of README (from the repository root; the tool imports `exp_levers` beside it):
    B="m:13,16,17,18:mean,std e:5,6,7,10:mean,std m:13:gram e:5:gram f32"
    OMP_NUM_THREADS=2 PYTHONPATH=tools .venv/bin/python tools/exp_pool.py --step cv --variants "$B mpow=0.5;$B cov mpow=0.5;$B cov sqrt;$B sqrt"
    OMP_NUM_THREADS=2 PYTHONPATH=tools .venv/bin/python tools/exp_pool.py --step cv --variants "$B sqrt gw=2;$B mpow=0.5 m:16:gram"
    OMP_NUM_THREADS=2 PYTHONPATH=tools .venv/bin/python tools/exp_pool.py --step cv --variants "$B logm"
`--step save` writes the first variant's columns (float32) as `gram_train.npy` with `y_train.npy` into --to, for
`tools/exp_levers.py --step suspects --out <to> --combos gram` (README's suspects lever on the Gram default's features):
    OMP_NUM_THREADS=2 .venv/bin/python tools/exp_pool.py --step save --to runs/exp/levers2 --variants "m:13,16,17,18:mean,std e:5,6,7,10:mean,std m:13:gram e:5:gram sqrt"
"""
import json, time, numpy as np, torch
from pathlib import Path
from torch import nn
from fastcore.script import call_parse
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from art_predict.models import probe_body, get_arch, PROBE_ARCH
from art_predict.probe import _clf
from art_predict.export import export_features
from exp_levers import split_paths, view_features

# blocks whose channel Gram matrix is pooled, per backbone (MobileNetV2 `features` index; Lite0's flat Sequential index)
GRAM = {'m': (3, 6, 10, 13, 16), 'e': (3, 4, 5, 6)}

class RichPooled(nn.Module):
    "Every block's mean, std and max over space, and the Gram matrix of the blocks in `gram`, concatenated"
    def __init__(self, blocks, gram): super().__init__(); self.blocks,self.gram = blocks,tuple(gram)
    def forward(self, x):
        res = []
        for i,b in enumerate(self.blocks):
            x = b(x)
            res += [x.mean((2,3)), x.std((2,3), correction=0), x.amax((2,3))]
            if i in self.gram:
                n,c,h,w = x.shape; z = x.reshape(n, c, h*w)
                g = z @ z.transpose(1, 2) / (h*w)
                iu = torch.triu_indices(c, c)
                res.append(g[:, iu[0], iu[1]])
        return torch.cat(res, 1)

def rich_body():
    body = probe_body(PROBE_ARCH).eval()
    layout,o = [],0
    for bb,v in zip(('m', 'e'), body.views):
        v.feats = RichPooled(v.feats.blocks, GRAM[bb])
        x = torch.zeros(1, 3, 64, 64)
        for i,b in enumerate(v.feats.blocks):
            with torch.no_grad(): x = b(x)
            c = x.shape[1]
            for kind in ('mean', 'std', 'max'): layout.append([bb, i, kind, o, o+c]); o += c
            if i in GRAM[bb]: layout.append([bb, i, 'gram', o, o+c*(c+1)//2]); o += c*(c+1)//2
    return body, layout

def select(layout, terms):
    cols = []
    for t in terms:
        bb,blocks,kinds = t.split(':')
        blocks = set(map(int, blocks.split(','))) if blocks != '*' else None
        for b,i,k,a,z in layout:
            if b == bb and (blocks is None or i in blocks) and k in kinds.split(','): cols.append((a, z, k))
    return cols

def matrix_pool(f, layout, bb, i, a, z, opts, dtype):
    "Block `i`'s Gram columns `a:z` as matrices: centred to the covariance with `cov`; their eigenvalues raised to `mpow` (matrix power normalisation) or logged with `logm`; upper triangle again"
    g = np.asarray(f[:, a:z], dtype=np.float64); c = int((np.sqrt(8*(z-a)+1)-1)/2); iu = np.triu_indices(c)
    m = np.zeros((len(g), c, c)); m[:, iu[0], iu[1]] = g; m = m + np.triu(m, 1).transpose(0, 2, 1)
    if 'cov' in opts:
        (ma,mz), = [(a_, z_) for b_,i_,k_,a_,z_ in layout if (b_, i_, k_) == (bb, i, 'mean')]
        mu = np.asarray(f[:, ma:mz], dtype=np.float64); m -= mu[:, :, None]*mu[:, None, :]
    if 'mpow' in opts or 'logm' in opts:
        w,u = np.linalg.eigh(m); w = np.clip(w, 0, None)
        w = np.log(w + float(opts.get('eps', 1e-3))) if 'logm' in opts else w**float(opts['mpow'])
        m = (u*w[:, None, :]) @ u.transpose(0, 2, 1)
    return m[:, iu[0], iu[1]].astype(dtype)

def variant(f, layout, v, dtype=np.float64):
    "The columns of variant `v` (signed square roots of the Gram columns with `sqrt`; `cov`, `mpow=`, `logm`: see `matrix_pool`), each column's kind, and its options"
    terms = v.split(); opts = dict(o.split('=') if '=' in o else (o, '1') for o in terms if ':' not in o)
    parts,kinds = [],[]
    for a,z,k in select(layout, [t for t in terms if ':' in t]):
        if k == 'gram' and ({'cov', 'mpow', 'logm'} & set(opts)):
            (bb,i), = [(b_, i_) for b_,i_,k_,a_,z_ in layout if (a_, z_, k_) == (a, z, k)]
            p = matrix_pool(f, layout, bb, i, a, z, opts, dtype)
            parts.append(np.sign(p)*np.sqrt(np.abs(p)) if 'sqrt' in opts else p); kinds += [k]*(z-a); continue
        p = np.asarray(f[:, a:z], dtype=dtype)
        root = (k == 'gram' and 'sqrt' in opts) or 'sqrtall' in opts
        parts.append(np.sign(p)*np.sqrt(np.abs(p)) if root else p); kinds += [k]*(z-a)
    return np.concatenate(parts, 1), np.array(kinds), opts

@call_parse
def main(step:str='features', data:str='../shared/data/art', out:str='runs/exp/pool', seeds:str='0,1,2',
         variants:str='m:13,16,17,18:mean,std e:5,6,7,10:mean,std', to:str='runs/exp/levers2'):
    out = Path(out); out.mkdir(parents=True, exist_ok=True)
    sp,vocab = split_paths(data)
    if step == 'features':
        body,layout = rich_body()
        (out/'layout.json').write_text(json.dumps(layout)); np.save(out/'y_train.npy', sp['train'][1]); np.save(out/'y_valid.npy', sp['valid'][1])
        g = out/'rich.onnx'
        t = time.perf_counter()
        if not g.exists(): export_features(body, g, 544, *get_arch('mobilenet_v2').meta['stats'])
        print(f"exported in {time.perf_counter()-t:.0f} s; {layout[-1][-1]} features", flush=True)
        t = time.perf_counter()
        for split in ('train', 'valid'): np.save(out/f'rich_{split}.npy', view_features(g, sp[split][0], False).astype(np.float32))
        dt = time.perf_counter()-t; n = len(sp['train'][0])+len(sp['valid'][0])
        print(f"features: {dt:.0f} s for {n} images, {n/dt:.1f} images/s", flush=True)
    if step == 'save':
        f = np.load(out/'rich_train.npy', mmap_mode='r')
        x,_,_ = variant(f, json.loads((out/'layout.json').read_text()), variants.split(';')[0], np.float32)
        Path(to).mkdir(parents=True, exist_ok=True)
        np.save(Path(to)/'gram_train.npy', x); np.save(Path(to)/'y_train.npy', np.load(out/'y_train.npy'))
    if step == 'cv':
        layout = json.loads((out/'layout.json').read_text())
        f = np.load(out/'rich_train.npy', mmap_mode='r'); y = np.load(out/'y_train.npy')
        for v in variants.split(';'):
            x,kinds,opts = variant(f, layout, v, np.float32 if 'f32' in v.split() else np.float64); C = float(opts.get('C', 0.003))
            gw = float(opts.get('gw', 1)) # the Gram columns' weight after standardisation: a group-wise L2 strength
            clf = _clf(C)
            if 'tol' in opts: clf[-1].set_params(tol=float(opts['tol'])) # lbfgs's stopping tolerance (scikit-learn's default 1e-4)
            if gw != 1:
                from sklearn.preprocessing import FunctionTransformer
                w = np.where(kinds == 'gram', gw, 1.)
                clf.steps.insert(1, ('weight', FunctionTransformer(lambda z, w=w: z*w)))
            t = time.perf_counter(); accs = []
            for s in map(int, seeds.split(',')):
                pr = cross_val_predict(clf, x, y, cv=StratifiedKFold(5, shuffle=True, random_state=s), method='predict_proba', n_jobs=-1)
                accs.append((pr.argmax(1) == y).mean())
            print(f"{v} ({x.shape[1]} features): {' '.join(f'{a:.4f}' for a in accs)} mean {np.mean(accs):.4f} ({(time.perf_counter()-t)/len(accs):.0f} s a seed)", flush=True)
