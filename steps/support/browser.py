"""Headless Chromium driven through the DevTools protocol over a pipe.

``--remote-debugging-pipe`` lets the browser scenarios talk to Chromium with
nothing but the standard library: no browser-automation package is needed.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import subprocess
import time
from pathlib import Path

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-pipe",
]
#: How long a page may take to load, draw its pictures or answer a search.
TIMEOUT_SECONDS = 30

# JavaScript run in the page: is an element laid out, not hidden and, for an image, loaded?
DRAWN = """
function drawn(element) {
  const box = element.getBoundingClientRect();
  const style = getComputedStyle(element);
  const laidOut = box.width > 0 && box.height > 0 && style.visibility !== "hidden";
  if (element.tagName === "IMG") return laidOut && element.complete && element.naturalWidth > 0;
  return laidOut;
}
"""


class Chromium:
    """Headless Chromium driven through the DevTools protocol.

    Chromium reads commands from file descriptor 3 and writes replies and
    events to descriptor 4, one JSON message each, ended by a NUL byte.
    """

    def __init__(self, executable: str, profile: Path) -> None:
        to_browser, self._commands = _pipe()
        self._replies, from_browser = _pipe()
        # bash puts the two pipe ends on the descriptors Chromium expects.
        launcher = f'exec "$0" "$@" 3<&{to_browser} 4>&{from_browser}'
        self.log = profile / "chromium.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                ["bash", "-c", launcher, executable, *CHROMIUM_FLAGS, f"--user-data-dir={profile}"],
                pass_fds=(to_browser, from_browser),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        os.close(to_browser)
        os.close(from_browser)
        self._buffer = b""
        self._next_id = 0

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        """Send one command and return its result; events that arrive meanwhile are dropped."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._receive()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method} failed: {reply['error']}")
                return reply["result"]

    def wait_for_event(self, method: str, session: str) -> dict:
        """Read messages until the tab ``session`` reports the event ``method``."""
        while True:
            message = self._receive()
            if message.get("method") == method and message.get("sessionId") == session:
                return message["params"]

    def _receive(self) -> dict:
        deadline = time.monotonic() + TIMEOUT_SECONDS
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([self._replies], [], [], max(remaining, 0))
            if not ready:
                raise TimeoutError(f"Chromium sent nothing for {TIMEOUT_SECONDS} s")
            chunk = os.read(self._replies, 1 << 16)
            if not chunk:
                log = self.log.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"Chromium exited with code {self.process.wait()}:\n{log}")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def open(self, url: str, width: int = 1280, height: int = 1000) -> str:
        """Open ``url`` in a new tab, wait for its load event and return the tab's session."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})
        session = session["sessionId"]
        self.send("Page.enable", session=session)
        metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}
        self.send("Emulation.setDeviceMetricsOverride", metrics, session)
        self.send("Page.navigate", {"url": url}, session)
        self.wait_for_event("Page.loadEventFired", session)
        return session

    def evaluate(self, session: str, expression: str) -> object:
        """The value of a JavaScript expression in the tab (a promise is awaited).

        The expression may call ``drawn(element)``.
        """
        reply = self.send(
            "Runtime.evaluate",
            {"expression": DRAWN + expression, "awaitPromise": True, "returnByValue": True},
            session,
        )
        if "exceptionDetails" in reply:
            raise RuntimeError(f"JavaScript failed: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def wait_until(self, session: str, condition: str) -> object:
        """Poll a JavaScript expression until it is truthy (or time runs out); return its value."""
        return self.evaluate(
            session,
            f"""new Promise((resolve) => {{
                const deadline = Date.now() + {TIMEOUT_SECONDS * 1000};
                const poll = () => {{
                    const value = ({condition});
                    if (value || Date.now() > deadline) resolve(value);
                    else setTimeout(poll, 100);
                }};
                poll();
            }})""",
        )

    def screenshot(self, session: str, path: Path, *, full_page: bool = True) -> None:
        """Save the whole page (or only what the window shows) as a PNG."""
        shot = self.send(
            "Page.captureScreenshot",
            {"format": "png", "captureBeyondViewport": full_page},
            session,
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(shot["data"]))

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except (RuntimeError, TimeoutError, OSError):
            self.process.kill()
        self.process.wait(timeout=TIMEOUT_SECONDS)
        os.close(self._commands)
        os.close(self._replies)


def _pipe() -> tuple[int, int]:
    """A pipe whose ends sit at descriptor 10 or above, clear of the 3 and 4 that the
    launcher redirects."""
    ends = []
    for end in os.pipe():
        ends.append(fcntl.fcntl(end, fcntl.F_DUPFD_CLOEXEC, 10))
        os.close(end)
    return ends[0], ends[1]
