"""Datasets rebuilt across documents after a run: officers, same plan twice, lineage, flags."""
