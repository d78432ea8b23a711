"""Headless Chromium (Debian's `chromium`) for the page tests: the DOM after
rendering, and screenshots decoded with the standard library."""
import shutil
import struct
import subprocess
import zlib

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "chromium"
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
         "--disable-dev-shm-usage", "--mute-audio", "--disable-extensions"]


def dump_dom(url: str) -> str:
    result = subprocess.run([CHROMIUM, *FLAGS, "--dump-dom", url], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def screenshot(url: str, path, width: int = 1280, height: int = 1000) -> "Image":
    subprocess.run([CHROMIUM, *FLAGS, f"--screenshot={path}", f"--window-size={width},{height}", url],
                   capture_output=True, timeout=60, check=True)
    return Image.read(path)


class Image:
    """An 8-bit RGB(A) PNG, decoded into rows of (r, g, b) tuples."""

    def __init__(self, width, height, rows):
        self.width, self.height, self.rows = width, height, rows

    @staticmethod
    def read(path) -> "Image":
        data = open(path, "rb").read()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
        pos, idat = 8, b""
        while pos < len(data):
            length, kind = struct.unpack(">I4s", data[pos:pos + 8])
            body = data[pos + 8:pos + 8 + length]
            if kind == b"IHDR":
                width, height, depth, color = struct.unpack(">IIBB", body[:10])
                assert depth == 8 and color in (2, 6), f"unexpected PNG format {depth}/{color}"
            elif kind == b"IDAT":
                idat += body
            pos += 12 + length
        channels = 4 if color == 6 else 3
        raw = zlib.decompress(idat)
        stride = width * channels
        rows, previous = [], bytearray(stride)
        for y in range(height):
            start = y * (stride + 1)
            kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b = previous[i]
                c = previous[i - channels] if i >= channels else 0
                if kind == 1:
                    line[i] = (line[i] + a) & 255
                elif kind == 2:
                    line[i] = (line[i] + b) & 255
                elif kind == 3:
                    line[i] = (line[i] + (a + b) // 2) & 255
                elif kind == 4:
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
            rows.append(bytes(line))
            previous = line
        return Image(width, height, [[tuple(row[x * channels:x * channels + 3]) for x in range(width)] for row in rows])

    def ink(self, top=0, bottom=None, left=0, right=None) -> float:
        """Share of pixels in the box that are clearly not background (white)."""
        bottom, right = bottom or self.height, right or self.width
        total = dark = 0
        for row in self.rows[top:bottom]:
            for (r, g, b) in row[left:right]:
                total += 1
                if r + g + b < 600:
                    dark += 1
        return dark / max(total, 1)
