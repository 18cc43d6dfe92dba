"""evaluate: comparing annotations — span scores, agreement between passes and the rule-based pre-annotator."""
