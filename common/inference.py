"""Deprecated alias, kept for one release: this module moved to ``easyds.inference`` (the product package; the training
core knows nothing of EasyDS). Import from there; this alias goes in the next release. The layer test allows these
aliases by name (tests/test_layers.py, DEPRECATED_ALIASES)."""
import warnings

from easyds.inference import *  # noqa: E402,F401,F403
from easyds.situations import *  # noqa: E402,F401,F403

warnings.warn("common.inference moved to easyds.inference; import from there (this alias goes in the next release)",
              FutureWarning, stacklevel=2)
