"""Measure the audit's near-duplicate methods: plant 100 copies of real images (20 each: byte copy, half size at JPEG
quality 70, central 90%, brighter and paler, greyscale) among a dataset's images, and count what the perceptual hash,
the backbone features, and the audit's rule (either of them) pair at several thresholds. Run:

    .venv/bin/python tools/exp_audit.py ../shared/data/art /tmp/planted

The planted copies go into the second folder (made anew); the dataset is only read."""
import sys, random, shutil, time, numpy as np
from pathlib import Path
from PIL import Image, ImageEnhance, ImageOps
from art_predict.data import load_rgb, find_images
from art_predict.audit import signatures, backbone_features, _popcount, PHASH_BITS, COS_DIST

src,work = Path(sys.argv[1]),Path(sys.argv[2])
shutil.rmtree(work, ignore_errors=True)
fns = sorted(find_images(src)[0])
picks = random.Random(0).sample(fns, 100)
kinds = ['bytes', 'half_q70', 'crop90', 'recolour', 'grey']
plants = []
for i,f in enumerate(picks):
    k = kinds[i%5]; d = work/k; d.mkdir(parents=True, exist_ok=True); o = d/f"{i}.jpg"
    im = load_rgb(f)
    if k == 'bytes': o = d/f"{i}{f.suffix}"; shutil.copy(f, o)
    elif k == 'half_q70': im.resize((max(1, im.width//2), max(1, im.height//2)), Image.LANCZOS).save(o, quality=70)
    elif k == 'crop90': w,h = im.size; dx,dy = int(w*.05),int(h*.05); im.crop((dx, dy, w-dx, h-dy)).save(o, quality=90)
    elif k == 'recolour': ImageEnhance.Color(ImageEnhance.Brightness(im).enhance(1.15)).enhance(0.7).save(o, quality=90)
    else: ImageOps.grayscale(im).convert('RGB').save(o, quality=90)
    plants.append((o, f, k))
allf = fns + [o for o,_,_ in plants]; n = len(allf); idx = {f:i for i,f in enumerate(allf)}
truth = {(min(idx[o], idx[f]), max(idx[o], idx[f])): k for o,f,k in plants}
import pandas as pd
t = time.time(); sigs = signatures(pd.DataFrame(dict(path=list(map(str, allf)), split='', **{'class': ''})), progress=False)
print(f"signatures of {n} images: {time.time()-t:.0f} s", flush=True)
t = time.time(); fs = backbone_features(sigs.path, progress=False); print(f"features: {time.time()-t:.0f} s", flush=True)
h = sigs.phash.values
bits = _popcount(h[:,None] ^ h[None,:]); cos = 1 - fs @ fs.T
iu = np.triu_indices(n, 1)
def report(name, sel):
    pairs = set(zip(iu[0][sel].tolist(), iu[1][sel].tolist()))
    found = {k: sum(1 for p,kk in truth.items() if kk == k and p in pairs) for k in kinds}
    print(f"| {name} | {' | '.join(str(found[k]) for k in kinds)} | {sum(found.values())} | {len(pairs - set(truth))} |", flush=True)
print(f"| method | {' | '.join(kinds)} | planted found (of 100) | other pairs |\n|---|---|---|---|---|---|---|---|")
for b in (0, 4, 8, 12): report(f"phash <= {b} bits", bits[iu] <= b)
for c in (0.04, 0.06, 0.10): report(f"features, cosine distance <= {c}", cos[iu] <= c)
report(f"the audit: phash <= {PHASH_BITS} or cosine <= {COS_DIST}", (bits[iu] <= PHASH_BITS) | (cos[iu] <= COS_DIST))
