"""The network from scratch, in NumPy: layers with their forward and backward
passes (layers.py), the model and its loss (model.py), the optimizers
(optim.py), one training step at a time (trainer.py), augmentation
(distort.py) and accuracy figures (metrics.py). Read it first, in that order.
Ships to the page."""
