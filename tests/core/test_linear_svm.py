"""The linear SVM the suggestions train (core/suggest/linear_svm.py) finds
what scikit-learn's `LinearSVC` finds on the same data: the same problem
(squared hinge, L2, class weights balanced, sample weights, the intercept as
a regularised weight), solved without importing scikit-learn (1-1.5 s)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from sklearn.svm import LinearSVC

from readinglist.core.library import Library
from readinglist.core.suggest import linear_svm
from tests.core.test_suggest import topics_library  # noqa: F401  (a fixture)
from tests.topics import write_topic_digests


@pytest.fixture(scope="module")
def matrix(topics_library):  # noqa: F811
    topics_library.suggest(limit=1)  # the features, learnt
    return topics_library.suggester.cache.current().matrix


@pytest.mark.parametrize("positives, dismissed", [(3, 0), (5, 0), (12, 4), (60, 10)])
def test_the_same_scores_as_linear_svc(matrix, positives, dismissed):
    rng = np.random.default_rng(positives)
    labels = np.zeros(matrix.shape[0], np.int8)
    labels[rng.choice(matrix.shape[0], positives, replace=False)] = 1
    weight = np.ones(len(labels))
    weight[rng.choice(np.flatnonzero(labels == 0), dismissed, replace=False)] = 6.0
    reference = LinearSVC(C=0.01, class_weight="balanced", dual="auto", max_iter=100000,
                          tol=1e-8).fit(matrix, labels, sample_weight=weight)
    expected = matrix @ reference.coef_.ravel() + reference.intercept_[0]
    w, b = linear_svm.fit(matrix, labels, 0.01, sample_weight=weight)
    found = matrix @ w + b
    assert np.abs(found - expected).max() < 2e-3
    assert abs(b - reference.intercept_[0]) < 2e-3
    top = 20
    assert list(np.argsort(-found)[:top]) == list(np.argsort(-expected)[:top])


def test_suggest_does_not_import_scikit_learn(tmp_path):
    # a library of this test's own: its features in this test's cache folder
    with Library.open(tmp_path / "lib") as library:
        library.import_files(write_topic_digests(tmp_path / "digests"))
        library.tags.add(library.papers.ids(sort="id")[:5], ["five"])
        library.edit.set_status(library.papers.ids(sort="id")[5:12], "read")
        library.suggest(limit=1)  # the features, learnt and saved as in daily use
    probe = ("import sys\nfrom readinglist.cli import main\n"
             "code = main(sys.argv[1:])\n"
             "print(code, 'sklearn' in sys.modules, file=sys.stderr)\n")
    for args in ([], ["--tag", "five"]):
        done = subprocess.run([sys.executable, "-c", probe, "--library", str(tmp_path / "lib"),
                               "suggest", "--limit", "3", *args],
                              capture_output=True, text=True, timeout=120)
        assert done.stderr.strip().splitlines()[-1] == "0 False", done.stderr[-2000:]
