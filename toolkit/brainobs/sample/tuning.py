"""The planted ground truth of each cell: response class, tuning, receptive field, calcium.

One :class:`Tuning` holds every cell of a container (arrays over cells), so a cell keeps its
tuning in all three sessions. Classes: ``strong`` (large evoked rates, sharp tuning), ``weak``
(small evoked rates) and ``unresponsive`` (no stimulus drive; running can still modulate it).
Receptive-field centres are in patches of the 16 x 28 sparse-noise grid (row, col; 4.65 deg per
patch, (0, 0) = centre of the top-left patch).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from .. import stimuli as st

__all__ = ["CLASSES", "MOVIE_CLASSES", "Tuning", "plant_tuning", "direction_curve"]

CLASSES = ("strong", "weak", "unresponsive")
MOVIE_CLASSES = ("reliable", "unreliable", "none")
_CLASS_P = (0.45, 0.3, 0.25)
_MOVIE_P = {  # per response class
    "strong": (0.8, 0.2, 0.0),
    "weak": (0.4, 0.4, 0.2),
    "unresponsive": (0.0, 0.0, 1.0),
}


@dataclass
class Tuning:
    """Planted parameters of every cell of one container (one entry per cell).

    Examples
    --------
    >>> t = plant_tuning(np.arange(4), np.random.default_rng(0))
    >>> t.subset(np.array([3, 1])).cell_specimen_ids.tolist()
    [3, 1]
    """

    cell_specimen_ids: np.ndarray
    cls: np.ndarray  # response class
    base_rate: np.ndarray  # Hz, spontaneous firing
    amp: np.ndarray  # Hz, evoked rate at the preferred stimulus (0 if unresponsive)
    trial_cv: np.ndarray  # trial-to-trial gain variability (lognormal sigma)
    dg_dir: np.ndarray  # deg, preferred direction
    dg_tf: np.ndarray  # Hz, preferred temporal frequency
    dg_null: np.ndarray  # response at the null direction / preferred (0 = fully selective)
    dg_kappa: np.ndarray  # direction tuning sharpness (von Mises)
    dg_tf_width: np.ndarray  # octaves (Gaussian sigma on log2 TF)
    sg_ori: np.ndarray  # deg
    sg_sf: np.ndarray  # cycles/deg
    sg_phase: np.ndarray  # cycle fraction
    sg_kappa: np.ndarray
    sg_sf_width: np.ndarray  # octaves
    sg_phase_mod: np.ndarray  # 0 = complex cell, 1 = fully phase-selective
    ns_pref: np.ndarray  # preferred image (template index)
    ns_weights: np.ndarray  # (n_cells, 118) response to each image / preferred
    movie_class: np.ndarray  # reliable / unreliable / none
    rf_on_row: np.ndarray  # NaN when the cell has no ON subunit
    rf_on_col: np.ndarray
    rf_on_sigma: np.ndarray  # patches
    rf_off_row: np.ndarray
    rf_off_col: np.ndarray
    rf_off_sigma: np.ndarray
    run_mod: np.ndarray  # rate gain while running: rate * (1 + run_mod)
    tau_decay: np.ndarray  # s, calcium decay
    dff_per_spike: np.ndarray  # dF/F of one spike at the transient peak
    f0: np.ndarray  # somatic baseline fluorescence (a.u.)
    neuropil_f0: np.ndarray  # neuropil baseline fluorescence (a.u.)
    r_true: np.ndarray  # neuropil contamination ratio

    @property
    def n_cells(self) -> int:
        """Number of cells."""
        return int(len(self.cell_specimen_ids))

    def subset(self, rows: np.ndarray) -> Tuning:
        """The same cells' parameters, restricted (and ordered) by ``rows``.

        Parameters
        ----------
        rows : numpy.ndarray
            Cell indices (or a boolean mask over cells).

        Returns
        -------
        Tuning

        Examples
        --------
        >>> t = plant_tuning(np.arange(4), np.random.default_rng(0))
        >>> part = t.subset(np.array([True, False, True, False]))
        >>> part.n_cells, part.cell_specimen_ids.tolist()
        (2, [0, 2])
        """
        return Tuning(**{f.name: getattr(self, f.name)[rows] for f in fields(self)})


def direction_curve(t: Tuning, directions: np.ndarray) -> np.ndarray:
    """Relative response (0-1 at the preferred direction) of each cell to ``directions``.

    Returns (n_cells, n_directions). The null lobe is ``dg_null`` times the preferred one.

    Examples
    --------
    >>> t = plant_tuning(np.arange(3), np.random.default_rng(0))
    >>> direction_curve(t, np.array([0.0, 90.0])).shape
    (3, 2)
    """
    delta = np.deg2rad(directions[None, :] - t.dg_dir[:, None])
    kappa = t.dg_kappa[:, None]
    main = np.exp(kappa * (np.cos(delta) - 1))
    null = np.exp(kappa * (np.cos(delta - np.pi) - 1))
    curve = main + t.dg_null[:, None] * null
    return curve / curve.max(axis=1, keepdims=True).clip(1e-12)


def _image_weights(n: int, rng: np.random.Generator, n_images: int) -> tuple[np.ndarray, ...]:
    weights = np.minimum(rng.exponential(0.05, (n, n_images)), 0.2)
    pref = rng.integers(0, n_images, n)
    weights[np.arange(n), pref] = 1.0
    for i in range(n):
        others = rng.choice(np.delete(np.arange(n_images), pref[i]), rng.integers(1, 4), False)
        weights[i, others] = rng.uniform(0.25, 0.55, len(others))
    return pref, weights


def _receptive_fields(cls: np.ndarray, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """ON / OFF subunit centres around a shared retinotopic position (the field of view)."""
    n = len(cls)
    centre = np.array([rng.uniform(5, 10), rng.uniform(10, 17)])
    on_row, on_col = centre[0] + rng.normal(0, 1.5, n), centre[1] + rng.normal(0, 2.0, n)
    shift = rng.uniform(1.5, 3.5, n)
    angle = rng.uniform(0, 2 * np.pi, n)
    off_row, off_col = on_row + shift * np.sin(angle), on_col + shift * np.cos(angle)
    kind = rng.choice(3, n, p=(0.6, 0.2, 0.2))  # both, ON only, OFF only
    has_on = (cls != "unresponsive") & (kind != 2)
    has_off = (cls == "strong") & (kind != 1) | (cls == "weak") & (kind == 2)
    nan = np.full(n, np.nan)
    return {
        "rf_on_row": np.where(has_on, on_row, nan),
        "rf_on_col": np.where(has_on, on_col, nan),
        "rf_on_sigma": np.where(has_on, rng.uniform(0.8, 1.5, n), nan),
        "rf_off_row": np.where(has_off, off_row, nan),
        "rf_off_col": np.where(has_off, off_col, nan),
        "rf_off_sigma": np.where(has_off, rng.uniform(0.8, 1.5, n), nan),
    }


def plant_tuning(cell_specimen_ids: np.ndarray, rng: np.random.Generator) -> Tuning:
    """Draw every planted parameter of a container's cells.

    Parameters
    ----------
    cell_specimen_ids : numpy.ndarray
        The container's cells.
    rng : numpy.random.Generator
        The container's own stream.

    Returns
    -------
    Tuning

    Examples
    --------
    >>> t = plant_tuning(np.arange(5), np.random.default_rng(1))
    >>> t.n_cells, set(t.cls) <= set(CLASSES)
    (5, True)
    """
    n = len(cell_specimen_ids)
    cls = rng.choice(np.array(CLASSES), n, p=_CLASS_P)
    strong, weak = cls == "strong", cls == "weak"
    amp = np.where(strong, rng.lognormal(np.log(14.0), 0.25, n), 0.0)
    amp = np.where(weak, rng.uniform(2.0, 4.5, n), amp)
    movie_class = np.array([rng.choice(np.array(MOVIE_CLASSES), p=_MOVIE_P[c]) for c in cls])
    ns_pref, ns_weights = _image_weights(n, rng, st.N_NATURAL_SCENES)
    tau = rng.uniform(0.2, 0.4, n)
    f0 = rng.lognormal(np.log(220.0), 0.3, n)
    return Tuning(
        cell_specimen_ids=np.asarray(cell_specimen_ids),
        cls=cls,
        base_rate=rng.uniform(0.3, 1.5, n),
        amp=amp,
        trial_cv=np.where(strong, 0.15, 0.3),
        dg_dir=rng.choice(np.asarray(st.DRIFTING_GRATINGS_DIRECTIONS, float), n),
        dg_tf=rng.choice(np.asarray(st.DRIFTING_GRATINGS_TEMPORAL_FREQUENCIES, float), n),
        dg_null=np.where(strong, rng.uniform(0.0, 0.5, n), rng.uniform(0.0, 0.9, n)),
        dg_kappa=np.where(strong, rng.uniform(2.5, 4.0, n), rng.uniform(1.0, 2.5, n)),
        dg_tf_width=rng.uniform(0.5, 0.8, n),
        sg_ori=rng.choice(np.asarray(st.STATIC_GRATINGS_ORIENTATIONS, float), n),
        sg_sf=rng.choice(np.asarray(st.STATIC_GRATINGS_SPATIAL_FREQUENCIES, float), n),
        sg_phase=rng.choice(np.asarray(st.STATIC_GRATINGS_PHASES, float), n),
        sg_kappa=np.where(strong, rng.uniform(1.5, 3.0, n), rng.uniform(0.7, 1.5, n)),
        sg_sf_width=rng.uniform(0.6, 0.9, n),
        sg_phase_mod=rng.uniform(0.0, 0.9, n),
        ns_pref=ns_pref,
        ns_weights=ns_weights,
        movie_class=movie_class,
        **_receptive_fields(cls, rng),
        run_mod=np.clip(rng.normal(0.3, 0.45, n), -0.6, 1.5),
        tau_decay=tau,
        dff_per_spike=rng.uniform(0.12, 0.25, n),
        f0=f0,
        neuropil_f0=f0 * rng.uniform(0.6, 1.1, n),
        r_true=np.clip(rng.normal(0.7, 0.08, n), 0.45, 0.95),
    )
