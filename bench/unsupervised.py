# scikit-learn's side of bench/unsupervised.ts: the same CSV rows, the same
# models and settings, one thread. Prints one JSON document on stdout.
#   /usr/bin/python3 bench/unsupervised.py <data dir> <seed> <json settings>
import csv
import json
import sys
import time

import numpy as np
from sklearn.cluster import DBSCAN, AgglomerativeClustering, KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.preprocessing import StandardScaler

data_dir, seed, settings = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])


def load(name):
    with open(f"{data_dir}/{name}.csv") as f:
        rows = list(csv.reader(f))[1:]
    X = np.array([[float(v) for v in r[:-1]] for r in rows])
    return X, [r[-1] for r in rows]


def seconds(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


digits, _ = load("digits")
kmeans_seconds, kmeans = seconds(lambda: KMeans(n_clusters=10, n_init=10, random_state=seed).fit(digits))
silhouette_seconds, silhouette = seconds(lambda: silhouette_score(digits, kmeans.labels_))
pca_seconds, pca = seconds(lambda: PCA(svd_solver="full").fit(digits))

labelled = {}
for name, dbscan in settings["dbscan"].items():
    X, y = load(name)
    X = StandardScaler().fit_transform(X)
    k = len(set(y))
    km = KMeans(n_clusters=k, n_init=10, random_state=seed).fit(X)
    labelled[name] = {
        "kmeansInertia": float(km.inertia_),
        "kmeansAri": adjusted_rand_score(y, km.labels_),
        "agglomerative": AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(X).tolist(),
        "dbscan": DBSCAN(eps=dbscan["eps"], min_samples=dbscan["minSamples"]).fit_predict(X).tolist(),
    }

print(
    json.dumps(
        {
            "kmeansSeconds": kmeans_seconds,
            "kmeansInertia": float(kmeans.inertia_),
            "silhouetteSeconds": silhouette_seconds,
            "silhouette": float(silhouette),
            "pcaSeconds": pca_seconds,
            "pcaExplainedVarianceRatio": pca.explained_variance_ratio_.tolist(),
            "labelled": labelled,
        }
    )
)
