"""Exercise: how many gradient steps make one epoch of 1,437 images in batches of 32?"""

import math

batches = range(0, 1437, 32)  # where each batch starts, as the learner's train loop cuts them
assert len(batches) == math.ceil(1437 / 32) == 45
assert 1437 - batches[-1] == 29  # the last batch is smaller
print(f"{len(batches)} steps per epoch; the last batch has {1437 - batches[-1]} images")
