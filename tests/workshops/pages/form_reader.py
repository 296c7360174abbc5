"""What a browser would submit from a page's form: each field's name and value as rendered (the selected option,
the checked boxes, a textarea's text), so a test can change a few fields and post the rest as they are."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.values = None
        self.select = self.textarea = None
        self.first_option = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.values = {}
            self.forms.append(self.values)
        if self.values is None:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                self.values[name] = attrs.get("value", "on" if attrs.get("type") == "checkbox" else "")
        elif tag == "textarea" and name:
            self.textarea = name
            self.values[name] = ""
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select:
            self.first_option.setdefault(self.select, attrs.get("value", ""))
            if "selected" in attrs:
                self.values[self.select] = attrs.get("value", "")

    def handle_data(self, data):
        if self.textarea:
            self.values[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea:
            # As in a browser: a newline right after <textarea> is not part of its text.
            self.values[self.textarea] = self.values[self.textarea].removeprefix("\n")
            self.textarea = None
        elif tag == "select" and self.select:
            self.values.setdefault(self.select, self.first_option.get(self.select, ""))
            self.select = None
        elif tag == "form":
            self.values = None


def form_values(response, containing):
    """The values of the page's form that holds a field named ``containing``."""
    reader = _FormReader()
    reader.feed(response.content.decode())
    found = [values for values in reader.forms if containing in values]
    assert found, f"no form with a field named {containing!r}"
    return dict(found[0])
