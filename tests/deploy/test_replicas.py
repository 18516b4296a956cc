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
