"""Issue 17's lever 'fine-tune only the top blocks on cached mid-level features', measured in 5-fold CV within `training_set`.

The default recipe's features are MobileNetV2's blocks 13, 16, 17, 18 (mean and std) and block 13's Gram matrix at 544 px,
with EfficientNet-Lite0's at 320 px. Everything up to MobileNetV2's block 13 stays frozen, so its output (96 x 34 x 34)
is computed once per image (`--step x13`, ONNX Runtime) and cached. Then, in each of the 5 folds (`--step cv`):
1. the default head (standardised logistic regression, C=0.003, float32) is fitted on the fold's training images, on the
   cached features of `tools/exp_pool.py` (the default's 14,936 columns): its out-of-fold accuracy is the default's CV;
2. a model is built from it: MobileNetV2's blocks 14-18 (ImageNet weights, batch-norm statistics frozen) on the cached
   block-13 output give the mean and std of blocks 16, 17, 18; the other columns (block 13's mean, std and Gram matrix,
   all of Lite0's) are fixed inputs; the head's scaler and weights come from step 1, so before any step it is the default;
3. the top blocks (and the head, at a tenth of the rate, with the logistic regression's L2 penalty) are fine-tuned with
   AdamW on the fold's training images for --epochs epochs (batches of 32, cosine decay from --lr), and after each
   epoch the fold's test images are scored.
It prints the CV after each epoch beside the default's, and the seconds. No image augmentation: the inputs are cached.
Run (after `tools/exp_pool.py --step features`, whose cache it reads):
    OMP_NUM_THREADS=2 .venv/bin/python tools/exp_finetune_top.py --step x13
    OMP_NUM_THREADS=2 .venv/bin/python tools/exp_finetune_top.py --step cv --seed 0
"""
import json, math, time, numpy as np, torch
from pathlib import Path
from torch import nn
from fastcore.script import call_parse
from sklearn.model_selection import StratifiedKFold
from art_predict.models import backbone_blocks, get_arch
from art_predict.probe import _clf
from art_predict.export import export_features
from exp_levers import split_paths, view_features
from exp_pool import select, variant

TOP = (16, 17, 18) # MobileNetV2 blocks above 13 whose mean and std the default pools

class Top(nn.Module):
    "MobileNetV2's blocks 14-18 on block 13's output, then the mean and std of blocks 16, 17, 18, in `TAPS`' order"
    def __init__(self, blocks): super().__init__(); self.blocks = nn.Sequential(*blocks[14:19])
    def forward(self, x):
        res = []
        for i,b in enumerate(self.blocks, 14):
            x = b(x)
            if i in TOP: res.append((i, x.mean((2,3)), x.std((2,3), correction=0)))
        return res

class Model(nn.Module):
    "The default head on [fixed columns, the top's pooled columns], with the fitted scaler in front"
    def __init__(self, top, order, mu, sd, W, b):
        super().__init__(); self.top,self.order = top,order
        for k,v in dict(mu=mu, sd=sd).items(): self.register_buffer(k, torch.tensor(v, dtype=torch.float32))
        self.W,self.b = nn.Parameter(torch.tensor(W, dtype=torch.float32)),nn.Parameter(torch.tensor(b, dtype=torch.float32))
    def forward(self, x13, fixed):
        cols = {f'{i}{k}': t for i,m,s in self.top(x13) for k,t in (('mean', m), ('std', s))}
        f = torch.cat([fixed if o == 'fixed' else cols[o] for o in self.order], 1)
        return ((f - self.mu)/self.sd) @ self.W.T + self.b

DEFAULT = 'm:13,16,17,18:mean,std e:5,6,7,10:mean,std m:13:gram e:5:gram sqrt' # the default's 14,936 columns, as an `exp_pool` variant

def columns(layout):
    "The default's columns of the `exp_pool` cache, in `variant`'s order: a list of (name, start, end, kind)"
    names = {(a, z): f'{i}{k}' if bb == 'm' and i in TOP else 'fixed' for bb,i,k,a,z in layout}
    return [(names[(a, z)], a, z, k) for a,z,k in select(layout, [t for t in DEFAULT.split() if ':' in t])]

