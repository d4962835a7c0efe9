"""Parsing publishers' XML safely (no external entities, no network, no DTDs) and
turning syntax errors, including a file cut off mid-way, into errors naming the line."""

from __future__ import annotations

from lxml import etree

from dualuse.errors import InputError


def parse_xml(data: bytes, source: str) -> etree._Element:
    """The root element with namespaces removed from every tag.

    Publishers change namespace URIs between versions (OFAC moved from
    ``tempuri.org`` to ``sanctionslistservice.ofac.treas.gov``), so loaders match
    local names only.
    """
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (exc.lineno, 0)
        raise InputError(
            f"broken XML ({exc.msg}); the file may be truncated or damaged",
            source=source,
            location=f"line {line}, column {column}",
        ) from exc
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
