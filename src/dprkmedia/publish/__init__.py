"""publish: what describes the dataset — the dataset card, the generated summaries and croissant.json."""
