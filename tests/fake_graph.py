"""A stand-in for Facebook's Graph API on 127.0.0.1: tests never call the internet.

`plan` lists what the next requests get, in order: an HTTP status (200 answers like the
Graph API's scrape), or ("hang", seconds) to answer only after that long. Once the plan is
used up every request gets 200. Every request is recorded in `calls`."""

import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class FakeGraph:
    def __init__(self):
        self.calls: list[dict] = []
        self.plan: list = []
        self.lock = threading.Lock()
        self.arrived = threading.Event()
        graph = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                query = parse_qs(urlsplit(self.path).query)
                with graph.lock:
                    graph.calls.append({k: v[0] for k, v in query.items()})
                    step = graph.plan.pop(0) if graph.plan else 200
                graph.arrived.set()
                if isinstance(step, tuple) and step[0] == "hang":
                    time.sleep(step[1])
                    step = 200
                if step == 200:
                    body = {"id": query.get("id", [""])[0], "title": "scraped"}
                else:
                    body = {"error": {"message": f"planned failure {step}", "code": step}}
                data = json.dumps(body).encode()
                self.send_response(step)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                # The client may have given up (a timeout test, a killed worker).
                with contextlib.suppress(OSError):
                    self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def scraped(self) -> list[str]:
        with self.lock:
            return [call.get("id", "") for call in self.calls]
