"""Debian's Chromium and the launch arguments the browser tests and the bench's crypto figures run it with (no
sandbox inside a container, nothing that phones home or changes between runs)."""

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
