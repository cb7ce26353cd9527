"""The UNIPEN reader on small distributions written here: the format's rules
(includes, ranges, pen-up blocks, resolution, y upward, writers), and one
line naming the file, the line and the problem for each kind of damage."""

import numpy as np
import pytest
from conftest import assert_clean_error, run_cli

from py.drawings import strokeset, unipenset
from py.io.errors import BadInput

# Components, as the ranges count them: 0 down (3 points), 1 up (2 points),
# [an empty pen-up block: not counted], 2 down (2 points), 3 down (4 points).
DATA = """.WRITER_ID w7
.X_POINTS_PER_INCH 200
.Y_POINTS_PER_INCH 100
.PEN_DOWN
 0 0
 10 0
 10 10 255
.PEN_UP
 50 50
 60 60
.PEN_UP
.PEN_DOWN
\t20 20
\t30 30
.PEN_DOWN
 0 0
 1 1
 2 2
 3 3
"""


def distribution(tmp_path, segments: str, data: str = DATA, category: str = "1a"):
    root = tmp_path / "unipen"
    (root / "include" / "abc" / "data").mkdir(parents=True)
    (root / "data" / category / "abc").mkdir(parents=True)
    (root / "include" / "abc" / "data" / "w7.dat").write_text(data)
    (root / "data" / category / "abc" / "w7.dat").write_text(
        ".VERSION 1.0\n.INCLUDE abc/abc.doc\n.INCLUDE abc/data/w7.dat\n" + segments)
    return root


def test_ranges_pick_pen_down_points_with_y_up_and_the_resolution(tmp_path):
    root = distribution(tmp_path, '.SEGMENT CHARACTER 0 OK "1"\n'
                                  '.SEGMENT CHARACTER 0-2 ? "2"\n'
                                  '.SEGMENT CHARACTER 2,3 OK "3"\n'
                                  '.SEGMENT CHARACTER 0:1-3:1 OK "4"\n')
    one, two, three, four = unipenset.read(root)
    assert (one.label, one.writer, one.category) == ("1", "abc/w7", "digit")
    # y grows upward in the file and is scaled by X/Y = 2: a screen's y is -2y.
    np.testing.assert_array_equal(one.strokes[0], [[0, 0], [10, 0], [10, -20]])
    assert [len(s) for s in two.strokes] == [3, 2]               # the pen-up points are left out
    assert [len(s) for s in three.strokes] == [2, 4]
    assert [len(s) for s in four.strokes] == [2, 2, 2]      # point 1 of 0 … point 1 of 3


def test_stray_strokes_labelled_backslash_at_are_no_character(tmp_path):
    root = distribution(tmp_path, '.SEGMENT CHARACTER 0 OK "\\@"\n.SEGMENT CHARACTER 3 OK "@"\n'
                                  '.SEGMENT CHARACTER 2 OK "\\""\n', category="1d")
    assert [(c.label, c.category) for c in unipenset.read(root)] == [("@", "symbol"), ('"', "symbol")]


def test_a_data_file_without_writer_id_is_a_writer_of_its_own(tmp_path):
    root = distribution(tmp_path, '.SEGMENT CHARACTER 3 OK "a"\n', DATA.replace(".WRITER_ID w7\n", ""), "1c")
    (char,) = unipenset.read(root)
    assert (char.writer, char.category) == ("abc/data/w7", "lower")


