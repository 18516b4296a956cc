"""Latency floor: a one-slider Streamlit app (the probe compares the dashboard to this)."""

import streamlit as st

x = st.slider("x", 0, 100, 50, key="x")
st.write(x)
