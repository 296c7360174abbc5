"""The frame every baseline broadcasts: shaped like Attune's public session snapshot and just as long."""

import os

PREFIX = '{"type":"session","version":'


def frame(version, size=None):
    size = size or int(os.environ.get("BENCH_FRAME_BYTES", "1000"))
    head = f'{PREFIX}{version},"state":"'
    return head + "x" * max(0, size - len(head) - 2) + '"}'
