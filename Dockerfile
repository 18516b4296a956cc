# Batken scenario dashboard: slim image, non-root, health check, port from $PORT.
#   docker build -t batken-dashboard .
#   docker run --rm -p 8080:8080 -e PORT=8080 batken-dashboard
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=8501

RUN useradd --create-home --uid 10001 app
WORKDIR /app

# Dependencies first, so code changes do not reinstall them.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY --chown=app:app app.py ./
COPY --chown=app:app .streamlit ./.streamlit
COPY --chown=app:app model ./model
COPY --chown=app:app scenarios ./scenarios
COPY --chown=app:app data ./data
COPY --chown=app:app ui ./ui
COPY --chown=app:app report ./report
COPY --chown=app:app i18n ./i18n
COPY --chown=app:app docs ./docs

USER app
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/_stcore/health' % os.environ.get('PORT', '8501'), timeout=4)"

CMD ["sh", "-c", "exec streamlit run app.py --server.port=${PORT} --server.address=0.0.0.0 --server.headless=true"]
