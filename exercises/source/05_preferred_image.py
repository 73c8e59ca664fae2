# %% [markdown]
# # Exercise 5: each cell's preferred natural image
#
# **Goal:** find, for every cell of an experiment, the natural image it responds to most.
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
from brainobs.analysis import analyze_stimulus
from brainobs.exercises import check_preferred_images

vc = brainobs.VisualCoding2P()

# %% [markdown]
# ## Context
#
# In session B the mouse saw 118 natural images, each flashed for 0.25 s about 50 times in a
# random order, with blank sweeps (grey screen) among them. In the stimulus table, `frame` is
# the image shown (0 to 117), or −1 for a blank. `analyze_stimulus` gives the response of
# every cell to every trial (mean % dF/F relative to the second before the image).

# %%
exp_id = vc.experiments(session_types=["three_session_B"]).index[0]
exp = vc.experiment(exp_id)
result = analyze_stimulus(exp, "natural_scenes")
responses = result.sweeps.frame().drop(columns="dx")  # trials × cells (columns: cell ids)
table = result.sweeps.table  # the stimulus table, same rows
print(f"{responses.shape[0]} trials × {responses.shape[1]} cells")
table.head()

# %% [markdown]
# ## Your task
#
# Set `preferred` to each cell's preferred image: the image (0 to 117, never the blank) with
# the largest mean response over its presentations. A pandas Series indexed by
# cell_specimen_id is ideal (an array in the order of the columns of `responses` works too).
# Then show the image preferred by the most cells with
# `plotting.plot_natural_scene(exp.get_stimulus_template("natural_scenes")[image], index=image,
# synthetic=vc.source.synthetic)` and `plt.show()`.

# %%
### BEGIN SOLUTION: preferred
means = responses.groupby(table["frame"]).mean().drop(index=-1)  # images × cells
preferred = means.idxmax()
image = int(preferred.value_counts().idxmax())  # the image preferred by the most cells
plotting.plot_natural_scene(exp.get_stimulus_template("natural_scenes")[image], index=image,
                            synthetic=vc.source.synthetic)
plt.show()
### END SOLUTION

# %%
check_preferred_images(preferred, experiment_id=exp_id)

# %% [markdown]
# ## Going further
#
# * Do many cells share a preferred image? Plot a histogram of `preferred`.
# * Keep only the cells that respond significantly to natural scenes
#   (`result.peak["ptest_ns"] < 0.05`): do they prefer other images?
