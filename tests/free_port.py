"""A TCP port that is free now, for the rendezvous of test process groups.

Fixed ports collide when two test runs overlap on one machine; the OS picks
an unused one instead (it stays free until a process group binds it, in
practice at once).
"""
import socket


def free_port() -> int:
    """An unused localhost port, chosen by the operating system."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]
