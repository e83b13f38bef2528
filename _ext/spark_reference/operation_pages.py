"""One Mintlify page per API operation, cut from the api/*.md pages.

On an api page, the section that holds an ``{api-endpoint}`` is that operation's documentation:
its heading, curated text and examples. The HTML site keeps it in place. The MDX builder moves
it to a page of its own, ``api/<page>/<section>.mdx``, with ``openapi: "METHOD /path"`` in its
frontmatter so Mintlify adds its playground, and with the examples as ``<RequestExample>`` and
``<ResponseExample>``. The fields the playground renders from the spec are dropped there. The
api page keeps a link to each moved operation; links into a moved section, from any page, follow
it. Navigation nests the operation pages under their api page (``env.mdx_subpages``).
"""
from __future__ import annotations

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import new_document

import mintlify_components.nodes as mn

from .spec import load_fields

logger = logging.getLogger(__name__)
SPEC_URL = "openapi.json"  # beside the pages, under mdx_base_path


def _section_of(node: nodes.Node) -> nodes.section | None:
    while node is not None and not isinstance(node, nodes.section):
        node = node.parent
    return node


def record(app, doctree: nodes.document) -> None:
    """doctree-read: remember which sections of an api page are operations."""
    env, docname = app.env, app.env.docname
    point_to_first(doctree)
    env.spark_op_pages.pop(docname, None)
    env.mdx_subpages.pop(docname, None)
    boxes = [b for b in doctree.findall(nodes.container) if "spark-endpoint" in b["classes"]]
    if not boxes:
        return
    ops, seen = [], set()
    curated = load_fields(env.srcdir)[1].get("operations", {})
    for box in boxes:
        section = _section_of(box)
        if section is None or isinstance(section.parent, nodes.document) or not section["ids"]:
            logger.warning("api-endpoint %s: give it a section of its own (a heading above it) so "
                           "it gets its own page on Mintlify", box["spark-key"], location=box,
                           type="spark", subtype="operation_page")
            continue
        if section["ids"][0] in seen:
            logger.warning("api-endpoint %s shares its section with another operation: give each "
                           "its own heading so each gets its own page on Mintlify",
                           box["spark-key"], location=box, type="spark", subtype="operation_page")
            continue
        seen.add(section["ids"][0])
        ids = sorted({i for n in section.findall(nodes.Element) for i in n.get("ids", ())})
        title = curated.get(box["spark-key"], {}).get("summary") or section[0].astext()
        ops.append({"key": box["spark-key"], "id": section["ids"][0], "ids": ids,
                    "title": title, "doc": f"{docname}/{section['ids'][0]}"})
    if ops:
        env.spark_op_pages[docname] = ops
        env.mdx_subpages[docname] = {"openapi": f"/{app.config.mdx_base_path}/{SPEC_URL}",
                                     "pages": [op["doc"] for op in ops]}


def point_to_first(doctree: nodes.document) -> None:
    """The fields of a schema are listed at its first operation on a page; later operations
    say which schema they return and link there."""
    first: dict[str, tuple[str, str]] = {}
    for box in list(doctree.findall(nodes.container)):
        name = box.get("spark-schema")
        if not name:
            continue
        section = _section_of(box)
        if name not in first:
            if section is not None and section["ids"]:
                first[name] = (section[0].astext(), section["ids"][0])
            continue
        title, target = first[name]
        para = nodes.paragraph("", box["spark-lead"])
        para += nodes.literal(text=name)
        para += nodes.Text(" with the fields listed under ")
        para += nodes.reference("", title, refid=target, internal=True)
        para += nodes.Text(".")
        box.replace_self(para)


def _moved(env) -> dict[tuple[str, str], tuple[str, bool]]:
    """(page, id) -> (operation page, whether the id is the section's own)."""
    return {(doc, i): (op["doc"], i == op["id"]) for doc, ops in env.spark_op_pages.items()
            for op in ops for i in op["ids"]}


def _target(builder, docname: str, ref: nodes.reference) -> tuple[str, str] | None:
    if ref.get("refid"):
        return docname, ref["refid"]
    path, _, fragment = ref.get("refuri", "").partition("#")
    prefix = f"/{builder.base}/"
    if not fragment or not (path == "" or path.startswith(prefix)):
        return None
    return (path[len(prefix):] if path else docname), fragment


