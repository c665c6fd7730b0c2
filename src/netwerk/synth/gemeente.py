"""The municipality a generator run builds: its buurten, partners and where each planted pattern goes.

Oldambt (GM1895, the default) keeps its hand-chosen layout so its output stays byte-identical per seed.
Every other municipality is laid out from the national CBS data alone: its real buurten (label points,
polygons when the areas module gives them), ranked by how compact they are (the town centre first).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from netwerk.synth.geo import Buurten, load_buurten

DEFAULT = "GM1895"
OLDAMBT_PARTNERS = [  # partner key (internal), name, type; Oldambt writes the keys as ids
    ("politie-oldambt", "Politie Noord-Nederland, basisteam Oldambt", "politie"),
    ("acantus", "Acantus", "woningcorporatie"),
    ("jongerenwerk-oldambt", "Jongerenwerk Oldambt", "jongerenwerk"),
    ("wijkteam-oldambt", "Sociaal Wijkteam Oldambt", "wijkteam"),
    ("lentis", "Lentis (GGZ)", "zorg"),
    ("veilig-thuis-groningen", "Veilig Thuis Groningen", "veilig_thuis"),
    ("halt-noord", "Halt Noord-Nederland", "halt"),
    ("riec-noord", "RIEC Noord-Nederland", "riec"),
    ("om-noord", "OM Noord-Nederland", "om"),
    ("gemeente-mzo", "Gemeente Oldambt - Meldpunt Zorg en Overlast", "mzo"),
    ("gemeente-oldambt", "Gemeente Oldambt - Openbare Ruimte", "gemeente"),
    ("gemeente-boa", "Gemeente Oldambt - Handhaving (BOA)", "gemeente"),
    ("meld-misdaad-anoniem", "Meld Misdaad Anoniem", "meld_misdaad_anoniem"),
]
# the same partners elsewhere: id and name templates ({slug}, {name} of the municipality)
_GENERIC_PARTNERS = [
    ("politie-{slug}", "Politie, basisteam {name}"), ("woningcorporatie-{slug}", "Woningcorporatie {name}"),
    ("jongerenwerk-{slug}", "Jongerenwerk {name}"), ("wijkteam-{slug}", "Sociaal Wijkteam {name}"),
    ("ggz-regio", "GGZ-instelling in de regio"), ("veilig-thuis-regio", "Veilig Thuis (regio)"),
    ("halt-regio", "Halt (regio)"), ("riec-regio", "RIEC (regio)"), ("om-regio", "OM (arrondissement)"),
    ("gemeente-{slug}-mzo", "Gemeente {name} - Meldpunt Zorg en Overlast"),
    ("gemeente-{slug}", "Gemeente {name} - Openbare Ruimte"),
    ("gemeente-{slug}-boa", "Gemeente {name} - Handhaving (BOA)"),
    ("meld-misdaad-anoniem", "Meld Misdaad Anoniem"),
]

# Places and PC4 of the seed municipalities (per wijk, overridden per buurt); others use their own name.
_PLACES: dict[str, dict[str, tuple[str, int]]] = {
    "GM0141": {"WK0141": ("Almelo", 7600), "WK014120": ("Aadorp", 7611), "WK014121": ("Bornerbroek", 7627)},
    "GM1598": {
        "WK159800": ("De Goorn", 1648), "BU15980002": ("Berkhout", 1647), "BU15980003": ("Bobeldijk", 1647),
        "WK159801": ("Spierdijk", 1641), "WK159802": ("Zuidermeer", 1644), "WK159803": ("Ursem", 1645),
        "WK159804": ("Avenhorn", 1633), "BU15980401": ("Scharwoude", 1634), "WK159805": ("Oudendijk", 1636),
        "WK159806": ("Obdam", 1713), "WK159807": ("Hensbroek", 1711),
    },
}
_SPREAD = re.compile(r"^(verspreide huizen|buitengebied)", re.IGNORECASE)
_INDUSTRY = re.compile(r"industrie|bedrijven|bedrijfs|haven", re.IGNORECASE)


@dataclass(frozen=True)
class Layout:
    """Where the planted patterns go (buurt codes) and who the partners are."""

    code: str
    name: str
    town: list[str]  # the compact core: hotspots, fenomeen, students, loose youths
    centre: list[str]  # excluded when hotspots are placed "elsewhere"
    fenomeen: list[str]  # candidates for the area fenomeen
    locations: list[tuple[str, float, float, str]]  # (name, lat, lon, buurt) of the two youth hang-outs
    rings: list[list[str]]  # buurten of each trafficking ring
    students: list[str]
    families: list[str]
    spread: list[str]  # countryside buurten (labour-migrant housing)
    industry: list[str]
    groups: list[tuple[str, str]]  # (name, buurt) of the five planted youth groups
    partners: list[tuple[str, str, str]]  # (id, name, type) parallel to OLDAMBT_PARTNERS (the keys)


def oldambt() -> tuple[Buurten, Layout]:
    b = load_buurten()
    return b, Layout(
        code="GM1895", name="Oldambt", town=list(b.code[:8]),
        centre=[c for c in b.code if c.startswith("BU1895000")],
        fenomeen=["BU18950001", "BU18950002", "BU18950006", "BU18950007"],
        locations=[("Stadspark Winschoten", 53.1392, 7.0285, "BU18950003"),
                   ("Marktplein Scheemda", 53.1790, 6.9722, "BU18950600")],
        rings=[["BU18950000", "BU18950001"], ["BU18950600", "BU18950601"],
               ["BU18950501", "BU18950500", "BU18950502"]],
        students=["BU18950000", "BU18950001", "BU18950002"],
        families=[*b.code[:8], "BU18950600", "BU18950300"],
        spread=[c for c, nm in zip(b.code, b.name, strict=True) if nm.startswith("Verspreide")],
        industry=["BU18950008"],
        groups=[("JGP Stadspark", "BU18950003"), ("JGP Marktplein Scheemda", "BU18950600"),
                ("JGP Winschoten-Noord", "BU18950002"), ("", "BU18950000"), ("JGP Finsterwolde", "BU18950100")],
        partners=list(OLDAMBT_PARTNERS),
    )


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _nearest_m(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Distance (m) from each label point to the nearest other one."""
    dy = (lat[:, None] - lat[None, :]) * 111_320.0
    dx = (lon[:, None] - lon[None, :]) * 111_320.0 * np.cos(np.radians(lat.mean()))
    d = np.hypot(dx, dy)
    np.fill_diagonal(d, np.inf)
    return np.asarray(d.min(axis=1)) if d.shape[0] > 1 else np.full(d.shape[0], 1000.0)


