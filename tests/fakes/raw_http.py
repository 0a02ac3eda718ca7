"""An HTTP/1.1 request written byte for byte, for headers a polite client will not send (non-ASCII bytes)."""

from __future__ import annotations

import asyncio


async def raw_post(port: int, path: str, body: bytes, headers: dict[str, bytes]) -> tuple[int, bytes]:
    """POST ``body`` to 127.0.0.1:``port`` with ``headers`` exactly as given; (status, response body)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        head = [f"POST {path} HTTP/1.1".encode(), f"Host: 127.0.0.1:{port}".encode(), b"Connection: close",
                f"Content-Length: {len(body)}".encode()]
        head += [name.encode() + b": " + value for name, value in headers.items()]
        writer.write(b"\r\n".join(head) + b"\r\n\r\n" + body)
        await writer.drain()
        response = await asyncio.wait_for(reader.read(), 30)
    finally:
        writer.close()
    status_line, _, rest = response.partition(b"\r\n")
    return int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2]
