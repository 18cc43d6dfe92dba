"""adapters.site."""
