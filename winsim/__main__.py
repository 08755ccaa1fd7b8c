"""Entry point: `python -m winsim start|stop|state|metrics|faults ...`."""

import sys

from winsim.cli import main

sys.exit(main())
