"""Issue 17's quick start: does any head C, chosen on the sample's own training images, reach 85% on its 50 validation images?

Computes the default body's features of the bundled sample (or, with --old, of the sample as it was before issue 17: 150
training images, the first draw of `make_sample`, which needs ../shared/data/art to know it; README's figures are from it)
as `probe_art` does (`run_features` on ONNX Runtime), then for each C the default head's 5-fold cross-validated accuracy
within the training images (fold seeds 0, 1, 2) and its validation accuracy, on all 14,936 features and on the mean and
std alone (the first 7,040: `PooledFeatures` puts the Gram matrices last).
With --flip: the same with the horizontally flipped view (a flipped copy of the sample, saved as PNG), averaged with
the image's features ('avg'), added as more training rows ('rows'), or as rows with the two views' probabilities
averaged at test ('rows+avg'), for C of 0.001, 0.003 and 0.01, on all the features.
Run: OMP_NUM_THREADS=2 .venv/bin/python tools/exp_sample_c.py [--flip] [--old]"""
import sys, random, shutil, tempfile, numpy as np
from pathlib import Path
from PIL import Image, ImageOps
from sklearn.model_selection import StratifiedKFold, cross_val_score
from art_predict.run import start_run, run_features
from art_predict.probe import probe_learner, _clf
from art_predict.models import PROBE_ARCH
from art_predict.files import art_sample
from art_predict.data import find_splits, class_folders, find_images

def sample_features(path=None, names=False):
    "The default body's features of the sample at `path` (the bundled one if `None`): (train, train targets, valid, valid targets) as numpy arrays, and with `names` each row's path relative to `path`"
    with tempfile.TemporaryDirectory() as d:
        dls,log = start_run('probe', path, Path(d)/'run', PROBE_ARCH, 544, 32, 42, 'squish')
        res = [o.numpy() for o in run_features(probe_learner(dls, PROBE_ARCH), 'onnxruntime', progress=False)]
        root = Path(path or art_sample())
        return (res, [[str(Path(f).relative_to(root)) for f in ds.items] for ds in (dls.train_ds, dls.valid_ds)]) if names else res

def first_draw(src=Path('../shared/data/art'), seed=42):
    "`make_sample`'s draw of the dataset at `src`: ({class: 30 training files}, {class: 10 validation files}, its random stream after them)"
    trn,val = find_splits(src)
    rng,res = random.Random(seed),({}, {})
    for split,n,out in ((trn,30,res[0]),(val,10,res[1])):
        for d in class_folders(split): out[d.name] = rng.sample(find_images(d)[0], n)
    return (*res, rng)

def old_sample(dest, src=Path('../shared/data/art')):
    "The bundled sample as it was before issue 17, at `dest`: its validation images and the 150 training images of `make_sample`'s first draw, the bundled files"
    shutil.copytree(art_sample()/'validation_set', dest/'validation_set')
    for c,fs in first_draw(src)[0].items():
        (dest/'training_set'/c).mkdir(parents=True)
        for f in fs: shutil.copy(art_sample()/'training_set'/c/f.name, dest/'training_set'/c/f.name)
    return dest

def flipped(src, dest):
    "A copy of the dataset at `src` with every image flipped left to right, as PNG (lossless), each named after its file (`a.jpg` -> `a.jpg.png`, so that `a.jpg` and `a.jpeg` stay two)"
    for f in Path(src).rglob('*'):
        if f.suffix.lower() in ('.jpg', '.jpeg', '.png'):
            t = dest/f.relative_to(src); t = t.with_name(t.name + '.png'); t.parent.mkdir(parents=True, exist_ok=True)
            ImageOps.exif_transpose(Image.open(f)).convert('RGB').transpose(Image.FLIP_LEFT_RIGHT).save(t)
    return dest

def flip_cv(path=None):
    (a,ya,va,yva),(ka,kva) = sample_features(path, names=True)
    with tempfile.TemporaryDirectory() as d: (b,yb,vb,yvb),(kb,kvb) = sample_features(flipped(path or art_sample(), Path(d)), names=True)
    kb,kvb = [k.removesuffix('.png') for k in kb],[k.removesuffix('.png') for k in kvb]
    assert len(set(ka)) == len(ka) and sorted(kb) == sorted(ka) and sorted(kvb) == sorted(kva), 'each image and its flipped copy, once'
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

def c_cv(path=None):
    ftr,ytr,fva,yva = sample_features(path)
    for cols,name in [(slice(None), f'all {ftr.shape[1]}'), (slice(0, 7040), 'mean and std, 7040')]:
        for C in [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1]:
            cv = [cross_val_score(_clf(C), ftr[:,cols], ytr, cv=StratifiedKFold(5, shuffle=True, random_state=s), n_jobs=2).mean() for s in range(3)]
            va = (_clf(C).fit(ftr[:,cols], ytr).predict(fva[:,cols]) == yva).mean()
            print(f'{name} C={C:g}: CV {np.mean(cv)*100:.1f}% ({" / ".join(f"{c*100:.1f}" for c in cv)}), validation {va*100:.0f}%', flush=True)

if __name__ == '__main__':
    with tempfile.TemporaryDirectory() as d:
        path = old_sample(Path(d)/'old') if '--old' in sys.argv else None
        (flip_cv if '--flip' in sys.argv else c_cv)(path)
