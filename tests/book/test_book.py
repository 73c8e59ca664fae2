"""The built book: figures, math and widgets render offline, and no page fetches from the internet.

These tests read the book that ``python book/build.py`` (the README's main command) built in
``build/book``; they build nothing. Without a built book, or for a chapter whose page is older than
its notebook (a stale build), they are skipped with the reason. The rendering checks run headless
Chromium on the pages as files, offline, and are skipped where Chromium is missing.
"""

from __future__ import annotations

import base64
import functools
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
import yaml

from tests.settings import REPO

HTML = REPO / "build" / "book" / "_build" / "html"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FIGURE_PAGE = "notebooks/04_traces.html"  # figures and math
WIDGET_PAGE = "notebooks/02_explore_with_widgets.html"  # widgets drawn by the vendored manager
OFF_SITE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)  # http://, https://, //host
TILE = 16  # pixels; a screenshot tile mostly covered by colour or dark ink is figure content


def _toc_files() -> list[str]:
    toc = yaml.safe_load((REPO / "book" / "_toc.yml").read_text())
    return [c["file"] for part in toc["parts"] for c in part["chapters"]]


def _page(name: str) -> Path:
    """The built page ``name``; skips when the book or this page is missing or stale."""
    page = HTML / name
    if not (HTML / "index.html").is_file():
        pytest.skip("book not built (run: python book/build.py)")
    if not page.is_file():
        toc = REPO / "book" / "_toc.yml"
        if toc.stat().st_mtime > (HTML / "index.html").stat().st_mtime:
            pytest.skip(f"{name} is not in the built book (rebuild: python book/build.py)")
        pytest.fail(f"{name} is missing from the book built after the last change of its toc")
    notebook = REPO / Path(name).with_suffix(".ipynb")
    if notebook.is_file() and notebook.stat().st_mtime > page.stat().st_mtime:
        pytest.skip(f"{name} is older than its notebook (rebuild: python book/build.py)")
    return page


needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")


def _chromium(page: Path, *options: str) -> subprocess.CompletedProcess:
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
        "--virtual-time-budget=10000",  # time for MathJax and the widget manager to render
        *options,
        page.as_uri(),
    ]
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


@functools.cache
def _rendered_dom(name: str) -> str:
    """The page's DOM after its scripts ran (MathJax, the widget manager)."""
    result = _chromium(_page(name), "--dump-dom")
    assert "<body" in result.stdout, f"Chromium dumped no DOM for {name}: {result.stderr[-500:]}"
    return result.stdout


def _screenshot(name: str, out: Path) -> np.ndarray:
    import matplotlib.image as mpimg

    _chromium(_page(name), f"--screenshot={out}")
    assert out.is_file(), f"Chromium wrote no screenshot of {name}"
    return mpimg.imread(out)[..., :3]


