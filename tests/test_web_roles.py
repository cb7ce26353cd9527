"""The page's folders are roles (web/main.js says which): a view module
touches the DOM and never calls Python; a state module calls Python (through
web/worker/python.js) and never touches the DOM; the image size is one
constant that agrees with the network's."""

import re

from py.cli.checkout import WEB
from py.nn.model import COLS, ROWS

IMPORT = re.compile(r"""^\s*import\b[^'"]*['"]([^'"]+)['"]""", re.M)
COMMENT = re.compile(r"//[^\n]*")
DOM = re.compile(r"\b(document|window|HTMLElement|customElements)\b")


def modules(folder: str) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted((WEB / folder).glob("*.js"))}


def imports(source: str, folder: str) -> set[str]:
    """The modules `source` (in web/<folder>/) imports, as paths in web/."""
    return {(WEB / folder / name).resolve().relative_to(WEB.resolve()).as_posix() for name in IMPORT.findall(source)}


def test_views_never_import_python():
    views = modules("view")
    assert len(views) >= 8
    calling = {name: sorted(found) for name, source in views.items()
               if (found := {m for m in imports(source, "view") if m.startswith("worker/")})}
    assert calling == {}


def test_state_modules_never_touch_the_dom():
    states = modules("state")
    assert len(states) >= 8
    touching = {name: sorted(set(DOM.findall(COMMENT.sub("", source)))) for name, source in states.items()}
    assert {name: found for name, found in touching.items() if found} == {}
    assert not any(m.startswith("view/") for name, source in states.items() for m in imports(source, "state"))


def test_the_checks_catch_what_they_look_for():
    assert imports("import * as python from '../worker/python.js';", "view") == {"worker/python.js"}
    assert DOM.findall(COMMENT.sub("", "const x = 1; // the document\ndocument.title = 'x';")) == ["document"]


def test_one_image_size_the_networks_share():
    image = (WEB / "state" / "image.js").read_text()
    assert int(re.search(r"export const SIDE = (\d+);", image).group(1)) == ROWS == COLS
    literals = {p.relative_to(WEB).as_posix() for p in WEB.rglob("*.js")
                if "assets" not in p.parts and re.search(r"\b(784|28)\b", COMMENT.sub("", p.read_text()))}
    assert literals == {"state/image.js"}
