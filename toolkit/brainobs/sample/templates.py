"""Synthetic stimulus templates: scenes, movies and sparse-noise frames.

The scenes and movies are made-up images (1/f textures with shapes and drifting fields); they do
not reproduce the real photographs or film. They are stored smaller than the real ones, with the
same aspect ratio (scenes 918 x 1174 -> 153 x 196, movies 304 x 608 -> 51 x 102); sparse-noise
frames are full size (16 x 28 and 8 x 14 patches): grey 127 with white (255) and black (0)
spots, no two spots closer than 5 patches in either direction (Chebyshev distance).
"""

from __future__ import annotations

import numpy as np

from .. import stimuli as st
from .design import ReleaseSize, rng_for

__all__ = [
    "SCENE_SHAPE",
    "MOVIE_SHAPE",
    "LSN_EXCLUSION",
    "make_scenes",
    "make_movie",
    "make_sparse_noise",
    "make_templates",
    "template_reduction",
]

SCENE_SHAPE = (153, 196)  # 1/6 of 918 x 1174
MOVIE_SHAPE = (51, 102)  # 1/6 of 304 x 608 (rounded, 1:2 kept)
LSN_EXCLUSION = 5  # patches
TEMPLATE_SEED = 2016  # the stimulus set is the same in every release


def _pink_noise(shape: tuple[int, int], exponent: float, rng: np.random.Generator) -> np.ndarray:
    """A zero-mean, unit-variance texture whose spectrum falls as 1/f**exponent."""
    fy = np.fft.fftfreq(shape[0])[:, None]
    fx = np.fft.rfftfreq(shape[1])[None, :]
    radius = np.hypot(fy, fx)
    radius[0, 0] = 1.0
    spectrum = (rng.standard_normal(radius.shape) + 1j * rng.standard_normal(radius.shape))
    spectrum /= radius**exponent
    spectrum[0, 0] = 0.0
    field = np.fft.irfft2(spectrum, s=shape)
    return (field - field.mean()) / (field.std() + 1e-12)


def _draw_shapes(image: np.ndarray, rng: np.random.Generator, n: int) -> None:
    """Paint ``n`` ellipses and bars of random grey levels onto ``image`` (in place)."""
    rows, cols = image.shape
    yy, xx = np.mgrid[:rows, :cols]
    for _ in range(n):
        cy, cx = rng.uniform(0, rows), rng.uniform(0, cols)
        ay, ax = rng.uniform(0.05, 0.3) * rows, rng.uniform(0.05, 0.3) * cols
        angle = rng.uniform(0, np.pi)
        dy, dx = yy - cy, xx - cx
        u = dx * np.cos(angle) + dy * np.sin(angle)
        v = -dx * np.sin(angle) + dy * np.cos(angle)
        if rng.random() < 0.6:
            inside = (u / ax) ** 2 + (v / ay) ** 2 < 1
        else:
            inside = (np.abs(u) < ax) & (np.abs(v) < ay / 4)
        image[inside] = rng.normal(0.0, 1.2) + 0.3 * image[inside]


def _to_grey(field: np.ndarray, contrast: float) -> np.ndarray:
    """Map a unit-variance field to 0-255 around mid-grey."""
    return np.clip(127.0 + contrast * 45.0 * field, 0, 255)


def make_scenes(n: int = st.N_NATURAL_SCENES, seed: int = TEMPLATE_SEED) -> np.ndarray:
    """Synthetic "natural scenes": (n, 153, 196) float32 holding whole numbers 0-255.

    Examples
    --------
    >>> make_scenes(2).shape
    (2, 153, 196)
    """
    rng = rng_for(seed, "scenes")
    out = np.empty((n, *SCENE_SHAPE), dtype=np.float32)
    for i in range(n):
        field = _pink_noise(SCENE_SHAPE, rng.uniform(1.4, 2.0), rng)
        _draw_shapes(field, rng, int(rng.integers(1, 8)))
        out[i] = np.round(_to_grey(field, rng.uniform(0.6, 1.3)))
    return out


