# Batken scenario dashboard: slim image, non-root, health check, port from $PORT.
#   deploy/build-image.sh                          # docker, or podman on a machine with no registry
#   docker run --rm -p 8080:8080 -e PORT=8080 batken-dashboard
# How it is built, run and tested, and what it measures: docs/hosting.md.
#
# The base is pinned by digest, so a rebuild gets the same base. sha256:9c900dea... is the
# python:3.11-slim digest pinned by several public Dockerfiles on GitHub in 2026 (found with a
# code search on the digest; one labels it python:3.11.16-slim-trixie). Check or refresh it:
#   docker buildx imagetools inspect python:3.11-slim
# Where no registry is in reach, deploy/build-image.sh bootstraps a Debian stand-in and passes
# --build-arg BASE_IMAGE=localhost/batken-python-base:3.11-bookworm.
ARG BASE_IMAGE=python:3.11-slim@sha256:9c900dea9e8fb7e16277c179b555cc72d29a352dbc33cff48ad5a0412fd5bfc7
FROM ${BASE_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=8501

RUN useradd --create-home --uid 10001 app
WORKDIR /app

# Dependencies in one layer, before the code, so code changes do not reinstall them. Every
# pinned package ships a wheel: no compiler, no build tools. pip compiles the bytecode here
# (--no-compile would save 78 MB but cost 2 s of CPU at every start); the packages' own
# test suites (107 MB) go in the same layer, as the official image does for the stdlib.
COPY requirements.txt .
RUN pip install -r requirements.txt \
 && site="$(python -c 'import os, streamlit; print(os.path.dirname(os.path.dirname(streamlit.__file__)))')" \
 && find "$site" -depth -type d -name tests -exec rm -rf {} +

# The code belongs to root (COPY without --chown) and is read-only for the runtime user
# (uid 10001), which can only write its home directory and /tmp.
COPY app.py ./
COPY .streamlit ./.streamlit
COPY model ./model
COPY scenarios ./scenarios
COPY rooms ./rooms
COPY data ./data
COPY ui ./ui
COPY report ./report
COPY i18n ./i18n
COPY docs ./docs
# A checkout made with umask 002 has group-writable files: drop every write bit but root's.
# The runtime user cannot write bytecode, so compile the app's own modules here too.
RUN chmod -R go-w /app && python -m compileall -q /app

USER app
EXPOSE 8501
# Docker runs the first check one interval after the start: 10 s, so `docker ps` says
# (healthy) soon. (--start-interval would be better, but podman 4.3 cannot build it.)
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/_stcore/health' % os.environ.get('PORT', '8501'), timeout=4)"

CMD ["sh", "-c", "exec streamlit run app.py --server.port=${PORT} --server.address=0.0.0.0 --server.headless=true"]
