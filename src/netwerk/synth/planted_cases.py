"""Cases (casussen) linked to persons, addresses, signals and partners: planted ones around hotspots,
youth groups, rings and a big family, plus background cases built on ordinary signals."""

from __future__ import annotations

import numpy as np

from netwerk.synth.signals import SignalArrays
from netwerk.synth.world import N_DAYS, World, day

_PARTNERS = {
    "woon": ["acantus", "gemeente-mzo", "wijkteam-oldambt"],
    "zorg": ["gemeente-mzo", "wijkteam-oldambt", "lentis", "veilig-thuis-groningen"],
    "jeugd": ["jongerenwerk-oldambt", "politie-oldambt", "halt-noord"],
    "ondermijning": ["riec-noord", "politie-oldambt", "om-noord"],
}


def _case(w: World, domain: str, title: str, opened: int, persons: list[int], addresses: list[int],
          signals: list[int]) -> int:
    rng = w.rng
    opened = int(min(max(opened, 0), N_DAYS - 5))
    cid = len(w.case_rows)
    closed = min(opened + int(rng.integers(60, 360)), N_DAYS - 1)
    is_closed = cid % 3 == 1 and closed > opened
    w.case_rows.append({"opened": day(opened), "closed": day(closed) if is_closed else None,
                        "phase": str(rng.integers(1, 5)), "title": title, "domain": domain})
    w.case_links.extend((cid, "person", p, "betrokkene") for p in dict.fromkeys(persons) if p >= 0)
    w.case_links.extend((cid, "address", a, "adres") for a in dict.fromkeys(addresses))
    w.case_links.extend((cid, "signal", s, "aanleiding") for s in dict.fromkeys(signals))
    partners = _PARTNERS[domain]
    k = int(rng.integers(1, len(partners) + 1))
    w.case_links.extend((cid, "partner", p, "casusregisseur" if i == 0 else "partner")
                        for i, p in enumerate(partners[:k]))
    return cid


def _street(w: World, a: int) -> str:
    row = w.addr.loc[a]
    return f"{row.street} {row.house_number}{row.house_letter}"


def plant_cases(w: World, bg: SignalArrays, bg_domain: np.ndarray, n_planted: int) -> None:
    rng, gt = w.rng, w.gt
    day_of = {k: int((s["ts"] - day(0).astype("datetime64[s]")).astype(int) // 86400)
              for k, s in enumerate(w.planted_signals)}
    cases: list[int] = []
    hot = [h for h in gt["address_hotspots"] if h["domain"] in ("woon", "zorg")][:6]
    for h in hot:
        sig = h["signal_ids"]
        opened = day_of[sig[min(3, len(sig) - 1)]] + int(rng.integers(0, 30))
        res = w.resident(h["address_id"], min(opened, N_DAYS - 1))
        title = ("Woonoverlast " if h["domain"] == "woon" else "Zorgen rond bewoner ") + _street(w, h["address_id"])
        cases.append(_case(w, h["domain"], title, opened, [res], [h["address_id"]], sig[:5]))
    for g in gt["youth_groups"][0:3:2]:
        sig = g["signal_ids"]
        place = w.buurten.name[w.buurten.index(g["buurt_code"])]
        cases.append(_case(w, "jeugd", f"Jeugdgroep {place}", day_of[sig[len(sig) // 2]], g["members"][:4], [],
                           sig[:3]))
    for ring in gt["rings"][:2]:
        sig = ring["signal_ids"]
        cases.append(_case(w, "ondermijning", f"Signalen uitbuiting {_street(w, ring['addresses'][0])}",
                           day_of[sig[0]] + 14, [ring["facilitator"]], ring["addresses"], sig))
    fam = int(gt["confounders"]["big_families"][0])
    cases.append(_case(w, "zorg", f"Multiprobleemgezin {_street(w, fam)}", int(rng.integers(100, 500)),
                       [], [fam], []))
    # background cases on signals that involve a resident
    rows = bg.sp_row[np.isin(bg_domain[bg.sp_row], ["woon", "zorg"]) & (bg.address[bg.sp_row] >= 0)]
    n_bg = min(rows.size, max(9, bg.t.size // 20_000))
    for i in rng.choice(np.flatnonzero(np.isin(bg.sp_row, rows)), n_bg, replace=False):
        r = int(bg.sp_row[i])
        dom = str(bg_domain[r])
        cases.append(_case(w, dom, f"Casus {dom} {_street(w, int(bg.address[r]))}", int(bg.t[r] // 86400) + 10,
                           [int(bg.sp_person[i])], [int(bg.address[r])], [n_planted + r]))
    gt["cases"] = cases

