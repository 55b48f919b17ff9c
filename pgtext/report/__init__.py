"""Reports: counts per theme, group and wave; rendering as text, Markdown, Word and charts; discovery.

``pgtext.report(labelled, ...)`` is the Python API's report function (``pgtext.api.report``), and
``pgtext.report`` is also this package: once any of its modules is imported, Python binds the name
to the package. So the package is callable and calling it runs ``pgtext.api.report``; both spellings
give the same function.
"""

import sys
import types


class _CallablePackage(types.ModuleType):
    def __call__(self, *args, **kwargs):
        from pgtext.api import report

        return report(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
