"""The web application in real headless Chromium, on the small synthetic municipality.

Every test logs in through the login form, works the page as a user would (forms, clicks, keyboard) and
checks what the page shows against the service layer on the same store. axe-core runs on every page
(0 serious or critical WCAG 2.1 AA violations); screenshots land in ``test-artefacts/web/``.
"""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from netwerk import auth
from netwerk.access import Actor
from netwerk.settings import Settings
from netwerk.store import GraphStore
from netwerk.store.embedded import EmbeddedStore
from netwerk.web.app import create_app
from netwerk.web.server import serve_in_thread

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
ARTEFACTS = Path(__file__).resolve().parents[1] / "test-artefacts" / "web"
PASSWORD = "een-lang-testwachtwoord-42"
#: user → (role, purpose chosen at login)
USERS = {
    "anna": ("analist", "analyse"),
    "vera": ("veiligheidsadviseur", "ondermijningsanalyse"),
    "cor": ("coordinator_jeugd", "risicojongeren-overleg"),
    "bea": ("beheerder", "beheer"),
}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def actor(user: str) -> Actor:
    role, purpose = USERS[user]
    return Actor.of(user, role, purpose, via="sessie")


@pytest.fixture(scope="module")
def web_store(town_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    """A private copy of the ingested small municipality with one user per role."""
    path = tmp_path_factory.mktemp("webstore") / "store"
    shutil.copytree(town_store_path, path)
    st = EmbeddedStore(path)
    for name, (role, _) in USERS.items():
        auth.add_user(st, name, PASSWORD, role)
    yield st
    st.close()


@pytest.fixture(scope="module")
def base_url(web_store: GraphStore) -> Iterator[str]:
    app = create_app(Settings(), web_store)
    with serve_in_thread(app) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright import sync_api
    except ImportError:  # a dev dependency: missing means a broken set-up, never a silent skip
        pytest.fail("playwright ontbreekt: pip install -e '.[dev]'")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"geen {CHROMIUM}: apt-get install -y chromium")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Session:
    """One logged-in browser tab; records every request that would leave 127.0.0.1."""

    def __init__(self, browser: Any, base: str, user: str) -> None:
        self.base = base
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.page.set_default_timeout(90_000)  # a shared 2-core machine can be slow
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.page.route("**/*", self._guard)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        purpose = USERS[user][1]
        self.goto("/inloggen")
        self.page.fill("#gebruiker", user)
        self.page.fill("#wachtwoord", PASSWORD)
        self.page.check(f"#doel-{purpose}")
        self.page.click("form.formulier button[type=submit]")
        self.page.wait_for_url(re.compile(r".*/overzicht$"))

    def _guard(self, route: Any) -> None:
        if route.request.url.startswith(self.base) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def goto(self, path: str) -> Any:
        return self.page.goto(self.base + path)

    def axe(self) -> list[dict[str, Any]]:
        """Serious and critical WCAG 2.1 A/AA violations on the current page."""
        self.page.add_script_tag(url=self.base + "/assets/vendor/axe.min.js")
        found = self.page.evaluate(
            "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations"
            ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))", AXE_TAGS)
        return [v for v in found if v["impact"] in ("serious", "critical")]

    def shot(self, name: str) -> None:
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)

    def close(self) -> None:
        self.context.close()
        assert self.outside == [], f"verzoeken buiten de server: {self.outside}"
        assert self.errors == [], f"JavaScript-fouten: {self.errors}"


@pytest.fixture
def session_of(browser: Any, base_url: str) -> Iterator[Any]:
    opened: list[Session] = []

    def open_(user: str) -> Session:
        s = Session(browser, base_url, user)
        opened.append(s)
        return s

    yield open_
    for s in opened:
        s.close()


# ------------------------------------------------------------------------------------------ every page
PAGES = {
    "anna": ["/overzicht", "/kaart", "/jeugdnetwerk", "/ondermijning", "/verkennen", "/casussen", "/monitoring",
             "/casussen/agenda"],
    "bea": ["/overzicht", "/beheer"],
}


