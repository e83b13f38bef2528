"""The importable example flows of the docs (``source/flows/*.json``, LangFlow exports).

Each flow is Chat Input -> Prompt Template -> Chat Output: it runs in LangFlow with no model key
and no network, and its output is its prompt template with the chat input in ``{message}``.
A reader's real flow puts a model component between the prompt and Chat Output.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FLOWS_DIR = Path(__file__).resolve().parents[2] / "source" / "flows"
SAMPLE_INPUT = "Hello Spark"


@dataclass
class Flow:
    name: str
    data: dict  # the LangFlow export: name, description, data.nodes, data.edges

    def _node(self, kind: str) -> dict:
        nodes = [n for n in self.data["data"]["nodes"] if n["data"]["type"] == kind]
        if len(nodes) != 1:
            raise ValueError(f"{self.name}: expected one {kind} node, found {len(nodes)}")
        return nodes[0]

    @property
    def input_id(self) -> str:
        return self._node("ChatInput")["id"]

    @property
    def output_id(self) -> str:
        return self._node("ChatOutput")["id"]

    @property
    def template(self) -> str:
        """The prompt template (``{message}`` alone for a flow without a prompt: an echo)."""
        kind = next((t for t in PROMPT_TYPES
                     if any(n["data"]["type"] == t for n in self.data["data"]["nodes"])), None)
        if kind is None:
            return "{message}"
        return self._node(kind)["data"]["node"]["template"]["template"]["value"]

    def expected_output(self, message: str) -> str:
        return self.template.replace("{message}", message)


def names() -> list[str]:
    return sorted(p.stem for p in FLOWS_DIR.glob("*.json"))


def load(name: str) -> Flow:
    return Flow(name, json.loads((FLOWS_DIR / f"{name}.json").read_text(encoding="utf-8")))


def output_text(output_data: Any) -> str:
    """The Chat Output's message of a LangFlow run response (as Spark stores it on a task).

    Spark asks for ``output_type: debug``, so every component's result is in the response; the
    one that counts is the Chat Output's."""
    if isinstance(output_data, str):
        output_data = json.loads(output_data)
    results = [r for run in output_data["outputs"] for r in run["outputs"]
               if r.get("component_display_name") == "Chat Output"]
    if len(results) != 1:
        raise ValueError(f"expected one Chat Output result, found {len(results)}")
    return results[0]["results"]["message"]["text"]


def copy_to(directory: Path) -> None:
    """Put every flow file into ``directory`` (a page's working directory)."""
    for path in FLOWS_DIR.glob("*.json"):
        (Path(directory) / path.name).write_bytes(path.read_bytes())


# ------------------------------------------------------------------------------------------
# building the flows from a running LangFlow's own components
# ------------------------------------------------------------------------------------------

#: file name -> (flow name, description, prompt template); the files of source/flows
CATALOGUE = {
    "spark-quickstart": ("Spark Quickstart", "Chat Input to Chat Output through a prompt "
                         "template: runs with no model key.",
                         "Hello from LangFlow! You said: {message}"),
    "morning-briefing": ("Morning Briefing", "Renders the briefing prompt; connect a model "
                         "between the prompt and Chat Output to write it.",
                         "Write a morning briefing about: {message}"),
    "social-post": ("Social Post", "Renders the post prompt; connect a model between the "
                    "prompt and Chat Output to write it.",
                    "Write a social media post about: {message}"),
    "customer-health": ("Customer Health", "Renders the health-check prompt; connect a model "
                        "between the prompt and Chat Output to write it.",
                        "Summarise the health of customer account: {message}"),
    "data-sync": ("CRM to Warehouse Sync", "Renders the sync request; connect a model or an API "
                  "Request between the prompt and Chat Output.",
                  "Sync CRM records to the warehouse for: {message}"),
    "health-monitor": ("Health Monitor", "Renders the health-check prompt; connect a model "
                       "between the prompt and Chat Output to write it.",
                       "Check the health of service: {message}"),
    "standup-reminder": ("Standup Reminder", "Renders the reminder prompt; connect a model "
                         "between the prompt and Chat Output to write it.",
                         "Write a stand-up reminder for team: {message}"),
}
PROMPT_TYPES = ("Prompt Template", "Prompt")  # LangFlow 1.13 / LangFlow 1.5


