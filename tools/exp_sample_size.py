"""Issue 17's quick start: does a larger training part of the bundled sample reach 85% on its same 50 validation images?

The sample as it was before issue 17 (`old_sample`: `make_sample`'s first draw from ../shared/data/art, 30 training images
a class, then 10 validation images a class, each shrunk to 320 px; the bundled files) is kept, and more training images
a class are drawn from the rest of `training_set`: the draw `make_sample(..., n_more=30)` makes (the random stream
continued after the validation draw, so the 50 validation images stay the same; the bundled files, since the sample has
held them), and three other draws (`random.Random(s)`, s = 0, 1, 2) of 30 and of 60 more a class, shrunk as
`make_sample` shrinks them. The default body's features of all of them are computed once as `probe_art` does
(`run_features`, ONNX Runtime); for each draw the default head (C=0.003) is fitted on the training images and scored
on the sample's 50 validation images, and its 5-fold cross-validated accuracy within the training images is given
for fold seeds 0, 1, 2. Images are told apart by their whole file name (`a.jpg` and `a.jpeg` are two images).
Run: OMP_NUM_THREADS=2 .venv/bin/python tools/exp_sample_size.py [DATA]"""
import sys, random, tempfile, shutil, numpy as np
from pathlib import Path
from sklearn.model_selection import StratifiedKFold, cross_val_score
from art_predict.files import art_sample, load_rgb, save_image
from art_predict.data import find_splits, class_folders, find_images
from art_predict.probe import _clf
sys.path.insert(0, str(Path(__file__).parent))
from exp_sample_c import sample_features, first_draw, old_sample

def draws(src):
    "The sample's first draw ({class: [files]}), and {name: {class: [files]}}: the extra training images of each draw, none of them in the first"
    first,_,rng = first_draw(src)
    rest = {d.name: [f for f in find_images(d)[0] if f not in first[d.name]] for d in class_folders(find_splits(src)[0])}
    res = {'seed 42, continued (make_sample n_more=30)': {c: rng.sample(fs, 30) for c,fs in rest.items()}}
    for n in (30, 60):
        for s in range(3): res[f'random.Random({s}), {n} more'] = {c: random.Random(s).sample(fs, n) for c,fs in rest.items()}
    return first,res

def main(src):
    first,ds = draws(src)
    with tempfile.TemporaryDirectory() as d:
        root = old_sample(Path(d)/'data', src)
        for picks in ds.values():
            for c,fs in picks.items():
                for f in fs:
                    t,b = root/'training_set'/c/f.name,art_sample()/'training_set'/c/f.name
                    if t.exists(): continue
                    if b.exists(): shutil.copy(b, t) # an image the sample holds: its file
                    else: im = load_rgb(f); im.thumbnail((320, 320)); save_image(im, t, quality=85)
        (ftr,ytr,fva,yva),(ktr,_) = sample_features(root, names=True)
    assert len(set(ktr)) == len(ktr)
    row = {k: i for i,k in enumerate(ktr)}
    key = lambda c,f: f'training_set/{c}/{f.name}'
    base = [row[key(c, f)] for c,f in sorted(((c, f) for c,fs in first.items() for f in fs), key=lambda o: (o[0], o[1].name))]
    print(f'{len(ktr)} training images\' features, {len(yva)} validation', flush=True)
    for name,picks in [('the sample alone, 30 a class', {})] + list(ds.items()):
        idx = base + [row[key(c, f)] for c,fs in picks.items() for f in fs]
        assert len(set(idx)) == len(idx)
        x,y = ftr[idx],ytr[idx]
        cv = [cross_val_score(_clf(0.003), x, y, cv=StratifiedKFold(5, shuffle=True, random_state=s), n_jobs=1).mean() for s in range(3)]
        va = (_clf(0.003).fit(x, y).predict(fva) == yva).sum()
        print(f'{name}: {len(idx)} training images, validation {va} of {len(yva)} ({va/len(yva)*100:.0f}%), '
              f'CV {np.mean(cv)*100:.1f}% ({" / ".join(f"{c*100:.1f}" for c in cv)})', flush=True)

if __name__ == '__main__': main(Path(sys.argv[1] if len(sys.argv) > 1 else '../shared/data/art'))
