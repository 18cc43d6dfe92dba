"""corpus: reading a repository — its layout, JSON-lines files, raw pages, metadata, tokens and released documents."""
