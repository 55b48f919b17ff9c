"""`python -m pgtext` with the tests' fake embedder registered: what real-process tests run when they need it."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # so `tests` imports from any working folder

from tests.fakes import register_fake  # noqa: E402

register_fake()

from pgtext.cli import cli  # noqa: E402

cli(prog_name="pgtext")
