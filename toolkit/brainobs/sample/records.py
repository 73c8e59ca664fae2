"""Allen API JSON records of the sample release, in the raw shapes BrainObservatoryCache caches.

``experiment_containers.json`` (ExperimentContainer with nested experiments, specimen, donor,
age, transgenic lines, conditions, targeted structure and ISI experiment),
``ophys_experiments.json`` (OphysExperiment with nested experiment container, well-known files,
targeted structure, specimen and donor), ``stimulus_mappings.json`` (ApiCamStimulusMapping) and
the cache ``manifest.json`` (version 1.3). Every record carries :data:`SYNTHETIC_KEY`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from .catalog import (
    AGE_IDS,
    FACET_FALSE,
    FACET_TRUE,
    SEX_FACETS,
    STIMULUS_MAPPING_ITEMS,
    structure_record,
    transgenic_line_record,
)
from .design import SYNTHETIC_KEY, ContainerDesign, ExperimentDesign, synthetic_note

__all__ = [
    "NWB_FILE_TYPE",
    "EVENTS_FILE_TYPE",
    "manifest",
    "container_record",
    "experiment_record",
    "stimulus_mapping_records",
    "storage_directory",
]

NWB_FILE_TYPE = {"id": 969000001, "name": "NWBOphys"}
EVENTS_FILE_TYPE = {"id": 969000002, "name": "ObservatoryEventsFile"}
_MANIFEST_FILES = (
    ("EXPERIMENT_CONTAINERS", "experiment_containers.json"),
    ("EXPERIMENTS", "ophys_experiments.json"),
    ("EXPERIMENT_DATA", "ophys_experiment_data/%d.nwb"),
    ("ANALYSIS_DATA", "ophys_experiment_analysis/%d_%s_analysis.h5"),
    ("EVENTS_DATA", "ophys_experiment_events/%d_events.npz"),
    ("CELL_SPECIMENS", "cell_specimens.json"),
    ("STIMULUS_MAPPINGS", "stimulus_mappings.json"),
    ("EYE_GAZE_DATA", "ophys_eye_gaze_mapping/%d_eyetracking_dlc_to_screen_mapping.h5"),
)


def manifest() -> dict[str, list[dict[str, str]]]:
    """The BrainObservatoryCache manifest (version 1.3), with the key order AllenSDK writes.

    Examples
    --------
    >>> manifest()["manifest"][0]
    {'type': 'manifest_version', 'value': '1.3'}
    """
    entries: list[dict[str, str]] = [{"type": "manifest_version", "value": "1.3"}]
    entries.append({"key": "BASEDIR", "type": "dir", "spec": "."})
    for key, spec in _MANIFEST_FILES:
        entries.append({"key": key, "type": "file", "spec": spec, "parent_key": "BASEDIR"})
    return {"manifest": entries}


def storage_directory(design: ContainerDesign, exp: ExperimentDesign) -> str:
    """Where the (fictional) pipeline kept an experiment's files.

    Examples
    --------
    >>> from brainobs.sample.design import design_release
    >>> c = design_release(0, "small")[0]
    >>> storage_directory(c, c.experiments[0])
    '/brainobs_sample/specimen_930010000/ophys_experiment_920010001/'
    """
    specimen, eid = design.specimen_id, exp.ophys_experiment_id
    return f"/brainobs_sample/specimen_{specimen}/ophys_experiment_{eid}/"


def _age(design: ContainerDesign) -> dict[str, object]:
    return {
        "age_group_id": 3,
        "days": float(design.donor_age[1:]),
        "description": None,
        "embryonic": False,
        "id": AGE_IDS[design.donor_age],
        "name": design.donor_age,
        "organism_id": 2,
        "tags": "postnatal adulthood  adult ",
    }


def _donor(design: ContainerDesign, with_conditions: bool) -> dict[str, object]:
    lines = (design.cre_line, "Camk2a-tTA", "Ai93(TITL-GCaMP6f)")
    empty = ("chemotherapy", "condition_description", "data", "donor_condition_description_facet",
             "donor_race_only_facet", "donor_strain_facet", "donor_strain_only_facet",
             "egfr_amplification", "extent_of_resection", "handedness", "initial_kps",
             "mgmt_ihc", "mgmt_methylation", "molecular_subtype", "multifocal", "pmi",
             "primary_tissue_source", "pten_deletion", "race_only", "radiation_therapy",
             "recurrence_by_six_months", "sleep_state", "smoker", "strain", "strain_only",
             "survival_days", "theiler_stage", "time_to_progression_or_recurrence",
             "tumor_status")
    donor: dict[str, object] = {name: None for name in empty}
    donor.update({
        "age": _age(design),
        "age_id": AGE_IDS[design.donor_age],
        "date_of_birth": design.date_of_birth,
        "donor_sex_facet": SEX_FACETS[design.sex],
        "external_donor_name": design.donor_name,
        "full_genotype": design.genotype,
        "id": design.donor_id,
        "name": design.specimen_name,
        "organism_id": 2,
        "sex": design.sex,
        "sex_full_name": {"M": "Male", "F": "Female"}[design.sex],
        "tags": f"{design.specimen_name} ",
        "transgenic_lines": [transgenic_line_record(n, design.donor_id) for n in lines],
        "transgenic_mouse_id": 900 + design.number,
        "weight_grams": round(22.0 + 1.3 * design.number, 1),
    })
    if with_conditions:
        donor["conditions"] = [
            {"id": 969100000 + k, "name": tag} for k, tag in enumerate(design.tags, start=1)
        ]
    return donor


def _specimen(design: ContainerDesign, with_conditions: bool) -> dict[str, object]:
    empty = ("cell_prep_sample_id", "cell_reporter_id", "cortex_layer_id", "data",
             "ephys_result_id", "hemisphere", "parent_id", "parent_x_coord", "parent_y_coord",
             "parent_z_coord", "pinned_radius", "rna_integrity_number", "structure_id",
             "tissue_ph", "treatment_id")
    specimen: dict[str, object] = {name: None for name in empty}
    specimen.update({
        "donor": _donor(design, with_conditions),
        "donor_id": design.donor_id,
        "external_specimen_name": design.donor_name,
        "failed_facet": FACET_FALSE,
        "id": design.specimen_id,
        "is_cell_specimen": False,
        "is_ish": False,
        "name": design.specimen_name,
        "specimen_id_path": f"/{design.specimen_id}/",
        "sphinx_id": 90000 + design.number,
        "weight": 9000,
    })
    return specimen


def _flat_experiment(design: ContainerDesign, exp: ExperimentDesign) -> dict[str, object]:
    return {
        "date_of_acquisition": exp.date_of_acquisition,
        "experiment_container_id": design.experiment_container_id,
        "fail_eye_tracking": exp.fail_eye_tracking,
        "id": exp.ophys_experiment_id,
        "imaging_depth": design.imaging_depth,
        "name": exp.name,
        "specimen_id": design.specimen_id,
        "stimulus_name": exp.session_type,
        "storage_directory": storage_directory(design, exp),
        "targeted_structure_id": structure_record(design.targeted_structure)["id"],
    }


def _flat_container(design: ContainerDesign) -> dict[str, object]:
    return {
        "failed": design.failed,
        "failed_facet": FACET_TRUE if design.failed else FACET_FALSE,
        "id": design.experiment_container_id,
        "imaging_depth": design.imaging_depth,
        "isi_experiment_id": design.isi_experiment_id,
        "specimen_id": design.specimen_id,
        "targeted_structure_id": structure_record(design.targeted_structure)["id"],
        "weight": 6540,
    }


def _isi_experiment(design: ContainerDesign) -> dict[str, object]:
    first = min(e.date_of_acquisition for e in design.experiments)
    when = datetime.strptime(first, "%Y-%m-%dT%H:%M:%SZ") - timedelta(days=58)
    return {
        "date_of_acquisition": f"{when:%Y-%m-%d}T08:00:00Z",
        "id": design.isi_experiment_id,
        "name": f"{design.donor_name}_{when:%Y%m%d}",
        "specimen_id": design.specimen_id,
        "storage_directory": (
            f"/brainobs_sample/specimen_{design.specimen_id}/"
            f"isi_experiment_{design.isi_experiment_id}/"
        ),
    }


def container_record(design: ContainerDesign, seed: int) -> dict[str, object]:
    """The raw API record of an experiment container (as in ``experiment_containers.json``).

    Examples
    --------
    >>> from brainobs.sample.design import design_release
    >>> rec = container_record(design_release(0, "small")[0], 0)
    >>> rec["targeted_structure"]["acronym"], len(rec["ophys_experiments"])
    ('VISp', 3)
    """
    note = synthetic_note(seed)
    record = _flat_container(design)
    record.update({
        "isi_experiment": _isi_experiment(design),
        "ophys_experiments": [
            {**_flat_experiment(design, e), SYNTHETIC_KEY: note} for e in design.experiments
        ],
        "specimen": _specimen(design, with_conditions=True),
        "targeted_structure": structure_record(design.targeted_structure),
        SYNTHETIC_KEY: note,
    })
    return record


def _well_known_files(design: ContainerDesign, exp: ExperimentDesign) -> list[dict[str, object]]:
    folder = storage_directory(design, exp)
    eid = exp.ophys_experiment_id
    out = []
    for t, (kind, name) in enumerate(
        ((NWB_FILE_TYPE, f"{eid}.nwb"), (EVENTS_FILE_TYPE, f"{eid}_events.npz")), start=1
    ):
        wkf_id = 960_000_000 + 10_000 * design.number + 10 * exp.index + t
        out.append({
            "attachable_id": eid,
            "attachable_type": "OphysExperiment",
            "download_link": f"/api/v2/well_known_file_download/{wkf_id}",
            "id": wkf_id,
            "path": folder + name,
            "well_known_file_type": dict(kind),
            "well_known_file_type_id": kind["id"],
        })
    return out


def experiment_record(design: ContainerDesign, exp: ExperimentDesign, seed: int) -> dict:
    """The raw API record of an ophys experiment (as in ``ophys_experiments.json``).

    Examples
    --------
    >>> from brainobs.sample.design import design_release
    >>> c = design_release(0, "small")[0]
    >>> experiment_record(c, c.experiments[0], 0)["stimulus_name"]
    'three_session_B'
    """
    record = _flat_experiment(design, exp)
    record.update({
        "experiment_container": _flat_container(design),
        "specimen": _specimen(design, with_conditions=False),
        "targeted_structure": structure_record(design.targeted_structure),
        "well_known_files": _well_known_files(design, exp),
        SYNTHETIC_KEY: synthetic_note(seed),
    })
    return record


def stimulus_mapping_records(seed: int) -> list[dict[str, object]]:
    """ApiCamStimulusMapping records: which metric / thumbnail item belongs to which stimulus.

    Examples
    --------
    >>> recs = stimulus_mapping_records(0)
    >>> len(recs), sorted(recs[0])
    (128, ['brainobs_sample', 'id', 'item', 'item_type', 'level', 'stimulus_name'])
    """
    note = synthetic_note(seed)
    return [
        {"id": i, "item": item, "item_type": kind, "level": level, "stimulus_name": stim,
         SYNTHETIC_KEY: note}
        for i, item, level, stim, kind in sorted(STIMULUS_MAPPING_ITEMS)
    ]