@pytest.mark.parametrize("user", sorted(PAGES))
def test_every_page_opens_accessible_with_purpose_shown(session_of: Any, user: str) -> None:
    s = session_of(user)
    nav = s.page.locator("nav[aria-label=Hoofdmenu] a").all_inner_texts()
    for path in PAGES[user]:
        response = s.goto(path)
        assert response is not None and response.status == 200, path
        if path == "/jeugdnetwerk":
            s.page.wait_for_selector("#graaf[data-getekend='1']")
        assert s.page.locator("html").get_attribute("lang") == "nl"
        assert s.page.locator(".doel").get_attribute("data-doel") == USERS[user][1], path
        assert s.page.locator("h1").count() >= 1
        assert s.axe() == [], path
        s.shot(f"{user}{path.replace('/', '-')}")
    if user == "bea":
        assert nav == ["Overzicht", "Beheer"]
    else:
        assert "Beheer" not in nav and {"Kaart", "Jeugdnetwerk", "Ondermijning", "Verkennen"} <= set(nav)


def test_login_page_accessible_and_wrong_password_refused(browser: Any, base_url: str) -> None:
    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(base_url + "/kaart")  # not logged in: to the login page, back to /kaart afterwards
    assert "/inloggen" in page.url
    page.add_script_tag(url=base_url + "/assets/vendor/axe.min.js")
    found = page.evaluate("async (t) => (await axe.run(document, {runOnly: {type: 'tag', values: t}}))"
                          ".violations.filter(v => ['serious', 'critical'].includes(v.impact)).map(v => v.id)",
                          AXE_TAGS)
    assert found == []
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "inloggen.png"), full_page=True)
    page.fill("#gebruiker", "anna")
    page.fill("#wachtwoord", "fout")
    page.check("#doel-analyse")
    page.click("form.formulier button[type=submit]")
    assert "klopt niet" in page.locator("#fout").inner_text()
    page.fill("#wachtwoord", PASSWORD)
    page.check("#doel-beheer")  # not a purpose of the analist
    page.click("form.formulier button[type=submit]")
    assert "past niet bij uw rol" in page.locator("#fout").inner_text()
    page.fill("#wachtwoord", PASSWORD)
    page.check("#doel-analyse")
    page.click("form.formulier button[type=submit]")
    page.wait_for_url(re.compile(r".*/kaart$"))
    ctx.close()


# ------------------------------------------------------------------------------------------------ kaart
def test_map_filter_and_hotspot_click_match_the_service(session_of: Any, web_store: GraphStore) -> None:
    from netwerk.services.hotspots import hotspots

    s = session_of("anna")
    s.goto("/kaart")
    domain = "openbare_orde"
    s.page.select_option("#domein", domain)
    s.page.click("form.filters button[type=submit]")
    s.page.wait_for_url(re.compile(r".*domein=openbare_orde.*"))
    expected = hotspots(web_store, actor("anna"), domain=domain)
    assert expected, "de kleine gemeente heeft hotspots in openbare orde"
    keys = s.page.locator("#hotspot-tabel tbody tr").evaluate_all("rows => rows.map(r => r.dataset.key)")
    assert keys == [h["key"] for h in expected]
    from netwerk.web.data import areas

    own = areas(web_store)  # the municipality's own buurten with a shape
    assert own and s.page.locator("path.buurt").count() == len(own)
    marker = s.page.locator("circle.hotspot").first
    key = marker.get_attribute("data-key")
    marker.dispatch_event("click")  # markers may overlap: fire on this one
    s.page.wait_for_url(re.compile(r".*/kaart/hotspot/.*"))
    h = next(h for h in expected if h["key"] == key)
    assert s.page.locator("#hotspot-meldingen").inner_text() == str(h["n_signals"])
    assert s.page.locator("#bewijs tbody tr").count() == len(h["evidence"])
    assert s.page.locator("svg.grafiek rect").count() >= 1
    assert s.axe() == []
    s.shot("anna-kaart-hotspot")


