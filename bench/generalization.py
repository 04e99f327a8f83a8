"""scikit-learn's side of bench/generalization.ts: validation_curve of k-NN's k and
learning_curve of Gaussian NB on digits, timed on one thread, as JSON on stdout."""
import csv
import json
import sys
import time

import numpy as np
from sklearn.model_selection import learning_curve, validation_curve
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier

path, settings = sys.argv[1], json.loads(sys.argv[2])
with open(path) as f:
    rows = list(csv.reader(f))[1:]
X = np.array([[float(v) for v in r[:-1]] for r in rows])
y = np.array([int(float(r[-1])) for r in rows])

start = time.perf_counter()
_, validation_test = validation_curve(KNeighborsClassifier(), X, y, param_name="n_neighbors", param_range=settings["k"], cv=5)
validation = time.perf_counter() - start
start = time.perf_counter()
_, _, learning_test = learning_curve(GaussianNB(), X, y, train_sizes=settings["trainSizes"], cv=5)
learning = time.perf_counter() - start

print(json.dumps({
    "validation": validation,
    "learning": learning,
    "validationTest": validation_test.mean(axis=1).tolist(),
    "learningTest": learning_test.mean(axis=1).tolist(),
}))
