"""A TCP listener on one address and port: accepts connections, optionally speaks TLS, one thread each.

Written directly on sockets (not socketserver) so that stop() is immediate: closing the listening socket wakes
accept(), and shutting down every live connection wakes its thread, however many hosts a fleet has.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import ssl
import threading
from collections.abc import Callable

LOG = logging.getLogger("winsim.wsman")
TLS_HANDSHAKE_TIMEOUT_S = 30


class Listener:
    def __init__(self, address: str, port: int, serve: Callable[[socket.socket, tuple], None],
                 tls: ssl.SSLContext | None = None) -> None:
        self.address = address
        self.tls = tls
        self._serve = serve
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self._sock.bind((address, port))
            self._sock.listen(128)
        except OSError:
            self._sock.close()
            raise
        self.port: int = self._sock.getsockname()[1]
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._stopped = False
        self._thread = threading.Thread(target=self._accept_loop, name=f"winsim-listen-{address}:{self.port}",
                                        daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _accept_loop(self) -> None:
        while True:
            try:
                conn, peer = self._sock.accept()
            except OSError:
                return  # the listening socket was closed by stop()
            with self._lock:
                if self._stopped:
                    conn.close()
                    return
                self._connections.add(conn)
            threading.Thread(target=self._connection, args=(conn, peer), daemon=True,
                             name=f"winsim-conn-{self.address}:{self.port}").start()

    def _connection(self, conn: socket.socket, peer: tuple) -> None:
        sock = conn
        try:
            if self.tls is not None:
                conn.settimeout(TLS_HANDSHAKE_TIMEOUT_S)
                sock = self.tls.wrap_socket(conn, server_side=True, do_handshake_on_connect=False)
                with self._lock:  # wrapping moved the descriptor: stop() must now shut down the TLS socket
                    self._connections.discard(conn)
                    self._connections.add(sock)
                    if self._stopped:
                        raise OSError("the listener stopped during the TLS handshake")
                sock.do_handshake()
                sock.settimeout(None)
            self._serve(sock, peer)
        except (OSError, ssl.SSLError) as exc:
            LOG.debug("connection from %s to %s:%s ended: %s", peer, self.address, self.port, exc)
        except Exception:
            LOG.exception("connection from %s to %s:%s failed", peer, self.address, self.port)
        finally:
            with self._lock:
                self._connections.discard(conn)
                self._connections.discard(sock)
            for s in {sock, conn}:
                with contextlib.suppress(OSError):
                    s.close()

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            connections = list(self._connections)
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)
        self._sock.close()
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
