"""Issue 17's levers, measured on cached features: views, a second backbone, the head's C, and training without suspect labels.

Step 1 (`--step features`): for each view (backbone, size, flipped or not) the frozen body that the default recipe uses
(`PooledFeatures` of `TAPS[arch]`, mean and std) is exported once with `export_features` and run by ONNX Runtime over
`training_set` and `validation_set` (squished, as the default); the features are cached as .npy in --out, with the
seconds each view took. Step 2 (`--step cv`): the 5-fold cross-validated accuracy within `training_set` of the default
head (`cv_accuracy`) for each combination named in --combos (views joined by '+' are averaged, by ',' concatenated),
for each fold seed in --seeds. Step 3 (`--step suspects`): the out-of-fold probabilities of the default features,
cleanlab's label issues among them, and the CV when the training folds leave out the top N suspects (each test fold
keeps all of its images and their labels; -1 in --drop: all that cleanlab flags). The suspects come from the out-of-fold
probabilities of the same folds, so a training fold's suspects were judged by heads that saw the test fold's labels: a small optimism.
The view 'default' is the default recipe's body (`probe_body()`, both backbones in one graph at 544 px) as it was before the
Gram matrices: every view here pools the mean and std of `TAPS` alone (`grams=()`); `tools/exp_pool.py` measures the Gram matrices.
Run (what README's levers table comes from):
    OMP_NUM_THREADS=2 .venv/bin/python tools/exp_levers.py --step features --views m544,m544f,l416,m448,m448f,l416f,l320,e416,e320,l272p,default
    OMP_NUM_THREADS=2 .venv/bin/python tools/exp_levers.py --step cv --seeds 0 --combos "m544;m544+m544f;m448+m448f;l416;l416+l416f;m544,l416;m544+m544f,l416+l416f;m448+m448f,l416+l416f;m544,l320;m544,e416;m544,e320;m448,l416;m544,l272p"
    OMP_NUM_THREADS=2 .venv/bin/python tools/exp_levers.py --step cv --seeds 0,1,2 --combos "default;m544"
    OMP_NUM_THREADS=2 .venv/bin/python tools/exp_levers.py --step suspects --combos default --seeds 0,1,2 --drop 25,50,100,-1
and on the Gram default's features, which `tools/exp_pool.py --step save` writes:
    OMP_NUM_THREADS=2 .venv/bin/python tools/exp_levers.py --step suspects --out runs/exp/levers2 --combos gram --seeds 0,1,2 --drop 25,50,-1"""
import json, time, numpy as np, torch
from pathlib import Path
from fastcore.script import call_parse
from sklearn.model_selection import StratifiedKFold
from art_predict.files import load_rgb, prepare, prefetch
from art_predict.data import find_splits, class_folders, find_images
from art_predict.models import backbone_blocks, PooledFeatures, TAPS, get_arch, probe_body, parse_arch, PROBE_ARCH
from art_predict.probe import cv_accuracy, _clf
from art_predict.export import export_features
from art_predict.ort import ort_session

VIEWS = {'m544': ('mobilenet_v2', 544, False), 'm544f': ('mobilenet_v2', 544, True),
         'm448': ('mobilenet_v2', 448, False), 'm448f': ('mobilenet_v2', 448, True),
         'l416': ('efficientnet_lite2', 416, False), 'l416f': ('efficientnet_lite2', 416, True),
         'default': (PROBE_ARCH, 544, False), # the default recipe's body, as `probe_art` exports it
         'l320': ('efficientnet_lite2', 320, False), 'l272p': ('efficientnet_lite2', 272, 'pool'), 'e272p': ('efficientnet_lite0', 272, 'pool'), 'e416': ('efficientnet_lite0', 416, False), 'e320': ('efficientnet_lite0', 320, False)}

def split_paths(data):
    trn,val = find_splits(data)
    res = {}
    for name,split in (('train', trn), ('valid', val)):
        dirs = class_folders(split); vocab = [d.name for d in dirs]
        ps = [p for d in dirs for p in sorted(find_images(d)[0])]
        res[name] = (ps, np.array([vocab.index(p.parent.name) for p in ps]))
    return res, vocab