def _place(code: str, wijk: str, gemeente: str, name: str) -> tuple[str, int]:
    table = _PLACES.get(gemeente, {})
    for key in (code, wijk, wijk[:6]):
        if key in table:
            return table[key]
    return name, 1000 + (int(gemeente[2:]) * 37) % 8900  # synthetic PC4 outside the seed table


def _national_buurten(gemeente: str) -> tuple[str, pd.DataFrame]:
    """(name, buurten with code, name, wijk_code, lat, lon, geometry) from the built-in national areas."""
    from netwerk.geo.national import national_areas

    areas = national_areas().for_gemeenten([gemeente])
    f = areas.frame
    gm = f[f["kind"] == "gemeente"]
    if gm.empty:
        raise ValueError(f"onbekende gemeente {gemeente!r}: geen CBS-gemeentecode (GMxxxx) in de landelijke data")
    bu = areas.of_kind("buurt")
    df = bu.frame.assign(geometry=list(bu.geometries)).sort_values("area_code").reset_index(drop=True)
    df = df.rename(columns={"area_code": "code"})
    df["wijk_code"] = df["parent_code"].fillna("WK" + df["code"].str.slice(2, 8))
    # a coarse polygon that misses its own label point is too coarse to keep points in: use the point only
    geoms = [g if g is not None and shapely.contains_xy(g, x, y) else None
             for g, x, y in zip(df["geometry"], df["lon"], df["lat"], strict=True)]
    df["geometry"] = pd.Series(geoms, index=df.index, dtype=object)
    return str(gm["name"].iloc[0]), df[["code", "name", "wijk_code", "lat", "lon", "geometry"]]


def resolve_gemeente(text: str) -> str:
    """A CBS gemeentecode from a code ("GM0141", "gm0141", "0141") or a name ("Almelo", case-insensitive)."""
    t = text.strip()
    if re.fullmatch(r"(?i:gm)?\d{4}", t):
        return "GM" + t[-4:]
    from netwerk.geo.national import national_areas

    f = national_areas(("gemeente",)).frame
    hit = f.loc[f["name"].str.casefold() == t.casefold(), "area_code"]
    if hit.empty:
        raise ValueError(f"onbekende gemeente {text!r}: geef een CBS-gemeentecode (bv. GM0141) of de naam (bv. Almelo)")
    return str(hit.iloc[0])


