"""Headless Chromium driven over the DevTools protocol, with the standard library only.

Chromium started with ``--remote-debugging-pipe`` reads protocol commands from file
descriptor 3 and writes replies and events to descriptor 4, each message a JSON text ended
by a NUL byte. That needs no websocket client and no browser download: the Debian
``chromium`` package is enough. A reader thread files every message by its ``id`` (a reply)
or keeps it (an event), so the tests can ask what happened on a page after loading it.

Example:
    >>> with Browser.start() as browser:                       # doctest: +SKIP
    ...     page = browser.open("file:///tmp/view.html")
    ...     page.errors                                         # uncaught exceptions
    ...     page.screenshot(Path("view.png"))
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

__all__ = ["Browser", "BrowserError", "Page", "find_chromium"]

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Headless, and nothing that calls home: no first-run, sync, component or QUIC traffic.
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
    "--remote-debugging-pipe",
)


class BrowserError(RuntimeError):
    """The browser did not answer, or answered a command with an error."""


def find_chromium() -> str | None:
    """The Chromium to use: ``$CHROMIUM`` if set, else the first of CANDIDATES on PATH."""
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else shutil.which(explicit)
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


class Browser:
    """One headless Chromium process and its protocol pipe."""

    def __init__(self, process: subprocess.Popen, to_browser, from_browser, profile: str):
        self._process = process
        self._out = to_browser
        self._in = from_browser
        self._profile = profile
        self._next_id = 0
        self._lock = threading.Lock()
        self._replies: dict[int, dict] = {}
        self._events: list[dict] = []
        self._arrived = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    @classmethod
    def start(cls, executable: str | None = None) -> Browser:
        executable = executable or find_chromium()
        if not executable:
            raise BrowserError("No Chromium found: install it (apt-get install chromium) or "
                               "set CHROMIUM to its path.")
        profile = tempfile.mkdtemp(prefix="nr-chromium-")
        cmd_read, cmd_write = os.pipe()
        reply_read, reply_write = os.pipe()

        def wire_pipes():  # runs in the child: the protocol wants exactly fds 3 and 4
            # Through copies above 4, so that neither end can overwrite the other.
            high_read = fcntl.fcntl(cmd_read, fcntl.F_DUPFD, 10)
            high_write = fcntl.fcntl(reply_write, fcntl.F_DUPFD, 10)
            os.dup2(high_read, 3)
            os.dup2(high_write, 4)

        process = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={profile}", "--window-size=1280,900",
             "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=wire_pipes, pass_fds=(3, 4),  # kept open after wire_pipes
        )
        os.close(cmd_read)
        os.close(reply_write)
        return cls(process, os.fdopen(cmd_write, "wb", buffering=0),
                   os.fdopen(reply_read, "rb", buffering=0), profile)

    def _read(self) -> None:
        buffer = b""
        while True:
            chunk = self._in.read(65536)
            if not chunk:
                break
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            with self._arrived:
                for raw in messages:
                    message = json.loads(raw)
                    if "id" in message:
                        self._replies[message["id"]] = message
                    else:
                        self._events.append(message)
                self._arrived.notify_all()
        with self._arrived:  # the browser is gone: wake anyone waiting
            self._arrived.notify_all()

    def send(self, method: str, params: dict | None = None, *, session: str | None = None,
             timeout: float = 20.0) -> dict:
        """Send one command and wait for its reply; the reply's ``result``."""
        with self._lock:
            self._next_id += 1
            number = self._next_id
        message: dict[str, Any] = {"id": number, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self._out.write(json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        with self._arrived:
            while number not in self._replies:
                left = deadline - time.monotonic()
                if left <= 0 or self._process.poll() is not None:
                    raise BrowserError(f"No reply to {method} within {timeout:.0f} s.")
                self._arrived.wait(left)
            reply = self._replies.pop(number)
        if "error" in reply:
            raise BrowserError(f"{method} failed: {reply['error'].get('message')}")
        return reply.get("result", {})

    def events(self, session: str, method: str) -> list[dict]:
        """The params of every event of ``method`` received so far for ``session``."""
        with self._arrived:
            return [e["params"] for e in self._events
                    if e.get("sessionId") == session and e.get("method") == method]

    def wait_event(self, session: str, method: str, timeout: float = 20.0) -> dict:
        deadline = time.monotonic() + timeout
        with self._arrived:
            while True:
                for e in self._events:
                    if e.get("sessionId") == session and e.get("method") == method:
                        return e["params"]
                left = deadline - time.monotonic()
                if left <= 0:
                    raise BrowserError(f"No {method} event within {timeout:.0f} s.")
                self._arrived.wait(left)

    def open(self, url: str, *, width: int = 1280, height: int = 900) -> Page:
        """A new tab showing ``url``, loaded, with errors and requests being recorded."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget",
                            {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable", session=session)
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
                  session=session)
        page = Page(self, session)
        self.send("Page.navigate", {"url": url}, session=session)
        self.wait_event(session, "Page.loadEventFired", timeout=30)
        return page

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=5)
        except BrowserError:
            pass
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._out.close()
        shutil.rmtree(self._profile, ignore_errors=True)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Page:
    """One tab: evaluate scripts, send input, read errors, take screenshots."""

    def __init__(self, browser: Browser, session: str):
        self.browser = browser
        self.session = session

    def send(self, method: str, params: dict | None = None) -> dict:
        return self.browser.send(method, params, session=self.session)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression (JSON-serialisable; promises awaited)."""
        result = self.send("Runtime.evaluate", {"expression": expression,
                                                "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise BrowserError(f"Script failed: {_describe(result['exceptionDetails'])}")
        return result["result"].get("value")

    @property
    def errors(self) -> list[str]:
        """Uncaught exceptions, console.error calls and error log entries, in order."""
        out = [_describe(e["exceptionDetails"])
               for e in self.browser.events(self.session, "Runtime.exceptionThrown")]
        out += ["console.error: " + " ".join(str(a.get("value", a.get("description", "")))
                                             for a in e["args"])
                for e in self.browser.events(self.session, "Runtime.consoleAPICalled")
                if e["type"] == "error"]
        out += [f"log: {e['entry']['text']} {e['entry'].get('url', '')}".strip()
                for e in self.browser.events(self.session, "Log.entryAdded")
                if e["entry"]["level"] == "error"]
        return out

    @property
    def requests(self) -> list[str]:
        """Every URL the page asked for, the page itself included."""
        return [e["request"]["url"]
                for e in self.browser.events(self.session, "Network.requestWillBeSent")]

    def mouse(self, kind: str, x: float, y: float, **extra) -> None:
        """One mouse event at viewport coordinates (mouseMoved, mousePressed, mouseWheel...)."""
        self.send("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, **extra})

    def drag(self, start: tuple[float, float], end: tuple[float, float], steps: int = 6) -> None:
        (x0, y0), (x1, y1) = start, end
        self.mouse("mouseMoved", x0, y0)
        self.mouse("mousePressed", x0, y0, button="left", buttons=1, clickCount=1)
        for i in range(1, steps + 1):
            self.mouse("mouseMoved", x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps,
                       button="left", buttons=1)
        self.mouse("mouseReleased", x1, y1, button="left", buttons=0, clickCount=1)

    def screenshot(self, path: Path, *, selector: str | None = None) -> Path:
        """A PNG of the whole page, or of the element ``selector`` names."""
        params: dict[str, Any] = {"format": "png", "captureBeyondViewport": True}
        if selector:
            box = self.evaluate(
                f"(() => {{ const r = document.querySelector({json.dumps(selector)})"
                ".getBoundingClientRect(); return [r.left + scrollX, r.top + scrollY, "
                "r.width, r.height]; })()")
            params["clip"] = {"x": box[0], "y": box[1], "width": box[2], "height": box[3],
                              "scale": 1}
        else:
            size = self.send("Page.getLayoutMetrics")["cssContentSize"]
            params["clip"] = {"x": 0, "y": 0, "width": size["width"],
                              "height": min(size["height"], 16000), "scale": 1}
        data = self.send("Page.captureScreenshot", params)["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path


def _describe(details: dict) -> str:
    exception = details.get("exception") or {}
    text = exception.get("description") or details.get("text", "")
    return f"{text} (line {details.get('lineNumber')}, {details.get('url', 'inline')})"
