"""``clearance serve`` switches Nagle's algorithm off on every connection (clearance.api.tcp)."""

from __future__ import annotations

import asyncio
import socket

from clearance.api.tcp import NoDelayH11Protocol, set_nodelay


def _nodelay(sock: socket.socket) -> int:
    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


def test_accepted_connections_get_tcp_nodelay() -> None:
    async def scenario() -> tuple[int, int]:
        # bound like uvicorn binds for several workers: proto 0, so asyncio leaves Nagle on
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind(("127.0.0.1", 0))
        seen: dict[str, int] = {}

        class Probe(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                sock = transport.get_extra_info("socket")
                seen["before"] = _nodelay(sock)
                set_nodelay(transport)
                seen["after"] = _nodelay(sock)
                transport.close()

        server = await asyncio.get_running_loop().create_server(Probe, sock=listener)
        port = listener.getsockname()[1]
        _reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for _ in range(100):
            if "after" in seen:
                break
            await asyncio.sleep(0.01)
        writer.close()
        server.close()
        await server.wait_closed()
        return seen["before"], seen["after"]

    before, after = asyncio.run(scenario())
    assert before == 0  # the stall this module exists for
    assert after != 0


def test_the_protocol_is_uvicorns_h11_with_nodelay() -> None:
    from uvicorn.protocols.http.h11_impl import H11Protocol

    assert issubclass(NoDelayH11Protocol, H11Protocol)
    assert "connection_made" in NoDelayH11Protocol.__dict__
