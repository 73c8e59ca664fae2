"""What the microscope saw: cell footprints, ROI masks, the maximum projection and motion.

Cells are ellipses with slightly irregular edges, 8-15 pixels across, on the 512 x 512 field of
view (400 um). A container keeps its cells in place across sessions; each session is shifted by
a pixel or so. The maximum projection shows neuropil texture, shadows of blood vessels, the
segmented somata (bright, some with a darker nucleus) and unsegmented somata.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "FOV",
    "Footprints",
    "place_cells",
    "draw_masks",
    "overlap_weights",
    "max_projection",
    "simulate_motion",
]

FOV = 512


@dataclass
class Footprints:
    """Geometry of a container's cells (one entry per cell).

    Examples
    --------
    >>> place_cells(3, np.random.default_rng(0)).axes.shape
    (3, 2)
    """

    centres: np.ndarray  # (n, 2) row, col in pixels
    axes: np.ndarray  # (n, 2) semi-axes in pixels
    angles: np.ndarray  # (n,) radians
    wobble: np.ndarray  # (n, 3) edge irregularity (harmonics 2, 3 and a phase)


def place_cells(n: int, rng: np.random.Generator, min_distance: float = 9.0) -> Footprints:
    """Scatter ``n`` cells over the field of view; neighbours may touch or overlap a little.

    Examples
    --------
    >>> fp = place_cells(10, np.random.default_rng(0))
    >>> fp.centres.shape
    (10, 2)
    """
    centres: list[np.ndarray] = []
    while len(centres) < n:
        candidate = rng.uniform(24, FOV - 24, 2)
        if all(np.hypot(*(candidate - c)) >= min_distance for c in centres):
            centres.append(candidate)
    axes = rng.uniform(4.0, 7.5, (n, 2))
    wobble = np.column_stack(
        [rng.uniform(0, 0.12, n), rng.uniform(0, 0.08, n), rng.uniform(0, 2 * np.pi, n)]
    )
    return Footprints(np.array(centres), axes, rng.uniform(0, np.pi, n), wobble)


def _cell_window(fp: Footprints, i: int, offset: tuple[float, float]) -> tuple:
    """Local pixel grid around cell ``i`` and the mask of the cell on it."""
    cy, cx = fp.centres[i] + np.asarray(offset)
    r0, r1 = int(max(cy - 10, 0)), int(min(cy + 11, FOV))
    c0, c1 = int(max(cx - 10, 0)), int(min(cx + 11, FOV))
    yy, xx = np.mgrid[r0:r1, c0:c1]
    dy, dx = yy - cy, xx - cx
    a = fp.angles[i]
    u = dx * np.cos(a) + dy * np.sin(a)
    v = -dx * np.sin(a) + dy * np.cos(a)
    theta = np.arctan2(v, u)
    w2, w3, ph = fp.wobble[i]
    edge = 1 + w2 * np.cos(2 * theta + ph) + w3 * np.cos(3 * theta - ph)
    rho = np.sqrt((u / fp.axes[i, 0]) ** 2 + (v / fp.axes[i, 1]) ** 2)
    return (slice(r0, r1), slice(c0, c1)), rho / edge


def draw_masks(fp: Footprints, rows: np.ndarray, offset: tuple[float, float]) -> np.ndarray:
    """Boolean ROI masks (len(rows), 512, 512) of the cells ``rows``, shifted by ``offset``.

    Examples
    --------
    >>> fp = place_cells(3, np.random.default_rng(0))
    >>> m = draw_masks(fp, np.arange(3), (0.0, 0.0))
    >>> m.shape, bool(50 < m[0].sum() < 250)
    ((3, 512, 512), True)
    """
    masks = np.zeros((len(rows), FOV, FOV), dtype=bool)
    for k, i in enumerate(rows):
        window, rho = _cell_window(fp, int(i), offset)
        masks[k][window] = rho <= 1.0
    return masks


def overlap_weights(masks: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """W[i, j] = fraction of ROI i's pixels that also belong to ROI j (0 on the diagonal).

    Examples
    --------
    >>> m = np.zeros((2, 512, 512), bool); m[0, :10, :10] = True; m[1, 5:15, :10] = True
    >>> float(overlap_weights(m, np.array([[5.0, 5.0], [10.0, 5.0]]))[0, 1])
    0.5
    """
    n = len(masks)
    weights = np.zeros((n, n))
    area = masks.reshape(n, -1).sum(axis=1).clip(1)
    for i in range(n):
        near = np.flatnonzero(np.hypot(*(centres - centres[i]).T) < 20)
        for j in near[near != i]:
            weights[i, j] = np.logical_and(masks[i], masks[j]).sum() / area[i]
    return weights


def _vessels(rng: np.random.Generator) -> np.ndarray:
    """Multiplicative shadow map (1 = no vessel) with a few winding vessels."""
    from scipy.ndimage import gaussian_filter

    shadow = np.zeros((FOV, FOV))
    for _ in range(int(rng.integers(3, 7))):
        pos = rng.uniform(0, FOV, 2)
        heading = rng.uniform(0, 2 * np.pi)
        width = rng.uniform(2.0, 6.0)
        for _ in range(700):
            heading += rng.normal(0, 0.08)
            pos = pos + 1.5 * np.array([np.sin(heading), np.cos(heading)])
            r, c = int(pos[0]), int(pos[1])
            if not (0 <= r < FOV and 0 <= c < FOV):
                break
            shadow[r, c] = max(shadow[r, c], width)
    shadow = gaussian_filter(shadow, 2.5)
    return 1 - 0.55 * np.clip(shadow / (shadow.max() + 1e-12) * 2.5, 0, 1)


def max_projection(
    fp: Footprints,
    rows: np.ndarray,
    brightness: np.ndarray,
    offset: tuple[float, float],
    field_rng: np.random.Generator,
    session_rng: np.random.Generator,
) -> np.ndarray:
    """A uint8 (512, 512) maximum-intensity projection of one session.

    Parameters
    ----------
    fp : Footprints
        All cells of the container.
    rows : numpy.ndarray
        The cells segmented in this session (drawn bright).
    brightness : numpy.ndarray
        Peak brightness of each of ``rows`` relative to the neuropil (about 1-4).
    offset : tuple
        This session's shift in pixels.
    field_rng, session_rng : numpy.random.Generator
        The container's stream (texture, vessels, unsegmented cells: the same every session)
        and the session's own (noise).

    Examples
    --------
    >>> rng = np.random.default_rng
    >>> fp = place_cells(4, rng(0))
    >>> img = max_projection(fp, np.arange(4), np.full(4, 2.0), (0, 0), rng(1), rng(2))
    >>> img.dtype.name, img.shape
    ('uint8', (512, 512))
    """
    from scipy.ndimage import gaussian_filter

    texture = gaussian_filter(field_rng.standard_normal((FOV, FOV)), 1.5)
    texture = 1.0 + 0.25 * texture / texture.std() + 0.15 * gaussian_filter(
        field_rng.standard_normal((FOV, FOV)), 12
    ) / 0.02
    image = np.clip(texture, 0.3, None) * _vessels(field_rng)
    extra = place_cells(int(len(fp.centres) * 0.6), field_rng, min_distance=6.0)
    faint = field_rng.uniform(0.3, 0.8, len(extra.centres))
    for source, who, level in ((extra, np.arange(len(faint)), faint), (fp, rows, brightness)):
        for i, gain in zip(who, level, strict=True):
            window, rho = _cell_window(source, int(i), offset)
            body = np.clip(1.2 - rho, 0, 1) ** 0.7
            nucleus = 0.5 * np.exp(-(rho / 0.45) ** 2) if gain > 1.5 else 0.0
            image[window] += gain * (body - nucleus * body)
    image += 0.08 * session_rng.standard_normal(image.shape)
    low, high = np.percentile(image, [0.5, 99.9])
    return np.clip((image - low) / (high - low) * 255, 0, 255).astype(np.uint8)


def simulate_motion(n_frames: int, rng: np.random.Generator) -> np.ndarray:
    """Rigid motion-correction shifts (n_frames, 2) in whole pixels: slow drift plus jitter.

    Examples
    --------
    >>> simulate_motion(100, np.random.default_rng(0)).shape
    (100, 2)
    """
    from scipy.ndimage import gaussian_filter1d

    drift = gaussian_filter1d(np.cumsum(rng.normal(0, 0.05, (n_frames, 2)), axis=0), 150, axis=0)
    drift -= drift.mean(axis=0)
    jitter = gaussian_filter1d(rng.normal(0, 1.2, (n_frames, 2)), 2, axis=0)
    return np.round(np.clip(drift + jitter, -12, 12)).astype(np.float64)
