"""validation: every check of a repository, from the raw JSON of each record to the whole tree, as located issues."""
