"""Every docstring example of the package runs and shows what it says (doctest)."""

from __future__ import annotations

import doctest
import importlib
import io
import pkgutil
import sys

import pytest

import brainobs

MODULES = sorted(m.name for m in pkgutil.walk_packages(brainobs.__path__, "brainobs.")
                 if m.name != "brainobs.__main__")
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # examples that write files write them here
    module = importlib.import_module(name)
    finder, runner = doctest.DocTestFinder(), doctest.DocTestRunner(optionflags=FLAGS)
    report = io.StringIO()
    for test in finder.find(module, name):
        runner.run(test, out=report.write)
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    assert runner.failures == 0, report.getvalue()