@pytest.mark.parametrize("segments, data, fragments", [
    ('.SEGMENT CHARACTER 9 OK "1"\n', DATA, ("line 4", "component 9 does not exist")),
    ('.SEGMENT CHARACTER 3:2-3:9 OK "1"\n', DATA, ("line 4", "point 9 of component 3")),
    ('.SEGMENT CHARACTER 3-1 OK "1"\n', DATA, ("line 4", "runs backwards")),
    ('.SEGMENT CHARACTER 1-x OK "1"\n', DATA, ("line 4", "endpoint 'x'")),
    ('.SEGMENT CHARACTER 1 OK 1\n', DATA, ("line 4", ".SEGMENT CHARACTER <range>")),
    ('.SEGMENT CHARACTER 0 OK "1"\n', DATA.replace(" 10 0\n", " 10 zero\n"), ("w7.dat: line 6", "expected 'x y'")),
    ('.SEGMENT CHARACTER 0 OK "1"\n', DATA.replace(" 10 0\n", " 10 inf\n"), ("w7.dat: line 6", "finite")),
    ('.SEGMENT CHARACTER 0 OK "1"\n', DATA.replace("100", "-3"), ("w7.dat: line 3", "Y_POINTS_PER_INCH")),
    ('.SEGMENT CHARACTER 0 OK "1"\n', DATA.replace(".PEN_UP\n 50", ".PEN_UP 4\n 50"), ("w7.dat: line 8", "no value")),
])
def test_damage_is_named_in_one_line(tmp_path, segments, data, fragments):
    root = distribution(tmp_path, segments, data)
    with pytest.raises(BadInput) as e:
        unipenset.read(root)
    assert "\n" not in str(e.value) and all(f in str(e.value) for f in fragments), str(e.value)


def test_includes_must_exist_and_stay_inside(tmp_path):
    root = distribution(tmp_path, '.INCLUDE abc/data/gone.dat\n')
    with pytest.raises(BadInput, match=r"w7.dat: line 4: .INCLUDE abc/data/gone.dat: no such file"):
        unipenset.read(root)
    root = distribution(tmp_path / "2", '.INCLUDE ../../../etc/passwd\n')
    with pytest.raises(BadInput, match="points outside"):
        unipenset.read(root)


def test_lines_may_end_as_on_any_system_and_resolutions_mix_units(tmp_path):
    """Old Macs end lines with \\r alone; .Y_POINTS_PER_MM 10 is 254 per inch."""
    data = DATA.replace(".Y_POINTS_PER_INCH 100", ".Y_POINTS_PER_MM 10").replace("200", "254")
    root = distribution(tmp_path, '.SEGMENT CHARACTER 0 OK "1"\n', data.replace("\n", "\r"))
    (one,) = unipenset.read(root)
    np.testing.assert_array_equal(one.strokes[0], [[0, 0], [10, 0], [10, -10]])     # y scaled by 254 / 254


def test_characters_read_are_bounded(tmp_path, monkeypatch):
    root = distribution(tmp_path, '.SEGMENT CHARACTER 0 OK "1"\n' * 2)
    monkeypatch.setattr(unipenset, "MAX_CHARACTERS", 1)
    with pytest.raises(BadInput, match=r"w7.dat: line 5: more than 1 characters"):
        unipenset.read(root)


def test_not_a_distribution(tmp_path):
    with pytest.raises(BadInput, match="not a UNIPEN distribution"):
        unipenset.read(tmp_path)


def test_simplify_keeps_the_shape():
    t = np.linspace(0, 2 * np.pi, 400)
    circle = np.stack([np.cos(t), np.sin(t)], axis=1) / 2 + 0.5
    kept = unipenset.simplify(circle, 0.005)
    assert 10 < len(kept) < 60 and (kept[[0, -1]] == circle[[0, -1]]).all()
    # Every dropped point lies within the tolerance of the kept polyline.
    a, b = kept[:-1], kept[1:]
    ab = b - a
    ap = circle[:, None] - a[None]
    u = np.clip((ap * ab).sum(2) / (ab * ab).sum(1), 0, 1)
    assert np.hypot(*(ap - u[..., None] * ab).transpose(2, 0, 1)).min(axis=1).max() <= 0.005 + 1e-9


