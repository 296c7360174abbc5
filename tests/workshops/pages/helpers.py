"""Reading the organizer pages in tests: text of an element by id, links in e-mails."""

import re
from html import unescape
from html.parser import HTMLParser

from tests.mailbox import mailbox

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
INLINE = {"a", "abbr", "b", "code", "em", "i", "label", "small", "span", "strong", "time"}


class _Collector(HTMLParser):
    """Collects the text (and input values) inside the element with a given id."""

    def __init__(self, element_id):
        super().__init__(convert_charrefs=True)
        self.element_id = element_id
        self.depth = 0
        self.found = False
        self.parts = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.depth:
            if tag not in INLINE:
                self.parts.append(" ")
            if tag not in VOID:
                self.depth += 1
            return
        if attrs.get("id") == self.element_id:
            self.found = True
            if tag in VOID:
                self.parts.append(attrs.get("value") or "")
            else:
                self.depth = 1

    def handle_endtag(self, tag):
        if self.depth and tag not in VOID:
            self.depth -= 1
            if tag not in INLINE:
                self.parts.append(" ")

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def text_of(response, element_id):
    """The whitespace-normalised text inside the element with this id (AssertionError if missing)."""
    parser = _Collector(element_id)
    parser.feed(response.content.decode())
    assert parser.found, f"no element with id={element_id!r} in the page"
    return " ".join("".join(parser.parts).split())


def page_text(response):
    """All text of the page's <main> (messages included), whitespace-normalised."""
    return text_of(response, "main")


def field_value(response, name):
    """The value an <input> or the text a <textarea> of this name is rendered with."""
    html = response.content.decode()
    textarea = re.search(rf'<textarea[^>]*name="{re.escape(name)}"[^>]*>(.*?)</textarea>', html, flags=re.S)
    if textarea:
        return unescape(textarea.group(1)).strip("\n")
    tag = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', html)
    assert tag, f"no field named {name!r} in the page"
    value = re.search(r'value="([^"]*)"', tag.group(0))

    return unescape(value.group(1)) if value else ""


def mails_to(address):
    return [message for message in mailbox() if message.to == [address]]


def link_path(message, prefix):
    """The path of the first link in an e-mail body that starts with ``prefix`` (e.g. '/offer/')."""
    match = re.search(rf"https?://[^/\s]+({re.escape(prefix)}\S+)", message.body)
    assert match, f"no {prefix} link in: {message.body}"
    return match.group(1)
