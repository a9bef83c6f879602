"""Staged readers: PDF/DOCX -> tables with provenance -> raw action and KPI records."""
