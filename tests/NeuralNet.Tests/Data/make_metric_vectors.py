"""Writes metric_vectors.json: scikit-learn's values of the metrics of NeuralNet.Metrics, for
MetricVectorsTests.

Run once with Debian's python3-sklearn (1.2): /usr/bin/python3 make_metric_vectors.py
Each case: the network outputs (rows = samples), the targets as the trainer takes them (class indices,
0/1 or regression values), whether the loss is a classifier's, and scikit-learn's value of each metric.
Classes are predicted as NeuralNet does: the first highest output, or output >= 0.5 for one output.
Scores are rounded to one decimal so that ties occur (top-k order on ties, ROC AUC's mean ranks).
"""
import json

import numpy as np
from sklearn import metrics as M

rng = np.random.default_rng(11)
cases = []


def labels_of(scores):
    return (scores[:, 0] >= 0.5).astype(int) if scores.shape[1] == 1 else np.argmax(scores, axis=1)


# four classes, one never predicted (its score is always lowest), ties from rounding
raw = rng.random((40, 4))
raw[:, 3] *= 0.05
scores = np.round(raw / raw.sum(axis=1, keepdims=True), 1)
y = rng.integers(0, 4, 40)
pred = labels_of(scores)
assert 3 not in pred
cases.append(dict(name="multiclass", classifier=True, outputs=scores.tolist(), targets=[[int(v)] for v in y], expected={
    "accuracy": M.accuracy_score(y, pred),
    "top2_accuracy": M.top_k_accuracy_score(y, scores, k=2, labels=[0, 1, 2, 3]),
    "top3_accuracy": M.top_k_accuracy_score(y, scores, k=3, labels=[0, 1, 2, 3]),
    "precision": M.precision_score(y, pred, average="macro", zero_division=0),
    "recall": M.recall_score(y, pred, average="macro", zero_division=0),
    "f1": M.f1_score(y, pred, average="macro", zero_division=0),
}))

# binary, one sigmoid output, tied scores
p = np.round(rng.random((30, 1)), 1)
y = (rng.random(30) < 0.3 + 0.5 * p[:, 0]).astype(int)
pred = labels_of(p)
cases.append(dict(name="binary_sigmoid", classifier=True, outputs=p.tolist(), targets=[[int(v)] for v in y], expected={
    "accuracy": M.accuracy_score(y, pred),
    "auc": M.roc_auc_score(y, p[:, 0]),
    "precision": M.precision_score(y, pred, average="macro", zero_division=0),
    "recall": M.recall_score(y, pred, average="macro", zero_division=0),
    "f1": M.f1_score(y, pred, average="macro", zero_division=0),
}))

# binary, two softmax outputs, one-hot targets
p1 = np.round(rng.random(24), 1)
two = np.stack([1 - p1, p1], axis=1)
y = (rng.random(24) < p1).astype(int)
cases.append(dict(name="binary_softmax", classifier=True, outputs=two.tolist(), targets=np.eye(2)[y].tolist(), expected={
    "accuracy": M.accuracy_score(y, labels_of(two)),
    "auc": M.roc_auc_score(y, two[:, 1]),
}))

# regression, two outputs
t = rng.normal(size=(25, 2)) * [1.0, 3.0] + [0.5, -2.0]
o = t + rng.normal(size=(25, 2)) * [0.4, 2.0]
cases.append(dict(name="regression", classifier=False, outputs=o.tolist(), targets=t.tolist(), expected={
    "mae": M.mean_absolute_error(t, o),
    "rmse": float(np.sqrt(M.mean_squared_error(t, o))),
    "r2": M.r2_score(t, o),
}))

# regression, one output
cases.append(dict(name="regression_single", classifier=False, outputs=o[:, :1].tolist(), targets=t[:, :1].tolist(), expected={
    "mae": M.mean_absolute_error(t[:, 0], o[:, 0]),
    "rmse": M.mean_squared_error(t[:, 0], o[:, 0], squared=False),
    "r2": M.r2_score(t[:, 0], o[:, 0]),
}))

# regression, a constant target column beside a varying one: scikit-learn's r2 scores the constant column 0
# (force_finite). With a constant whose mean rounds (0.1 x 7) scikit-learn 1.2 gives -1e32 instead: that case
# is tested by hand in MetricTests, which follows scikit-learn's stated rule.
t2 = np.stack([np.full(7, 2.0), np.arange(7.0)], axis=1)
o2 = np.stack([np.full(7, 0.3), np.arange(7.0) + 0.5], axis=1)
cases.append(dict(name="regression_constant_target", classifier=False, outputs=o2.tolist(), targets=t2.tolist(), expected={
    "r2": M.r2_score(t2, o2),
    "mae": M.mean_absolute_error(t2, o2),
}))

with open("metric_vectors.json", "w") as f:
    json.dump(dict(source="scikit-learn " + __import__("sklearn").__version__ + ", make_metric_vectors.py", cases=cases), f, indent=1)
