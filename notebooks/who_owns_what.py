# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # Who owns what across a council?
#
# Every owner named in any of a council's plans, reconciled across spellings
# and documents (`officers`), with their actions counted once even where the
# same plan was published twice (`actions` leaves out `duplicate_of` rows).
# Run `python -m pipeline ingest data/raw --out data/processed` first, or set
# `PIPELINE_DATA` to another output root.

# %%
import os

import matplotlib
import matplotlib.pyplot as plt

from pipeline.audit.query import connect

con = connect(os.environ.get("PIPELINE_DATA", "data/processed"))
councils = con.sql("""
    SELECT council, count(DISTINCT doc_id) AS plans, count(*) AS actions
    FROM actions WHERE council IS NOT NULL GROUP BY council ORDER BY actions DESC
""").df()
councils

# %% [markdown]
# The council with the most actions, owner by owner: how many actions each
# owns, in how many plans, and how many are overdue as the data stands today.

# %%
council = councils.loc[0, "council"]
owners = con.execute("""
    SELECT o.name, o.kind, count(*) AS actions, count(DISTINCT a.doc_id) AS plans,
           count(*) FILTER (WHERE a.action_id IN (SELECT action_id FROM overdue_actions)) AS overdue,
           any_value([v FOR v IN o.variants IF v <> o.name]) AS other_spellings
    FROM actions a JOIN action_officers ao USING (action_id) JOIN officers o USING (officer_id)
    WHERE a.council = ?
    GROUP BY o.name, o.kind ORDER BY actions DESC, o.name
""", [council]).df()
owners.head(15)

# %% [markdown]
# People, roles and teams share the work differently: a named person is
# accountable; a role or a team ("All Managers") is diffuse.

# %%
by_kind = owners.groupby("kind")["actions"].sum()
by_kind

# %%
matplotlib.use("Agg")
top = owners.head(12).iloc[::-1]
figure, axis = plt.subplots(figsize=(8, 5))
colours = top.kind.map({"person": "#4C72B0", "role": "#DD8452", "team": "#55A868"})
axis.barh(top.name, top.actions, color=colours)
axis.set_xlabel("actions owned")
axis.set_title(f"Who owns what: {council}")
figure.tight_layout()
top[["name", "kind", "actions"]]
