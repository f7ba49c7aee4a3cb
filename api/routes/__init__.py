"""One router per resource, mounted in :mod:`api.app`."""