def _retarget(builder, doctree, docname: str, page: str, moved) -> None:
    """Point references at the page that now holds their target; ``page`` is where they sit."""
    for ref in doctree.findall(nodes.reference):
        target = _target(builder, docname, ref)
        if target is None:
            continue
        doc, fragment = target
        fragment = builder.anchor_id(doc, fragment)
        new_page, own = moved.get((doc, fragment), (doc, False))
        if new_page == page and doc == docname and page == docname:
            continue  # same page, unchanged
        ref.attributes.pop("refid", None)
        ref["refuri"] = f"/{builder.base}/{new_page}" + ("" if own else f"#{fragment}")


def _operation_document(doctree, section: nodes.section) -> nodes.document:
    document = new_document(doctree["source"], doctree.settings)
    section.parent.remove(section)
    document += section
    for box in list(section.findall(nodes.container)):
        classes = box["classes"]
        if {"spark-endpoint-header", "spark-endpoint-fields"} & set(classes):
            box.parent.remove(box)
        elif "spark-endpoint-examples" in classes:
            examples = [n for n in box.children if not isinstance(n, nodes.rubric)]
            request = [n for n in examples if "spark-request-example" in n["classes"]]
            response = [n for n in examples if "spark-response-example" in n["classes"]]
            box.children = []
            if request:
                box += mn.request_example("", *request[0].children)
            if response:
                box += mn.response_example("", *response)
    return document


def _link_item(builder, op: dict) -> nodes.bullet_list:
    method, path = op["key"].split(" ", 1)
    ref = nodes.reference("", op["title"], refuri=f"/{builder.base}/{op['doc']}",
                          internal=True)
    para = nodes.paragraph("", "", ref, nodes.Text(": "), nodes.literal(text=f"{method} {path}"))
    return nodes.bullet_list("", nodes.list_item("", para), bullet="-")


def _setup_line(builder, doctree, docname: str) -> nodes.paragraph:
    page = doctree.next_node(nodes.section)[0].astext()
    ref = nodes.reference("", "Setup", refuri=f"/{builder.base}/{docname}#setup", internal=True)
    return nodes.paragraph("", "The examples use shell variables set under ", ref,
                           nodes.Text(f" on the {page} page."))


def split(app, doctree: nodes.document, docname: str) -> None:
    """doctree-resolved (mdx): write the operation pages of ``docname``, fix every link."""
    builder = app.builder
    if builder.name != "mdx":
        return
    env = app.env
    moved = _moved(env)
    ops = env.spark_op_pages.get(docname, [])
    if not ops:
        _retarget(builder, doctree, docname, docname, moved)
        return
    pages = []
    # on a page of its own, an operation says where its examples' shell variables come from
    setup = (_setup_line(builder, doctree, docname)
             if any("setup" in s["ids"] for s in doctree.findall(nodes.section)) else None)
    for op in ops:
        section = next((s for s in doctree.findall(nodes.section) if op["id"] in s["ids"]), None)
        if section is None:
            continue
        placeholder = _link_item(builder, op)
        parent, index = section.parent, section.parent.index(section)
        if any(isinstance(n, nodes.section) for n in parent.children[:index]):
            # after a subsection, the link needs a heading of its own to stay out of it
            placeholder = nodes.section("", section[0].deepcopy(), placeholder)
        parent.insert(index, placeholder)
        document = _operation_document(doctree, section)
        if setup is not None:
            document[0].insert(1, setup.deepcopy())
        document["mdx_frontmatter"] = {"title": op["title"], "openapi": op["key"],
                                       "description": _description(env, op)}
        pages.append((op, document))
    _retarget(builder, doctree, docname, docname, moved)
    for op, document in pages:
        _retarget(builder, document, docname, op["doc"], moved)
        builder.write_page(op["doc"], document, docname)  # ids and aliases: the api page's


def _description(env, op: dict) -> str:
    from .loader import reader_spec

    spec = reader_spec(env)[0]
    method, path = op["key"].split(" ", 1)
    item = spec["paths"][path][method.lower()]
    text = (item.get("description") or item.get("summary") or "").split("\n\n")[0]
    text = f"{op['key']}: {text}"
    return text if len(text) <= 160 else text[:159].rsplit(" ", 1)[0] + "…"


def purge(app, env, docname) -> None:
    for name in ("spark_op_pages", "mdx_subpages"):
        getattr(env, name, {}).pop(docname, None)


def merge(app, env, docnames, other) -> None:
    for name in ("spark_op_pages", "mdx_subpages"):
        ours, theirs = getattr(env, name), getattr(other, name, {})
        ours.update({d: v for d, v in theirs.items() if d in docnames})
