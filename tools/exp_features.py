"""Probe experiments, step 1: pooled features of every image, several blocks, mean and std (as run for README's table).

Resizes with PIL (bilinear): `crop` = short side to SIZE, centre crop; `squish` = the whole image to SIZE x SIZE.
Saves OUT_ARCH_SIZE_MODE.npz with avg0..3 / std0..3 per tap (mobilenet_v2: blocks 13, 16, 17, 18; lite: blocks 3, 4, 5, head).
Run: .venv/bin/python tools/exp_features.py --arch mobilenet_v2 --size 544 --mode squish --out runs/exp/f
then tools/exp_probe.py on the .npz (step 2)."""
import time, numpy as np, torch
from pathlib import Path
from PIL import Image
from fastcore.script import call_parse
from art_predict.data import find_splits, find_images, load_rgb
from art_predict.models import get_arch
torch.set_num_threads(2)

def prep(im, size, mean, std, mode):
    w,h = im.size
    if mode == 'crop':
        s = size/min(w,h); im = im.resize((max(size, round(w*s)), max(size, round(h*s))), Image.BILINEAR)
        w,h = im.size; l,t = (w-size)//2,(h-size)//2; im = im.crop((l,t,l+size,t+size))
    else: im = im.resize((size,size), Image.BILINEAR)
    x = torch.tensor(np.asarray(im), dtype=torch.float32).permute(2,0,1)/255
    return (x-torch.tensor(mean)[:,None,None])/torch.tensor(std)[:,None,None]

@call_parse
def main(arch:str='mobilenet_v2', size:int=416, mode:str='crop', out:str='runs/exp/f', data:str='../shared/data/art', bs:int=32):
    trn,val = find_splits(data)
    paths = list(find_images(trn)[0]) + list(find_images(val)[0])
    split = np.array([0]*len(find_images(trn)[0]) + [1]*len(find_images(val)[0]))
    if arch.startswith('lite'):
        m = get_arch(f'efficientnet_lite{arch[-1]}')(pretrained=True).eval(); mean,std = [0.5]*3,[0.5]*3
        blocks = list(m.blocks)
        def fwd(x):
            x = m.bn1(m.conv_stem(x)); outs = []
            for i,b in enumerate(blocks):
                x = b(x)
                if i in (3,4,5): outs.append(x)
            x = m.bn2(m.conv_head(x)); outs.append(x); return outs
    else:
        a = get_arch(arch); m = a(pretrained=True).eval(); mean,std = a.meta['stats']
        feats = m.features
        def fwd(x):
            outs = []
            for i,b in enumerate(feats):
                x = b(x)
                if i in (13,16,17,18): outs.append(x)
            return outs
    res = {}
    t = time.time()
    with torch.no_grad():
        for i in range(0, len(paths), bs):
            x = torch.stack([prep(load_rgb(p), size, mean, std, mode) for p in paths[i:i+bs]]).contiguous(memory_format=torch.channels_last)
            for j,o in enumerate(fwd(x)):
                res.setdefault(f'avg{j}', []).append(o.mean((2,3)).numpy()); res.setdefault(f'std{j}', []).append(o.std((2,3)).numpy())
            if i % 640 == 0: print(i, f"{time.time()-t:.0f}s", flush=True)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    np.savez(f"{out}_{arch}_{size}_{mode}.npz", paths=np.array([str(p) for p in paths]), split=split,
             y=np.array([p.parent.name for p in paths]), **{k: np.concatenate(v) for k,v in res.items()})
    print(f"done {arch} {size} {mode}: {time.time()-t:.0f}s for {len(paths)} images", flush=True)
