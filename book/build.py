"""Build the book: stage the chapters, vendor the page JavaScript, run Jupyter Book 1.

Usage: python book/build.py [--out build/book]

1. Stages ``book/`` (config, front page, ``images/``) and ``notebooks/*.ipynb`` into
   ``build/book-src``; in the staged notebooks the "Open in Colab" badge shows the book's own
   image (``book/images/colab-badge.svg``) instead of fetching Colab's. (The book has no
   ``_static/`` folder on purpose: Jupyter Book 1 would then load every vendored script on
   every page, rendering each widget several times.)
2. Vendors the JavaScript the pages need (the ipywidgets HTML manager, require.js, MathJax) from
   the npm registry into the staging folder's ``_vendor/``, so the built pages load nothing from
   a CDN and render widgets and math offline. The packages are cached in ``build/npm-cache``.
3. Makes the sample release (when it is the data source) so that the chapters find it ready.
4. Runs ``jupyter-book build`` with every notebook executed fresh and warnings as errors. The
   HTML lands in ``<out>/_build/html`` (``index.html`` is the front page).

The chapters use ``$BRAINOBS_SOURCE`` (default here: the synthetic sample release).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BOOK = REPO / "book"
NPM_PACKAGES = {
    # package spec: (member prefix inside the tarball, destination under _vendor/)
    "@jupyter-widgets/html-manager@1.0.6": ("package/dist/", "ipywidgets"),
    "requirejs@2.3.6": ("package/require.js", "ipywidgets"),
    "mathjax@3.2.2": ("package/es5/", "mathjax"),
}
BOOK_FILES = ("_config.yml", "_toc.yml", "index.md")
COLAB_BADGE_IMAGE = "https://colab.research.google.com/assets/colab-badge.svg"
LOCAL_BADGE_IMAGE = "../images/colab-badge.svg"  # relative to the staged notebooks/


def localize_badge(notebook: Path) -> None:
    """Point the notebook's Colab badge at the book's own image, so the page fetches nothing."""
    text = notebook.read_text(encoding="utf-8")
    notebook.write_text(text.replace(COLAB_BADGE_IMAGE, LOCAL_BADGE_IMAGE), encoding="utf-8")


def stage(staging: Path) -> None:
    """Copy the book's own files and the tutorial notebooks into ``staging``."""
    if staging.exists():
        shutil.rmtree(staging)
    (staging / "notebooks").mkdir(parents=True)
    for name in BOOK_FILES:
        shutil.copy2(BOOK / name, staging / name)
    shutil.copytree(BOOK / "images", staging / "images")
    for notebook in sorted((REPO / "notebooks").glob("*.ipynb")):
        shutil.copy2(notebook, staging / "notebooks" / notebook.name)
        localize_badge(staging / "notebooks" / notebook.name)
    from brainobs.exercises.book import write_book_pages

    for page in write_book_pages(staging / "exercises", REPO / "exercises" / "source"):
        localize_badge(page)


def _tarball(spec: str, cache: Path) -> Path:
    name = spec.lstrip("@").replace("/", "-").replace("@", "-") + ".tgz"
    path = cache / name
    if not path.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        npm = shutil.which("npm")
        if npm is None:
            sys.exit("npm is needed to vendor the book's JavaScript (install Node.js and npm).")
        subprocess.run([npm, "pack", "--silent", spec], cwd=cache, check=True)
    return path


def vendor(staging: Path, cache: Path) -> None:
    """Extract the vendored JavaScript into ``staging/_vendor`` (no source maps)."""
    target = staging / "_vendor"
    for spec, (prefix, folder) in NPM_PACKAGES.items():
        dest = target / folder
        dest.mkdir(parents=True, exist_ok=True)
        with tarfile.open(_tarball(spec, cache)) as archive:
            for member in archive.getmembers():
                if not member.isfile() or not member.name.startswith(prefix):
                    continue
                if member.name.endswith(".map"):
                    continue
                relative = Path(member.name[len(prefix) :] or Path(member.name).name)
                if relative.is_absolute() or ".." in relative.parts:
                    continue
                out = dest / relative
                out.parent.mkdir(parents=True, exist_ok=True)
                with archive.extractfile(member) as source, open(out, "wb") as sink:
                    shutil.copyfileobj(source, sink)


def prepare_data() -> None:
    """Make the sample release before the chapters run, if the sample is the source in use."""
    os.environ.setdefault("BRAINOBS_SOURCE", "sample")
    if os.environ["BRAINOBS_SOURCE"] == "sample":
        import logging

        from brainobs import VisualCoding2P

        logging.basicConfig(level=logging.INFO, format="%(message)s")
        sys.stdout.write(f"Data: {VisualCoding2P()!r}\n")


def build(staging: Path, out: Path) -> None:
    """Run Jupyter Book 1 on ``staging`` with warnings as errors."""
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    env = dict(os.environ)
    command = [str(jupyter_book), "build", str(staging), "--path-output", str(out), "-W", "-n"]
    command.append("--keep-going")
    subprocess.run(command, check=True, env=env)


def main() -> None:
    parser = argparse.ArgumentParser(description="Build the brainobs book (Jupyter Book 1).")
    parser.add_argument("--out", default=str(REPO / "build" / "book"), help="output folder")
    args = parser.parse_args()
    staging = REPO / "build" / "book-src"
    stage(staging)
    vendor(staging, REPO / "build" / "npm-cache")
    prepare_data()
    out = Path(args.out).resolve()
    build(staging, out)
    sys.stdout.write(f"Book built: {out / '_build' / 'html' / 'index.html'}\n")


if __name__ == "__main__":
    main()
