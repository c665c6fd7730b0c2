"""The web application without a browser: the role/purpose matrix (same answers as the API), CSRF,
the layout, the shipped assets and the serve command."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from netwerk import auth
from netwerk.access import policy
from netwerk.settings import Settings
from netwerk.store import GraphStore
from netwerk.store.embedded import EmbeddedStore
from netwerk.web.app import create_app
from netwerk.web.layout import grouped_positions, layout_positions
from netwerk.web.security import PAGES

PASSWORD = "een-lang-testwachtwoord-42"
WEB = Path(__file__).resolve().parents[1] / "src" / "netwerk" / "web"
#: page → an API route serving the same data (the matrix must agree)
API_OF = {"kaart": "/hotspots", "jeugdnetwerk": "/groups", "ondermijning": "/indicators", "verkennen": "/search?q=P-",
          "casussen": "/cases"}


@pytest.fixture(scope="module")
def web_store(town_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    path = tmp_path_factory.mktemp("webstore") / "store"
    shutil.copytree(town_store_path, path)
    st = EmbeddedStore(path)
    for role in policy().roles:
        auth.add_user(st, f"u-{role}", PASSWORD, role)
    yield st
    st.close()


@pytest.fixture(scope="module")
def client(web_store: GraphStore) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(), web_store), base_url="https://127.0.0.1") as c:
        yield c


def _login(client: TestClient, role: str, purpose: str) -> None:
    client.cookies.clear()
    r = client.post("/inloggen", data={"gebruiker": f"u-{role}", "wachtwoord": PASSWORD, "doel": purpose},
                    follow_redirects=False)
    assert r.status_code == 303, r.text


def test_pages_follow_the_same_matrix_as_the_api(client: TestClient) -> None:
    checked = 0
    for role, r in policy().roles.items():
        for purpose in sorted(r.purposes):
            _login(client, role, purpose)
            nav = set(re.findall(r'<li><a href="/(\w+)"', client.get("/overzicht").text))
            for page, (_, resource) in PAGES.items():
                if page == "overzicht":
                    continue
                allowed = policy().roles[role].resources >= {resource} and _may(role, purpose, resource)
                status = client.get(f"/{page}").status_code
                assert status == (200 if allowed else 403), (role, purpose, page, status)
                assert (page in nav) == allowed, (role, purpose, page)
                if page in API_OF:
                    api = client.get(API_OF[page]).status_code
                    assert (api == 200) == allowed, (role, purpose, page, api)
                checked += 1
    assert checked >= len(policy().roles) * (len(PAGES) - 1)


def _may(role: str, purpose: str, resource: str) -> bool:
    try:
        policy().check(role, purpose, resource)
    except PermissionError:
        return False
    return True


def test_post_needs_the_sessions_csrf_token(client: TestClient, web_store: GraphStore) -> None:
    from netwerk.access import Actor
    from netwerk.review import get_review
    from netwerk.services.indicators import indicators

    _login(client, "veiligheidsadviseur", "ondermijningsanalyse")
    top = indicators(web_store, Actor.of("u-veiligheidsadviseur", "veiligheidsadviseur", "ondermijningsanalyse"),
                     "address")[0]["subject_id"]
    url = f"/ondermijning/address/{top}/beoordeling"
    refused = client.post(url, data={"status": "afgewezen"}, follow_redirects=False)
    assert refused.status_code == 403
    refused = client.post(url, data={"status": "afgewezen", "csrf": "x" * 64}, follow_redirects=False)
    assert refused.status_code == 403
    page = client.get(f"/ondermijning/address/{top}").text
    token = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    assert token is not None
    ok = client.post(url, data={"status": "bevestigd", "csrf": token.group(1)}, follow_redirects=False)
    assert ok.status_code == 303
    assert get_review(web_store, f"address:{top}")["status"] == "bevestigd"


def test_login_cookie_is_httponly_secure_strict(client: TestClient) -> None:
    client.cookies.clear()
    r = client.post("/inloggen", data={"gebruiker": "u-analist", "wachtwoord": PASSWORD, "doel": "analyse"},
                    follow_redirects=False)
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "secure" in cookie and "samesite=strict" in cookie
    page = client.get("/kaart")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "unsafe-inline" not in page.headers["content-security-policy"]


def test_open_redirect_refused(client: TestClient) -> None:
    client.cookies.clear()
    r = client.post("/inloggen", data={"gebruiker": "u-analist", "wachtwoord": PASSWORD, "doel": "analyse",
                                       "volgende": "//evil.example/"}, follow_redirects=False)
    assert r.headers["location"] == "/overzicht"


def test_layout_is_deterministic_and_groups_stay_together() -> None:
    g = nx.relabel_nodes(nx.planted_partition_graph(6, 15, 0.5, 0.01, seed=3), str)
    assert layout_positions(g) == layout_positions(g)
    membership = {str(i): i // 15 for i in range(90)}
    pos = grouped_positions(g, membership)
    assert set(pos) == set(g.nodes) and all(-1 <= v <= 1 for xy in pos.values() for v in xy)

    centre = {i: tuple(sum(pos[n][k] for n in membership if membership[n] == i) / 15 for k in (0, 1))
              for i in range(6)}

    def nearest(n: str) -> int:
        return min(centre, key=lambda i: (pos[n][0] - centre[i][0]) ** 2 + (pos[n][1] - centre[i][1]) ** 2)

    assert all(nearest(n) == membership[n] for n in pos)  # every person sits with its own group


def test_assets_ship_in_the_package_pinned() -> None:
    lock = json.loads((WEB / "assets-src" / "package-lock.json").read_text())
    versions = dict(line.split() for line in (WEB / "static" / "vendor" / "VERSIONS").read_text().splitlines())
    for name, file in (("sigma", "sigma.min.js"), ("graphology", "graphology.umd.min.js"),
                       ("axe-core", "axe.min.js")):
        assert (WEB / "static" / "vendor" / file).stat().st_size > 10_000
        assert lock["packages"][f"node_modules/{name}"]["version"] == versions[name]
    pinned = json.loads((WEB / "assets-src" / "package.json").read_text())["dependencies"]
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", v) for v in pinned.values())
    html = " ".join(p.read_text() for p in (WEB / "templates").glob("*.html"))
    assert "http://" not in html and "https://" not in html  # no CDN


def test_serve_command_is_registered() -> None:
    from typer.testing import CliRunner

    from netwerk.cli import app

    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0 and "--port" in result.output and "--host" in result.output


def test_demo_login_is_a_real_user_with_a_new_password_each_run(tmp_path: Path) -> None:
    from netwerk.demo import demo_login

    st = EmbeddedStore(tmp_path / "store")
    try:
        name, first = demo_login(st)
        user = auth.authenticate(st, name, first)
        assert user is not None and user.role == "analist"
        _, second = demo_login(st)
        assert second != first
        assert auth.authenticate(st, name, first) is None and auth.authenticate(st, name, second) is not None
    finally:
        st.close()


def test_reveal_in_the_browser_uses_the_vault(web_store: GraphStore, town_frames: Any, tmp_path: Path) -> None:
    """Verkennen → Onthullen: only with the vault key, an entitled role and purpose and a reason; audited."""
    from netwerk.auth.vault import Vault, new_key

    pid = str(town_frames.group_members.person_id.iloc[0])  # a youth: within the coordinator's domain
    key = new_key()
    Vault(tmp_path / "kluis", key).put({pid: {"first_name": "Sem", "last_name": "Bakker"}})
    url = f"/verkennen/Person/{pid}/onthullen"

    def attempt(settings: Settings, role: str, purpose: str, reason: str) -> Any:
        with TestClient(create_app(settings, web_store), base_url="https://127.0.0.1") as c:
            _login(c, role, purpose)
            token = re.search(r'name="csrf" value="([0-9a-f]+)"', c.get("/verkennen").text)
            assert token is not None
            return c.post(url, data={"reden": reason, "csrf": token.group(1)}, follow_redirects=False)

    with_vault = Settings(vault_path=tmp_path / "kluis", vault_key=key)
    shown = attempt(with_vault, "coordinator_jeugd", "casusoverleg", "casusoverleg 12 november, besluit aanpak")
    assert shown.status_code == 200 and "Bakker" in shown.text and "Achternaam" in shown.text
    assert attempt(with_vault, "coordinator_jeugd", "casusoverleg", "").status_code == 403
    assert attempt(with_vault, "analist", "analyse", "casusoverleg 12 november, besluit").status_code == 403
    assert attempt(Settings(), "coordinator_jeugd", "casusoverleg", "casusoverleg 12 nov, besluit").status_code == 503


def test_monitoring_page_and_dashboard_block_show_the_service_figures(client: TestClient,
                                                                      web_store: GraphStore) -> None:
    from netwerk.access import Actor
    from netwerk.services.monitor import monitoring

    table = monitoring(web_store, Actor.of("u-analist", "analist", "analyse"), per="kwartaal")
    last = table.rows[table.rows["period"] == table.periods[-1]]
    _login(client, "analist", "analyse")
    page = client.get("/monitoring", params={"per": "kwartaal"})
    assert page.status_code == 200
    latest = page.text.split('id="monitor-laatste"')[1].split("</table>")[0]
    for name, total in zip(last["theme_name"], last["total"], strict=True):
        assert re.search(rf"{re.escape(str(name))}</th>\s*<td class=\"getal\">{int(total)}</td>", latest), name
    assert "<svg" in page.text and "tabel bij de grafiek" in page.text  # every chart has its table
    assert client.get("/monitoring", params={"per": "maand"}).status_code == 422
    yearly = monitoring(web_store, Actor.of("u-analist", "analist", "analyse"), per="jaar")
    block = client.get("/overzicht").text.split('id="monitor-blok"')[1].split("</table>")[0]
    first = yearly.rows[yearly.rows["period"] == yearly.periods[-1]].iloc[0]
    assert re.search(rf"{re.escape(str(first['theme_name']))}</th><td class=\"getal\">{int(first['total'])}</td>",
                     block)
