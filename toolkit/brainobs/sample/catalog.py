"""Reference facts the sample release reuses: brain structures, mouse lines, ages, metric items.

These are the public Allen ontology records (structure ids, transgenic-line ids, age ids) and the
names of the cell-metric items of ``ApiCamStimulusMapping``, so that sample records look up and
filter exactly like real ones. Descriptions are written for brainobs. No I/O, no numpy.
"""

from __future__ import annotations

__all__ = [
    "STRUCTURES",
    "TRANSGENIC_LINES",
    "AGE_IDS",
    "FACET_FALSE",
    "FACET_TRUE",
    "SEX_FACETS",
    "STIMULUS_MAPPING_ITEMS",
    "structure_record",
    "transgenic_line_record",
]

#: acronym -> (id, name, graph_order, atlas_id, structure_name_facet, parent id, path, colour)
STRUCTURES: dict[str, tuple[int, str, int, int, int, int, str, str]] = {
    "VISp": (385, "Primary visual area", 185, 755, 3425643282, 669, "669/385", "08858C"),
    "VISl": (409, "Lateral visual area", 178, 758, 1805245805, 669, "669/409", "08858C"),
    "VISal": (402, "Anterolateral visual area", 164, 757, 1250787960, 669, "669/402", "08858C"),
    "VISpm": (533, "posteromedial visual area", 199, 915, 558797901, 669, "669/533", "08858C"),
    "VISam": (394, "Anteromedial visual area", 171, 756, 1045871632, 669, "669/394", "08858C"),
    "VISrl": (417, "Rostrolateral visual area", 353, 759, 1848950861, 22, "22/417", "009FAC"),
}

#: name -> (id, type, code, source, stock number, url prefix, url suffix, lab, annotation id,
#: description written for brainobs)
TRANSGENIC_LINES: dict[str, tuple] = {
    "Cux2-CreERT2": (
        177839004, "driver", "D", "MMRRC", "032779",
        "http://www.mmrrc.org/catalog/getSDS.jsp?mmrrc_id=", None, "Ulrich Mueller", 21882,
        "Cre driver (tamoxifen inducible); mostly layer 2/3 and 4 excitatory neurons.",
    ),
    "Rorb-IRES2-Cre": (
        179697864, "driver", "D", "JAX", "023526", "http://jaxmice.jax.org/strain/", ".html",
        "Allen Institute for Brain Science", 263635668,
        "Cre driver; mostly layer 4 excitatory neurons.",
    ),
    "Rbp4-Cre_KL100": (
        177838435, "driver", "D", "MMRRC", "031125",
        "http://www.mmrrc.org/catalog/getSDS.jsp?mmrrc_id=", None,
        "Nathaniel Heintz and Charles Gerfen", 120818676,
        "Cre driver; mostly layer 5 excitatory neurons.",
    ),
    "Emx1-IRES-Cre": (
        177836119, "driver", "D", "JAX", "005628", "http://jaxmice.jax.org/strain/", ".html",
        "Kevin Jones", 21955, "Cre driver; excitatory neurons of all cortical layers.",
    ),
    "Nr5a1-Cre": (
        177839331, "driver", "D", "JAX", "006364", "http://jaxmice.jax.org/strain/", ".html",
        "Bradford Lowell", 21972, "Cre driver; a subset of layer 4 excitatory neurons.",
    ),
    "Camk2a-tTA": (
        177837320, "driver", "D", "MMRRC", "031781",
        "http://www.mmrrc.org/catalog/getSDS.jsp?mmrrc_id=", None,
        "Mark Mayford and Ulrich Mueller", 178398161,
        "tTA driver; excitatory forebrain neurons (needed by the TITL reporter).",
    ),
    "Ai93(TITL-GCaMP6f)": (
        265943423, "reporter", "R", "JAX", "024103", "http://jaxmice.jax.org/strain/", ".html",
        "Allen Institute for Brain Science", None,
        "Reporter: GCaMP6f where both Cre and tTA are present.",
    ),
}

#: donor age name -> Allen age id
AGE_IDS: dict[str, int] = {
    "P116": 298414279, "P123": 298414285, "P132": 298414293, "P138": 298414298,
    "P143": 298414303, "P152": 298414311, "P158": 298414317, "P171": 298414329,
}

FACET_FALSE = 734881840  # the API's facet value of ``failed: false``
FACET_TRUE = 4261170317  # ... and of ``failed: true``
SEX_FACETS = {"M": 4122955671, "F": 1306038106}

