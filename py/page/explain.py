"""Looking inside a network, for the page's "See inside" panel.

- attribution: gradient × input, from our own backward pass: how much each
  pixel pushed the chosen digit's logit. For a linear model the map sums to
  the logit's difference from a blank input.
- first_layer: what the first layer looks for: an MLP's first weights as
  28×28 images, a CNN's first filters.
"""

import numpy as np

from ..nn.layers import Conv2D, Dense
from ..nn.model import COLS, ROWS, Model


def attribution(model: Model, image: np.ndarray, digit: int | None = None) -> np.ndarray:
    """(784,) image -> (784,) gradient of logit[digit] times the input;
    `digit` defaults to the network's answer."""
    x = image.reshape(1, -1).astype(np.float32)
    logits = model.forward(x)
    if digit is None:
        digit = int(logits.argmax())
    seed = np.zeros_like(logits)
    seed[0, digit] = 1
    return (model.backward(seed, input_grad=True)[0] * x[0]).astype(np.float32)


def first_layer(model: Model, most: int = 32) -> np.ndarray:
    """(k, h, w) images of the first layer's weights, each scaled to [-1, 1]:
    (k, 28, 28) for a Dense first layer, (k, kh, kw) for a Conv2D one."""
    layer = model.layers[0]
    w = layer.params["W"]
    if isinstance(layer, Dense):
        images = w[:, :most].T.reshape(-1, ROWS, COLS)
    elif isinstance(layer, Conv2D):
        images = w[:, :, 0, :most].transpose(2, 0, 1)          # first input channel
    else:
        raise ValueError(f"no picture for a first layer of type {type(layer).__name__}")
    return images / (np.abs(images).max(axis=(1, 2), keepdims=True) + 1e-8)

