"""Issue 17's quick start: does a larger training part of the bundled sample reach 85% on its same 50 validation images?

The sample as it was before issue 17 (`make_sample(../shared/data/art, dest, n_more=0)`: 30 training images a class,
then 10 validation images a class, each shrunk to 320 px; its files are the bundled sample's, which has held 30 more
training images a class since) is kept, and more training images a class are drawn from the rest of `training_set`, shrunk
the same way: the draw `make_sample(..., n_more=30)` would make (`seed=42`, the random stream continued after the
validation draw, so the 50 validation images stay the same), and three other draws (`random.Random(s)`, s = 0, 1, 2)
of 30 and of 60 more a class. The default body's features of all of them are computed once as `probe_art` does
(`run_features`, ONNX Runtime); for each draw the default head (C=0.003) is fitted on the training images and scored
on the sample's 50 validation images, and its 5-fold cross-validated accuracy within the training images is given
for fold seeds 0, 1, 2.
Run: OMP_NUM_THREADS=2 .venv/bin/python tools/exp_sample_size.py [DATA]"""
import sys, random, tempfile, shutil, numpy as np
from pathlib import Path
from sklearn.model_selection import StratifiedKFold, cross_val_score
from art_predict.files import art_sample, load_rgb, save_image
from art_predict.data import find_splits, class_folders, find_images
from art_predict.probe import _clf
sys.path.insert(0, str(Path(__file__).parent))
from exp_sample_c import sample_features

def draws(src):
    "The sample's first draw ({class: [files]}), and {name: {class: [files]}}: the extra training images of each draw, none of them in the first"
    trn,val = find_splits(src)
    rng,first,res = random.Random(42),{},{}
    for split,n in ((trn,30),(val,10)):
        for d in class_folders(split):
            p = rng.sample(find_images(d)[0], n)
            if split == trn: first[d.name] = p
    rest = {d.name: [f for f in find_images(d)[0] if f not in first[d.name]] for d in class_folders(trn)}
    res['seed 42, continued (n_more=30)'] = {c: rng.sample(fs, 30) for c,fs in rest.items()}
    for n in (30, 60):
        for s in range(3): res[f'random.Random({s}), {n} more'] = {c: random.Random(s).sample(fs, n) for c,fs in rest.items()}
    return first,res

def main(src):
    first,ds = draws(src)
    with tempfile.TemporaryDirectory() as d:
        root = Path(d)/'data'; shutil.copytree(art_sample()/'validation_set', root/'validation_set')
        for c,fs in first.items():
            (root/'training_set'/c).mkdir(parents=True)
            for f in fs: shutil.copy(art_sample()/'training_set'/c/f.name, root/'training_set'/c/f.name) # the bundled files
        for picks in ds.values():
            for c,fs in picks.items():
                for f in fs:
                    t = root/'training_set'/c/f.name
                    if not t.exists(): im = load_rgb(f); im.thumbnail((320, 320)); save_image(im, t, quality=85)
        (ftr,ytr,fva,yva),(ktr,_) = sample_features(root, names=True)
    row = {k: i for i,k in enumerate(ktr)}
    base = [row[f'training_set/{c}/{Path(n).stem}'] for c,n in sorted((c, f.name) for c,fs in first.items() for f in fs)]
    print(f'{len(ktr)} training images\' features, {len(yva)} validation', flush=True)
    for name,picks in [('the sample alone, 30 a class', {})] + list(ds.items()):
        idx = base + [row[f'training_set/{c}/{Path(f.name).stem}'] for c,fs in picks.items() for f in fs]
        x,y = ftr[idx],ytr[idx]
        cv = [cross_val_score(_clf(0.003), x, y, cv=StratifiedKFold(5, shuffle=True, random_state=s), n_jobs=1).mean() for s in range(3)]
        va = (_clf(0.003).fit(x, y).predict(fva) == yva).sum()
        print(f'{name}: {len(idx)} training images, validation {va} of {len(yva)} ({va/len(yva)*100:.0f}%), '
              f'CV {np.mean(cv)*100:.1f}% ({" / ".join(f"{c*100:.1f}" for c in cv)})', flush=True)

if __name__ == '__main__': main(Path(sys.argv[1] if len(sys.argv) > 1 else '../shared/data/art'))