def load_gemeente(code: str = DEFAULT) -> tuple[Buurten, Layout]:
    """The buurten and layout of the municipality ``code`` (CBS code ``GM`` + 4 digits, or its name)."""
    code = resolve_gemeente(code)
    if code == DEFAULT:
        return oldambt()
    name, df = _national_buurten(code)
    if df.empty:
        raise ValueError(f"gemeente {code} ({name}) heeft geen buurten in de landelijke data")
    codes = df["code"].to_numpy()
    names = df["name"].to_numpy()
    lat, lon = df["lat"].to_numpy(float), df["lon"].to_numpy(float)
    spread = np.array([bool(_SPREAD.match(n)) for n in names])
    industry = np.array([bool(_INDUSTRY.search(n)) for n in names]) & ~spread
    nn = _nearest_m(lat, lon)
    ordinary = ~spread & ~industry
    # the compact core: ordinary buurten with the closest neighbours
    core_order = [int(i) for i in np.argsort(np.where(ordinary, nn, np.inf), kind="stable") if ordinary[i]]
    town_idx = core_order[:8]
    if len(town_idx) < min(4, len(codes)):  # few ordinary buurten: the most compact of all
        town_idx = [int(i) for i in np.argsort(nn, kind="stable")][:4]
    town = [str(codes[i]) for i in town_idx]
    weight = np.where(spread, 0.4, np.where(industry, 1.0, 1.5))
    weight[town_idx] = 6.0
    sigma = np.where(spread, np.clip(0.5 * nn, 400, 1100), np.clip(0.3 * nn, 90, 300))
    places = [_place(c, w, code, name) for c, w in zip(codes, df["wijk_code"], strict=True)]
    b = Buurten(
        code=codes, name=names, wijk=df["wijk_code"].to_numpy(),
        city=np.array([p for p, _ in places]), pc4=np.array([n for _, n in places]),
        lat=lat, lon=lon, weight=weight / weight.sum(), sigma_m=sigma,
        polygons=list(df["geometry"]) if df["geometry"].notna().any() else None,
    )
    others = [str(c) for i, c in enumerate(codes) if i not in town_idx and not spread[i]] or town
    spread_codes = [str(c) for c in codes[spread]] or [str(codes[i]) for i in np.argsort(-nn)[:2]]
    loc_b = [town[4], town[5]] if len(town) >= 6 else [town[-1], town[-2 if len(town) > 1 else -1]]
    city_of = dict(zip(b.code, b.city, strict=True))
    name_of = dict(zip(b.code, b.name, strict=True))
    spots = [(lat[b.index(c)], lon[b.index(c)]) for c in loc_b]
    if loc_b[0] == loc_b[1]:  # one buurt: the square lies 600 m east of the park
        spots[1] = (spots[0][0], spots[0][1] + 600 / (111_320.0 * np.cos(np.radians(spots[0][0]))))
    locations = [(f"Park {name_of[loc_b[0]]}", _round(spots[0][0]), _round(spots[0][1]), loc_b[0]),
                 (f"Plein {city_of[loc_b[1]]}", _round(spots[1][0]), _round(spots[1][1]), loc_b[1])]
    slug = _slug(name)
    partners = [(i.format(slug=slug), n.format(name=name), t) for (i, n), (_, _, t)
                in zip(_GENERIC_PARTNERS, OLDAMBT_PARTNERS, strict=True)]
    fallen = others[0]
    return b, Layout(
        code=code, name=name, town=town, centre=town, fenomeen=town[:4], locations=locations,
        rings=[town[:2], town[2:4] or town[:2], (others[1:4] if len(others) > 3 else town[5:8]) or town[:3]],
        students=town[:3], families=[*town, *others[:2]], spread=spread_codes,
        industry=[str(c) for c in codes[industry]],
        groups=[(f"JGP {locations[0][0]}", loc_b[0]), (f"JGP {locations[1][0]}", loc_b[1]),
                (f"JGP {name_of[_cyc(town, 2)]}", _cyc(town, 2)), ("", town[0]), (f"JGP {name_of[fallen]}", fallen)],
        partners=partners,
    )


def _cyc(items: list[str], i: int) -> str:
    return items[i % len(items)]


def _round(x: float) -> float:
    return round(float(x), 4)
