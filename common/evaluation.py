"""Deprecated alias, kept for one release: this module moved to ``easyds.evaluate, easyds.judges and
easyds.rubric`` (the product package; the training core knows nothing of EasyDS). Import from there; this alias goes in the next release. The layer test allows these
aliases by name (tests/test_layers.py, DEPRECATED_ALIASES)."""
import warnings

from easyds.evaluate import *  # noqa: E402,F401,F403
from easyds.judges import *  # noqa: E402,F401,F403
from easyds.rubric import *  # noqa: E402,F401,F403
from easyds.situations import *  # noqa: E402,F401,F403

warnings.warn("common.evaluation moved to easyds.evaluate, easyds.judges and easyds.rubric; import from there (this "
              "alias goes in the next release)", FutureWarning, stacklevel=2)