def _figure_tiles(pixels: np.ndarray) -> int:
    """Tiles mostly covered by colour or dark ink: figures, not text (thin) or page chrome."""
    saturation = pixels.max(axis=-1) - pixels.min(axis=-1)
    ink = (saturation > 0.3) | (pixels.mean(axis=-1) < 0.35)
    rows, cols = (n // TILE for n in ink.shape)
    tiles = ink[: rows * TILE, : cols * TILE].reshape(rows, TILE, cols, TILE).mean(axis=(1, 3))
    return int((tiles > 0.5).sum())


def _visible_text(dom: str) -> str:
    """The text a reader sees outside code blocks (no scripts, styles, code or tags)."""
    for element in ("script", "style", "pre", "mjx-assistive-mml"):
        dom = re.sub(rf"<{element}\b.*?</{element}>", " ", dom, flags=re.DOTALL | re.IGNORECASE)
    return re.sub(r"<[^>]+>", " ", dom)


class _Fetches(HTMLParser):
    """Collects what a page loads by itself: img/script/iframe/source src, link href."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"img": "src", "script": "src", "iframe": "src", "source": "src", "link": "href"}
        for key, value in attrs:
            if wanted.get(tag) == key and value:
                self.urls.append(value)


def test_figure_tiles_tell_figures_from_text():
    white = np.ones((160, 320, 3))
    text = white.copy()
    text[::8, :, :] = 0.0  # thin dark lines, like lines of text
    figure = white.copy()
    figure[16:144, 16:144] = [0.1, 0.3, 0.8]  # a coloured block
    assert _figure_tiles(white) == 0 and _figure_tiles(text) == 0
    assert _figure_tiles(figure) == 64


def test_book_config_loads_page_scripts_locally():
    config = yaml.safe_load((REPO / "book" / "_config.yml").read_text())["sphinx"]["config"]
    assert config["mathjax_path"].startswith("mathjax/")
    assert set(config["nb_ipywidgets_js"]) == {"ipywidgets/require.js", "ipywidgets/embed-amd.js"}


@pytest.mark.parametrize("chapter", [f for f in _toc_files() if f.startswith("notebooks/")])
def test_chapter_pages_have_their_figures(chapter):
    page = _page(f"{chapter}.html")
    text = page.read_text(encoding="utf-8").replace('\\"', '"')  # saved widget state escapes
    files = re.findall(r'<img[^>]+src="([^"]+\.png)"', text)
    inline = re.findall(r'<img[^>]+src="data:image/png;base64,([A-Za-z0-9+/=]+)"', text)
    assert files or inline, f"{page.name} shows no figure"
    for src in files:
        assert (page.parent / src).resolve().is_file(), src
    for data in inline:
        assert base64.b64decode(data)[:8] == b"\x89PNG\r\n\x1a\n"
    described = re.findall(r'<img alt="([^"]+)"[^>]+src="data:image/png', text)
    assert all(len(alt) > 20 for alt in described), "a figure's alt text is not a description"


def test_no_page_fetches_anything_from_the_internet():
    _page("index.html")
    offenders = []
    for page in sorted(HTML.rglob("*.html")):
        parser = _Fetches()
        parser.feed(page.read_text(encoding="utf-8"))
        offenders += [f"{page.relative_to(HTML)}: {u}" for u in parser.urls if OFF_SITE.match(u)]
    for sheet in sorted(HTML.rglob("*.css")):
        found = re.findall(r"url\(\s*['\"]?((?:https?:)?//[^)'\"]+)", sheet.read_text("utf-8"))
        offenders += [f"{sheet.relative_to(HTML)}: {u}" for u in found]
    assert not offenders, "pages load from off-site:\n" + "\n".join(offenders[:20])


def test_colab_badge_is_the_books_own_image():
    text = _page(FIGURE_PAGE).read_text(encoding="utf-8")
    badge = re.search(r'<img alt="Open In Colab" src="([^"]+)"', text)
    assert badge, "the chapter shows no Colab badge"
    assert (HTML / "notebooks" / badge.group(1)).resolve().is_file()


@needs_chromium
def test_front_page_renders_offline(tmp_path):
    pixels = _screenshot("index.html", tmp_path / "page.png")
    drawn = np.any(pixels < 0.95, axis=-1).mean()
    assert drawn > 0.01, f"index.html looks blank ({drawn:.1%} of pixels drawn)"


@needs_chromium
@pytest.mark.parametrize("name", [FIGURE_PAGE, WIDGET_PAGE])
def test_chapter_renders_its_figures_offline(name, tmp_path):
    tiles = _figure_tiles(_screenshot(name, tmp_path / "page.png"))
    # the front page, with text only, has about 1 such tile; one figure has hundreds
    assert tiles >= 40, f"{name}: no rendered figure in the screenshot ({tiles} figure tiles)"


@needs_chromium
def test_math_is_typeset_offline():
    static = _page(FIGURE_PAGE).read_text(encoding="utf-8")
    formulas = len(re.findall(r'class="math[ "]', static))
    assert formulas > 0, "the math chapter has no formula"
    dom = _rendered_dom(FIGURE_PAGE)
    typeset = dom.count("<mjx-container")
    assert typeset >= formulas, f"MathJax typeset {typeset} of {formulas} formulas"
    raw = re.findall(r"\\\(|\\\[|\$[^$\s][^$]*\$", _visible_text(dom))
    assert not raw, f"untypeset TeX on the page: {raw[:5]}"


@needs_chromium
def test_widgets_are_drawn_by_the_vendored_manager():
    static = _page(WIDGET_PAGE).read_text(encoding="utf-8")
    views = static.count('type="application/vnd.jupyter.widget-view+json"')
    assert views > 0, "the widgets chapter saved no widget view"
    dom = _rendered_dom(WIDGET_PAGE)
    drawn = len(re.findall(r'class="widget-subarea"', dom))
    assert drawn == views, f"{drawn} widget views drawn for {views} saved (each once)"
    assert re.search(r'class="[^"]*\bjupyter-widgets\b[^"]*\bwidget-dropdown\b', dom), "no menu"


def test_pages_load_only_the_configured_page_scripts():
    expected = {WIDGET_PAGE: ["embed-amd.js", "require.js"], FIGURE_PAGE: ["tex-mml-chtml.js"]}
    for name, scripts in expected.items():
        text = _page(name).read_text(encoding="utf-8")
        sources = re.findall(r'<script[^>]+src="([^"?]+)', text)
        vendored = sorted(Path(s).name for s in sources if "/ipywidgets/" in s or "/mathjax/" in s)
        assert vendored == scripts, f"{name} loads {vendored}"


def test_the_book_has_no_static_folder_that_would_load_every_script():
    # Jupyter Book 1 adds every .js under the static paths to every page when `_static/` exists
    assert not (REPO / "book" / "_static").exists()


@pytest.mark.parametrize("exercise", [f for f in _toc_files() if f.startswith("exercises/")])
def test_exercise_pages_hide_the_solution_and_report_not_attempted(exercise):
    text = _page(f"{exercise}.html").read_text(encoding="utf-8")
    assert "not attempted yet" in text, "the executed student page shows no check report"
    assert re.search(r'class="[^"]*dropdown[^"]*"', text), "the solution is not in a dropdown"
    assert "Solution" in text
