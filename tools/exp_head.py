"""Issue 17's head levers, measured on the default body's cached features (`tools/exp_levers.py --step features --views default`).

Each variant is the 5-fold cross-validated accuracy within `training_set` for fold seeds 0, 1, 2 (the folds of `cv_accuracy`),
with the features transformed before the default head (standardised logistic regression, `_clf`):
- `C=...`: the head's inverse L2 strength;
- `sqrt`: each feature's signed square root first (`sign(f)*sqrt(|f|)`; the means of the linear bottlenecks' outputs
  can be negative), the power normalisation often used before linear heads on pooled CNN features;
- `ens`: one head per backbone, their log-probabilities averaged.
Run (what README's table of head levers comes from): OMP_NUM_THREADS=2 .venv/bin/python tools/exp_head.py"""
import time, numpy as np
from pathlib import Path
from fastcore.script import call_parse
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from art_predict.probe import _clf

# the default body's layout: per backbone, per tapped block, the mean then the std of its channels
WIDTHS = {'m': (96, 160, 320, 1280), 'e': (80, 112, 192, 1280)}

def slices():
    "Column ranges of each (backbone, block, mean|std) in the default body's 7,040 features"
    res,o = {},0
    for bb,ws in WIDTHS.items():
        for i,w in enumerate(ws):
            for kind in ('mean', 'std'): res[(bb, i, kind)] = (o, o+w); o += w
    return res, o

def pick(f, keep):
    "Columns of `f` whose (backbone, block, kind) `keep` accepts"
    sl,n = slices(); assert f.shape[1] == n, f.shape
    return np.concatenate([f[:, a:b] for k,(a,b) in sl.items() if keep(*k)], 1)

def oof(f, y, C, seed):
    return cross_val_predict(_clf(C), f, y, cv=StratifiedKFold(5, shuffle=True, random_state=seed), method='predict_proba', n_jobs=-1)

def run(f, y, v, seed):
    opts = dict(o.split('=') if '=' in o else (o, '1') for o in v.split())
    C = float(opts.get('C', 0.003))
    if 'sqrt' in opts: f = np.sign(f)*np.sqrt(np.abs(f))
    if 'ens' in opts:
        lp = sum(np.log(oof(pick(f, lambda bb,i,k,b=b: bb==b), y, C, seed) + 1e-12) for b in WIDTHS)
        return (lp.argmax(1) == y).mean()
    return (oof(f, y, C, seed).argmax(1) == y).mean()

@call_parse
def main(out:str='runs/exp/levers', view:str='default', seeds:str='0,1,2',
         variants:str='C=0.003;C=0.001;C=0.002;C=0.005;C=0.01;sqrt C=0.003;sqrt C=0.001;sqrt C=0.01;ens C=0.003'):
    f = np.load(Path(out)/f'{view}_train.npy').astype(np.float64); y = np.load(Path(out)/'y_train.npy')
    for v in variants.split(';'):
        t = time.perf_counter(); accs = [run(f, y, v, int(s)) for s in seeds.split(',')]
        print(f"{v}: {' '.join(f'{a:.4f}' for a in accs)} mean {np.mean(accs):.4f} ({(time.perf_counter()-t)/len(accs):.0f} s a seed)", flush=True)
