"""What azure-ai-ml 1.4 uses of pydash (get, omit, objects.set_), for the contract test run only.

Debian's python3-azure ships azure-ai-ml, which imports pydash at load; Debian has no pydash package and the
Python package index is not reachable here or in CI. The test puts this folder on PYTHONPATH (see ../README.md);
nothing of aci-migrate imports it. The three functions behave as pydash 5's do for the paths azure-ai-ml passes:
dotted keys into dicts, attributes and list indices.
"""
from . import objects
from .objects import get, omit, set_

__all__ = ["get", "omit", "set_", "objects"]
