"""The container image, built and run for real.

``deploy/build-image.sh --engine podman`` builds the project's Dockerfile unchanged (from a
Debian stand-in for python:3.11-slim where no image registry is in reach, as on CI), once
per session. One container of it then runs with ``PORT=8080`` and is checked the way an
operator would: its own HEALTHCHECK turns podman's status to ``healthy``, every page renders
in headless Chromium through the published port, a lever link sets its slider, the server
runs as a non-root user that cannot write the app's code, and ``podman stop`` (SIGTERM)
ends it cleanly, well before the kill timeout.

Skipped only when podman is missing or cannot run a container at all (a trivial
``podman run`` of the base image fails); the skip says why. A failed build, or a container
that misbehaves, fails with the build output or the container's logs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from bench.container_start import (
    IDLE,
    KPI,
    STANDIN,
    Container,
    ContainerError,
    Podman,
    launch_chromium,
    wait_host_network_settled,
)
from bench.load_test import http_get
from ui.i18n import catalog
from ui.nav import PAGE_IDS

pytestmark = pytest.mark.container

IMAGE = "localhost/batken-dashboard:test"
UID = "10001"
EXCEPTION = '[data-testid="stException"]'
WAIT_MS = 30_000  # for a page or a script run (a busy 2-core machine)
STOP_TIMEOUT_S = 30  # podman stop -t: SIGKILL after this; a clean stop takes a few seconds


@dataclass
class Built:
    podman: Podman
    image: str
    base: str
    build_s: float
    size: int
    log: str


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The image, built once per session with deploy/build-image.sh."""
    podman = Podman.from_host(tmp_path_factory.mktemp("podman"))
    if podman is None:
        pytest.skip(
            "podman is not installed (CI installs it: apt-get install -y podman runc mmdebstrap)"
        )
    error: ContainerError | None = None
    log = ""
    try:
        build_s, log = podman.build(IMAGE)
    except ContainerError as exc:
        error, build_s = exc, 0.0
    # The base the script built on (its log names it); probe that podman can run it at all.
    found = re.search(r"\(base (\S+),", log or str(error))
    base = found.group(1) if found else STANDIN
    if podman("image", "exists", base).returncode == 0:
        probe = podman("run", "--rm", base, "true")
        if probe.returncode != 0:
            pytest.skip(
                f"podman cannot run a container on this machine: `podman run --rm "
                f"{base} true` failed (exit {probe.returncode}): "
                f"{(probe.stdout + probe.stderr).strip()[-600:]}"
            )
    if error is not None:
        pytest.fail(f"the image did not build:\n{error}", pytrace=False)
    size = podman.image_size(IMAGE)
    assert size, f"build-image.sh succeeded but there is no {IMAGE}:\n{log[-3000:]}"
    print(f"\nbuilt {IMAGE} on {base} in {build_s:.0f} s, {size / 1e6:.0f} MB")
    return Built(podman, IMAGE, base, build_s, size, log)


@pytest.fixture(scope="module")
def container(built: Built) -> Iterator[Container]:
    """One running container, healthy by its own HEALTHCHECK, listening on $PORT=8080."""
    try:
        c = Container.start(built.podman, built.image, container_port=8080, env={"PORT": "8080"})
    except ContainerError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        try:
            took = c.wait_healthy(timeout=180)
        except ContainerError as exc:
            pytest.fail(str(exc), pytrace=False)
        print(f"\ncontainer {c.name} healthy {took:.1f} s after podman run")
        wait_host_network_settled()  # else Chromium may abort the first page load
        yield c
    finally:
        c.remove()
        wait_host_network_settled()  # podman removed its bridge: let later browser tests be


def test_the_image_carries_its_healthcheck_and_a_non_root_user(built: Built) -> None:
    fmt = "{{.Config.User}} {{json .Config.Healthcheck}}"
    out = built.podman("image", "inspect", "--format", fmt, built.image).stdout
    assert out.startswith("app "), f"image user is not 'app': {out}"
    assert "_stcore/health" in out, f"no HEALTHCHECK in the image config (OCI format?): {out}"
    assert built.size < 1.2e9, (
        f"the image grew to {built.size / 1e6:.0f} MB (measured 902 MB on the stand-in base, "
        "docs/hosting.md): what was added?"
    )


def test_container_is_healthy_and_serves_on_its_port(container: Container) -> None:
    assert container.inspect("{{.State.Health.Status}}") == "healthy", container.diagnostics()
    status, body = http_get(container.url + "/_stcore/health", timeout=10)
    assert (status, body.strip()) == (200, "ok"), container.diagnostics()