# ----------------------------------------------------------------------------------------- jeugdnetwerk
def test_network_node_click_keyboard_expand_and_exports(session_of: Any, web_store: GraphStore) -> None:
    from netwerk.services.groups import groups

    s = session_of("cor")
    s.goto("/jeugdnetwerk")
    s.page.wait_for_selector("#graaf[data-getekend='1']")
    # detected groups (G1…); registered groups that fell apart (R-…) are listed, not drawn
    svc = [g for g in groups(web_store, actor("cor")) if re.fullmatch(r"G\d+", g["group_id"])]
    members = {p for g in svc for p in g["members"]}
    drawn = set(s.page.evaluate("netwerkGraaf.graph.nodes()"))
    assert members and members <= drawn
    # click a group member on the canvas
    pid = sorted(next(g for g in svc if g["group_id"] == "G1")["members"])[0]
    box = s.page.locator("#graaf").bounding_box()
    s.page.evaluate("(n) => netwerkGraaf.renderer.getCamera().setState({x: 0.5, y: 0.5, ratio: 1})", pid)
    s.page.wait_for_timeout(300)
    vp = s.page.evaluate("(n) => { const a = netwerkGraaf.graph.getNodeAttributes(n);"
                         " return netwerkGraaf.renderer.graphToViewport({x: a.x, y: a.y}); }", pid)
    s.page.mouse.click(box["x"] + vp["x"], box["y"] + vp["y"])
    s.page.wait_for_selector("#paneel dl[data-persoon]")
    clicked = s.page.locator("#paneel dl").get_attribute("data-persoon")
    group_of = {p: g["group_id"] for g in svc for p in g["members"]}
    assert s.page.locator("#paneel-groep").inner_text() == group_of.get(clicked, "geen")
    # the same by keyboard only: choose a person in the list and press the button
    other = sorted(members - {clicked})[0]
    s.page.focus("#kies-persoon")
    s.page.select_option("#kies-persoon", other)
    s.page.keyboard.press("Tab")
    assert s.page.evaluate("document.activeElement.id") == "toon-persoon"
    s.page.keyboard.press("Enter")
    s.page.wait_for_selector(f"#paneel dl[data-persoon='{other}']")
    assert s.page.locator("#paneel-groep").inner_text() == group_of[other]
    # filter on one group, then expand a member's neighbours
    s.goto("/jeugdnetwerk?groep=G1")
    s.page.wait_for_selector("#graaf[data-getekend='1']")
    g1 = next(g for g in svc if g["group_id"] == "G1")
    assert set(s.page.evaluate("netwerkGraaf.graph.nodes()")) >= set(g1["members"])
    before = s.page.evaluate("netwerkGraaf.graph.order")
    s.page.evaluate("(n) => netwerkGraaf.select(n)", g1["members"][0])
    s.page.click("#paneel button[data-buren]")
    s.page.wait_for_selector("#graaf-status:has-text('buren toegevoegd')")
    assert s.page.evaluate("netwerkGraaf.graph.order") >= before
    # exports
    gexf = s.page.request.get(s.base + "/jeugdnetwerk/export.gexf?groep=G1")
    assert gexf.status == 200
    nodes = [n for n in ET.fromstring(gexf.body()).iter() if n.tag.endswith("}node")]
    assert len(nodes) == before
    png = s.page.request.get(s.base + "/jeugdnetwerk/export.png")
    assert png.status == 200 and png.body()[:8] == b"\x89PNG\r\n\x1a\n"
    s.shot("cor-jeugdnetwerk-paneel")


# -------------------------------------------------------------------------------------------- verkennen
def test_search_ego_and_path_match_the_service(session_of: Any, web_store: GraphStore) -> None:
    from netwerk.services import network

    s = session_of("anna")
    a = actor("anna")
    s.goto("/verkennen")
    street = web_store.nodes_df("Address")["street"].iloc[0]
    s.page.fill("#q", street)
    s.page.press("#q", "Enter")
    s.page.wait_for_selector("#zoekresultaten")
    hits = network.search(web_store, a, street)
    assert s.page.locator("#zoekresultaten tbody tr").count() >= len(hits) > 0
    # a path from one person to the address of another person met in the same signal
    from netwerk.services.cache import frames

    fr = frames(web_store)
    sp = fr.signal_persons
    shared = sp.groupby("signal_id")["person_id"].agg(sorted)
    p1, p2 = next(v for v in shared if len(v) >= 2)[:2]
    home = fr.registrations.loc[fr.registrations["person_id"] == p2, "address_id"]
    source, target = f"Person:{p1}", (f"Address:{home.iloc[0]}" if len(home) else f"Person:{p2}")
    s.goto("/verkennen")
    s.page.fill("#van", source)
    s.page.fill("#naar", target)
    s.page.click("form[aria-labelledby=pad-kop] button")
    s.page.wait_for_url(re.compile(r".*/verkennen/pad.*"))
    expected = network.path(web_store, a, source, target)
    shown = s.page.locator("#pad li").evaluate_all("items => items.map(i => i.dataset.id)")
    assert shown == [n["id"] for n in expected.nodes] and len(shown) >= 2
    assert s.axe() == []
    s.shot("anna-verkennen-pad")
    # ego network of the first subject on the path, depth 2
    first = expected.nodes[0]
    s.goto(f"/verkennen/{first['label']}/{first['key']}?diepte=2")
    s.page.wait_for_selector("#graaf[data-getekend='1']")
    ego = network.ego(web_store, a, first["label"], first["key"], depth=2)
    assert s.page.evaluate("netwerkGraaf.graph.order") == len(ego.nodes)
    assert s.page.locator("#buren tbody tr").count() == len(ego.nodes)
    assert s.axe() == []
    s.shot("anna-verkennen-ego")


