"""pydash.objects' get, omit and set_, as azure-ai-ml 1.4 calls them (see __init__.py)."""

_MISSING = object()


def _keys(path):
    if isinstance(path, (list, tuple)):
        return list(path)
    return [part for part in str(path).replace("[", ".").replace("]", "").split(".") if part != ""]


def _child(obj, key):
    if isinstance(obj, dict):
        return obj.get(key, _MISSING)
    if isinstance(obj, (list, tuple)):
        try:
            return obj[int(key)]
        except (ValueError, IndexError):
            return _MISSING
    return getattr(obj, str(key), _MISSING)


def get(obj, path, default=None):
    """The value at a dotted path (dict keys, list indices, attributes), else default."""
    for key in _keys(path):
        obj = _child(obj, key)
        if obj is _MISSING:
            return default
    return obj


def omit(obj, *paths):
    """A shallow copy of a dict without the given top-level keys (one key, or lists of keys)."""
    drop = set()
    for path in paths:
        drop.update(path if isinstance(path, (list, tuple, set)) else [path])
    return {k: v for k, v in dict(obj or {}).items() if k not in drop}


def set_(obj, path, value):
    """Sets the value at a dotted path, making the dicts on the way; returns obj."""
    keys = _keys(path)
    here = obj
    for key in keys[:-1]:
        nxt = _child(here, key)
        if nxt is _MISSING or nxt is None:
            nxt = {}
            if isinstance(here, dict):
                here[key] = nxt
            else:
                setattr(here, key, nxt)
        here = nxt
    if isinstance(here, dict):
        here[keys[-1]] = value
    elif isinstance(here, list):
        here[int(keys[-1])] = value
    else:
        setattr(here, keys[-1], value)
    return obj
