"""An Agg canvas that rasterises each distinct text once and reuses the bitmap on redraws.

Text is most of the cost of redrawing an explorer's figure: recent matplotlib versions
render every glyph of every label, tick label and title one by one on every draw. Between
two redraws of an explorer most texts are the same strings in the same font (titles, axis
labels, most tick labels), so :class:`TextCachingCanvas` keeps the coverage bitmap of each
(string, font, size) it has drawn and composites it in one call, in the text's colour and
at its angle, the way matplotlib draws TeX text. Mathematical text and TeX are drawn as
usual. Positions are rounded to whole pixels, which is not visible. The renderer also keeps
the vertical metrics of each font and size, which matplotlib (3.11 and later) asks the
renderer for, when it offers them, before laying out every text.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from typing import Any

import numpy as np
from matplotlib import rcParams
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.font_manager import findfont, get_font

__all__ = ["TextCachingCanvas", "TextCachingRenderer"]

#: Distinct texts kept per renderer (a bitmap is a few kB).
MAX_TEXTS = 2048


class TextCachingRenderer(RendererAgg):
    """A ``RendererAgg`` whose ``draw_text`` reuses the bitmap of texts drawn before.

    Examples
    --------
    >>> renderer = TextCachingRenderer(200, 100, 72)
    >>> gc = renderer.new_gc()
    >>> from matplotlib.font_manager import FontProperties
    >>> renderer.draw_text(gc, 10, 50, "dF/F", FontProperties(size=10), 0)
    >>> renderer.draw_text(gc, 10, 80, "dF/F", FontProperties(size=10), 0)
    >>> len(renderer.text_bitmaps)
    1
    """

    def __init__(self, width: float, height: float, dpi: float) -> None:
        super().__init__(width, height, dpi)
        self.text_bitmaps: OrderedDict[tuple[Any, ...], tuple[np.ndarray, int, int]] = (
            OrderedDict()
        )
        self._heights: dict[tuple[str, float], tuple[Any, Any, Any]] = {}

    def _get_font_height_metrics(self, prop: Any) -> tuple[Any, Any, Any]:
        """Ascent, descent and line gap of a font at a size, in pixels (None when unknown)."""
        key = (findfont(prop), prop.get_size_in_points())
        if key not in self._heights:
            self._heights[key] = _font_heights(key[0], key[1], self.dpi)
        return self._heights[key]

    def draw_text(self, gc: Any, x: float, y: float, s: str, prop: Any, angle: float,
                  ismath: Any = False, mtext: Any = None) -> None:
        """Draw ``s`` from its cached bitmap (rendered on first use); math text as usual.

        Parameters
        ----------
        gc : GraphicsContextBase
            Colour, alpha and antialiasing of the text.
        x, y : float
            Anchor of the text in pixels (from the top left).
        s : str
            The text.
        prop : FontProperties
            Font and size.
        angle : float
            Rotation in degrees.
        ismath : bool or str, optional
            True for mathematical text, ``"TeX"`` for TeX: drawn without the cache.
        mtext : Text, optional
            The artist drawn (passed on to matplotlib).

        Examples
        --------
        >>> from matplotlib.font_manager import FontProperties
        >>> renderer = TextCachingRenderer(200, 100, 72)
        >>> gc = renderer.new_gc()
        >>> renderer.draw_text(gc, 10, 50, r"$x^2$", FontProperties(size=10), 0, ismath=True)
        >>> renderer.draw_text(gc, 10, 80, "cells", FontProperties(size=10), 90)
        >>> len(renderer.text_bitmaps)
        1
        """
        if ismath or not s.strip():
            super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
            return
        key = (s, findfont(prop), prop.get_size_in_points(), bool(gc.get_antialiased()),
               rcParams["text.hinting"], rcParams["text.hinting_factor"])
        entry = self.text_bitmaps.get(key)
        if entry is None:
            entry = self._rasterize(s, prop, bool(gc.get_antialiased()))
            self.text_bitmaps[key] = entry
            if len(self.text_bitmaps) > MAX_TEXTS:
                self.text_bitmaps.popitem(last=False)
        else:
            self.text_bitmaps.move_to_end(key)
        coverage, dx, dy = entry
        if coverage.size == 0:
            return
        cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        # (dx, dy) goes from the text's anchor to the bitmap's bottom-left corner (y down)
        self._renderer.draw_text_image(coverage, round(x + dx * cos + dy * sin),
                                       round(y + dy * cos - dx * sin), angle, gc)

    def _rasterize(self, s: str, prop: Any, antialiased: bool) -> tuple[np.ndarray, int, int]:
        """Coverage bitmap of ``s`` (uint8) and its bottom-left corner from the anchor."""
        width, height, descent = super().get_text_width_height_descent(s, prop, False)
        pad = int(math.ceil(height)) + 2
        ascent = int(math.ceil(height - descent))
        w = int(math.ceil(width)) + 2 * pad
        h = ascent + int(math.ceil(descent)) + 2 * pad
        scratch = RendererAgg(w, h, self.dpi)
        gc = scratch.new_gc()
        gc.set_antialiased(antialiased)
        gc.set_foreground((0.0, 0.0, 0.0, 1.0))
        anchor_x, anchor_y = pad, pad + ascent
        scratch.draw_text(gc, anchor_x, anchor_y, s, prop, 0.0)
        gc.restore()
        alpha = np.asarray(scratch.buffer_rgba())[..., 3]
        rows, cols = np.flatnonzero(alpha.any(axis=1)), np.flatnonzero(alpha.any(axis=0))
        if rows.size == 0:
            return np.zeros((0, 0), np.uint8), 0, 0
        top, bottom, left, right = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
        coverage = np.ascontiguousarray(alpha[top:bottom, left:right])
        return coverage, int(left - anchor_x), int(bottom - anchor_y)


def _font_heights(path: str, size: float, dpi: float) -> tuple[Any, Any, Any]:
    """Typographic ascent, descent and line gap of the font file at ``size`` points."""
    font = get_font(path)
    head = font.get_sfnt_table("head")
    for table, gap, ascent, descent in (("OS/2", "sTypoLineGap", "sTypoAscender",
                                         "sTypoDescender"),
                                        ("hhea", "lineGap", "ascent", "descent")):
        values = font.get_sfnt_table(table)
        if values is not None and head is not None:
            scale = size * dpi / 72 / head["unitsPerEm"]
            return values[ascent] * scale, -values[descent] * scale, values[gap] * scale
    return None, None, None


class TextCachingCanvas(FigureCanvasAgg):
    """A ``FigureCanvasAgg`` drawing with a :class:`TextCachingRenderer` kept between draws.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> figure = Figure(figsize=(2, 1))
    >>> canvas = TextCachingCanvas(figure)
    >>> _ = figure.text(0.1, 0.5, "cells"); canvas.draw()
    >>> type(canvas.get_renderer()).__name__
    'TextCachingRenderer'
    """

    def get_renderer(self) -> TextCachingRenderer:
        """The renderer for the figure's current size (made again when the size changes).

        Returns
        -------
        TextCachingRenderer
            The same renderer, with its cached texts, while the size and dpi stay the same.

        Examples
        --------
        >>> from matplotlib.figure import Figure
        >>> figure = Figure(figsize=(2, 1), dpi=100)
        >>> canvas = TextCachingCanvas(figure)
        >>> first = canvas.get_renderer()
        >>> first is canvas.get_renderer(), (first.width, first.height)
        (True, (200, 100))
        >>> figure.set_size_inches(3, 1)
        >>> canvas.get_renderer() is first
        False
        """
        width, height = self.get_width_height(physical=True)
        key = (width, height, self.figure.dpi)
        if getattr(self, "_brainobs_key", None) != key or not isinstance(
                getattr(self, "renderer", None), TextCachingRenderer):
            self.renderer = TextCachingRenderer(width, height, self.figure.dpi)
            self._brainobs_key = key
        return self.renderer
