"""Exercise: how many gradient steps does the complete example take in all?"""

import math

from scratchnet import load_digits

digits = load_digits(seed=0)
rows = len(digits.X_train)  # four fifths of the 1,797 digits
steps_per_epoch = math.ceil(rows / 32)
assert (rows, steps_per_epoch) == (1437, 45)
print(f"{rows} training images → {steps_per_epoch} steps per epoch → {100 * steps_per_epoch:,}")
