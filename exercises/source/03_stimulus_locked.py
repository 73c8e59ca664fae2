# %% [markdown]
# # Exercise 3: build a stimulus-locked response
#
# **Goal:** cut a cell's dF/F around every presentation of a stimulus and average the trials,
# to see how the cell responds on average after the stimulus appears.
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
from brainobs.exercises import check_stimulus_locked

vc = brainobs.VisualCoding2P()

# %% [markdown]
# ## Context
#
# In session A the mouse saw **drifting gratings**: each one moves for 60 frames (2 s), then
# the screen is grey for 30 frames. The stimulus table has one row per presentation; `start`
# is the imaging frame at which the grating appeared. Rows with `blank_sweep == 1` are *blank
# sweeps*: a grey screen instead of a grating. We pick the cell whose responses differ most
# between gratings (smallest `p_dg` in the cell table).

# %%
exp_id = vc.experiments(session_types=["three_session_A"]).index[0]
exp = vc.experiment(exp_id)
cells = vc.cells(ids=list(exp.cell_specimen_ids))
cell_id = int(cells["p_dg"].idxmin())
table = exp.get_stimulus_table("drifting_gratings")
timestamps, traces = exp.get_dff(cell_specimen_ids=[cell_id])
trace = traces[0]  # the cell's dF/F, one value per imaging frame
before, after = 30, 60
print(f"cell {cell_id}: {len(trace)} frames; {len(table)} presentations, "
      f"{int((table.blank_sweep == 1).sum())} of them blank")
table.head()

# %% [markdown]
# ## Your task
#
# 1. For every **non-blank** presentation, cut the cell's dF/F from `before` frames before its
#    `start` to `after - 1` frames after it (90 frames: `start - 30` ... `start + 59`), giving
#    an array `trials` of shape (number of gratings, 90).
# 2. Set `mean_response` to the average of the trials: one value per frame of the window.
# 3. Plot it against the time from onset, `np.arange(-before, after) / 30` seconds, with
#    `plotting.plot_trial_average(time, trials, offset=2.0, unit="dF/F",
#    synthetic=vc.source.synthetic)` and `plt.show()`.
#
# *Help:* `starts[:, None] + np.arange(-before, after)` is a 2-D array of frame numbers.

# %%
### BEGIN SOLUTION: mean_response
starts = table.start[table.blank_sweep == 0].to_numpy()
trials = trace[starts[:, None] + np.arange(-before, after)]
mean_response = trials.mean(axis=0)
time = np.arange(-before, after) / 30
ax = plotting.plot_trial_average(time, trials, offset=2.0, unit="dF/F",
                                 synthetic=vc.source.synthetic)
ax.set_title(f"Cell {cell_id}: mean response to the drifting gratings")
plt.show()
### END SOLUTION

# %%
check_stimulus_locked(mean_response, experiment_id=exp_id, cell_specimen_id=cell_id,
                      before=before, after=after)

# %% [markdown]
# ## Going further
#
# * Average only the trials of one direction (`table.orientation`): is the response larger?
# * Why does the Allen analysis express responses relative to the second *before* each onset?
