"""pgtext: code open Dutch survey answers into codebook themes, locally.

The Python API (see ``pgtext.api``): ``load_model``, ``Model.label``, ``train`` and ``report``.
Imported on first use, so ``pgtext --help`` stays instant.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"
__all__ = ["Model", "ReportResult", "load_model", "report", "train", "__version__"]

if TYPE_CHECKING:
    from pgtext.api import Model, ReportResult, load_model, report, train


def __getattr__(name: str):
    if name in __all__ and name != "__version__":
        from pgtext import api

        return getattr(api, name)
    raise AttributeError(f"module 'pgtext' has no attribute {name!r}")