# ----------------------------------------------------------------------------------------- ondermijning
def test_review_status_lands_in_the_review_workflow(session_of: Any, web_store: GraphStore) -> None:
    from netwerk.review import get_review, list_reviews
    from netwerk.services.indicators import indicators

    s = session_of("vera")
    s.goto("/ondermijning")
    ranked = indicators(web_store, actor("vera"), "address")
    assert ranked
    rows = s.page.locator("#ranglijst tbody tr").evaluate_all("rows => rows.map(r => r.dataset.onderwerp)")
    assert rows == [d["subject_id"] for d in ranked]
    top = ranked[0]
    s.page.click(f"#ranglijst tbody tr[data-onderwerp='{top['subject_id']}'] a")
    s.page.wait_for_selector("#indicatoren")
    assert [r for r in s.page.locator("#indicatoren tbody tr").evaluate_all("r => r.map(x => x.dataset.indicator)")] \
        == [i["name"] for i in top["indicators"]]
    assert s.axe() == []
    s.page.select_option("#status-kiezen", "in onderzoek")
    s.page.fill("#toegewezen", "team ondermijning")
    s.page.fill("#notitie", "eerst controle woonfraude")
    s.page.click("#beoordeling button[type=submit]")
    s.page.wait_for_selector("#opgeslagen")
    assert s.page.locator("#status").inner_text() == "in onderzoek"
    item = get_review(web_store, f"address:{top['subject_id']}")
    assert item["status"] == "in onderzoek" and item["assignee"] == "team ondermijning"
    assert item["updated_by"] == "vera" and "eerst controle woonfraude" in item["notes"]
    assert f"address:{top['subject_id']}" in set(list_reviews(web_store, status="in onderzoek")["review_id"])
    s.shot("vera-ondermijning-beoordeeld")


# -------------------------------------------------------------------------------------------- casussen
def test_escalate_a_case_with_the_ladders_questions(session_of: Any, web_store: GraphStore) -> None:
    from netwerk.cases import load_ladder
    from netwerk.services.cases import case, cases

    s = session_of("anna")
    a = actor("anna")
    ladder = load_ladder()
    rows = cases(web_store, a)
    s.goto("/casussen")
    shown = s.page.locator("#casussen tbody tr").evaluate_all("rows => rows.map(r => r.dataset.casus)")
    assert shown == [r["case_id"] for r in rows]
    target = next(r for r in rows if r["phase"] in ladder.phase_ids[:-1])
    s.page.click(f"#casussen tr[data-casus='{target['case_id']}'] a")
    s.page.wait_for_selector("#form-op")
    questions = s.page.locator("#form-op input[name=criteria]").evaluate_all("i => i.map(x => x.value)")
    phase = ladder.phase(target["phase"])
    assert questions == list(dict.fromkeys([*phase.up_triggers, *phase.up_required]))
    assert s.axe() == []
    s.shot("anna-casus")
    if questions:
        s.page.check(f"#form-op input[value='{questions[0]}']")
    s.page.fill("#reden-op", "afspraken lopen niet; opschalen besproken in het overleg")
    s.page.click("#form-op button[type=submit]")
    s.page.wait_for_selector("#opgeslagen")
    after = case(web_store, a, target["case_id"])
    up = ladder.up(target["phase"])
    assert after["phase"] == up
    assert s.page.locator("#fase").get_attribute("data-fase") == up
    assert after["timeline"][-1]["decided_by"] == "anna"
    if questions:
        assert questions[0] in after["criteria"]


