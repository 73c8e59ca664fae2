"""The tutorials in a Colab-like environment: Colab's preinstalled versions, then our install cell.

The venv (``bash tests/colab/setup_colab_venv.sh``, in ``.venv-colab`` or wherever
``$BRAINOBS_COLAB_PYTHON`` points) holds the packages Colab preinstalls at Colab's versions
(``tests/colab/colab-pins.txt``) and no brainobs. Here, as in Colab:

1. a running kernel executes the tutorials' set-up cell (with the git URL replaced by this working
   tree), which installs brainobs with ``%pip``, and then imports and uses it — no restart;
2. pip must have changed none of the preinstalled packages (``pip freeze`` before and after), so
   nothing already imported in a Colab runtime goes stale;
3. every tutorial then runs, cell by cell, on the sample release in a temporary cache.

Skipped, with the reason, when the venv is absent.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from tests.settings import REPO

HERE = Path(__file__).resolve().parent
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
PINS = HERE / "colab-pins.txt"
DEFAULT_VENV_PYTHON = REPO / ".venv-colab" / "bin" / "python"
PYTHON = os.environ.get("BRAINOBS_COLAB_PYTHON") or (
    str(DEFAULT_VENV_PYTHON) if DEFAULT_VENV_PYTHON.is_file() else ""
)
SOURCE_FILES = ("pyproject.toml", "README.md", "toolkit")

pytestmark = pytest.mark.skipif(
    not PYTHON,
    reason="no Colab-like venv (bash tests/colab/setup_colab_venv.sh, or BRAINOBS_COLAB_PYTHON)",
)


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins() -> dict[str, str]:
    lines = [line.split("#")[0].strip() for line in PINS.read_text().splitlines()]
    return {_canonical(n): v for n, v in (line.split("==") for line in lines if line)}


def _freeze(env: dict[str, str]) -> dict[str, str]:
    command = [PYTHON, "-m", "pip", "freeze", "--all"]
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    found = re.findall(r"^([\w.-]+)\s*(?:==|@)\s*(\S+)", out, re.MULTILINE)  # name==1.0, name @ url
    return {_canonical(name): version for name, version in found}


def _copy_source(target: Path) -> Path:
    """This working tree's package source, as pip would get it from the repository."""
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    target.mkdir(parents=True)
    for name in SOURCE_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        else:
            shutil.copy2(source, target / name)
    return target


def _setup_cell() -> str:
    notebook = nbformat.read(NOTEBOOKS[0], as_version=4)
    return next(cell.source for cell in notebook.cells if cell.cell_type == "code")


def _install_notebook(source: Path, path: Path) -> Path:
    """A notebook that does what Colab does: the set-up cell, then use brainobs at once."""
    setup = re.sub(r"git\+https://[^\"' ]+", source.as_uri(), _setup_cell())
    assert source.as_uri() in setup, "the set-up cell's install command names no git URL"
    cells = [
        "import sys, types\n\nsys.modules['google.colab'] = types.ModuleType('google.colab')",
        setup,
        "vc = brainobs.VisualCoding2P()\nprint(len(vc.containers()), 'containers')",
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(notebook, path)
    return path


def _kernel_env(tmp: Path) -> dict[str, str]:
    """Environment for the Colab venv: its own kernel, the sample release, a fresh cache."""
    kernels = tmp / "jupyter" / "kernels" / "python3"
    kernels.mkdir(parents=True, exist_ok=True)
    argv = [PYTHON, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    spec = {"argv": argv, "display_name": "Python 3 (Colab-like)", "language": "python"}
    (kernels / "kernel.json").write_text(json.dumps(spec))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
    env.update(
        JUPYTER_PATH=str(tmp / "jupyter"),
        BRAINOBS_SOURCE="sample",
        BRAINOBS_CACHE_DIR=str(tmp / "cache"),
        MPLBACKEND="agg",
        PYDEVD_DISABLE_FILE_VALIDATION="1",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    return env


def _run(notebook: Path, out: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    command = [PYTHON, str(HERE / "run_notebook.py"), str(notebook), str(out)]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=1800)


@pytest.fixture(scope="module")
def colab(tmp_path_factory):
    """Install brainobs in the Colab venv the way the set-up cell does; freeze before and after."""
    tmp = tmp_path_factory.mktemp("colab")
    env = _kernel_env(tmp)
    uninstall = [PYTHON, "-m", "pip", "uninstall", "--yes", "--quiet", "brainobs"]
    subprocess.run(uninstall, env=env, capture_output=True, check=False)
    before = _freeze(env)
    source = _copy_source(tmp / "brainobs-src")
    installer = _install_notebook(source, tmp / "install.ipynb")
    result = _run(installer, tmp / "install-out.ipynb", env)
    after = _freeze(env)
    out = tmp / "install-out.ipynb"
    executed = nbformat.read(out, as_version=4) if out.is_file() else nbformat.v4.new_notebook()
    return {"env": env, "before": before, "after": after, "result": result, "nb": executed}


def test_venv_has_colabs_versions(colab):
    pins = _pins()
    wrong = {n: (v, colab["before"].get(n)) for n, v in pins.items() if colab["before"].get(n) != v}
    assert not wrong, f"the venv is not at Colab's versions (pinned, found): {wrong}"
    assert "brainobs" not in colab["before"]
    version = [PYTHON, "-c", "import sys; print(*sys.version_info[:2], sep='.')"]
    assert subprocess.run(version, capture_output=True, text=True).stdout.strip() == "3.12"


def test_setup_cell_installs_and_imports_without_restart(colab):
    result = colab["result"]
    assert result.returncode == 0, result.stderr[-3000:]
    outputs = ["".join(o.get("text", "")) for c in colab["nb"].cells for o in c.outputs]
    text = "\n".join(outputs)
    assert "Data in use: the SYNTHETIC sample release" in text
    assert re.search(r"^\d+ containers$", text, re.MULTILINE), text[-2000:]
    assert "brainobs" in colab["after"]


def test_install_changes_no_preinstalled_package(colab):
    before, after = colab["before"], colab["after"]
    changed = {n: (v, after.get(n)) for n, v in before.items() if after.get(n) != v}
    assert not changed, f"the install cell changed Colab's packages (before, after): {changed}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_tutorial_runs_in_colab_venv(colab, notebook, tmp_path):
    if colab["result"].returncode != 0:
        pytest.fail("brainobs did not install in the Colab venv (see the install test)")
    result = _run(notebook, tmp_path / notebook.name, colab["env"])
    assert result.returncode == 0, result.stderr[-4000:]
