"""Search by any name in any language, misspelt or without diacritics; and nearby."""

import pytest

from sites_data.schema import Site
from sites_data.search import SearchIndex, distance_km, nearby

# (query as a tourist types it, the site it must find first)
QUERIES = [
    # Vietnamese, with and without diacritics, and misspelt
    ("Tháp Đôi", "thap-doi"),
    ("thap doi", "thap-doi"),
    ("thap doii quy nhon", "thap-doi"),
    ("thap banh it", "banh-it"),
    ("Tháp Dương Long", "duong-long"),
    ("canh tien", "canh-tien"),
    ("thap phu loc", "phu-loc"),
    ("binh lam", "binh-lam"),
    ("thanh hoang de", "thanh-hoang-de"),
    ("thanh do ban", "thanh-hoang-de"),
    ("bao tang quang trung", "quang-trung-museum"),
    ("ghenh rang tien sa", "ghenh-rang-tien-sa"),
    ("mo han mac tu", "han-mac-tu-tomb"),
    ("eo gio", "eo-gio"),
    ("ky co", "ky-co"),
    ("chua thap thap di da", "thap-thap-di-da"),
    ("chùa ông núi", "ong-nui-pagoda"),
    ("ham ho", "ham-ho"),
    ("thap po klong garai", "po-klong-garai"),
    ("thap po rom", "po-rome"),
    ("thap hoa lai", "hoa-lai"),
    ("lang gom bau truc", "bau-truc"),
    ("det tho cam my nghiep", "my-nghiep"),
    ("vinh vinh hy", "vinh-hy-bay"),
    ("vuon quoc gia nui chua", "nui-chua-park"),
    ("doi cat nam cuong", "nam-cuong-dunes"),
    ("hang rai", "hang-rai"),
    ("bao tang ninh thuan", "ninh-thuan-museum"),
    ("canh dong muoi ca na", "ca-na-salt-fields"),
    # English, misspelt too
    ("Twin Towers", "thap-doi"),
    ("twin tower", "thap-doi"),
    ("silver towers", "banh-it"),
    ("ivory towers", "duong-long"),
    ("po klong garay", "po-klong-garai"),
    ("Vin Hy bay", "vinh-hy-bay"),
    ("quang trung musem", "quang-trung-museum"),
    ("bau truk pottery village", "bau-truc"),
    ("Nam Cuong sand dunes", "nam-cuong-dunes"),
    ("tomb of han mac tu", "han-mac-tu-tomb"),
    # Chinese
    ("双塔", "thap-doi"),
    ("银塔", "banh-it"),
    ("永熙湾", "vinh-hy-bay"),
    ("光中博物馆", "quang-trung-museum"),
    ("卡纳盐田", "ca-na-salt-fields"),
    # Korean
    ("쌍탑", "thap-doi"),
    ("포끌롱가라이", "po-klong-garai"),
    ("빈히만", "vinh-hy-bay"),
    ("꽝쭝 박물관", "quang-trung-museum"),
    # Japanese
    ("ツインタワー", "thap-doi"),
    ("ポークロンガライ", "po-klong-garai"),
    ("ヌイチュア国立公園", "nui-chua-park"),
    # French
    ("tours jumelles", "thap-doi"),
    ("baie de vinh hy", "vinh-hy-bay"),
    ("village de potiers bau truc", "bau-truc"),
    # Russian
    ("башни близнецы", "thap-doi"),
    ("По Клонг Гарай", "po-klong-garai"),
    ("музей Куанг Чунга", "quang-trung-museum"),
    # German, with and without umlauts
    ("Zwillingstürme", "thap-doi"),
    ("zwillingsturme", "thap-doi"),
    ("Töpferdorf Bau Truc", "bau-truc"),
    ("Nationalpark Nui Chua", "nui-chua-park"),
]


@pytest.fixture(scope="module")
def index(shipped_sites: list[Site]) -> SearchIndex:
    return SearchIndex(shipped_sites)


def test_the_table_covers_every_language_and_forty_queries() -> None:
    assert len(QUERIES) >= 40


@pytest.mark.parametrize(("query", "key"), QUERIES)
def test_a_tourist_query_finds_the_right_site_first(
    index: SearchIndex, query: str, key: str
) -> None:
    hits = index.search(query)
    assert hits, f"{query!r} found nothing"
    assert hits[0].key == key, [(hit.key, hit.score, hit.matched) for hit in hits[:3]]


@pytest.mark.parametrize("query", ["pizza hut", "qwxz", "eiffel tower paris", "   "])
def test_queries_about_nothing_here_find_nothing(index: SearchIndex, query: str) -> None:
    assert index.search(query) == []


def test_hits_are_best_first_and_limited(index: SearchIndex) -> None:
    hits = index.search("thap", limit=5)
    assert len(hits) <= 5
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)


def test_distance_between_quy_nhon_and_phan_rang_is_about_right() -> None:
    # Straight line between the two city centres: about 230 km.
    assert distance_km(13.776, 109.224, 11.567, 108.988) == pytest.approx(247, rel=0.05)


def test_nearby_is_sorted_and_within_the_radius(shipped_sites: list[Site]) -> None:
    # The Po Klong Garai towers themselves.
    found = nearby(shipped_sites, 11.6, 108.94, radius_km=15)
    distances = [distance for _, distance in found]
    assert found[0][0].key == "po-klong-garai"
    assert distances == sorted(distances)
    assert all(distance <= 15 for distance in distances)
    assert {"po-rome", "bau-truc"} <= {site.key for site, _ in found}
    assert all(site.province.former == "Ninh Thuận" for site, _ in found)
