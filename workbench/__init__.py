"""Machine learning for network security: detect, explain, audit and generate flows.

The core is importable without ipywidgets or a display; the notebook panels live in the
separate ``widgets`` package.
"""

from __future__ import annotations

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
