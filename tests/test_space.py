"""The search space of python -m py.sweep (py/sweep/space.py): its entries, its
file, and one clear error for each kind of bad entry."""

import pytest

from py.sweep import space
from py.io.errors import BadInput


def test_space_entries():
    dims = {d.name: d for d in space.parse(["lr=1e-4..1e-2:log", "dropout = 0..0.5", "epochs=2..6",
                                            "layers=784,128,10|784,256,10", "augment=yes|no", "optimizer=adam",
                                            "batch-size=32"])}
    assert (dims["lr"].low, dims["lr"].high, dims["lr"].log) == (1e-4, 1e-2, True)
    assert (dims["dropout"].low, dims["dropout"].high, dims["dropout"].log) == (0.0, 0.5, False)
    assert (dims["epochs"].low, dims["epochs"].high) == (2, 6) and isinstance(dims["epochs"].low, int)
    assert dims["layers"].choices == ("784,128,10", "784,256,10") and not dims["layers"].fixed
    assert dims["augment"].choices == (True, False)
    assert dims["optimizer"].fixed and dims["batch-size"].choices == (32,)
    # written back the one way: how a study recognises its space
    assert [str(d) for d in dims.values()] == ["lr=0.0001..0.01:log", "dropout=0.0..0.5", "epochs=2..6",
                                               "layers=784,128,10|784,256,10", "augment=yes|no", "optimizer=adam",
                                               "batch-size=32"]
    assert space.argv("augment", False) == ["--no-augment"] and space.argv("lr", 0.1 + 0.2) == ["--lr",
                                                                                                "0.30000000000000004"]


def test_space_file(tmp_path):
    path = tmp_path / "sweep.txt"
    path.write_text("# an MLP sweep\nlr = 1e-4..1e-2:log   # Adam's usual range\n\nlayers=784,64,10|784,128,10\n")
    assert [str(d) for d in space.read(str(path))] == ["lr=0.0001..0.01:log", "layers=784,64,10|784,128,10"]
    path.write_text("lr=1e-4..1e-2:log\nlayers=784,64,10\nepochs=two\n")
    with pytest.raises(BadInput, match=r"sweep.txt: line 3: epochs: 'two' is not a whole number"):
        space.read(str(path))


@pytest.mark.parametrize("entry, message", [
    ("lr", "expected NAME=VALUES"),
    ("learning-rate=0.1", "'learning-rate' is not an option of py.train"),
    ("lr=0.1..0.01", "low end must be below its high end"),
    ("lr=0..0.1:log", "a log scale needs numbers above 0"),
    ("lr=1e-4..1e-2:ln", "':ln' is not a scale"),
    ("lr=nan", "'nan' is not a finite number"),
    ("epochs=1.5..3", "'1.5' is not a whole number"),
    ("augment=maybe", "'maybe' is not yes or no"),
    ("dropout=0.1|0.1", "a value appears twice"),
    ("layers=", "expected NAME=VALUES"),
])
def test_space_errors(entry, message):
    with pytest.raises(BadInput, match=message):
        space.parse([entry])
