# ruff: noqa: T201  (a notebook lesson: it prints what it finds)
"""The classic Brain Observatory lesson, written for AllenSDK.

Only the import line differs between AllenSDK and brainobs: the tests run this file with
``from brainobs.compat import BrainObservatoryCache`` in place of
``from allensdk.core.brain_observatory_cache import BrainObservatoryCache``.
``MANIFEST`` is set by the runner; ``RESULTS`` collects what the lesson computed.
"""

import numpy as np
import pandas as pd
from allensdk.core.brain_observatory_cache import BrainObservatoryCache

boc = BrainObservatoryCache(manifest_file=MANIFEST)  # noqa: F821

cre_lines = boc.get_all_cre_lines()
print("all cre lines:", cre_lines)
targeted_structures = boc.get_all_targeted_structures()
print("all targeted structures:", targeted_structures)

visp_ecs = boc.get_experiment_containers(targeted_structures=["VISp"])
print("VISp experiment containers:", len(visp_ecs))
cre_line = visp_ecs[0]["cre_line"]
cre_ecs = boc.get_experiment_containers(targeted_structures=["VISp"], cre_lines=[cre_line])
print(cre_line, "VISp containers:", len(cre_ecs))

container_id = cre_ecs[0]["id"]
exps = boc.get_ophys_experiments(experiment_container_ids=[container_id],
                                 stimuli=["natural_scenes"])
print("experiment with natural scenes:", exps[0]["id"], exps[0]["session_type"])
data_set = boc.get_ophys_experiment_data(exps[0]["id"])

max_projection = data_set.get_max_projection()
time, dff_traces = data_set.get_dff_traces()
print("dff shape:", dff_traces.shape)

cells = pd.DataFrame.from_records(boc.get_cell_specimens())
sig_cells = cells[cells["p_ns"] < 0.05]
print("cells with a significant natural-scenes response:", len(sig_cells), "of", len(cells))
counts, edges = np.histogram(sig_cells["pref_image_ns"].dropna(), bins=np.arange(-0.5, 119))

stim_table = data_set.get_stimulus_table("natural_scenes")
scene_template = data_set.get_stimulus_template("natural_scenes")
print("first scene shown:", stim_table.frame.iloc[0], scene_template.shape)

RESULTS = {  # noqa: F841
    "cre_lines": cre_lines,
    "targeted_structures": targeted_structures,
    "n_visp_containers": len(visp_ecs),
    "experiment_id": exps[0]["id"],
    "max_projection": max_projection,
    "dff": dff_traces,
    "timestamps": time,
    "n_sig_cells": len(sig_cells),
    "pref_image_counts": counts,
    "stim_table": stim_table,
    "template_shape": scene_template.shape,
}
