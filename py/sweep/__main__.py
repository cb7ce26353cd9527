from ..io.errors import run
from .command import main

run(main)
