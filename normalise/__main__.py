"""``python -m normalise``."""

import sys

from .cli import main

sys.exit(main())
