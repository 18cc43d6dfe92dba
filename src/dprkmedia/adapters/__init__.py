"""adapters: the dataset in other tools — Label Studio, export formats (SemEval, CoNLL, spaCy) and the static site."""