@call_parse
def main(step:str='cv', data:str='../shared/data/art', pool:str='runs/exp/pool', out:str='runs/exp/ft', seed:int=0,
         epochs:int=3, lr:float=1e-4, C:float=0.003, bs:int=32):
    out = Path(out); out.mkdir(parents=True, exist_ok=True); pool = Path(pool)
    sp,vocab = split_paths(data)
    if step == 'x13':
        g = out/'m13.onnx'
        if not g.exists(): export_features(backbone_blocks('mobilenet_v2')[:14].eval(), g, 544, *get_arch('mobilenet_v2').meta['stats'])
        t = time.perf_counter()
        x = view_features(g, sp['train'][0], False).astype(np.float32)
        np.save(out/'x13_train.npy', x)
        print(f"block 13 of {len(x)} images {x.shape[1:]}: {time.perf_counter()-t:.0f} s", flush=True)
        return
    torch.manual_seed(seed); torch.set_num_threads(2)
    layout = json.loads((pool/'layout.json').read_text())
    rich = np.load(pool/'rich_train.npy', mmap_mode='r'); y = np.load(pool/'y_train.npy')
    assert (y == sp['train'][1]).all(), "the exp_pool cache is not of this data's training images"
    cols = columns(layout); feats = variant(rich, layout, DEFAULT, np.float32)[0]
    spans = [(n, np.arange(o, o+z-a)) for (n,a,z,_),o in zip(cols, np.cumsum([0]+[z-a for _,a,z,_ in cols]))] # each part's columns in `feats`
    fixed_idx = np.concatenate([ix for n,ix in spans if n == 'fixed'])
    # the model's column order: all fixed columns first in cache order, then the top's; rearrange the features to match
    perm = np.concatenate([fixed_idx] + [ix for n,ix in spans if n != 'fixed'])
    feats = feats[:, perm]; order = ['fixed'] + [n for n,*_ in cols if n != 'fixed']
    nfix = len(fixed_idx)
    x13 = torch.from_numpy(np.load(out/'x13_train.npy')).contiguous(memory_format=torch.channels_last)
    blocks = backbone_blocks('mobilenet_v2').eval()
    with torch.no_grad(): # the cached block-13 output through the frozen top must give the cached columns
        chk = Model(Top(blocks), order, np.zeros(feats.shape[1]), np.ones(feats.shape[1]), np.eye(feats.shape[1])[:1], np.zeros(1))
        f0 = torch.cat([t for i,m,s in chk.top(x13[:8]) for t in (m, s)], 1).numpy()
        err = np.abs(f0 - feats[:8, nfix:]).max()/np.abs(feats[:8, nfix:]).max()
        print(f"the frozen top on the cached block 13 vs exp_pool's columns: max relative difference {err:.2e}", flush=True)
    fix = torch.from_numpy(np.ascontiguousarray(feats[:, :nfix])); yt = torch.from_numpy(y)
    folds = StratifiedKFold(5, shuffle=True, random_state=seed).split(feats, y)
    right = np.zeros((epochs+1, len(y)), bool); t0 = time.perf_counter()
    for k,(tr,te) in enumerate(folds):
        t = time.perf_counter()
        clf = _clf(C).fit(feats[tr], y[tr]); sc,lr_ = clf[0],clf[-1]
        right[0, te] = clf.predict(feats[te]) == y[te]
        m = Model(Top(backbone_blocks('mobilenet_v2')), order, sc.mean_, sc.scale_, lr_.coef_, lr_.intercept_)
        m.top.eval() # batch-norm statistics stay ImageNet's, as the package fine-tunes
        for p in m.top.parameters(): p.requires_grad_(True)
        opt = torch.optim.AdamW([dict(params=m.top.parameters(), lr=lr), dict(params=[m.W, m.b], lr=lr/10)], weight_decay=0)
        steps = epochs*math.ceil(len(tr)/bs); sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda i: 0.5*(1+math.cos(math.pi*i/steps)))
        l2 = 1/(2*C*len(tr)) # scikit-learn's objective C*sum(loss) + |W|^2/2, divided by C*n
        def score(idx):
            with torch.no_grad(): return torch.cat([m(x13[idx[i:i+64]], fix[idx[i:i+64]]).argmax(1) for i in range(0, len(idx), 64)]).numpy()
        p0 = score(te)
        print(f"fold {k}: the model before fine-tuning agrees with the fitted head on {(p0 == clf.predict(feats[te])).mean():.4f} of the test fold", flush=True)
        for e in range(epochs):
            rng = np.random.default_rng(seed*100 + k*10 + e); idx = rng.permutation(tr); tot = 0
            for i in range(0, len(idx), bs):
                b = idx[i:i+bs]
                loss = nn.functional.cross_entropy(m(x13[b], fix[b]), yt[b]) + l2*(m.W**2).sum()
                opt.zero_grad(); loss.backward(); opt.step(); sched.step(); tot += loss.item()*len(b)
            right[e+1, te] = score(te) == y[te]
            print(f"fold {k} epoch {e+1}: train loss {tot/len(tr):.4f}, test fold {right[e+1, te].mean():.4f} "
                  f"(default {right[0, te].mean():.4f}); {time.perf_counter()-t:.0f} s", flush=True)
    print(f"seed {seed}: 5-fold CV default {right[0].mean():.4f}, after epochs 1..{epochs}: "
          f"{' '.join(f'{r.mean():.4f}' for r in right[1:])}; {time.perf_counter()-t0:.0f} s", flush=True)
    np.save(out/f'right_seed{seed}_lr{lr:g}_e{epochs}.npy', right)
