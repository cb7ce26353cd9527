"""Pictures with no plotting library: training curves as SVG, image grids as PNG."""

import struct
import zlib

import numpy as np


def curves_svg(batch_loss: list[float], epochs: list[dict]) -> str:
    """Two panels: the loss of every batch (and each epoch's mean), and the
    train/validation accuracy per epoch. `epochs` rows have the keys
    epoch, train_loss, train_acc, val_acc; accuracies are fractions."""
    w, h, pad = 420, 260, 44
    per_epoch = len(batch_loss) / max(len(epochs), 1)

    def panel(x0: int, title: str, series: list[tuple[str, str, list[tuple[float, float]]]], y_max: float, y_min: float = 0.0) -> str:
        x_max = max(len(epochs), 1)
        sx = lambda v: x0 + pad + (w - 2 * pad) * v / x_max
        sy = lambda v: h - pad - (h - 2 * pad) * (v - y_min) / ((y_max - y_min) or 1)
        out = [f'<text x="{x0 + w / 2}" y="20" text-anchor="middle" font-weight="bold">{title}</text>',
               f'<line x1="{sx(0)}" y1="{sy(y_min)}" x2="{sx(x_max)}" y2="{sy(y_min)}" stroke="#888"/>',
               f'<line x1="{sx(0)}" y1="{sy(y_min)}" x2="{sx(0)}" y2="{sy(y_max)}" stroke="#888"/>',
               f'<text x="{x0 + w / 2}" y="{h - 8}" text-anchor="middle">epoch</text>']
        for i in range(5):
            v = y_min + (y_max - y_min) * i / 4
            out.append(f'<text x="{sx(0) - 4}" y="{sy(v) + 4}" text-anchor="end">{v:.3g}</text>')
        for e in range(0, x_max + 1, max(1, x_max // 8)):
            out.append(f'<text x="{sx(e)}" y="{h - pad + 16}" text-anchor="middle">{e}</text>')
        for i, (label, color, points) in enumerate(series):
            path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in points)
            out.append(f'<polyline fill="none" stroke="{color}" stroke-width="1.5" points="{path}"/>')
            out.append(f'<text x="{x0 + w - pad}" y="{pad + 14 * i}" text-anchor="end" fill="{color}">{label}</text>')
        return "\n".join(out)

    loss_series = [("batch loss", "#bbb", [((i + 1) / per_epoch, l) for i, l in enumerate(batch_loss)]),
                   ("epoch mean", "#d62728", [(r["epoch"], r["train_loss"]) for r in epochs])]
    accs = [r[k] for r in epochs for k in ("train_acc", "val_acc")]
    acc_series = [("train", "#d62728", [(r["epoch"], 100 * r["train_acc"]) for r in epochs]),
                  ("validation", "#1f77b4", [(r["epoch"], 100 * r["val_acc"]) for r in epochs])]
    acc_min = max(0.0, 100 * min(accs, default=0) - 1)
    body = panel(0, "loss", loss_series, max(batch_loss, default=1.0)) + "\n" + \
        panel(w, "accuracy (%)", acc_series, 100.0, acc_min)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * w}" height="{h}" '
            f'font-family="sans-serif" font-size="11">\n<rect width="100%" height="100%" fill="white"/>\n{body}\n</svg>\n')


def png(gray: np.ndarray) -> bytes:
    """A greyscale PNG from a (H, W) array in [0, 1] (1 is white)."""
    pixels = (np.clip(gray, 0, 1) * 255).round().astype(np.uint8)
    h, w = pixels.shape
    rows = b"".join(b"\x00" + pixels[r].tobytes() for r in range(h))   # filter 0 per row

    def chunk(chunk_type: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + chunk_type + body + struct.pack(">I", zlib.crc32(chunk_type + body))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def grid(images: np.ndarray, columns: int, scale: int = 3) -> np.ndarray:
    """(N, 784) digits -> one (H, W) picture, white ink on black, 2-px gaps."""
    n = len(images)
    rows = -(-n // columns)
    out = np.full((rows * 30 + 2, columns * 30 + 2), 0.25, np.float32)
    for i, img in enumerate(images):
        r, c = divmod(i, columns)
        out[2 + 30 * r:30 * r + 30, 2 + 30 * c:30 * c + 30] = img.reshape(28, 28)
    return out.repeat(scale, 0).repeat(scale, 1)
