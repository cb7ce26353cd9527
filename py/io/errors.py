"""One kind of error for bad input, and how command-line tools report it."""

import argparse
import os
import sys
from collections.abc import Callable


class BadInput(Exception):
    """Input we cannot use: a file, an option, a person's samples. The message
    names what it is, the place in it and the problem, on one line:
    "data/x.csv: line 3: expected 785 values, got 12"."""


class ArgumentParser(argparse.ArgumentParser):
    """argparse's parser, whose errors ("argument --epochs: invalid int value:
    'x'") are BadInput: one line and exit 2 like every other bad input, where
    argparse would print its usage as well."""

    def error(self, message: str) -> None:
        raise BadInput(message)


def run(main: Callable[[], None]) -> None:
    """Run a command-line `main`: bad input prints one line and exits 2,
    Ctrl-C exits 130, with no traceback either way."""
    try:
        main()
    except BadInput as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        sys.exit(130)
    except BrokenPipeError:
        # The reader went away (`... | head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
