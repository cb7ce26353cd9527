"""The wire between the page and Python is declared once: py.page.app's
ENTRY_POINTS, the entry points its docstring lists (in the same order, with
their arguments) and the functions of web/worker/python.js agree, each entry point is
there to call, and no other file in web/ calls one by name. A rename on either
side fails here, not in a browser. The shipped networks are named in one
place, which build.json passes on to the page."""

import re

import pytest

from py.cli.checkout import WEB
from py.page import app
from py.site import SHIPPED_NETWORKS

CONTRACT = "worker/python.js"
# A docstring line of the contract: "    name(arg, arg)   -> result".
LISTED = re.compile(r"^    ([a-z_]+)\(([^)]*)\)\s+->", re.MULTILINE)
# A function of web/worker/python.js: an optional comment, then
# "export const name = (arg, arg) => call('entry_point', [arg, arg]...".
DEFINED = re.compile(r"((?://[^\n]*\n)*)export const (\w+) = \(([^)]*)\) => \w+\('(\w+)', \[([^\]]*)\]")


def camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(word.title() for word in rest)


def names(text: str) -> list[str]:
    return [n.strip() for n in text.split(",") if n.strip()]


def disagreements(entry_points: tuple[str, ...], docstring: str, contract: str, others: dict[str, str]) -> list[str]:
    """Everything on which the three declarations, and the rest of web/, disagree."""
    problems = []
    listed = {name: names(args) for name, args in LISTED.findall(docstring)}
    defined = {entry: (function, names(params), names(forwarded), comment)
               for comment, function, params, entry, forwarded in DEFINED.findall(contract)}
    for where, found in (("the contract's docstring", listed), (CONTRACT, defined)):
        problems += [f"{name}: in ENTRY_POINTS, not in {where}" for name in entry_points if name not in found]
        problems += [f"{name}: in {where}, not in ENTRY_POINTS" for name in found if name not in entry_points]
    for entry, (function, params, forwarded, comment) in defined.items():
        if function != camel(entry):
            problems.append(f"{CONTRACT}: {function} calls {entry}: expected the name {camel(entry)}")
        if entry in listed and params != [camel(a) for a in listed[entry]]:
            problems.append(f"{CONTRACT}: {function}({', '.join(params)}): the docstring says {entry}({', '.join(listed[entry])})")
        if forwarded != params:
            problems.append(f"{CONTRACT}: {function} passes [{', '.join(forwarded)}], not its arguments")
        if not comment.strip():
            problems.append(f"{CONTRACT}: {function} has no comment saying what it does")
    # An entry point by name: as a string ('load_model'; $('inside') is an element), or called on anything but
    # python.js (app.load_model()).
    entry = "|".join(map(re.escape, entry_points))
    by_name = re.compile(rf"""(?<!\$\()(['"`])({entry})\1|(?<!\bpython)\.({entry})\s*\(""")
    for file, text in others.items():
        problems += [f"{file}: names the entry point {m.group(2) or m.group(3)} (call {CONTRACT}'s "
                     f"{camel(m.group(2) or m.group(3))} instead)" for m in by_name.finditer(text)]
    used = "\n".join(others.values())
    problems += [f"{CONTRACT}: {function} is used by no file in web/" for function, *_ in defined.values()
                 if not re.search(rf"\b{function}\b", used)]
    return problems


def declared() -> tuple[tuple[str, ...], str, str, dict[str, str]]:
    others = {p.relative_to(WEB).as_posix(): p.read_text() for p in sorted(WEB.rglob("*.js"))
              if "assets" not in p.parts and p.relative_to(WEB).as_posix() != CONTRACT}
    return app.ENTRY_POINTS, app.__doc__, (WEB / CONTRACT).read_text(), others


def test_the_entry_points_are_the_documented_ones():
    assert list(app.ENTRY_POINTS) == [name for name, _ in LISTED.findall(app.__doc__)]


def test_every_entry_point_is_a_function_of_the_contract():
    for name in app.ENTRY_POINTS:
        assert callable(getattr(app, name, None)), name


def test_entry_points_docstring_and_web_agree():
    assert disagreements(*declared()) == []


RENAMES = {
    "in Python": lambda e, d, c, o: (tuple("classify" if n == "predict" else n for n in e), d, c, o),
    "in the docstring": lambda e, d, c, o: (e, d.replace("    inside(", "    look_inside("), c, o),
    "in python.js": lambda e, d, c, o: (e, d, c.replace("'export_weights'", "'export_model'"), o),
    "an argument": lambda e, d, c, o: (e, d, c.replace("(csvBytes, filename) => call('read_samples', [csvBytes, filename]",
                                                       "(csvBytes) => call('read_samples', [csvBytes]"), o),
    "a call by name": lambda e, d, c, o: (e, d, c, {**o, "main.js": o["main.js"] + "\nsend('predict', []);\n"}),
    "a call to Python": lambda e, d, c, o: (e, d, c, {**o, "worker/worker.js": o["worker/worker.js"] + "\napp.load_model(a, b, c);\n"}),
}


@pytest.mark.parametrize("rename", RENAMES)
def test_a_rename_on_either_side_is_caught(rename):
    assert disagreements(*RENAMES[rename](*declared())) != []


@pytest.mark.site
def test_build_json_names_the_shipped_networks(build):
    """The page takes the shipped networks from build.json: the first answers
    first; and the pen's path network, under the name Python looks it up by,
    among the files the first answer needs."""
    assert build["shipped"] == list(SHIPPED_NETWORKS) and list(build["weights"]) == [*SHIPPED_NETWORKS, app.PATH]
    assert build["weights"][app.PATH] in build["first_answer"][-1]
