"""The HTTP protocol of ``clearance serve``: uvicorn's h11 protocol with TCP_NODELAY set.

Why: with several workers uvicorn binds the listening socket itself, without naming the TCP
protocol, and asyncio then leaves Nagle's algorithm on for the accepted connections (it sets
TCP_NODELAY only on sockets whose ``proto`` is IPPROTO_TCP). A response goes out as two writes
(headers, then body); Nagle holds the body until the client acknowledges the headers, and the
client delays that acknowledgement by up to 40 ms. On a keep-alive connection every answer then
waited ~40 ms (measured: /match p50 44 ms while the server was idle). Setting TCP_NODELAY on each
connection removes the stall.
"""

from __future__ import annotations

import asyncio
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol


def set_nodelay(transport: asyncio.BaseTransport) -> bool:
    """Switch Nagle's algorithm off on the transport's TCP socket; False when not TCP."""
    sock = transport.get_extra_info("socket")
    if sock is None or sock.family not in (socket.AF_INET, socket.AF_INET6):
        return False
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except OSError:
        return False
    return True


class NoDelayH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, with TCP_NODELAY on every connection."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        set_nodelay(transport)
        super().connection_made(transport)


HTTP_PROTOCOL = "clearance.api.tcp:NoDelayH11Protocol"
"""The ``http=`` setting ``clearance serve`` gives uvicorn."""
