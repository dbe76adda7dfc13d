"""Tests never reach the network: the guard in tests/conftest.py makes any connection to a
non-loopback address fail, while local servers the tests start keep working."""
from __future__ import annotations

import socket

import pytest
from network_guard import NetworkCallInTest


def test_network_calls_fail_in_tests():
    with pytest.raises(NetworkCallInTest):
        socket.create_connection(("192.0.2.1", 80), timeout=1)     # TEST-NET-1: never a real host
    with pytest.raises(NetworkCallInTest):
        socket.socket().connect(("8.8.8.8", 53))


def test_loopback_connections_still_work():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    client = socket.create_connection(server.getsockname(), timeout=2)
    client.close()
    server.close()
