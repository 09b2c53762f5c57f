"""Probe experiments, step 2: 5-fold CV within the training split, and validation accuracy, of a logistic regression
on standardised features from tools/exp_features.py. Run:

    .venv/bin/python tools/exp_probe.py runs/exp/f_mobilenet_v2_544_squish.npz avg3,avg0+std0+avg1+std1+avg2+std2+avg3+std3 0.003,0.01

Arguments: npz files (comma-separated: features side by side), feature sets (comma-separated, keys joined by +), Cs."""
import sys, numpy as np, itertools, time
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.pipeline import make_pipeline
from sklearn.model_selection import StratifiedKFold, cross_val_score, train_test_split
def load(fns, keys):
    ds = [np.load(f) for f in fns]
    X = np.concatenate([d[k] for d in ds for k in keys], 1)
    return X, ds[0]['y'], ds[0]['split']
def evaluate(X, y, split, C):
    tr = split==0
    clf = make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=3000))
    cv = cross_val_score(clf, X[tr], y[tr], cv=StratifiedKFold(5, shuffle=True, random_state=0), n_jobs=1).mean()
    clf.fit(X[tr], y[tr]); va = (clf.predict(X[~tr])==y[~tr]).mean()
    return cv, va
if __name__ == '__main__':
    fns = sys.argv[1].split(',')
    for keys in [k.split('+') for k in sys.argv[2].split(',')]:
        X,y,split = load(fns, keys)
        for C in map(float, sys.argv[3].split(',')):
            t = time.time(); cv,va = evaluate(X, y, split, C)
            print(f"{'+'.join(fns).replace('runs/exp/f_','')} {'+'.join(keys)} dim={X.shape[1]} C={C}: cv5 {cv:.4f}  val {va:.4f} ({time.time()-t:.0f}s)", flush=True)
