"""Fetching newly published committee papers from a ModernGov site."""
