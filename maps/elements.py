"""Page elements Folium lacks: a page with a language, popups without jQuery, the site index.

Folium's own Popup builds its content with jQuery; binding an HTML string with Leaflet's
``bindPopup`` needs no library at all, so the page loads one less.
"""

import json
from collections.abc import Sequence

from branca.element import Element, Figure, MacroElement
from folium.template import Template

# Popups open clear of the controls: the zoom, "where am I?" and full-screen buttons on the
# left, search and layers on the right, each 44 px and 10 px from the edge. A long popup
# scrolls inside itself rather than reaching past the map's edge; its width is set for the
# screen by ``PopupWidth``.
POPUP_OPTIONS = {
    "maxHeight": 300,
    "autoPanPaddingTopLeft": [60, 60],
    "autoPanPaddingBottomRight": [60, 24],
}


class PopupWidth(MacroElement):
    """Popups at most 320 px wide, and narrow enough on a phone to fit between the controls.

    Add it first: it sets the default every popup is made with.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            L.Popup.mergeOptions({maxWidth: Math.max(160, Math.min(320, window.innerWidth - 170))});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "PopupWidth"


def js_string(text: str) -> str:
    """``text`` as a JavaScript string literal that is safe inside a ``<script>`` element."""
    return js_value(text)


def js_value(value: object) -> str:
    """``value`` as a JavaScript literal (JSON) that is safe inside a ``<script>`` element."""
    literal = json.dumps(value, ensure_ascii=False)
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
        '    <meta name="description" content="{{ this.description|e }}">\n'
        '    <link rel="icon" href="data:,">\n'
        "    {{ this.header.render(**kwargs) }}\n"
        "</head>\n"
        "<body>\n"
        "    {{ this.html.render(**kwargs) }}\n"
        "    {{ this.below_map }}\n"
        # A module script runs once the page is parsed, after the deferred libraries.
        '<script type="module">\n'
        "    {{ this.script.render(**kwargs) }}\n"
        "</script>\n"
        "</body>\n"
        "</html>\n"
    )

    def __init__(self, lang: str, title: str, description: str, below_map: str) -> None:
        """``below_map``: HTML shown under the map (the "you are here" panel)."""
        super().__init__(title=title)
        self.lang = lang
        self.description = description
        self.below_map = below_map


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
            {{ this._parent.get_name() }}.bindPopup({{ this.html }}, {{ this.options }});
        {% endmacro %}
        """
    )

    def __init__(self, html: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "BoundPopup"
        self.html = js_string(html)
        self.options = js_value(POPUP_OPTIONS)


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
    """The search control's messages in the page's language (Folium passes only the placeholder),
    and its matching: a site is found by any word of its names and aliases (the search layer's
    ``terms``), written with or without diacritics, in any case ('thap doi' finds Tháp Đôi).

    Add it before the Search control: it sets the defaults that control is created with.
    The folding matches ``sites_data.textnorm.fold``, which made the terms.
    """

    _template = Template(
        r"""
        {% macro script(this, kwargs) %}
            L.Control.Search.mergeOptions({
                textErr: {{ this.not_found }},
                textCancel: {{ this.cancel }},
                filterData: function (text, records) {
                    var SEPARATORS = new RegExp('[\\s\\-\u2013\u2014_.,;:!?\'"()\uff08\uff09'
                        + '\u300c\u300d\u3001\u3002\u00b7/]+', 'g');
                    function fold(value) {
                        return value.normalize('NFKC')
                            .replace(/\u0111/g, 'd').replace(/\u0110/g, 'D')
                            .normalize('NFD').replace(/[\u0300-\u036f]/g, '').normalize('NFC')
                            .toLowerCase()
                            .replace(SEPARATORS, ' ')
                            .trim();
                    }
                    var wanted = ' ' + fold(text);
                    var found = {};
                    if (wanted === ' ') { return found; }
                    Object.keys(records).forEach(function (name) {
                        var layer = records[name].layer;
                        var terms = layer && layer.feature
                            ? layer.feature.properties.terms : fold(name);
                        if ((' ' + terms).indexOf(wanted) >= 0) { found[name] = records[name]; }
                    });
                    return found;
                }
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


class SiteMarkers(MacroElement):
    """Every site's marker, made in the browser from one list, and ``window.heritageGuide``.

    The list holds, per site, ``siteKey``, ``lat``, ``lon``, ``title``, ``category`` and
    ``popup`` (HTML): a few lines of script make the markers, instead of a dozen per marker.
    Each marker's icon is a pin of its category's colour with the category's SVG icon
    (``maps.icons``), and goes into the category's layer (a subgroup of the cluster).

    - ``heritageGuide.siteKeys()``: the key of every site marker (one marker per site);
    - ``heritageGuide.show(key)``: turns the site's layer on, opens its cluster and its popup;
    - a link with ``data-site="<key>"`` in a popup, or ``?site=<key>`` in the page address,
      does the same; so does choosing a result in the search box;
    - ``heritageGuide.showPosition(lat, lon)``: the visitor's position as a dot ("you are
      here", sent by ``here.js`` as the ``heritage:here`` event does too).

    On a touch screen one finger scrolls the page and two move the map (Leaflet pinches and
    pans with two), except in full screen, where one finger moves the map.
    Add it last: it refers to the layers and the search control.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this.map.get_name() }};
            var cluster = {{ this.cluster.get_name() }};
            var layers = {
            {%- for category, layer in this.layers.items() %}
                {{ category|tojson }}: {{ layer.get_name() }},
            {%- endfor %}
            };
            var popupOptions = {{ this.popup_options }};
            var siteData = {{ this.data }};
            var sites = {};
            siteData.forEach(function (site) {
                var icon = L.divIcon({
                    className: 'site-marker',
                    html: '<span class="pin category-' + site.category + '"><span class="icon icon-'
                        + site.category + '"></span></span>',
                    iconSize: [34, 44], iconAnchor: [17, 44], popupAnchor: [0, -40]
                });
                var marker = L.marker([site.lat, site.lon],
                    {title: site.title, siteKey: site.siteKey, icon: icon, riseOnHover: true});
                marker.bindPopup(site.popup, popupOptions);
                layers[site.category].addLayer(marker);
                sites[site.siteKey] = {marker: marker, layer: layers[site.category]};
            });
            function show(key) {
                var site = sites[key];
                if (!site) { return false; }
                if (!map.hasLayer(site.layer)) { map.addLayer(site.layer); }
                cluster.zoomToShowLayer(site.marker, function () { site.marker.openPopup(); });
                return true;
            }
            var position = null;
            function showPosition(lat, lon) {
                if (position) { position.setLatLng([lat, lon]); }
                else {
                    position = L.circleMarker([lat, lon], {radius: 9, color: '#fff', weight: 3,
                        fillColor: '#1a73e8', fillOpacity: 1, className: 'visitor-position',
                        interactive: false}).addTo(map);
                }
            }
            window.heritageGuide = {
                map: map,
                sites: sites,
                show: show,
                showPosition: showPosition,
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
            document.addEventListener('heritage:here', function (e) {
                showPosition(e.detail.lat, e.detail.lon);
                var at = e.detail.answer && e.detail.answer.at;
                if (at) { show(at.key); }
                else { map.setView([e.detail.lat, e.detail.lon], Math.max(map.getZoom(), 13)); }
            });
            if (window.matchMedia('(pointer: coarse)').matches) {
                map.dragging.disable();
                map.on('enterFullscreen', function () { map.dragging.enable(); });
                map.on('exitFullscreen', function () { map.dragging.disable(); });
            }
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
        layers: dict[str, Element],
        sites: Sequence[dict[str, object]],
        search_control: str,
    ) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "SiteMarkers"
        self.map = map
        self.cluster = cluster
        self.layers = layers
        # One site a line: the page stays readable, and tests can find each site's entry.
        self.data = "[\n" + ",\n".join(js_value(site) for site in sites) + "\n]"
        self.popup_options = js_value(POPUP_OPTIONS)
        self.search_control = search_control


class HereControl(MacroElement):
    """A map button, under the zoom buttons, that asks "where am I?" (``here.js``).

    Nothing is asked on load: the button presses the page's own "Where am I?" button, whose
    answer appears below the map and moves the map (``SiteMarkers``).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var HereButton = L.Control.extend({
                options: {position: 'topleft'},
                onAdd: function () {
                    var bar = L.DomUtil.create('div', 'leaflet-bar leaflet-control here-control');
                    var link = L.DomUtil.create('a', '', bar);
                    link.href = '#here';
                    link.title = {{ this.title }};
                    link.setAttribute('role', 'button');
                    link.setAttribute('aria-label', {{ this.title }});
                    link.innerHTML = '<span class="icon icon-here" aria-hidden="true"></span>';
                    L.DomEvent.on(link, 'click', function (e) {
                        L.DomEvent.preventDefault(e);
                        var button = document.querySelector('[data-here] [data-here-button]');
                        if (button) { button.click(); }
                    });
                    L.DomEvent.disableClickPropagation(bar);
                    return bar;
                }
            });
            new HereButton().addTo({{ this.map.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, map: Element, title: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "HereControl"
        self.map = map
        self.title = js_string(title)