def test_agenda_is_printable(session_of: Any, web_store: GraphStore) -> None:
    from netwerk.services.agenda import agenda

    s = session_of("anna")
    s.goto("/casussen/agenda?overleg=twee-wekelijks")
    expected = agenda(web_store, actor("anna"), "twee-wekelijks")
    assert str(expected["new_signals"]["total"]) in s.page.locator("#agenda-nieuw").inner_text()
    s.page.emulate_media(media="print")
    assert not s.page.locator("header.kop").is_visible()
    assert s.page.locator("h1").is_visible()


# ------------------------------------------------------------------------------------ roles and keyboard
def test_role_without_the_right_sees_neither_page_nor_data(session_of: Any) -> None:
    s = session_of("cor")  # coordinator jeugd: youth domain, no indicators, no beheer
    nav = s.page.locator("nav[aria-label=Hoofdmenu] a").all_inner_texts()
    assert "Ondermijning" not in nav and "Beheer" not in nav and "Jeugdnetwerk" in nav
    for path in ("/ondermijning", "/ondermijning/address/A000002", "/beheer"):
        response = s.goto(path)
        assert response is not None and response.status == 403, path
        assert s.page.locator("table").count() == 0
    post = s.page.request.post(s.base + "/ondermijning/address/A000002/beoordeling",
                               form={"status": "afgewezen", "csrf": "fout"})
    assert post.status == 403
    b = session_of("bea")  # the beheerder reads no persons
    for path in ("/jeugdnetwerk", "/jeugdnetwerk/graaf.json", "/verkennen", "/casussen", "/kaart"):
        response = b.goto(path)
        assert response is not None and response.status == 403, path


def test_every_action_reachable_by_keyboard(session_of: Any) -> None:
    s = session_of("anna")
    s.goto("/kaart")
    s.page.keyboard.press("Tab")
    assert s.page.evaluate("document.activeElement.textContent") == "Naar de inhoud"
    s.page.keyboard.press("Enter")
    assert s.page.evaluate("location.hash") == "#inhoud"
    focusable = []
    for _ in range(60):
        s.page.keyboard.press("Tab")
        focusable.append(s.page.evaluate("(() => { const e = document.activeElement;"
                                         " return e.id || e.getAttribute('href') || e.tagName; })()"))
    assert {"sinds", "domein", "categorie"} <= set(focusable)
    assert any(str(f).startswith("/kaart/hotspot/") for f in focusable)  # hotspots on the map are links


# ----------------------------------------------------------------------------------------- 5,000 nodes
def test_network_of_5000_nodes_renders(browser: Any, web_store: GraphStore) -> None:
    """A 5,000-person network draws (WebGL) with every node; its speed is measured in bench/bench_web.py."""
    import networkx as nx

    from netwerk.web.pages.jeugdnetwerk import YouthView, youth_view

    graph = nx.relabel_nodes(nx.planted_partition_graph(250, 20, 0.3, 0.0005, seed=2), lambda i: f"P-{i:05d}")
    view = YouthView.from_graph(graph, {f"P-{i:05d}": i // 20 for i in range(5000)})
    app = create_app(Settings(), web_store)
    app.dependency_overrides[youth_view] = lambda: view
    with serve_in_thread(app) as url:
        s = Session(browser, url, "cor")
        s.goto("/jeugdnetwerk")
        s.page.wait_for_selector("#graaf[data-getekend='1']", timeout=180_000)
        assert s.page.evaluate("netwerkGraaf.graph.order") == graph.number_of_nodes() == 5000
        from netwerk.web.pages.jeugdnetwerk import MAX_DRAWN_EDGES

        assert s.page.evaluate("netwerkGraaf.graph.size") == min(graph.number_of_edges(), MAX_DRAWN_EDGES)
        assert graph.number_of_edges() > MAX_DRAWN_EDGES  # the page says it thinned the lines
        assert "alle verbindingen staan in de GEXF-export" in s.page.locator("#samenvatting").inner_text()
        assert s.page.evaluate("[...document.querySelectorAll('#graaf canvas.sigma-nodes')]"
                               ".some(c => !!(c.getContext('webgl2') || c.getContext('webgl')))")  # WebGL
        s.shot("cor-jeugdnetwerk-5000")
        s.close()
