"""`make bench`: live sessions against a bare WebSocket broadcast (see docs/performance.md)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
