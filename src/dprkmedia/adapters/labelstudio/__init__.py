"""adapters.labelstudio."""
