"""Issue 17's quick start: does any head C, chosen on the sample's own training images, reach 85% on its 50 validation images?

Computes the default body's features of the bundled sample (150 training images when README's figures were measured, 300 since issue 17; 50 validation images) as `probe_art` does
(`run_features` on ONNX Runtime), then for each C the default head's 5-fold cross-validated accuracy within the
training images (fold seeds 0, 1, 2) and its validation accuracy, on all 14,936 features and on the mean and std alone
(the first 7,040: `PooledFeatures` puts the Gram matrices last).
With --flip: the same with the horizontally flipped view (a flipped copy of the sample, saved as PNG), averaged with
the image's features ('avg'), added as more training rows ('rows'), or as rows with the two views' probabilities
averaged at test ('rows+avg'), for C of 0.001, 0.003 and 0.01, on all the features.
Run: OMP_NUM_THREADS=2 .venv/bin/python tools/exp_sample_c.py [--flip]"""
import sys, tempfile, numpy as np
from pathlib import Path
from PIL import Image, ImageOps
from sklearn.model_selection import StratifiedKFold, cross_val_score
from art_predict.run import start_run, run_features
from art_predict.probe import probe_learner, _clf
from art_predict.models import PROBE_ARCH
from art_predict.files import art_sample

def sample_features(path=None, names=False):
    "The default body's features of the sample at `path` (the bundled one if `None`): (train, train targets, valid, valid targets) as numpy arrays"
    with tempfile.TemporaryDirectory() as d:
        dls,log = start_run('probe', path, Path(d)/'run', PROBE_ARCH, 544, 32, 42, 'squish')
        res = [o.numpy() for o in run_features(probe_learner(dls, PROBE_ARCH), 'onnxruntime', progress=False)]
        root = Path(path or art_sample())
        return (res, [[str(Path(f).relative_to(root).with_suffix('')) for f in ds.items] for ds in (dls.train_ds, dls.valid_ds)]) if names else res

def flipped(src, dest):
    "A copy of the dataset at `src` with every image flipped left to right, as PNG (lossless)"
    for f in Path(src).rglob('*'):
        if f.suffix.lower() in ('.jpg', '.jpeg', '.png'):
            t = (dest/f.relative_to(src)).with_suffix('.png'); t.parent.mkdir(parents=True, exist_ok=True)
            ImageOps.exif_transpose(Image.open(f)).convert('RGB').transpose(Image.FLIP_LEFT_RIGHT).save(t)
    return dest

def flip_cv():
    (a,ya,va,yva),(ka,kva) = sample_features(names=True)
    with tempfile.TemporaryDirectory() as d: (b,yb,vb,yvb),(kb,kvb) = sample_features(flipped(art_sample(), Path(d)), names=True)
    b,vb = b[[kb.index(k) for k in ka]],vb[[kvb.index(k) for k in kva]] # the same image in the same row
    def fit_pred(C, mode, tr_a, tr_b, y, te_a, te_b):
        if mode == 'plain': return _clf(C).fit(tr_a, y).predict(te_a)
        if mode == 'avg': return _clf(C).fit((tr_a+tr_b)/2, y).predict((te_a+te_b)/2)
        m = _clf(C).fit(np.concatenate([tr_a, tr_b]), np.concatenate([y, y]))
        return m.predict(te_a) if mode == 'rows' else (m.predict_proba(te_a) + m.predict_proba(te_b)).argmax(1)
    for C in [1e-3, 3e-3, 1e-2]:
        for mode in ['plain', 'avg', 'rows', 'rows+avg']:
            cv = [np.mean([(fit_pred(C, mode, a[tr], b[tr], ya[tr], a[te], b[te]) == ya[te]).mean()
                           for tr,te in StratifiedKFold(5, shuffle=True, random_state=s).split(a, ya)]) for s in range(3)]
            va_acc = (fit_pred(C, mode, a, b, ya, va, vb) == yva).mean()
            print(f'C={C:g} {mode}: CV {np.mean(cv)*100:.1f}% ({" / ".join(f"{c*100:.1f}" for c in cv)}), validation {va_acc*100:.0f}%', flush=True)

if __name__ == '__main__' and '--flip' in sys.argv: flip_cv()
elif __name__ == '__main__':
    ftr,ytr,fva,yva = sample_features()
    for cols,name in [(slice(None), f'all {ftr.shape[1]}'), (slice(0, 7040), 'mean and std, 7040')]:
        for C in [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1]:
            cv = [cross_val_score(_clf(C), ftr[:,cols], ytr, cv=StratifiedKFold(5, shuffle=True, random_state=s), n_jobs=2).mean() for s in range(3)]
            va = (_clf(C).fit(ftr[:,cols], ytr).predict(fva[:,cols]) == yva).mean()
            print(f'{name} C={C:g}: CV {np.mean(cv)*100:.1f}% ({" / ".join(f"{c*100:.1f}" for c in cv)}), validation {va*100:.0f}%', flush=True)
