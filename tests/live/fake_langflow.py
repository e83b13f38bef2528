"""A LangFlow-compatible stand-in server for the live documentation tests.

This is **not** LangFlow. Real LangFlow is far too heavy to install in a test run, so this
module serves the handful of LangFlow HTTP endpoints that automagik-spark 0.3.7's LangFlow
adapter (``automagik_spark/core/workflows/remote.py`` and the source validation in
``automagik_spark/api/routers/sources.py``) actually calls, with LangFlow-shaped payloads:

* ``GET  /health``                 -> ``{"status": "ok"}`` (Spark requires exactly ``ok``)
* ``GET  /api/v1/version``         -> LangFlow's version document
* ``GET  /api/v1/folders/``        -> one folder (Spark's first choice)
* ``GET  /api/v1/projects/``       -> the same folder as a project (Spark's fallback)
* ``GET  /api/v1/flows/``          -> one real flow (ChatInput -> ChatOutput) in that folder and
                                      one ``is_component`` flow that Spark filters out
* ``GET  /api/v1/flows/{id}``      -> one flow
* ``POST /api/v1/run/{id}``        -> echoes ``input_value`` in LangFlow's
                                      ``outputs[].outputs[].results.message.text`` shape

Every request (method, path, query, the ``x-api-key`` and ``authorization`` headers and the
body) is recorded in memory and, when a log path is given, appended to a JSONL file.
The server binds 127.0.0.1 only. Any API key is accepted: the stand-in records keys, it does
not check them.

The ids below are stable so documentation pages can rely on them.

Run it on its own with ``python tests/live/fake_langflow.py [--port 7860] [--log FILE]``.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

HOST = "127.0.0.1"
PORT = 7860

#: LangFlow version reported by ``GET /api/v1/version``.
LANGFLOW_VERSION = "1.5.0"

#: The one folder (project) holding the flows.
FOLDER_ID = "3c5d7e9f-1a2b-4c3d-8e4f-5a6b7c8d9e0f"
FOLDER_NAME = "Starter Project"

#: The flow that Spark lists, syncs and runs.
FLOW_ID = "8d3f2a10-6b4c-4e2a-9f1d-7c5b3a2e1f00"
FLOW_NAME = "Echo Chat"
FLOW_DESCRIPTION = "Returns the chat message it receives."
CHAT_INPUT_ID = "ChatInput-abc12"
CHAT_OUTPUT_ID = "ChatOutput-def34"

#: A flow saved as a component; Spark drops it from every list.
COMPONENT_FLOW_ID = "0b1c2d3e-4f50-4a61-b728-39a4b5c6d7e8"
COMPONENT_FLOW_NAME = "Reusable Prompt"

USER_ID = "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d"
UPDATED_AT = "2025-08-20T10:00:00Z"


def _node(node_id: str, node_type: str, display_name: str, description: str,
          x: int) -> dict[str, Any]:
    return {
        "id": node_id,
        "type": "genericNode",
        "position": {"x": x, "y": 200},
        "data": {
            "id": node_id,
            "type": node_type,
            "node": {
                "display_name": display_name,
                "description": description,
                "base_classes": ["Message"],
                "template": {
                    "input_value": {
                        "type": "str",
                        "value": "",
                        "display_name": "Text",
                        "name": "input_value",
                    },
                    "sender": {"type": "str", "value": "User" if node_type == "ChatInput" else "Machine"},
                    "should_store_message": {"type": "bool", "value": True},
                },
                "outputs": [{"name": "message", "types": ["Message"], "display_name": "Message"}],
            },
        },
    }


def _flow(flow_id: str, name: str, description: str, nodes: list, edges: list,
          is_component: bool) -> dict[str, Any]:
    return {
        "id": flow_id,
        "name": name,
        "description": description,
        "icon": None,
        "icon_bg_color": None,
        "gradient": None,
        "data": {"nodes": nodes, "edges": edges, "viewport": {"x": 0, "y": 0, "zoom": 1}},
        "is_component": is_component,
        "updated_at": UPDATED_AT,
        "webhook": False,
        "endpoint_name": None,
        "tags": [],
        "locked": False,
        "user_id": USER_ID,
        "folder_id": FOLDER_ID,
    }


def flows() -> list[dict[str, Any]]:
    """The flows the stand-in serves, in LangFlow's ``FlowRead`` shape."""
    echo = _flow(
        FLOW_ID, FLOW_NAME, FLOW_DESCRIPTION,
        nodes=[
            _node(CHAT_INPUT_ID, "ChatInput", "Chat Input",
                  "Get chat inputs from the Playground.", 100),
            _node(CHAT_OUTPUT_ID, "ChatOutput", "Chat Output",
                  "Display a chat message in the Playground.", 500),
        ],
        edges=[{
            "id": f"reactflow__edge-{CHAT_INPUT_ID}-{CHAT_OUTPUT_ID}",
            "source": CHAT_INPUT_ID,
            "target": CHAT_OUTPUT_ID,
        }],
        is_component=False,
    )
    component = _flow(
        COMPONENT_FLOW_ID, COMPONENT_FLOW_NAME, "A prompt saved as a reusable component.",
        nodes=[_node("Prompt-x1y2z", "Prompt", "Prompt", "Create a prompt template.", 100)],
        edges=[],
        is_component=True,
    )
    return [echo, component]