#: ApiCamStimulusMapping items: (id, item, level, stimulus_name, item_type). Item type "M" is a
#: metric column, "T" a thumbnail; level "R" is per cell (ROI), "S" per experiment.
STIMULUS_MAPPING_ITEMS: tuple[tuple[int, str, str, str, str], ...] = (
    *((i, n, "R", "drifting_grating", "M") for i, n in (
        (1, "osi_dg"), (2, "dsi_dg"), (3, "pref_dir_dg"), (4, "pref_tf_dg"), (5, "p_dg"),
        (62, "g_osi_dg"), (63, "g_dsi_dg"), (64, "reliability_dg"), (65, "tfdi_dg"),
        (66, "run_mod_dg"), (67, "p_run_mod_dg"), (68, "peak_dff_dg"))),
    *((i, n, "R", "natural_scene", "M") for i, n in (
        (6, "pref_image_ns"), (7, "p_ns"), (8, "time_to_peak_ns"), (75, "image_sel_ns"),
        (76, "reliability_ns"), (77, "run_mod_ns"), (78, "p_run_mod_ns"), (79, "peak_dff_ns"))),
    *((i, n, "R", "static_grating", "M") for i, n in (
        (9, "osi_sg"), (10, "pref_ori_sg"), (11, "pref_sf_sg"), (12, "pref_phase_sg"),
        (13, "p_sg"), (14, "time_to_peak_sg"), (69, "g_osi_sg"), (70, "sfdi_sg"),
        (71, "reliability_sg"), (72, "run_mod_sg"), (73, "p_run_mod_sg"), (74, "peak_dff_sg"))),
    *((i, n, "R", s, "M") for i, n, s in (
        (80, "rf_center_on_x_lsn", "locally_sparse_noise_on"),
        (81, "rf_center_on_y_lsn", "locally_sparse_noise_on"),
        (82, "rf_center_off_x_lsn", "locally_sparse_noise_off"),
        (83, "rf_center_off_y_lsn", "locally_sparse_noise_off"),
        (84, "rf_area_on_lsn", "locally_sparse_noise_on"),
        (85, "rf_area_off_lsn", "locally_sparse_noise_off"),
        (86, "rf_distance_lsn", "locally_sparse_noise"),
        (87, "rf_overlap_index_lsn", "locally_sparse_noise"),
        (88, "rf_chi2_lsn", "locally_sparse_noise"),
        (89, "reliability_nm1_a", "natural_movie_one"),
        (90, "reliability_nm2", "natural_movie_two"),
        (91, "reliability_nm3", "natural_movie_three"),
        (125, "reliability_nm1_b", "natural_movie_one"),
        (126, "reliability_nm1_c", "natural_movie_one"))),
    *((i, n, "S", "experiment_summary", "M") for i, n in (
        (92, "mean_running_speed_a"), (93, "mean_running_speed_b"), (94, "mean_running_speed_c"))),
    *((i, n, "R", s, "T") for i, n, s in (
        (15, "natural_movie_one_a_small", "natural_movie_one"),
        (16, "natural_movie_one_a_large", "natural_movie_one"),
        (17, "natural_movie_one_b_small", "natural_movie_one"),
        (18, "natural_movie_one_b_large", "natural_movie_one"),
        (19, "natural_movie_one_c_small", "natural_movie_one"),
        (20, "natural_movie_one_c_large", "natural_movie_one"),
        (21, "speed_tuning_a_small", "experiment_summary"),
        (22, "speed_tuning_a_large", "experiment_summary"),
        (23, "speed_tuning_b_small", "experiment_summary"),
        (24, "speed_tuning_b_large", "experiment_summary"),
        (25, "speed_tuning_c_small", "experiment_summary"),
        (26, "speed_tuning_c_large", "experiment_summary"),
        (27, "drifting_grating_small", "drifting_grating"),
        (28, "drifting_grating_large", "drifting_grating"),
        (29, "natural_movie_three_small", "natural_movie_three"),
        (30, "natural_movie_three_large", "natural_movie_three"),
        (31, "natural_scene_small", "natural_scene"),
        (32, "natural_scene_large", "natural_scene"),
        (33, "locally_sparse_noise_on_small", "locally_sparse_noise_on"),
        (34, "locally_sparse_noise_on_large", "locally_sparse_noise_on"),
        (35, "locally_sparse_noise_off_small", "locally_sparse_noise_off"),
        (36, "locally_sparse_noise_off_large", "locally_sparse_noise_off"),
        (37, "natural_movie_two_small", "natural_movie_two"),
        (38, "natural_movie_two_large", "natural_movie_two"),
        (60, "static_gratings_small", "static_grating"),
        (61, "static_gratings_large", "static_grating"),
        (95, "signal_correlation_a_small", "experiment_summary"),
        (96, "signal_correlation_a_large", "experiment_summary"),
        (97, "signal_correlation_b_small", "experiment_summary"),
        (98, "signal_correlation_b_large", "experiment_summary"),
        (127, "receptive_field_off_large", "locally_sparse_noise"),
        (128, "receptive_field_off_small", "locally_sparse_noise"),
        (129, "receptive_field_on_large", "locally_sparse_noise"),
        (130, "receptive_field_on_small", "locally_sparse_noise"))),
    *((i, n, "S", s, "T") for i, n, s in (
        (39, "projection_a", "experiment_summary"),
        (40, "projection_b", "experiment_summary"),
        (41, "projection_c", "experiment_summary"),
        (42, "preferred_direction_small", "drifting_grating"),
        (43, "preferred_direction_large", "drifting_grating"),
        (44, "orientation_selectivity_dg_small", "drifting_grating"),
        (45, "orientation_selectivity_dg_large", "drifting_grating"),
        (46, "direction_selectivity_small", "drifting_grating"),
        (47, "direction_selectivity_large", "drifting_grating"),
        (48, "preferred_temporal_frequency_small", "drifting_grating"),
        (49, "preferred_temporal_frequency_large", "drifting_grating"),
        (50, "preferred_orientation_small", "static_grating"),
        (51, "preferred_orientation_large", "static_grating"),
        (52, "preferred_spatial_frequency_small", "static_grating"),
        (53, "preferred_spatial_frequency_large", "static_grating"),
        (54, "orientation_selectivity_sg_small", "static_grating"),
        (55, "orientation_selectivity_sg_large", "static_grating"),
        (56, "time_to_peak_sg_small", "static_grating"),
        (57, "time_to_peak_sg_large", "static_grating"),
        (58, "time_to_peak_ns_small", "natural_scene"),
        (59, "time_to_peak_ns_large", "natural_scene"),
        (99, "running_speed_a_small", "experiment_summary"),
        (100, "running_speed_a_large", "experiment_summary"),
        (101, "running_speed_b_small", "experiment_summary"),
        (102, "running_speed_b_large", "experiment_summary"),
        (103, "running_speed_c_small", "experiment_summary"),
        (104, "running_speed_c_large", "experiment_summary"),
        (105, "eye_position_a_small", "experiment_summary"),
        (106, "eye_position_a_large", "experiment_summary"),
        (107, "eye_position_b_small", "experiment_summary"),
        (108, "eye_position_b_large", "experiment_summary"),
        (109, "eye_position_c_small", "experiment_summary"),
        (110, "eye_position_c_large", "experiment_summary"),
        (111, "representational_similarity_dg_small", "drifting_grating"),
        (112, "representational_similarity_dg_large", "drifting_grating"),
        (113, "representational_similarity_sg_small", "static_grating"),
        (114, "representational_similarity_sg_large", "static_grating"),
        (115, "representational_similarity_ns_small", "natural_scene"),
        (116, "representational_similarity_ns_large", "natural_scene"),
        (117, "population_receptive_field_small", "natural_scene"),
        (118, "population_receptive_field_large", "natural_scene"),
        (119, "correlation_a_large", "experiment_summary"),
        (120, "correlation_a_small", "experiment_summary"),
        (121, "correlation_b_large", "experiment_summary"),
        (122, "correlation_b_small", "experiment_summary"))),
)


