import numpy as np, time
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.pipeline import make_pipeline
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.metrics import recall_score, accuracy_score, balanced_accuracy_score
d=np.load('/tmp/exp/f_mobilenet_v2_544_squish.npz')
keys='avg0 std0 avg1 std1 avg2 std2 avg3 std3'.split()
X=np.concatenate([d[k] for k in keys],1); y=d['y']; tr=d['split']==0 if d['split'].dtype!=object and d['split'].dtype.kind!='U' else d['split']=='training_set'
print(np.unique(d['split']), np.unique(y, return_counts=True))
tr = d['split']==np.unique(d['split'])[0]
print('train counts', np.unique(y[tr], return_counts=True))
for cw in [None,'balanced']:
    t=time.time()
    clf=make_pipeline(StandardScaler(), LogisticRegression(C=0.003, max_iter=3000, class_weight=cw))
    p=cross_val_predict(clf, X[tr], y[tr], cv=StratifiedKFold(5, shuffle=True, random_state=0))
    clf.fit(X[tr],y[tr]); pv=clf.predict(X[~tr])
    print(cw, 'cv acc %.4f bal %.4f'%(accuracy_score(y[tr],p), balanced_accuracy_score(y[tr],p)), 'cv recall', np.round(recall_score(y[tr],p,average=None),3),
          '| val acc %.4f bal %.4f'%(accuracy_score(y[~tr],pv), balanced_accuracy_score(y[~tr],pv)), 'val recall', np.round(recall_score(y[~tr],pv,average=None),3), '%.0fs'%(time.time()-t), flush=True)
