# %% [markdown]
# # Exercise 1: find the experiment containers of an area and a cell type
#
# **Goal:** filter the dataset's tables to find the imaging sessions of one cell type in one
# visual area.
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
from brainobs.exercises import check_containers

vc = brainobs.VisualCoding2P()

# %% [markdown]
# ## Context
#
# An **experiment container** is one field of view in one mouse — one visual area (the
# *targeted structure*), one depth, one cell type (the *cre line*) — imaged in three sessions.
# `vc.containers()` lists them, one row per container, with the container id as the index.
# Containers that failed quality control are left out unless you ask for them.

# %%
containers = vc.containers()
cre_line, area = containers.iloc[0][["cre_line", "targeted_structure"]]
print(f"{len(containers)} containers. Your cell type: {cre_line}; your area: {area}.")

# %% [markdown]
# ## Your task
#
# Set `answer` to the ids of the containers of `cre_line` cells imaged in `area` (a list, an
# array or a pandas Index of container ids; quality-control failures left out).
#
# *Help:* `help(vc.containers)` lists the filters.

# %%
### BEGIN SOLUTION: answer
chosen = vc.containers(cre_lines=[cre_line], targeted_structures=[area])
answer = chosen.index
print(f"{len(answer)} container(s) of {cre_line} cells in {area}")
### END SOLUTION

# %%
check_containers(answer, cre_line=cre_line, area=area)

# %% [markdown]
# ## Going further
#
# * Which areas were imaged for your cre line? Try `vc.choices()` and filter by cre line only.
# * How many containers does `include_failed=True` add?
