"""Pages: one function ``page()`` per module, registered in ``app.py``."""
