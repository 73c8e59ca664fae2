# %% [markdown]
# # Exercise 6: map a receptive field
#
# **Goal:** find where on the screen a small white square makes a cell respond — the ON part
# of its receptive field.
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

from brainobs import plotting, stimuli
from brainobs.analysis import SessionData, compute_sweep_statistics
from brainobs.exercises import check_receptive_field

vc = brainobs.VisualCoding2P()

# %% [markdown]
# ## Context
#
# **Locally sparse noise** (session C or C2) is a grid of grey patches in which a few patches
# turn white (ON, value 255) or black (OFF, value 0) on each 0.25 s frame. The stimulus table
# says which template frame was shown on each trial (`frame`); the template holds the frames
# (frames × rows × columns). Below, `shown` is the frame of every trial and `responses` the
# cell's response to every trial (mean % dF/F relative to the second before, as in the Allen
# analysis). We pick the cell with the clearest receptive field (smallest `rf_chi2_lsn`).

# %%
exp_id = vc.experiments(session_types=["three_session_C", "three_session_C2"]).index[0]
exp = vc.experiment(exp_id)
noise_name = [s for s in exp.list_stimuli() if s in stimuli.SPARSE_NOISE][0]
cells = vc.cells(ids=list(exp.cell_specimen_ids))
cell_id = int(cells["rf_chi2_lsn"].idxmin())

data = SessionData.from_experiment(exp, [noise_name])
table = data.table(noise_name)
sweeps = compute_sweep_statistics(noise_name, table, data.corrected, data.running_speed,
                                  data.acquisition_rate, data.cell_specimen_ids)
responses = sweeps.frame()[cell_id].to_numpy()  # one response per trial
shown = data.templates[noise_name][table["frame"].to_numpy()]  # trials × rows × columns
print(f"{noise_name}: {len(responses)} trials on a {shown.shape[1]} × {shown.shape[2]} grid; "
      f"cell {cell_id}")

# %% [markdown]
# ## Your task
#
# Set `on_map` to the cell's ON map: for every patch (row, column), the mean of `responses`
# over the trials in which that patch was white (255). It has the shape of one frame
# (rows × columns). A few responses may be NaN (a trial too close to the end of the
# recording): leave them out. Show it with `plotting.plot_receptive_field(on_map,
# stimulus=noise_name, synthetic=vc.source.synthetic)` and `plt.show()`.

# %%
### BEGIN SOLUTION: on_map
valid = ~np.isnan(responses)
on = shown[valid] == 255
on_map = (on * responses[valid, None, None]).sum(axis=0) / on.sum(axis=0)
plotting.plot_receptive_field(on_map, stimulus=noise_name, synthetic=vc.source.synthetic)
plt.show()
### END SOLUTION

# %%
check_receptive_field(on_map, experiment_id=exp_id, cell_specimen_id=cell_id,
                      stimulus=noise_name)

# %% [markdown]
# ## Going further
#
# * Make the OFF map (black patches, value 0): is it in the same place?
# * The Allen analysis tests each patch for significance with shuffles:
#   `brainobs.analysis.analyze_stimulus(exp, noise_name)` (slower).
