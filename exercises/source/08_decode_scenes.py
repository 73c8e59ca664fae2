# %% [markdown]
# # Exercise 8: decode natural scenes from the population
#
# **Goal:** tell which image the mouse saw from the responses of all the cells together, with
# the simplest decoder there is — the nearest centroid.
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
import numpy as np

from brainobs.analysis import analyze_stimulus
from brainobs.exercises import check_decoding, split_trials

vc = brainobs.VisualCoding2P()

# %% [markdown]
# ## Context
#
# Each natural image was shown many times. On every trial the population of cells gives a
# vector of responses, one number per cell. Below, `x` holds those vectors (trials × cells;
# blank sweeps left out, missing values set to 0) and `y` the image of each trial. `train`
# marks the even-numbered presentations of each image: the decoder learns from them and is
# tested on the others (`~train`), which it has never seen.

# %%
exp_id = vc.experiments(session_types=["three_session_B"]).index[0]
exp = vc.experiment(exp_id)
result = analyze_stimulus(exp, "natural_scenes")
images = result.sweeps.table["frame"].to_numpy()
responses = result.sweeps.frame().drop(columns="dx").to_numpy()  # trials × cells
x = np.nan_to_num(responses[images >= 0])
y = images[images >= 0]
train = split_trials(y)
print(f"{x.shape[1]} cells; {int(train.sum())} training and {int((~train).sum())} test trials "
      f"of {len(np.unique(y))} images")

# %% [markdown]
# ## Your task
#
# 1. For every image, the **centroid**: the mean response vector of its training trials.
# 2. For every test trial, the decoded image: the one whose centroid is closest (Euclidean
#    distance).
# 3. Set `accuracy` to the fraction of test trials decoded right (between 0 and 1).

# %%
### BEGIN SOLUTION: accuracy
labels = np.unique(y[train])
centroids = np.stack([x[train & (y == k)].mean(axis=0) for k in labels])  # images × cells
test = x[~train]
distance = ((test[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)  # trials × images
decoded = labels[distance.argmin(axis=1)]
accuracy = np.mean(decoded == y[~train])
print(f"accuracy {accuracy:.1%} (chance {1 / len(labels):.1%})")
### END SOLUTION

# %%
check_decoding(accuracy, experiment_id=exp_id)

# %% [markdown]
# ## Going further
#
# * Decode with fewer cells (`x[:, :10]`): how fast does the accuracy fall?
# * Try the correlation between a trial and each centroid instead of the distance.
