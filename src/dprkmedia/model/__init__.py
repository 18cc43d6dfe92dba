"""model: the data model — the taxonomy, typed records, JSON Schemas, TIMEX3 syntax and the issue catalogue."""
