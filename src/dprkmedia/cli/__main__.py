"""``python -m dprkmedia.cli``: the same as the ``dprkmedia`` command."""

import sys

from dprkmedia.cli.main import main

sys.exit(main())
