"""The class report (``dprkmedia class-report``): a class's answers in, one HTML page out."""
