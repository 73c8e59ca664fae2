# %% [markdown]
# # Exercise 7: running versus stationary
#
# **Goal:** compare each cell's activity while the mouse runs with its activity while it sits
# still.
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
from brainobs.exercises import check_running

vc = brainobs.VisualCoding2P()

# %% [markdown]
# ## Context
#
# The mouse was free to run on a disc. `exp.get_running_speed()` gives its speed (cm/s) on the
# imaging frames' time base — one value per frame, NaN where the encoder had no value — so it
# lines up with the dF/F traces frame by frame.

# %%
exp_id = vc.experiments(session_types=["three_session_A"]).index[0]
exp = vc.experiment(exp_id)
_, speed = exp.get_running_speed()
_, dff = exp.get_dff()  # all cells: cells × frames
n = min(len(speed), dff.shape[1])
speed, dff = speed[:n], dff[:, :n]
print(f"{dff.shape[0]} cells, {n} frames; {np.mean(speed > 1):.0%} of frames faster than 1 cm/s, "
      f"{int(np.isnan(speed).sum())} frames of unknown speed")

# %% [markdown]
# ## Your task
#
# A frame is **running** when the speed is above 1 cm/s and **stationary** when it is below
# 1 cm/s; frames of unknown speed are neither. Set `difference` to each cell's mean dF/F over
# the running frames minus its mean dF/F over the stationary frames: one value per cell, in
# the order of the rows of `dff`. Then plot a histogram of `difference` (use
# `plotting.mark_synthetic(ax, vc.source.synthetic)` and `plt.show()`).

# %%
### BEGIN SOLUTION: difference
running = speed > 1
stationary = speed < 1
difference = dff[:, running].mean(axis=1) - dff[:, stationary].mean(axis=1)
fig, ax = plt.subplots(figsize=(5, 3))
ax.hist(difference, bins=20, color=plotting.PALETTE[0])
ax.axvline(0, color="0.5", lw=0.8)
ax.set_xlabel("mean dF/F running − stationary")
ax.set_ylabel("number of cells")
plotting.mark_synthetic(ax, vc.source.synthetic)
plt.show()
print(f"{np.mean(difference > 0):.0%} of cells are more active while running")
### END SOLUTION

# %%
check_running(difference, experiment_id=exp_id)

# %% [markdown]
# ## Going further
#
# * Running also changes with the stimulus. Is the difference the same during the drifting
#   gratings only (`exp.get_stimulus_epoch_table()`)?
# * The Allen metric `run_mod_dg` compares running and stationary *trials* at each cell's
#   preferred grating; compare it with `difference` (`vc.cells(...)`).
