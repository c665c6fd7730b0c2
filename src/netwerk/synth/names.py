"""Name pools (Dutch and labour-migrant), street names and BSNs passing the elfproef."""

from __future__ import annotations

import numpy as np


def _words(text: str, sep: str | None = None) -> np.ndarray:
    return np.array(text.split(sep))


FIRST_M = _words(
    "Jan Pieter Henk Klaas Gerrit Harm Jannes Albert Bert Johan Kees Wim Jeroen Martijn Sander Bas "
    "Thomas Daan Sem Lucas Levi Finn Milan Noah Luuk Jesse Ruben Tim Bram Stijn Mohammed Ahmed "
    "Dirk Roelf Geert Hendrik Willem Marco Dennis Rick Kevin Niels Jelle Thijs Teun Mees"
)
FIRST_V = _words(
    "Anna Grietje Jantje Hilda Aaltje Geesje Marja Ingrid Anita Monique Sandra Linda Esther Petra "
    "Sanne Lisa Eva Emma Julia Sophie Tess Fleur Lotte Noa Mila Zoë Nina Roos Femke Iris Fatima "
    "Yasmina Ilse Marieke Wilma Tineke Roelie Janny Hennie Joke Karin Mirjam Elif Sara Daphne Amber"
)
LAST = _words(
    "de Vries|Jansen|Bakker|Visser|Smit|Meijer|Mulder|de Boer|Bos|Dijkstra|Kuipers|Huizinga|Hofstede|"
    "Wieringa|Oosting|Pot|Veenstra|Postma|Dijkhuis|Kloosterhuis|Zuidema|Oosterhof|Tuin|Hoving|Wubbena|"
    "Kruizinga|Bolhuis|Brouwer|van der Veen|Boven|Schuur|Dekker|Hoekstra|Bosma|Vos|Prins|Timmer|Lubbers|"
    "Haan|Stel|Hemmes|Koops|Kamps|Kaptein|Nijborg|Beukema|Sikkema|Groen|Zwiers|Wolters|Reinders|Hendriks|"
    "Smid|Venema|Doornbos|Nienhuis|Ubbens|Bruins|Lageveen|Stoel|Jager|Bouma|Huisman|Wiersma|Yilmaz|Kaya|"
    "El Amrani|Bouzid|Nguyen|Ramdin|Pinas|Soekhai|de Graaf|van Dijk|Kramer|Scholten|Sluiter|Mellema", "|"
)
MIGRANT_FIRST_M = _words(
    "Andrei Ion Mihai Florin Bogdan Adrian Piotr Tomasz Krzysztof Marek Pawel Georgi Dimitar Ivan "
    "Nikolai Stefan Laszlo Tamas Vasile Darius"
)
MIGRANT_FIRST_V = _words(
    "Maria Elena Ioana Andreea Alina Mihaela Agnieszka Katarzyna Magdalena Anna Ewa Desislava Petya "
    "Galina Ivana Zsofia Eszter Lan Thi Mai Hoa Linh Oksana Natalia"
)
MIGRANT_LAST = _words(
    "Popescu|Ionescu|Popa|Dumitru|Stan|Stoica|Gheorghe|Rusu|Nowak|Kowalski|Wisniewski|Wojcik|Kaminski|"
    "Lewandowski|Zielinski|Ivanov|Petrov|Georgiev|Dimitrov|Nikolov|Horvath|Nagy|Kovacs|Szabo|Toth|Nguyen|"
    "Tran|Pham|Le|Hoang|Balan|Munteanu|Moldovan|Marin|Constantin|Lupu", "|"
)
_STREET_STEM = _words(
    "Acacia Berken Beuken Eiken Essen Linden Wilgen Populieren Kastanje Meidoorn Vlier Hazelaar Esdoorn "
    "Seringen Rozen Tulpen Narcissen Dahlia Anjer Lelie Merel Lijster Spreeuw Zwaluw Kievit Grutto Reiger "
    "Zeemeeuw Buizerd Havik Tromp Rembrandt Heemskerk Evertsen Vermeer Hooft Vondel Bilderdijk Thorbecke "
    "Oranje Nassau Juliana Beatrix Wilhelmina Bernhard Emma Sophia Koning Graaf Molen Kerk School Sluis "
    "Dijk Venne Hamrik Oude Nieuwe Noorder Zuider Ooster Wester Hoge Lange Korte Brede Smalle Boven "
    "Beneden Kloster Heerd Esch Akker Weide Klei Veen Zand Tichel Mark Hooi Koren Vlas Garst Haver Rogge"
)
_STREET_SUFFIX = _words("straat laan weg plein hof dreef pad singel kade wijk")
STREETS = np.array([f"{s}{x}" for x in _STREET_SUFFIX for s in _STREET_STEM])

# BSN weights: 9..2 for the first eight digits, -1 for the check digit.
_BSN_W = np.array([9, 8, 7, 6, 5, 4, 3, 2])


def bsns(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` distinct 9-digit BSNs that pass the elfproef (random order)."""
    out: np.ndarray = np.empty(0, dtype=np.int64)
    while out.size < n:
        prefix = rng.integers(10_000_000, 70_000_000, size=int((n - out.size) * 1.25) + 16)
        digits = (prefix[:, None] // 10 ** np.arange(7, -1, -1)) % 10
        check = (digits * _BSN_W).sum(axis=1) % 11
        ok = check < 10
        cand = prefix[ok] * 10 + check[ok]
        out = np.concatenate([out, cand])
        _, first = np.unique(out, return_index=True)
        out = out[np.sort(first)]
    return np.char.zfill(out[:n].astype(str), 9)


def elfproef(bsn: str) -> bool:
    d = [int(c) for c in bsn]
    return len(d) == 9 and (sum(w * x for w, x in zip(range(9, 1, -1), d[:8], strict=True)) - d[8]) % 11 == 0


def first_names(rng: np.random.Generator, gender: np.ndarray, migrant: bool = False) -> np.ndarray:
    m, v = (MIGRANT_FIRST_M, MIGRANT_FIRST_V) if migrant else (FIRST_M, FIRST_V)
    return np.where(gender == "M", rng.choice(m, gender.size), rng.choice(v, gender.size))


def last_names(rng: np.random.Generator, n: int, migrant: bool = False) -> np.ndarray:
    return rng.choice(MIGRANT_LAST if migrant else LAST, n)
