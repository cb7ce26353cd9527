"""The page's contract (py/page/app.py): the entry points the worker may call
are the ones its docstring documents, in the same order, and each is there
to call; and the shipped networks are named in one place, which build.json
passes on to the page."""

import re

import pytest

from py.page import app
from py.site import SHIPPED


def documented_entry_points() -> list[str]:
    """The functions py/page/app.py's docstring lists: `    name(arguments) -> result` lines."""
    return re.findall(r"^    (\w+)\(", app.__doc__, re.M)


def test_the_entry_points_are_the_documented_ones():
    assert list(app.ENTRY_POINTS) == documented_entry_points()


def test_every_entry_point_is_a_function_of_the_contract():
    for name in app.ENTRY_POINTS:
        assert callable(getattr(app, name, None)), name


@pytest.mark.site
def test_build_json_names_the_shipped_networks(build):
    """The page takes the shipped networks from build.json: the first answers first."""
    assert build["shipped"] == list(SHIPPED) and list(build["weights"]) == list(SHIPPED)
