"""adapters.site: the classroom viewer, a static site made from the built dataset."""
