"""Exercise: accuracy from predictions and labels, and the confusion matrix's diagonal."""

import numpy as np

predicted = np.array([3, 1, 4, 1, 5, 9, 2, 6])
true = np.array([3, 1, 4, 7, 5, 9, 2, 5])
accuracy = np.mean(predicted == true)
assert accuracy == 6 / 8

confusion = np.zeros((10, 10), dtype=int)
np.add.at(confusion, (true, predicted), 1)  # row: true digit, column: predicted digit
assert confusion.trace() == 6  # the diagonal holds the right answers
assert confusion[7, 1] == 1 and confusion[5, 6] == 1  # a 7 read as 1, a 5 read as 6
print(f"accuracy {accuracy:.0%}")
