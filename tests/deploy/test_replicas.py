"""The tested multi-replica example: two replicas of app.py behind deploy/nginx.conf.

Runs two `streamlit run app.py` processes on loopback ports with nginx (ip_hash,
websocket upgrade) in front, then checks the health check and a real page load
through nginx, and that new visitors still get a working app when the replica
they were pinned to dies. Skipped only when the nginx binary is missing (and the two
browser tests where Chromium is; the ``browser`` fixture is in tests/conftest.py).
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections import Counter

import pytest

from bench.live_drag import TABLES_READY
from bench.load_test import http_get

pytestmark = pytest.mark.deploy


def render_through_nginx(browser, cluster) -> None:
    """Open the app through nginx; it must render a slider, over nginx's websocket."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    sockets: list[str] = []
    try:
        page = context.new_page()
        page.on("websocket", lambda ws: sockets.append(ws.url))
        page.goto(cluster.url + "/", wait_until="domcontentloaded", timeout=30_000)
        try:
            page.locator('[data-testid="stSlider"]').first.wait_for(timeout=30_000)
        except Exception as exc:
            pytest.fail(f"app did not render through nginx: {exc}\n{cluster.diagnostics()}", False)
        page.wait_for_timeout(500)  # let the run settle before looking for errors
        n_exc = page.locator('[data-testid="stException"]').count()
        assert n_exc == 0, f"{n_exc} exception(s) on the page\n{cluster.diagnostics()}"
        stream = cluster.url.replace("http://", "ws://") + "/_stcore/stream"
        assert stream in sockets, f"no websocket to {stream} (saw {sockets})"
        # the live tables, fetched from the replica that ran the page (ui/live_route.py)
        try:
            page.wait_for_function(TABLES_READY, timeout=30_000)
        except Exception as exc:
            pytest.fail(f"no live tables through nginx: {exc}\n{cluster.diagnostics()}", False)
    finally:
        context.close()
    time.sleep(0.5)  # nginx logs the websocket once it has closed


def test_health_through_nginx(cluster):
    status, body = http_get(cluster.url + "/_stcore/health", timeout=5)
    assert (status, body.strip()) == (200, "ok")


@pytest.mark.browser
def test_app_renders_through_nginx(cluster, browser):
    render_through_nginx(browser, cluster)
    assert cluster.upstreams_served(), "nginx logged no proxied request\n" + cluster.diagnostics()


@pytest.mark.browser
def test_new_visitors_fail_over_when_a_replica_dies(cluster, browser):
    # Kill the replica ip_hash pins this client to (all of 127.0.0.1 hashes alike).
    render_through_nginx(browser, cluster)
    pinned = Counter(cluster.upstreams_served()).most_common(1)[0][0]
    victim = next(r for r in cluster.replicas if pinned.endswith(f":{r.port}"))
    survivor = next(r for r in cluster.replicas if r is not victim)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(victim.proc.pid, signal.SIGKILL)
    victim.proc.wait(timeout=10)
    time.sleep(1.0)  # connections to the victim close and are logged before the snapshot
    log_lines_before = len(cluster.upstreams_served())

    render_through_nginx(browser, cluster)
    status, body = http_get(cluster.url + "/_stcore/health", timeout=5)
    assert (status, body.strip()) == (200, "ok"), cluster.diagnostics()
    after = cluster.upstreams_served()[log_lines_before:]
    assert after and all(u.endswith(f":{survivor.port}") for u in after), (
        f"expected only {survivor.url} to serve after killing {victim.url}: {after}\n"
        + cluster.diagnostics()
    )


# --- two replicas sharing workshop rooms through PostgreSQL (issue 12) -----------------


