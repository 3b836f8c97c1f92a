"""Serving an ASGI app in the foreground (``bots serve``, ``bots erp-demo``)."""

from __future__ import annotations

import socket
from typing import Any

from backoffice.errors import ConfigError


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port``; a port in use or a host that is not this machine's is
    bad configuration (exit 2, one line), not a server that fails to start."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
    except OSError as exc:
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock


def serve_forever(app: Any, sock: socket.socket, *, log_level: str = "warning") -> None:
    """Run ``app`` under uvicorn on ``sock`` (from ``listening_socket``, bound before anything
    is printed) until Ctrl-C or SIGTERM."""
    import uvicorn

    host, port = sock.getsockname()[:2]
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level=log_level))
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