def make_movie(n_frames: int, name: str, seed: int = TEMPLATE_SEED) -> np.ndarray:
    """A synthetic movie: (n_frames, 51, 102) uint8, panning 1/f scenes with cuts and a moving disc.

    Examples
    --------
    >>> make_movie(30, "natural_movie_one").shape
    (30, 51, 102)
    """
    rng = rng_for(seed, "movie", name)
    rows, cols = MOVIE_SHAPE
    out = np.empty((n_frames, rows, cols), dtype=np.uint8)
    yy, xx = np.mgrid[:rows, :cols]
    start = 0
    while start < n_frames:
        shot = min(n_frames - start, int(rng.integers(90, 300)))
        speed = rng.normal(0.0, 1.2, 2)
        width = cols + int(np.ceil(abs(speed[1]) * shot)) + 2
        height = rows + int(np.ceil(abs(speed[0]) * shot)) + 2
        scene = _pink_noise((height, width), rng.uniform(1.5, 2.1), rng)
        disc = (rng.uniform(0, rows), rng.uniform(0, cols), rng.normal(0, 1.5, 2), rng.normal(0, 2))
        for k in range(shot):
            oy = int(round(k * speed[0])) % (height - rows)
            ox = int(round(k * speed[1])) % (width - cols)
            frame = scene[oy : oy + rows, ox : ox + cols].copy()
            cy, cx = disc[0] + k * disc[2][0], disc[1] + k * disc[2][1]
            frame[(yy - cy % rows) ** 2 + (xx - cx % cols) ** 2 < 36] = disc[3]
            out[start + k] = _to_grey(frame, 1.0).astype(np.uint8)
        start += shot
    return out


def make_sparse_noise(name: str, n_frames: int, seed: int = TEMPLATE_SEED) -> np.ndarray:
    """Locally sparse noise frames: (n_frames, rows, cols) uint8 of 127 / 255 / 0.

    Each frame gets about 11 spots on the 16 x 28 grid (fewer on the 8 x 14 grid, where the
    exclusion zone leaves less room); a spot is white or black with equal chance.

    Examples
    --------
    >>> frames = make_sparse_noise("locally_sparse_noise", 4)
    >>> frames.shape, sorted(set(frames.ravel().tolist()))
    ((4, 16, 28), [0, 127, 255])
    """
    rng = rng_for(seed, "sparse_noise", name)
    rows, cols = st.SPARSE_NOISE_DIMENSIONS[name]
    out = np.full((n_frames, rows, cols), st.LSN_GREY, dtype=np.uint8)
    reach = LSN_EXCLUSION - 1
    for i in range(n_frames):
        target = max(1, int(round(rng.normal(11.4, 1.3))))
        free = np.ones((rows, cols), dtype=bool)
        for _ in range(target):
            options = np.flatnonzero(free)
            if options.size == 0:
                break
            r, c = divmod(int(options[rng.integers(options.size)]), cols)
            out[i, r, c] = st.LSN_ON if rng.random() < 0.5 else st.LSN_OFF
            free[max(r - reach, 0) : r + reach + 1, max(c - reach, 0) : c + reach + 1] = False
    return out


def make_templates(size: ReleaseSize, lsn_lengths: dict[str, int]) -> dict[str, np.ndarray]:
    """Every template a release needs, keyed by stimulus name.

    Parameters
    ----------
    size : ReleaseSize
        Gives the movie lengths.
    lsn_lengths : dict
        Frames of each sparse-noise template (shown frames plus a few never shown, as in the
        real release).

    Returns
    -------
    dict of numpy.ndarray

    Examples
    --------
    >>> from brainobs.sample.design import SIZES
    >>> t = make_templates(SIZES["small"], {"locally_sparse_noise": 5})
    >>> sorted(t)[:2]
    ['locally_sparse_noise', 'natural_movie_one']
    """
    out: dict[str, np.ndarray] = {st.NATURAL_SCENES: make_scenes()}
    for name in st.NATURAL_MOVIES:
        out[name] = make_movie(size.movie_frames[name], name)
    for name, n in lsn_lengths.items():
        out[name] = make_sparse_noise(name, n)
    return out


def template_reduction(templates: dict[str, np.ndarray]) -> dict[str, tuple[int, int]]:
    """(rows, cols) of the real template for each stimulus stored smaller than the real one.

    Examples
    --------
    >>> template_reduction({"natural_scenes": make_scenes(1)})
    {'natural_scenes': (918, 1174)}
    """
    real = {st.NATURAL_SCENES: st.NATURAL_SCENES_PIXELS}
    real.update({name: st.NATURAL_MOVIE_PIXELS for name in st.NATURAL_MOVIES})
    return {
        name: real[name]
        for name, stack in templates.items()
        if name in real and tuple(stack.shape[1:]) != real[name]
    }