@pytest.fixture(scope="module")
def pg_cluster(tmp_path_factory):
    """Two replicas on one throwaway PostgreSQL (BATKEN_DATABASE_URL) behind nginx."""
    import shutil
    import subprocess

    from bench.load_test import StartedServer, free_port
    from tests.deploy.conftest import Cluster, _stop_group
    from tests.deploy.helpers import APP, NGINX_CONF, log_tail
    from tests.pg import pg_missing, throwaway_postgres

    missing = pg_missing()
    if missing:
        pytest.skip(f"PostgreSQL: {missing}")
    nginx_bin = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.access(nginx_bin, os.X_OK):
        pytest.skip("nginx binary not found (CI installs it: apt-get install -y nginx)")
    base = tmp_path_factory.mktemp("pg_cluster")
    prefix = base / "nginx"
    (prefix / "logs").mkdir(parents=True)
    (prefix / "tmp").mkdir()
    with throwaway_postgres() as db_url:
        env = {"STREAMLIT_SERVER_COOKIE_SECRET": "test-only", "BATKEN_DATABASE_URL": db_url}
        env["BATKEN_WORKSHOP_REFRESH_S"] = "1"
        logs = [base / "replica1.log", base / "replica2.log"]
        replicas = [StartedServer(APP, log_path=log, env=env) for log in logs]
        nginx = None
        try:
            for r in replicas:
                r.start()
            for r in replicas:
                r.wait_ready()
            port = free_port()
            conf = (
                NGINX_CONF.read_text()
                .replace("__LISTEN_PORT__", str(port))
                .replace("__REPLICA_1__", f"127.0.0.1:{replicas[0].port}")
                .replace("__REPLICA_2__", f"127.0.0.1:{replicas[1].port}")
            )
            (prefix / "nginx.conf").write_text(conf)
            nginx = subprocess.Popen(
                [nginx_bin, "-c", str(prefix / "nginx.conf"), "-p", f"{prefix}/"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 15
            while True:
                with contextlib.suppress(OSError):
                    if http_get(url + "/_stcore/health", timeout=2)[0] == 200:
                        break
                if time.monotonic() > deadline:
                    pytest.fail("nginx did not come up:\n" + log_tail(prefix / "logs/error.log"))
                time.sleep(0.2)
            yield Cluster(url, replicas, logs, nginx, prefix), db_url
        finally:
            if nginx is not None:
                _stop_group(nginx)
            for r in replicas:
                r.stop()


@pytest.mark.browser
def test_two_replicas_share_a_workshop_room_through_postgresql(pg_cluster, browser):
    from playwright.sync_api import expect

    from rooms import RoomStore
    from tests.e2e.conftest import TIMEOUT_MS, Dashboard

    cluster, db_url = pg_cluster
    contexts = []

    def visitor(base: str) -> Dashboard:
        ctx = browser.new_context(viewport={"width": 1280, "height": 800})
        ctx.set_default_timeout(TIMEOUT_MS)
        contexts.append(ctx)
        return Dashboard(ctx.new_page(), base)

    try:
        host = visitor(cluster.url)  # the facilitator, through nginx
        host.open("?lang=en", path="/workshop")
        host.page.get_by_role("button", name="Create a room").click()
        invite = host.keyed("workshop_invite")
        expect(invite).to_be_visible(timeout=TIMEOUT_MS)
        link = invite.locator("code").inner_text().strip()
        code = link.split("room=")[1].split("&")[0]
        # ip_hash sends every loopback client to one replica: one participant opens
        # each replica directly, so both replicas write to the room.
        for i, replica in enumerate(cluster.replicas):
            dash = visitor(replica.url)
            dash.open(f"?room={code}&lang=en", path="/workshop")
            dash.page.locator(".st-key-workshop_name input").fill(f"replica {i + 1}")
            dash.page.get_by_role("button", name="Join the room").click()
            expect(dash.keyed("workshop_mine")).to_be_visible(timeout=TIMEOUT_MS)
            dash.press("sme_support", 5 * (i + 1))
            expect(dash.lever("sme_support")).to_have_value(str(50 * (i + 1)))
            dash.idle()
            dash.expect_no_exception()
        counts = host.page.locator('[data-testid="stMetric"]').filter(has_text="With a scenario")
        expect(counts.locator('[data-testid="stMetricValue"]')).to_have_text(
            "2", timeout=TIMEOUT_MS
        )
        host.expect_no_exception()
    finally:
        for ctx in contexts:
            ctx.close()
    store = RoomStore(db_url)
    want = [("replica 1", 50.0), ("replica 2", 100.0)]
    try:
        deadline = time.monotonic() + 15  # the last key press's rerun may still be saving
        while True:
            got = sorted((e.name, e.settings["sme_support"]) for e in store.entries(code))
            if got == want or time.monotonic() > deadline:
                break
            time.sleep(0.3)
    finally:
        store.close()
    assert got == [("replica 1", 50.0), ("replica 2", 100.0)], (
        f"the room in PostgreSQL holds {got}\n{cluster.diagnostics()}"
    )