def view_features(fname, paths, flip, bs=16):
    sess = ort_session(fname); meta = json.loads(sess.get_modelmeta().custom_metadata_map['art_predict'])
    def load(c):
        if flip == 'pool': # squished to twice the size, then each 2x2 block averaged: what a graph that pools its input sees
            xb = np.stack([prepare(load_rgb(p), 2*meta['size'], 'squish') for p in c]).astype(np.float32)
            n,h,w,_ = xb.shape
            return np.round(xb.reshape(n, h//2, 2, w//2, 2, 3).mean((2, 4))).astype(np.uint8)
        xb = np.stack([prepare(load_rgb(p), meta['size'], 'squish') for p in c])
        return np.ascontiguousarray(xb[:, :, ::-1]) if flip else xb
    chunks = [paths[i:i+bs] for i in range(0, len(paths), bs)]
    return np.concatenate([sess.run(None, {'image': xb})[0] for xb in prefetch(load, chunks)])

def load_view(out, combo, split):
    "A combination of cached views: '+' averages, ',' concatenates"
    return np.concatenate([np.mean([np.load(Path(out)/f'{v}_{split}.npy') for v in part.split('+')], 0) for part in combo.split(',')], 1)

@call_parse
def main(step:str='features', data:str='../shared/data/art', out:str='runs/exp/levers', views:str='m544,m544f,l416,m448,m448f',
         combos:str='m544', seeds:str='0,1,2', Cs:str='0.003', drop:str='0,10,25,50,100'):
    out = Path(out); out.mkdir(parents=True, exist_ok=True)
    sp,vocab = split_paths(data)
    np.save(out/'y_train.npy', sp['train'][1]); np.save(out/'y_valid.npy', sp['valid'][1])
    if step == 'features':
        for v in views.split(','):
            arch,size,flip = VIEWS[v]
            if (out/f'{v}_valid.npy').exists(): print(f"{v}: cached", flush=True); continue
            g = out/f"body_{arch.replace('+', '_').replace('@', '_')}_{size}.onnx"
            parts = parse_arch(arch) # the mean and std alone, as README's levers table measured them: the Gram matrices are `tools/exp_pool.py`'s
            nogram = () if len(parts) == 1 and parts[0][1] is None else [()]*len(parts)
            if not g.exists(): export_features(probe_body(arch, grams=nogram).eval(), g, size, *get_arch(parts[0][0]).meta['stats'])
            t = time.perf_counter()
            for split in ('train', 'valid'): np.save(out/f'{v}_{split}.npy', view_features(g, sp[split][0], flip))
            dt = time.perf_counter()-t; n = len(sp['train'][0])+len(sp['valid'][0])
            print(f"{v} ({arch} {size} px{' flipped' if flip is True else ' pooled from twice the size' if flip else ''}): {dt:.0f} s for {n} images, {n/dt:.1f} images/s", flush=True)
    y = torch.from_numpy(sp['train'][1])
    if step == 'cv':
        for combo in combos.split(';'):
            f = torch.from_numpy(load_view(out, combo, 'train'))
            for C in map(float, Cs.split(',')):
                t = time.perf_counter(); cvs = [cv_accuracy(f, y, C, seed=int(s)) for s in seeds.split(',')]
                print(f"CV {combo} ({f.shape[1]} features), C={C}: {' '.join(f'{c:.4f}' for c in cvs)} mean {np.mean(cvs):.4f} ({(time.perf_counter()-t)/len(cvs):.0f} s a seed)", flush=True)
    if step == 'suspects':
        from joblib import Parallel, delayed
        from cleanlab.filter import find_label_issues
        from art_predict.probe import oof_probs
        f = load_view(out, combos.split(';')[0], 'train'); yy = y.numpy(); C = float(Cs.split(',')[0])
        def fold_acc(tr, te, bad):
            tr = np.array([i for i in tr if i not in bad])
            return (_clf(C).fit(f[tr], yy[tr]).predict(f[te]) == yy[te]).mean()
        for s in map(int, seeds.split(',')):
            cv = StratifiedKFold(5, shuffle=True, random_state=s)
            oof = oof_probs(torch.from_numpy(f), y, C, seed=s)
            ranked = find_label_issues(yy, oof, return_indices_ranked_by='self_confidence', n_jobs=1)
            print(f"seed {s}: OOF accuracy {(oof.argmax(1)==yy).mean():.4f}; cleanlab flags {len(ranked)} of {len(yy)}; "
                  f"top 10: {[(sp['train'][0][i].parent.name + '/' + sp['train'][0][i].name, vocab[oof[i].argmax()], round(float(oof[i].max()),2)) for i in ranked[:10]]}", flush=True)
            for n in map(int, drop.split(',')):
                n = len(ranked) if n < 0 else n # -1: every image cleanlab flags
                bad = set(ranked[:n].tolist())
                accs = Parallel(n_jobs=-1)(delayed(fold_acc)(tr, te, bad) for tr,te in cv.split(f, yy))
                print(f"seed {s}: CV without the top {n} suspects in the training folds: {np.mean(accs):.4f}", flush=True)
