"""The Streamlit dashboard: the only package that imports streamlit.

``app.py`` is a thin router; this package holds the shared sidebar (levers), the
pages (``ui.pages``), the cached model calls (``ui.compute``), the Altair charts
(``ui.charts``), share links and URL checks (``ui.links``), scenario-file handling
(``ui.files``) and the string catalog lookup (``ui.i18n``).
"""
