"""Parsing publishers' XML safely (no external entities, no network, no DTDs) and
turning syntax errors, including a file cut off mid-way, into errors naming the line."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from lxml import etree

from dualuse.errors import InputError
from dualuse.screening.lists.common import ParseContext

SAFE: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}
"""Parser options for untrusted XML: no entity expansion, DTDs or network; size limits."""


def parse_xml(data: bytes, source: str) -> etree._Element:
    """The root element with namespaces removed from every tag.

    Publishers change namespace URIs between versions (OFAC moved from
    ``tempuri.org`` to ``sanctionslistservice.ofac.treas.gov``), so loaders match
    local names only.
    """
    parser = etree.XMLParser(**SAFE)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise syntax_error(exc, source) from exc
    if root is None:
        raise InputError("empty XML document", source=source, location="line 1")
    for element in root.iter(etree.Element):
        tag = element.tag
        if isinstance(tag, str) and tag.startswith("{"):
            element.tag = tag.split("}", 1)[1]
    etree.cleanup_namespaces(root)
    return root


def where(element: etree._Element) -> str:
    """``line 42, <INDIVIDUAL>``: where an element starts, for error messages."""
    return f"line {element.sourceline}, <{element.tag}>"


def texts(element: etree._Element, path: str) -> list[str]:
    """Non-empty stripped texts of every element at ``path``."""
    found: list[str] = []
    for child in element.iterfind(path):
        value = (child.text or "").strip()
        if value:
            found.append(value)
    return found


def text(element: etree._Element, path: str) -> str | None:
    values = texts(element, path)
    return values[0] if values else None


def syntax_error(exc: etree.XMLSyntaxError, source: str) -> InputError:
    line, column = exc.position if exc.position else (exc.lineno, 0)
    return InputError(
        f"broken XML ({exc.msg}); the file may be truncated or damaged",
        source=source,
        location=f"line {line}, column {column}",
    )


def document(data: bytes, ctx: ParseContext, root_tag: str, what: str) -> etree._Element:
    """The root of a publisher's XML document, which must be ``<root_tag>``."""
    root = parse_xml(data, ctx.source)
    if root.tag != root_tag:
        raise ctx.error(f"not {what} (root element <{root.tag}>)", where(root))
    return root


def entries(
    root: etree._Element,
    path: str,
    ctx: ParseContext,
    entry_id: Callable[[etree._Element], str | None],
    what: str,
) -> Iterator[tuple[etree._Element, str]]:
    """Each element at ``path`` with its entry id; a missing or repeated id is an error."""
    seen: set[str] = set()
    for element in root.iterfind(path):
        entry = entry_id(element)
        if not entry:
            raise ctx.error(f"<{element.tag}> without {what}", where(element))
        if entry in seen:
            raise ctx.error(f"{what} {entry} appears twice", where(element))
        seen.add(entry)
        yield element, entry
