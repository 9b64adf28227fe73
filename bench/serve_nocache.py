#!/usr/bin/env python3
"""A static server for the Pagefind comparison (bench/search.sh): every response says
`Cache-Control: no-store`, so each query in a fresh frame loads what a first visit loads, and
each request is logged to LOG as `path<TAB>bytes of the file sent`.
Usage: serve_nocache.py DIR PORT LOG"""
import http.server
import os
import sys

root, port, log = sys.argv[1], int(sys.argv[2]), sys.argv[3]


class Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *a, **k):
        super().__init__(*a, directory=root, **k)

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_request(self, code="-", size="-"):
        path = self.translate_path(self.path)
        n = os.path.getsize(path) if os.path.isfile(path) else 0
        with open(log, "a") as f:
            f.write(f"{self.path.split('?')[0]}\t{n}\n")

    def log_message(self, *a):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