def test_server_runs_as_a_user_that_cannot_write_the_code(container: Container) -> None:
    uid = container.exec("id", "-u")
    assert uid.returncode == 0 and uid.stdout.strip() == UID, (
        f"`id -u` in the container: {uid.stdout}{uid.stderr}"
    )
    # PID 1 is the server itself (CMD execs streamlit): its real and effective uid.
    status = container.exec("cat", "/proc/1/status").stdout
    uids = re.search(r"^Uid:\s+(\d+)\s+(\d+)", status, flags=re.M)
    assert uids and uids.groups() == (UID, UID), f"server process uids: {status[:600]}"
    cmdline = container.exec("cat", "/proc/1/cmdline").stdout.replace("\0", " ")
    assert "streamlit run app.py" in cmdline, f"PID 1 is not the server: {cmdline!r}"
    for attempt in (
        "echo '# changed' >> /app/app.py",
        "touch /app/new_file",
        "touch /app/ui/new_module.py",
        "rm -f /app/model/__init__.py",
    ):
        res = container.exec("sh", "-c", attempt)
        assert res.returncode != 0, f"the runtime user could run `{attempt}` in /app"
        assert "Permission denied" in res.stderr, (attempt, res.stderr)
    loose = container.exec(
        "find",
        "/app",
        "(",
        "!",
        "-user",
        "root",
        "-o",
        "-perm",
        "/022",
        ")",
        "-printf",
        "%u %m %p\n",
    )
    assert loose.returncode == 0 and not loose.stdout, (
        f"files in /app not owned by root or writable by others:\n{loose.stdout[:2000]}"
        f"{loose.stderr}"
    )


@pytest.fixture(scope="module")
def chromium() -> Iterator:
    """Headless Chromium (Debian's; BROWSER_PATH for another), launched as the bench does."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            yield browser
        finally:
            browser.close()


def _open(chromium, container: Container, path: str = "/"):
    """A fresh 1280x800 English page on the container, its scenario page drawn."""
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    try:
        page.goto(container.url + path)
        # the first session imports the app's libraries: give it time on a busy machine;
        # an exception on the page ends the wait at once
        page.locator(f"{KPI}, {EXCEPTION}").first.wait_for(timeout=60_000)
        expect(page.locator(EXCEPTION)).to_have_count(0)
        expect(page.locator(IDLE)).to_have_count(0, timeout=WAIT_MS)
    except (AssertionError, PlaywrightError) as exc:
        shown = _what_the_page_shows(page)
        context.close()
        pytest.fail(
            f"the dashboard did not render from the container: {exc}\n{shown}\n"
            f"{container.diagnostics()}",
            pytrace=False,
        )
    return context, page


def _what_the_page_shows(page) -> str:
    """The page's exceptions, if any, then the start of its text."""
    errors = page.locator(EXCEPTION).all_inner_texts()
    return "".join(f"--- exception on the page\n{e[:2000]}\n" for e in errors) + (
        f"--- page text\n{page.inner_text('body')[:1500]}"
    )


@pytest.mark.browser
def test_every_page_renders_in_chromium(chromium, container: Container) -> None:
    titles = catalog("en")
    context, page = _open(chromium, container)
    try:
        for page_id in PAGE_IDS:
            try:
                if page_id != PAGE_IDS[0]:
                    page.locator(f'[data-testid="stSidebarNavLink"][href$="/{page_id}"]').click()
                    expect(page).to_have_url(re.compile(rf"/{page_id}\b"), timeout=WAIT_MS)
                # a page's heading: its own title, or its menu name
                title = titles.get(f"{page_id}.title") or titles[f"page.{page_id}"]
                expect(page.locator("h1").first).to_contain_text(title, timeout=WAIT_MS)
                expect(page.locator(IDLE)).to_have_count(0, timeout=WAIT_MS)
                expect(page.locator(EXCEPTION)).to_have_count(0)
            except (AssertionError, PlaywrightError) as exc:
                pytest.fail(
                    f"page {page_id!r} did not render: {exc}\n"
                    f"{_what_the_page_shows(page)}\n{container.diagnostics()}",
                    pytrace=False,
                )
    finally:
        context.close()


@pytest.mark.browser
def test_a_lever_link_sets_the_slider(chromium, container: Container) -> None:
    context, page = _open(chromium, container, "/?infrastructure_spend=1500")
    try:
        slider = page.locator('.st-key-infrastructure_spend input[type="range"]')
        expect(slider).to_have_value("1500", timeout=WAIT_MS)
        expect(page.locator(EXCEPTION)).to_have_count(0)
    finally:
        context.close()


def test_stops_cleanly_on_sigterm(container: Container) -> None:
    """Last in the module: ``podman stop`` sends SIGTERM; the server must exit by itself
    (code 0, or 143 for "terminated by SIGTERM"), not wait for the SIGKILL."""
    code, took = container.stop(timeout=STOP_TIMEOUT_S)
    assert code in (0, 143), f"exit code {code} after SIGTERM\n{container.diagnostics()}"
    assert took < STOP_TIMEOUT_S / 3, (
        f"podman stop took {took:.1f} s (kill timeout {STOP_TIMEOUT_S} s): SIGTERM ignored?\n"
        f"{container.diagnostics()}"
    )
