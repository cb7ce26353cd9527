"""The study and its database: opened, made or joined, with heartbeats, and
which of its trials count towards --trials."""

import argparse
import time
import urllib.parse
import warnings

import optuna

from . import space
from ..cli import checkout
from ..io import data
from ..io.errors import BadInput
from .outcomes import counts

HEARTBEAT = 10       # seconds between a running trial's signs of life in the database;
GRACE = 60           # one silent this long (its worker was killed) is marked failed
CONNECT_TIMEOUT = 10  # seconds a database server has to answer a new connection
ATTEMPTS = 5         # to open a database that others may be making at the same moment


def shown(url: str) -> str:
    """The database URL without its password, fit to print whatever it holds."""
    return _masked(url)[0]


def _masked(url: str) -> tuple[str, str | None]:
    """(the URL with its password as ***, the password as written, or None).
    The password is all that lies between the user's name and the host's
    last @, so that no part of it is printed, even from a URL too broken
    for SQLAlchemy to read."""
    scheme, sep, rest = url.partition("://")
    userinfo, at, host = rest.rpartition("@")
    user, colon, password = userinfo.partition(":")
    if not (sep and colon) or rest.startswith("/"):      # no user's password (sqlite:///a:b@c.db is a file)
        return url, None
    return f"{scheme}{sep}{user}:***{at}{host}", password


def storage(url: str) -> "optuna.storages.RDBStorage":
    """Optuna's storage in the database at `url`, with heartbeats: a trial
    whose worker was killed is marked failed instead of running forever. A
    server that does not answer is given CONNECT_TIMEOUT seconds."""
    import sqlalchemy.exc
    masked, password = _masked(url)
    if not _readable(url, password):
        raise BadInput(f"--storage {masked}: not a database URL (expected DIALECT://USER[:PASSWORD]@HOST[:PORT]/DATABASE; "
                       f"an @ in the password is written %40)")
    if url.startswith("sqlite"):
        wait = {"connect_args": {"timeout": 60}}           # workers take turns writing
    elif url.startswith("postgresql"):
        wait = {"connect_args": {"connect_timeout": CONNECT_TIMEOUT}}
    else:
        wait = {}
    try:
        with warnings.catch_warnings(category=optuna.exceptions.ExperimentalWarning, action="ignore"):  # heartbeats
            reachable(url, wait)
            # Commands that make a new database at the same moment (machines joining
            # a new study, or anything reading it) race to write its tables; the
            # losers find them there on a second try.
            for attempt in range(ATTEMPTS):
                try:
                    return optuna.storages.RDBStorage(url, engine_kwargs=wait, heartbeat_interval=HEARTBEAT,
                                                      grace_period=GRACE)
                except (sqlalchemy.exc.IntegrityError, sqlalchemy.exc.OperationalError):
                    if attempt == ATTEMPTS - 1:
                        raise
                    time.sleep(0.5)
    except ImportError as e:      # no driver: Optuna raises a plain ImportError, caused by the missing module's
        module = getattr(e.__cause__, "name", None) or e.name or "of its database's driver"
        raise BadInput(f"--storage {masked}: needs the Python module {module}, which is not installed "
                       f"(pip install -e '.[sweep]' brings PostgreSQL's driver only)") from None
    except (sqlalchemy.exc.SQLAlchemyError, ValueError) as e:
        reason = str(getattr(e, "orig", None) or e).strip().splitlines()[0]   # the driver's own words, one line
        raise BadInput(f"--storage {masked}: {reason if not password else reason.replace(password, '***')}") from None


def _readable(url: str, password: str | None) -> bool:
    """Whether SQLAlchemy reads `url`, and in it the password _masked found
    (an @ in a password ends it there for SQLAlchemy, the rest taken for the host)."""
    from sqlalchemy.engine import make_url
    try:
        read = make_url(url).password
    except Exception:          # sqlalchemy.exc.ArgumentError, ValueError (a port that is no number), …
        return False
    return read == (None if password is None else urllib.parse.unquote(password))


def reachable(url: str, engine_kwargs: dict) -> None:
    """Connect once, or raise: a server that is down or does not answer is
    said at once, not retried as a race between commands is."""
    import sqlalchemy
    engine = sqlalchemy.create_engine(url, **engine_kwargs)
    try:
        engine.connect().close()
    finally:
        engine.dispose()


def open_study(args: argparse.Namespace, *, sampler=None, pruner=None
               ) -> tuple["optuna.Study", list[space.Dimension], str]:
    """The study named --study, made if new: (study, its search space, its
    data source). A study keeps its space and data; a command joining it
    may leave them out, and may not give others."""
    db, given = storage(args.storage), [str(d) for d in args.dims]
    if given:
        study = optuna.create_study(study_name=args.study, storage=db, direction="maximize", load_if_exists=True,
                                    sampler=sampler, pruner=pruner)
        if "space" not in study.user_attrs:
            study.set_user_attr("space", given)
            study.set_user_attr("data", args.data or "embedded")
    else:
        try:
            study = optuna.load_study(study_name=args.study, storage=db, sampler=sampler, pruner=pruner)
        except KeyError:
            raise BadInput(f"--study {args.study}: no such study in {shown(args.storage)}; "
                           f"a new one needs a search space (NAME=VALUES entries or --space)") from None
        if "space" not in study.user_attrs:
            raise BadInput(f"--study {args.study}: not a study of py.sweep (it has no search space)")
    kept, source = study.user_attrs["space"], study.user_attrs["data"]
    if given and given != kept:
        raise BadInput(f"--study {args.study}: it searches another space ({' '.join(kept)}); "
                       f"give none to carry it on, or name another --study")
    if args.data and args.data != source:
        raise BadInput(f"--data {args.data}: study {args.study} was made with --data {source}")
    return study, space.parse(kept), source


def budget_left(study: "optuna.Study", budget: int) -> int:
    with warnings.catch_warnings(category=optuna.exceptions.ExperimentalWarning, action="ignore"):
        optuna.storages.fail_stale_trials(study)       # running trials whose worker went silent
    return budget - sum(counts(t) for t in study.get_trials(deepcopy=False))


def load_data(source: str) -> data.Dataset:
    ds = checkout.dataset(source)
    data.check_trainable(ds, source)
    return ds