def run_response(flow_id: str, input_value: Any) -> dict[str, Any]:
    """LangFlow's ``RunResponse`` for a chat flow that echoes its input."""
    text = input_value if isinstance(input_value, str) else json.dumps(input_value)
    message = {
        "text": text,
        "sender": "Machine",
        "sender_name": "AI",
        "session_id": flow_id,
        "flow_id": flow_id,
        "files": [],
        "error": False,
        "category": "message",
    }
    return {
        "session_id": flow_id,
        "outputs": [{
            "inputs": {"input_value": input_value},
            "outputs": [{
                "results": {"message": message},
                "artifacts": {"message": text, "sender": "Machine", "sender_name": "AI",
                              "files": [], "type": "object"},
                "outputs": {"message": {"message": text, "type": "text"}},
                "logs": {"message": []},
                "messages": [{"message": text, "sender": "Machine", "sender_name": "AI",
                              "session_id": flow_id, "component_id": CHAT_OUTPUT_ID,
                              "files": [], "type": "text"}],
                "timedelta": None,
                "duration": None,
                "component_display_name": "Chat Output",
                "component_id": CHAT_OUTPUT_ID,
                "used_frozen_result": False,
            }],
        }],
    }


class _Handler(BaseHTTPRequestHandler):
    server_version = "FakeLangFlow/1.0"
    protocol_version = "HTTP/1.1"

    # -- plumbing -----------------------------------------------------------------------------
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass  # requests are recorded structurally instead

    def _read_body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not raw:
            return None
        text = raw.decode("utf-8", "replace")
        try:
            return json.loads(text)
        except ValueError:
            return text

    def _send(self, status: int, payload: Any) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _handle(self, method: str) -> None:
        parts = urlsplit(self.path)
        path = parts.path
        body = self._read_body() if method in ("POST", "PUT", "PATCH") else None
        self.server.stand_in.record({  # type: ignore[attr-defined]
            "time": time.time(),
            "method": method,
            "path": path,
            "query": {k: v[0] if len(v) == 1 else v for k, v in parse_qs(parts.query).items()},
            "x-api-key": self.headers.get("x-api-key"),
            "authorization": self.headers.get("authorization"),
            "body": body,
        })
        status, payload = self.server.stand_in.route(method, path, body)  # type: ignore[attr-defined]
        self._send(status, payload)

    def do_GET(self) -> None:  # noqa: N802
        self._handle("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._handle("POST")

    def do_PUT(self) -> None:  # noqa: N802
        self._handle("PUT")

    def do_PATCH(self) -> None:  # noqa: N802
        self._handle("PATCH")

    def do_DELETE(self) -> None:  # noqa: N802
        self._handle("DELETE")


class FakeLangFlow:
    """The LangFlow stand-in: an HTTP server in a background thread that records requests."""

    def __init__(self, host: str = HOST, port: int = PORT, log_path: str | None = None):
        if host != "127.0.0.1":
            raise ValueError("the LangFlow stand-in only binds 127.0.0.1")
        self.host = host
        self.port = port
        self.log_path = log_path
        self._requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    # -- recording ---------------------------------------------------------------------------
    def record(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self._requests.append(entry)
            if self.log_path:
                with open(self.log_path, "a", encoding="utf-8") as fh:
                    fh.write(json.dumps(entry) + "\n")

    @property
    def requests(self) -> list[dict[str, Any]]:
        """A snapshot of every request received so far, oldest first."""
        with self._lock:
            return list(self._requests)

    def clear(self) -> None:
        with self._lock:
            self._requests.clear()

    # -- routing -----------------------------------------------------------------------------
    def route(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        by_id = {f["id"]: f for f in flows()}
        if method == "GET" and path == "/health":
            return 200, {"status": "ok"}
        if method == "GET" and path == "/api/v1/version":
            return 200, {"version": LANGFLOW_VERSION, "main_version": LANGFLOW_VERSION,
                         "package": "Langflow"}
        if method == "GET" and path in ("/api/v1/folders/", "/api/v1/folders",
                                        "/api/v1/projects/", "/api/v1/projects"):
            return 200, [{"id": FOLDER_ID, "name": FOLDER_NAME,
                          "description": "Manage your own projects.", "parent_id": None}]
        if method == "GET" and path in ("/api/v1/flows/", "/api/v1/flows"):
            return 200, list(by_id.values())
        if method == "GET" and path.startswith("/api/v1/flows/"):
            flow_id = path[len("/api/v1/flows/"):].strip("/")
            if flow_id in by_id:
                return 200, by_id[flow_id]
            return 404, {"detail": "Flow not found"}
        if method == "POST" and path.startswith("/api/v1/run/"):
            flow_id = path[len("/api/v1/run/"):].strip("/")
            if flow_id not in by_id or by_id[flow_id]["is_component"]:
                return 404, {"detail": f"Flow identifier {flow_id} not found"}
            input_value = body.get("input_value") if isinstance(body, dict) else body
            return 200, run_response(flow_id, input_value)
        return 404, {"detail": "Not Found"}

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> "FakeLangFlow":
        server = ThreadingHTTPServer((self.host, self.port), _Handler)
        server.daemon_threads = True
        server.stand_in = self  # type: ignore[attr-defined]
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name="fake-langflow",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> "FakeLangFlow":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument("--log", help="append every request to this JSONL file")
    args = parser.parse_args()
    fake = FakeLangFlow(port=args.port, log_path=args.log).start()
    print(f"LangFlow stand-in on {fake.url} (flow {FLOW_ID}); Ctrl-C stops it", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()
