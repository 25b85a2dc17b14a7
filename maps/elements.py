"""Page elements Folium lacks: a page with a language, popups without jQuery, the site index.

Folium's own Popup builds its content with jQuery; binding an HTML string with Leaflet's
``bindPopup`` needs no library at all, so the page loads one less.
"""

import json
from collections.abc import Sequence

from branca.element import Element, Figure, MacroElement
from folium.template import Template


def js_string(text: str) -> str:
    """``text`` as a JavaScript string literal that is safe inside a ``<script>`` element."""
    literal = json.dumps(text, ensure_ascii=False)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        literal = literal.replace(raw, escaped)
    return literal.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


class GuidePage(Figure):
    """The HTML document, with its language and title."""

    _template = Template(
        "<!DOCTYPE html>\n"
        '<html lang="{{ this.lang }}">\n'
        "<head>\n"
        "    <title>{{ this.title|e }}</title>\n"
        "    {{ this.header.render(**kwargs) }}\n"
        "</head>\n"
        "<body>\n"
        "    {{ this.html.render(**kwargs) }}\n"
        "</body>\n"
        "<script>\n"
        "    {{ this.script.render(**kwargs) }}\n"
        "</script>\n"
        "</html>\n"
    )

    def __init__(self, lang: str, title: str) -> None:
        super().__init__(title=title)
        self.lang = lang


class Stylesheet(Element):
    """A ``<style>`` element for the page header."""

    _template = Template("<style>{{ this.css }}</style>")

    def __init__(self, css: str) -> None:
        super().__init__()
        self.css = css


class BoundPopup(MacroElement):
    """An HTML popup bound to its parent layer (a marker or a line)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.bindPopup({{ this.html }}, {maxWidth: 320});
        {% endmacro %}
        """
    )

    def __init__(self, html: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "BoundPopup"
        self.html = js_string(html)


class BoundTooltip(MacroElement):
    """A plain-text tooltip bound to its parent layer."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.bindTooltip({{ this.text }}, {sticky: true});
        {% endmacro %}
        """
    )

    def __init__(self, text: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "BoundTooltip"
        # Leaflet sets a string tooltip as HTML; escaping keeps it plain text.
        self.text = js_string(text.replace("&", "&amp;").replace("<", "&lt;"))


class SearchTexts(MacroElement):
    """The search control's messages in the page's language (Folium passes only the placeholder).

    Add it before the Search control: it sets the defaults that control is created with.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            L.Control.Search.mergeOptions({
                textErr: {{ this.not_found }},
                textCancel: {{ this.cancel }}
            });
        {% endmacro %}
        """
    )

    def __init__(self, not_found: str, cancel: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "SearchTexts"
        self.not_found = js_string(not_found)
        self.cancel = js_string(cancel)


class ControlTitles(MacroElement):
    """The titles Leaflet writes in English: the zoom buttons and the layer list's button.

    Add it after the layer control.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            function retitle(container, selector, title) {
                var button = container.querySelector(selector);
                if (button) { button.title = title; button.setAttribute('aria-label', title); }
            }
            var zoom = {{ this.map.get_name() }}.zoomControl.getContainer();
            retitle(zoom, '.leaflet-control-zoom-in', {{ this.zoom_in }});
            retitle(zoom, '.leaflet-control-zoom-out', {{ this.zoom_out }});
            retitle({{ this.layer_control.get_name() }}.getContainer(),
                    '.leaflet-control-layers-toggle', {{ this.layers }});
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self, map: Element, layer_control: Element, zoom_in: str, zoom_out: str, layers: str
    ) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "ControlTitles"
        self.map = map
        self.layer_control = layer_control
        self.zoom_in = js_string(zoom_in)
        self.zoom_out = js_string(zoom_out)
        self.layers = js_string(layers)


class SiteDirectory(MacroElement):
    """``window.heritageGuide``: each site's marker by key, for search, links and browser tests.

    - ``heritageGuide.siteKeys()``: the key of every site marker (one marker per site);
    - ``heritageGuide.show(key)``: turns the site's layer on, opens its cluster and its popup;
    - a link with ``data-site="<key>"`` in a popup, or ``?site=<key>`` in the page address,
      does the same; so does choosing a result in the search box.

    Add it last: it refers to the markers, their layers and the search control.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this.map.get_name() }};
            var cluster = {{ this.cluster.get_name() }};
            var sites = {
            {%- for key, marker, layer in this.entries %}
                {{ key|tojson }}: {marker: {{ marker.get_name() }}, layer: {{ layer.get_name() }}},
            {%- endfor %}
            };
            function show(key) {
                var site = sites[key];
                if (!site) { return false; }
                if (!map.hasLayer(site.layer)) { map.addLayer(site.layer); }
                cluster.zoomToShowLayer(site.marker, function () { site.marker.openPopup(); });
                return true;
            }
            window.heritageGuide = {
                map: map,
                sites: sites,
                show: show,
                siteKeys: function () { return Object.keys(sites); }
            };
            {{ this.search_control }}.on('search:locationfound', function (e) {
                show(e.layer.feature.properties.key);
            });
            // Capture: Leaflet stops clicks inside popups from bubbling up to the map.
            map.getContainer().addEventListener('click', function (e) {
                var link = e.target.closest('a[data-site]');
                if (link) { e.preventDefault(); show(link.getAttribute('data-site')); }
            }, true);
            var wanted = new URLSearchParams(window.location.search).get('site');
            if (wanted) { map.whenReady(function () { show(wanted); }); }
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        map: Element,
        cluster: Element,
        entries: Sequence[tuple[str, Element, Element]],
        search_control: str,
    ) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "SiteDirectory"
        self.map = map
        self.cluster = cluster
        self.entries = entries
        self.search_control = search_control
