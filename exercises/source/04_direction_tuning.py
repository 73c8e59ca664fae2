# %% [markdown]
# # Exercise 4: a direction-tuning curve and the DSI by hand
#
# **Goal:** from the response of every trial, build a cell's direction-tuning curve and
# compute two measures of its direction selectivity: the DSI and the global (vector-sum) DSI.
#
# **How this works.** Run the cells from the top. Write your code in the answer cell, where it
# says `...`, run it, then run the check below it: the check computes the right answer from the
# data you are using and tells you whether yours matches. When it does not, you get a hint —
# more precise each time you try again.

# %%
# Set-up: in Colab this installs brainobs (no restart needed); elsewhere the installed one is used.
import sys

if "google.colab" in sys.modules:
    %pip install --quiet "brainobs[widgets,plot] @ git+https://github.com/brainobs/brainobs"

import brainobs

print(brainobs.describe_source())

# %%
import matplotlib.pyplot as plt
import numpy as np

from brainobs import plotting
from brainobs.analysis import analyze_stimulus
from brainobs.exercises import check_dsi, check_global_dsi, check_tuning_curve

vc = brainobs.VisualCoding2P()

# %% [markdown]
# ## Context
#
# `analyze_stimulus` runs the Allen analysis of the drifting gratings. Among other things it
# gives the **response of every trial**: the mean % dF/F over the 2 s of grating, relative to
# the second before it. The gratings moved in 8 directions (0°, 45°, … 315°, column
# `orientation`) at 5 temporal frequencies (column `temporal_frequency`; blank sweeps have 0).
# We pick the cell whose responses differ most between conditions, and its preferred temporal
# frequency.

# %%
exp_id = vc.experiments(session_types=["three_session_A"]).index[0]
exp = vc.experiment(exp_id)
result = analyze_stimulus(exp, "drifting_gratings")
cell_id = int(result.peak["ptest_dg"].idxmin())
responses = result.sweeps.frame()[cell_id]  # one response (% dF/F) per trial
table = result.sweeps.table  # the stimulus table, same rows
pref_tf = result.values["tfvals"][int(result.peak.loc[cell_id, "tf_dg"])]
print(f"cell {cell_id}, preferred temporal frequency {pref_tf} Hz, {len(responses)} trials")

# %% [markdown]
# ## Task 1: the tuning curve
#
# Set `tuning` to the cell's mean response to each direction, using only the trials at
# `pref_tf`: 8 values in the order 0°, 45°, … 315° (a pandas Series indexed by direction is
# ideal). Plot it with `plotting.plot_tuning_curve(tuning.index, tuning,
# synthetic=vc.source.synthetic)` and `plt.show()`.

# %%
### BEGIN SOLUTION: tuning
at_tf = table.temporal_frequency == pref_tf
tuning = responses[at_tf].groupby(table.orientation[at_tf]).mean()
plotting.plot_tuning_curve(tuning.index, tuning, synthetic=vc.source.synthetic)
plt.show()
### END SOLUTION

# %%
check_tuning_curve(tuning, experiment_id=exp_id, cell_specimen_id=cell_id)

# %% [markdown]
# ## Task 2: the DSI
#
# The **direction selectivity index** compares the response in the preferred direction (the
# largest) with the response in the *null* direction, opposite to it (180° away):
#
# $$\mathrm{DSI} = \frac{R_{pref} - R_{null}}{R_{pref} + R_{null}}$$
#
# Set `dsi` to the cell's DSI (a float).

# %%
### BEGIN SOLUTION: dsi
pref_dir = tuning.idxmax()
pref = tuning[pref_dir]
null = tuning[(pref_dir + 180) % 360]
dsi = (pref - null) / (pref + null)
print(f"preferred direction {pref_dir:.0f}°, DSI {dsi:.2f}")
### END SOLUTION

# %%
check_dsi(dsi, experiment_id=exp_id, cell_specimen_id=cell_id)

# %% [markdown]
# ## Task 3: the global DSI
#
# The DSI uses two points of the curve. The **global DSI** uses all of them: each direction
# θₖ is a vector of length rₖ (its response, negative values set to 0) pointing at θₖ; the
# global DSI is the length of their sum divided by the sum of their lengths,
#
# $$\mathrm{gDSI} = \frac{\left|\sum_k r_k e^{i\theta_k}\right|}{\sum_k r_k}$$
#
# 0 when the cell responds equally in every direction, 1 when it responds in one only. Set
# `gdsi` to the cell's global DSI (a float).

# %%
### BEGIN SOLUTION: gdsi
r = np.clip(tuning.to_numpy(), 0, None)
theta = np.deg2rad(tuning.index.to_numpy())
gdsi = np.abs((r * np.exp(1j * theta)).sum()) / r.sum()
print(f"global DSI {gdsi:.2f}")
### END SOLUTION

# %%
check_global_dsi(gdsi, experiment_id=exp_id, cell_specimen_id=cell_id)

# %% [markdown]
# ## Going further
#
# * Compare your numbers with the Allen metrics: `result.peak.loc[cell_id, ["dsi_dg",
#   "cv_ds_dg"]]`.
# * Which cells of the experiment are the most direction selective?