def build(call, name: str, description: str, template: str, seed: int = 7) -> dict:
    """A Chat Input -> prompt -> Chat Output flow made of the components of the LangFlow that
    ``call(method, path, body) -> JSON`` talks to (so it runs on that release). A LangFlow
    without a prompt component (``langflow-base`` 0.5 ships none) gets Chat Input -> Chat
    Output: an echo."""
    import copy
    import random
    import string

    catalogue = call("GET", "/api/v1/all", None)
    found = {kind: (kind, comps[kind]) for comps in catalogue.values()
             if isinstance(comps, dict) for kind in comps}
    prompt_type = next((t for t in PROMPT_TYPES if t in found), None)
    rnd = random.Random(seed)

    def node(kind: str, frontend: dict, x: int) -> dict:
        nid = f"{kind}-" + "".join(rnd.choice(string.ascii_letters + string.digits)
                                   for _ in range(5))
        return {"id": nid, "type": "genericNode", "position": {"x": x, "y": 200},
                "data": {"id": nid, "type": kind, "node": frontend, "showNode": True}}

    def edge(src: dict, output: str, tgt: dict, field_name: str) -> dict:
        out = next(o for o in src["data"]["node"]["outputs"] if o["name"] == output)
        fld = tgt["data"]["node"]["template"][field_name]
        source = {"dataType": src["data"]["type"], "id": src["id"], "name": output,
                  "output_types": out["types"]}
        target = {"fieldName": field_name, "id": tgt["id"],
                  "inputTypes": fld.get("input_types"), "type": fld["type"]}

        def enc(handle: dict) -> str:
            return json.dumps(handle, separators=(",", ":"), sort_keys=True).replace('"', "œ")

        return {"id": f"reactflow__edge-{src['id']}{enc(source)}-{tgt['id']}{enc(target)}",
                "source": src["id"], "target": tgt["id"], "sourceHandle": enc(source),
                "targetHandle": enc(target), "data": {"sourceHandle": source,
                                                      "targetHandle": target}}

    chat_in = node("ChatInput", copy.deepcopy(found["ChatInput"][1]), 0)
    if prompt_type is None:
        chat_out = node("ChatOutput", copy.deepcopy(found["ChatOutput"][1]), 400)
        return {"name": name, "description": description, "data": {
            "nodes": [chat_in, chat_out],
            "edges": [edge(chat_in, "message", chat_out, "input_value")]}}
    prompt_front = copy.deepcopy(found[prompt_type][1])
    prompt_front["template"]["template"]["value"] = template
    checked = call("POST", "/api/v1/validate/prompt",
                   {"name": "template", "template": template, "frontend_node": prompt_front})
    prompt = node(prompt_type, checked["frontend_node"], 400)
    chat_out = node("ChatOutput", copy.deepcopy(found["ChatOutput"][1]), 800)
    return {"name": name, "description": description, "data": {
        "nodes": [chat_in, prompt, chat_out],
        "edges": [edge(chat_in, "message", prompt, "message"),
                  edge(prompt, "prompt", chat_out, "input_value")]}}


def main(argv: list[str] | None = None) -> int:
    """``python tests/live/flows.py build``: rebuild source/flows from a LangFlow on :7860."""
    import argparse
    import sys
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from stack import http_json

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("cmd", choices=["build"])
    parser.add_argument("--url", default="http://127.0.0.1:7860")
    args = parser.parse_args(argv)

    def call(method: str, path: str, body: Any) -> Any:
        status, answer = http_json(method, args.url + path, body, timeout=120)
        if status not in (200, 201):
            raise SystemExit(f"{method} {path}: HTTP {status}: {answer}")
        return answer

    for stem, (name, description, template) in CATALOGUE.items():
        flow = build(call, name, description, template)
        created = call("POST", "/api/v1/flows/", flow)
        exported = call("GET", f"/api/v1/flows/{created['id']}", None)
        call("DELETE", f"/api/v1/flows/{created['id']}", None)
        keep = {k: exported[k] for k in ("name", "description", "data")}
        (FLOWS_DIR / f"{stem}.json").write_text(
            json.dumps(keep, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"{stem}.json: {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
