"""What a table means: column roles from headers and cells, then records.

``columns`` is the one mechanism that says what a row means (the PDF table
finders call `assign_roles` / `reading_score` to choose between readings of a
page; see its docstring for the interface); ``rows`` walks the rows with it
and yields actions and KPIs; ``cells`` reads one cell's content.
"""
from .columns import ColumnAssignment, ColumnRole, assign_roles, looks_like_header, reading_score
from .rows import Interpretation, TableColumns, interpret_tables, is_header_row

__all__ = ["ColumnAssignment", "ColumnRole", "Interpretation", "TableColumns", "assign_roles", "interpret_tables",
           "is_header_row", "looks_like_header", "reading_score"]