def structure_record(acronym: str) -> dict[str, object]:
    """The API ``targeted_structure`` record of a visual area, with the real field set.

    Parameters
    ----------
    acronym : str
        A key of :data:`STRUCTURES` (``"VISp"``, ``"VISl"``, ...).

    Returns
    -------
    dict
        ``{"acronym": ..., "id": ..., "name": ..., ...}`` as the Allen API returns it.

    Examples
    --------
    >>> structure_record("VISp")["id"]
    385
    """
    sid, name, order, atlas, facet, parent, path, colour = STRUCTURES[acronym]
    return {
        "acronym": acronym,
        "atlas_id": atlas,
        "color_hex_triplet": colour,
        "depth": 7,
        "failed": False,
        "failed_facet": FACET_FALSE,
        "graph_id": 1,
        "graph_order": order,
        "hemisphere_id": 3,
        "id": sid,
        "name": name,
        "neuro_name_structure_id": None,
        "neuro_name_structure_id_path": None,
        "ontology_id": 1,
        "parent_structure_id": parent,
        "safe_name": name,
        "sphinx_id": order + 1,
        "st_level": None,
        "structure_id_path": f"/997/8/567/688/695/315/{path}/",
        "structure_name_facet": facet,
        "weight": 8690,
    }


def transgenic_line_record(name: str, donor_id: int) -> dict[str, object]:
    """The API ``transgenic_lines`` item of a mouse line, as nested under a donor.

    Parameters
    ----------
    name : str
        A key of :data:`TRANSGENIC_LINES`.
    donor_id : int
        The donor the record is attached to (``ar_association_key_name``).

    Returns
    -------
    dict

    Examples
    --------
    >>> transgenic_line_record("Camk2a-tTA", 930010000)["transgenic_line_type_name"]
    'driver'
    """
    lid, kind, code, source, stock, prefix, suffix, lab, annotation, text = TRANSGENIC_LINES[name]
    return {
        "ar_association_key_name": str(donor_id),
        "description": text,
        "id": lid,
        "name": name,
        "originating_lab": lab,
        "stock_number": stock,
        "sub_image_annotation_id": annotation,
        "transgenic_line_source_name": source,
        "transgenic_line_type_code": code,
        "transgenic_line_type_name": kind,
        "url_prefix": prefix,
        "url_suffix": suffix,
    }