def test_writers_are_split_whole_by_institution():
    chars = [unipenset.Character("1", [np.zeros((2, 2), np.float32)], f"{inst}/{w}", "digit")
             for inst, n in (("a", 12), ("b", 3), ("c", 2), ("d", 1)) for w in range(n) for _ in range(2)]
    part = unipenset.split_writers(chars)
    by_inst = {i: sorted(part[f"{i}/{w}"] for w in range(n)) for i, n in (("a", 12), ("b", 3), ("c", 2), ("d", 1))}
    assert by_inst["a"].count("held-out") == 3 and by_inst["a"].count("tune") == 2
    assert set(by_inst["b"]) == set(unipenset.PARTS)
    assert by_inst["c"] == ["held-out", "train"] and by_inst["d"] == ["train"]
    assert part == unipenset.split_writers(chars[::-1])          # the order characters come in changes nothing


def test_the_command_writes_a_set_by_part(tmp_path):
    segments = "".join(f'.SEGMENT CHARACTER {c} OK "{d}"\n' for c, d in ((0, 1), (3, 7)))
    root = distribution(tmp_path, segments)
    result = run_cli("py.unipen", "--data", str(root), "--out", str(tmp_path / "u.npz"))
    assert result.returncode == 0, result.stderr
    drawn = strokeset.load(tmp_path / "u.npz")
    assert [(d.label, d.group, d.source, d.part) for d in drawn] == [
        ("1", "digit", "abc/w7", "train"), ("7", "digit", "abc/w7", "train")]


def test_the_command_refuses_a_damaged_distribution_in_one_line(tmp_path):
    root = distribution(tmp_path, '.SEGMENT CHARACTER 9 OK "1"\n')
    assert_clean_error(run_cli("py.unipen", "--data", str(root), "--out", str(tmp_path / "u.npz")),
                       "w7.dat", "line 4", "component 9")
    assert not (tmp_path / "u.npz").exists()


def writers(tmp_path, n: int = 3):
    """A distribution of `n` writers at one institution (each part gets one),
    each writing a 1, a 7 and a T."""
    root = tmp_path / "unipen"
    one, seven, tee = "0 0\n0 -90\n", "-40 0\n40 0\n0 -90\n", "-40 0\n40 0\n.PEN_UP\n0 0\n.PEN_DOWN\n0 0\n0 -90\n"
    for w in range(n):
        (root / "include" / "abc").mkdir(parents=True, exist_ok=True)
        (root / "include" / "abc" / f"w{w}.dat").write_text(
            f".WRITER_ID w{w}\n.PEN_DOWN\n{one}.PEN_UP\n0 0\n.PEN_DOWN\n{seven}.PEN_UP\n0 0\n.PEN_DOWN\n{tee}")
        for category, segments in (("1a", '.SEGMENT CHARACTER 0 OK "1"\n.SEGMENT CHARACTER 2 OK "7"\n'),
                                   ("1b", '.SEGMENT CHARACTER 4-6 OK "T"\n')):
            (root / "data" / category / "abc").mkdir(parents=True, exist_ok=True)
            (root / "data" / category / "abc" / f"w{w}.dat").write_text(f".INCLUDE abc/w{w}.dat\n{segments}")
    return root


@pytest.mark.slow
def test_train_and_evaluate_on_a_distribution(tmp_path):
    """py.train --data unipen:DIR trains on its training writers and validates
    on its tuning writers; py.evaluate reads its held-out writers as the page does."""
    root, out = writers(tmp_path), tmp_path / "w.npz"
    result = run_cli("py.train", "--data", f"unipen:{root}", "--layers", "784,16,10", "--epochs", "2",
                     "--font-digits", "0", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert f"UNIPEN writers ({root}): 2 train, 2 validation, 2 test" in result.stdout
    assert "1 real letters and symbols" in result.stdout
    result = run_cli("py.evaluate", "--weights", str(out), "--data", f"unipen:{root}")
    assert result.returncode == 0, result.stderr
    assert "held-out writers (1), as the page reads them" in result.stdout
    assert "digits (2): right" in result.stdout and "letters and symbols (1," in result.stdout
