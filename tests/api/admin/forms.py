"""What a browser would send for a form of a page: every named control and its value."""

from html.parser import HTMLParser

Fields = list[tuple[str, str]]


class _FormReader(HTMLParser):
    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: Fields = []
        self._textarea: str | None = None
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._option: tuple[str | None, bool] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.inside = values.get("id") == self.form_id
        if not self.inside:
            return
        name = values.get("name")
        if tag == "input" and name and values.get("type") not in ("file", "submit"):
            if values.get("type") != "checkbox" or "checked" in values:
                self.fields.append((name, values.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select:
            self._option = (values.get("value"), "selected" in values)
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None or self._option is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, "".join(self._text)))
            self._textarea = None
        elif tag == "option" and self._option is not None:
            value, selected = self._option
            self._options.append((value if value is not None else "".join(self._text), selected))
            self._option = None
        elif tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._options if selected]
            if chosen or self._options:
                self.fields.append((self._select, (chosen or [self._options[0][0]])[0]))
            self._select = None


def form_fields(html: str, form_id: str) -> Fields:
    reader = _FormReader(form_id)
    reader.feed(html)
    return reader.fields


def replace(fields: Fields, name: str, value: str) -> Fields:
    assert any(field == name for field, _ in fields), f"the form has no field {name!r}"
    return [(field, value if field == name else old) for field, old in fields]


def as_data(fields: Fields) -> dict[str, list[str]]:
    """The fields as httpx sends a form: repeated names keep every value, in order."""
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return data
