# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # Which commitments slipped between the 2010/11 and 2011/12 plans?
#
# Dudley's cross-council equality plan was published for 2010/11 and again
# for 2011/12. `action_lineage` links each commitment of one edition to the
# same commitment in the next; an earlier commitment with no link disappeared.
# Run `python -m pipeline ingest data/raw --out data/processed` first, or set
# `PIPELINE_DATA` to another output root.

# %%
import os

import matplotlib
import matplotlib.pyplot as plt

from pipeline.audit.query import connect

con = connect(os.environ.get("PIPELINE_DATA", "data/processed"))
editions = con.sql("""
    SELECT DISTINCT f.source_name AS earlier, t.source_name AS later, f.doc_id AS earlier_id, t.doc_id AS later_id
    FROM action_lineage l JOIN documents f ON f.doc_id = l.from_doc_id JOIN documents t ON t.doc_id = l.to_doc_id
    WHERE f.source_name LIKE '%2010-11%' AND t.source_name LIKE '%2011-12%'
""").df()
editions

# %% [markdown]
# Every commitment of the 2010/11 plan, with what became of it in 2011/12.

# %%
earlier_id, later_id = editions.loc[0, "earlier_id"], editions.loc[0, "later_id"]
fate = con.execute("""
    SELECT a.ref, a.action, a.due_month AS due_2010_11, l.to_due_month AS due_2011_12,
           CASE WHEN l.from_action_id IS NULL THEN 'disappeared'
                WHEN l.slipped THEN 'slipped'
                WHEN l.to_due_month < l.from_due_month THEN 'brought forward'
                ELSE 'kept its date' END AS fate,
           date_diff('month', a.due_month, l.to_due_month) AS months_later
    FROM actions a
    LEFT JOIN action_lineage l ON l.from_action_id = a.action_id AND l.to_doc_id = ?
    WHERE a.doc_id = ?
    ORDER BY months_later DESC NULLS LAST
""", [later_id, earlier_id]).df()
fate

# %%
slipped = fate[fate.fate == "slipped"]
slipped[["ref", "action", "due_2010_11", "due_2011_12", "months_later"]]

# %%
matplotlib.use("Agg")
counts = fate.fate.value_counts()
figure, axes = plt.subplots(1, 2, figsize=(10, 3.5))
counts.plot.bar(ax=axes[0], color="#4C72B0", title="2010/11 commitments in the 2011/12 plan")
slipped.months_later.plot.hist(ax=axes[1], bins=range(0, 25, 3), color="#DD8452",
                               title="How far the slipped ones moved (months)")
figure.tight_layout()
counts
