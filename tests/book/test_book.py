"""The book: every tutorial is a chapter, and the built pages show figures when opened offline.

The rendering checks need the built book (``python book/build.py``, the README's main command)
and Chromium; they are skipped, with the reason, where either is missing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pytest
import yaml

from tests.settings import REPO

HTML = REPO / "build" / "book" / "_build" / "html"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _toc_files() -> list[str]:
    toc = yaml.safe_load((REPO / "book" / "_toc.yml").read_text())
    return [c["file"] for part in toc["parts"] for c in part["chapters"]]


def test_every_notebook_is_a_chapter():
    notebooks = {f"notebooks/{p.stem}" for p in (REPO / "notebooks").glob("*.ipynb")}
    assert notebooks == set(_toc_files())


def test_book_loads_nothing_from_a_cdn():
    config = yaml.safe_load((REPO / "book" / "_config.yml").read_text())["sphinx"]["config"]
    assert config["mathjax_path"].startswith("mathjax/")
    assert set(config["nb_ipywidgets_js"]) == {"ipywidgets/require.js", "ipywidgets/embed-amd.js"}


built = pytest.mark.skipif(
    not (HTML / "index.html").is_file(), reason="book not built (run: python book/build.py)"
)


@built
@pytest.mark.parametrize("chapter", _toc_files())
def test_chapter_pages_have_their_figures(chapter):
    page = HTML / f"{chapter}.html"
    text = page.read_text(encoding="utf-8")
    images = re.findall(r'<img[^>]+src="([^"]+\.png)"', text)
    assert images, f"{page.name} shows no figure"
    for src in images:
        assert (page.parent / src).resolve().is_file(), src
    assert "cdn.jsdelivr.net" not in text and "cdnjs.cloudflare.com" not in text


def _screenshot(page: Path, out: Path) -> np.ndarray:
    import matplotlib.image as mpimg

    profile = tempfile.mkdtemp(prefix="brainobs-chromium-")
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--window-size=1280,2400",
        "--virtual-time-budget=10000",
        f"--screenshot={out}",
        page.as_uri(),
    ]
    try:
        subprocess.run(command, capture_output=True, timeout=120, check=False)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert out.is_file(), f"Chromium wrote no screenshot of {page.name}"
    return mpimg.imread(out)[..., :3]


@built
@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")
@pytest.mark.parametrize("page", ["index.html", "notebooks/01_what_are_those_cells_doing.html"])
def test_pages_render_offline_with_content(page, tmp_path):
    pixels = _screenshot(HTML / page, tmp_path / "page.png")
    not_white = np.any(pixels < 0.95, axis=-1).mean()
    assert not_white > 0.01, f"{page} looks blank ({not_white:.1%} of pixels drawn)"
    if page.startswith("notebooks/"):
        # figures bring colour: the page's text and chrome are grey-scale
        saturation = pixels.max(axis=-1) - pixels.min(axis=-1)
        assert (saturation > 0.3).mean() > 0.002, "no coloured figure rendered"
