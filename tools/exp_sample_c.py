"""Issue 17's quick start: does any head C, chosen on the sample's own training images, reach 85% on its 50 validation images?

Computes the default body's features of the bundled sample (150 training, 50 validation images) as `probe_art` does
(`run_features` on ONNX Runtime), then for each C the default head's 5-fold cross-validated accuracy within the 150
training images (fold seeds 0, 1, 2) and its validation accuracy, on all 14,936 features and on the mean and std alone
(the first 7,040: `PooledFeatures` puts the Gram matrices last).
Run: OMP_NUM_THREADS=2 .venv/bin/python tools/exp_sample_c.py"""
import tempfile, numpy as np
from pathlib import Path
from sklearn.model_selection import StratifiedKFold, cross_val_score
from art_predict.run import start_run, run_features
from art_predict.probe import probe_learner, _clf
from art_predict.models import PROBE_ARCH

def sample_features():
    "The default body's features of the sample: (train, train targets, valid, valid targets) as numpy arrays"
    with tempfile.TemporaryDirectory() as d:
        dls,log = start_run('probe', None, Path(d)/'run', PROBE_ARCH, 544, 32, 42, 'squish')
        return [o.numpy() for o in run_features(probe_learner(dls, PROBE_ARCH), 'onnxruntime', progress=False)]

if __name__ == '__main__':
    ftr,ytr,fva,yva = sample_features()
    for cols,name in [(slice(None), f'all {ftr.shape[1]}'), (slice(0, 7040), 'mean and std, 7040')]:
        for C in [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1]:
            cv = [cross_val_score(_clf(C), ftr[:,cols], ytr, cv=StratifiedKFold(5, shuffle=True, random_state=s), n_jobs=2).mean() for s in range(3)]
            va = (_clf(C).fit(ftr[:,cols], ytr).predict(fva[:,cols]) == yva).mean()
            print(f'{name} C={C:g}: CV {np.mean(cv)*100:.1f}% ({" / ".join(f"{c*100:.1f}" for c in cv)}), validation {va*100:.0f}%', flush=True)
