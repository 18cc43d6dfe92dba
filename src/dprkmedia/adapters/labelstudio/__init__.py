"""adapters.labelstudio: the Label Studio labeling config, tasks out, exports back in, and the server round trip."""
