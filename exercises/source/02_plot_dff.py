# %% [markdown]
# # Exercise 2: plot the dF/F of chosen cells
#
# **Goal:** read the dF/F traces of a few cells over a stretch of time and plot them.
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

from brainobs import plotting
from brainobs.exercises import check_dff

vc = brainobs.VisualCoding2P()

# %% [markdown]
# ## Context
#
# **dF/F** is the change of a cell's fluorescence relative to its baseline,
# ΔF/F = (F − F₀)/F₀. Raw fluorescence is in arbitrary units that differ from cell to cell;
# dF/F puts every cell on the same scale. An opened experiment gives it with
# `exp.get_dff(cell_specimen_ids=..., frames=...)`, which returns the timestamps (seconds) and
# the traces (one row per cell, one column per imaging frame). The microscope takes about 30
# frames per second.

# %%
exp_id = vc.experiments(session_types=["three_session_A"]).index[0]
exp = vc.experiment(exp_id)
cell_ids = [int(c) for c in exp.cell_specimen_ids[[2, 4, 6]]]
start, stop = 1800, 3600  # the second minute of the session: frames 1800 to 3599
print(f"experiment {exp_id}: {exp.number_of_cells} cells; your cells: {cell_ids}")

# %% [markdown]
# ## Your task
#
# Set `dff` to the dF/F of the cells `cell_ids` (in that order) over frames `start` to
# `stop - 1` — an array of shape (3 cells, 1800 frames) — and plot it with
# `plotting.plot_traces(timestamps, dff, labels=cell_ids, synthetic=vc.source.synthetic)`
# followed by `plt.show()`.

# %%
### BEGIN SOLUTION: dff
timestamps, dff = exp.get_dff(cell_specimen_ids=cell_ids, frames=slice(start, stop))
ax = plotting.plot_traces(timestamps, dff, labels=cell_ids, synthetic=vc.source.synthetic)
ax.set_title("dF/F of three cells, second minute")
plt.show()
### END SOLUTION

# %%
check_dff(dff, experiment_id=exp_id, cell_specimen_ids=cell_ids, start=start, stop=stop)

# %% [markdown]
# ## Going further
#
# * Plot `exp.get_fluorescence(...)` for the same cells and frames: why are the traces hard to
#   compare?
# * Add the stimulus epochs: `epochs=exp.get_stimulus_epoch_table(), first_frame=start`.
