"""A grid search over scratchnet's classifier with scikit-learn's tools.

Scale the pixels and train ScratchNetClassifier in one Pipeline, let
GridSearchCV try two L2 strengths and two hidden-layer widths with 3-fold
cross-validation, then score the best on held-out digits. Adam and 10 epochs
keep it quick (a few seconds). Run it as ``python docs/examples/grid_search.py``.
"""

from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from scratchnet.sklearn import ScratchNetClassifier

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)

pipeline = make_pipeline(
    StandardScaler(),
    ScratchNetClassifier(solver="adam", learning_rate_init=0.001, max_iter=10, random_state=0),
)
grid = {
    "scratchnetclassifier__alpha": [0.0, 1.0],
    "scratchnetclassifier__hidden_layer_sizes": [(32,), (128,)],
}
search = GridSearchCV(pipeline, grid, cv=3).fit(X_train, y_train)

print("Best settings:", search.best_params_)
print(f"Cross-validated accuracy: {search.best_score_:.3f}")
print(f"Test accuracy: {search.score(X_test, y_test):.3f}")
