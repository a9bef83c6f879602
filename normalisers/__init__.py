"""Pure, table-driven normalisers for dates, officers and divisions."""
