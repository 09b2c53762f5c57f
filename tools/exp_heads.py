"""Issue 17: other heads than the default's logistic regression, on the Gram default's features.

Reads the default's 14,936 columns of the 3,180 training images (float32) that `tools/exp_pool.py --step save` wrote
(`runs/exp/levers2/gram_train.npy`, `y_train.npy`), and gives each head's 5-fold cross-validated accuracy for fold seeds
0, 1 and 2, on features standardised within each fold's training part: the default (logistic regression, C=0.003),
ridge classifiers, an RBF-kernel SVM (gamma 1/features, scikit-learn's 'scale' on standardised columns; the kernel
computed with BLAS, since libsvm's own takes minutes at this width), and the default averaged with the SVM or a ridge
(each head's scores centred per image and scaled to unit spread, then summed).
Run: OMP_NUM_THREADS=2 .venv/bin/python tools/exp_heads.py"""
import time, numpy as np
from fastcore.script import call_parse
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression, RidgeClassifier
from sklearn.svm import SVC

HEADS = {'logistic regression C=0.003 (the default)': lambda: LogisticRegression(C=0.003, max_iter=5000),
         'ridge alpha=1e4': lambda: RidgeClassifier(alpha=1e4), 'ridge alpha=3e4': lambda: RidgeClassifier(alpha=3e4),
         'RBF SVM C=10': lambda: SVC(C=10, kernel='precomputed'), 'RBF SVM C=3': lambda: SVC(C=3, kernel='precomputed')}
PAIRS = {'default + RBF SVM C=10': ('logistic regression C=0.003 (the default)', 'RBF SVM C=10'),
         'default + ridge alpha=1e4': ('logistic regression C=0.003 (the default)', 'ridge alpha=1e4')}

def rbf(a, b):
    "exp(-||a-b||^2 / features), every row of `a` against every row of `b`"
    na,nb = (a*a).sum(1),(b*b).sum(1)
    return np.exp(-np.maximum(na[:,None] + nb[None] - 2*a@b.T, 0)/a.shape[1])

def unit(d): return (d - d.mean(1, keepdims=True))/d.std()

@call_parse
def main(feats:str='runs/exp/levers2', seeds:str='0,1,2'):
    x,y = np.load(f'{feats}/gram_train.npy'),np.load(f'{feats}/y_train.npy')
    for s in map(int, seeds.split(',')):
        right,secs = {k: 0 for k in [*HEADS, *PAIRS]},{k: 0. for k in HEADS}
        for tr,te in StratifiedKFold(5, shuffle=True, random_state=s).split(x, y):
            sc = StandardScaler().fit(x[tr]); a,b = sc.transform(x[tr]),sc.transform(x[te])
            ka,kb = rbf(a, a),rbf(b, a)
            dec = {}
            for k,h in HEADS.items():
                sv = k.startswith('RBF'); t = time.time()
                m = h().fit(ka if sv else a, y[tr]); secs[k] += time.time() - t
                dec[k] = m.predict_log_proba(b) if k.startswith('logistic') else m.decision_function(kb if sv else b)
            for k,(p,q) in PAIRS.items(): dec[k] = unit(dec[p]) + unit(dec[q])
            for k,d in dec.items(): right[k] += int((d.argmax(1) == y[te]).sum())
        for k,n in right.items(): print(f"fold seed {s}, {k}: {n/len(y)*100:.2f}%" + (f" (fits {secs[k]:.0f} s)" if k in secs else ''), flush=True)
