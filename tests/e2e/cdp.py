"""A small driver for Debian's headless Chromium over the DevTools protocol,
for tests that act like a reader: type into forms, press buttons, follow the
redirects, look at what is drawn. One browser = one reader: cookies persist
between pages like in a real session.

    with Browser() as b:
        b.navigate(base + "/signup")
        b.fill("input[name=username]", "ada")
        b.click("form button[type=submit]")      # waits for the next page
        assert "ada" in b.visible_text()
"""
import base64
import json
import queue
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.request

import websocket  # the websocket-client package

from browser import CHROMIUM, FLAGS


class CDPError(RuntimeError):
    """The browser refused a command, or a script on the page threw."""


class CDPTimeout(CDPError):
    """Something we waited for (a page load, an answer) did not happen in time."""


class Browser:
    def __init__(self, width=1280, height=900, mobile=False, timeout=30.0):
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="quire-cdp-")
        # Port 0: Chromium picks a free port and prints it, so parallel tests never collide.
        self.process = subprocess.Popen(
            [CHROMIUM, *FLAGS, "--remote-debugging-port=0", f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        # A thread keeps reading stderr: it hands over the DevTools line, and
        # keeps the pipe drained so a chatty Chromium never blocks on a full pipe.
        lines, self.stderr_tail = queue.Queue(), []
        threading.Thread(target=self._read_stderr, args=(lines,), daemon=True).start()
        try:
            endpoint = self._devtools_endpoint(lines)
            port = endpoint.split(":")[2].split("/")[0]
            # Newer Chromium only accepts PUT for /json/new.
            request = urllib.request.Request(f"http://127.0.0.1:{port}/json/new?about:blank", method="PUT")
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                target = json.load(answer)
            # suppress_origin: Chromium refuses DevTools sockets whose Origin it was not told to allow.
            self.ws = websocket.create_connection(target["webSocketDebuggerUrl"], timeout=self.timeout, suppress_origin=True)
        except BaseException:
            self.close()
            raise
        self.next_id, self.events = 0, []
        self.status = None  # HTTP status of the last main document
        self.send("Page.enable")
        self.send("Network.enable")  # for the status of each page we land on
        self.set_viewport(width, height, mobile)

    def _read_stderr(self, lines):
        for line in self.process.stderr:
            lines.put(line)
            self.stderr_tail = (self.stderr_tail + [line])[-30:]

    def _devtools_endpoint(self, lines) -> str:
        deadline = time.time() + self.timeout
        while time.time() < deadline:
            try:
                line = lines.get(timeout=0.2)
            except queue.Empty:
                if self.process.poll() is not None:
                    raise CDPError(f"chromium exited with {self.process.returncode}:\n{''.join(self.stderr_tail)}")
                continue
            if line.startswith("DevTools listening on "):
                return line.split(" on ", 1)[1].strip()
        raise CDPTimeout(f"chromium printed no DevTools address within {self.timeout} s:\n{''.join(self.stderr_tail)}")

    # -- the protocol: commands get answers with the same id; everything else is an event

    def _receive(self, deadline, waiting_for):
        self.ws.settimeout(max(0.05, deadline - time.time()))
        try:
            message = json.loads(self.ws.recv())
        except websocket.WebSocketTimeoutException:
            raise CDPTimeout(f"no {waiting_for} within {self.timeout} s") from None
        if message.get("method") == "Network.responseReceived" and message["params"].get("type") == "Document":
            self.status = message["params"]["response"]["status"]
        return message

    def send(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        deadline = time.time() + self.timeout
        while True:
            message = self._receive(deadline, f"answer to {method}")
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise CDPError(f"{method} failed: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def wait_for_event(self, name):
        deadline = time.time() + self.timeout
        while True:
            for i, event in enumerate(self.events):
                if event["method"] == name:
                    del self.events[:i + 1]
                    return event["params"]
            self.events.append(self._receive(deadline, name))

    # -- what a test does

    def set_viewport(self, width, height, mobile=False):
        """The page's window size; mobile honours <meta name=viewport> like a phone does."""
        self.width, self.height = width, height
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=mobile)

    def navigate(self, url):
        self.events.clear()
        self.status = None
        result = self.send("Page.navigate", url=url)
        if result.get("errorText"):
            raise CDPError(f"could not open {url}: {result['errorText']}")
        self._wait_for_load(f"load of {url}")

    def _wait_for_load(self, what):
        try:
            self.wait_for_event("Page.loadEventFired")
        except CDPTimeout as error:
            raise CDPTimeout(f"{what}: {error}") from None
        # Belt and braces: the new document is the one scripts now run in.
        deadline = time.time() + self.timeout
        while self.evaluate("document.readyState") != "complete":
            if time.time() > deadline:
                raise CDPTimeout(f"{what}: document never became complete")
            time.sleep(0.05)

    def evaluate(self, expression):
        """Runs JavaScript in the page; returns its (awaited) value as JSON-like Python."""
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            raise CDPError(f"script failed: {details.get('exception', {}).get('description') or details.get('text')}")
        return result["result"].get("value")

    def _element(self, selector):
        # The selector travels as JSON, so quotes in it cannot break the script.
        return (f"(() => {{ const el = document.querySelector({json.dumps(selector)});"
                f" if (!el) throw new Error('no element matches ' + {json.dumps(selector)}); return el; }})()")

    def fill(self, selector, text):
        """Types into a field the way a page's scripts would see it: value set, input event fired."""
        self.evaluate(f"(() => {{ const el = {self._element(selector)}; el.focus(); el.value = {json.dumps(text)};"
                      " el.dispatchEvent(new Event('input', {bubbles: true})); })()")

    def click(self, selector, navigates=True):
        """Clicks an element; by default waits for the page the click leads to (a form submit)."""
        self.events.clear()
        if navigates:
            self.status = None
        problem = self.evaluate(f"""(() => {{
            const el = {self._element(selector)};
            // A form the browser would refuse to send (a required field empty) would
            // just never navigate: say which field instead of timing out.
            const form = el.form;
            if (form && !form.checkValidity())
                return [...form.elements].filter(e => !e.checkValidity()).map(e => e.name + ': ' + e.validationMessage).join('; ');
            el.click();
            return null; }})()""")
        if problem:
            raise CDPError(f"the form of {selector} is not valid: {problem}")
        if navigates:
            self._wait_for_load(f"page after clicking {selector}")

    def set_files(self, selector, paths):
        """Chooses files in an <input type=file>, as the file picker would."""
        root = self.send("DOM.getDocument", depth=0)["root"]["nodeId"]
        node = self.send("DOM.querySelector", nodeId=root, selector=selector)["nodeId"]
        if not node:
            raise CDPError(f"no element matches {selector}")
        self.send("DOM.setFileInputFiles", files=[str(p) for p in paths], nodeId=node)

    def visible_text(self):
        return self.evaluate("document.body.innerText")

    def scroll_to(self, selector):
        """Scrolls so the element sits in the middle of the window (as far as the page allows)."""
        self.evaluate(f"{self._element(selector)}.scrollIntoView({{block: 'center', behavior: 'instant'}})")

    def box(self, selector):
        """The element's box in viewport pixels, as drawn right now (no scrolling,
        so it matches a screenshot taken at the same scroll position)."""
        return self.evaluate(f"""(() => {{ const r = {self._element(selector)}.getBoundingClientRect();
            return {{x: r.x, y: r.y, width: r.width, height: r.height}}; }})()""")

    def screenshot(self, path):
        """A PNG of the viewport as it is drawn now."""
        data = self.send("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as file:
            file.write(base64.b64decode(data))
        return path

    def close(self):
        if getattr(self, "ws", None):
            try:
                self.ws.close()
            except Exception:
                pass
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
