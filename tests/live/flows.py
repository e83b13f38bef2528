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
        return self._node("Prompt Template")["data"]["node"]["template"]["template"]["value"]

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
