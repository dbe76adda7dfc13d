"""The guard tests/conftest.py installs: a connection to anything but this machine fails."""
from __future__ import annotations

import ipaddress


class NetworkCallInTest(RuntimeError):
    """Raised when a test tries to reach anything but this machine."""


def _loopback(address) -> bool:
    if not isinstance(address, tuple):          # a Unix socket path
        return True
    host = address[0]
    if host in ("localhost", "", None):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False                            # a host name other than localhost: a real lookup


def guarded(original):
    def connect(self, address):
        if not _loopback(address):
            raise NetworkCallInTest(f"a test tried to connect to {address!r}: tests must not use the network")
        return original(self, address)
    return connect
