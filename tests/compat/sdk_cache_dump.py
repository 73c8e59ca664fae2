"""Dump what AllenSDK 2.16.2's BrainObservatoryCache returns offline, for the compat tests.

Run with the AllenSDK interpreter (never imports brainobs)::

    python -W ignore sdk_cache_dump.py MANIFEST OUT.json

The manifest's folder must hold the release JSON files (AllenSDK then reads them instead of
querying the Allen API). Calls that need the network are recorded under ``errors``.
"""

import json
import sys

from allensdk.core.brain_observatory_cache import BrainObservatoryCache

FILTERS = [{"field": "p_ns", "op": "<", "value": 0.05},
           {"field": "area", "op": "in", "value": ["VISp", "VISl"]}]


def main(manifest: str, out: str) -> None:
    boc = BrainObservatoryCache(manifest_file=manifest)
    calls = {
        "get_all_cre_lines": boc.get_all_cre_lines,
        "get_all_targeted_structures": boc.get_all_targeted_structures,
        "get_all_imaging_depths": boc.get_all_imaging_depths,
        "get_all_reporter_lines": boc.get_all_reporter_lines,
        "get_all_stimuli": boc.get_all_stimuli,
        "get_experiment_containers": boc.get_experiment_containers,
        "get_experiment_containers:visp": lambda: boc.get_experiment_containers(
            targeted_structures=["VISp"]),
        "get_cell_specimens": boc.get_cell_specimens,
        "get_cell_specimens:filters": lambda: boc.get_cell_specimens(filters=FILTERS),
    }
    values, errors = {}, {}
    for key, call in calls.items():
        try:
            values[key] = call()
        except Exception as err:  # recorded for the test
            errors[key] = f"{type(err).__name__}: {err}"
    with open(out, "w") as handle:
        json.dump({"values": values, "errors": errors}, handle, default=str)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
